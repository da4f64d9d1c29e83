"""The graph stage: extractions + linked entities -> a NetworkX MultiDiGraph with provenance.

Nodes: entities (``person/...``, ``organization/...``, ``place/...``, ``event/...``), articles
(``article/<id>``) and quotes (``quote/<article id>/<start>``). Edges, keyed by relation:
``co_mention`` (entity -> entity, stored once from the smaller id; ``weight`` = sentences shared),
``said`` (speaker -> quote), ``about`` (quote -> entity), ``told`` (speaker -> addressee),
``located_in`` (event -> place), ``mentions`` (article -> entity), ``author`` and ``publisher``
(article -> person / organization). Every edge carries where it comes from.

Nodes and edges are added in sorted order, so node-link JSON of the graph is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from kg.records import ArticleExtraction, Quote
from kg.resolve import EntityIndex

MAX_EVIDENCE = 20


def article_node(article_id: str) -> str:
    return f"article/{article_id}"


def quote_node(article_id: str, quote: Quote) -> str:
    return f"quote/{article_id}/{quote.start}"


def build_graph(
    extractions: Sequence[ArticleExtraction],
    index: EntityIndex,
    *,
    iri_of: Any = None,
    meta: dict[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """Build the graph; ``iri_of(node_id)`` gives each node its IRI (see kg.rdf.Iris)."""
    graph = nx.MultiDiGraph()
    graph.graph.update(meta or {})
    extractions = sorted(extractions, key=lambda ex: ex.article.id)
    _add_entities(graph, index, iri_of)
    for ex in extractions:
        _add_article(graph, ex, index, iri_of)
    evidence = _evidence_by_id(extractions)
    _add_quotes(graph, extractions, index, iri_of, evidence)
    _add_co_mentions(graph, extractions, index, evidence)
    for key in sorted(index.entities):
        location = index.entities[key].location
        if location:
            graph.add_edge(key, location, key="located_in", relation="located_in")
    graph.graph.setdefault("articles", len(extractions))
    graph.graph["entities"] = len(index.entities)
    graph.graph["quotes"] = sum(len(ex.quotes) for ex in extractions)
    dates = sorted(ex.article.date for ex in extractions if ex.article.date)
    graph.graph["date_range"] = (dates[0], dates[-1]) if dates else None
    return graph


def _iri(iri_of: Any, node: str) -> str:
    return iri_of(node) if iri_of else node


def _add_edge(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: dict[str, Any]) -> None:
    """``graph.add_edge(u, v, key=key, **data)``, ~3x faster between nodes already in the graph
    (networkx's generic path cost a fifth of the graph's build): the same dicts, filled alike
    (a graph being built has no cached conversions for add_edge to clear)."""
    succ = graph._succ
    if u not in succ or v not in succ:
        graph.add_edge(u, v, key=key, **data)
        return
    keyed = succ[u].get(v)
    if keyed is None:
        succ[u][v] = graph._pred[v][u] = {key: data}
    elif key in keyed:
        keyed[key].update(data)
    else:
        keyed[key] = data


def _add_entities(graph: nx.MultiDiGraph, index: EntityIndex, iri_of: Any) -> None:
    for key in sorted(index.entities):
        e = index.entities[key]
        attrs: dict[str, Any] = {
            "type": "entity",
            "kind": e.kind,
            "name": e.name,
            "aliases": list(e.aliases),
            "mentions": e.mention_count,
            "articles": list(e.articles),
            "iri": _iri(iri_of, key),
            "same_as": list(e.same_as),
        }
        for field in ("latitude", "longitude", "location", "start_date", "country"):
            value = getattr(e, field)
            if value is not None:
                attrs[field] = value
        graph.add_node(key, **attrs)


def _add_article(
    graph: nx.MultiDiGraph, ex: ArticleExtraction, index: EntityIndex, iri_of: Any
) -> None:
    a = ex.article
    node = article_node(a.id)
    graph.add_node(
        node,
        type="article",
        identifier=a.id,
        title=a.title,
        date=a.date,
        authors=list(a.authors),
        publisher=a.publisher,
        url=a.url,
        words=ex.words,
        iri=_iri(iri_of, node),
    )
    counts: dict[str, int] = defaultdict(int)
    for m in ex.mentions:
        key = index.link.get((a.id, m.start, m.end))
        if key:
            counts[key] += 1
    for key in sorted(counts):
        _add_edge(graph, node, key, "mentions", {"relation": "mentions", "count": counts[key]})
    for key in sorted(set(index.authors.get(a.id, []))):
        graph.add_edge(node, key, key="author", relation="author")
    if a.id in index.publishers:
        graph.add_edge(node, index.publishers[a.id], key="publisher", relation="publisher")


def _add_quotes(
    graph: nx.MultiDiGraph,
    extractions: Sequence[ArticleExtraction],
    index: EntityIndex,
    iri_of: Any,
    evidence_of: Callable[[str, int], dict[str, Any]],
) -> None:
    for ex in extractions:
        aid = ex.article.id
        for q in ex.quotes:
            node = quote_node(aid, q)
            speaker = index.link.get((aid, q.speaker.start, q.speaker.end)) if q.speaker else None
            addressee = (
                index.link.get((aid, q.addressee.start, q.addressee.end)) if q.addressee else None
            )
            evidence = [evidence_of(aid, q.sentence)]
            graph.add_node(
                node,
                type="quote",
                text=q.words,
                kind=q.kind,
                article=aid,
                article_title=ex.article.title,
                start=q.start,
                end=q.end,
                speaker=speaker,
                speaker_name=index.entities[speaker].name if speaker else None,
                addressee=addressee,
                cue=q.cue,
                rule=q.rule,
                iri=_iri(iri_of, node),
            )
            if speaker:
                _add_edge(graph, speaker, node, "said", {"relation": "said", "evidence": evidence})
            about = sorted(
                {
                    k
                    for s in q.about
                    if (k := index.link.get((aid, s.start, s.end))) and k != speaker
                }
            )
            for key in about:
                _add_edge(graph, node, key, "about", {"relation": "about", "evidence": evidence})
            if speaker and addressee and addressee != speaker:
                graph.add_edge(
                    speaker,
                    addressee,
                    key=f"told:{node}",
                    relation="told",
                    quote=node,
                    evidence=evidence,
                )


def _evidence(ex: ArticleExtraction, sentence: int) -> dict[str, Any]:
    text = ex.sentence_text(sentence) if 0 <= sentence < len(ex.sentences) else ""
    return {"article": ex.article.id, "title": ex.article.title, "sentence": " ".join(text.split())}


def _evidence_by_id(
    extractions: Sequence[ArticleExtraction],
) -> Callable[[str, int], dict[str, Any]]:
    """``_evidence`` by article id and sentence number, each sentence's record made once (a
    sentence naming k entities is the evidence of k(k-1)/2 co-mentions and maybe of quotes);
    each quote or co-mention gets a copy."""
    by_id = {ex.article.id: ex for ex in extractions}
    made: dict[tuple[str, int], dict[str, Any]] = {}

    def evidence(aid: str, sentence: int) -> dict[str, Any]:
        record = made.get((aid, sentence))
        if record is None:
            record = made[(aid, sentence)] = _evidence(by_id[aid], sentence)
        return dict(record)

    return evidence


def _add_co_mentions(
    graph: nx.MultiDiGraph,
    extractions: Sequence[ArticleExtraction],
    index: EntityIndex,
    evidence: Callable[[str, int], dict[str, Any]],
) -> None:
    """Entities in one sentence are co-mentioned; article counts are kept beside sentence counts."""
    sentences: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    articles_of: dict[str, set[str]] = defaultdict(set)  # entity -> the articles naming it
    for ex in extractions:
        aid = ex.article.id
        per_sentence: dict[int, set[str]] = defaultdict(set)
        for m in ex.mentions:
            key = index.link.get((aid, m.start, m.end))
            if key:
                per_sentence[m.sentence].add(key)
                articles_of[key].add(aid)
        for sentence in sorted(per_sentence):
            for a, b in combinations(sorted(per_sentence[sentence]), 2):
                sentences[(a, b)].append((aid, sentence))
    for a, b in sorted(sentences):
        where = sentences[(a, b)]
        both = articles_of[a] & articles_of[b]  # the articles naming both, in any sentences
        data = {
            "relation": "co_mention",
            "weight": len(where),
            "sentence_count": len(where),
            "article_count": len(both),
            "articles": sorted(both),
            "evidence": [evidence(aid, s) for aid, s in where[:MAX_EVIDENCE]],
        }
        _add_edge(graph, a, b, "co_mention", data)
