"""kg.gazetteer: place linking to GeoNames from packaged data, offline."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import gazetteer as gz
from kg.gazetteer import (
    PlaceRecord,
    add_place_ruler,
    country_for_demonym,
    geonames_iri,
    is_place_name,
    lookup_place,
    place_key,
    ruler_patterns,
    settled_place,
)


def _id(name: str, context: tuple[str, ...] = ()) -> int | None:
    record = lookup_place(name, context)
    assert record is not None, name
    return record.geonameid


@pytest.fixture(scope="module")
def patterns() -> dict[str, str]:
    return {p["pattern"]: p["label"] for p in ruler_patterns()}


# --- the places the brief names ------------------------------------------------------------------


def test_bakhmut_and_its_former_name():
    bakhmut = lookup_place("Bakhmut")
    assert bakhmut == PlaceRecord(
        713174, "Bakhmut", bakhmut.latitude, bakhmut.longitude, "UA", "city", bakhmut.population
    )
    assert 48.5 < bakhmut.latitude < 48.7 and 37.9 < bakhmut.longitude < 38.1
    assert lookup_place("Artemivsk") == bakhmut
    assert lookup_place("Artemovsk") == bakhmut
    assert geonames_iri(bakhmut) == "https://sws.geonames.org/713174/"


@pytest.mark.parametrize("spelling", ["Sloviansk", "Slovyansk", "Slavyansk", "SLOVIANSK"])
def test_sloviansk_spellings(spelling):
    record = lookup_place(spelling)
    assert record is not None and record.geonameid == 693468
    assert record.name == "Sloviansk"  # the national transliteration, not GeoNames' "Slovyansk"


@pytest.mark.parametrize("spelling", ["Kyiv", "Kiev", "Kyiv’s", "Kyiv's", "KYIV", "kyiv", " Kyiv "])
def test_kyiv_and_kiev_are_one_place(spelling):
    record = lookup_place(spelling)
    assert record is not None
    assert (record.geonameid, record.name, record.country_code) == (703448, "Kyiv", "UA")


def test_kramatorsk():
    assert _id("Kramatorsk") == 704508


@pytest.mark.parametrize(
    "spelling",
    [
        "U.S.",
        "US",
        "USA",
        "United States",
        "the United States",
        "America",
        "United States of America",
        "the U.S.",
        "U.S.’s",
    ],
)
def test_united_states_forms(spelling):
    record = lookup_place(spelling)
    assert record is not None and record.geonameid == 6252001
    assert (record.name, record.country_code, record.feature) == ("United States", "US", "country")


@pytest.mark.parametrize(
    "spelling", ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "the United Kingdom"]
)
def test_united_kingdom_forms(spelling):
    record = lookup_place(spelling)
    assert record is not None and record.geonameid == 2635167
    assert (record.name, record.country_code) == ("United Kingdom", "GB")


def test_england_is_its_own_place():
    england = lookup_place("England")
    assert england is not None and england.geonameid == 6269131
    assert (england.feature, england.country_code) == ("admin1", "GB")


def test_washington_is_the_capital_by_default():
    dc = lookup_place("Washington")
    assert dc is not None and dc.geonameid == 4140963 and dc.feature == "city"
    assert lookup_place("Washington, D.C.") == dc
    state = lookup_place("Washington state")
    assert state is not None and state.feature == "admin1" and state.country_code == "US"


@pytest.mark.parametrize(
    "name,geonameid",
    [
        ("Moscow", 524901),
        ("Beijing", 1816670),
        ("Mariupol", 701822),
        ("Zaporizhzhia", 687700),
        ("Odessa", 698740),
        ("Soledar", 706757),
    ],
)
def test_more_cities(name, geonameid):
    assert _id(name) == geonameid


# --- homonyms -------------------------------------------------------------------------------------


def test_paris_is_decided_by_context_unless_a_namesake_overshadows_it():
    assert _id("Paris") == 2988507  # Paris, France: the most prominent
    # an article about the US does not make "Paris" Paris, Texas (25,000 people against 2
    # million): on BBC business news that read 9 of 21 Parises and 26 of 90 Londons wrong
    assert _id("Paris", ("US",)) == 2988507
    assert _id("Paris, Texas") == 4717560  # the text says which
    assert _id("London", ("US",)) == 2643743 and _id("London, Ohio") == 4517009
    # context still decides between places of comparable size, or big ones
    assert _id("Springfield", ("US",)) in (4409896, 4250542, 4951788)
    assert lookup_place("Birmingham", ("US",)).country_code == "US"  # Alabama's, 200,000
    assert lookup_place("Birmingham", ("GB",)).country_code == "GB"
    assert lookup_place("Halifax", ("CA",)).country_code == "CA"
    assert lookup_place("Halifax", "CA").country_code == "CA"  # a bare string is one code


def test_a_national_capital_five_times_its_size_overshadows_a_namesake():
    # BBC sport: "relay gold in Athens" in an article that names the Americans was Athens,
    # Georgia (127,000 people against the Greek capital's 664,000), 20 times in BBC-900
    assert lookup_place("Athens", ("US",)).country_code == "GR"
    assert lookup_place("Athens, Ga.").country_code == "US"  # the text says which
    assert lookup_place("Dublin", ("US",)).country_code == "IE"
    assert lookup_place("London", ("CA",)).country_code == "GB"
    assert lookup_place("London, Ontario").country_code == "CA"
    # a namesake that is no capital still loses to context: Alabama's Birmingham (above)


def test_a_name_many_countries_share_tells_no_article_its_country():
    """ "London's West End": West End is in Vancouver, London, Sydney and Nassau, so it is no
    reason for London to be London, Ontario (kg.link_places reads an article's countries from
    the places whose names settle it)."""
    assert settled_place("London").country_code == "GB"
    assert settled_place("Kyiv").country_code == "UA"
    assert settled_place("Springfield, Ill.").country_code == "US"
    assert settled_place("West End") is None and settled_place("Athens") is None
    assert settled_place("Georgia").feature == "country"


def test_moscow_and_georgia_by_context():
    assert lookup_place("Moscow", ("US",)).country_code == "RU"  # Idaho's is 25,000 people
    assert _id("Moscow, Idaho") == 5601538
    assert lookup_place("Georgia").feature == "country"
    assert lookup_place("Georgia", ("US",)).feature == "admin1"


def test_own_name_beats_a_bigger_citys_former_name():
    # GeoNames lists "Pokrovsk" as a former name of Engels (Russia, 196k): Pokrovsk (Ukraine) wins.
    assert lookup_place("Pokrovsk").country_code == "UA"


def test_a_country_beats_a_same_named_city():
    assert lookup_place("Mexico").feature == "country"
    assert lookup_place("Luxembourg").feature == "country"
    assert lookup_place("Lebanon", ("US",)).feature == "country"  # not Lebanon, Pennsylvania


def test_division_phrases():
    donetsk = lookup_place("Donetsk province")
    assert donetsk is not None and donetsk.geonameid == 709716 and donetsk.name == "Donetsk Oblast"
    assert lookup_place("the Donetsk region") == donetsk
    assert lookup_place("Donetsk Oblast") == donetsk
    assert lookup_place("Donetsk").feature == "city"
    assert lookup_place("Kyiv region").name == "Kyiv Oblast"
    assert lookup_place("Bakhmut region").geonameid == 713174  # no such division: the town
    assert lookup_place("Crimea").geonameid == 703883
    assert lookup_place("eastern Ukraine").geonameid == 690791


def test_a_direction_before_a_common_word_names_no_place():
    # "the Central Bank" the NER typed a place was Bank, a town in India
    assert lookup_place("the Central Bank") is None and lookup_place("northern Bank") is None
    assert lookup_place("central London").name == "London"


def test_regions_and_continents():
    latin = lookup_place("Latin America")
    assert latin is not None and latin.feature == "region" and latin.geonameid is None
    assert geonames_iri(latin) is None
    west = lookup_place("the West")
    assert west is not None and west.feature == "region"
    assert lookup_place("Europe").feature == "continent"
    assert lookup_place("Donbas").country_code == "UA"
    # a region named with a direction is not the country the direction would modify
    assert lookup_place("Central America").name == "Central America"
    assert lookup_place("Southern Africa").name == "Southern Africa"
    assert lookup_place("central Ukraine").name == "Ukraine"


def test_countries_carry_their_capitals_coordinates():
    ukraine, kyiv = lookup_place("Ukraine"), lookup_place("Kyiv")
    assert (ukraine.latitude, ukraine.longitude) == (kyiv.latitude, kyiv.longitude)
    assert all(
        r.latitude is not None
        for r in gz._index().countries.values()
        if r.country_code in ("US", "GB", "RU", "CN", "FR", "DE", "IL", "IR")
    )


def test_unknown_names():
    assert lookup_place("Xyzzyville") is None
    assert lookup_place("") is None
    assert lookup_place("   ") is None
    assert lookup_place("...") is None


def test_an_acronym_is_no_small_or_accented_town():
    # "the ACU said in a statement": the American Conservative Union, not Açu in Brazil
    assert lookup_place("ACU") is None
    assert lookup_place("Acu").name == "Açu"
    # datelines and capitals still resolve: "GAZA —", "KYIV —", "NYC", "UK"
    assert [lookup_place(n).name for n in ("GAZA", "KYIV", "NYC", "UK")] == [
        "Gaza", "Kyiv", "New York City", "United Kingdom",
    ]


# --- demonyms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word,place",
    [
        ("Ukrainian", "Ukraine"),
        ("Ukrainians", "Ukraine"),
        ("Russian", "Russia"),
        ("Chinese", "China"),
        ("British", "United Kingdom"),
        ("Britons", "United Kingdom"),
        ("American", "United States"),
        ("Americans", "United States"),
        ("Israeli", "Israel"),
        ("Iranian", "Iran"),
        ("French", "France"),
        ("Frenchmen", "France"),
        ("German", "Germany"),
        ("Dutch", "Netherlands"),
        ("Swiss", "Switzerland"),
        ("Palestinian", "Palestine"),
        ("English", "England"),
        ("European", "Europe"),
        ("Siberian", "Siberia"),
        ("Texan", "Texas"),
    ],
)
def test_demonyms(word, place):
    record = country_for_demonym(word)
    assert record is not None and record.name == place


@pytest.mark.parametrize(
    "word", ["Western", "Latin", "Arab", "Jewish", "Soviet", "Kyiv", "said", ""]
)
def test_not_demonyms(word):
    assert country_for_demonym(word) is None


# --- the stoplist -------------------------------------------------------------------------------------

STOPPED = [
    "Of",
    "Much",
    "Best",
    "Mobile",
    "Bush",
    "Lincoln",
    "Victoria",
    "Florence",
    "Regina",
    "Austin",
    "Jackson",
    "Charlotte",
    "Vladimir",
    "Chelsea",
    "March",
    "Police",
    "Batman",
    "Obama",
    "Surprise",
]


@pytest.mark.parametrize("name", STOPPED)
def test_stoplisted_names_are_not_places_on_sight(name, patterns):
    assert lookup_place(name) is not None  # GeoNames does have such a place ...
    assert not is_place_name(name)  # ... but the text is far more often a word or a person
    assert name not in patterns


@pytest.mark.parametrize("name", ["January", "May", "Sunday", "August", "West", "States"])
def test_calendar_and_generic_words_are_not_places(name, patterns):
    assert not is_place_name(name)
    assert name not in patterns


def test_no_pattern_is_stoplisted(patterns):
    stop = gz._index().stop
    assert stop
    assert not [text for text in patterns if place_key(text) in stop]


@pytest.mark.parametrize(
    "name",
    [
        "Kyiv",
        "Bakhmut",
        "U.S.",
        "US",
        "UK",
        "Paris",
        "the West",
        "Washington",
        "Donetsk region",
        "England",
        "Crimea",
    ],
)
def test_place_names(name):
    assert is_place_name(name)


@pytest.mark.parametrize("name", ["us", "kyiv", "Moskau", "Noisy", "Xyzzyville", "", "The"])
def test_not_place_names(name):
    # lower case is a word; "Moskau" and "Noisy" are only stray alternate names in GeoNames
    assert not is_place_name(name)


def test_small_towns_need_a_lower_floor():
    assert not is_place_name("Soledar")  # 10k people: below the default floor
    assert is_place_name("Soledar", min_population=5_000)


# --- ruler patterns ---------------------------------------------------------------------------------


def test_ruler_patterns_hold_the_brief_names(patterns):
    for name in [
        "Kyiv",
        "Kiev",
        "Bakhmut",
        "Artemivsk",
        "Sloviansk",
        "Slovyansk",
        "Kramatorsk",
        "Avdiivka",
        "Soledar",
        "Ukraine",
        "United States",
        "U.S.",
        "US",
        "Britain",
        "Donetsk Oblast",
        "Texas",
        "The Hague",
        "Moscow",
        "Beijing",
    ]:
        assert patterns.get(name) == "GPE", name
    assert patterns["Europe"] == "LOC"
    assert patterns["Balkans"] == "LOC" and "the Balkans" not in patterns
    for missing in ["DC", "West", "States", "Noisy", "Turner"]:
        assert missing not in patterns


def test_ruler_patterns_are_sorted_unique_and_sized():
    patterns = ruler_patterns()
    texts = [p["pattern"] for p in patterns]
    assert texts == sorted(set(texts))
    assert {p["label"] for p in patterns} == {"GPE", "LOC"}
    assert 15_000 < len(patterns) < 40_000  # default floor: setup stays under ~2 s
    assert len(ruler_patterns(1_000_000)) < len(patterns) < len(ruler_patterns(15_000))


def test_add_place_ruler_tags_places():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    add_place_ruler(nlp, min_population=1_000_000)  # big cities + pins + curated small towns
    doc = nlp("Shelling hit Artemivsk, Bakhmut and Kyiv; Lincoln said Victoria stayed in the U.S.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Artemivsk", "GPE"),
        ("Bakhmut", "GPE"),
        ("Kyiv", "GPE"),
        ("U.S.", "GPE"),
    ]


# --- keys, robustness, laziness ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,key",
    [
        ("the U.S.", "us"),
        ("Kyiv’s", "kyiv"),
        ("St. Petersburg", "saint petersburg"),
        ("Mar'yinka", "maryinka"),
        ("Düsseldorf", "dusseldorf"),
        ("Łódź", "lodz"),
        ("Ivano-Frankivsk", "ivano frankivsk"),
        ("The Hague", "hague"),
        ("Washington, D.C.", "washington dc"),
    ],
)
def test_place_key(text, key):
    assert place_key(text) == key


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.text(max_size=4), max_size=4))
def test_lookup_never_raises(text, context):
    record = lookup_place(text, context)
    assert record is None or isinstance(record, PlaceRecord)
    assert isinstance(is_place_name(text), bool)
    assert country_for_demonym(text) is None or isinstance(country_for_demonym(text), PlaceRecord)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_place_key_is_idempotent_ascii(text):
    key = place_key(text)
    assert place_key(key) == key
    assert key.isascii() and key == key.strip()


def test_import_does_no_work():
    code = "import kg.gazetteer as g, sys; sys.exit(0 if g._INDEX is None else 1)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_index_stats():
    stats = gz.index_stats()
    assert stats["cities"] > 60_000 and stats["countries"] >= 250
    assert 0 < stats["build_seconds"] < 30


# --- the ruler in kg's pipeline ----------------------------------------------------------------


def test_load_pipeline_has_the_place_ruler_after_ner(nlp):
    names = nlp.pipe_names
    assert gz.PLACE_RULER in names and names.index(gz.PLACE_RULER) > names.index("ner")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Russian forces shelled Kramatorsk on Tuesday.", "Kramatorsk"),  # PRODUCT for the model
        ("Residents of Sloviansk fled west.", "Sloviansk"),
        ("The fighting around Bakhmut went on.", "Bakhmut"),
    ],
)
def test_ruler_finds_places_the_model_misses(nlp, text, place):
    doc = nlp(text)
    assert (place, "GPE") in [(e.text, e.label_) for e in doc.ents]


def test_ruler_never_overrides_a_person_or_splits_a_longer_name(nlp):
    doc = nlp("Paris Hilton met Jackson Browne in London.")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Paris", "GPE") not in ents and ("Jackson", "GPE") not in ents
    assert ("London", "GPE") in ents


# --- the ruler's matching and the index cache ------------------------------------------------------

RULER_TEXTS = [
    "Shelling hit Kyiv, Bakhmut and Sloviansk (Slovyansk); Kramatorsk and Avdiivka too.",
    "From St. Petersburg to St.Petersburg, Guinea-Bissau and Ivano-Frankivsk; the U.S. and the UK.",
    "Lincoln said Victoria Nuland met Mr Best in Of, Mobile and Police.",
    "Then New\nYork, New  York, New York City and the Kyiv region.",
    "KYIV kyiv Kyiv's Kyiv’s Kyiv. Kyiv-based Bakhmut-Soledar Tel Aviv-Yafo Hai Ba Trung",
]


def _phrase_matches(nlp, patterns, doc):
    """What spaCy's PhraseMatcher on ORTH finds: PlaceRuler must find exactly this."""
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab)
    by_label: dict[str, list[str]] = {}
    for p in patterns:
        by_label.setdefault(p["label"], []).append(p["pattern"])
    for label, texts in sorted(by_label.items()):
        matcher.add(label, list(nlp.tokenizer.pipe(texts)))
    return sorted((s, e, nlp.vocab.strings[m]) for m, s, e in matcher(doc))


