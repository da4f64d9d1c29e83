"""The query stage: SPARQL over the Turtle we wrote, with ready-made named queries.

Parameters of named queries (``who``, ``what``, ``kind``) are inserted as escaped string
literals, never spliced raw. Parser errors from rdflib (pyparsing) are translated into
``QueryError`` with line and column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.errors import QueryError, one_line
from kg.rdf import turtle_literal
from kg.vocab import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    sparql: str
    params: tuple[str, ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()


_MATCH = """{var} schema:name ?_n{v} . OPTIONAL {{ {var} schema:alternateName ?_a{v} }}
  FILTER(CONTAINS(LCASE(STR(?_n{v})), LCASE({param})) || CONTAINS(LCASE(STR(COALESCE(?_a{v}, ""))), LCASE({param})))"""


def _match(var: str, param: str) -> str:
    return _MATCH.format(var=var, v=var.strip("?"), param=param)


NAMED_QUERIES: dict[str, NamedQuery] = {
    q.name: q
    for q in (
        NamedQuery(
            "speakers",
            "who is quoted most: speakers by number of quotes",
            """SELECT ?speaker ?kind (COUNT(DISTINCT ?q) AS ?quotes) (COUNT(DISTINCT ?article) AS ?articles)
WHERE { ?q a schema:Quotation ; schema:creator ?s ; schema:isPartOf ?article .
        ?s schema:name ?speaker ; a ?type . BIND(STRAFTER(STR(?type), "schema.org/") AS ?kind) }
GROUP BY ?speaker ?kind ORDER BY DESC(?quotes) ?speaker""",
        ),
        NamedQuery(
            "said",
            "what WHO said (matches a name or alias): quote, kind and headline",
            """SELECT DISTINCT ?speaker ?text ?kind ?headline
WHERE { ?q a schema:Quotation ; schema:creator ?s ; schema:text ?text ; kg:quoteKind ?kind ;
           schema:isPartOf ?a . OPTIONAL { ?a schema:headline ?headline }
        ?s schema:name ?speaker . {match_s} }
ORDER BY ?speaker ?headline ?text""".replace("{match_s}", _match("?s", "{who}")),
            ("who",),
        ),
        NamedQuery(
            "comentions",
            "who and what WHO is co-mentioned with, strongest first",
            """SELECT ?entity ?other ?kind ?sentences ?articles
WHERE { ?c a kg:CoMention ; kg:entity ?e, ?o ; kg:sentenceCount ?sentences ; kg:articleCount ?articles .
        FILTER(?e != ?o) ?e schema:name ?entity . ?o schema:name ?other ; a ?type .
        BIND(STRAFTER(STR(?type), "schema.org/") AS ?kind) {match_e} }
ORDER BY DESC(?sentences) ?other""".replace("{match_e}", _match("?e", "{who}")),
            ("who",),
        ),
        NamedQuery(
            "about",
            "quotes about WHAT (an entity the quote mentions), with their speaker",
            """SELECT DISTINCT ?about ?speaker ?text ?headline
WHERE { ?q a schema:Quotation ; schema:about ?t ; schema:text ?text ; schema:isPartOf ?a .
        OPTIONAL { ?q schema:creator ?s . ?s schema:name ?speaker }
        OPTIONAL { ?a schema:headline ?headline }
        ?t schema:name ?about . {match_t} }
ORDER BY ?about ?speaker ?text""".replace("{match_t}", _match("?t", "{what}")),
            ("what",),
        ),
        NamedQuery(
            "entities",
            "entities of KIND (person, organization, place, event) by mention count",
            """SELECT ?name ?mentions (GROUP_CONCAT(?alias; separator=" | ") AS ?aliases)
WHERE { ?e a ?type ; schema:name ?name ; kg:mentionCount ?mentions .
        OPTIONAL { ?e schema:alternateName ?alias }
        FILTER(LCASE(STRAFTER(STR(?type), "schema.org/")) = LCASE({kind})) }
