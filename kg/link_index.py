"""The linker's result: one canonical entity per cluster (its kind, name, key, aliases, GeoNames
record or knowledge-base entry), which entity each mention refers to, and why mentions merged."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg import names
from kg.link_base import MentionRef, _Item, _Links, _surface
from kg.link_orgs import known_full_name
from kg.link_people import reigning_name
from kg.link_places import _event_name
from kg.records import Entity, Problem

if TYPE_CHECKING:
    from kg.kb import KbEntry


@dataclass
class EntityIndex:
    """Canonical entities, which entity each mention refers to, and why mentions were merged."""

    entities: dict[str, Entity] = field(default_factory=dict)
    link: dict[MentionRef, str] = field(default_factory=dict)
    authors: dict[str, list[str]] = field(default_factory=dict)  # article id -> person keys
    publishers: dict[str, str] = field(default_factory=dict)  # article id -> organization key
    merged_by: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> rule -> merges
    problems: list[Problem] = field(default_factory=list)  # judgements that matched nothing
    refused_merges: int = 0  # merges a "different" judgement refused

    def entity_of(self, article: str, start: int, end: int) -> Entity | None:
        key = self.link.get((article, start, end))
        return self.entities.get(key) if key else None

    def rule_counts(self) -> dict[str, int]:
        """Merges per rule over all entities."""
        total: Counter[str] = Counter()
        for rules in self.merged_by.values():
            total.update(rules)
        return dict(sorted(total.items()))


# --- canonical entities ---------------------------------------------------------------------


def _index(
    items: list[_Item],
    links: _Links,
    place_records: dict[int, object],
    kb_matches: dict[int, KbEntry],
    item_keys: list[str] | None = None,
) -> EntityIndex:
    index = EntityIndex()
    named = []
    for members in links.clusters():
        cluster = [items[n] for n in members]
        root = links.find(members[0])
        entry = kb_matches.get(root)
        kind = _final_kind(cluster)
        name, record = _canonical(
            cluster, kind, [place_records[n] for n in members if n in place_records]
        )
        if entry is not None:
            name = entry.label
        rules = links.rules.get(root)
        first = cluster[0].ref if len(cluster) == 1 else min(i.ref for i in cluster)
        named.append((cluster, name, record, entry, rules, members, kind, first))
    named = _tell_namesakes_apart(named)
    named.sort(key=lambda t: (t[0][0].kind, t[1], t[7]))
    taken: Counter[str] = Counter()
    for cluster, name, record, entry, rules, members, kind, _first in named:
        slug = f"{kind}/{names.slugify(name)}"
        taken[slug] += 1
        key = slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
        entity = _entity(key, kind, name, cluster, record)
        if entry is not None and entry.iri not in entity.same_as:
            entity.same_as = sorted([*entity.same_as, entry.iri])
        index.entities[key] = entity
        index.merged_by[key] = dict(sorted(rules.items())) if rules else {}
        if item_keys is not None:
            for n in members:
                item_keys[n] = key
        for item in cluster:
            if item.label == "AUTHOR":
                index.authors.setdefault(item.article, []).append(key)
            elif item.label == "PUBLISHER":
                index.publishers[item.article] = key
            else:
                index.link[item.ref] = key
    _locate_events(index, [t[0] for t in named])
    return index


def _tell_namesakes_apart(named: list[tuple]) -> list[tuple]:  # type: ignore[type-arg]
    """Cities of one name but different GeoNames records get what tells them apart, all but the
    one the articles mention most: "London" and "London, Ohio"; "Portland, Maine" and
    "Portland, Oregon" when neither leads. Countries and divisions keep their names."""
    from kg.gazetteer import place_qualifier

    weight: dict[str, Counter[object]] = {}
    for cluster, name, record, entry, *_rest in named:
        if record is not None and entry is None:
            weight.setdefault(name, Counter())[record] += len(cluster)
    out = []
    for t in named:
        name, record, entry = t[1], t[2], t[3]
        counts = weight.get(name) if record is not None and entry is None else None
        if counts and len(counts) > 1 and record.feature == "city":  # type: ignore[attr-defined]
            ranked = counts.most_common(2)
            leads = ranked[0][0] is record and ranked[0][1] > ranked[1][1]
            qualifier = "" if leads else place_qualifier(record)  # type: ignore[arg-type]
            if qualifier and qualifier != name:
                t = (t[0], f"{name}, {qualifier}", *t[2:])
        out.append(t)
    return out


def _final_kind(cluster: list[_Item]) -> str:
    if len(cluster) == 1:  # most clusters: no Counter needed
        return cluster[0].kind
    votes = Counter(i.kind for i in cluster)
    return min(votes, key=lambda k: (-votes[k], k))


# a peer's style and the name it goes with, ending a mention ("Minister Lord Falconer")
_PEER_STYLE = re.compile(
    r"\b(?:" + "|".join(sorted(names.PEERAGES | {"Lady"})) + r")\s+[A-Z][\w'’-]+$"
)


def _canonical(cluster: list[_Item], kind: str, records: list[object]) -> tuple[str, object | None]:
    """The name of a cluster of ``kind`` (its final kind) and its place record, if any."""
    if kind == "place" and records:
        record = records[0]  # one record per cluster: places cluster by record
        return record.name, record  # type: ignore[attr-defined]
    if kind == "event":
        forms = Counter(_event_name(i) for i in cluster)
    elif kind == "person" and all(reigning_name(i.text) for i in cluster if i.counted):
        forms = Counter(reigning_name(i.text) or i.text for i in cluster)
    else:
        forms = Counter(
            names.clean_mention(i.text, kind)
            for i in cluster
            if i.label != "NORP"
            and not (kind == "organization" and names.is_acronym(i.text) and len(cluster) > 1)
        ) or Counter(names.clean_mention(i.text, kind) for i in cluster)
    forms.pop("", None)
    if not forms:
        return cluster[0].text.strip() or "?", None
    if kind == "organization" and (known := known_full_name(forms)):
        return known, None  # "Conservative Party", however often "Tories" is written
    full = [f for f in forms if names.person_parts(f)[0]] if kind == "person" else []
    if full:
        # the full name the articles use most: "Barack Obama", not a rare "B. Hussein Obama";
        # a surname with its particle ("de Blasio") is no full name
        return min(full, key=lambda f: (-forms[f], -len(f.split()), -len(f), f)), None
    if kind == "person":
        # no given name anywhere: a peer is named by the style ("Lord Falconer", not "Falconer")
        styled = Counter(m.group(0) for i in cluster if (m := _PEER_STYLE.search(i.text.strip())))
        if styled:
            return min(styled, key=lambda f: (-styled[f], f)), None
    # the form with the most words, then the most used; a corporate suffix adds no word
    # ("Breitbart News" 30 times is not named by one "Breitbart News LLC")
    if kind == "organization":
        words = {f: len(names.without_corporate_suffix(f).split()) for f in forms}
    else:
        words = {f: len(f.split()) for f in forms}
    richest = max(words.values())
    best = min(forms, key=lambda f: (-(words[f] == richest), -forms[f], -len(f), f))
    return best, None


def _entity(key: str, kind: str, name: str, cluster: list[_Item], record: object | None) -> Entity:
    from kg.gazetteer import geonames_iri

    if kind == "event":
        aliases = {_surface(i.text) for i in cluster if not _plain_word(i.text)}
    else:
        aliases = {_surface(i.text) for i in cluster if i.label != "NORP"}
        aliases |= {names.clean_mention(i.text, kind) for i in cluster if i.label != "NORP"}
    aliases.discard(name)
    aliases.discard("")
    counted = [i for i in cluster if i.counted]
    entity = Entity(
        key=key,
        kind=kind,
        name=name,
        aliases=sorted(aliases),
        mention_count=len(counted),
        articles=sorted({i.article for i in counted}),
    )
    if record is not None:
        iri = geonames_iri(record)  # type: ignore[arg-type]
        entity.same_as = [iri] if iri else []
        entity.latitude = record.latitude  # type: ignore[attr-defined]
        entity.longitude = record.longitude  # type: ignore[attr-defined]
        entity.country = record.country_code  # type: ignore[attr-defined]
    dates = sorted({i.date for i in cluster if i.date})
    if kind == "event" and dates:
        entity.start_date = dates[0]
    return entity


def _plain_word(text: str) -> bool:
    """A lone lowercase word ("battle", "visited"): the event's name says more."""
    words = _surface(text).split()
    return len(words) <= 1 and _surface(text).islower()


def _locate_events(index: EntityIndex, clusters: list[list[_Item]]) -> None:
    """An event's location: the place entity its phrase names (most often); a place's, the
    place the text puts it in ("Springfield, Ill.": Illinois), when that is another place."""
    by_article_text: dict[tuple[str, str], str] = {}
    for cluster in clusters:
        for item in cluster:
            key = index.link.get(item.ref)
            if key and key.startswith("place/"):
                by_article_text.setdefault((item.article, _surface(item.text)), key)
    for cluster in clusters:
        if cluster[0].kind not in ("event", "place"):
            continue
        found = [
            key
            for i in cluster
            if i.place and (key := by_article_text.get((i.article, _surface(i.place))))
        ]
        if not found:  # most clusters: no Counter needed
            continue
        places = Counter(found)
        key = index.link.get(cluster[0].ref)
        places.pop(key, None)  # "New York, N.Y." is in itself
        if key and places:
            index.entities[key].location = min(places, key=lambda k: (-places[k], k))
