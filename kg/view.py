"""Render the graph as one self-contained HTML explorer (pyvis network, vis-network inlined).

``render_html(graph)`` is pure: the same graph gives the same bytes, and nothing on the page loads
from the network. The page carries two JSON blocks:

- ``kg-network``: the default view as pyvis built it (nodes, edges, vis options);
- ``kg-data``: every entity, co-mention, quote, article and evidence sentence in compact arrays,
  so the page can raise the node limit or change a filter without reloading.

Quotes are not drawn as nodes. A quote becomes a *spoke about* edge from its speaker to each entity
it mentions and a *told* edge from its speaker to the addressee, and its text (with the article
headline) is shown in the details panel of the speaker, of the entities it is about and of the edge.
Articles are not drawn either: they are listed in the details of the entities they mention.

Every string from an article reaches the page only inside ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the page builds its DOM with
``textContent`` only.
"""

from __future__ import annotations

import functools
import importlib
import importlib.resources
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import markupsafe
import networkx as nx

__all__ = ["render_html", "to_script_json"]

DEFAULT_TITLE = "News knowledge graph"
EVIDENCE_LIMIT = 3  # evidence sentences kept per edge (the page says how many exist)
EDGE_BUDGET_PER_NODE = 3  # default min weight keeps about this many co-mentions per shown node
EDGE_BUDGET_FLOOR = 300  # ... but never fewer than this
QUOTE_EDGE_BUDGET = 300  # more quote links than this in the first view: they start switched off
# How we run Debian's chromium to test and measure the page: headless, with nothing that reaches
# the network on its own (tests/conftest.py and benchmarks/bench_view.py use it).
HEADLESS_CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)

_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def to_script_json(value: Any) -> str:
    r"""JSON that is inert inside a ``<script>`` element (and valid JSON for ``JSON.parse``).

    >>> to_script_json({"t": "</script><b>&\u2028"})
    '{"t":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_html(graph: nx.MultiDiGraph, *, max_nodes: int = 250, title: str | None = None) -> str:
    """Return the explorer page for ``graph``; the graph is read, never modified.

    ``max_nodes`` entities (the most connected by weighted degree) are shown at first; the page
    says how many are hidden and lets the reader raise the limit.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
    data = _collect(graph)
    data["view"] = _default_view(data, max_nodes)
    network = _build_network(data)
    data["meta"] = meta = _meta(graph, data, title)
    template = _environment().get_template("view_template.html")
    return template.render(
        meta=meta,
        data=data,
        network={"nodes": network.nodes, "edges": network.edges, "options": network.options},
        kinds=_kind_counts(data["entities"]),
        relations={name: style["label"] for name, style in _styles()["relations"].items()},
        **_assets(),
    )


# ---------------------------------------------------------------- collecting the graph's data