def test_place_ruler_matches_what_a_phrase_matcher_would():
    spacy = pytest.importorskip("spacy")
    from pathlib import Path

    nlp = spacy.blank("en")
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts = RULER_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    doc = nlp.make_doc("\n\n".join(texts))
    ruler = gz.PlaceRuler(nlp)
    found = ruler.matches(doc)
    assert found == sorted(set(found))
    assert found == _phrase_matches(nlp, ruler_patterns(), doc)
    texts = {doc[s:e].text for s, e, _ in found}
    assert {"Kyiv", "Bakhmut", "Sloviansk", "Slovyansk", "Kramatorsk", "Avdiivka"} <= texts
    assert {"St. Petersburg", "Guinea-Bissau", "Ivano-Frankivsk", "U.S.", "UK"} <= texts
    assert not texts & {"Lincoln", "Victoria", "Best", "Of", "Mobile", "Police"}  # the stoplist
    assert "New\nYork" not in texts and "New  York" not in texts  # not across a line break


def test_place_ruler_in_a_blank_pipeline_respects_the_stoplist():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    add_place_ruler(nlp)
    doc = nlp("Lincoln and Victoria met in Sloviansk, then went to Kyiv and Bakhmut via Mobile.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Sloviansk", "GPE"),
        ("Kyiv", "GPE"),
        ("Bakhmut", "GPE"),
    ]


