"""Offices the corpus names: "the prime minister said" in an article that names Tony Blair but
never calls him prime minister is Tony Blair's, when the corpus calls one person by that title
again and again ("Prime Minister Tony Blair", "Chancellor Gordon Brown") and nobody else.

Within an article the speaker rules (kg.speakers) resolve "the prime minister" to the person the
text gave that role, else to the person the text is about, else leave it empty. This reduce
step, run on all extractions before linking (text only, no spaCy), learns which person the
corpus writes after each office's title: a government office (OFFICES), or a leader, secretary
or minister one or two capitalized words qualify ("Tory leader Michael Howard"; "German
Chancellor Gerhard Schroeder" holds no office of OFFICES' "chancellor"). It gives a quote whose
speaker is the bare office ("the chancellor") to the last mention of that person before it in
the same article: a quote left empty, and one the article's rules gave to the person it was
about at that point ("Mr Baume spoke of competing agendas. But the chancellor said Mr Baume was
never at meetings": not Mr Baume), unless the article itself gives that person the office
("German Chancellor Gerhard Schroeder ... the chancellor said"). An office held by two people
in the corpus (a change of government, "the president" of two countries) resolves nothing.
Pure: the same extractions give the same result in any order.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from kg import names
from kg.records import ArticleExtraction, Mention, Quote, Span

RULE = "+office"
_DESCRIPTION = "+description"  # the rule suffix of a speaker the article's rules described
# offices of government a bare "the ..." names; not "the chairman" or "the chief executive",
# whom every company has
OFFICES = (
    "prime minister", "deputy prime minister", "chancellor", "president", "vice president",
    "foreign secretary", "home secretary", "secretary of state", "attorney general",
)  # fmt: skip
# and offices a capitalized word or two qualify: "Tory leader", "Education Secretary", "Italian
# Prime Minister" (another office than the prime minister's)
_QUALIFIED = r"(?:[A-Z][\w-]*\s+){1,2}(?i:leader|secretary|minister)"
_TITLE_BEFORE = re.compile(
    r"(?:^|\n|[^\w\s]\s*|\b(?i:the|and|but|by|said|says|with|to|as|for|from|of)\s+)("
    + _QUALIFIED
    + "|(?i:"
    + "|".join(o.replace(" ", r"\s+") for o in sorted(OFFICES, key=len, reverse=True))
    + r"))\s+$"
)
_MIN_TITLED = 3  # times the corpus writes the office's title before the holder's name
_MIN_SHARE = 0.8  # of all the names it writes after that title


def resolve_offices(extractions: Sequence[ArticleExtraction]) -> list[ArticleExtraction]:
    """The extractions with empty speakers that are a bare office given to its holder (see the
    module docstring); extractions that change nothing are returned as they are."""
    holders = office_holders(extractions)
    if not holders:
        return list(extractions)
    return [_resolve(ex, holders) for ex in extractions]


def office_holders(extractions: Sequence[ArticleExtraction]) -> dict[str, str]:
    """Office ("prime minister") -> the person key (kg.names.name_key) the corpus writes after
    its bare title, when one person holds nearly all of them."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in extractions:
        text = ex.article.text
        for m in ex.mentions:
            if m.kind != "person" or len(m.text.split()) < 2:
                continue
            match = _TITLE_BEFORE.search(text, max(0, m.start - 40), m.start)
            if match is not None:
                office = " ".join(match.group(1).lower().split())
                seen[office][names.name_key(m.text, "person")] += 1
    out = {}
    for office, counts in seen.items():
        (key, n), total = counts.most_common(1)[0], counts.total()
        if n >= _MIN_TITLED and n >= _MIN_SHARE * total:
            out[office] = key
    return out


def _resolve(ex: ArticleExtraction, holders: dict[str, str]) -> ArticleExtraction:
    offices = [_office(q) for q in ex.quotes]
    opened = [o in holders and _open(q, ex, holders[o]) for q, o in zip(ex.quotes, offices)]
    if not any(opened):
        return ex
    people = sorted((m for m in ex.mentions if m.kind == "person"), key=lambda m: m.start)
    quotes = tuple(
        _given(q, holders[o], people) if go else q
        for q, o, go in zip(ex.quotes, offices, opened)
    )
    return dataclasses.replace(ex, quotes=quotes)


def _open(quote: Quote, ex: ArticleExtraction, key: str) -> bool:
    """Whether the corpus may name the holder (``key``) of the office ``quote``'s speaker text
    names: the speaker is empty, or the article's rules described another person, whom the
    article never gives that office (before or after a mention of that person: "Chancellor
    Gerhard Schroeder", "Mr Schroeder, the German chancellor")."""
    if quote.speaker is None:
        return True
    if not quote.rule.endswith(_DESCRIPTION):
        return False
    speaker = next((m for m in ex.mentions if m.start == quote.speaker.start), None)
    if speaker is None or speaker.kind != "person":
        return False
    if names.compatible_persons(speaker.text, key):
        return False  # the holder already
    office = "(?i:" + _office(quote).replace(" ", r"\s+") + ")"
    # the title right before a name ("Chancellor Gerhard Schroeder"), or in apposition after it
    titled = re.compile(rf"\b{office}\s+(?:[A-Z][\w'-]*\s+)?$")
    appositive = re.compile(rf",\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?{office}\b", re.IGNORECASE)
    text = ex.article.text
    return not any(
        titled.search(text, max(0, m.start - 40), m.start)
        or appositive.match(text, m.end, m.end + 60)
        for m in ex.mentions
        if m.kind == "person" and names.compatible_persons(m.text, speaker.text)
    )


def _office(quote: Quote) -> str:
    """The office a quote's speaker text names bare ("the prime minister"), else ""."""
    words = quote.speaker_text.lower().split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] == "the" else ""


def _given(quote: Quote, key: str, people: list[Mention]) -> Quote:
    """The quote given to the last mention of the holder (``key``) before it, if any."""
    surname = key.split()[-1] if key else ""
    holder = None
    for m in people:
        if m.start >= quote.start:
            break
        mention_key = names.name_key(m.text, "person")
        if mention_key == key or (" " not in mention_key and mention_key == surname):
            holder = m
    if holder is None:
        return quote
    rule = quote.rule.removesuffix(":unresolved").removesuffix(_DESCRIPTION) + RULE
    return dataclasses.replace(quote, speaker=Span(holder.start, holder.end), rule=rule)
