"""The mention stage: people, organizations, places and events named in a parsed article.

Statistical NER gives PERSON/ORG/GPE/LOC/FAC/NORP/EVENT spans; NORP demonyms ("Ukrainian") become
place mentions of their country; rules add event phrases ("the battle for Bakhmut", "full-scale war",
"Xi visited Putin in Russia") with their place and date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

KIND_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_TRIM_TAIL = frozenset({"'s", "’s", "'", "’", ",", ".", ":", ";", "-", "—", "–"})


@lru_cache(maxsize=1)
def event_rules() -> dict[str, Any]:
    """The event lexicon shipped as package data (kg/data/events.json)."""
    return json.loads(resources.files("kg.data").joinpath("events.json").read_text("utf-8"))


def extract_mentions(doc: Doc, offset: int, sentence_of: dict[int, int]) -> list[Mention]:
    """Named mentions of one parsed chunk; offsets are shifted by the chunk's ``offset``.

    ``sentence_of`` maps a sentence's first token index to the article-wide sentence number.
    """
    found = [m for ent in doc.ents if (m := _ent_mention(ent, offset, sentence_of))]
    found.extend(propagate_names(doc, offset, sentence_of, found))
    found.extend(extract_events(doc, offset, sentence_of, found))
    return found


def propagate_names(
    doc: Doc, offset: int, sentence_of: dict[int, int], found: list[Mention]
) -> list[Mention]:
    """One sense per discourse: a surname the NER found once is a person wherever it recurs.

    The small model misses "Zelenskyy predicted ..." at a sentence start; when the same article
    names "Volodymyr Zelenskyy" or "Zelensky" elsewhere, the proper noun is the same person
    (transliteration variants fold through ``names.surname_key``).
    """
    from kg.gazetteer import is_place_name
    from kg.names import surname_key

    surnames = {
        surname_key(m.text.split()[-1])
        for m in found
        if m.kind == "person" and m.label == "PERSON" and not is_place_name(m.text.split()[-1])
    }
    surnames.discard("")
    if not surnames:
        return []
    covered = {i for m in found for i in range(m.start - offset, m.end - offset)}
    extra = []
    for token in doc:
        if token.pos_ != "PROPN" or token.idx in covered or not token.text[:1].isupper():
            continue
        if token.ent_type_ and token.ent_type_ not in ("PERSON", "ORG", "NORP"):
            continue
        if len(token.text) < 3 or surname_key(token.text) not in surnames:
            continue
        extra.append(
            Mention(
                start=offset + token.idx,
                end=offset + token.idx + len(token.text),
                text=token.text,
                kind="person",
                label="PERSON-PROPAGATED",
                sentence=sentence_of[token.sent.start],
                role="subject" if token.dep_ in SUBJECT_DEPS else "",
            )
        )
    return extra


def _ent_mention(ent: Span, offset: int, sentence_of: dict[int, int]) -> Mention | None:
    label = ent.label_
    kind = KIND_OF_LABEL.get(label)
    if kind is None and label == "NORP":
        kind = "place" if _demonym_country(ent.text) else None
    if kind is None:
        return None
    span = _trim(ent)
    if span is not None and kind == "person":
        span = _with_honorific(span)
    if span is None or "\n" in span.text or not any(c.isalpha() for c in span.text):
        return None
    role = "subject" if span.root.dep_ in SUBJECT_DEPS else ""
    return Mention(
        start=offset + span.start_char,
        end=offset + span.end_char,
        text=span.text,
        kind=kind,
        label=label,
        sentence=sentence_of[span.sent.start],
        role=role,
    )


def _trim(span: Span) -> Span | None:
    """Drop whitespace, possessive marks and punctuation at the edges of an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_space or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in _TRIM_TAIL):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "mx"})


def _with_honorific(span: Span) -> Span:
    """ "Mr Zelensky": the honorific belongs to the mention (titles such as President do not)."""
    start = span.start
    if start > 0 and span.doc[start - 1].lower_.rstrip(".") in HONORIFICS:
        start -= 1
    return span.doc[start : span.end]


def _demonym_country(text: str) -> str | None:
    from kg.gazetteer import country_for_demonym

    record = country_for_demonym(text.strip())
    return record.name if record else None


def extract_events(
    doc: Doc, offset: int, sentence_of: dict[int, int], mentions: list[Mention]
) -> list[Mention]:
    """Event mentions from the rules in kg/data/events.json."""
    places = {m.start - offset: m for m in mentions if m.kind == "place" or _is_place(m.text)}
    events = list(_noun_events(doc, offset, sentence_of, places))
    events.extend(_phrase_events(doc, offset, sentence_of))
    events.extend(_visit_events(doc, offset, sentence_of, places, mentions))
    taken = {(m.start, m.end) for m in mentions}
    return [e for e in events if (e.start, e.end) not in taken]


