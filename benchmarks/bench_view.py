"""How fast does output/graph.html settle in headless chromium?

Renders a graph with kg.view.render_html, opens it in Debian's chromium (network blocked) and
prints the time from navigation start to a settled layout (stabilization done, physics off) for
the default view, the page size, and the time to settle again after raising the limit.

    python benchmarks/bench_view.py                       # synthetic 1,000-article graph
    python benchmarks/bench_view.py --graph output/graph.json
    python benchmarks/bench_view.py --articles 200 --runs 5
    python benchmarks/bench_view.py --graph output/graph.json --screenshot docs/graph.png \
        --select Zelensky

Figures only; no assertion on time (target: under 2 s for the 1,000-article default view).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from kg.view import HEADLESS_CHROMIUM_ARGS, render_html

CHROMIUM_ARGS = list(HEADLESS_CHROMIUM_ARGS)
KINDS = [("person", 0.45), ("organization", 0.25), ("place", 0.25), ("event", 0.05)]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "an",
    "bel",
    "cor",
    "dan",
    "fel",
    "gor",
    "hal",
    "ost",
    "pen",
    "vek",
    "yar",
]


def synthetic_graph(articles: int = 1000, seed: int = 7) -> nx.MultiDiGraph:
    """A graph shaped like a build of ``articles`` news articles (about 8 entities per article)."""
    rng = random.Random(seed)
    n_entities = 8 * articles
    weights = [1 / (rank + 1) ** 0.9 for rank in range(n_entities)]  # Zipf-like popularity
    g = nx.MultiDiGraph(
        articles=articles,
        entities=n_entities,
        quotes=3 * articles,
        date_range=("2023-01-01", "2023-12-31"),
        model="synthetic",
        kg_version="bench",
        build_date=None,
    )
    entities = [_add_entity(g, rng, i) for i in range(n_entities)]
    persons = [e for e in entities if g.nodes[e]["kind"] == "person"]
    co: dict[tuple[str, str], dict[str, Any]] = {}
    for a in range(articles):
        art = f"bench/{a:05d}.txt"
        g.add_node(
            f"article/{art}",
            type="article",
            identifier=art,
            title=f"Headline {a} {_word(rng)}",
            date=f"2023-{1 + a % 12:02d}-{1 + a % 28:02d}",
            authors=[],
            publisher="Bench",
            url=f"https://example.org/{a}",
            iri=f"https://kg.example/article/{a}",
        )
        for s in range(25):
            found = sorted(
                set(rng.choices(entities, weights, k=rng.choice((0, 1, 2, 2, 3, 3, 4, 5))))
            )
            sentence = (
                f"Sentence {s} of article {a} mentions "
                + ", ".join(g.nodes[e]["name"] for e in found)
                + "."
            )
            for e in found:
                g.nodes[e]["mentions"] += 1
                if art not in g.nodes[e]["articles"]:
                    g.nodes[e]["articles"].append(art)
            for i, u in enumerate(found):
                for v in found[i + 1 :]:
                    edge = co.setdefault((u, v), {"weight": 0, "arts": set(), "evidence": []})
                    edge["weight"] += 1
                    edge["arts"].add(art)
                    edge["evidence"].append({"article": art, "title": None, "sentence": sentence})
    for (u, v), d in co.items():
        g.add_edge(
            u,
            v,
            key="co_mention",
            relation="co_mention",
            weight=d["weight"],
            sentence_count=d["weight"],
            article_count=len(d["arts"]),
            evidence=d["evidence"],
        )
    _add_quotes(g, rng, persons, entities, weights, 3 * articles, articles)
    return g


def _add_entity(g: nx.MultiDiGraph, rng: random.Random, i: int) -> str:
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    name = f"{_word(rng).title()} {_word(rng).title()}"
    node = f"{kind}/{name.lower().replace(' ', '-')}-{i}"
    g.add_node(
        node,
        type="entity",
        kind=kind,
        name=name,
        aliases=[name.split()[-1], f"{name} {i}"],
        mentions=0,
        articles=[],
        iri=f"https://kg.example/{node}",
    )
    return node


def _add_quotes(
    g: nx.MultiDiGraph,
    rng: random.Random,
    persons: list[str],
    entities: list[str],
    weights: list[float],
    count: int,
    articles: int,
) -> None:
    pw = [1 / (r + 1) for r in range(len(persons))]
    for q in range(count):
        art = f"bench/{rng.randrange(articles):05d}.txt"
        speaker = rng.choices(persons, pw)[0]
        node = f"quote/{art}/{q}"
        g.add_node(
            node,
            type="quote",
            text=" ".join(_word(rng) for _ in range(rng.randint(6, 40))),
            kind=rng.choice(("direct", "mixed", "indirect")),
            article=art,
            article_title=None,
            start=q,
            end=q + 10,
            speaker=speaker,
            speaker_name=g.nodes[speaker]["name"],
            cue="said",
            rule="bench",
            iri=f"https://kg.example/{node}",
        )
        g.add_edge(speaker, node, key="said", relation="said")
        for target in set(rng.choices(entities, weights, k=rng.randint(0, 2))):
            g.add_edge(node, target, key="about", relation="about")
        if rng.random() < 0.1:
            g.add_edge(
                speaker,
                rng.choices(entities, weights)[0],
                key="told",
                relation="told",
                quote=node,
                evidence=[],
            )


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def _entity_named(graph: nx.MultiDiGraph, name: str) -> str:
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: -item[1].get("mentions", 0)):
        names = [attrs.get("name", ""), *attrs.get("aliases", [])]
        if attrs.get("type") == "entity" and any(name.lower() == str(n).lower() for n in names):
            return str(node)
    sys.exit(f"no entity is named {name!r}")


def page_nodes(page: Any) -> list[str]:
    return page.evaluate("kgView.visibleNodeIds()")


def measure(
    html_path: Path,
    runs: int,
    raise_to: int | None,
    screenshot: Path | None,
    select: str | None = None,
) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is not installed (apt-get install -y chromium)")
    settle, raised, blocked, errors = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for run in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 820})
            page.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.startswith("file:")
                    else (blocked.append(r.request.url), r.abort())
                ),
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html_path.as_uri())
            page.wait_for_function(
                "window.kgView && kgView.isSettled()", timeout=120_000, polling=20
            )
            settle.append(page.evaluate("kgView.settledAt()"))
            errors.extend(page.evaluate("kgView.initialViewProblems()"))
            counts = page.evaluate(
                "[kgView.visibleNodeIds().length, kgView.visibleEdgeIds().length]"
            )
            if screenshot and run == 0:
                if select:  # click it, as a reader would
                    pos = page.evaluate(f"kgView.screenPosition({json.dumps(select)})")
                    page.mouse.click(pos["x"], pos["y"])
                page.wait_for_timeout(300)
                page.screenshot(path=str(screenshot))
            if raise_to and page.evaluate("kgView.entityCount()") > len(page_nodes(page)):
                # the reader asks for the top N names, linked or not: the heaviest change
                start = page.evaluate("performance.now()")
                if page.is_checked("#kg-unlinked"):
                    page.click("#kg-unlinked")
                page.fill("#kg-limit", str(raise_to))
                page.press("#kg-limit", "Enter")
                page.wait_for_function(
                    f"kgView.isSettled() && kgView.settledAt() > {start}",
                    timeout=120_000,
                    polling=20,
                )
                raised.append(page.evaluate("kgView.settledAt()") - start)
                counts.append(len(page_nodes(page)))
            page.close()
        browser.close()
    return {
        "settle_ms": settle,
        "raised_ms": raised,
        "counts": counts,
        "blocked": blocked,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, help="a node-link graph.json (default: synthetic)")
    parser.add_argument("--articles", type=int, default=1000, help="synthetic graph size")
    parser.add_argument("--max-nodes", type=int, default=250)
    parser.add_argument("--raise-to", type=int, default=1000, help="then raise the limit to this")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the settled default view")
    parser.add_argument("--select", help="with --screenshot: click the entity with this name")
    parser.add_argument("--keep", type=Path, help="also write the page here")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    if args.graph:
        data = json.loads(args.graph.read_text(encoding="utf-8"))
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
        label = str(args.graph)
    else:
        graph = synthetic_graph(args.articles)
        label = f"synthetic {args.articles:,}-article graph"
    t1 = time.perf_counter()
    html = render_html(graph, max_nodes=args.max_nodes)
    t2 = time.perf_counter()
    kinds = defaultdict(int)
    for _n, attrs in graph.nodes(data=True):
        kinds[attrs.get("type")] += 1
    co = sum(1 for *_e, k in graph.edges(keys=True) if k == "co_mention")
    print(
        f"graph: {label}: {kinds['entity']:,} entities, {co:,} co-mentions, "
        f"{kinds['quote']:,} quotes, {kinds['article']:,} articles (built in {t1 - t0:.1f} s)"
    )
    print(f"render_html: {t2 - t1:.2f} s, page {len(html.encode()):,} bytes")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        path.write_text(html, encoding="utf-8")
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        if args.screenshot:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        raise_to = args.raise_to if args.raise_to and args.raise_to > args.max_nodes else None
        select = _entity_named(graph, args.select) if args.select else None
        result = measure(path, args.runs, raise_to, args.screenshot, select)
    counts = result["counts"]
    print(f"default view: {counts[0]:,} nodes, {counts[1]:,} edges shown")
    print(
        "load to settled layout (ms): median {:.0f}, runs {}".format(
            statistics.median(result["settle_ms"]), [round(x) for x in result["settle_ms"]]
        )
    )
    if result["raised_ms"]:
        print(
            f"show {raise_to:,} names ({counts[2]:,} nodes) to settled again (ms): median "
            f"{statistics.median(result['raised_ms']):.0f}, runs "
            f"{[round(x) for x in result['raised_ms']]}"
        )
    print(
        f"network requests attempted: {len(result['blocked'])}; page errors: {len(result['errors'])}"
    )
    for error in result["errors"][:5]:
        print(f"  error: {error}")


if __name__ == "__main__":
    main()
