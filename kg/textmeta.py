"""Dates, bylines and author names as news pages write them (pure functions, no I/O).

``parse_date`` normalizes a written date to ISO ``yyyy-mm-dd`` and never guesses: "03/31/2023"
is month first (US) unless the first number is above 12, and anything ambiguous or invalid is
None. ``parse_byline`` reads "by JACK MONTGOMERY and CHRIS TOMLINSON" or "By Jane Doe, Reuters";
``split_authors`` reads an author field. The word lists live in ``kg/data/sources_lexicon.json``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "find_date",
    "is_date_line",
    "lexicon",
    "normalize_name",
    "parse_byline",
    "parse_date",
    "split_authors",
]

# ---------------------------------------------------------------- dates
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_RES = (
    ("ymd", re.compile(r"(?<!\d)(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?!\d)")),
    ("us", re.compile(r"(?<![\d.])(?P<a>\d{1,2})([/-])(?P<b>\d{1,2})\2(?P<y>\d{4})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")),
    ("mdy", re.compile(rf"(?i)\b{_MONTH}\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})(?!\d)")),
    ("dmy", re.compile(rf"(?i)\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b")),
)
# What may surround a date on a line that holds nothing else (weekday, time, zone, "at", "on").
_DIGIT_RE = re.compile(r"\d")
_DATE_REST = re.compile(  # possessive (*+), so no backtracking: alternatives in priority order
    r"^(?:T?\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|[+-]\d{1,4}\b"
    r"|(?i:a\.m\.|p\.m\.)|\b(?i:on|at|am|pm|utc|gmt|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?|\b[A-Z]{2,5}\b|Z\b|[\s,|•·:()\-–—])*+$"
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date written in ``text``, as ``(iso, start, end)``, or None.

    >>> find_date("Last updated: Wednesday 29 March 2023, 10:01 BST")
    ('2023-03-29', 24, 37)
    """
    best: tuple[str, int, int] | None = None
    if not _DIGIT_RE.search(text):
        return None
    for style, pattern in _DATE_RES:
        for m in pattern.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            iso = _date_from_match(style, m)
            if iso is not None:
                best = (iso, m.start(), m.end())
                break
    return best


def _date_from_match(style: str, m: re.Match[str]) -> str | None:
    g = m.groupdict()
    year = int(g["y"])
    if style == "us":  # month first, unless the first number cannot be a month
        a, b = int(g["a"]), int(g["b"])
        month, day = (a, b) if a <= 12 else (b, a)
    else:
        month = _MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        day = int(g["d"])
    if not 1800 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: str | None) -> str | None:
    """Normalize a written date to ISO ``yyyy-mm-dd``; None when there is no unambiguous date.

    ``03/31/2023`` is read month first (US) unless the first number is above 12.

    >>> [parse_date(s) for s in ("03/31/2023", "31/03/2023", "March 29, 2023", "29 March 2023")]
    ['2023-03-31', '2023-03-31', '2023-03-29', '2023-03-29']
    >>> parse_date("2023-03-29T10:00:00Z"), parse_date("next Tuesday"), parse_date("13/13/2023")
    ('2023-03-29', None, None)
    """
    if not value:
        return None
    found = find_date(value)
    return found[0] if found else None


_WORDS_RE = re.compile(r"[^\W_]+")
_DATE_LINE_MAX_WORDS = 24  # "Wednesday, 29 March 2023 at 10:01:00.000 a.m. BST" has 13


def _more_words_than(line: str, limit: int) -> bool:
    """More than ``limit`` words in ``line``: counted only up to ``limit + 1``, and not at all
    in a line too short to hold that many (each word but the last needs a separator after it)."""
    if len(line) < 2 * limit + 1:
        return False
    return next(itertools.islice(_WORDS_RE.finditer(line), limit, None), None) is not None


def is_date_line(line: str) -> str | None:
    """The ISO date if ``line`` holds a date and nothing else (weekday, time and zone allowed).

    >>> is_date_line("Wed 29 Mar 2023 10.01 BST"), is_date_line("He left on March 29, 2023.")
    ('2023-03-29', None)
    """
    if _more_words_than(line, _DATE_LINE_MAX_WORDS):
        return None  # a sentence, not a dateline: spare the date patterns a long scan
    found = find_date(line)
    if found is None:
        return None
    iso, start, end = found
    return iso if _DATE_REST.match(line[:start] + " " + line[end:]) else None


# ---------------------------------------------------------------- lexicon and names
@dataclass(frozen=True)
class Lexicon:
    footer_labels: frozenset[str]
    heading_labels: frozenset[str]
    agencies: frozenset[str]
    publishers: frozenset[str]
    outlet_words: frozenset[str]
    name_particles: frozenset[str]
    affiliation_words: frozenset[str]