GROUP BY ?name ?mentions ORDER BY DESC(?mentions) ?name""",
            ("kind",),
            (("kind", "person"),),
        ),
        NamedQuery(
            "told",
            "who told what to whom (quotes with an addressee)",
            """SELECT ?speaker ?addressee ?text
WHERE { ?q a schema:Quotation ; schema:creator ?s ; kg:addressee ?t ; schema:text ?text .
        ?s schema:name ?speaker . ?t schema:name ?addressee }
ORDER BY ?speaker ?addressee ?text""",
        ),
        NamedQuery(
            "articles",
            "articles with date, publisher and authors",
            """SELECT ?id ?headline ?date ?publisher (GROUP_CONCAT(?author; separator=", ") AS ?authors)
WHERE { ?a a schema:NewsArticle ; schema:identifier ?id .
        OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?date }
        OPTIONAL { ?a schema:publisher/schema:name ?publisher }
        OPTIONAL { ?a schema:author/schema:name ?author } }
GROUP BY ?id ?headline ?date ?publisher ORDER BY ?id""",
        ),
    )
}


def render_named(name: str, args: dict[str, str]) -> str:
    """The SPARQL text of a named query with its parameters bound as escaped literals."""
    if name not in NAMED_QUERIES:
        raise QueryError(f"no named query {name!r}; `kg query GRAPH --list` shows them")
    query = NAMED_QUERIES[name]
    values = dict(query.defaults) | args
    missing = [p for p in query.params if p not in values]
    if missing:
        raise QueryError(f"query {name!r} needs --arg {missing[0]}=VALUE")
    text = query.sparql
    for param in query.params:
        text = text.replace("{" + param + "}", turtle_literal(values[param]))
    return text


def with_prologue(query: str) -> str:
    """Our prefixes are declared for the user unless the query declares them itself."""
    return PROLOGUE + query


def load_graph(path: str | Path) -> Any:
    """Parse a Turtle file with rdflib; a clear QueryError when it is missing or broken."""
    import rdflib

    path = Path(path)
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file (run `kg build` first)")
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as err:  # rdflib raises several parser types; all mean "not Turtle"
        raise QueryError(f"{path}: not valid Turtle{_turtle_error(err)}") from err
    return graph


def _turtle_error(err: Exception) -> str:
    """" at line L, column C: why" from rdflib's BadSyntax, else ": the message" on one line."""
    why, line, text, at = (getattr(err, a, None) for a in ("_why", "lines", "_str", "_i"))
    if not (isinstance(why, str) and isinstance(line, int)):
        return f": {one_line(err)}"
    where = f" at line {line + 1}"
    if isinstance(text, (bytes, str)) and isinstance(at, int):
        newline = b"\n" if isinstance(text, bytes) else "\n"
        where += f", column {at - text.rfind(newline, 0, at)}"  # type: ignore[arg-type]
    return f"{where}: {one_line(Exception(why))}"


def run_query(graph: Any, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a SELECT/ASK query on an rdflib graph; return column names and rows of Python values."""
    from pyparsing import ParseException

    try:
        result = graph.query(with_prologue(query))
    except ParseException as err:
        raise QueryError(
            f"invalid SPARQL at line {max(1, err.lineno - len(PREFIXES))}, column {err.col}: {err.msg}"
        ) from err
    except Exception as err:
        raise QueryError(f"query failed: {one_line(err)}") from err
    if result.type == "ASK":
        return ["ask"], [(bool(result.askAnswer),)]
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries print as tables; use CONSTRUCT via rdflib")
    columns = [str(v) for v in result.vars]
    rows = [tuple(_python(value) for value in row) for row in result]
    return columns, rows


def _python(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "toPython") and value.__class__.__name__ == "Literal":
        converted = value.toPython()
        if isinstance(converted, Decimal):
            return float(converted)
        return converted if isinstance(converted, (int, float, bool)) else str(value)
    return str(value)



def format_rows(columns: Sequence[str], rows: Sequence[tuple[Any, ...]], fmt: str = "table") -> str:
    """Rows as an aligned text table, CSV, or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, indent=2
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return buffer.getvalue().rstrip("\n")
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join([line, rule, *body, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def _cell(value: Any, limit: int = 80) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
