"""The per-article map: parse + extract every article, locally or on Dask, through the cache.

``ArticleMap.run(articles)`` streams ``ArticleExtraction`` records, in no particular order (the
reduce, ``kg.pipeline.assemble``, sorts them). Articles found in the cache are yielded without
parsing; the pipeline is loaded only when the first article that is not cached arrives, so a
rebuild of an unchanged corpus never loads spaCy. The rest go to one ``nlp.pipe`` stream
(locally) or, with ``dask=``, to ``dask.distributed`` workers in batches: each worker loads the
pipeline once and returns plain dicts; the client writes the cache and runs the reduce.

``dask`` is a scheduler address (``tcp://10.0.0.5:8786``) or ``local:N`` for a ``LocalCluster`` of
N single-threaded worker processes on this machine.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from kg.cache import ExtractionCache, code_fingerprint, model_key, model_meta
from kg.errors import KgError, one_line
from kg.records import Article, ArticleExtraction

if TYPE_CHECKING:
    from spacy.language import Language


class DaskError(KgError):
    """The Dask cluster cannot be reached or a worker failed."""


class ArticleMap:
    """The map step of one build: ``run`` it once over the articles, then read its attributes."""

    def __init__(
        self,
        model: str,
        load: Callable[[], Language],
        *,
        cache_dir: str | None = None,
        dask: str | None = None,
        batch_size: int = 32,
        n_process: int = 1,
    ) -> None:
        self.model = model
        self._load = load
        self.dask = dask
        self.batch_size = batch_size
        self.n_process = n_process
        self.cache_dir = cache_dir
        self.cache: ExtractionCache | None = None
        self.model_id: str | None = None
        self.load_seconds = 0.0
        self.parsed = 0
        self._nlp: Language | None = None

    def run(self, articles: Iterable[Article]) -> Iterator[ArticleExtraction]:
        """Every article's extraction: cached ones first as they stream past, parsed ones after."""
        if self.cache_dir is not None:
            self.cache = ExtractionCache(self.cache_dir, self._pipeline_key())
        ready: deque[ArticleExtraction] = deque()
        misses = _misses(articles, self.cache, ready)
        first = next(misses, None)
        yield from _drain(ready)
        if first is None:
            return
        for extraction in self._parse(chain([first], misses)):
            yield from _drain(ready)
            self.parsed += 1
            if self.cache is not None:
                self.cache.put(extraction)
            yield extraction
        yield from _drain(ready)

    def resolve_model_id(self) -> str:
        """The model's ``lang_name-version`` (from its meta.json when nothing was parsed)."""
        if self.model_id is None:
            from kg.nlp import MODEL_ALIASES

            meta = model_meta(self.model, MODEL_ALIASES.get(self.model, (self.model,)))
            if meta is not None:
                self.model_id = model_key(meta)[0]
            else:
                self._pipeline()  # raises ModelError with an install hint
        return self.model_id or "?"

    def _pipeline_key(self) -> str:
        """Model (id + meta hash, read without loading spaCy) and extraction code fingerprint."""
        from kg.nlp import MODEL_ALIASES

        meta = model_meta(self.model, MODEL_ALIASES.get(self.model, (self.model,)))
        if meta is None and self.dask is None:
            meta = dict(self._pipeline().meta)
        if meta is None:
            meta = _run_on_cluster(self.dask or "", _worker_meta, self.model)
        self.model_id, fingerprint = model_key(meta)
        return f"{fingerprint}|{code_fingerprint()}"

    def _pipeline(self) -> Language:
        if self._nlp is None:
            from kg.nlp import model_id

            started = time.perf_counter()
            self._nlp = self._load()
            self.load_seconds += time.perf_counter() - started
            self.model_id = model_id(self._nlp)
        return self._nlp

    def _parse(self, articles: Iterator[Article]) -> Iterator[ArticleExtraction]:
        if self.dask:
            yield from self._parse_on_dask(articles)
            return
        if self.n_process > 1:
            yield from self._parse_in_processes(articles)
            return
        from kg.extract import extract_article
        from kg.nlp import parse_articles

        nlp = self._pipeline()
        with _gc_frozen():
            for article, chunks in parse_articles(
                nlp, articles, batch_size=self.batch_size, n_process=self.n_process
            ):
                yield extract_article(article, chunks)

    def _parse_in_processes(self, articles: Iterator[Article]) -> Iterator[ArticleExtraction]:
        """``n_process`` worker processes that parse *and* extract, each loading the pipeline
        once: plain extractions travel back, not Docs (spaCy's own ``n_process`` pickles every
        Doc to the parent, which then extracts alone)."""
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

        # Where processes fork (Linux, as spaCy's own n_process does), the workers inherit the
        # pipeline loaded here, place ruler and gazetteer included; elsewhere each loads its own.
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork":
            with _PIPELINE_LOCK:
                _PIPELINES[self.model] = self._pipeline()
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(self.n_process, mp_context=context) as pool:
            batches = _batches(articles, self.batch_size)
            pending: set[Future[tuple[str, list[dict[str, Any]]]]] = {
                pool.submit(_extract_batch, self.model, batch)
                for batch in islice(batches, 2 * self.n_process)
            }
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    worker_model, rows = future.result()
                    self._check_model(worker_model)
                    pending.update(
                        pool.submit(_extract_batch, self.model, batch)
                        for batch in islice(batches, 1)
                    )
                    yield from (ArticleExtraction.from_dict(row) for row in rows)

    def _parse_on_dask(self, articles: Iterator[Article]) -> Iterator[ArticleExtraction]:
        from distributed import as_completed

        with _connect(self.dask or "") as client:
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            batches = _batches(articles, self.batch_size)
            window = as_completed()

            def submit(batch: list[Article]) -> None:
                window.add(client.submit(_extract_batch, self.model, batch, pure=False))

            for batch in islice(batches, 2 * workers):
                submit(batch)
            for future in window:
                try:
                    worker_model, rows = future.result()
                except KgError:
                    raise
                except Exception as err:
                    raise DaskError(f"a Dask worker failed: {one_line(err)}") from err
                self._check_model(worker_model)
                for batch in islice(batches, 1):
                    submit(batch)
                for row in rows:
                    yield ArticleExtraction.from_dict(row)

    def _check_model(self, worker_model: str) -> None:
        if self.model_id is None:
            self.model_id = worker_model
        elif worker_model != self.model_id:
            raise DaskError(
                f"a Dask worker runs model {worker_model!r}, the build expects {self.model_id!r}; "
                "install the same model (and kg version) on the client and every worker"
            )


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """Move every object alive now (the model and the gazetteer, ~1M objects that live as long as
    the build) out of the cyclic GC's sight while articles are parsed: its full collections then
    scan only what the parse made. Undone afterwards, unless the caller had frozen some itself."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _misses(
    articles: Iterable[Article], cache: ExtractionCache | None, ready: deque[ArticleExtraction]
) -> Iterator[Article]:
    """The articles the cache lacks; cached extractions go to ``ready`` as a side effect."""
    for article in articles:
        hit = cache.get(article) if cache is not None else None
        if hit is None:
            yield article
        else:
            ready.append(hit)


def _drain(ready: deque[ArticleExtraction]) -> Iterator[ArticleExtraction]:
    while ready:
        yield ready.popleft()


def _batches(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while batch := list(islice(articles, size)):
        yield batch


class _connect:
    """A ``distributed.Client`` for an address or ``local:N``; closes what it opened."""

    def __init__(self, where: str, timeout: str = "20s") -> None:
        self.where = where
        self.timeout = timeout
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        import logging

        try:
            from distributed import Client, LocalCluster
        except ImportError as err:
            raise DaskError(
                "--dask needs dask.distributed: pip install 'dask[distributed]'"
            ) from err

        try:
            if self.where.startswith("local:"):
                count = self.where.partition(":")[2]
                if not count.isdigit() or int(count) < 1:
                    raise DaskError(f"--dask local:N takes a number of workers, got {self.where!r}")
                self.cluster = LocalCluster(
                    n_workers=int(count),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.where, timeout=self.timeout)
        except KgError:
            self.__exit__()
            raise
        except (OSError, TimeoutError, ValueError) as err:
            self.__exit__()
            raise DaskError(
                f"cannot reach the Dask scheduler at {self.where!r}: {one_line(err)}; "
                "start one with `dask scheduler` (and `dask worker ADDRESS`) or use --dask local:N"
            ) from err
        return self.client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _run_on_cluster(where: str, func: Callable[..., Any], *args: Any) -> Any:
    with _connect(where) as client:
        return client.submit(func, *args, pure=False).result()


# --- what runs on a worker ------------------------------------------------------------------

_PIPELINES: dict[str, Language] = {}
_PIPELINE_LOCK = threading.Lock()


def worker_pipeline(model: str) -> Language:
    """The pipeline of this worker process, loaded on first use and kept for every later task."""
    with _PIPELINE_LOCK:
        if model not in _PIPELINES:
            from kg.nlp import load_pipeline

            _PIPELINES[model] = load_pipeline(model)
        return _PIPELINES[model]


def _extract_batch(model: str, articles: list[Article]) -> tuple[str, list[dict[str, Any]]]:
    """Parse and extract a batch of articles on a worker; plain dicts travel back."""
    from kg.extract import extract_article
    from kg.nlp import model_id, parse_articles

    nlp = worker_pipeline(model)
    rows = [
        extract_article(article, chunks).to_dict()
        for article, chunks in parse_articles(nlp, articles, batch_size=len(articles))
    ]
    return model_id(nlp), rows


def _worker_meta(model: str) -> dict[str, Any]:
    return dict(worker_pipeline(model).meta)


def peak_rss_mib() -> float | None:
    """This process's peak resident set size so far, in MiB (None where the OS won't say)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
