"""The whole build, as a library call: ``kg.build(paths, out=..., model=...)``.

ingest (streamed) -> nlp.pipe -> per-article extraction -> link -> graph -> exports. Every output
file is written to a temporary file beside it and renamed into place, all renames at the very end,
so a build killed half-way leaves the previous outputs intact.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

import networkx as nx

from kg import __version__
from kg.errors import OutputError
from kg.judgements import Judgements, load_judgements
from kg.kb import KnowledgeBase, load_kb
from kg.nlp import gc_paused
from kg.records import Article, ArticleExtraction, Problem
from kg.resolve import EntityIndex, entity_rows

OUTPUT_FILES = (
    "graph.ttl",
    "graph.json",
    "graph.html",
    "mentions.jsonl",
    "quotes.jsonl",
    "entities.jsonl",
    "report.json",
)


@dataclass
class BuildResult:
    """What a build made: the graph, the linked entities, the per-article extractions, the report."""

    graph: nx.MultiDiGraph
    index: EntityIndex
    extractions: list[ArticleExtraction]
    report: dict[str, Any]
    out: Path | None = None
    problems: list[Problem] = field(default_factory=list)


def build(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str] = ("seeds",),
    *,
    out: str | os.PathLike[str] | None = "output",
    model: str | None = None,
    base: str | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    max_bytes: int = 5_000_000,
    max_nodes: int = 250,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Callable[[int], None] | None = None,
    cache: str | os.PathLike[str] | bool = True,
    dask: str | None = None,
    kb: str | os.PathLike[str] | KnowledgeBase | None = None,
    judgements: str | os.PathLike[str] | Judgements | None = None,
) -> BuildResult:
    """Build the knowledge graph of the articles under ``paths``; write it to ``out`` (None: don't write).

    ``cache``: True keeps per-article extractions under ``out/.cache`` (a folder to put them
    elsewhere, False for none); ``dask``: a scheduler address or ``local:N`` to run the per-article
    step on dask.distributed (see kg.distributed); ``kb``: a knowledge base file (CSV or JSON
    Lines: id, label, aliases, kind; see kg.kb) whose ids the linker gives matching entities;
    ``judgements``: a file of forced (``same``) and forbidden (``different``) merges (kg.judgements).
    """
    from kg.distributed import ArticleMap, peak_rss_mib
    from kg.nlp import DEFAULT_MODEL, load_pipeline
    from kg.sources import check_inputs, iter_articles

    paths = check_inputs(paths)  # a missing input fails before the model loads
    knowledge = load_kb(kb)  # so does a bad knowledge base
    decisions = load_judgements(judgements)  # and a bad judgements file
    _check_base(base)
    out_dir = _check_out(out)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    mapper = ArticleMap(
        model or DEFAULT_MODEL,
        lambda: load_pipeline(model or DEFAULT_MODEL),
        cache_dir=_cache_dir(cache, out_dir),
        dask=dask,
        batch_size=batch_size,
        n_process=n_process,
    )
    problems: list[Problem] = []

    def articles() -> Iterator[Article]:
        for item in iter_articles(paths, max_bytes=max_bytes):
            if isinstance(item, Problem):
                problems.append(item)
                if on_problem:
                    on_problem(item)
            else:
                yield item

    t = time.perf_counter()
    extractions: list[ArticleExtraction] = []
    for extraction in mapper.run(articles()):
        extractions.append(extraction)
        for problem in extraction.problems:
            if on_problem:
                on_problem(problem)
        if progress:
            progress(1)
    model_name = mapper.resolve_model_id()
    timings["load_model"] = mapper.load_seconds
    timings["parse_and_extract"] = time.perf_counter() - t - mapper.load_seconds
    memory = {"peak_rss_mib_after_parse": peak_rss_mib()}
    build_id, reused = _previous_build(
        mapper,
        out_dir,
        problems,
        extractions,
        model=model_name,
        base=base,
        max_nodes=max_nodes,
        kb=kb,
        judgements=judgements,
        build_date=_build_date(),
    )
    staged: dict[Path, str] = {}
    with gc_paused():  # the reduce and the exports make no cyclic garbage worth collecting
        result = reused or assemble(
            extractions,
            model=model_name,
            base=base,
            timings=timings,
            problems=problems,
            kb=knowledge,
            judgements=decisions,
        )
        if mapper.cache is not None:
            result.report["cache"] = mapper.cache.stats.to_dict() | {"parsed": mapper.parsed}
        if out_dir is not None and reused is None:
            t = time.perf_counter()
            staged = render_outputs(result, out_dir, max_nodes=max_nodes, timings=timings)
            timings["write"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - started
        result.report["timings"] = {k: round(v, 3) for k, v in timings.items()}
        result.report["memory"] = memory | {"peak_rss_mib": peak_rss_mib()}
        if out_dir is not None:
            # one batch: a build killed while writing never pairs new graphs with an old report
            _write_atomic(staged | {out_dir / "report.json": _json(result.report)})
            if build_id is not None and mapper.cache is not None:
                from kg.cache import record_build

                record_build(mapper.cache, out_dir, build_id, result)
    result.out = out_dir
    return result


def assemble(
    extractions: Iterable[ArticleExtraction],
    *,
    model: str,
    base: str | None = None,
    timings: dict[str, float] | None = None,
    problems: Sequence[Problem] = (),
    kb: KnowledgeBase | None = None,
    judgements: Judgements | None = None,
) -> BuildResult:
    """The corpus step (a reduce): link entities and build the graph from extractions."""
    from kg.corpus_kinds import correct_person_kinds
    from kg.corpus_names import propagate_corpus_names
    from kg.corpus_offices import resolve_offices
    from kg.graph import build_graph
    from kg.link_base import CorpusWords
    from kg.rdf import Iris
    from kg.resolve import resolve_entities

    timings = timings if timings is not None else {}
    ordered = sorted(extractions, key=lambda ex: ex.article.id)
    problems = list(problems)
    ordered = _dedupe(ordered, problems)
    corpus = CorpusWords(ex.article.text for ex in ordered)  # counted once, asked by both steps
    ordered = propagate_corpus_names(ordered, corpus)  # names the NER missed in some articles
    ordered = correct_person_kinds(ordered, corpus)  # "Matanuska Maid" is no person
    ordered = resolve_offices(ordered)  # "the chancellor said": the corpus's Chancellor Brown
    t = time.perf_counter()
    index = resolve_entities(ordered, kb=kb, judgements=judgements, corpus=corpus)
    timings["link"] = time.perf_counter() - t
    t = time.perf_counter()
    iris = Iris(base) if base else Iris()
    meta = {
        "model": model,
        "kg_version": __version__,
        "build_date": _build_date(),
        "base": iris.base,
    }
    graph = build_graph(ordered, index, iri_of=iris, meta=meta)
    timings["graph"] = time.perf_counter() - t
    skipped = list(problems)
    warnings = [p for ex in ordered for p in ex.problems] + index.problems
    report = _report(ordered, index, graph, model, skipped, warnings)
    return BuildResult(graph, index, ordered, report, problems=skipped + warnings)


def _dedupe(ordered: list[ArticleExtraction], problems: list[Problem]) -> list[ArticleExtraction]:
    """Two articles with one identifier: the first wins, the other is reported."""
    seen: set[str] = set()
    kept = []
    for ex in ordered:
        if ex.article.id in seen:
            problems.append(
                Problem(ex.article.source, f"duplicate article id {ex.article.id!r}; skipped")
            )
            continue
        seen.add(ex.article.id)
        kept.append(ex)
    return kept


def _build_date() -> str | None:
    """Only from SOURCE_DATE_EPOCH: builds of the same input must be byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))