def test_index_cache_round_trip(tmp_path):
    idx = gz._index()
    plain = gz._to_plain(idx, "fingerprint")
    path = tmp_path / "gazetteer-test.pickle"
    gz._write_index(path, plain)
    back = gz._read_index(path, "fingerprint")
    assert back is not None and gz._to_plain(back, "fingerprint") == plain
    assert back.names["kyiv"] == idx.names["kyiv"]
    assert gz._read_index(path, "another fingerprint") is None  # stale: built again


def test_index_cache_keeps_the_newest_files(tmp_path):
    for n in range(6):  # other kg versions' indexes, oldest first
        old = tmp_path / f"gazetteer-old{n}.pickle"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    path = tmp_path / "gazetteer-new.pickle"
    gz._write_index(path, {"format": "x"})
    left = sorted(p.name for p in tmp_path.glob("gazetteer-*.pickle"))
    assert left == ["gazetteer-new.pickle", "gazetteer-old3.pickle", "gazetteer-old4.pickle",
                    "gazetteer-old5.pickle"]  # fmt: skip
    assert not list(tmp_path.glob(".*.tmp"))


def test_index_cache_reads_plain_data_only(tmp_path):
    import pickle

    bad = tmp_path / "bad.pickle"
    bad.write_bytes(pickle.dumps({"format": gz._CACHE_FORMAT, "call": subprocess.run}))
    assert gz._read_index(bad, "x") is None  # refused before anything is imported or called
    bad.write_bytes(b"\x80\x05 truncated")
    assert gz._read_index(bad, "x") is None
    assert gz._read_index(tmp_path / "missing.pickle", "x") is None


