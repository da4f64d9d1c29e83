"""Transcripts: lines that open with a speaker's name in capitals and a colon.

    WALLACE: Let's start with breaking news on the debate story. ...
    PENCE: Well, look, Hillary Clinton apparently thinks this is an episode of "Shark Tank." ...

News sites print interviews this way, often quoted paragraph by paragraph (each line opening
with a quote mark, only the last one closed). Each turn is a direct quote of the person named,
whatever the quote marks and cue verbs inside it would say; ``kg.quotes`` puts the turns in place
of what it found over them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.attribution import text_of
from kg.records import Mention
from kg.speakers import subject_mention

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Doc

__all__ = ["mention_over", "people_by_surname", "transcript_speakers", "transcript_turns"]

_TURN = re.compile(r"(?m)^[ \t]*([\"“]?)([A-Z][A-Z.'’ -]{1,30}[A-Z.]):[ \t]+(?=\S)")
_STAGE_DIRECTION = re.compile(r"[\"“]?\s*[(\[][^)\]]*[)\]]\W*")  # "(CROSSTALK)", "[LAUGHTER]"
_NOT_SPEAKERS = frozenset({
    "UPDATE", "UPDATED", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "CORRECTION", "WATCH", "VIDEO",
    "AUDIO", "PHOTO", "PHOTOS", "READ MORE", "RELATED", "BREAKING", "EXCLUSIVE", "SOURCE",
    "SOURCES", "TRANSCRIPT", "ADVERTISEMENT", "CLICK HERE", "LISTEN", "MORE",
})  # fmt: skip
MIN_TURNS = 2  # lines of "NAME: ..." that make a transcript


def _turn_heads(text: str) -> list[re.Match[str]]:
    """The 'NAME:' openings of a transcript's lines; none unless there are MIN_TURNS."""
    heads = [m for m in _TURN.finditer(text) if m.group(2).strip() not in _NOT_SPEAKERS]
    return heads if len(heads) >= MIN_TURNS else []


def people_by_surname(mentions: Iterable[Mention]) -> dict[str, Mention]:
    """Person mentions by their last word in capitals ('PENCE' -> the mention 'Mike Pence')."""
    people: dict[str, Mention] = {}
    for mention in mentions:
        if mention.kind == "person" and mention.text.split():
            people.setdefault(mention.text.split()[-1].upper(), mention)
    return people


def transcript_speakers(
    doc: Doc,
    offset: int,
    by_token: dict[int, Mention],
    sentence_of: dict[int, int],
) -> list[Mention]:
    """Speakers of a transcript's turns the NER missed ('JAKE TAPPER:', 'BOULDUAN:'), as person
    mentions (label SPEAKER) so that the linker names them; a name the text gives in full
    elsewhere ('PENCE:' and 'Mike Pence') needs none."""
    people = people_by_surname(by_token.values())
    found: dict[int, Mention] = {}
    for head in _turn_heads(text_of(doc)):
        name = head.group(2).strip()
        span = doc.char_span(head.start(2), head.start(2) + len(name), alignment_mode="expand")
        if span is None or not name.isupper() or name.split()[-1].strip(".") in people:
            continue
        if any(t.i in by_token or t.i in found for t in span):
            continue
        found[span.start] = subject_mention(
            doc, offset, sentence_of, span.start, span.end, "person", "SPEAKER"
        )
    return list(found.values())


def transcript_turns(
    doc: Doc, by_token: dict[int, Mention], min_words: int = 1
) -> list[tuple[int, int, Mention | None]]:
    """A transcript ('WALLACE: Let's start ...' / 'PENCE: Well, look, ...'): two or more lines
    open with a speaker's name in capitals and a colon. Each turn is a direct quote of that
    speaker, up to the next turn or stage direction ('(CROSSTALK.)'); a turn whose line opens
    with a quote mark (a transcript quoted paragraph by paragraph) runs on over the following
    lines that open with one. The name is the person the text names in full ('PENCE': Mike
    Pence) or the mention over it (transcript_speakers), if any: (start, end, mention) per turn
    of ``min_words`` words or more."""
    text = text_of(doc)
    heads = _turn_heads(text)
    if not heads:
        return []
    people = people_by_surname(by_token.values())
    out: list[tuple[int, int, Mention | None]] = []
    for k, head in enumerate(heads):
        start = head.end()
        stop = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        end = _turn_end(text, start, stop, quoted=bool(head.group(1)))
        if len(text[start:end].split()) < min_words:
            continue
        name = head.group(2).strip()
        mention = people.get(name.split()[-1].strip(".")) if name.isupper() else None
        if mention is None:
            mention = mention_over(doc, by_token, head.start(2), head.start(2) + len(name))
        out.append((start, end, mention))
    return out


def mention_over(doc: Doc, by_token: dict[int, Mention], start: int, end: int) -> Mention | None:
    """The one mention over the characters ``start``..``end`` of the doc, if one covers them all."""
    span = doc.char_span(start, end, alignment_mode="expand")
    named = {by_token.get(t.i) for t in span} if span is not None else {None}
    return next(iter(named)) if len(named) == 1 else None


def _turn_end(text: str, start: int, stop: int, quoted: bool) -> int:
    """Where a turn's words end: its line's end, or for a quoted transcript the end of the last
    following line that opens with a quote mark, before ``stop``, a stage direction or a line
    that does not; a closing quote mark at the very end is not part of the words."""
    end = text.find("\n", start)
    end = stop if end < 0 or end > stop else end
    while quoted and end < stop:
        line_start = end
        while line_start < stop and text[line_start].isspace():
            line_start += 1
        line_end = text.find("\n", line_start)
        line_end = stop if line_end < 0 or line_end > stop else line_end
        line = text[line_start:line_end]
        if not line.startswith(('"', "“")) or _STAGE_DIRECTION.fullmatch(line.strip()):
            break
        end = line_end
    words = text[start:end].rstrip()
    if words.endswith(('"', "”")) and words.count(words[-1]) % 2 == 1:
        words = words[:-1].rstrip()
    return start + len(words)
