"""The quote stage's working records, shared by ``kg.quotes`` and ``kg.quote_lines``: the quote
marks of a doc, a quote being attributed (``Found``), and what counts as a cue or a speaker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.attribution import (
    SUBJECT_DEPS,
    cue_nouns,
    marks_of_tokens,
    not_reporting,
    puts_it,
    reporting_verbs,
)
from kg.attribution import sentence as sent_of
from kg.attribution_marks import MarkedSpan
from kg.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MIN_CONTENT_WORDS = 3  # reported content shorter than this ("he said so") is no quote
SPEAKER_KINDS = frozenset({"person", "organization"})


class Marks:
    """Marked spans of one doc, and which span (if any) holds each token."""

    def __init__(self, doc: Doc, spans: list[MarkedSpan]) -> None:
        self.spans = spans
        self.doc = doc
        self._of_token = marks_of_tokens(doc)  # from the same spans: quote_marks(doc)

    def of_token(self, i: int) -> int | None:
        return self._of_token[i]

    def quoted(self, i: int) -> bool:
        return self._of_token[i] is not None


@dataclass
class Found:
    """A quote being attributed, in doc coordinates."""

    start: int
    end: int
    kind: str
    cue: Token | None
    how: str
    marks: tuple[int, ...] = ()
    speaker_token: Token | None = None
    rule: str = ""
    nested: list[int] = field(default_factory=list)
    speaker: Mention | None = None  # known without a speaker token ("PENCE: ..." in a transcript)


def speaking(mention: Mention | None) -> Mention | None:
    return mention if mention is not None and mention.kind in SPEAKER_KINDS else None


def is_cue_token(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        if lemma == "put":
            return puts_it(token)
        return lemma in reporting_verbs() and not not_reporting(token)
    if token.pos_ == "NOUN":
        return lemma in cue_nouns()
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def verb_before_colon(
    doc: Doc, colon: int, marks: Marks, stops: tuple[str, ...] = ()
) -> Token | None:
    """The last verb with a subject before the colon at token ``colon``, in its sentence ("He
    said:", "Limbaugh added:"); None when a quoted word, or a word in ``stops``, comes first."""
    sentence = sent_of(doc[colon])
    for token in reversed(doc[sentence.start : colon]):
        if marks.quoted(token.i) or token.text in stops:
            return None
        if token.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in token.children):
            # "As Joel Pollak reported after the FBI appears to have abandoned the scene:": a
            # reporting verb whose clause runs on to the colon, not the last verb inside it
            reporting = (
                a
                for a in token.ancestors
                if a.i < token.i
                and is_cue_token(a)
                and any(c.dep_ in SUBJECT_DEPS for c in a.children)
                and not marks.quoted(a.i)
            )
            return next(reporting, token)
    return None
