"""The linking stage: many mentions in many articles -> one canonical entity per real-world thing.

Near-linear by construction: mentions are grouped by normalized keys (name key, surname key,
acronym, GeoNames id) and only members of one block are ever compared.

- kind: the kind an entity's mentions vote for, with gazetteer places weighing in;
- people: a bare surname attaches to the full name in the same article, else to the one person in
  the corpus it fits; full names merge across articles when surnames fold together
  (Zelensky/Zelenskyy) and given names do not conflict (John Smith is never Jane Smith);
- organizations: name keys without articles/suffixes, and acronyms against long forms (AP / The
  Associated Press) when exactly one long form fits;
- places: GeoNames records (the article's countries break homonyms); demonyms link to countries;
- events: the canonical name the event rules give, located at their place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg import names
from kg.records import ArticleExtraction, Entity, Mention

MentionRef = tuple[str, int, int]  # (article id, start, end)


@dataclass(frozen=True)
class _Item:
    """One mention (or byline/publisher name) on its way to an entity."""

    article: str
    start: int
    end: int
    text: str
    kind: str
    label: str
    counted: bool = True
    place: str = ""
    date: str = ""

    @property
    def ref(self) -> MentionRef:
        return (self.article, self.start, self.end)


@dataclass
class EntityIndex:
    """Canonical entities and which entity each mention refers to."""

    entities: dict[str, Entity] = field(default_factory=dict)
    link: dict[MentionRef, str] = field(default_factory=dict)
    authors: dict[str, list[str]] = field(default_factory=dict)  # article id -> person keys
    publishers: dict[str, str] = field(default_factory=dict)  # article id -> organization key

    def entity_of(self, article: str, start: int, end: int) -> Entity | None:
        key = self.link.get((article, start, end))
        return self.entities.get(key) if key else None


def resolve_entities(extractions: Sequence[ArticleExtraction]) -> EntityIndex:
    """Link every mention of every article to a canonical entity."""
    items = list(_items(extractions))
    kinds = _vote_kinds(items)
    items = [_with_kind(item, kinds) for item in items]
    clusters: list[list[_Item]] = []
    by_kind: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    clusters.extend(_link_people(by_kind["person"]))
    clusters.extend(_link_organizations(by_kind["organization"]))
    place_clusters, place_records = _link_places(by_kind["place"], extractions)
    clusters.extend(place_clusters)
    clusters.extend(_link_events(by_kind["event"]))
    return _index(clusters, place_records)


def _items(extractions: Sequence[ArticleExtraction]) -> Iterable[_Item]:
    for ex in extractions:
        aid = ex.article.id
        for m in ex.mentions:
            yield _Item(aid, m.start, m.end, m.text, m.kind, m.label, True, m.place, m.date)
        for n, author in enumerate(ex.article.authors):
            yield _Item(aid, -1 - n, -1 - n, author, "person", "AUTHOR", False)
        if ex.article.publisher:
            yield _Item(aid, -1000, -1000, ex.article.publisher, "organization", "PUBLISHER", False)


def _vote_key(item: _Item) -> str:
    return names.name_key(item.text, "person" if item.kind == "person" else "organization")


def _vote_kinds(items: list[_Item]) -> dict[str, str]:
    """The kind each surface name's mentions vote for; gazetteer places weigh in."""
    from kg.gazetteer import is_place_name

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        if item.label in ("AUTHOR", "PUBLISHER", "NORP", "PERSON-PROPAGATED") or item.kind == "event":
            continue
        votes[_vote_key(item)][item.kind] += 1
    texts = {_vote_key(i): i.text for i in items}
    decided: dict[str, str] = {}
    for key, counter in votes.items():
        if (
            is_place_name(names.clean_mention(texts[key], "place"))
            and counter["person"] <= counter.total() / 2
        ):
            counter["place"] += counter.total()
        decided[key] = min(counter, key=lambda k: (-counter[k], k))
    return decided


def _with_kind(item: _Item, kinds: dict[str, str]) -> _Item:
    if item.label in ("AUTHOR", "PUBLISHER", "NORP") or item.kind == "event":
        return item
    kind = kinds.get(_vote_key(item), item.kind)
    if kind == item.kind:
        return item
    return _Item(item.article, item.start, item.end, item.text, kind, item.label, item.counted)


# --- people ---------------------------------------------------------------------------------


