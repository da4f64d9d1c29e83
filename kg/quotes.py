"""The quote stage: quotations, their cue, their speaker and whom they were told to.

1. ``find_quote_marks`` pairs quote marks paragraph by paragraph (straight, curly, guillemets; a
   quote running over paragraphs reopens at each one). Unbalanced marks are reported, never raised.
2. Each span is attributed by the reporting verb (or speech noun) nearest to it in syntax, in its
   own sentence; the speaker is the cue's subject (or possessor, or "according to X").
3. A pronoun speaker is resolved by ``kg.speakers`` to the person the text is about at that point.
4. A quote with no cue after a quote of X is X's, unless someone else spoke in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from kg.records import Mention, Problem, Quote, Span
from kg.speakers import Salience, resolve_pronoun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

OPENING = {"“": "”", "«": "»", "„": "“”", '"': '"'}
CLOSING = frozenset("”»")
MIN_WORDS = 3
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "his", "its", "their"})
SPEAKER_KINDS = frozenset({"person", "organization"})


@lru_cache(maxsize=None)
def _lexicon(name: str) -> frozenset[str]:
    text = resources.files("kg.data").joinpath(name).read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def reporting_verbs() -> frozenset[str]:
    """Lemmas of reporting verbs (kg/data/reporting_verbs.txt)."""
    return _lexicon("reporting_verbs.txt")


def cue_nouns() -> frozenset[str]:
    """Nouns that introduce speech (kg/data/cue_nouns.txt)."""
    return _lexicon("cue_nouns.txt")


@dataclass(frozen=True)
class MarkedSpan:
    """Text between a pair of quote marks: ``start``/``end`` exclude the marks."""

    start: int
    end: int


def find_quote_marks(text: str) -> tuple[list[MarkedSpan], list[str]]:
    """Pair quote marks; return the spans inside them and one line per unbalanced mark.

    >>> spans, problems = find_quote_marks('He said: “We are ready.” Then “more')
    >>> [('He said: “We are ready.” Then “more')[s.start:s.end] for s in spans], problems
    (['We are ready.'], ['unclosed quote mark at offset 30'])
    >>> spans, _ = find_quote_marks('“One.\\n\\n“Two.”')
    >>> len(spans), spans[0].start, spans[0].end
    (1, 1, 13)
    """
    spans: list[MarkedSpan] = []
    problems: list[str] = []
    open_at: int | None = None
    closer = ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n" and open_at is not None:
            j = i
            while j < n and text[j] in "\n \t":
                j += 1
            has_break = text.count("\n", i, j) >= 1
            if has_break and j < n and text[j] in OPENING and text[j] == text[open_at - 1]:
                i = j + 1  # the quote goes on in the next paragraph
                continue
            problems.append(f"unclosed quote mark at offset {open_at - 1}")
            open_at = None
        elif open_at is not None and (c in closer or (c in CLOSING and closer != '"')):
            if i > open_at:
                spans.append(MarkedSpan(open_at, i))
            open_at = None
        elif c in OPENING and open_at is None:
            open_at, closer = i + 1, OPENING[c]
        elif c in OPENING and c != '"':
            problems.append(f"unclosed quote mark at offset {open_at - 1}")
            open_at, closer = i + 1, OPENING[c]
        i += 1
    if open_at is not None:
        problems.append(f"unclosed quote mark at offset {open_at - 1}")
    return spans, problems


@dataclass
class _Found:
    """A quote being attributed, in doc coordinates."""

    start: int
    end: int
    cue: Token | None
    speaker_token: Token | None
    rule: str


def extract_quotes(
    doc: Doc,
    offset: int,
    mentions: list[Mention],
    sentence_of: dict[int, int],
    salience: Salience,
) -> tuple[list[Quote], list[Problem]]:
    """Quotes of one parsed chunk, attributed; ``salience`` carries who the text is about."""
    spans, marks = find_quote_marks(doc.text)
    problems = [Problem(source="", reason=m) for m in marks]
    by_token = _mention_index(doc, offset, mentions)
    quote_tokens = _tokens_in_spans(doc, spans)
    found = [f for s in spans if (f := _attribute(doc, s, quote_tokens)) is not None]
    quotes: list[Quote] = []
    previous: Quote | None = None
    for item in found:
        sentence = sentence_of[
            doc.char_span(item.start, item.end, alignment_mode="expand").sent.start
        ]
        salience.advance_to(sentence)
        who, rule = _speaker_mention(item, by_token, salience)
        speaker = Span(who.start, who.end) if who is not None else None
        if speaker is None and item.cue is None and previous is not None and previous.speaker:
            if salience.continues(previous, sentence):
                speaker, rule = previous.speaker, "continuation"
        if item.cue is None and speaker is None and _too_short(doc.text[item.start : item.end]):
            continue
        quote = Quote(
            start=offset + item.start,
            end=offset + item.end,
            text=doc.text[item.start : item.end],
            kind=_kind(doc, item),
            sentence=sentence,
            cue=item.cue.lemma_.lower() if item.cue is not None else "",
            cue_start=offset + item.cue.idx if item.cue is not None else None,
            speaker=speaker,
            speaker_text=_speaker_text(item, speaker, doc, offset),
            addressee=_addressee(item.cue, by_token, offset),
            about=tuple(
                Span(m.start, m.end)
                for m in _inside(mentions, offset + item.start, offset + item.end)
            ),
            rule=rule if speaker else (rule + ":unresolved" if rule else "no-cue"),
        )
        if who is not None:
            salience.note_speaker(who, sentence)
        quotes.append(quote)
        previous = quote
    return quotes, problems


def _too_short(text: str) -> bool:
    return len([w for w in text.split() if any(ch.isalnum() for ch in w)]) < MIN_WORDS


def _tokens_in_spans(doc: Doc, spans: list[MarkedSpan]) -> set[int]:
    inside: set[int] = set()
    for s in spans:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None:
            inside.update(range(span.start, span.end))
    return inside


def _attribute(doc: Doc, marked: MarkedSpan, quote_tokens: set[int]) -> _Found | None:
    """Find the cue of a marked span; drop scare quotes and titles (short, no cue)."""
    span = doc.char_span(marked.start, marked.end, alignment_mode="expand")
    if span is None or not span.text.strip():
        return None
    words = [t for t in span if not t.is_punct and not t.is_space]
    sents = {t.sent.start: t.sent for t in (span[0], span[-1])}
    region = [t for s in sents.values() for t in s if t.i not in quote_tokens]
    cue = _best_cue(region, span)
    if len(words) < MIN_WORDS:
        linked = cue is not None and _linked(cue, span)
        if not linked or len(words) < 2:
            return None
    if cue is None:
        return _Found(marked.start, marked.end, None, None, "")
    subject, rule = _cue_subject(cue)
    return _Found(marked.start, marked.end, cue, subject, rule)


def _is_cue(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        return lemma in reporting_verbs()
    if token.pos_ == "NOUN":
        return lemma in cue_nouns() or token.lower_ in ("warning", "claims")
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def _best_cue(region: Iterable[Token], quote: object) -> Token | None:
    from spacy.tokens import Span as SpacySpan

    assert isinstance(quote, SpacySpan)
    best: tuple[int, int, int] | None = None
    choice = None
    for token in region:
        if not _is_cue(token):
            continue
        linked = 0 if _linked(token, quote) else 1
        distance = min(abs(token.idx - quote.start_char), abs(token.idx - quote.end_char))
        rank = (linked, 0 if token.pos_ != "NOUN" else 1, distance)
        if best is None or rank < best:
            best, choice = rank, token
    return choice


def _linked(cue: Token, quote: object) -> bool:
    """True when the cue governs a token of the quote or a quote token governs the cue."""
    tokens = list(quote)  # type: ignore[call-overload]
    ids = {t.i for t in tokens}
    if any(a.i in ids for a in cue.ancestors):
        return True
    return any(cue.is_ancestor(t) for t in tokens)


def _cue_subject(cue: Token) -> tuple[Token | None, str]:
    """The token naming who speaks, and the rule that found it."""
    if cue.lower_ == "according":
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        return obj, "according-to"
    if cue.pos_ == "NOUN":
        for child in cue.children:
            if child.dep_ == "poss":
                return child, "cue-noun-possessor"
        return gerund_agent(cue), "cue-noun-nearest"
    verb: Token | None = cue
    while verb is not None:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.dep_ != "expl":
                agent = _passive_agent(verb)
                return (agent or child), "cue-subject"
        if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
            verb = verb.head
            continue
        break
    return gerund_agent(cue), "cue-nearest"


def _passive_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def gerund_agent(cue: Token) -> Token | None:
    """ "with the likes of X, ..., warning that": the nearest name before a subjectless cue."""
    sent = cue.sent
    for token in reversed(list(sent)[: cue.i - sent.start]):
        if token.ent_type_ == "PERSON" and cue.i - token.i <= 20:
            return token
    return None


def _mention_index(doc: Doc, offset: int, mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it (mentions of this chunk only)."""
    index: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if span is None:
            continue
        for i in range(span.start, span.end):
            index[i] = m
    return index


