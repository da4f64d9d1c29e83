"""Linking places, events and the user's knowledge base: places by GeoNames record (the article's
countries break homonyms), demonyms to their countries; events by the canonical name the event
rules give; clusters whose names match one knowledge-base entry merge and take it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from kg import names
from kg.link_base import _Item, _Links

if TYPE_CHECKING:
    from kg.kb import KbEntry, KnowledgeBase


# --- places ---------------------------------------------------------------------------------


def _link_places(items: list[_Item], members: list[int], links: _Links) -> dict[int, object]:
    """Group places by GeoNames record; unknown places by name key. Returns the record of each
    item that has one."""
    context = _article_countries(items, members)
    groups: dict[str, list[int]] = defaultdict(list)
    rules: dict[int, str] = {}
    records: dict[int, object] = {}
    for n in members:  # "Afghanistan, Iraq" is a list: keep the place after only if it holds
        if items[n].place and not _within(items[n], context):
            items[n] = replace(items[n], place="")
    found = {n: _place_record(items[n], context.get((items[n].article, items[n].text), ())) for n in members}  # fmt: skip
    # one place per name and article: "Springfield" after "Springfield, Ill." is that Springfield
    settled = {_article_name(items[n]): found[n] for n in members if items[n].place and found[n][0]}
    for n in members:
        unqualified = not items[n].place
        record, rule = settled.get(_article_name(items[n]), found[n]) if unqualified else found[n]
        if record is not None:
            key = f"geonames:{record.geonameid}" if record.geonameid else f"name:{record.name}"  # type: ignore[attr-defined]
            records[n] = record
        else:
            key = "text:" + names.name_key(items[n].text, "place")
        groups[key].append(n)
        rules[n] = rule
    for key in sorted(groups):
        group = groups[key]
        for n in group[1:]:
            links.union(group[0], n, rules[n])
    return records


def _within(item: _Item, context: dict[tuple[str, str], tuple[str, ...]]) -> bool:
    """Does the place after the comma hold this one ("Springfield, Ill.", "Davos, Switzerland")?"""
    return _in_its_place(item, context.get((item.article, item.text), ())) is not None


def _in_its_place(item: _Item, context: tuple[str, ...]) -> object | None:
    """The record of "Springfield" in "Springfield, Ill.": the one the place after it holds."""
    from kg.gazetteer import lookup_place

    return lookup_place(f"{names.clean_mention(item.text, 'place')}, {item.place}", context)


def _article_name(item: _Item) -> tuple[str, str]:
    return item.article, names.name_key(item.text, "place")


def _place_record(item: _Item, context: tuple[str, ...]) -> tuple[object | None, str]:
    from kg.gazetteer import country_for_demonym, lookup_place, state_abbreviation

    if item.label == "NORP":
        record = country_for_demonym(item.text)
        if record is not None:
            return record, "demonym"
    record = state_abbreviation(item.text)  # "Ill.", before cleaning makes it "Ill"
    if record is not None:
        return record, "geonames"
    text = names.clean_mention(item.text, "place")
    # "Springfield, Ill.": the state or country the text puts it in narrows the homonyms
    record = _in_its_place(item, context) if item.place else None
    record = record or lookup_place(text, context)
    if record is not None:
        return record, "geonames"
    record = country_for_demonym(text)
    if record is not None:
        return record, "demonym"
    return None, "same-name"


def _article_countries(
    items: list[_Item], members: list[int]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Per article and place name, the country codes the article's *other* place mentions lie
    in, most weight first (a country mention weighs 2, a city or division 1): "Georgia" in an
    article about Atlanta and the United States is the state."""
    from kg.gazetteer import country_for_demonym, settled_place

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    own: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for n in members:
        item = items[n]
        record = country_for_demonym(item.text) if item.label == "NORP" else settled_place(item.text)
        if record is not None and record.country_code:
            weight = 2 if record.feature == "country" else 1
            counts[item.article][record.country_code] += weight
            own[(item.article, item.text)][record.country_code] += weight
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for n in members:
        key = (items[n].article, items[n].text)
        if key not in out:  # one name recurs in its article: its context is the same
            # counts[article] - own[key] as Counters subtract (positive weights kept), no Counter
            mine = own.get(key, {})
            left = {c: w - mine.get(c, 0) for c, w in counts.get(key[0], {}).items()}
            out[key] = tuple(sorted((c for c in left if left[c] > 0), key=lambda c: (-left[c], c)))
    return out


# --- events ---------------------------------------------------------------------------------


def _link_events(items: list[_Item], members: list[int], links: _Links) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for n in members:
        groups[names.name_key(_event_name(items[n]), "event")].append(n)
    for key in sorted(groups):
        links.join(
            groups[key],
            "event-rule" if items[groups[key][0]].label.startswith("EVENT-RULE:") else "same-name",
        )


def _event_name(item: _Item) -> str:
    if item.label.startswith("EVENT-RULE:"):
        return item.label.split(":", 1)[1]
    return names.clean_mention(item.text, "event")


# --- the user's knowledge base --------------------------------------------------------------


def _link_kb(items: list[_Item], links: _Links, kb: KnowledgeBase) -> dict[int, KbEntry]:
    """Each cluster -> the KB entry most of its names match (when one does); clusters of one
    entry merge. Returns root item number -> entry."""
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    position = {id(e): i for i, e in enumerate(kb.entries)}
    for n, item in enumerate(items):
        for entry in kb.candidates(names.clean_mention(item.text, item.kind), item.kind):
            votes[links.find(n)][position[id(entry)]] += 1
    by_entry: dict[int, list[int]] = defaultdict(list)
    for root, counter in sorted(votes.items()):
        ranked = counter.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            by_entry[ranked[0][0]].append(root)
    out: dict[int, KbEntry] = {}
    for entry_no in sorted(by_entry):
        roots = by_entry[entry_no]
        for root in roots[1:]:
            links.union(roots[0], root, "knowledge-base")
        out[links.find(roots[0])] = kb.entries[entry_no]
    return out
