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

The rules live beside this module, one concern each: ``kg.link_kinds`` and ``kg.link_words``
(kinds), ``kg.link_people``, ``kg.link_orgs``, ``kg.link_places`` (places, events, knowledge
base), ``kg.link_index`` (canonical entities), ``kg.link_base`` (the items, union-find and topic
context they share). This module runs them in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kg.link_base import CorpusWords, MentionRef, _Context, _Item, _Links
from kg.link_index import EntityIndex, _index
from kg.link_kinds import _assign_kinds
from kg.link_orgs import _link_organizations, team_city
from kg.link_people import _link_people, reigning_name
from kg.link_places import _link_events, _link_kb, _link_places
from kg.link_words import _drop_common_words
from kg.nlp import gc_paused
from kg.records import ArticleExtraction

if TYPE_CHECKING:
    from kg.judgements import Decisions, Judgements
    from kg.kb import KbEntry, KnowledgeBase

__all__ = [
    "EntityIndex",
    "MentionRef",
    "entity_rows",
    "reigning_name",
    "resolve_entities",
    "team_city",
]


def resolve_entities(
    extractions: Sequence[ArticleExtraction],
    kb: KnowledgeBase | None = None,
    judgements: Judgements | None = None,
    corpus: CorpusWords | None = None,
) -> EntityIndex:
    """Link every mention of every article to a canonical entity (``kb``: the user's ids;
    ``judgements``: the user's forced and forbidden merges, see kg.judgements; ``corpus``: how
    the articles write each word, when the caller has counted it)."""
    # Linking allocates a few objects per mention and frees none of them in cycles: CPython's
    # cyclic collector would rescan all of them again and again (its cost grows with the heap,
    # so linking would grow faster than the corpus). Paused for the call, restored after.
    with gc_paused():
        return _resolve(extractions, kb, judgements, corpus)


def _resolve(
    extractions: Sequence[ArticleExtraction],
    kb: KnowledgeBase | None,
    judgements: Judgements | None,
    corpus: CorpusWords | None,
) -> EntityIndex:
    items = sorted(set(_items(extractions)), key=_order)
    texts = {ex.article.id: ex.article.text for ex in extractions}
    if corpus is None:
        corpus = CorpusWords(texts.values())
    items = _drop_common_words(_assign_kinds(items, texts), texts, corpus)
    decisions = None
    if judgements is not None and len(judgements):
        from kg.judgements import decide

        decisions = decide(items, judgements, lambda: _item_keys(items, texts, corpus, kb))
    links, places, matches = _link_all(items, texts, corpus, kb, decisions)
    index = _index(items, links, places, matches)
    if decisions is not None:
        index.problems = list(decisions.problems)
        index.refused_merges = links.refused
    return index


def _link_all(
    items: list[_Item],
    texts: dict[str, str],
    corpus: CorpusWords,
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
    _link_organizations(items, by_kind["organization"], links, context, texts, corpus)
    places = _link_places(items, by_kind["place"], links)
    _link_events(items, by_kind["event"], links)
    for group in decisions.same if decisions is not None else ():
        links.join(group, "judgement")
    matches = _link_kb(items, links, kb) if kb is not None and len(kb) else {}
    return links, places, matches


def _item_keys(
    items: list[_Item], texts: dict[str, str], corpus: CorpusWords, kb: KnowledgeBase | None
) -> list[str]:
    """The entity key of each item in the build without judgements."""
    links, places, matches = _link_all(items, texts, corpus, kb)
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
            yield _Item(
                aid, m.start, m.end, m.text, m.kind, m.label, True, m.place, m.date,
                m.role in ("speaker", "i-speaker"),
            )  # fmt: skip
        for n, author in enumerate(ex.article.authors):
            yield _Item(aid, -1 - n, -1 - n, author, "person", "AUTHOR", False)
        if ex.article.publisher:
            yield _Item(aid, -1000, -1000, ex.article.publisher, "organization", "PUBLISHER", False)