def _speaker_mention(
    item: _Found, by_token: dict[int, Mention], salience: Salience
) -> tuple[Mention | None, str]:
    token = item.speaker_token
    if token is None:
        return None, item.rule
    mention = _mention_for(token, by_token)
    if mention is not None and mention.kind in SPEAKER_KINDS:
        return mention, item.rule
    if token.lower_ in PRONOUNS:
        resolved = resolve_pronoun(token, by_token, salience, item.cue)
        if resolved is not None:
            return resolved, item.rule + "+antecedent"
        return None, item.rule + "+antecedent"
    return None, item.rule


def _mention_for(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The mention a subject token names: itself, or a name in its noun phrase."""
    if token.i in by_token:
        return by_token[token.i]
    for child in token.children:
        if child.dep_ in ("compound", "appos", "flat") and child.i in by_token:
            if by_token[child.i].kind in SPEAKER_KINDS:
                return by_token[child.i]
    return None


def _speaker_text(item: _Found, speaker: Span | None, doc: Doc, offset: int) -> str:
    token = item.speaker_token
    if token is not None:
        return token.text if token.pos_ == "PRON" else _phrase(token)
    if speaker is not None:
        return doc.text[speaker.start - offset : speaker.end - offset]
    return ""


def _phrase(token: Token) -> str:
    left = min(t.i for t in token.subtree if t.i <= token.i and t.dep_ != "punct")
    return token.doc[left : token.i + 1].text


def _addressee(cue: Token | None, by_token: dict[int, Mention], offset: int) -> Span | None:
    """ "he told the Associated Press": the object of tell, or "said to X"."""
    if cue is None:
        return None
    targets = [c for c in cue.children if c.dep_ in ("dobj", "dative")]
    for prep in cue.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ == "to":
            targets.extend(c for c in prep.children if c.dep_ == "pobj")
    for target in targets:
        mention = _mention_for(target, by_token)
        if mention is not None and mention.kind in SPEAKER_KINDS:
            return Span(mention.start, mention.end)
    return None


def _inside(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.start >= start and m.end <= end and m.kind != "event"]


def _kind(doc: Doc, item: _Found) -> str:
    """direct: a whole utterance; mixed: a fragment woven into reported speech."""
    content = doc.text[item.start : item.end].lstrip(" .…")
    before = doc.text[max(0, item.start - 3) : item.start - 1].rstrip()
    starts_upper = bool(content) and (content[0].isupper() or content[0].isdigit())
    opens_clause = before == "" or before[-1:] in ",:.\n—" or before.endswith("\n")
    return "direct" if starts_upper and opens_clause else "mixed"
