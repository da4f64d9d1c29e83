"""Quotes a line's layout gives rather than a quote mark or a cue's clause: a line that opens
with a name and a colon ("Pence: ...", a lone "WALLACE: ..." line), a headline's speaker before
its colon ("McCain Challenger Kelli Ward: ..."), and the paragraph after "The governor added:"
(a block quotation whose marks went with the page's markup)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.attribution import cue_subject, text_of
from kg.quote_found import (
    MIN_CONTENT_WORDS,
    SPEAKER_KINDS,
    Found,
    Marks,
    is_cue_token,
    verb_before_colon,
)
from kg.records import Mention
from kg.transcripts import mention_over, people_by_surname

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NAME_COLON = re.compile(r"(?m)^[ \t]*[\"“]?([A-Z][^\n:\"“”]{1,40}?):[ \t]+(?=\S)")


def name_colon_lines(doc: Doc, found: list[Found], by_token: dict[int, Mention]) -> list[Found]:
    """'Pence: Gennifer Flowers Won't Be at Debate' (a headline) and a lone 'WALLACE: ...' line
    (whole transcripts are kg.transcripts'): a line that opens with a name and a colon carries
    that person's or organization's words to the end of the line (an upper-case surname names
    the person the text names in full). A dateline or any other word before the colon is no
    speaker."""
    text = text_of(doc)
    taken = [(f.start, f.end) for f in found]
    people = people_by_surname(by_token.values())
    out: list[Found] = []
    for match in _NAME_COLON.finditer(text):
        head = match.group(1).strip()
        start = match.end()
        line_end = text.find("\n", start)
        content = text[start : len(text) if line_end < 0 else line_end].rstrip()
        end = start + len(content)
        if len(content.split()) < MIN_CONTENT_WORDS or any(s < end and start < e for s, e in taken):
            continue
        mention = mention_over(doc, by_token, match.start(1), match.start(1) + len(head))
        if head.isupper() and head in people:
            mention = people[head]
        elif mention is None or mention.kind not in SPEAKER_KINDS or mention.text != head:
            continue
        # a headline paraphrases; a transcript's line is verbatim
        kind = "indirect" if not text[: match.start()].strip() else "direct"
        out.append(
            Found(start, end, kind, None, "colon-line", (), None, "name-colon", speaker=mention)
        )
    return out


_HEADLINE_COLON = re.compile(r"[ \t]*([^\n:]{2,80}?):[ \t]+(?=\S)")
_HEADLINE_LINKS = frozenset({"on", "to", "at"})


def headline_colon(doc: Doc, found: list[Found], by_token: dict[int, Mention]) -> Found | None:
    """A headline that gives its speaker before a colon with a title or a topic around the name:
    'McCain Challenger Kelli Ward: Impeach AG Lynch', 'Former AG Mukasey at RNC: Clinton email
    scandal disqualifies her', 'Clinton to Planned Parenthood: Trump will reverse Roe v. Wade'.
    The speaker is the last person or organization named before the colon, when nothing but
    "on", "to" or "at" and their object follows it ('Elizabeth Warren Hammers Wells Fargo CEO:'
    names no speaker: neither Warren nor Wells Fargo ends the head). 'Poll:' names nobody."""
    text = text_of(doc)
    match = _HEADLINE_COLON.match(text)
    if match is None:
        return None
    start = match.end()
    line_end = text.find("\n", start)
    if line_end < 0:
        return None  # no headline: the text is one paragraph
    content = text[start:line_end].rstrip()
    end = start + len(content)
    cued = [
        (f.start, f.end)
        for f in found
        if f.cue is not None or f.speaker is not None or f.speaker_token is not None
    ]
    if len(content.split()) < MIN_CONTENT_WORDS or any(s < end and start < e for s, e in cued):
        return None
    head = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
    if head is None:
        return None
    speaker, last = None, None
    before_verb: Mention | None = None  # 'Carly Fiorina Endorses Ted Cruz:': Fiorina speaks
    for token in head:
        mention = by_token.get(token.i)
        if mention is not None and mention.kind in SPEAKER_KINDS:
            if mention.end > match.end(1):  # (called with offset 0: article offsets)
                return None  # 'De Blasio: Trust Bratton': a name the NER ran over the colon
            speaker, last = mention, token
        elif speaker is not None and token.lower_ in _HEADLINE_LINKS:
            break  # 'Clinton to Planned Parenthood:': the name before "to" speaks
        elif speaker is not None and before_verb is None and _headline_verb(token):
            before_verb = speaker
    if speaker is None or last is None:
        return None
    rest = text[last.idx + len(last) : match.end(1)].split()
    if rest and rest[0].lower() not in _HEADLINE_LINKS:
        return None
    if headline_object(last):
        if before_verb is None:
            return None  # the name after the verb is what it acts on, not who speaks
        speaker = before_verb
    rule = "headline-colon"
    return Found(start, end, "indirect", None, "colon-line", (), None, rule, speaker=speaker)


def colon_blocks(doc: Doc, found: list[Found], marks: Marks) -> list[Found]:
    """'The governor added:' ending a paragraph, and the next paragraph with no quote marks: a
    block quotation (the page set it apart; the marks went with the markup). What was said is
    that paragraph; the cue is the reporting verb the colon ends, with nothing it reports
    before the colon."""
    text = text_of(doc)
    taken = [(f.start, f.end) for f in found]
    out: list[Found] = []
    for match in _COLON_BLOCK.finditer(text):
        start, end = match.start(2), match.end(2)
        if any(s < end and start < e for s, e in taken):
            continue
        if len(match.group(2).split()) < MIN_CONTENT_WORDS or match.group(2)[0] in _NOT_BLOCK:
            continue
        colon = doc.char_span(match.start(1), match.start(1) + 1, alignment_mode="expand")
        if colon is None:
            continue
        cue = _colon_cue_verb(doc, colon.start, marks)
        if cue is None:
            continue
        subject, rule = cue_subject(cue)
        out.append(Found(start, end, "direct", cue, "colon-block", (), subject, rule))
    return out


# the paragraph opens at the line's start: blanked markup (an embedded tweet) is no block quote
_COLON_BLOCK = re.compile(r"(:)[ \t]*\n(?:[ \t]*\n)?(\S[^\n]*?)[ \t]*(?=\n|\Z)")
_NOT_BLOCK = frozenset("\"“”'‘’<([*•-–—")


def _colon_cue_verb(doc: Doc, colon: int, marks: Marks) -> Token | None:
    """The reporting verb just before a colon ("Limbaugh added:", "Hewitt writes:", "he said in
    a speech last July:"), when it has a subject and reports nothing before the colon."""
    verb = verb_before_colon(doc, colon, marks, (".", ";", ":"))
    if verb is None or not is_cue_token(verb):
        return None
    return None if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children) else verb


def headline_object(name: Token) -> bool:
    """ "Carly Fiorina Endorses Ted Cruz: '...'": a name in a Title Case line after a verb the
    tagger read as a name ("Endorses", "Hammers") is what the verb acts on, not who speaks."""
    doc = name.doc
    i = name.i
    while i > 0 and doc[i - 1].ent_iob_ != "O" and doc[i - 1].ent_type_ == name.ent_type_:
        i -= 1  # the name's first word
    line_start = i
    while line_start > 0 and "\n" not in doc[line_start - 1].text_with_ws:
        line_start -= 1
    return any(map(_headline_verb, doc[line_start:i]))


def _headline_verb(token: Token) -> bool:
    """A Title Case verb of a headline: "Endorses", "Hammers", "Slams"."""
    text = token.text
    return text[:1].isupper() and text.endswith("s") and text[:-1].lower() in _HEADLINE_VERBS


_HEADLINE_VERBS = frozenset({
    "endorse", "slam", "hammer", "blast", "rip", "attack", "praise", "thank", "urge", "warn",
    "tell", "mock", "defend", "back", "ask", "challenge", "confront", "grill", "knock", "hit",
    "accuse", "criticize", "criticise", "question", "scold", "lambast", "target", "answer",
})  # fmt: skip
