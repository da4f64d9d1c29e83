"""The Oxigraph store: `kg load` bulk-loads the Turtle, `kg query --store` answers the named queries
as rdflib does, and `kg serve` is a SPARQL 1.1 Protocol endpoint on 127.0.0.1 that answers the same."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sparql import NAMED_QUERIES, render_named, run_query, with_prologue
from kg.store import load_store, open_store, query_store, to_python

ARGS = {"who": "Zelensky", "what": "Ukraine", "kind": "person"}
# GROUP_CONCAT joins in an order SPARQL leaves to the engine: compare those cells as sets. Over a
# group with no values rdflib gives "" and Oxigraph leaves the cell unbound: both count as empty.
CONCAT = {"aliases": " | ", "authors": ", "}
JSON_RESULTS = "application/sparql-results+json"


def normalized(columns, rows):
    """Rows as a sorted list (ties in ORDER BY may come in any order), concatenations as sets."""

    def cell(column, value):
        if column in CONCAT and value in ("", None):
            return ()
        if column in CONCAT and isinstance(value, str):
            return tuple(sorted(value.split(CONCAT[column])))
        return value

    return sorted((tuple(cell(c, v) for c, v in zip(columns, row)) for row in rows), key=repr)


@pytest.fixture(scope="module")
def store(seed_build, tmp_path_factory):
    _, out, g = seed_build
    path = tmp_path_factory.mktemp("store") / "db"
    assert load_store(out / "graph.ttl", path) == len(g)
    return path


@pytest.mark.parametrize("name", sorted(NAMED_QUERIES))
def test_named_queries_answer_the_same_on_the_store(seed_build, store, name):
    _, _, g = seed_build
    query = render_named(name, ARGS)
    expected = run_query(g, query)
    columns, rows = query_store(open_store(store), query)
    assert rows, name
    assert columns == expected[0]
    assert normalized(columns, rows) == normalized(*expected)


def test_load_replaces_and_append_adds(seed_build, tmp_path):
    _, out, g = seed_build
    path = tmp_path / "db"
    assert load_store(out / "graph.ttl", path) == len(g)
    assert load_store(out / "graph.ttl", path) == len(g)  # replaced, not doubled
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://example.org/x> <https://schema.org/name> "x" .\n', encoding="utf-8")
    assert load_store(extra, path, append=True) == len(g) + 1


def test_a_failed_load_keeps_the_previous_store(seed_build, tmp_path):
    from kg.store import StoreError

    _, out, g = seed_build
    path = tmp_path / "store"
    assert load_store(out / "graph.ttl", path) == len(g)
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> \"unterminated .\n", encoding="utf-8")
    with pytest.raises(StoreError, match="not valid Turtle"):
        load_store(broken, path)
    assert len(open_store(path)) == len(g)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ttl", "store"]


def test_cli_load_and_query_store(seed_build, tmp_path):
    _, out, _ = seed_build
    runner = CliRunner()
    path = tmp_path / "db"
    loaded = runner.invoke(main, ["load", str(out / "graph.ttl"), "--store", str(path)])
    assert loaded.exit_code == 0, loaded.output
    from_store = runner.invoke(main, ["query", "--store", str(path), "speakers", "-f", "csv"])
    from_file = runner.invoke(main, ["query", str(out / "graph.ttl"), "speakers", "-f", "csv"])
    assert from_store.exit_code == 0, from_store.output
    assert from_store.output == from_file.output
    assert "Volodymyr Zelensky" in from_store.output


def test_store_errors_are_one_line(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["query", "--store", str(tmp_path / "none"), "speakers"])
    assert missing.exit_code != 0 and "kg load" in missing.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    loaded = runner.invoke(main, ["load", str(bad), "--store", str(tmp_path / "db")])
    assert loaded.exit_code != 0 and "not valid Turtle" in loaded.output


def test_bad_sparql_on_the_store_names_the_line(store):
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="line 1"):
        query_store(open_store(store), "SELECT ?x WHERE { ?x ?y }")


# --- the HTTP endpoint --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ask(url: str, query: str, method: str = "GET", timeout: float = 10) -> dict:
    data = None
    if method == "GET":
        url = f"{url}?{urllib.parse.urlencode({'query': query})}"
    else:
        data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Accept": JSON_RESULTS}
    )
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        assert response.headers.get_content_type() == JSON_RESULTS
        return json.loads(response.read())


@pytest.fixture(scope="module")
def endpoint(store):
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:  # bounded: at most 30 s, one short request every 0.2 s
            try:
                ask(url, "ASK {}", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {server.stderr.read()[-1000:]!r}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def from_json(document: dict) -> tuple[list[str], list[tuple]]:
    """SPARQL JSON results as kg.sparql's (columns, rows) of Python values."""
    import pyoxigraph

    columns = document["head"]["vars"]

    def value(binding):
        if binding is None:
            return None
        if binding["type"] == "literal":
            datatype = binding.get("datatype")
            return to_python(
                pyoxigraph.Literal(binding["value"], datatype=pyoxigraph.NamedNode(datatype))
                if datatype
                else pyoxigraph.Literal(binding["value"], language=binding.get("xml:lang"))
            )
        return binding["value"]

    rows = [tuple(value(b.get(c)) for c in columns) for b in document["results"]["bindings"]]
    return columns, rows


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", ["speakers", "said", "entities", "articles"])
def test_endpoint_answers_as_rdflib_does(seed_build, endpoint, name, method):
    _, _, g = seed_build
    query = render_named(name, ARGS)
    expected = run_query(g, query)
    columns, rows = from_json(ask(endpoint, with_prologue(query), method))
    assert rows and columns == expected[0]
    assert normalized(columns, rows) == normalized(*expected)


def test_endpoint_counts_every_triple(seed_build, endpoint):
    _, _, g = seed_build
    document = ask(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "POST")
    assert int(document["results"]["bindings"][0]["n"]["value"]) == len(g)


def test_endpoint_is_read_only(endpoint):
    update = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    request = urllib.request.Request(
        endpoint.replace("/query", "/update"), data=update, method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10)


def test_load_refuses_a_store_being_served(seed_build, store, endpoint):
    from kg.store import StoreError

    _, out, _ = seed_build
    with pytest.raises(StoreError, match="being served"):
        load_store(out / "graph.ttl", store)