@functools.cache
def lexicon() -> Lexicon:
    """The word lists of ``kg/data/sources_lexicon.json``, loaded once on first use."""
    raw = json.loads(resources.files("kg.data").joinpath("sources_lexicon.json").read_text("utf-8"))
    return Lexicon(**{k: frozenset(v) for k, v in raw.items() if not k.startswith("_")})


_NAME_WORD = re.compile(r"^(?:[^\W\d_]\.){1,3}$|^[^\W\d_][^\W\d_'’.\-]*(?:['’\-][^\W\d_]+)*\.?$")


def normalize_name(name: str) -> str:
    """Tidy one author name: collapse spaces, title-case a name written in capitals.

    >>> normalize_name("JACK  MONTGOMERY"), normalize_name("Jean-Luc O'Neil")
    ('Jack Montgomery', "Jean-Luc O'Neil")
    """
    name = " ".join(name.split()).strip(" ,;")
    return name.title() if name.isupper() else name


def _is_person_name(part: str) -> bool:
    words = part.split()
    particles = lexicon().name_particles
    if not 2 <= len(words) <= 5 or words[-1].lower() in particles:
        return False
    for w in words:
        if w.lower() in particles:
            continue
        if not (_NAME_WORD.match(w) and w[0].isupper()):
            return False
    return True


def _is_affiliation(part: str) -> bool:
    lex = lexicon()
    low = part.lower().strip(" .")
    if low in lex.agencies or low in lex.publishers:
        return True
    words = low.split()
    return bool(words) and (words[-1] in lex.affiliation_words or words[0] in ("for", "in", "at"))


_BYLINE = re.compile(r"(?i)^(?:(?:written|words|story|text|reporting)\s+)?by[:\s]\s*(?P<rest>.+)$")
_BYLINE_PARTS = re.compile(r"\s*(?:,|;|\s&\s|\band\b)\s*", re.IGNORECASE)
_BYLINE_TAIL = re.compile(r"\s+(?:\||•|·|—|–|-)\s+|\s*\|\s*")
_PLACE_TAIL = re.compile(r"\s+(?:in|for|at|from)\s+[A-Z].*$")


def parse_byline(line: str) -> tuple[tuple[str, ...], str | None] | None:
    """Authors (and a date) from a byline such as "by JACK MONTGOMERY and CHRIS TOMLINSON".

    Returns None when the line is not a byline (prose that starts with "By" stays prose).

    >>> parse_byline("by JACK MONTGOMERY and CHRIS TOMLINSON")
    (('Jack Montgomery', 'Chris Tomlinson'), None)
    >>> parse_byline("By Jane Doe, Reuters | March 3, 2023")
    (('Jane Doe',), '2023-03-03')
    >>> parse_byline("By Monday, the troops had left.") is None
    True
    """
    m = _BYLINE.match(line.strip())
    if not m or len(line.split()) > 16:
        return None
    head, *tail = _BYLINE_TAIL.split(m.group("rest").strip())
    date = next((d for d in map(parse_date, tail) if d), None)
    if any(not parse_date(t) and not _is_affiliation(t) for t in tail if t.strip()):
        return None
    authors: list[str] = []
    for part in filter(None, (p.strip(" .") for p in _BYLINE_PARTS.split(head))):
        if _is_affiliation(part):
            continue
        part = _PLACE_TAIL.sub("", part)
        if not _is_person_name(part):
            return None
        authors.append(normalize_name(part))
    return tuple(authors), date


def split_authors(value: object) -> tuple[str, ...]:
    """Authors from a metadata field: a list, or a string joined by ";", "and", "&" or commas.

    >>> split_authors("Jane Doe; John Roe"), split_authors(["A B", " ", 3]), split_authors(None)
    (('Jane Doe', 'John Roe'), ('A B',), ())
    >>> split_authors("Doe, Jane")
    ('Doe, Jane',)
    """
    if isinstance(value, str):
        parts = re.split(r"\s*;\s*|\s+and\s+|\s+&\s+", value)
        items: list[str] = []
        for part in parts:
            commas = [c.strip() for c in part.split(",")]
            items.extend(commas if all(len(c.split()) >= 2 for c in commas) else [part])
    elif isinstance(value, (list, tuple)):
        items = [v for v in value if isinstance(v, str)]
    else:
        return ()
    out: list[str] = []
    for item in map(normalize_name, items):
        if item and item not in out:
            out.append(item)
    return tuple(out)