def test_index_cache_is_written_then_read(tmp_path):
    code = (
        "import kg.gazetteer as g; i = g._index(); "
        "print(i.from_cache, g.lookup_place('Kiev').geonameid, len(g.ruler_patterns()))"
    )
    env = {**os.environ, gz.CACHE_ENV: str(tmp_path / "cache")}

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    first, second = run(), run()
    assert first[0] == "False" and second[0] == "True"
    assert (
        first[1:] == second[1:] == [str(lookup_place("Kyiv").geonameid), str(len(ruler_patterns()))]
    )
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 1
    env[gz.CACHE_ENV] = "off"
    assert run()[0] == "False"


@pytest.mark.parametrize(
    "form,state",
    [("Ill.", "Illinois"), ("N.Y.", "New York"), ("Ore.", "Oregon"), ("W.Va.", "West Virginia")],
)
def test_ap_state_abbreviations_name_their_state_as_written(form, state):
    from kg.gazetteer import state_abbreviation

    assert state_abbreviation(form).name == state
    assert lookup_place(form).name == state
    assert state_abbreviation(form.rstrip(".")) is None  # "Ill", "Ore": words and other places


@pytest.mark.parametrize(
    "text,geonameid",
    [
        ("Springfield, Ill.", 4250542),
        ("Springfield, Mass.", 4951788),
        ("Portland, Maine", 4975802),
        ("Portland, Ore.", 5746545),
        ("Arlington, Va.", 4744709),
        ("Schenectady, N.Y.", 5136454),
    ],
)
def test_a_city_and_its_state(text, geonameid):
    assert lookup_place(text).geonameid == geonameid


def test_us_state_markers_sit_at_their_own_capital():
    """A state's coordinates are its capital's: Charleston, West Virginia, not South Carolina's."""
    wv = lookup_place("West Virginia")
    assert 37 < wv.latitude < 41 and -83 < wv.longitude < -77