def _report(
    extractions: list[ArticleExtraction],
    index: EntityIndex,
    graph: nx.MultiDiGraph,
    model: str,
    skipped: list[Problem],
    warnings: list[Problem],
) -> dict[str, Any]:
    quotes = [q for ex in extractions for q in ex.quotes]
    kinds: dict[str, int] = {}
    for entity in index.entities.values():
        kinds[entity.kind] = kinds.get(entity.kind, 0) + 1
    edges: dict[str, int] = {}
    for neighbours in graph._adj.values():  # graph.edges(data=True), less the view
        for keyed in neighbours.values():
            for data in keyed.values():
                edges[data["relation"]] = edges.get(data["relation"], 0) + 1
    return {
        "kg_version": __version__,
        "model": model,
        "articles_read": len(extractions),
        "articles": [
            {
                "id": ex.article.id,
                "source": ex.article.source,
                "title": ex.article.title,
                "words": ex.words,
            }
            for ex in extractions
        ],
        "skipped": [_problem(p) for p in skipped],
        "warnings": [_problem(p) for p in warnings],
        "counts": {
            "words": sum(ex.words for ex in extractions),
            "mentions": sum(len(ex.mentions) for ex in extractions),
            "entities": len(index.entities),
            "entities_by_kind": dict(sorted(kinds.items())),
            "quotes": len(quotes),
            "quotes_by_kind": {
                k: sum(1 for q in quotes if q.kind == k) for k in ("direct", "mixed", "indirect")
            },
            "unresolved_speakers": sum(1 for q in quotes if q.speaker is None),
            "edges": dict(sorted(edges.items())),
        },
    }


