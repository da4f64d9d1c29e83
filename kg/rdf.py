"""The RDF export: the graph as Turtle, per the data contract (README, kg/data/kg.ttl).

We write Turtle ourselves rather than through rdflib's serializer: it is a few lines, it is
deterministic by construction (subjects, predicates and objects sorted), it is linear-time at any
size and it builds no in-memory rdflib graph. Every term goes through ``turtle_iri`` or
``turtle_literal``; the tests parse the output back with rdflib, pyoxigraph and rapper/serdi and
feed arbitrary Unicode through both writers (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as percent_quote

import networkx as nx

from kg.vocab import DEFAULT_BASE, KIND_CLASS, PREFIXES

Triple = tuple[str, str, str]  # subject, predicate, object: each already in Turtle syntax

_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f\ud800-\udfff]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def turtle_literal(value: str, datatype: str | None = None) -> str:
    """A Turtle string literal, every character that needs it escaped.

    >>> turtle_literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    >>> turtle_literal("2023-03-31", "xsd:date")
    '"2023-03-31"^^xsd:date'
    """
    body = _NEEDS_ESCAPE.sub(_escape_char, value)
    return f'"{body}"' + (f"^^{datatype}" if datatype else "")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _ECHAR:
        return _ECHAR[char]
    if "\ud800" <= char <= "\udfff":
        return "\\uFFFD"  # a lone surrogate cannot be written in UTF-8
    return f"\\u{ord(char):04X}"


def turtle_iri(iri: str) -> str:
    """An IRIREF that Turtle parsers and strict stores (Oxigraph) accept, whatever ``iri`` holds.

    Characters that Turtle or RFC 3987 forbid where they stand are percent-encoded (UTF-8): a
    space or ``<``, a ``%`` that starts no escape, a second ``#``, ``[`` outside an IPv6 host, a
    private-use or non-character code point, a port that is not a number (its ``:`` is encoded).

    >>> turtle_iri("https://example.org/a b<c>")
    '<https://example.org/a%20b%3Cc%3E>'
    >>> turtle_iri("https://example.org:80x/100%#a#b")
    '<https://example.org%3A80x/100%25#a%23b>'
    """
    if _IRI_PLAIN.fullmatch(iri):
        return f"<{iri}>"
    scheme = _SCHEME.match(iri)
    if scheme is None:  # a relative reference: encode it as a path
        return "<" + _iri_part(iri, "path") + ">"
    rest, out = iri[scheme.end() :], [scheme.group(0)]
    if rest.startswith("//"):
        end = next((i for i, c in enumerate(rest[2:], 2) if c in "/?#"), len(rest))
        out.append("//" + _iri_authority(rest[2:end]))
        rest = rest[end:]
    rest, hash_, fragment = rest.partition("#")
    path, question, query = rest.partition("?")
    out.append(_iri_part(path, "path"))
    if question:
        out.append("?" + _iri_part(query, "query"))
    if hash_:
        out.append("#" + _iri_part(fragment, "fragment"))
    return "<" + "".join(out) + ">"


def _iri_authority(authority: str) -> str:
    userinfo, at, hostport = authority.rpartition("@")
    head = _iri_part(userinfo, "userinfo") + at
    if hostport.startswith("["):
        host, bracket, port = hostport[1:].partition("]")
        if bracket and _is_ip_literal(host) and re.fullmatch(r"(?::[0-9]*)?", port):
            return f"{head}[{host}]{port}"
    else:
        host, colon, port = hostport.rpartition(":")
        if colon and (not port or (port.isascii() and port.isdigit())):
            return head + _iri_part(host, "host") + ":" + port
    return head + _iri_part(hostport, "host")


def _is_ip_literal(host: str) -> bool:
    import ipaddress

    if re.fullmatch(r"[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+", host):
        return True
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return "%" not in host  # a zone id needs its own escaping: encode the whole host instead


def _iri_ranges(private: bool) -> str:
    """RFC 3987 ``ucschar`` (and ``iprivate`` in a query) as a regex character-class body."""
    ranges = [(0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)]
    ranges += [(plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 14)]
    ranges.append((0xE1000, 0xEFFFD))
    if private:
        ranges += [(0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)]
    return "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges)


_IRI_ASCII = {  # what each component allows besides ASCII letters, digits and %XX
    "userinfo": "-._~!$&'()*+,;=:",
    "host": "-._~!$&'()*+,;=",
    "path": "-._~!$&'()*+,;=:@/",
    "query": "-._~!$&'()*+,;=:@/?",
    "fragment": "-._~!$&'()*+,;=:@/?",
}
_IRI_ENCODE = {
    part: re.compile(
        rf"[^A-Za-z0-9%{re.escape(chars)}{_iri_ranges(part == 'query')}]|%(?![0-9A-Fa-f]{{2}})"
    )
    for part, chars in _IRI_ASCII.items()
}
_IRI_PLAIN = re.compile(  # the common case, nothing to encode: skip the component parsing
    r"[A-Za-z][A-Za-z0-9+.\-]*://[A-Za-z0-9\-.]+(?:/[A-Za-z0-9\-._~/]*)?(?:#[A-Za-z0-9\-._~/]*)?"
)


def _iri_part(text: str, part: str) -> str:
    return _IRI_ENCODE[part].sub(_percent, text)


def _percent(match: re.Match[str]) -> str:
    char = match.group(0)
    if "\ud800" <= char <= "\udfff":
        char = "\ufffd"
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


def is_absolute_iri(text: str) -> bool:
    """True for an IRI with a scheme (``https://...``, ``urn:...``)."""
    return bool(_SCHEME.match(text))


@dataclass(frozen=True)
class Iris:
    """Stable IRIs for graph nodes under a user-settable base."""

    base: str = DEFAULT_BASE

    def __call__(self, node: str) -> str:
        kind, _, rest = node.partition("/")
        if kind == "article":
            return f"{self.base}article/{percent_quote(rest, safe='')}"
        if kind == "quote":
            article, _, start = rest.rpartition("/")
            return f"{self.base}quote/{percent_quote(article, safe='')}/{start}"
        return f"{self.base}{node}"

    def co_mention(self, a: str, b: str) -> str:
        return f"{self.base}comention/{a.replace('/', '.')}--{b.replace('/', '.')}"

    def term(self, node: str) -> str:
        """The node's IRI in Turtle syntax."""
        return turtle_iri(self(node))


def to_turtle(graph: nx.MultiDiGraph, iris: Iris | None = None) -> str:
    """The whole graph as a Turtle document (deterministic)."""
    iris = iris or Iris()
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    lines.append("")
    by_subject: dict[str, list[str]] = defaultdict(list)
    memo = _MemoIris(iris.base) if type(iris) is Iris else iris
    for s, p, o in graph_triples(graph, memo):
        by_subject[s].append(f"{p} {o}" if p != "a" else f"\0{p} {o}")  # rdf:type first
    for subject in sorted(by_subject):
        pairs = sorted(set(by_subject[subject]))
        if pairs[0][0] == "\0":
            pairs = [pair.removeprefix("\0") for pair in pairs]
        body = " ;\n    ".join(pairs)
        lines.append(f"{subject} {body} .\n")
    return "\n".join(lines)


class _MemoIris(Iris):
    """Iris that remembers: an entity's IRI (and its Turtle term) is asked for once per edge it
    is on."""

    def __init__(self, base: str) -> None:
        super().__init__(base)
        object.__setattr__(self, "_seen", {})
        object.__setattr__(self, "_terms", {})

    def __call__(self, node: str) -> str:
        seen: dict[str, str] = self._seen  # type: ignore[attr-defined]
        iri = seen.get(node)
        if iri is None:
            iri = seen[node] = super().__call__(node)
        return iri

    def term(self, node: str) -> str:
        terms: dict[str, str] = self._terms  # type: ignore[attr-defined]
        term = terms.get(node)
        if term is None:
            term = terms[node] = turtle_iri(self(node))
        return term


def graph_triples(graph: nx.MultiDiGraph, iris: Iris) -> Iterator[Triple]:
    """Every triple of the data contract, terms already written in Turtle syntax."""
    for node, data in graph.nodes(data=True):
        kind = data.get("type")
        if kind == "entity":
            yield from _entity_triples(graph, node, data, iris)
        elif kind == "article":
            yield from _article_triples(graph, node, data, iris)
        elif kind == "quote":
            yield from _quote_triples(graph, node, data, iris)
    for a, b, key, data in graph.edges(keys=True, data=True):
        if key == "co_mention":
            yield from _co_mention_triples(a, b, data, iris)


def _entity_triples(
    graph: nx.MultiDiGraph, node: str, d: dict[str, Any], iris: Iris
) -> Iterator[Triple]:
    s = iris.term(node)
    yield s, "a", KIND_CLASS[d["kind"]]
    yield s, "schema:name", turtle_literal(d["name"])
    for alias in d.get("aliases", []):
        yield s, "schema:alternateName", turtle_literal(alias)
    yield s, "kg:mentionCount", str(int(d.get("mentions", 0)))
    for iri in d.get("same_as", []):
        if is_absolute_iri(iri):
            yield s, "owl:sameAs", turtle_iri(iri)
    for field in ("latitude", "longitude"):
        if d.get(field) is not None:
            yield s, f"schema:{field}", f"{float(d[field]):.6f}"
    if d.get("location"):
        yield s, "schema:location", iris.term(d["location"])
    if d.get("start_date"):
        yield s, "schema:startDate", _date_literal(str(d["start_date"]))


def _article_triples(
    graph: nx.MultiDiGraph, node: str, d: dict[str, Any], iris: Iris
) -> Iterator[Triple]:
    s = iris.term(node)
    yield s, "a", "schema:NewsArticle"
    yield s, "schema:identifier", turtle_literal(d["identifier"])
    if d.get("title"):
        yield s, "schema:headline", turtle_literal(d["title"])
    if d.get("date"):
        yield s, "schema:datePublished", _date_literal(d["date"])
    if d.get("url") and is_absolute_iri(d["url"]):
        yield s, "schema:url", turtle_iri(d["url"])
    for _, target, key in graph.out_edges(node, keys=True):
        predicate = {
            "mentions": "schema:mentions",
            "author": "schema:author",
            "publisher": "schema:publisher",
        }.get(key)
        if predicate:
            yield s, predicate, iris.term(target)


def _quote_triples(
    graph: nx.MultiDiGraph, node: str, d: dict[str, Any], iris: Iris
) -> Iterator[Triple]:
    s = iris.term(node)
    yield s, "a", "schema:Quotation"
    yield s, "schema:text", turtle_literal(d["text"])
    yield s, "schema:isPartOf", iris.term(f"article/{d['article']}")
    yield s, "kg:quoteKind", turtle_literal(d["kind"])
    yield s, "kg:startOffset", str(int(d["start"]))
    yield s, "kg:endOffset", str(int(d["end"]))
    if d.get("rule"):
        yield s, "kg:attributionRule", turtle_literal(d["rule"])
    if d.get("cue"):
        yield s, "kg:cue", turtle_literal(d["cue"])
    if d.get("speaker"):
        yield s, "schema:creator", iris.term(d["speaker"])
    if d.get("addressee"):
        yield s, "kg:addressee", iris.term(d["addressee"])
    for _, target, key, data in graph.out_edges(node, keys=True, data=True):
        if key == "about":
            yield s, "schema:about", iris.term(target)
    for _, _, key, data in graph.in_edges(node, keys=True, data=True):
        if key == "said" and data.get("evidence"):
            yield s, "kg:sentence", turtle_literal(data["evidence"][0]["sentence"])


def _co_mention_triples(a: str, b: str, d: dict[str, Any], iris: Iris) -> Iterator[Triple]:
    s = turtle_iri(iris.co_mention(a, b))
    ia, ib = iris.term(a), iris.term(b)
    yield s, "a", "kg:CoMention"
    yield s, "kg:entity", ia
    yield s, "kg:entity", ib
    yield s, "kg:sentenceCount", str(int(d["sentence_count"]))
    yield s, "kg:articleCount", str(int(d["article_count"]))
    for article in d.get("articles", []):
        yield s, "prov:wasDerivedFrom", iris.term(f"article/{article}")
    yield ia, "kg:coMentionedWith", ib
    yield ib, "kg:coMentionedWith", ia


def _date_literal(value: str) -> str:
    """xsd:date for ISO dates, xsd:gYear for years, a plain literal otherwise."""
    try:
        return turtle_literal(dt.date.fromisoformat(value).isoformat(), "xsd:date")
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}", value):
        return turtle_literal(value, "xsd:gYear")
    return turtle_literal(value)