def _is_place(text: str) -> bool:
    from kg.gazetteer import is_place_name

    return is_place_name(text)


def _place_at(token: Token, places: dict[int, Mention]) -> Mention | None:
    for start, mention in places.items():
        if start <= token.idx < start + (mention.end - mention.start):
            return mention
    return None


def _noun_events(
    doc: Doc, offset: int, sentence_of: dict[int, int], places: dict[int, Mention]
) -> Iterable[Mention]:
    rules = event_rules()["with_place"]
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = token.lemma_.lower()
        for rule in rules:
            if lemma not in rule["nouns"]:
                continue
            for prep in token.children:
                if prep.dep_ != "prep" or prep.lower_ not in rule["preps"]:
                    continue
                target = next((c for c in prep.children if c.dep_ == "pobj"), None)
                place = _place_at(target, places) if target is not None else None
                if place is None:
                    continue
                first = _left_edge(token)
                name = rule["name"].format(place=_strip_possessive(place.text), noun=lemma.title())
                yield Mention(
                    start=offset + doc[first].idx,
                    end=place.end,
                    text=doc.text[doc[first].idx : place.end - offset],
                    kind="event",
                    label="EVENT-RULE:" + name,
                    sentence=sentence_of[token.sent.start],
                    place=place.text,
                    date=_date_of(token),
                )


def _left_edge(token: Token) -> int:
    """The first token of the event noun phrase, without determiners or possessives."""
    first = token.i
    for child in token.lefts:
        if child.dep_ in ("amod", "compound", "nmod") and child.i < first:
            first = child.i
    return first


def _strip_possessive(text: str) -> str:
    for tail in ("'s", "’s"):
        if text.endswith(tail):
            return text[: -len(tail)]
    return text


def _date_of(token: Token) -> str:
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "on", "since"):
            for obj in prep.children:
                if obj.ent_type_ == "DATE" and obj.dep_ == "pobj":
                    return obj.text
    return ""


def _phrase_events(doc: Doc, offset: int, sentence_of: dict[int, int]) -> Iterable[Mention]:
    lowers = [t.lower_ for t in doc]
    for rule in event_rules()["phrases"]:
        phrase = rule["phrase"]
        n = len(phrase)
        for i in range(len(lowers) - n + 1):
            if lowers[i : i + n] != phrase:
                continue
            first, last = doc[i], doc[i + n - 1]
            head = doc[i + n - 1]
            yield Mention(
                start=offset + first.idx,
                end=offset + last.idx + len(last.text),
                text=doc.text[first.idx : last.idx + len(last.text)],
                kind="event",
                label="EVENT-RULE:" + rule["name"],
                sentence=sentence_of[first.sent.start],
                date=_date_of(head),
            )


def _visit_events(
    doc: Doc,
    offset: int,
    sentence_of: dict[int, int],
    places: dict[int, Mention],
    mentions: list[Mention],
) -> Iterable[Mention]:
    """ "Xi visited Putin in Russia": a visit Event by the subject to the place."""
    people = {m.start - offset: m for m in mentions if m.kind == "person"}
    for token in doc:
        if token.pos_ != "VERB" or token.lemma_ not in event_rules()["visit_verbs"]:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        visitor = _place_at(subject, people) if subject is not None else None
        place = _visit_place(token, places)
        if visitor is None or place is None:
            continue
        start, end = min(visitor.start, place.start), max(visitor.end, place.end)
        name = f"{_surname(visitor.text)} visit to {_strip_possessive(place.text)}"
        yield Mention(
            start=start,
            end=end,
            text=doc.text[start - offset : end - offset],
            kind="event",
            label="EVENT-RULE:" + name,
            sentence=sentence_of[token.sent.start],
            place=place.text,
            date="",
        )


def _visit_place(verb: Token, places: dict[int, Mention]) -> Mention | None:
    for child in verb.children:
        if child.dep_ == "dobj" and (place := _place_at(child, places)):
            return place
        if child.dep_ == "prep" and child.lower_ in ("in", "to"):
            for obj in child.children:
                if obj.dep_ == "pobj" and (place := _place_at(obj, places)):
                    return place
    return None


def _surname(text: str) -> str:
    words = text.replace("’s", "").replace("'s", "").split()
    return words[-1] if words else text
