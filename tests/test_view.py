"""The HTML explorer (kg.view): pure checks on the page text, then a real browser.

The browser is Debian's ``chromium`` driven by Playwright's Python package (never
``playwright install``), with every non-``file://`` request aborted and counted.
Graphs are built here by ``GraphBuilder``, which follows the graph contract of kg/graph.py;
when ``output/graph.json`` (the real seed build) exists, the same checks run on it too.
"""

from __future__ import annotations

import copy
import doctest
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg.view
from kg.view import render_html, to_script_json

ROOT = Path(__file__).resolve().parent.parent
SEED_GRAPH_JSON = ROOT / "output" / "graph.json"

PWN_SCRIPT = "<script>window.__pwned=1</script>"
PWN_IMG = '<img src=x onerror="window.__pwned=1">'
PWN_SVG = "<svg onload=window.__pwned=1>"
NASTY = (
    "\"quotes\" 'single' back\\slash new\nline \u202eRTL\u202c 🇺🇦😀 </script> \u2028\u2029 &amp;"
)


# ---------------------------------------------------------------- building graphs by the contract


class GraphBuilder:
    """A tiny builder for graphs shaped like kg.graph's output (see the contract in kg/view.py)."""

    def __init__(self, **meta: Any) -> None:
        self.g = nx.MultiDiGraph()
        self.g.graph.update(
            model="en_core_web_sm 3.8.0", kg_version="0.1.0", build_date=None, date_range=None
        )
        self.g.graph.update(meta)

    def article(
        self,
        ident: str,
        title: str | None,
        date: str = "2023-03-31",
        url: str = "https://example.org/a",
    ) -> str:
        node = f"article/{ident}"
        self.g.add_node(
            node,
            type="article",
            identifier=ident,
            title=title,
            date=date,
            authors=[],
            publisher="AP",
            url=url,
            iri=f"https://kg.example/{node}",
        )
        return ident

    def entity(
        self,
        node: str,
        name: str,
        kind: str,
        *,
        aliases: tuple[str, ...] = (),
        mentions: int = 1,
        articles: tuple[str, ...] = (),
        **extra: Any,
    ) -> str:
        self.g.add_node(
            node,
            type="entity",
            kind=kind,
            name=name,
            aliases=list(aliases),
            mentions=mentions,
            articles=list(articles),
            iri=f"https://kg.example/{node}",
            **extra,
        )
        for art in articles:
            self.g.add_edge(f"article/{art}", node, key="mentions", relation="mentions", count=1)
        return node

    def co(self, a: str, b: str, weight: int, evidence: list[tuple[str, str]] = ()) -> None:
        a, b = min(a, b), max(a, b)
        ev = [{"article": art, "title": self._title(art), "sentence": s} for art, s in evidence]
        self.g.add_edge(
            a,
            b,
            key="co_mention",
            relation="co_mention",
            weight=weight,
            sentence_count=weight,
            article_count=len({e["article"] for e in ev}) or 1,
            evidence=ev,
        )

    def quote(
        self,
        article: str,
        start: int,
        text: str,
        speaker: str | None,
        *,
        about: tuple[str, ...] = (),
        told: str | None = None,
        kind: str = "direct",
        cue: str = "said",
    ) -> str:
        node = f"quote/{article}/{start}"
        name = self.g.nodes[speaker]["name"] if speaker else "he"
        self.g.add_node(
            node,
            type="quote",
            text=text,
            kind=kind,
            article=article,
            article_title=self._title(article),
            start=start,
            end=start + len(text),
            speaker=speaker,
            speaker_name=name,
            cue=cue,
            rule="test",
            iri=f"https://kg.example/{node}",
        )
        if speaker:
            self.g.add_edge(speaker, node, key="said", relation="said")
        for target in about:
            self.g.add_edge(node, target, key="about", relation="about")
        if told and speaker:
            self.g.add_edge(
                speaker,
                told,
                key="told",
                relation="told",
                quote=node,
                evidence=[{"article": article, "title": self._title(article), "sentence": text}],
            )
        return node

    def located(self, event: str, place: str) -> None:
        self.g.add_edge(event, place, key="located_in", relation="located_in")

    def build(self) -> nx.MultiDiGraph:
        kinds = nx.get_node_attributes(self.g, "type")
        for key, kind in (("articles", "article"), ("entities", "entity"), ("quotes", "quote")):
            self.g.graph.setdefault(key, sum(1 for v in kinds.values() if v == kind))
        return self.g

    def _title(self, article: str) -> str | None:
        node = self.g.nodes.get(f"article/{article}")
        return node.get("title") if node else None