def _problem(p: Problem) -> dict[str, Any]:
    row: dict[str, Any] = {"source": p.source, "reason": p.reason}
    if p.line is not None:
        row["line"] = p.line
    return row


def _previous_build(
    mapper: Any,
    out_dir: Path | None,
    problems: list[Problem],
    extractions: list[ArticleExtraction],
    **options: Any,
) -> tuple[str | None, BuildResult | None]:
    """The key of this whole build (with a cache and an output folder), and the previous result
    when every article came from the cache and ``out_dir`` still holds its outputs (kg.cache)."""
    if mapper.cache is None or out_dir is None:
        return None, None
    from kg.cache import build_key, reuse_build

    key = build_key(mapper.cache, problems, options)
    if mapper.parsed:
        return key, None
    return key, reuse_build(mapper.cache, out_dir, key, extractions)


def _cache_dir(cache: str | os.PathLike[str] | bool, out_dir: Path | None) -> str | None:
    """The cache folder: ``out/.cache`` by default, a folder given, or None (no cache)."""
    if cache is True:
        return str(out_dir / ".cache") if out_dir is not None else None
    if cache is False or cache is None:
        return None
    return os.fspath(cache)


def _check_base(base: str | None) -> None:
    """A relative --base would write relative IRIs, which Oxigraph (and `kg load`) refuse."""
    from kg.errors import InputError
    from kg.rdf import is_absolute_iri

    if base is not None and not is_absolute_iri(base):
        raise InputError(
            f"--base must be an absolute IRI such as https://example.org/kg/, got {base!r}"
        )


def _check_out(out: str | os.PathLike[str] | None) -> Path | None:
    if out is None:
        return None
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise OutputError(f"output path {path} is a file, not a folder; choose another --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder {path}: {err.strerror or err}") from err
    return path


def write_outputs(
    result: BuildResult,
    out_dir: Path,
    *,
    max_nodes: int = 250,
    timings: dict[str, float] | None = None,
) -> None:
    """Render every export, then move them all into place (atomic per file).

    ``timings`` gets the seconds each render took, as ``render_graph.ttl`` and so on.
    """
    _write_atomic(render_outputs(result, out_dir, max_nodes=max_nodes, timings=timings))


def render_outputs(
    result: BuildResult,
    out_dir: Path,
    *,
    max_nodes: int = 250,
    timings: dict[str, float] | None = None,
) -> dict[Path, str]:
    """Every export but report.json, rendered: output path -> text (nothing is written)."""
    from kg.rdf import Iris, to_turtle
    from kg.view import render_html

    iris = Iris(result.graph.graph.get("base") or Iris().base)
    renderers: dict[str, Callable[[], str]] = {
        "graph.ttl": lambda: to_turtle(result.graph, iris),
        "graph.json": lambda: _json(nx.node_link_data(result.graph, edges="links")),
        "graph.html": lambda: render_html(result.graph, max_nodes=max_nodes),
        "mentions.jsonl": lambda: _jsonl(mention_rows(result)),
        "quotes.jsonl": lambda: _jsonl(quote_rows(result)),
        "entities.jsonl": lambda: _jsonl(entity_rows(result.index, result.graph)),
    }
    contents = {}
    for name, render in renderers.items():
        t = time.perf_counter()
        contents[out_dir / name] = render()
        if timings is not None:
            timings[f"render_{name}"] = time.perf_counter() - t
    return contents


