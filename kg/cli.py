"""The command line: a thin shell over kg.build and kg.sparql.

Fatal errors print one line (``kg: error: ...``) and exit non-zero; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KgError

EXIT_ERROR = 2


def _fail(ctx: click.Context, err: BaseException) -> None:
    if ctx.find_root().params.get("debug"):
        raise err
    click.echo(f"kg: error: {err}", err=True)
    ctx.exit(EXIT_ERROR)


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors (and a missing file) into one line and a non-zero exit."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        try:
            return ctx.invoke(func, *args, **kwargs)
        except (KgError, FileNotFoundError, PermissionError) as err:
            _fail(ctx, err)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; previous outputs are intact", err=True)
            ctx.exit(130)

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
    help="Processes for spaCy.",
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
    quiet: bool,
) -> None:
    """Build the graph from articles under PATHS (default: seeds) into --out.

    Reads .txt, .md, .html/.htm and .jsonl files, recursively. Writes graph.ttl, graph.html,
    graph.json, mentions.jsonl, quotes.jsonl and report.json.
    """
    from kg.pipeline import build as run_build

    bar = _progress(quiet)

    def on_problem(problem: Any) -> None:
        if not quiet:
            where = f"{problem.source}:{problem.line}" if problem.line else problem.source
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
        )
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        r = result.report
        c = r["counts"]
        click.echo(
            f"kg: {r['articles_read']} articles read, {len(r['skipped'])} skipped; "
            f"{c['entities']} entities, {c['quotes']} quotes ({c['unresolved_speakers']} without speaker), "
            f"{sum(c['edges'].values())} edges; {r['timings']['total']:.1f}s with {r['model']} -> {out}/",
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
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("query", required=False)
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
    graph: Path, query: str | None, list_queries: bool, args: tuple[str, ...], fmt: str
) -> None:
    """Run a SPARQL QUERY (text, @file, or a named query) on a Turtle GRAPH.

    \b
    kg query output/graph.ttl speakers
    kg query output/graph.ttl said --arg who=Zelensky
    kg query output/graph.ttl 'SELECT ?n WHERE { ?p a schema:Person ; schema:name ?n }'
    """
    from kg import sparql

    if list_queries:
        for q in sparql.NAMED_QUERIES.values():
            params = " ".join(f"--arg {p}=..." for p in q.params)
            click.echo(f"{q.name:<11} {q.description}" + (f"  [{params}]" if params else ""))
        return
    if not query:
        raise click.UsageError("give a QUERY (SPARQL text, @file.rq, or a name from --list)")
    text = _query_text(query, args)
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


if __name__ == "__main__":  # pragma: no cover
    main()