ZEL = "person/volodymyr-zelensky"
ZEL_QUOTE = "We are ready to see him here"


def seed_like_graph() -> nx.MultiDiGraph:
    """The two seed articles in miniature: Zelensky, Putin, Xi, AP, Bakhmut and a quote."""
    b = GraphBuilder(date_range=("2023-03-29", "2023-03-31"), build_date="2024-01-01")
    a1 = b.article(
        "seeds/000.txt",
        "Zelensky: D.C. Knows We Lose Without U.S. Help",
        url="https://www.breitbart.com/europe/2023/03/31/zelensky/",
    )
    a2 = b.article("seeds/001.txt", "Zelensky invites Xi to visit Ukraine", date="2023-03-29")
    both = (a1, a2)
    b.entity(
        ZEL,
        "Volodymyr Zelensky",
        "person",
        aliases=("Zelenskyy", "Mr Zelensky", "Zelensky"),
        mentions=16,
        articles=both,
    )
    b.entity(
        "person/vladimir-putin",
        "Vladimir Putin",
        "person",
        aliases=("Putin",),
        mentions=6,
        articles=both,
    )
    b.entity(
        "person/xi-jinping",
        "Xi Jinping",
        "person",
        aliases=("Mr Xi", "Xi"),
        mentions=4,
        articles=(a2,),
    )
    b.entity("person/julie-pace", "Julie Pace", "person", mentions=1, articles=(a1,))
    b.entity(
        "organization/associated-press",
        "The Associated Press",
        "organization",
        aliases=("AP", "@AP", "Associated Press"),
        mentions=4,
        articles=both,
    )
    b.entity(
        "place/bakhmut",
        "Bakhmut",
        "place",
        mentions=16,
        articles=both,
        latitude=48.59,
        longitude=38.0,
        same_as=["https://sws.geonames.org/712451/"],
    )
    b.entity("place/ukraine", "Ukraine", "place", aliases=("Ukrainian",), mentions=9, articles=both)
    b.entity("place/kyiv", "Kyiv", "place", mentions=2, articles=(a2,))
    b.entity(
        "event/battle-for-bakhmut",
        "battle for Bakhmut",
        "event",
        mentions=2,
        articles=(a1,),
        location="place/bakhmut",
    )
    b.located("event/battle-for-bakhmut", "place/bakhmut")
    s1 = "Zelensky said defeat in Bakhmut would push Ukraine to compromise with Russia."
    s2 = "Zelensky extended an invitation to Mr Xi."
    b.co(ZEL, "place/bakhmut", 5, [(a1, s1), (a2, "Zelensky visited troops near Bakhmut.")])
    b.co(ZEL, "place/ukraine", 4, [(a1, s1)])
    b.co(ZEL, "person/vladimir-putin", 3, [(a1, "Zelensky warned that Putin will push.")])
    b.co(ZEL, "person/xi-jinping", 2, [(a2, s2)])
    b.co(ZEL, "organization/associated-press", 2, [(a1, "Zelensky told the Associated Press.")])
    b.co("person/julie-pace", "organization/associated-press", 1, [(a1, "AP's Julie Pace.")])
    b.co("place/bakhmut", "place/ukraine", 2, [(a1, s1)])
    b.co("person/vladimir-putin", "person/xi-jinping", 1, [(a2, "Xi visited Putin in Russia.")])
    b.co("place/kyiv", ZEL, 1, [(a2, "Zelensky spoke in Kyiv.")])
    b.co("event/battle-for-bakhmut", "place/ukraine", 1, [(a1, "The battle for Bakhmut.")])
    b.quote(
        a2, 120, ZEL_QUOTE, ZEL, about=("person/xi-jinping",), told="organization/associated-press"
    )
    b.quote(
        a1,
        40,
        "will push, push, push",
        ZEL,
        about=("person/vladimir-putin",),
        kind="mixed",
        cue="warned",
    )
    b.quote(a1, 900, "The situation is difficult", None)
    return b.build()