def mention_rows(result: BuildResult) -> Iterator[dict[str, Any]]:
    """mentions.jsonl rows, sorted by article then offset."""
    link, entities, nodes = result.index.link, result.index.entities, result.graph._node
    for ex in result.extractions:
        aid = ex.article.id
        for m in ex.mentions:
            key = link.get((aid, m.start, m.end))
            entity = entities.get(key) if key else None
            yield {
                "article": aid,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "kind": entity.kind if entity else m.kind,
                "entity": nodes[key]["iri"] if key else None,
                "entity_name": entity.name if entity else None,
            }


def quote_rows(result: BuildResult) -> Iterator[dict[str, Any]]:
    """quotes.jsonl rows, sorted by article then offset."""
    from kg.graph import quote_node

    nodes, succ = result.graph._node, result.graph._succ  # graph.nodes, less the views
    for ex in result.extractions:
        for q in ex.quotes:
            qid = quote_node(ex.article.id, q)
            node = nodes[qid]
            speaker, addressee = node.get("speaker"), node.get("addressee")
            about = sorted(nodes[t]["iri"] for t, keyed in succ[qid].items() if "about" in keyed)
            yield {
                "article": ex.article.id,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "words": q.words,
                "pieces": [[p.start, p.end] for p in q.pieces],
                "kind": q.kind,
                "speaker": nodes[speaker]["iri"] if speaker else None,
                "speaker_name": node.get("speaker_name"),
                "speaker_text": q.speaker_text,
                "cue": q.cue or None,
                "addressee": nodes[addressee]["iri"] if addressee else None,
                "about": about,
                "rule": q.rule,
            }


def _json(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=1) + "\\n"``, ~2x faster: the standard
    library's C encoder does no indenting (before Python 3.13), and its pure-Python one made
    graph.json the slowest export after the HTML. Plain JSON data only (str keys, no NaN);
    anything else goes to json.dumps, which raises as before."""
    parts: list[str] = []
    try:
        _encode(data, parts, "\n")
    except _NotPlain:
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    parts.append("\n")
    return "".join(parts)


class _NotPlain(Exception):
    """A value _encode leaves to json.dumps."""


_STRING = json.encoder.encode_basestring  # the C function where there is one
_SCALARS = {True: "true", False: "false", None: "null"}


def _encode(value: Any, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(_STRING(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        add = out.append
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            kind = type(item)
            if kind is str:
                add(f"{separator}{_STRING(key)}: {_STRING(item)}")
            elif kind is int:
                add(f"{separator}{_STRING(key)}: {int.__repr__(item)}")
            elif item is None or kind is bool:  # no call for what needs none (speaker: null)
                add(f"{separator}{_STRING(key)}: {_SCALARS[item]}")
            elif not item and (kind is list or kind is tuple):
                add(f"{separator}{_STRING(key)}: []")
            else:
                add(f"{separator}{_STRING(key)}: ")
                _encode(item, out, inner)
            separator = "," + inner
        add(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        if all(type(item) is str for item in value):
            out.append(f"[{inner}{(',' + inner).join(map(_STRING, value))}{newline}]")
            return
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _encode(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and value - value == 0.0:  # finite
        out.append(float.__repr__(value))
    elif kind is bool or value is None:
        out.append(_SCALARS[value])
    else:
        raise _NotPlain


_ROW = json.JSONEncoder(ensure_ascii=False)
# json.dumps(row, ensure_ascii=False) for a dict row, less the encoder json.dumps (and even
# JSONEncoder.encode) builds for every call: the C encoder it builds, made once (rows hold plain
# data, never themselves: no check for cycles)
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # None where there is none
_ROW_CHUNKS = _C_ENCODER and _C_ENCODER(
    None, _ROW.default, _STRING, None, ": ", ", ", False, False, True
)


def _jsonl(rows: Iterable[dict[str, Any]]) -> str:
    if _ROW_CHUNKS is None:  # no C encoder (not CPython)
        encode = _ROW.encode
        return "".join([encode(row) + "\n" for row in rows])
    chunks, join = _ROW_CHUNKS, "".join
    return "".join([join(chunks(row, 0)) + "\n" for row in rows])


def _write_atomic(contents: dict[Path, str]) -> None:
    """Write each file to a temporary sibling, then rename them all into place.

    Temporary files a killed earlier build left behind (``.graph.ttl.*.tmp``) are swept first.
    """
    for path in contents:
        for leftover in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
            leftover.unlink(missing_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in contents.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))  # from now on removed below if anything fails
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
    except BaseException as err:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write outputs: {err.strerror or err}") from err
        raise