def _link_people(items: list[_Item]) -> list[list[_Item]]:
    """Full names cluster across the corpus; bare names attach to a full name that fits."""
    full = [i for i in items if len(names.person_parts(i.text)[0]) > 0]
    bare = [i for i in items if len(names.person_parts(i.text)[0]) == 0]
    clusters = _cluster_full_names(full)
    by_article: dict[str, list[int]] = defaultdict(list)
    for number, cluster in enumerate(clusters):
        for article in sorted({i.article for i in cluster}):
            by_article[article].append(number)
    surname_index: dict[str, list[int]] = defaultdict(list)
    for number, cluster in enumerate(clusters):
        surname_index[names.person_parts(cluster[0].text)[1]].append(number)
    leftovers: dict[str, list[_Item]] = defaultdict(list)
    for item in sorted(bare, key=lambda i: i.ref):
        target = _attach_bare(item, clusters, by_article, surname_index)
        if target is None:
            leftovers[
                names.person_parts(item.text)[1] or names.name_key(item.text, "person")
            ].append(item)
        else:
            clusters[target].append(item)
    return clusters + [leftovers[k] for k in sorted(leftovers)]


def _cluster_full_names(full: list[_Item]) -> list[list[_Item]]:
    """Complete-link clustering within surname blocks: every pair in a cluster must be compatible."""
    blocks: dict[str, list[_Item]] = defaultdict(list)
    for item in full:
        surname = names.person_parts(item.text)[1]
        blocks[surname[:4]].append(item)
    clusters: list[list[_Item]] = []
    for block in (blocks[k] for k in sorted(blocks)):
        forms = Counter(names.clean_mention(i.text, "person") for i in block)
        order = sorted(forms, key=lambda f: (-len(names.person_parts(f)[0]), -forms[f], f))
        groups: list[list[str]] = []
        for form in order:
            home = next(
                (g for g in groups if all(names.compatible_persons(form, o) for o in g)), None
            )
            if home is None:
                groups.append([form])
            else:
                home.append(form)
        group_of = {form: n for n, g in enumerate(groups) for form in g}
        members: list[list[_Item]] = [[] for _ in groups]
        for item in block:
            members[group_of[names.clean_mention(item.text, "person")]].append(item)
        clusters.extend(members)
    return clusters


def _attach_bare(
    item: _Item,
    clusters: list[list[_Item]],
    by_article: dict[str, list[int]],
    surname_index: dict[str, list[int]],
) -> int | None:
    """The cluster a bare "Zelensky" belongs to: same article first, else the one corpus candidate."""
    text = names.clean_mention(item.text, "person")
    local = [n for n in by_article.get(item.article, []) if _fits(text, clusters[n])]
    if len(local) == 1:
        return local[0]
    if len(local) > 1:
        before = [
            n
            for n in local
            if any(i.article == item.article and i.start < item.start for i in clusters[n])
        ]
        return (before or local)[-1] if len(before) <= 1 else None
    surname = names.person_parts(text)[1]
    candidates = {n for n in surname_index.get(surname, []) if _fits(text, clusters[n])}
    if not candidates:
        candidates = {
            n
            for block in _near_surnames(surname, surname_index)
            for n in block
            if _fits(text, clusters[n])
        }
    return next(iter(candidates)) if len(candidates) == 1 else None


def _near_surnames(surname: str, surname_index: dict[str, list[int]]) -> list[list[int]]:
    return [v for k, v in surname_index.items() if k[:4] == surname[:4] and k != surname]


def _fits(bare: str, cluster: list[_Item]) -> bool:
    return names.compatible_persons(bare, names.clean_mention(cluster[0].text, "person"))


# --- organizations --------------------------------------------------------------------------


def _link_organizations(items: list[_Item]) -> list[list[_Item]]:
    """Group by name key, then fold acronyms into the one long form they abbreviate."""
    groups: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        key = (
            names.acronym_key(item.text)
            if names.is_acronym(item.text)
            else names.name_key(item.text, "organization")
        )
        groups[key].append(item)
    long_forms: dict[str, list[str]] = defaultdict(list)
    for key, members in groups.items():
        acronym = names.acronym_of(names.clean_mention(members[0].text, "organization"))
        if acronym and acronym != key:
            long_forms[acronym].append(key)
    for short in sorted(k for k in groups if k in long_forms):
        targets = sorted(set(long_forms[short]))
        if len(targets) == 1 and targets[0] in groups:
            groups[targets[0]].extend(groups.pop(short))
    return [groups[k] for k in sorted(groups)]


# --- places ---------------------------------------------------------------------------------


def _link_places(
    items: list[_Item], extractions: Sequence[ArticleExtraction]
) -> tuple[list[list[_Item]], dict[str, object]]:
    """Group places by GeoNames record; unknown places by name key."""
    from kg.gazetteer import country_for_demonym, lookup_place

    context = _article_countries(items)
    groups: dict[str, list[_Item]] = defaultdict(list)
    records: dict[str, object] = {}
    for item in items:
        text = names.clean_mention(item.text, "place")
        record = country_for_demonym(item.text) if item.label == "NORP" else None
        record = record or lookup_place(text, context.get(item.article, ())) or country_for_demonym(text)
        if record is not None:
            key = f"geonames:{record.geonameid}" if record.geonameid else f"name:{record.name}"
            records[key] = record
        else:
            key = "text:" + names.name_key(item.text, "place")
        groups[key].append(item)
    return [groups[k] for k in sorted(groups)], records