def hostile_graph() -> nx.MultiDiGraph:
    """Every article-derived string carries markup, script, quotes, control and RTL characters."""
    b = GraphBuilder(model=f"model {PWN_IMG}", date_range=(PWN_SCRIPT, "2023"))
    art = b.article(
        f"a{PWN_SCRIPT}", f"Headline {PWN_IMG} {NASTY}", url="javascript:window.__pwned=1"
    )
    art2 = b.article("b", None, url=f"https://example.org/{PWN_SCRIPT}")
    ids = []
    for n, (kind, payload) in enumerate(
        [
            ("person", PWN_SCRIPT),
            ("person", PWN_IMG),
            ("organization", PWN_SVG),
            ("place", NASTY),
            ("event", "</script><script>window.__pwned=1</script>"),
        ]
    ):
        ids.append(
            b.entity(
                f"{kind}/{payload}-{n}",
                f"{payload} {n}",
                kind,
                aliases=(PWN_IMG, NASTY, f"{PWN_SCRIPT}{n}"),
                mentions=n + 1,
                articles=(art, art2),
                same_as=["javascript:window.__pwned=1"],
            )
        )
    for a, c in itertools.pairwise(ids):
        b.co(a, c, 2, [(art, f"{PWN_SCRIPT} {NASTY}"), (art2, PWN_IMG)])
    b.quote(
        art,
        5,
        f"{PWN_SCRIPT}{PWN_IMG}{NASTY}",
        ids[0],
        about=(ids[1], ids[2]),
        told=ids[2],
        cue=PWN_IMG,
    )
    b.quote(art2, 7, PWN_SVG, None, about=(ids[0],))
    b.located(ids[4], ids[3])
    return b.build()


def chain_graph(n: int) -> nx.MultiDiGraph:
    """``n`` people, each co-mentioned with the next; weights fall along the chain."""
    b = GraphBuilder()
    art = b.article("x", "Chain")
    people = [
        b.entity(f"person/p{i:03d}", f"Person {i:03d}", "person", mentions=n - i, articles=(art,))
        for i in range(n)
    ]
    for i, (a, c) in enumerate(itertools.pairwise(people)):
        b.co(a, c, n - i, [(art, f"P{i} and P{i + 1}.")])
    return b.build()


def load_seed_graph() -> nx.MultiDiGraph:
    if not SEED_GRAPH_JSON.exists():
        pytest.skip(f"{SEED_GRAPH_JSON} does not exist yet: run the seed build (kg build seeds)")
    data = json.loads(SEED_GRAPH_JSON.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="links")


GRAPHS = {"seed_like": seed_like_graph, "seed_build": load_seed_graph}


@pytest.fixture(params=sorted(GRAPHS))
def seed_graph(request: pytest.FixtureRequest) -> nx.MultiDiGraph:
    return GRAPHS[request.param]()


def zelensky_of(graph: nx.MultiDiGraph) -> str:
    found = sorted(
        n
        for n, a in graph.nodes(data=True)
        if a.get("type") == "entity" and "zelensk" in str(a.get("name", "")).lower()
    )
    assert found, "no entity named Zelensky in the graph"
    return found[0]


