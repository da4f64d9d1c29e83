"""Plain data that flows between the stages.

No spaCy objects live here: every record is made of strings, numbers and tuples, round-trips to
JSON (``to_dict`` / ``from_dict``), and so can be cached by content hash or shipped to a worker.

Offsets (``start``/``end``) are Python string indices into ``Article.text`` (end exclusive): the
text as read (the decoded file, or the ``text`` field of a JSONL record).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

KINDS = ("person", "organization", "place", "event")
QUOTE_KINDS = ("direct", "mixed", "indirect")


@dataclass(frozen=True)
class Span:
    """A half-open character range into an article's text."""

    start: int
    end: int


# the space characters other than " " (Unicode Zs): each stands for one plain space
_ZS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACES = str.maketrans(dict.fromkeys(_ZS, " "))


@dataclass(frozen=True)
class Article:
    """One news article as read from disk, with the metadata the page gives.

    ``furniture`` lists character ranges of ``text`` that are not the article (captions, embedded
    tweet chrome, bylines, comment notices, category footers): they are masked before the NLP step
    so that offsets into ``text`` stay honest.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date, yyyy-mm-dd
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    url: str | None = None
    furniture: tuple[Span, ...] = ()

    def masked_text(self) -> str:
        """The text with furniture replaced by spaces (newlines kept), same length as ``text``;
        a no-break or thin space is a plain one, which the parser reads as it is meant (it
        takes "Stu\u00a0Burguiere" for two tokens and a space between, and no name)."""
        text = self.text.translate(_SPACES)
        if not self.furniture:
            return text
        chars = list(text)
        for span in self.furniture:
            for i in range(span.start, span.end):
                if chars[i] not in "\n":
                    chars[i] = " "
        return "".join(chars)


@dataclass(frozen=True)
class Problem:
    """Something the build could not read, reported by file (and line) with a one-line reason."""

    source: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class Mention:
    """A named mention of a person, organization, place or event in one article."""

    start: int
    end: int
    text: str
    kind: str  # one of KINDS: what this mention alone says
    label: str  # the NER label or rule that produced it (PERSON, GPE, NORP, EVENT-RULE, ...)
    sentence: int  # index into ArticleExtraction.sentences
    # "speaker": the subject of a reporting verb ("i-speaker" when the quoted words it reports
    # speak as "I"); "subject": of another verb; or ""
    role: str = ""
    # events: the text of the place the phrase names ("Bakhmut"); places: of the place the text
    # puts it in ("Ill." in "Springfield, Ill.")
    place: str = ""
    date: str = ""  # events: a date or year the phrase names


@dataclass(frozen=True)
class Quote:
    """A quotation and who said it.

    ``speaker`` points at the mention (by offsets) the speaker resolves to; it may lie in another
    sentence than the quote (a pronoun resolved to an antecedent). ``speaker_text`` is the text at
    the cue ("he", "Mr Zelensky"). ``rule`` names how the speaker was found.
    """

    start: int
    end: int
    text: str
    kind: str  # one of QUOTE_KINDS
    sentence: int
    cue: str = ""  # lemma of the reporting verb
    cue_start: int | None = None
    speaker: Span | None = None
    speaker_text: str = ""
    addressee: Span | None = None
    about: tuple[Span, ...] = ()
    rule: str = ""
    pieces: tuple[Span, ...] = ()  # a quote split by its cue: the quoted pieces (else empty)

    @property
    def words(self) -> str:
        """What the speaker said: ``text`` without the attribution that interrupts a split
        quote ('"A," he said. "B."' -> 'A, … B.')."""
        if not self.pieces:
            return self.text
        return " … ".join(
            self.text[p.start - self.start : p.end - self.start].strip() for p in self.pieces
        )


@dataclass(frozen=True)
class ArticleExtraction:
    """Everything the per-article step learns from one article: plain and serializable."""

    article: Article
    sentences: tuple[Span, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    problems: tuple[Problem, ...] = ()
    words: int = 0

    def sentence_text(self, index: int) -> str:
        span = self.sentences[index]
        return self.article.text[span.start : span.end].strip()

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleExtraction:
        art = dict(data["article"])
        art["authors"] = tuple(art.get("authors") or ())
        art["furniture"] = tuple(Span(**s) for s in art.get("furniture") or ())
        quotes = []
        for q in data["quotes"]:
            q = dict(q)
            q["speaker"] = Span(**q["speaker"]) if q.get("speaker") else None
            q["addressee"] = Span(**q["addressee"]) if q.get("addressee") else None
            q["about"] = tuple(Span(**s) for s in q.get("about") or ())
            q["pieces"] = tuple(Span(**s) for s in q.get("pieces") or ())
            quotes.append(Quote(**q))
        return cls(
            article=Article(**art),
            sentences=tuple(Span(**s) for s in data["sentences"]),
            mentions=tuple(Mention(**m) for m in data["mentions"]),
            quotes=tuple(quotes),
            problems=tuple(Problem(**p) for p in data.get("problems") or ()),
            words=data.get("words", 0),
        )


@dataclass
class Entity:
    """A canonical entity: what the linker made of many mentions."""

    key: str  # stable identifier (slug), unique per build, used in IRIs
    kind: str  # one of KINDS
    name: str  # canonical name
    aliases: list[str] = field(default_factory=list)  # every other surface form seen, sorted
    mention_count: int = 0
    articles: list[str] = field(default_factory=list)  # article ids, sorted
    same_as: list[str] = field(default_factory=list)  # external IRIs (GeoNames, Wikidata)
    latitude: float | None = None
    longitude: float | None = None
    location: str | None = None  # events, places: key of the Place entity it is in
    start_date: str | None = None  # events
    country: str | None = None  # places: ISO 3166 alpha-2
