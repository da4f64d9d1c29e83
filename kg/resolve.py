"""The linking stage: many mentions in many articles -> one canonical entity per real-world thing.

Near-linear by construction: every mention gets normalized keys (name key, surname key, acronym,
GeoNames id) and is only ever compared with the few candidates that share one of its keys; the
clusters are kept in a union-find that counts which rule made each merge (``merged_by``).

- kind: the kind a name's mentions vote for, gazetteer places weighing in; within an article, a
  name that is the surname of a person named there is that person ("Teixeira" the NER took for an
  organization in "Mark Teixeira"'s article);
- people: full names cluster across the corpus when surnames fold together (Zelensky/Zelenskyy)
  and given names do not conflict (John Smith is never Jane Smith); a bare surname attaches to the
  full name in the same article, else to the one person in the corpus it fits, else to the one
  whose articles share its article's other names (the topic);
- organizations: name keys without articles/suffixes; acronyms against the long form defined in
  the text ("Advanced Micro Devices (AMD)"), then one with those initials in the same article, in
  the corpus, or by topic; short forms ("Red Sox", "Colts") against the one longer name of the
  article or corpus that adds a place ("Boston Red Sox") or a generic word ("Staunton Police
  Department"); spelling variants (Centre/Center) and near-identical long names;
- places: GeoNames records (the article's countries break homonyms); demonyms link to countries;
- events: the canonical name the event rules give, located at their place;
- a user knowledge base (kg.kb): entities that match one entry merge, take its label and IRI.

Linking depends on the set of articles, never on their order.
"""

from __future__ import annotations

import dataclasses
import gc
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from kg import names
from kg.records import ArticleExtraction, Entity, Problem

if TYPE_CHECKING:
    from kg.judgements import Decisions, Judgements
    from kg.kb import KbEntry, KnowledgeBase

MentionRef = tuple[str, int, int]  # (article id, start, end)
_NON_VOTING = ("AUTHOR", "PUBLISHER", "NORP")
_MARGIN = 3
_CLAIM_MIN_POPULATION = 100_000
_PREFIX_MIN_POPULATION = 100_000
_MALE = frozenset({"mr", "sir", "lord", "baron", "master", "monsieur", "herr", "senor"})
_FEMALE = frozenset({"mrs", "ms", "miss", "lady", "dame", "baroness", "madam", "madame", "mme",
                     "frau", "senora"})  # fmt: skip
_REIGNING = ("crown prince", "crown princess", "prince", "princess", "king", "queen", "pope",
             "emperor", "empress", "sheikh", "sultan", "emir")  # fmt: skip
_REIGNING_RE = re.compile(
    r"^(?:the\s+)?(?P<title>" + "|".join(t.replace(" ", r"\s+") for t in _REIGNING) + r")\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:[IVX]+|(?:al|bin|bint|ibn)\b[\w\s'’-]*))?)$",
    re.IGNORECASE,
)  # "Boston Red Sox" -> "Red Sox", not "Time Lords" -> "Lords"  # a town smaller than this is no match for a person named there


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