def entities_of(graph: nx.MultiDiGraph, kind: str | None = None) -> list[str]:
    return sorted(
        n
        for n, a in graph.nodes(data=True)
        if a.get("type") == "entity" and (kind is None or a.get("kind") == kind)
    )


# ---------------------------------------------------------------- the page as text


def json_blocks(page: str) -> dict[str, Any]:
    blocks = re.findall(
        r'<script type="application/json" id="([\w-]+)">(.*?)</script>', page, re.DOTALL
    )
    return {name: json.loads(text) for name, text in blocks}


def test_render_is_deterministic_and_independent_of_insertion_order() -> None:
    graph = seed_like_graph()
    shuffled = nx.MultiDiGraph()
    shuffled.graph.update(graph.graph)
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    first = render_html(graph)
    assert first == render_html(graph)
    assert first == render_html(shuffled)


def test_render_does_not_touch_the_callers_graph() -> None:
    graph = seed_like_graph()
    before = copy.deepcopy(nx.node_link_data(graph, edges="links"))
    render_html(graph, max_nodes=3)
    assert nx.node_link_data(graph, edges="links") == before


def test_page_loads_nothing_from_the_network() -> None:
    page = render_html(seed_like_graph())
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"@import", page, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page, re.IGNORECASE)
    assert "bootstrap" not in page.lower() and "cdnjs" not in page and "jsdelivr" not in page
    assert "vis-network" in page  # the library is inlined


def test_header_says_what_was_built() -> None:
    page = render_html(seed_like_graph(), title="Ukraine coverage")
    assert "<title>Ukraine coverage — 2 articles, 9 entities, 3 quotes</title>" in page
    assert "2023-03-29 to 2023-03-31" in page and "built 2024-01-01" in page
    assert "model en_core_web_sm 3.8.0" in page


def test_no_build_time_unless_given() -> None:
    graph = seed_like_graph()
    graph.graph["build_date"] = None
    assert "built " not in re.search(r'<p id="kg-built">(.*?)</p>', render_html(graph)).group(1)


def test_hostile_strings_never_appear_as_markup() -> None:
    page = render_html(hostile_graph(), title=f"t {PWN_SCRIPT}")
    for needle in (PWN_SCRIPT, PWN_IMG, PWN_SVG, "<svg", 'onerror="', "\u2028", "\u2029"):
        assert needle not in page
    assert (
        len(re.findall(r"^<script", page, re.MULTILINE)) == 4
    )  # two JSON blocks, vis-network, the app
    assert page.count("</script>") == 4
    blocks = json_blocks(page)
    assert set(blocks) == {"kg-data", "kg-network"}
    names = [e[1] for e in blocks["kg-data"]["entities"]]
    assert f"{PWN_SCRIPT} 0" in names and f"{NASTY} 3" in names  # kept intact, only encoded


def test_to_script_json_escapes_and_round_trips() -> None:
    value = {"s": NASTY + PWN_SCRIPT + "\ud800", "n": [1, 2.5, None, True]}
    text = to_script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value
    assert doctest.testmod(kg.view).failed == 0


def test_default_view_is_pruned_to_max_nodes_by_weighted_degree() -> None:
    network = json_blocks(render_html(chain_graph(40), max_nodes=10))["kg-network"]
    # p001 is co-mentioned with p000 (weight 40) and p002 (39): 79; p000 only has 40
    assert [n["id"] for n in network["nodes"]] == [f"person/p{i:03d}" for i in range(1, 11)]
    assert {e["id"][0] for e in network["edges"]} == {"c"}


def test_max_nodes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_nodes"):
        render_html(seed_like_graph(), max_nodes=0)