def _collect(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Compact, index-based arrays for the page; entities are ordered by weighted degree."""
    nodes = graph._node  # graph.nodes without a view object per lookup
    quote_ids = sorted(
        (n for n, a in nodes.items() if a.get("type") == "quote"),
        key=lambda n: (str(nodes[n].get("article", "")), _int(nodes[n].get("start")), n),
    )
    speakers = {q: _speaker(graph, q) for q in quote_ids}
    abouts = {q: _about(graph, q) for q in quote_ids}
    by_relation = _edges_by_relation(graph)
    co_raw = _co_mentions(graph, by_relation["co_mention"])
    told = sorted(
        (
            (u, v, d)
            for u, v, d in by_relation["told"]
            if _is_entity(graph, u) and _is_entity(graph, v)
        ),
        key=lambda t: t[:2],
    )
    located = sorted(
        (u, v)
        for u, v, _d in by_relation["located_in"]
        if _is_entity(graph, u) and _is_entity(graph, v)
    )
    ranked = _rank_entities(graph, co_raw, speakers, abouts, told, located)
    index = {e: i for i, e in enumerate(ranked)}
    articles, sentences = _Articles(graph), _Strings()
    addressee = {q: index[v] for _u, v, d in told for q in _as_list(d.get("quote"))}
    data: dict[str, Any] = {
        "style": _styles(),
        "entities": [_entity_record(graph, e, articles) for e in ranked],
        "co": [_co_record(index, u, v, d, articles, sentences) for u, v, d in co_raw],
        "located": [[index[u], index[v]] for u, v in located],
        "quotes": [
            _quote_record(graph, q, index, articles, speakers[q], abouts[q], addressee.get(q))
            for q in quote_ids
        ],
    }
    quote_index = {q: i for i, q in enumerate(quote_ids)}
    data["qedges"] = _quote_edges(data["quotes"], told, index, quote_index, articles, sentences)
    _finish_article_refs(data, articles)
    data["articles"] = articles.records()
    data["sentences"] = sentences.values
    return data


def _rank_entities(
    graph: nx.MultiDiGraph,
    co: list[tuple[str, str, dict[str, Any]]],
    speakers: dict[str, str | None],
    abouts: dict[str, list[str]],
    told: list[tuple[str, str, dict[str, Any]]],
    located: list[tuple[str, str]],
) -> list[str]:
    """Entity ids by weighted degree (co-mention weight + quote and place links), then mentions."""
    degree: dict[str, float] = defaultdict(float)
    pairs: list[tuple[str, str, float]] = [(u, v, _num(d.get("weight", 1))) for u, v, d in co]
    for quote, speaker in speakers.items():
        pairs += [(speaker, t, 1) for t in abouts[quote] if speaker is not None and t != speaker]
    pairs += [(u, v, 1) for u, v, _d in told] + [(u, v, 1) for u, v in located]
    for u, v, weight in pairs:
        degree[u] += weight
        degree[v] += weight
    nodes = graph._node
    entities = [n for n, a in nodes.items() if a.get("type") == "entity"]
    return sorted(entities, key=lambda e: (-degree[e], -_int(nodes[e].get("mentions")), e))


def _is_entity(graph: nx.MultiDiGraph, node: Any) -> bool:
    return node in graph and graph._node[node].get("type") == "entity"


class _Strings:
    """A table of distinct strings (evidence sentences repeat across edges)."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, value: str) -> int:
        if value not in self._index:
            self._index[value] = len(self.values)
            self.values.append(value)
        return self._index[value]


class _Articles:
    """Article records by identifier; ids referenced but missing from the graph still get one."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self._records: dict[str, list[Any]] = {}
        for node, attrs in sorted(graph._node.items(), key=lambda item: item[0]):
            if attrs.get("type") != "article":
                continue
            ident = str(attrs.get("identifier") or node.removeprefix("article/"))
            url = attrs.get("url")
            self._records[ident] = [
                ident,
                _str_or_none(attrs.get("title")),
                _str_or_none(attrs.get("date")),
                _str_or_none(url),
            ]
        self._order: dict[str, int] | None = None
        self._extra: dict[str, str | None] = {}

    def ref(self, ident: Any, title: Any = None) -> str:
        ident = str(ident)
        if ident not in self._records and ident not in self._extra:
            self._extra[ident] = _str_or_none(title)
        return ident

    def records(self) -> list[list[Any]]:
        return [self._records.get(i) or [i, self._extra.get(i), None, None] for i in self._ids()]

    def index(self, ident: str) -> int:
        if self._order is None:
            self._order = {ident: n for n, ident in enumerate(self._ids())}
        return self._order[ident]

    def _ids(self) -> list[str]:
        return sorted(set(self._records) | set(self._extra))


_Edge = tuple[str, str, dict[str, Any]]


def _edges_by_relation(graph: nx.MultiDiGraph) -> dict[str, list[_Edge]]:
    """Edges grouped by their ``relation`` attribute (or key), in one pass."""
    groups: dict[str, list[_Edge]] = defaultdict(list)
    for u, neighbours in graph._adj.items():  # graph.edges(keys=True, data=True), less the view
        for v, edges in neighbours.items():
            for k, d in edges.items():
                groups[str(d.get("relation") or k)].append((u, v, d))
    return groups


def _co_mentions(graph: nx.MultiDiGraph, edges: list[_Edge]) -> list[_Edge]:
    """Co-mention edges between entity nodes, one per unordered pair, sorted."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    nodes = graph._node
    for u, v, d in edges:
        if u == v or nodes[u].get("type") != "entity" or nodes[v].get("type") != "entity":
            continue
        pairs.setdefault((min(u, v), max(u, v)), d)
    return [(u, v, pairs[(u, v)]) for u, v in sorted(pairs)]


def _entity_record(graph: nx.MultiDiGraph, node: str, articles: _Articles) -> list[Any]:
    attrs = graph._node[node]
    name = str(attrs.get("name") or node)
    seen = {name}
    aliases = []
    for alias in _as_list(attrs.get("aliases")):
        if str(alias) not in seen:
            seen.add(str(alias))
            aliases.append(str(alias))
    kind = str(attrs.get("kind") or "other")
    arts = sorted({articles.ref(a) for a in _as_list(attrs.get("articles"))})
    same_as = [str(s) for s in _as_list(attrs.get("same_as"))]
    return [
        node,
        name,
        kind if kind in _styles()["kinds"] else "other",
        _int(attrs.get("mentions")),
        aliases,
        arts,
        same_as,
    ]


def _co_record(
    index: dict[str, int],
    u: str,
    v: str,
    d: dict[str, Any],
    articles: _Articles,
    sentences: _Strings,
) -> list[Any]:
    weight = _num(d.get("weight", 1))
    return [
        index[u],
        index[v],
        weight,
        _int(d.get("sentence_count", weight)),
        _int(d.get("article_count")),
        _evidence(d, articles, sentences),
    ]


def _evidence(d: dict[str, Any], articles: _Articles, sentences: _Strings) -> list[list[Any]]:
    evidence = d.get("evidence") or []
    out = []
    for item in [evidence] if isinstance(evidence, dict) else evidence[:EVIDENCE_LIMIT]:
        if isinstance(item, dict):
            art = articles.ref(item.get("article", ""), item.get("title"))
            out.append([art, sentences.add(str(item.get("sentence") or ""))])
    return out


def _speaker(graph: nx.MultiDiGraph, quote: str) -> str | None:
    nodes = graph._node
    speaker = nodes[quote].get("speaker")
    if speaker in graph and nodes[speaker].get("type") == "entity":
        return str(speaker)
    said = sorted(
        u
        for u, edges in graph._pred[quote].items()  # graph.in_edges(quote), less the view
        for k, d in edges.items()
        if (d.get("relation") or k) == "said" and nodes[u].get("type") == "entity"
    )
    return said[0] if said else None


def _about(graph: nx.MultiDiGraph, quote: str) -> list[str]:
    nodes = graph._node
    return sorted(
        {
            v
            for v, edges in graph._succ[quote].items()  # graph.out_edges(quote), less the view
            for k, d in edges.items()
            if (d.get("relation") or k) == "about" and nodes[v].get("type") == "entity"
        }
    )


def _quote_record(
    graph: nx.MultiDiGraph,
    quote: str,
    index: dict[str, int],
    articles: _Articles,
    speaker: str | None,
    about: list[str],
    addressee: int | None,
) -> list[Any]:
    attrs = graph._node[quote]
    art = articles.ref(attrs.get("article", ""), attrs.get("article_title"))
    return [
        str(attrs.get("text") or ""),
        str(attrs.get("kind") or ""),
        art,
        index.get(speaker, -1) if speaker else -1,
        _str_or_none(attrs.get("speaker_name")),
        _str_or_none(attrs.get("cue")),
        -1 if addressee is None else addressee,
        [index[a] for a in about if a in index],
    ]


def _quote_edges(
    quotes: list[list[Any]],
    told: list[tuple[str, str, dict[str, Any]]],
    index: dict[str, int],
    quote_index: dict[str, int],
    articles: _Articles,
    sentences: _Strings,
) -> list[list[Any]]:
    """``[relation, speaker, entity, quote indexes, evidence]`` for 'about' and 'told' edges."""
    about: dict[tuple[int, int], list[int]] = defaultdict(list)
    for qi, q in enumerate(quotes):
        for target in q[7]:
            if q[3] >= 0 and target != q[3]:
                about[(q[3], target)].append(qi)
    out: list[list[Any]] = [["about", s, t, qs, []] for (s, t), qs in sorted(about.items())]
    for u, v, d in told:
        qs = sorted(quote_index[q] for q in _as_list(d.get("quote")) if q in quote_index)
        out.append(["told", index[u], index[v], qs, _evidence(d, articles, sentences)])
    return out


def _finish_article_refs(data: dict[str, Any], articles: _Articles) -> None:
    """Replace article identifiers by their index in ``data['articles']``."""
    for entity in data["entities"]:
        entity[5] = [articles.index(a) for a in entity[5]]
    for edge in data["co"]:
        edge[5] = [[articles.index(a), s] for a, s in edge[5]]
    for edge in data["qedges"]:
        edge[4] = [[articles.index(a), s] for a, s in edge[4]]
    for quote in data["quotes"]:
        quote[2] = articles.index(quote[2])


# ---------------------------------------------------------------- the default view, via pyvis


def _default_view(data: dict[str, Any], max_nodes: int) -> dict[str, Any]:
    """What the page shows at first: the top ``max_nodes`` entities by rank, co-mentions above a
    weight that keeps about ``EDGE_BUDGET_PER_NODE`` per entity, quote links if they are few;
    on a pruned graph, names left without a link are hidden (they would float around the edge)."""
    top = set(range(min(max_nodes, len(data["entities"]))))
    weights = [c[2] for c in data["co"] if c[0] in top and c[1] in top]
    budget = max(EDGE_BUDGET_FLOOR, EDGE_BUDGET_PER_NODE * len(top))
    steps = _weight_steps(data["co"])
    min_weight = next((s for s in steps if sum(1 for w in weights if w >= s) <= budget), steps[-1])
    quote_links = sum(1 for q in data["qedges"] if q[1] in top and q[2] in top)
    return {
        "limit": max_nodes,
        "minWeight": min_weight,
        "weightSteps": steps,
        "quotes": quote_links <= QUOTE_EDGE_BUDGET,
        "evidenceLimit": EVIDENCE_LIMIT,
        "hideUnlinked": len(data["entities"]) > max_nodes,
    }


def _weight_steps(co: list[list[Any]]) -> list[float]:
    """Slider stops: 1, 2, 3 ... then roughly logarithmic up to the heaviest co-mention."""
    top = max((c[2] for c in co), default=1)
    steps: list[float] = []
    for base in (1, 10, 100, 1000, 10000, 100000):
        for mult in (1, 1.5, 2, 3, 4, 5, 6, 8) if base > 1 else (1, 2, 3, 4, 5, 6, 7, 8, 9):
            step = base * mult
            if step <= top:
                steps.append(int(step) if float(step).is_integer() else step)
    return steps or [1]


def _build_network(data: dict[str, Any]) -> Any:
    """The default view as a pyvis Network, node by node (never ``Network.from_nx``)."""
    Network = _pyvis_network().Network
    view, entities = data["view"], data["entities"]
    kinds, relations = data["style"]["kinds"], data["style"]["relations"]
    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    network.node_ids = _IdList()  # pyvis checks membership in a list, once per edge
    top = set(range(min(view["limit"], len(entities))))
    edges = [
        ("co_mention", f"c{k}", a, b, {"value": weight})
        for k, (a, b, weight, *_rest) in enumerate(data["co"])
        if a in top and b in top and weight >= view["minWeight"]
    ]
    edges += [
        (relation, f"q{k}", a, b, {})
        for k, (relation, a, b, *_rest) in enumerate(data["qedges"])
        if view["quotes"] and a in top and b in top
    ]
    edges += [
        ("located_in", f"l{k}", a, b, {})
        for k, (a, b) in enumerate(data["located"])
        if a in top and b in top
    ]
    if view["hideUnlinked"]:
        top = {end for _r, _k, a, b, _x in edges for end in (a, b)}
    for i in sorted(top):
        node, name, kind, mentions = entities[i][:4]
        network.add_node(
            node, label=name or node, shape=kinds[kind]["shape"], group=kind, value=mentions
        )
    for relation, edge_id, a, b, extra in edges:
        network.add_edge(
            entities[a][0], entities[b][0], id=edge_id, **relations[relation]["vis"], **extra
        )
    network.options = _vis_options(len(top))
    return network


def _pyvis_network() -> ModuleType:
    """``pyvis.network``, imported without IPython where IPython is not loaded yet.

    pyvis.network imports IPython (~0.2 s and some 200 modules, a third of a 500-article build's
    HTML export) for the IFrame that only ``Network.show()`` uses, in a notebook. Outside one,
    the import runs against a stand-in ``IPython.display`` whose IFrame imports the real one when
    called; the stand-in leaves ``sys.modules`` as soon as pyvis is imported, so a later
    ``import IPython`` gets the real package. In a notebook (IPython loaded) nothing changes.
    """
    if "pyvis.network" in sys.modules or "IPython" in sys.modules:
        return importlib.import_module("pyvis.network")
    package, display = ModuleType("IPython"), ModuleType("IPython.display")
    display.IFrame = _deferred_iframe  # type: ignore[attr-defined]
    package.display = display  # type: ignore[attr-defined]
    stand_ins = {"IPython": package, "IPython.display": display}
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("pyvis.network")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _deferred_iframe(*args: Any, **kwargs: Any) -> Any:
    """IPython's IFrame, imported on first use (pyvis's ``Network.show`` in a notebook)."""
    from IPython.display import IFrame

    return IFrame(*args, **kwargs)


class _IdList(list):  # type: ignore[type-arg]
    """pyvis's ``node_ids`` list with set-speed membership tests."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def append(self, item: Any) -> None:
        self._members.add(item)
        super().append(item)


def _vis_options(node_count: int) -> dict[str, Any]:
    """vis-network options: kg/data/view_options.json, kind groups, and size-dependent tweaks."""
    options = json.loads(_read_data("view_options.json"))
    options["groups"] = {
        kind: {
            "shape": s["shape"],
            "color": {
                "background": s["color"],
                "border": s["border"],
                "highlight": {"background": s["color"], "border": "#111111"},
                "hover": {"background": s["color"], "border": "#111111"},
            },
        }
        for kind, s in _styles()["kinds"].items()
    }
    small = node_count <= 100
    options["layout"]["improvedLayout"] = small  # Kamada-Kawai start: fine when small, slow if not
    options["interaction"]["hideEdgesOnDrag"] = node_count > 400
    if not small:  # only the bigger names are labelled until the reader zooms in
        options["nodes"]["scaling"]["label"]["min"] = 8
    return options


# ---------------------------------------------------------------- header, template, helpers


def _meta(graph: nx.MultiDiGraph, data: dict[str, Any], title: str | None) -> dict[str, Any]:
    info = graph.graph
    date_range = info.get("date_range")
    dates = [str(d) for d in date_range] if date_range else None
    counts = {
        "articles": _int(info.get("articles", len(data["articles"]))),
        "entities": _int(info.get("entities", len(data["entities"]))),
        "quotes": _int(info.get("quotes", len(data["quotes"]))),
    }
    parts = [
        _count(counts["articles"], "article"),
        _count(counts["entities"], "entity", "entities"),
        _count(counts["quotes"], "quote"),
    ]
    if dates:
        parts.append(f"{dates[0]} to {dates[-1]}")
    if info.get("model"):
        parts.append(f"model {info['model']}")
    if info.get("kg_version"):
        parts.append(f"kg {info['kg_version']}")
    if info.get("build_date"):
        parts.append(f"built {info['build_date']}")
    heading = title or DEFAULT_TITLE
    return {
        **counts,
        "title": heading,
        "dateRange": dates,
        "line": " · ".join(parts),
        "pageTitle": f"{heading} — {', '.join(parts[:3])}",
    }


def _count(n: int, one: str, many: str | None = None) -> str:
    """``_count(1, "article")`` is '1 article'; ``_count(2000, "entity", "entities")`` '2,000 entities'."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _kind_counts(entities: list[list[Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for entity in entities:
        counts[entity[2]] += 1
    return [
        {"kind": kind, "count": counts[kind], **style}
        for kind, style in _styles()["kinds"].items()
        if counts[kind] or kind != "other"
    ]


@functools.cache
def _assets() -> dict[str, markupsafe.Markup]:
    """vis-network's JS and CSS (pyvis's package files) and ours, checked safe to inline."""
    vis = _vis_dir()
    assets = {
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "app_css": _read_data("view_style.css"),
        "app_js": _read_data("view_app.js"),
    }
    for name, text in assets.items():
        end_tag = "</style" if name.endswith("css") else "</script"
        if end_tag in text.lower() or "<!--" in text:
            raise RuntimeError(f"{name} cannot be inlined: it contains {end_tag} or <!--")
    return {name: markupsafe.Markup(text) for name, text in assets.items()}


def _vis_dir() -> Path:
    """The newest vis-network bundled with pyvis (pyvis/templates/lib/vis-<version>/)."""
    lib = Path(_pyvis_network().__file__).parent / "templates" / "lib"
    found = sorted(
        lib.glob("vis-*/vis-network.min.js"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)],
    )
    if not found:
        raise RuntimeError("pyvis ships no vis-network: reinstall it (pip install 'pyvis>=0.3.2')")
    return found[-1].parent


@functools.cache
def _styles() -> dict[str, dict[str, dict[str, Any]]]:
    """Colours and shapes by kind, vis edge options by relation (shared with the page's script)."""
    styles: dict[str, dict[str, dict[str, Any]]] = json.loads(_read_data("view_styles.json"))
    return styles


def _read_data(name: str) -> str:
    return (importlib.resources.files("kg") / "data" / name).read_text(encoding="utf-8")


@functools.cache
def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: _read_data(name) if name.startswith("view_") else None
    )
    env = jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True)
    env.filters["script_json"] = lambda value: markupsafe.Markup(to_script_json(value))
    return env


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _num(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 1
    return int(number) if number.is_integer() else number
