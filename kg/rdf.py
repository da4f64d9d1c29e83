"""The RDF export: the graph as Turtle, per the data contract (README, kg/data/kg.ttl).

We write Turtle ourselves rather than through rdflib's serializer: it is a few lines, it is
deterministic by construction (subjects, predicates and objects sorted), it is linear-time at any
size and it builds no in-memory rdflib graph. Every term goes through ``turtle_iri`` or
``turtle_literal``; the tests parse the output back with rdflib, pyoxigraph and rapper/serdi and
feed arbitrary Unicode through both writers (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from bisect import bisect_left
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
            return f"{self.base}article/{_segment(rest)}"
        if kind == "quote":
            article, _, start = rest.rpartition("/")
            return f"{self.base}quote/{_segment(article)}/{start}"
        return f"{self.base}{node}"

    def co_mention(self, a: str, b: str) -> str:
        return f"{self.base}comention/{a.replace('/', '.')}--{b.replace('/', '.')}"

    def term(self, node: str) -> str:
        """The node's IRI in Turtle syntax."""
        return turtle_iri(self(node))


@functools.lru_cache(maxsize=1 << 16)
def _segment(text: str) -> str:
    """An article id as one path segment (each of its quotes asks again)."""
    return percent_quote(text, safe="")


def to_turtle(graph: nx.MultiDiGraph, iris: Iris | None = None) -> str:
    """The whole graph as a Turtle document (deterministic)."""
    iris = iris or Iris()
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    lines.append("")
    by_subject: dict[str, list[str]] = defaultdict(list)
    memo = _MemoIris(iris.base) if type(iris) is Iris else iris
    for s, pairs in _statements(graph, memo):
        by_subject[s] += pairs
    for subject in sorted(by_subject):
        pairs = sorted(set(by_subject[subject]))
        typed = bisect_left(pairs, "\1")  # the rdf:type pairs, "\0"-marked to sort first
        if typed:
            pairs[:typed] = [pair[1:] for pair in pairs[:typed]]
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
    for s, pairs in _statements(graph, iris):
        for pair in pairs:
            p, _, o = pair.removeprefix("\0").partition(" ")
            yield s, p, o


def _statements(graph: nx.MultiDiGraph, iris: Iris) -> Iterator[tuple[str, list[str]]]:
    """Every triple of the data contract as (subject, ["predicate object", ...]) groups, a
    subject in one or more groups; rdf:type pairs start with "\0" (Turtle lists them first)."""
    for node, data in graph._node.items():
        kind = data.get("type")
        if kind == "entity":
            yield iris.term(node), _entity_pairs(node, data, iris)
        elif kind == "article":
            yield iris.term(node), _article_pairs(graph, node, data, iris)
        elif kind == "quote":
            yield iris.term(node), _quote_pairs(graph, node, data, iris)
    for a, neighbours in graph._adj.items():
        for b, edges in neighbours.items():
            data = edges.get("co_mention")
            if data is not None:
                yield from _co_mention_statements(a, b, data, iris)


def _entity_pairs(node: str, d: dict[str, Any], iris: Iris) -> list[str]:
    pairs = [f"\0a {KIND_CLASS[d['kind']]}", f"schema:name {turtle_literal(d['name'])}"]
    pairs += [f"schema:alternateName {turtle_literal(alias)}" for alias in d.get("aliases", [])]
    pairs.append(f"kg:mentionCount {int(d.get('mentions', 0))}")
    pairs += [
        f"owl:sameAs {turtle_iri(iri)}" for iri in d.get("same_as", []) if is_absolute_iri(iri)
    ]
    for field in ("latitude", "longitude"):
        if d.get(field) is not None:
            pairs.append(f"schema:{field} {float(d[field]):.6f}")
    if d.get("location"):
        where = "schema:containedInPlace" if d["kind"] == "place" else "schema:location"
        pairs.append(f"{where} {iris.term(d['location'])}")
    if d.get("start_date"):
        pairs.append(f"schema:startDate {_date_literal(str(d['start_date']))}")
    return pairs


_ARTICLE_EDGES = {
    "mentions": "schema:mentions",
    "author": "schema:author",
    "publisher": "schema:publisher",
}


def _article_pairs(graph: nx.MultiDiGraph, node: str, d: dict[str, Any], iris: Iris) -> list[str]:
    pairs = ["\0a schema:NewsArticle", f"schema:identifier {turtle_literal(d['identifier'])}"]
    if d.get("title"):
        pairs.append(f"schema:headline {turtle_literal(d['title'])}")
    if d.get("date"):
        pairs.append(f"schema:datePublished {_date_literal(d['date'])}")
    if d.get("url") and is_absolute_iri(d["url"]):
        pairs.append(f"schema:url {turtle_iri(d['url'])}")
    for target, edges in graph._succ[node].items():
        for key in edges:
            predicate = _ARTICLE_EDGES.get(key)
            if predicate:
                pairs.append(f"{predicate} {iris.term(target)}")
    return pairs


def _quote_pairs(graph: nx.MultiDiGraph, node: str, d: dict[str, Any], iris: Iris) -> list[str]:
    pairs = [
        "\0a schema:Quotation",
        f"schema:text {turtle_literal(d['text'])}",
        f"schema:isPartOf {iris.term('article/' + d['article'])}",
        f"kg:quoteKind {turtle_literal(d['kind'])}",
        f"kg:startOffset {int(d['start'])}",
        f"kg:endOffset {int(d['end'])}",
    ]
    if d.get("rule"):
        pairs.append(f"kg:attributionRule {turtle_literal(d['rule'])}")
    if d.get("cue"):
        pairs.append(f"kg:cue {turtle_literal(d['cue'])}")
    if d.get("speaker"):
        pairs.append(f"schema:creator {iris.term(d['speaker'])}")
    if d.get("addressee"):
        pairs.append(f"kg:addressee {iris.term(d['addressee'])}")
    for target, edges in graph._succ[node].items():
        if "about" in edges:
            pairs.append(f"schema:about {iris.term(target)}")
    for edges in graph._pred[node].values():
        said = edges.get("said")
        if said is not None and said.get("evidence"):
            pairs.append(f"kg:sentence {turtle_literal(said['evidence'][0]['sentence'])}")
    return pairs


def _co_mention_statements(
    a: str, b: str, d: dict[str, Any], iris: Iris
) -> Iterator[tuple[str, list[str]]]:
    ia, ib = iris.term(a), iris.term(b)
    pairs = [
        "\0a kg:CoMention",
        f"kg:entity {ia}",
        f"kg:entity {ib}",
        f"kg:sentenceCount {int(d['sentence_count'])}",
        f"kg:articleCount {int(d['article_count'])}",
    ]
    pairs += [f"prov:wasDerivedFrom {iris.term(f'article/{x}')}" for x in d.get("articles", [])]
    yield turtle_iri(iris.co_mention(a, b)), pairs
    yield ia, [f"kg:coMentionedWith {ib}"]
    yield ib, [f"kg:coMentionedWith {ia}"]


def _date_literal(value: str) -> str:
    """xsd:date for ISO dates, xsd:gYear for years, a plain literal otherwise."""
    try:
        return turtle_literal(dt.date.fromisoformat(value).isoformat(), "xsd:date")
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}", value):
        return turtle_literal(value, "xsd:gYear")
    return turtle_literal(value)