def test_pyvis_is_imported_without_ipython_yet_show_still_gets_a_real_iframe() -> None:
    """The HTML export does not pay for IPython (kg.view._pyvis_network); pyvis's notebook
    path still works: its IFrame is IPython's, imported when first called."""
    import subprocess
    import sys

    script = (
        "import sys, networkx as nx\n"
        "from kg.view import render_html\n"
        "render_html(nx.MultiDiGraph())\n"
        "assert 'pyvis.network' in sys.modules and 'IPython' not in sys.modules\n"
        "import pyvis.network\n"
        "frame = pyvis.network.IFrame('graph.html', width=10, height=10)\n"
        "from IPython.display import IFrame\n"
        "assert type(frame) is IFrame and frame.src == 'graph.html', frame\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "ok\n", run.stderr
    notebook = "import IPython.display, networkx as nx\nfrom kg.view import render_html\n"
    notebook += "render_html(nx.MultiDiGraph())\nimport pyvis.network\n"
    notebook += "assert pyvis.network.IFrame is IPython.display.IFrame\n"
    run = subprocess.run(
        [sys.executable, "-c", notebook], check=False, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_app_sources_are_safe_to_inline() -> None:
    data = Path(kg.view.__file__).parent / "data"
    for name in ("view_app.js", "view_style.css"):
        text = (data / name).read_text(encoding="utf-8")
        assert (
            "</script" not in text.lower() and "</style" not in text.lower() and "<!--" not in text
        )
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text
        assert "document.write" not in text and "eval(" not in text


# ---------------------------------------------------------------- in the browser


class Page:
    """A loaded explorer page plus what it tried to fetch and what it logged."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgView && window.kgView.isSettled()", timeout=15000)
        # the first view (built by pyvis in Python) is the one the page's own filters would build
        self.initial_view_problems = self.js("kgView.initialViewProblems()")

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def visible(self) -> list[str]:
        return self.js("kgView.visibleNodeIds()")

    def details(self) -> str:
        return self.js("document.getElementById('kg-details').textContent")

    def hover(self, node: str) -> None:
        pos = self.js("id => kgView.screenPosition(id)", node)
        self.page.mouse.move(pos["x"] + 40, pos["y"] + 40)
        self.page.mouse.move(pos["x"], pos["y"], steps=4)

    def click_edge(self, a: str, b: str) -> None:
        """Click a point of the drawn edge a-b that no node or other edge covers."""
        edges = [
            e["id"]
            for e in self.js("kgView.visibleEdges()")
            if {e["from"], e["to"]} == {a, b} and e["id"].startswith("c")
        ]
        assert edges, f"no co-mention edge between {a} and {b} on screen"
        pa, pb = (self.js("id => kgView.screenPosition(id)", n) for n in (a, b))
        for step in range(20, 81, 3):
            x = pa["x"] + (pb["x"] - pa["x"]) * step / 100
            y = pa["y"] + (pb["y"] - pa["y"]) * step / 100
            if self.js("([x, y]) => kgView.itemAt(x, y)", [x, y]) == {
                "node": None,
                "edge": edges[0],
            }:
                self.page.mouse.click(x, y)
                return
        raise AssertionError(f"edge {edges[0]} is covered everywhere")


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Page] = []

    def _open(graph: nx.MultiDiGraph, **options: Any) -> Page:
        path = tmp_path / f"graph{len(pages)}.html"
        path.write_text(render_html(graph, **options), encoding="utf-8")
        pages.append(Page(browser, path))
        return pages[-1]

    yield _open
    for page in pages:
        page.context.close()
        assert page.blocked == [], "the page tried to reach the network"
        assert page.errors == [], "the page logged errors"
        assert page.initial_view_problems == []


def test_renders_the_network_with_every_entity(open_page: Any, seed_graph: Any) -> None:
    page = open_page(seed_graph)
    expected = entities_of(seed_graph)[:250] if len(entities_of(seed_graph)) > 250 else None
    assert page.page.locator("#kg-graph canvas").count() == 1
    visible = page.visible()
    if expected is None:
        assert visible == entities_of(seed_graph)
    else:
        assert len(visible) == 250
    assert page.js("kgView.physicsEnabled()") is False
    assert "entities" in page.page.inner_text("#kg-built")


def test_search_by_alias_selects_and_focuses(open_page: Any, seed_graph: Any) -> None:
    zel = zelensky_of(seed_graph)
    page = open_page(seed_graph)
    page.page.fill("#kg-search", "zelenskyy")
    assert (
        page.page.locator("#kg-suggest button")
        .first.inner_text()
        .startswith(seed_graph.nodes[zel]["name"])
    )
    page.page.fill("#kg-search", "Zelénskyy")  # case and diacritics do not matter
    page.page.press("#kg-search", "Enter")
    assert page.js("kgView.selectedNodeIds()") == [zel]
    page.page.wait_for_timeout(600)  # the focus animation
    pos, center = page.js("id => kgView.screenPosition(id)", zel), page.js("kgView.graphCenter()")
    assert abs(pos["x"] - center["x"]) < 3 and abs(pos["y"] - center["y"]) < 3
    assert seed_graph.nodes[zel]["name"] in page.details()


def test_kind_filter_hides_places(open_page: Any, seed_graph: Any) -> None:
    page = open_page(seed_graph)
    before = page.visible()
    places = set(entities_of(seed_graph, "place"))
    assert places & set(before)
    page.page.click("#kg-kind-place")
    after = page.visible()
    assert after == [n for n in before if n not in places]
    assert not places & {e[end] for e in page.js("kgView.visibleEdges()") for end in ("from", "to")}
    page.page.click("#kg-kind-place")
    assert page.visible() == before


def test_hover_on_zelensky_shows_his_quote(open_page: Any, seed_graph: Any) -> None:
    zel = zelensky_of(seed_graph)
    quotes = sorted(
        a["text"]
        for n, a in seed_graph.nodes(data=True)
        if a.get("type") == "quote" and a.get("speaker") == zel
    )
    assert quotes, "no quote is attributed to Zelensky in this graph"
    page = open_page(seed_graph)
    page.hover(zel)
    page.page.wait_for_function("document.querySelector('#kg-details h2') !== null")
    text = page.details()
    assert seed_graph.nodes[zel]["name"] in text
    assert any(q.split("\n")[0][:40] in text for q in quotes)


def test_click_on_co_mention_edge_shows_evidence(open_page: Any) -> None:
    graph = seed_like_graph()
    page = open_page(graph)
    page.click_edge(ZEL, "place/bakhmut")
    text = page.details()
    assert "Volodymyr Zelensky — Bakhmut" in text or "Bakhmut — Volodymyr Zelensky" in text
    assert "5 sentences" in text and "Zelensky visited troops near Bakhmut." in text
    assert "Zelensky: D.C. Knows We Lose Without U.S. Help" in text


def test_weight_slider_and_quote_toggle_filter_edges_live(open_page: Any) -> None:
    page = open_page(seed_like_graph())
    edges = page.js("kgView.visibleEdgeIds()")
    assert any(e.startswith("q") for e in edges) and any(e.startswith("l") for e in edges)
    page.page.click("#kg-quotes")
    assert not any(e.startswith("q") for e in page.js("kgView.visibleEdgeIds()"))
    page.page.focus("#kg-minweight")
    for _ in range(2):
        page.page.keyboard.press("ArrowRight")
    assert page.page.inner_text("#kg-minweight-value") == "3 sentences"
    co = [e for e in page.js("kgView.visibleEdgeIds()") if e.startswith("c")]
    assert len(co) == 3  # Bakhmut (5), Ukraine (4), Putin (3)
    assert len(page.visible()) == 9  # the weight filter hides links, not names


def test_relayout_settles_and_stops_physics(open_page: Any) -> None:
    page = open_page(seed_like_graph())
    page.page.click("#kg-relayout")
    page.page.wait_for_function("kgView.isSettled()")
    assert page.js("kgView.physicsEnabled()") is False
    assert "settled" in page.page.inner_text("#kg-status")


def test_pruned_page_says_how_much_is_hidden_and_raises_the_limit(open_page: Any) -> None:
    page = open_page(chain_graph(40), max_nodes=10)
    assert len(page.visible()) == 10
    note = page.page.inner_text("#kg-pruned")
    assert "10 most connected of 40" in note and "30 are hidden" in note
    page.page.fill("#kg-limit", "25")
    page.page.press("#kg-limit", "Enter")
    page.page.wait_for_function("kgView.visibleNodeIds().length === 25 && kgView.isSettled()")
    page.page.click("#kg-more")
    page.page.wait_for_function("kgView.visibleNodeIds().length === 40 && kgView.isSettled()")
    assert "Showing all 40 entities" in page.page.inner_text("#kg-pruned")
    # a hidden entity found by search is shown and selected
    page.page.fill("#kg-limit", "5")
    page.page.press("#kg-limit", "Enter")
    page.page.fill("#kg-search", "person 033")
    page.page.press("#kg-search", "Enter")
    assert "person/p033" in page.visible() and len(page.visible()) == 6
    assert page.js("kgView.selectedNodeIds()") == ["person/p033"]


def test_hostile_graph_executes_nothing_and_injects_nothing(open_page: Any) -> None:
    graph = hostile_graph()
    page = open_page(graph, title=f"t {PWN_IMG}")
    p = page.page
    assert sorted(page.visible()) == entities_of(graph)
    for node in entities_of(graph):
        page.hover(node)
        p.mouse.click(
            *page.js("id => [kgView.screenPosition(id).x, kgView.screenPosition(id).y]", node)
        )
        assert graph.nodes[node]["name"] in page.details()
    assert PWN_SCRIPT in page.details() or PWN_IMG in page.details() or PWN_SVG in page.details()
    p.fill("#kg-search", "<img")
    assert p.locator("#kg-suggest button").count() > 0
    p.fill("#kg-search", "script")
    p.press("#kg-search", "Enter")
    assert p.evaluate("typeof window.__pwned") == "undefined"
    assert p.locator("img, svg, iframe, object, embed").count() == 0
    assert p.locator("script").count() == 4
    assert p.locator("[onerror], [onload]").count() == 0
    assert p.locator("a[href^='javascript']").count() == 0
    assert p.title() == f"t {PWN_IMG} — 2 articles, 5 entities, 2 quotes"


def test_weight_filter_on_a_pruned_graph_hides_names_left_without_links(open_page: Any) -> None:
    page = open_page(chain_graph(40), max_nodes=10)
    assert page.page.is_checked("#kg-unlinked")  # on by default when the graph is pruned
    page.page.focus("#kg-minweight")
    page.page.keyboard.press("End")  # 40 sentences: only p000-p001 has that, and p000 is hidden
    assert page.visible() == [] and page.js("kgView.visibleEdgeIds()") == []
    assert "10 of them have no link at this weight" in page.page.inner_text("#kg-pruned")
    page.page.click("#kg-unlinked")
    assert page.visible() == [f"person/p{i:03d}" for i in range(1, 11)]


def test_layout_is_the_same_on_every_load(open_page: Any) -> None:
    graph = seed_like_graph()
    first, second = open_page(graph), open_page(graph)
    assert first.js("kgView.positions()") == second.js("kgView.positions()")


def test_an_empty_graph_still_gives_a_working_page(open_page: Any) -> None:
    page = open_page(GraphBuilder().build())
    assert page.visible() == []
    assert "Showing all 0 entities" in page.page.inner_text("#kg-pruned")
    page.page.fill("#kg-search", "anyone")
    assert page.page.inner_text("#kg-search-note") == "No name or alias matches."