def _article_countries(items: list[_Item]) -> dict[str, tuple[str, ...]]:
    """Per article, the country codes of its place mentions, most mentioned first."""
    from kg.gazetteer import country_for_demonym, lookup_place

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        record = country_for_demonym(item.text) if item.label == "NORP" else lookup_place(item.text)
        if record is not None and record.feature == "country":
            counts[item.article][record.country_code] += 1
    return {a: tuple(sorted(c, key=lambda k: (-c[k], k))) for a, c in counts.items()}


# --- events ---------------------------------------------------------------------------------


def _link_events(items: list[_Item]) -> list[list[_Item]]:
    groups: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        groups[names.name_key(_event_name(item), "event")].append(item)
    return [groups[k] for k in sorted(groups)]


def _event_name(item: _Item) -> str:
    if item.label.startswith("EVENT-RULE:"):
        return item.label.split(":", 1)[1]
    return names.clean_mention(item.text, "event")


# --- canonical entities ---------------------------------------------------------------------


def _index(clusters: list[list[_Item]], place_records: dict[str, object]) -> EntityIndex:
    index = EntityIndex()
    named = [(c, _canonical(c, place_records)) for c in clusters if c]
    named.sort(key=lambda pair: (pair[0][0].kind, pair[1][0], min(i.ref for i in pair[0])))
    taken: Counter[str] = Counter()
    for cluster, (name, record) in named:
        kind = _final_kind(cluster)
        slug = f"{kind}/{names.slugify(name)}"
        taken[slug] += 1
        key = slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
        entity = _entity(key, kind, name, cluster, record)
        index.entities[key] = entity
        for item in cluster:
            if item.label == "AUTHOR":
                index.authors.setdefault(item.article, []).append(key)
            elif item.label == "PUBLISHER":
                index.publishers[item.article] = key
            else:
                index.link[item.ref] = key
    _locate_events(index, clusters)
    return index


def _final_kind(cluster: list[_Item]) -> str:
    votes = Counter(i.kind for i in cluster)
    return min(votes, key=lambda k: (-votes[k], k))


def _canonical(cluster: list[_Item], place_records: dict[str, object]) -> tuple[str, object | None]:
    kind = cluster[0].kind
    if kind == "place":
        for item in cluster:
            key = _place_key(item, place_records)
            if key in place_records:
                record = place_records[key]
                return record.name, record  # type: ignore[attr-defined]
    if kind == "event":
        forms = Counter(_event_name(i) for i in cluster)
    else:
        forms = Counter(
            names.clean_mention(i.text, kind)
            for i in cluster
            if i.label != "NORP"
            and not (kind == "organization" and names.is_acronym(i.text) and len(cluster) > 1)
        ) or Counter(names.clean_mention(i.text, kind) for i in cluster)
    richest = max(len(f.split()) for f in forms)
    best = min(forms, key=lambda f: (-(len(f.split()) == richest), -forms[f], -len(f), f))
    return best, None


def _place_key(item: _Item, place_records: dict[str, object]) -> str:
    from kg.gazetteer import country_for_demonym, lookup_place

    record = country_for_demonym(item.text) if item.label == "NORP" else None
    text = names.clean_mention(item.text, "place")
    record = record or lookup_place(text) or country_for_demonym(text)
    if record is None:
        return ""
    return f"geonames:{record.geonameid}" if record.geonameid else f"name:{record.name}"


def _entity(key: str, kind: str, name: str, cluster: list[_Item], record: object | None) -> Entity:
    from kg.gazetteer import geonames_iri

    aliases = {_surface(i.text) for i in cluster if i.label != "NORP"}
    aliases |= {names.clean_mention(i.text, kind) for i in cluster if i.label != "NORP"}
    if kind == "event":
        aliases = {_surface(i.text) for i in cluster}
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


def _surface(text: str) -> str:
    text = " ".join(text.split())
    for tail in ("’s", "'s"):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text.lstrip("@")


def _locate_events(index: EntityIndex, clusters: list[list[_Item]]) -> None:
    """An event's location: the place entity its phrase names (most often)."""
    by_article_text: dict[tuple[str, str], str] = {}
    for cluster in clusters:
        for item in cluster:
            key = index.link.get(item.ref)
            if key and key.startswith("place/"):
                by_article_text[(item.article, _surface(item.text))] = key
    for cluster in clusters:
        places = Counter(
            by_article_text[(i.article, _surface(i.place))]
            for i in cluster
            if i.place and (i.article, _surface(i.place)) in by_article_text
        )
        if not places:
            continue
        event_key = index.link.get(cluster[0].ref)
        if event_key:
            index.entities[event_key].location = min(places, key=lambda k: (-places[k], k))
