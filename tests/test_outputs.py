"""The files a build writes: Turtle that three parsers accept, JSON Lines with honest offsets,
an offline HTML page, a report, and a committed output/ that is never stale."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from conftest import ROOT, SEEDS, has

from kg.sparql import NAMED_QUERIES, render_named, run_query

OUTPUTS = ("graph.ttl", "graph.json", "graph.html", "mentions.jsonl", "quotes.jsonl")


def test_turtle_round_trips_through_rdflib_and_pyoxigraph(seed_build):
    import pyoxigraph

    _, out, g = seed_build
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(g) > 500
    assert len(store) == len(g)


@pytest.mark.parametrize("tool,args", [("rapper", ["-i", "turtle", "-c"]), ("serdi", ["-i", "turtle", "-o", "ntriples"])])
def test_turtle_parses_in_strict_parsers(seed_build, tool, args):
    if not has(tool):
        pytest.skip(f"{tool} is not installed (apt-get install raptor2-utils serdi; `make` does it as root)")
    _, out, g = seed_build
    run = subprocess.run([tool, *args, str(out / "graph.ttl")] + (["https://example.org/"] if tool == "rapper" else []),
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    if tool == "serdi":
        assert len([line for line in run.stdout.splitlines() if line.strip()]) == len(g)
    else:
        assert re.search(rf"returned {len(g)} triples", run.stderr), run.stderr[-500:]


@pytest.mark.parametrize("name", sorted(NAMED_QUERIES))
def test_named_queries_answer_on_the_seed_graph(seed_build, name):
    _, _, g = seed_build
    args = {"who": "Zelensky", "what": "China", "kind": "person"}
    columns, found = run_query(g, render_named(name, args))
    assert columns and found, name


def test_speakers_query_puts_zelensky_first(seed_build):
    _, _, g = seed_build
    columns, found = run_query(g, render_named("speakers", {}))
    assert columns[:3] == ["speaker", "kind", "quotes"]
    assert found[0][0] == "Volodymyr Zelensky" and found[0][2] >= 10


def test_html_is_offline(seed_build):
    _, out, _ = seed_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src\s*=\s*[\"']?https?:", html, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href\s*=\s*[\"']?https?:", html, re.IGNORECASE)
    assert "@import" not in html
    assert "vis-network" in html or "vis.Network" in html


def test_jsonl_offsets_point_into_the_article_text(seed_build):
    result, out, _ = seed_build
    texts = {ex.article.id: ex.article.text for ex in result.extractions}
    for name in ("mentions.jsonl", "quotes.jsonl"):
        lines = [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]
        assert lines, name
        assert lines == sorted(lines, key=lambda r: (r["article"], r["start"], r["end"])), name
        for row in lines:
            assert texts[row["article"]][row["start"] : row["end"]] == row["text"], row
    mentions = [json.loads(line) for line in (out / "mentions.jsonl").read_text().splitlines()]
    assert {"article", "start", "end", "text", "kind", "entity", "entity_name"} <= set(mentions[0])
    quotes = [json.loads(line) for line in (out / "quotes.jsonl").read_text().splitlines()]
    assert {"article", "start", "end", "text", "kind", "speaker", "speaker_name", "cue", "addressee", "about"} <= set(quotes[0])


def test_report_says_what_was_read(seed_build):
    _, out, _ = seed_build
    report = json.loads((out / "report.json").read_text())
    assert report["articles_read"] == 2 and report["skipped"] == []
    assert report["model"].startswith("en_core_web_sm") and "3.8" in report["model"]
    assert report["counts"]["quotes"] >= 15 and report["counts"]["entities"] >= 30
    assert {"load_model", "parse_and_extract", "link", "write", "total"} <= set(report["timings"])


def test_node_link_json_round_trips(seed_build):
    import networkx as nx

    result, out, _ = seed_build
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    assert back.number_of_nodes() == result.graph.number_of_nodes()
    assert back.number_of_edges() == result.graph.number_of_edges()


def test_builds_are_byte_identical(seed_build, tmp_path):
    import kg

    _, out, _ = seed_build
    kg.build([SEEDS], out=tmp_path)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def committed(name: str) -> bytes | None:
    """The committed copy of output/NAME (from git when we are in a checkout, else the file)."""
    run = subprocess.run(["git", "show", f"HEAD:output/{name}"], cwd=ROOT, capture_output=True, check=False)
    if run.returncode == 0:
        return run.stdout
    path = ROOT / "output" / name
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize("name", OUTPUTS)
def test_committed_output_is_not_stale(seed_build, name):
    _, out, _ = seed_build
    expected = committed(name)
    assert expected is not None, f"output/{name} is not committed: run `kg build` and commit output/"
    assert expected == (out / name).read_bytes(), f"output/{name} is stale: run `kg build` and commit output/"