class _Links:
    """Union-find over item numbers; each union records the rule that made it. ``cannot``: pairs
    of item groups that must never share a cluster (a user's "different" judgements): a union
    that would join the two sides of a pair is refused."""

    def __init__(self, n: int, cannot: Sequence[tuple[Sequence[int], Sequence[int]]] = ()) -> None:
        self.parent = list(range(n))
        self.rules: dict[int, Counter[str]] = {}
        self.sides: dict[int, dict[int, int]] = {}  # root -> constraint -> sides held (1|2)
        self.refused = 0
        for number, (a, b) in enumerate(cannot):
            for side, group in ((1, a), (2, b)):
                for item in group:
                    held = self.sides.setdefault(item, {})
                    held[number] = held.get(number, 0) | side

    def find(self, a: int) -> int:
        root = a
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[a] != root:
            self.parent[a], a = root, self.parent[a]
        return root

    def union(self, a: int, b: int, rule: str) -> bool:
        """Merge the clusters of ``a`` and ``b``; False when a constraint forbids it."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rb < ra:
            ra, rb = rb, ra
        if self.sides and not self._join_sides(ra, rb):
            self.refused += 1
            return False
        self.parent[rb] = ra
        merged = self.rules.pop(ra, Counter()) + self.rules.pop(rb, Counter())
        merged[rule] += 1
        self.rules[ra] = merged
        return True

    def _join_sides(self, ra: int, rb: int) -> bool:
        sa, sb = self.sides.get(ra), self.sides.get(rb)
        if not sb:
            return True
        if sa and any((sa[c] | sb[c]) == 3 for c in sa.keys() & sb.keys()):
            return False
        joined = dict(sa or {})
        for c, side in sb.items():
            joined[c] = joined.get(c, 0) | side
        self.sides[ra] = joined
        del self.sides[rb]
        return True

    def join(self, members: Sequence[int], rule: str) -> None:
        for other in members[1:]:
            self.union(members[0], other, rule)

    def clusters(self) -> list[list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            groups[self.find(i)].append(i)
        return [groups[k] for k in sorted(groups)]


def resolve_entities(
    extractions: Sequence[ArticleExtraction],
    kb: KnowledgeBase | None = None,
    judgements: Judgements | None = None,
) -> EntityIndex:
    """Link every mention of every article to a canonical entity (``kb``: the user's ids;
    ``judgements``: the user's forced and forbidden merges, see kg.judgements)."""
    with _collector_paused():
        return _resolve(extractions, kb, judgements)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Linking allocates a few objects per mention and frees none of them in cycles: CPython's
    cyclic collector would rescan all of them again and again (its cost grows with the heap, so
    linking would grow faster than the corpus). Paused for the call, restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _resolve(
    extractions: Sequence[ArticleExtraction],
    kb: KnowledgeBase | None,
    judgements: Judgements | None,
) -> EntityIndex:
    items = sorted(set(_items(extractions)), key=_order)
    texts = {ex.article.id: ex.article.text for ex in extractions}
    items = _drop_common_words(_assign_kinds(items, texts), texts)
    decisions = None
    if judgements is not None and len(judgements):
        from kg.judgements import decide

        decisions = decide(items, judgements, lambda: _item_keys(items, texts, kb))
    links, places, matches = _link_all(items, texts, kb, decisions)
    index = _index(items, links, places, matches)
    if decisions is not None:
        index.problems = list(decisions.problems)
        index.refused_merges = links.refused
    return index


def _link_all(
    items: list[_Item],
    texts: dict[str, str],
    kb: KnowledgeBase | None,
    decisions: Decisions | None = None,
) -> tuple[_Links, dict[int, object], dict[int, KbEntry]]:
    """Every linking rule, kind by kind; then the user's judgements and knowledge base."""
    links = _Links(len(items), decisions.different if decisions is not None else ())
    by_kind: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        by_kind[item.kind].append(n)
    context = _Context(items)
    _link_people(items, by_kind["person"], links, context)
    _link_organizations(items, by_kind["organization"], links, context, texts)
    places = _link_places(items, by_kind["place"], links)
    _link_events(items, by_kind["event"], links)
    for group in decisions.same if decisions is not None else ():
        links.join(group, "judgement")
    matches = _link_kb(items, links, kb) if kb is not None and len(kb) else {}
    return links, places, matches


def _item_keys(items: list[_Item], texts: dict[str, str], kb: KnowledgeBase | None) -> list[str]:
    """The entity key of each item in the build without judgements."""
    links, places, matches = _link_all(items, texts, kb)
    keys = [""] * len(items)
    _index(items, links, places, matches, keys)
    return keys


def entity_rows(index: EntityIndex, graph: Any = None) -> Iterable[dict[str, Any]]:
    """entities.jsonl rows, sorted by entity key: what each entity is, where it was seen, its
    external ids, and how many merges each linking rule made (``merged_by``)."""
    for key in sorted(index.entities):
        e = index.entities[key]
        iri = graph.nodes[key].get("iri", key) if graph is not None and key in graph else key
        row: dict[str, Any] = {
            "entity": iri,
            "kind": e.kind,
            "name": e.name,
            "aliases": list(e.aliases),
            "mentions": e.mention_count,
            "articles": list(e.articles),
            "same_as": list(e.same_as),
            "merged_by": index.merged_by.get(key, {}),
        }
        if e.latitude is not None:
            row["latitude"], row["longitude"] = e.latitude, e.longitude
        if e.location:
            located = graph.nodes.get(e.location, {}) if graph is not None else {}
            row["location"] = located.get("iri", e.location)
        yield row


def _order(item: _Item) -> tuple[str, int, int, str, str, str]:
    return (item.article, item.start, item.end, item.kind, item.label, item.text)


def _items(extractions: Sequence[ArticleExtraction]) -> Iterable[_Item]:
    for ex in extractions:
        aid = ex.article.id
        for m in ex.mentions:
            yield _Item(aid, m.start, m.end, m.text, m.kind, m.label, True, m.place, m.date)
        for n, author in enumerate(ex.article.authors):
            yield _Item(aid, -1 - n, -1 - n, author, "person", "AUTHOR", False)
        if ex.article.publisher:
            yield _Item(aid, -1000, -1000, ex.article.publisher, "organization", "PUBLISHER", False)


def _retype(item: _Item, kind: str) -> _Item:
    if kind == item.kind:
        return item
    return _Item(item.article, item.start, item.end, item.text, kind, item.label, item.counted)


# --- kinds ----------------------------------------------------------------------------------


def _vote_key(item: _Item) -> str:
    return names.name_key(item.text, "person" if item.kind == "person" else "organization")


def _votes(item: _Item) -> bool:
    return (
        item.label not in _NON_VOTING
        and item.kind != "event"
        and "PROPAGATED" not in item.label
        and not item.label.endswith("-CORPUS")
    )


def _assign_kinds(items: list[_Item], texts: dict[str, str] | None = None) -> list[_Item]:
    """Corpus-wide votes per name, then the article's people claim their surnames."""
    kinds = _vote_kinds(items, texts)
    items = [
        item
        if item.label in _NON_VOTING or item.kind == "event"
        else _retype(item, kinds.get(_vote_key(item), item.kind))
        for item in items
    ]
    items = _claim_short_names(_claim_surnames(_claim_full_names(items), texts or {}))
    return _claim_team_cities(items, texts or {})


def _claim_full_names(items: list[_Item]) -> list[_Item]:
    """ "Mo Cheeks" the NER took for a place, "American Hasim Rahman" for an organization: a
    two- or three-word name that fits a person the corpus names in full is that person."""
    from kg.gazetteer import is_place_name

    people: dict[str, set[str]] = defaultdict(set)
    bare: set[tuple[str, str]] = set()  # (article, surname key) of one-word PERSON mentions
    for item in items:
        if item.kind == "person" and item.label == "PERSON":
            given, surname = names.person_parts(item.text)
            if given and surname:
                people[names.surname_key(surname)].add(names.clean_mention(item.text, "person"))
            elif surname and " " not in names.clean_mention(item.text, "person"):
                bare.add((item.article, names.surname_key(surname)))
    out = []
    for item in items:
        if item.kind in ("organization", "place") and item.label not in _NON_VOTING:
            cleaned = names.clean_mention(item.text, "person")
            words = cleaned.split()
            stripped = len(words) < len(item.text.split())  # "American Hasim Rahman"
            if (
                2 <= len(words) <= 3
                and all(w[:1].isupper() for w in words)
                and (
                    any(
                        names.compatible_persons(cleaned, other)
                        for other in sorted(people.get(_surname_key(cleaned), ()))
                        if stripped
                        or names.name_key(other, "person") != names.name_key(cleaned, "person")
                    )  # the votes already weighed the name itself, unless a description went
                    or (
                        (item.article, _surname_key(cleaned)) in bare  # "Peyton Manning", "Manning"
                        and not is_place_name(words[0])  # not "Indianapolis Colts", "Colts"
                        and not is_place_name(" ".join(words[:2]))
                    )
                )
                and not is_place_name(names.clean_mention(item.text, "place"))
            ):
                item = _retype(item, "person")
        out.append(item)
    return out


def _vote_kinds(items: list[_Item], articles: dict[str, str] | None = None) -> dict[str, str]:
    """The kind each surface name's mentions vote for; gazetteer places weigh in. A "person"
    written after a lowercase "the" ("the Tar Heels", "the Jaguars") votes organization, three
    times over: people are never "the"-named, and the NER labels such teams either way."""
    from kg.gazetteer import is_place_name

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    texts: dict[str, str] = {}
    for item in items:
        if _votes(item):
            key = _vote_key(item)
            if item.kind == "person" and _after_the((articles or {}).get(item.article, ""), item):
                votes[key]["organization"] += 3  # nobody's name reads "the Tar Heels"
            else:
                votes[key][item.kind] += 1
            texts.setdefault(key, item.text)
    people = _person_words(items)
    decided: dict[str, str] = {}
    for key, counter in votes.items():
        place = names.clean_mention(texts[key], "place")
        if is_place_name(place) and (
            counter["person"] <= counter.total() / 2 or key not in people
        ):  # "Surrey", "Bandar Abbas" the NER took for a person, where nobody is a Surrey
            counter["place"] += counter.total() + 1
        decided[key] = min(counter, key=lambda k: (-counter[k], k))
    return decided


def _drop_common_words(items: list[_Item], texts: dict[str, str]) -> list[_Item]:
    """Words the NER took for people (a headline's capitals), judged by the corpus: a word is
    *common* when the corpus writes it in lower case at least as often as capitalized.

    - A one-word "person" (no honorific) that is common and nobody's given name or surname in
      the corpus ("Sheriff", "Riot", "Rehires") is linked to no entity.
    - A longer one opening with a common word, where neither of its first two words is a given
      name ("Catching Fire", "Drunk Driver", "Access Hollywood"), is a title or an organization.
    - Otherwise common words at its edges go: a leading one that is no given name, a trailing
      verb-like one ("Nominates Regina Benjamin", "Andrew Lopez Confesses", "Flips Bush"); when
      nothing but common words was left ("Driver Charged"), the mention links to nothing.
    """
    words_of: dict[int, list[str]] = {}
    for n, item in enumerate(items):
        if item.kind == "person" and item.label.startswith("PERSON") and item.start >= 0:
            cleaned = names.clean_mention(item.text, "person")
            if len(cleaned.split()) > 1 or (cleaned == _surface(item.text) and cleaned.isalpha()):
                words_of[n] = cleaned.split()
    if not words_of:
        return items
    people = _person_words(items)
    vocabulary = {w for words in words_of.values() for w in words if w.isalpha()}
    common = _written_lowercase(vocabulary, texts)
    things = _named_things([w for w in words_of.values() if len(w) == 2], texts)
    out = []
    for n, item in enumerate(items):
        words = words_of.get(n)
        if words is None:
            out.append(item)
            continue
        if (
            len(words) > 1
            and not any(map(names.is_given_name, words[:2]))
            and (words[0] in common or _gerund(words[0]) or tuple(words) in things)
        ):
            out.append(_retype(item, "organization"))
            continue
        kept = _strip_common_edges(words, common, _in_headline(texts.get(item.article, ""), item))
        if not kept or (
            len(kept) == 1 and kept[0] in common and names.name_key(kept[0], "person") not in people
        ):
            continue
        if kept != words:
            item = dataclasses.replace(item, text=" ".join(kept))
        out.append(item)
    return out


def _gerund(word: str) -> bool:
    """ "Catching" (Fire), "Breaking" (Bad): an -ing word that is no given name."""
    return len(word) > 5 and word.endswith("ing") and not names.is_given_name(word)


def _named_things(pairs: list[list[str]], texts: dict[str, str]) -> set[tuple[str, str]]:
    """Two-word "people" named by a place (no given name) and a word the corpus writes in lower
    case at least as often as capitalized outside the name itself: "Matanuska Maid" (a dairy),
    "Surrey Fire" (a fire service); not "Orlando Bloom" ("Bloom" alone), not "Deep Throat"."""
    from kg.gazetteer import is_place_name

    wanted = {
        (a.lower(), b.lower())
        for a, b in pairs
        if b.isalpha() and not names.is_given_name(a) and is_place_name(a)
    }
    lasts = {b for _, b in wanted}
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    inside: Counter[tuple[str, str]] = Counter()
    for text in texts.values():
        previous = ""
        for word in _WORD_RE.findall(text):
            low = word.lower()
            if low in lasts:
                if word == low:
                    lower[low] += 1
                else:
                    upper[low] += 1
                    inside[(previous, low)] += 1
            previous = low
    return {
        (a, b)
        for a, b in pairs
        if (a.lower(), b.lower()) in wanted
        and lower[b.lower()] >= max(1, upper[b.lower()] - inside[(a.lower(), b.lower())])
    }


def _in_headline(text: str, item: _Item) -> bool:
    """Whether the mention's line is in Title Case (most of its words capitalized)."""
    start = text.rfind("\n", 0, max(item.start, 0)) + 1
    end = text.find("\n", item.end)
    words = _WORD_RE.findall(text[start : end if end >= 0 else len(text)])
    words = [w for w in words if len(w) > 1]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


def _strip_common_edges(words: list[str], common: set[str], headline: bool) -> list[str]:
    """``words`` without common words at the edges: leading ones that are no given name, and,
    in a headline, trailing verb-like ones ("Confesses", "Charged")."""
    if len(words) < 2:
        return words
    first, last = 0, len(words)
    while first < last and words[first] in common and not names.is_given_name(words[first]):
        first += 1
    while (
        headline
        and last > first
        and words[last - 1] in common
        and not words[last - 1].endswith("ss")
        and words[last - 1].endswith(("s", "ed"))
        and not names.is_given_name(words[last - 1])
    ):
        last -= 1
    return words[first:last]


def _written_lowercase(words: set[str], texts: dict[str, str]) -> set[str]:
    """Those of ``words`` the corpus writes in lower case at least as often as capitalized (a
    plural also counts its singular: "Rehires", "rehire")."""
    wanted = {w.lower() for w in words} | {w.lower()[:-1] for w in words if w.endswith("s")}
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts.values():
        for word in _WORD_RE.findall(text):
            low = word.lower()
            if low in wanted:
                (lower if word == low else upper)[low] += 1
    return {
        w
        for w in words
        if lower[w.lower()] + (lower[w.lower()[:-1]] if w.endswith("s") else 0)
        >= max(1, upper[w.lower()])
    }


_WORD_RE = re.compile(r"[^\W\d_]+")


def _after_the(text: str, item: _Item) -> bool:
    """Whether the mention opens with, or follows, a lowercase "the"."""
    return item.text.startswith("the ") or (
        item.start >= 4 and text[item.start - 4 : item.start] == "the "
    )


def _person_words(items: list[_Item]) -> set[str]:
    """Keys of the corpus's full person names, and of their surnames and first given names."""
    from kg.gazetteer import is_place_name

    out: set[str] = set()
    for item in items:
        if item.kind == "person" and item.label == "PERSON":
            given, surname = names.person_parts(item.text)
            if not given or not surname:
                continue
            if is_place_name(names.clean_mention(item.text, "place")):
                continue  # "Bandar Abbas" the NER took for a person is no evidence of one
            out.add(names.name_key(item.text, "person"))
            out.add(names.name_key(surname, "person"))
            first = item.text.split()[0]
            if not (len(given) == 1 and is_place_name(first, _PREFIX_MIN_POPULATION)):
                out.add(given[0])  # not "Surrey" of a "Surrey Fire" the NER took for a person
    return out


def _claim_surnames(items: list[_Item], texts: dict[str, str] | None = None) -> list[_Item]:
    """In an article that names "Mark Teixeira", a "Teixeira" the NER took for an organization
    (or "Chohan" for a place) is that person; real place names the gazetteer knows stay places
    where the article writes them as places ("in Jackson", "from Jackson"), but a bare
    "Jackson" that opens a clause in an article about Michael Jackson is him."""
    from kg.gazetteer import IS_PLACE_MIN_POPULATION, is_place_name

    people: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        if item.kind == "person" and item.label not in _NON_VOTING:
            given, surname = names.person_parts(item.text)
            if given and surname:
                people[item.article][names.surname_key(surname)].append(item.text)
    out = []
    for item in items:
        if (
            item.kind in ("organization", "place")
            and item.label not in _NON_VOTING
            and item.article in people
            and (claim := _names_a_person(item.text, people[item.article]))
            and not (
                item.kind == "place"
                and is_place_name(
                    names.clean_mention(item.text, "place"),
                    _CLAIM_MIN_POPULATION if claim == "surname" else IS_PLACE_MIN_POPULATION,
                )
                and (claim != "surname" or _locative(texts, item))
            )
        ):
            item = _retype(item, "person")
        out.append(item)
    return out


_LOCATIVE = frozenset({"in", "at", "from", "near", "to", "into", "outside", "across", "around",
                       "through", "toward", "towards", "via", "of", "the", "suburban", "downtown"})  # fmt: skip


def _locative(texts: dict[str, str] | None, item: _Item) -> bool:
    """Whether the word before the mention reads as a place's ("in", "near", "of"), or the
    mention is followed by a comma and a capitalized word ("Jackson, Mississippi"); True when
    the text is unknown."""
    text = (texts or {}).get(item.article)
    if not text or item.start < 0:
        return True
    before = text[max(0, item.start - 24) : item.start].split()
    if not before or before[-1].lower().strip("\"'(") in _LOCATIVE:
        return True
    after = text[item.end : item.end + 3]
    return after.startswith(", ") and after[2:3].isupper()


def _claim_short_names(items: list[_Item]) -> list[_Item]:
    """In an article that names the "Indianapolis Colts", a "Colts" the NER took for a person
    or a place is that organization: the long name without its leading place or demonym
    (``_short_keys``), seen in the same article. A full person name of the article with that
    surname keeps its person."""
    shorts: dict[str, set[str]] = defaultdict(set)
    people: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.label in _NON_VOTING:
            continue
        if item.kind == "organization" and " " in item.text:
            for short in _short_keys(_org_key(names.clean_mention(item.text, "organization"))):
                shorts[item.article].add(short)
        elif item.kind == "person":
            given, surname = names.person_parts(item.text)
            if given and surname:
                people[item.article].add(names.surname_key(surname))
    out = []
    for item in items:
        if (
            item.kind in ("person", "place")
            and item.label not in _NON_VOTING
            and item.article in shorts
            and _org_key(item.text) in shorts[item.article]
            and _surname_key(item.text) not in people[item.article]
        ):
            item = _retype(item, "organization")
        out.append(item)
    return out


def team_city(key: str) -> str:
    """The place a team's organization key starts with ("indianapolis" of "indianapolis colts",
    "kansas city" of "kansas city chiefs"): a place, then a name ending in a plural; else "".

    >>> team_city("kansas city chiefs"), team_city("boston globe")
    ('kansas city', '')
    """
    from kg.gazetteer import is_place_name

    words = key.split()
    if len(words) < 2 or not words[-1].endswith("s") or words[-1].endswith("ss"):
        return ""
    for cut in (3, 2, 1):
        if cut < len(words) and is_place_name(" ".join(words[:cut]).title()):
            return " ".join(words[:cut])
    return ""


def _claim_team_cities(items: list[_Item], texts: dict[str, str]) -> list[_Item]:
    """ "Indianapolis beat Jacksonville": in an article that names the "Indianapolis Colts" and
    calls them "Colts" too, the city written where no place reads ("in Indianapolis",
    "Indianapolis, Indiana") is the team (metonymy)."""
    teams: dict[str, set[tuple[str, str]]] = defaultdict(set)
    keys: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.label in _NON_VOTING:
            continue
        key = _org_key(names.clean_mention(item.text, "organization"))
        keys[item.article].add(key)
        if item.kind == "organization" and (city := team_city(key)):
            teams[item.article].add((city, key[len(city) + 1 :]))
    cities = {
        article: {city for city, tail in pairs if tail in keys[article]}
        for article, pairs in teams.items()
    }
    out = []
    for item in items:
        if (
            item.kind == "place"
            and item.label not in _NON_VOTING
            and item.article in cities
            and _org_key(item.text) in cities[item.article]
            and not _locative(texts, item)
        ):
            item = _retype(item, "organization")
        out.append(item)
    return out


def _names_a_person(text: str, people: dict[str, list[str]]) -> str:
    """How ``text`` names a person of the article: "surname", "given", "full", or ""."""
    cleaned = names.clean_mention(text, "person")
    words = cleaned.split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ""
    if names.is_acronym(cleaned):
        return ""
    full = people.get(names.surname_key(names.person_parts(cleaned)[1]), [])
    if len(words) == 1:
        if full:
            return "surname"
        return "given" if _given_name_of(cleaned, people) is not None else ""
    return "full" if any(names.compatible_persons(cleaned, other) for other in full) else ""


def _given_name_of(word: str, people: dict[str, list[str]]) -> str | None:
    """The one full name of the article whose first given name is ``word`` ("Lindsay")."""
    key = names.name_key(word, "person")
    found = {
        names.clean_mention(text, "person")
        for texts in people.values()
        for text in texts
        if (given := names.person_parts(text)[0]) and given[0] == key and len(key) > 1
    }
    return found.pop() if len(found) == 1 else None


# --- context: which names an article shares with a candidate's articles ---------------------


class _Context:
    """The names of each article, to choose between candidates by topic. A candidate's profile
    (how many of its articles hold each name) is computed once, so a choice costs the size of
    the article's names, not of the candidate's articles."""

    def __init__(self, items: list[_Item]) -> None:
        self.keys: dict[str, set[str]] = defaultdict(set)
        for item in items:
            if item.counted and item.kind != "event":
                self.keys[item.article].add(names.name_key(item.text, item.kind))
        self.keys.pop("", None)
        self._profiles: dict[Hashable, tuple[Counter[str], frozenset[str]]] = {}

    def _profile(
        self, cand: Hashable, articles_of: Callable[[Any], Iterable[str]]
    ) -> tuple[Counter[str], frozenset[str]]:
        found = self._profiles.get(cand)
        if found is None:
            articles = frozenset(articles_of(cand))
            counts: Counter[str] = Counter()
            for other in articles:
                counts.update(self.keys.get(other, ()))
            found = self._profiles[cand] = (counts, articles)
        return found

    def choose(
        self,
        article: str,
        candidates: Iterable[Hashable],
        articles_of: Callable[[Any], Iterable[str]],
        own: str = "",
    ) -> Any:
        """The candidate whose (other) articles share clearly most names with ``article`` (or
        None). Candidates are hashable ids, unique across callers; ``articles_of(candidate)``
        gives its articles."""
        mine = self.keys.get(article, set()) - {own}
        scores = []
        for cand in sorted(candidates):  # type: ignore[type-var]
            counts, articles = self._profile(cand, articles_of)
            floor = 1 if article in articles else 0  # names only this article gives don't count
            scores.append((sum(1 for k in mine if counts.get(k, 0) > floor), cand))
        scores.sort(key=lambda s: -s[0])
        if not scores or scores[0][0] < 2:
            return None
        if len(scores) > 1 and scores[0][0] < scores[1][0] + _MARGIN:
            return None
        return scores[0][1]


# --- people ---------------------------------------------------------------------------------


def reigning_name(text: str) -> str:
    """ "Prince Charles", "Queen Latifah", "King Edward III": a person known by a title and one
    name, which is not the surname of anybody else ("" when ``text`` is no such name).

    >>> reigning_name("the Prince Charles"), reigning_name("Prince Charles Windsor")
    ('Prince Charles', '')
    """
    match = _REIGNING_RE.match(" ".join(text.replace("’s", "").replace("'s", "").split()))
    if match is None or not match.group("title")[:1].isupper():
        return ""
    return f"{' '.join(match.group('title').split())} {match.group('name')}"


def _gender(text: str) -> str:
    """ "m" or "f" from an honorific before the name ("Mrs Howard", "Baroness Kennedy")."""
    words = text.replace(".", " ").split()
    for word in words[:-1]:
        low = word.casefold()
        if low in _MALE:
            return "m"
        if low in _FEMALE:
            return "f"
    return ""


def _link_people(items: list[_Item], members: list[int], links: _Links, context: _Context) -> None:
    """Full names cluster across the corpus; bare names attach to a full name that fits."""
    reigning: dict[str, list[int]] = defaultdict(list)
    for n in members:
        if form := reigning_name(items[n].text):
            reigning[names.name_key(form, "organization")].append(n)
    for key in sorted(reigning):
        links.join(reigning[key], "same-name")
    members = [n for n in members if not reigning_name(items[n].text)]
    full = [n for n in members if names.person_parts(items[n].text)[0]]
    bare = [n for n in members if not names.person_parts(items[n].text)[0]]
    surnames = sorted({_surname_key(items[n].text) for n in members} - {""})
    near = _near_surnames(surnames)
    clusters = _cluster_full_names(items, full, links, near)
    by_article: dict[str, list[int]] = defaultdict(list)
    surname_index: dict[str, list[int]] = defaultdict(list)
    for number, cluster in enumerate(clusters):
        for article in sorted({items[n].article for n in cluster}):
            by_article[article].append(number)
        surname_index[_surname_key(items[cluster[0]].text)].append(number)
    seen: dict[tuple[str, int], tuple[int, set[str]]] = {}
    for number, cluster in enumerate(clusters):
        for m in cluster:
            where = (items[m].article, number)
            first, given = seen.get(where, (items[m].start, set()))
            if parts := names.person_parts(items[m].text)[0]:
                given.add(parts[0])
            seen[where] = (min(first, items[m].start), given)
    people = _People(clusters, by_article, surname_index, near, context, seen)
    attached = {n: _attach_bare(items, n, people) for n in bare}
    home = {n: c for c, members in enumerate(clusters) for n in members}
    home.update((n, t) for n, (t, _) in attached.items() if t is not None)
    genders: dict[int, Counter[str]] = defaultdict(Counter)
    for n, c in home.items():
        if gender := _gender(items[n].text):
            genders[c][gender] += 1
    leftovers: dict[str, list[int]] = defaultdict(list)
    for n in bare:
        target, rule = attached[n]
        gender = _gender(items[n].text)
        if (
            target is not None
            and gender
            and genders[target][gender] < max(genders[target].values())
        ):
            target = None  # "Mrs Howard" beside "Mr Howard": not (Michael) Howard
        if target is None:
            surname = _surname_key(items[n].text)
            key = surname or names.name_key(items[n].text, "person")
            leftovers[f"{key}:{gender}" if gender else key].append(n)
        else:
            links.union(clusters[target][0], n, rule)
    for key in sorted(leftovers):
        links.join(leftovers[key], "same-surname")


def _surname_key(text: str) -> str:
    return names.surname_key(names.person_parts(text)[1])


def _near_surnames(surnames: list[str]) -> dict[str, list[str]]:
    """Each surname key -> the other keys that are spelling variants of it (Dostoyevsky,
    Dostoevsky). Only distinct surnames that share their first four letters are compared: the
    cost grows with the vocabulary of surnames, not with the mentions."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in surnames:
        buckets[key[:4]].append(key)
    near: dict[str, list[str]] = {}
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                if names.similar_surnames(a, b):
                    near.setdefault(a, []).append(b)
                    near.setdefault(b, []).append(a)
    return near


def _cluster_full_names(
    items: list[_Item], full: list[int], links: _Links, near: dict[str, list[str]]
) -> list[list[int]]:
    """Complete-link clustering within surname blocks (a surname and its spelling variants):
    every pair in a cluster must be compatible."""
    block_of: dict[str, str] = {}
    for key in sorted({_surname_key(items[n].text) for n in full}):
        if key not in block_of:
            stack, block_of[key] = [key], key
            while stack:
                for other in near.get(stack.pop(), ()):
                    if other not in block_of:
                        block_of[other] = key
                        stack.append(other)
    blocks: dict[str, list[int]] = defaultdict(list)
    for n in full:
        blocks[block_of[_surname_key(items[n].text)]].append(n)
    clusters: list[list[int]] = []
    for block in (blocks[k] for k in sorted(blocks)):
        forms = Counter(names.clean_mention(items[n].text, "person") for n in block)
        order = sorted(forms, key=lambda f: (-len(names.person_parts(f)[0]), -forms[f], f))
        groups: list[list[str]] = []
        weight: list[int] = []
        for form in order:
            homes = [
                g
                for g, members in enumerate(groups)
                if all(names.compatible_persons(form, o) for o in members)
            ]
            if not homes:
                groups.append([form])
                weight.append(forms[form])
                continue
            home = min(homes, key=lambda g: (-weight[g], g))
            groups[home].append(form)
            weight[home] += forms[form]
        group_of = {form: g for g, members in enumerate(groups) for form in members}
        members: list[list[int]] = [[] for _ in groups]
        for n in block:
            members[group_of[names.clean_mention(items[n].text, "person")]].append(n)
        if len(groups) > 1:
            members = _regroup_ambiguous(items, groups, members)
        for cluster in members:
            first = names.clean_mention(items[cluster[0]].text, "person")
            for n in cluster[1:]:
                links.union(cluster[0], n, _person_rule(first, items[n].text))
        clusters.extend(members)
    return clusters


def _regroup_ambiguous(
    items: list[_Item], groups: list[list[str]], members: list[list[int]]
) -> list[list[int]]:
    """A form that fits several people ("Mark Felt": W. Mark Felt Sr. or Mark Felt Jr.) goes,
    in each article, to the one of them that article names unambiguously (else it stays with
    the person the corpus chose for it)."""
    homes = {
        form: [
            g
            for g, others in enumerate(groups)
            if all(names.compatible_persons(form, o) for o in others if o != form)
        ]
        for group in groups
        for form in group
    }
    named: dict[str, set[int]] = defaultdict(set)  # article -> groups named unambiguously
    for g, group in enumerate(members):
        for n in group:
            if len(homes[names.clean_mention(items[n].text, "person")]) == 1:
                named[items[n].article].add(g)
    out: list[list[int]] = [[] for _ in members]
    for g, group in enumerate(members):
        for n in group:
            fits = set(homes[names.clean_mention(items[n].text, "person")])
            local = fits & named.get(items[n].article, set())
            out[local.pop() if len(fits) > 1 and len(local) == 1 else g].append(n)
    return [group for group in out if group]


def _person_rule(a: str, b: str) -> str:
    if names.name_key(a, "person") == names.name_key(b, "person"):
        return "same-name"
    pa, pb = names.person_parts(a), names.person_parts(b)
    if pa[1] != pb[1]:
        return "surname-variant"
    return "given-name-variant"


@dataclass
class _People:
    """The full-name clusters a bare name may attach to, indexed for ``_attach_bare``."""

    clusters: list[list[int]]
    by_article: dict[str, list[int]]  # article -> clusters with a mention there
    surname_index: dict[str, list[int]]  # surname key -> clusters
    near: dict[str, list[str]]  # surname key -> spelling variants
    context: _Context
    seen: dict[tuple[str, int], tuple[int, set[str]]]  # (article, cluster) -> first start, givens
    fitting: dict[str, set[int]] = field(default_factory=dict)  # bare form -> corpus clusters


def _attach_bare(items: list[_Item], n: int, people: _People) -> tuple[int | None, str]:
    """The cluster a bare "Zelensky" belongs to: same article first, else the one corpus
    candidate, else the candidate its article shares the topic with."""
    item = items[n]
    clusters = people.clusters
    text = names.clean_mention(item.text, "person")
    here = people.by_article.get(item.article, [])
    local = [c for c in here if _fits(items, text, clusters[c])]
    if not local and " " not in text:  # "Lindsay" in an article about Lindsay Lohan
        key = names.name_key(text, "person")
        local = [c for c in here if key in people.seen[(item.article, c)][1]]
        if len(local) == 1 and len(key) > 1:
            return local[0], "given-name-in-article"
        local = []
    if len(local) == 1:
        return local[0], "surname-in-article"
    if len(local) > 1:
        before = [c for c in local if people.seen[(item.article, c)][0] < item.start]
        if len(before) == 1:
            return before[0], "surname-in-article"
        return None, ""
    candidates = people.fitting.get(text)
    if candidates is None:
        candidates = _corpus_fits(items, text, clusters, people.surname_index, people.near)
        people.fitting[text] = candidates
    if len(candidates) == 1:
        return next(iter(candidates)), "surname-unique-in-corpus"
    if len(candidates) > 1:
        choice = people.context.choose(
            item.article,
            [("person", clusters[c][0], c) for c in candidates],
            lambda cand: {items[m].article for m in clusters[cand[2]]},
            names.name_key(item.text, "person"),
        )
        if choice is not None:
            return choice[2], "surname-by-topic"
    return None, ""


def _corpus_fits(
    items: list[_Item],
    text: str,
    clusters: list[list[int]],
    surname_index: dict[str, list[int]],
    near: dict[str, list[str]],
) -> set[int]:
    """The full-name clusters of the corpus a bare form fits (its surname, else a variant)."""
    surname = _surname_key(text)
    found = {c for c in surname_index.get(surname, []) if _fits(items, text, clusters[c])}
    if not found:
        found = {
            c
            for variant in near.get(surname, ())
            for c in surname_index.get(variant, [])
            if _fits(items, text, clusters[c])
        }
    return found


def _fits(items: list[_Item], bare: str, cluster: list[int]) -> bool:
    return names.compatible_persons(bare, names.clean_mention(items[cluster[0]].text, "person"))


# --- organizations --------------------------------------------------------------------------

_SPELLING = {"centre": "center", "theatre": "theater", "defence": "defense", "programme": "program",
             "organisation": "organization", "labour": "labor", "councillors": "councilors"}  # fmt: skip
_GENERIC_TAIL = frozenset({"department", "dept", "magazine", "newspaper", "company", "group",
                           "agency", "network", "channel", "service", "services",
                           "team", "club", "foundation", "center", "clinic", "com"})  # fmt: skip
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_DEFINITION = re.compile(r"\s*[(\[]\s*(?:the\s+)?([A-Z][A-Za-z0-9&.\-]{1,9})\s*[)\]]")


def _org_key(text: str) -> str:
    key = names.name_key(text, "organization")
    return " ".join(_SPELLING.get(w, w) for w in key.split())


def _base_key(text: str) -> str:
    if names.is_acronym(text):
        return "acronym:" + names.acronym_key(text)
    return _org_key(text)


def _link_organizations(
    items: list[_Item],
    members: list[int],
    links: _Links,
    context: _Context,
    texts: dict[str, str],
) -> None:
    """Each organization mention gets the key of the name it stands for, then keys merge."""
    base = {n: _base_key(items[n].text) for n in members}
    groups: dict[str, list[int]] = defaultdict(list)
    for n in members:
        groups[base[n]].append(n)
    long_keys = sorted(k for k in groups if not k.startswith("acronym:"))
    canonical = _fuzzy_canonical(long_keys, groups)
    articles = {k: {items[n].article for n in groups[k]} for k in groups}
    in_article: dict[str, set[str]] = defaultdict(set)
    for key, arts in articles.items():
        for a in arts:
            in_article[a].add(key)
    initials: dict[str, set[str]] = defaultdict(set)
    shorts: dict[str, set[str]] = defaultdict(set)
    for key in long_keys:
        text = names.clean_mention(items[groups[key][0]].text, "organization")
        for acronym in names.acronym_candidates(text):
            initials[acronym].add(key)
        for short in _short_keys(key):
            shorts[short].add(key)
    teams: dict[str, set[str]] = defaultdict(set)
    for key in long_keys:
        if city := team_city(key):
            teams[city].add(key)
    defined = _definitions(items, members, texts)
    words = _lowercase_words(texts, shorts)
    resolved: dict[int, tuple[str, str]] = {}
    for n in members:
        key = base[n]
        if key.startswith("acronym:"):
            target = _resolve_acronym(
                items[n], key[8:], groups, initials, defined, in_article, articles, context
            )
        elif len(local := _teams_of_city(key, teams, in_article[items[n].article])) == 1:
            target = (local[0], "team-by-city")
        elif key in shorts:
            target = _whole_short(key, shorts[key], articles, words) or _resolve_short(
                items[n], shorts[key], in_article
            )
        else:
            target = None
        if target is None and key in canonical:
            target = (canonical[key], "org-spelling-variant")
        resolved[n] = target or (key, "same-name")
    by_target: dict[str, list[int]] = defaultdict(list)
    for n in members:
        by_target[resolved[n][0]].append(n)
    for key in sorted(by_target):
        group = sorted(by_target[key], key=lambda n: (resolved[n][1] != "same-name", n))
        for n in group[1:]:
            links.union(group[0], n, resolved[n][1])


def _teams_of_city(key: str, teams: dict[str, set[str]], here: set[str]) -> list[str]:
    """The teams of the article named after city ``key`` that it also calls by their short
    name ("Indianapolis Colts" and "Colts")."""
    return sorted(t for t in teams.get(key, ()) if t in here and t[len(key) + 1 :] in here)


def _fuzzy_canonical(long_keys: list[str], groups: dict[str, list[int]]) -> dict[str, str]:
    """Near-identical long names ("Academy of Motion Pictures Arts and Sciences") -> the more
    frequent spelling. Blocked by first word and length, so never all pairs."""
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key in long_keys:
        if len(key) >= 15 and " " in key:
            blocks[(key.split()[0], len(key) // 4)].append(key)
    out: dict[str, str] = {}
    for (first, size), keys in sorted(blocks.items()):
        near = keys + blocks.get((first, size + 1), [])
        for key in keys:
            for other in near:
                if other == key or fuzz.ratio(key, other) < 95:
                    continue
                a, b = sorted((key, other), key=lambda k: (-len(groups[k]), k))
                if b not in out:
                    out[b] = out.get(a, a)
    return out


def _short_keys(key: str) -> list[str]:
    """The shorter names a long organization name goes by: without a leading place or demonym
    ("boston red sox" -> "red sox"), without a generic last word ("staunton police department"
    -> "staunton police")."""
    from kg.gazetteer import country_for_demonym, is_place_name

    words = key.split()
    out = []
    for cut in (1, 2, 3):
        if cut < len(words):
            head = " ".join(words[:cut])
            if (
                is_place_name(head.title(), _PREFIX_MIN_POPULATION)
                or country_for_demonym(head) is not None
            ):
                out.append(" ".join(words[cut:]))
    if len(words) >= 2 and words[-1] in _GENERIC_TAIL and words[-2] not in _GENERIC_TAIL:
        out.append(" ".join(words[:-1]))
    return [s for s in out if len(s) >= 3 and s not in _GENERIC_TAIL]


def _definitions(
    items: list[_Item], members: list[int], texts: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Acronyms the text defines: "Advanced Micro Devices (AMD)" -> {article: {"AMD": key}}."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for n in members:
        item = items[n]
        if item.start < 0 or names.is_acronym(item.text):
            continue
        text = texts.get(item.article, "")
        match = _DEFINITION.match(text, item.end, min(len(text), item.end + 16))
        if match is None:
            continue
        acronym = names.acronym_key(match.group(1))
        initials = names.acronym_of(item.text) or item.text.lstrip("@ ").upper()
        if names.is_acronym(match.group(1)) and len(acronym) >= 2 and acronym[0] == initials[0]:
            # "World Anti-Doping Agency (WADA)" cut by the NER to "Anti-Doping Agency": no
            out[item.article].setdefault(acronym, _org_key(item.text))
    return out


def _resolve_acronym(
    item: _Item,
    acronym: str,
    groups: dict[str, list[int]],
    initials: dict[str, set[str]],
    defined: dict[str, dict[str, str]],
    in_article: dict[str, set[str]],
    articles: dict[str, set[str]],
    context: _Context,
) -> tuple[str, str] | None:
    local_def = defined.get(item.article, {}).get(acronym)
    if local_def:
        return local_def, "acronym-defined-in-article"
    if acronym.lower() in groups:  # "SEACOM" / "Seacom", "NATO" / "Nato"
        return acronym.lower(), "case-variant"
    local = sorted(k for k in initials.get(acronym, ()) if k in in_article[item.article])
    if len(local) == 1:
        return local[0], "acronym-in-article"
    corpus_defs = sorted({d[acronym] for d in defined.values() if acronym in d})
    if len(corpus_defs) == 1:
        return corpus_defs[0], "acronym-defined-in-corpus"
    found = sorted(initials.get(acronym, ()))
    if len(found) == 1:
        return found[0], "acronym-unique-in-corpus"
    candidates = sorted(set(found) | set(corpus_defs))
    if len(candidates) > 1:
        choice = context.choose(
            item.article,
            [("organization", k) for k in candidates],
            lambda cand: articles[cand[1]],
            acronym.lower(),
        )
        if choice is not None:
            return choice[1], "acronym-by-topic"
    return None


def _lowercase_words(texts: dict[str, str], shorts: dict[str, set[str]]) -> set[str]:
    """The words of the short organization names that the corpus also writes in lower case
    ("times", "party", "lords"): generic words, unlike "Colts" or "Red Sox"."""
    wanted = {w for key in shorts for w in key.split()}
    found: set[str] = set()
    for text in texts.values():
        found.update(w for w in _LOWER_WORD.findall(text) if w in wanted)
    return found


def _whole_short(
    key: str,
    longer: set[str],
    articles: dict[str, set[str]],
    lowercase: set[str] | frozenset[str] = frozenset(),
) -> tuple[str, str] | None:
    """ "Red Sox" is "Boston Red Sox" everywhere when that is the only longer name it can be,
    some article uses both, and either the short name is no English word ("Red Sox", "Colts")
    or at least half the articles that use it use both: "Labour Party", seen on its own far
    more often than beside "Scottish Labour Party", stays its own entity."""
    if len(longer) != 1:
        return None
    (target,) = longer
    both = len(articles[key] & articles[target])
    proper = target.endswith(" " + key) and not all(w in lowercase for w in key.split())
    return (
        (target, "org-short-form") if both and (proper or 2 * both >= len(articles[key])) else None
    )


def _resolve_short(
    item: _Item, longer: set[str], in_article: dict[str, set[str]]
) -> tuple[str, str] | None:
    """Within the article only: a short generic name ("Parliament", "Treasury", "Times") means
    different organizations in different articles, so no corpus-wide guess is made."""
    local = sorted(k for k in longer if k in in_article[item.article])
    return (local[0], "org-short-form-in-article") if len(local) == 1 else None


# --- places ---------------------------------------------------------------------------------


def _link_places(items: list[_Item], members: list[int], links: _Links) -> dict[int, object]:
    """Group places by GeoNames record; unknown places by name key. Returns the record of each
    item that has one."""
    context = _article_countries(items, members)
    groups: dict[str, list[int]] = defaultdict(list)
    rules: dict[int, str] = {}
    records: dict[int, object] = {}
    for n in members:
        record, rule = _place_record(items[n], context.get((items[n].article, items[n].text), ()))
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


def _place_record(item: _Item, context: tuple[str, ...]) -> tuple[object | None, str]:
    from kg.gazetteer import country_for_demonym, lookup_place

    if item.label == "NORP":
        record = country_for_demonym(item.text)
        if record is not None:
            return record, "demonym"
    text = names.clean_mention(item.text, "place")
    record = lookup_place(text, context)
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
    from kg.gazetteer import country_for_demonym, lookup_place

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    own: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for n in members:
        item = items[n]
        record = country_for_demonym(item.text) if item.label == "NORP" else lookup_place(item.text)
        if record is not None and record.country_code:
            weight = 2 if record.feature == "country" else 1
            counts[item.article][record.country_code] += weight
            own[(item.article, item.text)][record.country_code] += weight
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for n in members:
        item = items[n]
        c = counts.get(item.article, Counter()) - own.get((item.article, item.text), Counter())
        out[(item.article, item.text)] = tuple(sorted(c, key=lambda k: (-c[k], k)))
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
        name, record = _canonical(
            cluster, [place_records[n] for n in members if n in place_records]
        )
        if entry is not None:
            name = entry.label
        named.append((cluster, name, record, entry, links.rules.get(root, Counter()), members))
    named.sort(key=lambda t: (t[0][0].kind, t[1], min(i.ref for i in t[0])))
    taken: Counter[str] = Counter()
    for cluster, name, record, entry, rules, members in named:
        kind = _final_kind(cluster)
        slug = f"{kind}/{names.slugify(name)}"
        taken[slug] += 1
        key = slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
        entity = _entity(key, kind, name, cluster, record)
        if entry is not None and entry.iri not in entity.same_as:
            entity.same_as = sorted([*entity.same_as, entry.iri])
        index.entities[key] = entity
        index.merged_by[key] = dict(sorted(rules.items()))
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


def _final_kind(cluster: list[_Item]) -> str:
    votes = Counter(i.kind for i in cluster)
    return min(votes, key=lambda k: (-votes[k], k))


def _canonical(cluster: list[_Item], records: list[object]) -> tuple[str, object | None]:
    kind = _final_kind(cluster)
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
    richest = max(len(f.split()) for f in forms)
    best = min(forms, key=lambda f: (-(len(f.split()) == richest), -forms[f], -len(f), f))
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


def _surface(text: str) -> str:
    text = " ".join(text.split())
    for tail in ("’s", "'s"):
        text = text.removesuffix(tail)
    return text.lstrip("@")


def _locate_events(index: EntityIndex, clusters: list[list[_Item]]) -> None:
    """An event's location: the place entity its phrase names (most often)."""
    by_article_text: dict[tuple[str, str], str] = {}
    for cluster in clusters:
        for item in cluster:
            key = index.link.get(item.ref)
            if key and key.startswith("place/"):
                by_article_text.setdefault((item.article, _surface(item.text)), key)
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
