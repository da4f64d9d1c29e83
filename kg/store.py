"""A persistent triple store for graphs too big to re-parse per query: Oxigraph.

``load_store`` bulk-loads a ``graph.ttl`` into a pyoxigraph ``Store`` on disk (RocksDB);
``query_store`` runs the same SPARQL (and the same named queries) as ``kg.sparql`` does on rdflib,
returning the same Python values; ``serve_command`` is the command line of Oxigraph's own SPARQL
HTTP server (the ``oxigraph`` package on PyPI) serving that folder read-only on 127.0.0.1, so
any SPARQL 1.1 Protocol client can query it (``GET /query?query=...`` or ``POST /query``).

pyoxigraph and the ``oxigraph`` server share one on-disk format within a minor version: the two
are pinned to the same ``0.5`` series in pyproject.toml.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path
from typing import Any

from kg.errors import KgError, QueryError, one_line
from kg.sparql import with_prologue
from kg.vocab import PREFIXES

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


class StoreError(KgError):
    """The triple store folder cannot be created, opened or served."""


def load_store(
    graph: str | os.PathLike[str], store: str | os.PathLike[str], *, append: bool = False
) -> int:
    """Bulk-load a Turtle file into the Oxigraph store at ``store``; return its triple count.

    The store's content is replaced unless ``append``: a store then holds exactly one build's
    graph. A failed load leaves the previous content intact.
    """
    import pyoxigraph

    graph = Path(graph)
    if not graph.is_file():
        raise StoreError(f"{graph}: no such graph file (run `kg build` first)")
    target = Path(store)
    if target.exists() and not target.is_dir():
        raise StoreError(f"{target} is a file, not a store folder; choose another --store")
    serving = server_pid(target)
    if serving is not None:
        raise StoreError(
            f"{target} is being served by `kg serve` (pid {serving}); stop it before loading: "
            "a read-only server must not see the store change under it"
        )
    # A replacing load goes into a sibling folder that is swapped in only once it succeeded: a
    # failed load (broken Turtle, full disk) leaves the previous store as it was.
    work = target if append else target.with_name(f".{target.name}.loading-{os.getpid()}")
    if not append and work.exists():
        shutil.rmtree(work)
    try:
        count = _bulk_load(pyoxigraph, work, graph)
    except BaseException:
        if not append:
            shutil.rmtree(work, ignore_errors=True)
        raise
    if not append:
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    return count


def _bulk_load(pyoxigraph: Any, target: Path, graph: Path) -> int:
    try:
        db = pyoxigraph.Store(str(target))
    except OSError as err:
        raise StoreError(
            f"cannot open store {target}: {one_line(err)} (is `kg serve` using it?)"
        ) from err
    try:
        db.bulk_load(path=str(graph), format=pyoxigraph.RdfFormat.TURTLE)
        db.flush()
        return len(db)
    except SyntaxError as err:
        raise StoreError(f"{graph}: not valid Turtle: {one_line(err)}") from err
    except OSError as err:
        raise StoreError(f"cannot load {graph} into {target}: {one_line(err)}") from err
    finally:
        del db


def open_store(store: str | os.PathLike[str]) -> Any:
    """Open a store folder read-only (a running ``kg serve`` on it is fine)."""
    import pyoxigraph

    path = Path(store)
    if not path.is_dir() or not any(path.iterdir()):
        raise QueryError(f"{path}: no triple store here (run `kg load GRAPH.ttl --store {path}`)")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as err:
        raise QueryError(f"cannot open store {path}: {one_line(err)}") from err


def query_store(db: Any, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a SELECT/ASK query on a pyoxigraph store: column names and rows of Python values,
    the same values ``kg.sparql.run_query`` gives for the same graph in rdflib."""
    import pyoxigraph

    try:
        result = db.query(with_prologue(query))
    except SyntaxError as err:
        raise QueryError(f"invalid SPARQL: {_shift_lines(one_line(err))}") from err
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"query failed: {one_line(err)}") from err
    if isinstance(result, pyoxigraph.QueryBoolean):
        return ["ask"], [(bool(result),)]
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT and ASK queries print as tables")
    columns = [v.value for v in result.variables]
    rows = [tuple(to_python(solution[c]) for c in columns) for solution in result]
    return columns, rows


def to_python(term: Any) -> Any:
    """A pyoxigraph term as the Python value ``kg.sparql`` makes of the rdflib term."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
            if datatype == _XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return term.value if hasattr(term, "value") else str(term)


def server_binary() -> str:
    """The ``oxigraph`` executable: beside this Python's scripts, else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sysconfig.get_path("scripts")) / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise StoreError("the Oxigraph server is not installed: `pip install oxigraph`")
    return found


SERVE_PID = ".kg-serve.pid"


def mark_served(store: str | os.PathLike[str]) -> None:
    """Record that this process (about to become the server) serves ``store``."""
    (Path(store) / SERVE_PID).write_text(f"{os.getpid()}\n", encoding="ascii")


def server_pid(store: str | os.PathLike[str]) -> int | None:
    """The pid of a live ``kg serve`` on ``store``, else None (a stale mark is ignored)."""
    try:
        pid = int((Path(store) / SERVE_PID).read_text(encoding="ascii").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            if b"serve" not in cmdline.read_bytes():
                return None  # the pid was reused by another program
        except OSError:
            return None
    return pid


def serve_command(store: str | os.PathLike[str], port: int, *, timeout: int = 60) -> list[str]:
    """The command line of Oxigraph's read-only SPARQL server on 127.0.0.1:``port``."""
    path = Path(store)
    if not path.is_dir() or not any(path.iterdir()):
        raise StoreError(f"{path}: no triple store here (run `kg load GRAPH.ttl --store {path}`)")
    return [
        server_binary(),
        "serve-read-only",
        "--location",
        str(path),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout-s",
        str(timeout),
    ]



def _shift_lines(message: str) -> str:
    """Oxigraph counts lines from the top of our prologue; report them from the user's query."""
    import re

    def shift(match: re.Match[str]) -> str:
        line = max(1, int(match.group(1)) - len(PREFIXES))
        return f"at line {line}, column {match.group(2)}"

    return re.sub(r"at (\d+):(\d+)", shift, message)
