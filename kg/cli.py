"""The command line: a thin shell over kg.build and kg.sparql.

Fatal errors print one line (``kg: error: ...``) and exit non-zero; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KgError

EXIT_ERROR = 2
EXIT_INTERNAL = 1


def _fail(ctx: click.Context, err: BaseException, *, internal: bool = False) -> None:
    if ctx.find_root().params.get("debug"):
        raise err
    if isinstance(err, OSError) and err.strerror:
        message = f"{err.filename}: {err.strerror}" if err.filename else err.strerror
    else:
        message = str(err) or type(err).__name__
    message = " ".join(message.split())  # one line, whatever the message holds
    if internal:
        click.echo(
            f"kg: internal error: {type(err).__name__}: {message} "
            "(a bug: please report it with the output of `kg --debug ...`)",
            err=True,
        )
        ctx.exit(EXIT_INTERNAL)
    click.echo(f"kg: error: {message}", err=True)
    ctx.exit(EXIT_ERROR)


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors (and OS errors, and bugs) into one line and a non-zero exit."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        try:
            return ctx.invoke(func, *args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (KgError, OSError) as err:
            _fail(ctx, err)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; previous outputs are intact", err=True)
            ctx.exit(130)
        except Exception as err:  # noqa: BLE001 - a bug: one line, --debug shows it
            _fail(ctx, err, internal=True)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def main(debug: bool) -> None:
    """kg: build a knowledge graph of who and what the news is about, and query it."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    default="output",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder to write the graph into.",
)
@click.option(
    "--model",
    "-m",
    default=None,
    help="spaCy pipeline to use (package name or path); default en_core_web_sm 3.8.",
)
@click.option("--base", default=None, help="Base IRI for entities, articles and quotes.")
@click.option(
    "--n-process",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes that parse and extract (each with the pipeline; extractions come back).",
)
@click.option(
    "--batch-size",
    default=32,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Texts per spaCy batch.",
)
@click.option(
    "--max-bytes",
    default=5_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Skip (and report) files larger than this.",
)
@click.option(
    "--max-nodes",
    default=250,
    show_default=True,
    type=click.IntRange(1),
    help="Entities shown at first in graph.html.",
)
@click.option(
    "--cache",
    "cache_dir",
    default=None,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of per-article extractions reused by later builds  [default: OUT/.cache]",
)
@click.option("--no-cache", is_flag=True, help="Parse every article; read and write no cache.")
@click.option(
    "--dask",
    default=None,
    metavar="ADDRESS|local:N",
    help="Parse on dask.distributed: a scheduler address, or local:N for N local workers.",
)
@click.option(
    "--kb",
    "kb",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Knowledge base (CSV or JSONL: id,label,aliases,kind): link entities to your ids.",
)
@click.option(
    "--judgements",
    "judgements",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Merge decisions, one a line: same|different<TAB>A<TAB>B (entity key or name).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@_guard
def build(
    paths: tuple[Path, ...],
    out: Path,
    model: str | None,
    base: str | None,
    n_process: int,
    batch_size: int,
    max_bytes: int,
    max_nodes: int,
    cache_dir: Path | None,
    no_cache: bool,
    dask: str | None,
    kb: Path | None,
    judgements: Path | None,
    quiet: bool,
) -> None:
    """Build the graph from articles under PATHS (default: seeds) into --out.

    Reads .txt, .md, .html/.htm and .jsonl files, recursively. Writes graph.ttl, graph.html,
    graph.json, mentions.jsonl, quotes.jsonl, entities.jsonl and report.json.
    """
    from kg.pipeline import build as run_build

    bar = _progress(quiet)

    def on_problem(problem: Any) -> None:
        if not quiet:
            where = f"{problem.source}:{problem.line}" if problem.line else problem.source
            where = "".join(c if c.isprintable() else repr(c)[1:-1] for c in where)  # one line
            _echo_above(
                bar,
                f"kg: skipped {where}: {problem.reason}"
                if not problem.reason.startswith("unclosed")
                else f"kg: warning {where}: {problem.reason}",
            )

    try:
        result = run_build(
            list(paths) or ["seeds"],
            out=out,
            model=model,
            base=base,
            n_process=n_process,
            batch_size=batch_size,
            max_bytes=max_bytes,
            max_nodes=max_nodes,
            on_problem=on_problem,
            progress=bar.update if bar is not None else None,
            cache=False if no_cache else (cache_dir or True),
            dask=dask,
            kb=kb,
            judgements=judgements,
        )
    finally:
        if bar is not None:
            bar.close()
    # The command ends here: no collection at exit should rescan every object of the build.
    gc.freeze()
    if not quiet:
        r = result.report
        c = r["counts"]
        click.echo(
            f"kg: {r['articles_read']} articles read, {len(r['skipped'])} skipped; "
            f"{c['entities']} entities, {c['quotes']} quotes ({c['unresolved_speakers']} without speaker), "
            f"{sum(c['edges'].values())} edges; {r['timings']['total']:.1f}s with {r['model']} -> {out}/",
            err=True,
        )
    _echo_cache(result.report.get("cache"), quiet)


def _echo_cache(stats: dict[str, Any] | None, quiet: bool) -> None:
    """One line on what the cache did; corrupt entries are named (they were parsed again)."""
    if not stats:
        return
    for path in stats["corrupt"]:
        click.echo(f"kg: warning: corrupt cache entry {path}: parsed the article again", err=True)
    if stats.get("unwritable"):
        click.echo(f"kg: warning: cannot write the cache: {stats['unwritable']}", err=True)
    if not quiet:
        click.echo(
            f"kg: cache {stats['directory']}: {stats['hits']} reused, {stats['parsed']} parsed",
            err=True,
        )


def _progress(quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" articles", desc="kg build", file=sys.stderr, leave=False)


def _echo_above(bar: Any, line: str) -> None:
    if bar is not None:
        bar.write(line, file=sys.stderr)
    else:
        click.echo(line, err=True)


@main.command()
@click.argument("graph", required=False)
@click.argument("query", required=False)
@click.option(
    "--store",
    default=None,
    type=click.Path(path_type=Path, file_okay=False),
    help="Query this Oxigraph store (made by `kg load`) instead of a GRAPH file.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option(
    "--arg",
    "-a",
    "args",
    multiple=True,
    metavar="NAME=VALUE",
    help="Parameter of a named query (who=Zelensky).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@_guard
def query(
    graph: str | None,
    query: str | None,
    store: Path | None,
    list_queries: bool,
    args: tuple[str, ...],
    fmt: str,
) -> None:
    """Run a SPARQL QUERY (text, @file, or a named query) on a Turtle GRAPH or an Oxigraph --store.

    \b
    kg query output/graph.ttl speakers
    kg query output/graph.ttl said --arg who=Zelensky
    kg query output/graph.ttl 'SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n }'
    kg query --store output/store speakers
    """
    from kg import sparql

    if list_queries:
        for q in sparql.NAMED_QUERIES.values():
            params = " ".join(f"--arg {p}=..." for p in q.params)
            click.echo(f"{q.name:<11} {q.description}" + (f"  [{params}]" if params else ""))
        return
    if store is not None:
        if query is not None:
            raise click.UsageError("give either a GRAPH file or --store DIR, not both")
        graph, query = None, graph
    if not query:
        raise click.UsageError("give a QUERY (SPARQL text, @file.rq, or a name from --list)")
    text = _query_text(query, args)
    if store is not None:
        from kg.store import open_store, query_store

        columns, rows = query_store(open_store(store), text)
    elif graph is None:
        raise click.UsageError("give a GRAPH (a Turtle file) or --store DIR")
    else:
        columns, rows = sparql.run_query(sparql.load_graph(graph), text)
    click.echo(sparql.format_rows(columns, rows, fmt))


def _query_text(query: str, args: tuple[str, ...]) -> str:
    from kg import sparql
    from kg.errors import QueryError

    values: dict[str, str] = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep:
            raise QueryError(f"--arg takes NAME=VALUE, got {arg!r}")
        values[name.strip()] = value
    if query in sparql.NAMED_QUERIES:
        return sparql.render_named(query, values)
    if query.startswith("@"):
        return Path(query[1:]).read_text(encoding="utf-8")
    if query.isidentifier():
        raise QueryError(f"no named query {query!r}; `kg query GRAPH --list` shows them")
    return query


@main.command()
@click.argument("graph", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--store",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the Oxigraph store (created if missing).",
)
@click.option("--append", is_flag=True, help="Add to what the store holds instead of replacing it.")
@_guard
def load(graph: Path, store: Path, append: bool) -> None:
    """Bulk-load a Turtle GRAPH into a persistent Oxigraph --store.

    \b
    kg load output/graph.ttl --store output/store
    kg query --store output/store speakers
    """
    import time

    from kg.store import load_store

    started = time.perf_counter()
    count = load_store(graph, store, append=append)
    click.echo(
        f"kg: {count} triples in {store}/ ({time.perf_counter() - started:.1f}s)", err=True
    )


@main.command()
@click.option(
    "--store",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of an Oxigraph store made by `kg load`.",
)
@click.option("--port", "-p", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--timeout", default=60, show_default=True, type=click.IntRange(1), help="Seconds per query."
)
@_guard
def serve(store: Path, port: int, timeout: int) -> None:
    """Serve a --store read-only as a SPARQL 1.1 endpoint on 127.0.0.1 (Oxigraph's server).

    \b
    kg serve --store output/store --port 7878
    curl -H 'Accept: application/sparql-results+json' \\
         --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' \\
         http://127.0.0.1:7878/query
    """
    import os
    import subprocess

    from kg.store import mark_served, serve_command

    command = serve_command(store, port, timeout=timeout)
    mark_served(store)
    click.echo(f"kg: SPARQL endpoint http://127.0.0.1:{port}/query (Ctrl-C stops it)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(command[0], command)  # the server replaces us: signals reach it directly
    ctx = click.get_current_context()
    ctx.exit(subprocess.call(command))


if __name__ == "__main__":  # pragma: no cover
    main()
