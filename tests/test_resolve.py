"""kg.resolve: the linker on hand-made extractions (no spaCy), and its invariants."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.kb import parse_kb
from kg.records import Article, ArticleExtraction, Mention, Span
from kg.resolve import entity_rows, resolve_entities

LABEL = {"person": "PERSON", "organization": "ORG", "place": "GPE", "event": "EVENT"}


def article(aid: str, *names: str | tuple[str, str]) -> ArticleExtraction:
    """An article whose text is its mentions, one sentence each: ("Zelensky", "person") or, for
    a NORP demonym, ("Ukrainian", "NORP"). A bare string is a person."""
    parts, mentions = [], []
    offset = 0
    for n, entry in enumerate(names):
        text, kind = (entry, "person") if isinstance(entry, str) else entry
        label = "NORP" if kind == "NORP" else LABEL[kind]
        kind = "place" if kind == "NORP" else kind
        mentions.append(Mention(offset, offset + len(text), text, kind, label, n))
        parts.append(text + ".")
        offset += len(text) + 2
    text = " ".join(parts)
    sentences = tuple(Span(m.start, m.end + 1) for m in mentions)
    return ArticleExtraction(Article(aid, aid, text), sentences, tuple(mentions), ())


def entity_names(index, aid: str) -> list[str]:
    """The entity name of each mention of an article, in order."""
    return [
        index.entities[index.link[(aid, m_start, m_end)]].name
        for (a, m_start, m_end) in sorted(index.link)
        if a == aid
    ]


def groups(index) -> set[frozenset[tuple[str, int, int]]]:
    by: dict[str, set] = {}
    for ref, key in index.link.items():
        by.setdefault(key, set()).add(ref)
    return {frozenset(v) for v in by.values()}


# --- people -------------------------------------------------------------------------------------


def test_titles_transliterations_and_bare_surnames_make_one_person():
    index = resolve_entities(
        [
            article("a", "Ukrainian President Volodymyr Zelensky", "Mr Zelensky", "Zelenskyy"),
            article("b", "Zelenskiy"),
        ]
    )
    assert set(entity_names(index, "a")) == {"Volodymyr Zelensky"}
    assert entity_names(index, "b") == ["Volodymyr Zelensky"]
    (entity,) = index.entities.values()
    assert entity.merged_by if hasattr(entity, "merged_by") else index.merged_by[entity.key]


def test_two_people_who_share_a_surname_stay_apart():
    index = resolve_entities([article("a", "John Smith", "Jane Smith", "John Smith")])
    assert sorted(set(entity_names(index, "a"))) == ["Jane Smith", "John Smith"]


def test_bare_surname_attaches_within_the_article_not_across():
    index = resolve_entities(
        [article("a", "George W. Bush", "Bush"), article("b", "Reggie Bush", "Bush")]
    )
    assert entity_names(index, "a") == ["George W. Bush", "George W. Bush"]
    assert entity_names(index, "b") == ["Reggie Bush", "Reggie Bush"]


def test_an_honorific_before_a_given_name_makes_it_a_surname():
    # BBC-900: "Mr Howard" in an article about Howard Flight was Howard Flight, and Michael
    # Howard's three quotes his; "Mr. Ban" is still Ban Ki-moon, family name first
    index = resolve_entities(
        [
            article("a", "Howard Flight", "Mr Howard", "Flight"),
            article("b", "Michael Howard", "Mr Howard"),
            article("c", "Ban Ki-moon", "Mr. Ban"),
            article("d", "Lindsay Lohan", "Lindsay"),
        ]
    )
    assert entity_names(index, "a") == ["Howard Flight", "Michael Howard", "Howard Flight"]
    assert entity_names(index, "c") == ["Ban Ki-moon", "Ban Ki-moon"]
    assert entity_names(index, "d") == ["Lindsay Lohan", "Lindsay Lohan"]


def test_bare_surname_across_corpus_only_when_one_candidate_fits():
    one = resolve_entities([article("a", "Darian Lonechild"), article("b", "Lonechild")])
    assert entity_names(one, "b") == ["Darian Lonechild"]
    two = resolve_entities(
        [article("a", "John Smith"), article("b", "Jane Smith"), article("c", "Smith")]
    )
    assert entity_names(two, "c") == ["Smith"]


def test_a_person_is_named_by_the_full_name_the_articles_use_most():
    index = resolve_entities(
        [
            article("a", "Barack Obama", "Obama", "President Barack Obama"),
            article("b", "B. Hussein Obama", "Barack Obama"),
            article("c", "Bill de Blasio", "de Blasio", "de Blasio", "Mayor de Blasio"),
        ]
    )
    assert set(entity_names(index, "b")) == {"Barack Obama"}
    assert set(entity_names(index, "c")) == {"Bill de Blasio"}  # "de Blasio" is no full name


def test_an_organization_is_named_without_a_corporate_suffix_it_rarely_carries():
    index = resolve_entities(
        [
            article(
                "a",
                ("Breitbart News LLC", "organization"),
                ("Breitbart News", "organization"),
                ("Breitbart News", "organization"),
            ),
            article("b", ("Exxon Mobil Corp.", "organization"), ("Exxon Mobil Corp.", "organization")),
        ]
    )
    assert set(entity_names(index, "a")) == {"Breitbart News"}
    assert set(entity_names(index, "b")) == {"Exxon Mobil Corp."}  # the only form it has


def test_an_initial_before_the_given_name_and_generations():
    index = resolve_entities(
        [article("a", "W. Mark Felt", "Mark Felt"), article("b", "Mark Felt Jr.", "Mark Felt Sr.")]
    )
    assert len(set(entity_names(index, "a"))) == 1
    assert len(set(entity_names(index, "b"))) == 2


def test_a_surname_the_ner_called_an_organization_is_the_person_of_the_article():
    index = resolve_entities([article("a", "Mark Teixeira", ("Teixeira", "organization"))])
    assert entity_names(index, "a") == ["Mark Teixeira", "Mark Teixeira"]
    assert {e.kind for e in index.entities.values()} == {"person"}


def test_a_company_named_after_its_founder_is_not_the_person_of_the_article():
    """kg.mentions labels "Ford" COMPANY where the article calls it "the US car company": the
    chairman "Bill Ford" does not claim it, in the article or by the corpus's votes."""
    from dataclasses import replace

    a = article("a", ("Ford", "organization"), "Bill Ford", ("Ford", "organization"))
    companies = tuple(replace(m, label="COMPANY") if m.text == "Ford" else m for m in a.mentions)
    b = article("b", "Gerald Ford", "Ford")
    index = resolve_entities([replace(a, mentions=companies), b])
    assert entity_names(index, "a") == ["Ford", "Bill Ford", "Ford"]
    kinds = {e.name: e.kind for e in index.entities.values()}
    assert kinds["Ford"] == "organization" and kinds["Bill Ford"] == "person"
    assert entity_names(index, "b") == ["Gerald Ford", "Gerald Ford"]


def test_paris_the_person_is_not_paris_the_city():
    index = resolve_entities(
        [article("a", "Paris Hilton", "Hilton"), article("b", ("Paris", "place"))]
    )
    kinds = {e.name: e.kind for e in index.entities.values()}
    assert kinds == {"Paris Hilton": "person", "Paris": "place"}


# --- organizations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("long", "short"),
    [
        ("Advanced Micro Devices Inc.", "AMD"),
        ("Hewlett-Packard Co.", "HP"),
        ("Electronic Data Systems Corp.", "EDS"),
        ("The Associated Press", "@AP"),
    ],
)
def test_acronyms_join_their_long_form(long, short):
    index = resolve_entities(
        [
            article("a", (long, "organization"), (short, "organization")),
            article("b", (short, "organization")),
        ]
    )
    assert len(index.entities) == 1


def test_an_acronym_used_widely_is_not_the_one_name_of_one_article_with_its_initials():
    index = resolve_entities(
        [article("a", ("Norfolk High School", "organization"))]
        + [article(f"n{k}", ("NHS", "organization")) for k in range(4)]
    )
    assert sorted(e.name for e in index.entities.values()) == ["NHS", "Norfolk High School"]


def test_an_acronym_as_widespread_as_its_only_long_form_joins_it():
    index = resolve_entities(
        [article("a", ("Advanced Micro Devices", "organization")), article("b", ("AMD", "organization"))]
    )
    assert len(index.entities) == 1


def test_an_acronym_defined_in_the_text_wins_over_initials_elsewhere():
    text = "Alpha Media Dynamics (AMD) said. Advanced Micro Devices said. AMD said."
    spans = [
        (text.index(t, at), t)
        for t, at in [
            ("Alpha Media Dynamics", 0),
            ("AMD", 0),
            ("Advanced Micro Devices", 0),
            ("AMD", 30),
        ]
    ]
    mentions = tuple(Mention(s, s + len(t), t, "organization", "ORG", 0) for s, t in spans)
    ex = ArticleExtraction(Article("a", "a", text), (Span(0, len(text)),), mentions, ())
    index = resolve_entities([ex])
    last, long_ = mentions[3], mentions[2]
    assert index.entity_of("a", last.start, last.end).name == "Alpha Media Dynamics"
    assert index.entity_of("a", long_.start, long_.end).name == "Advanced Micro Devices"


def test_suffixes_possessives_hyphens_and_case_fold():
    index = resolve_entities(
        [
            article("a", ("T-Mobile", "organization"), ("T - Mobile's", "organization")),
            article("b", ("T-Mobile Inc.", "organization"), ("SEACOM", "organization")),
            article("c", ("Seacom", "organization")),
        ]
    )
    assert len(index.entities) == 2


def test_a_team_and_its_city_prefixed_name():
    index = resolve_entities(
        [
            article("a", ("Boston Red Sox", "organization"), ("Red Sox", "organization")),
            article("b", ("Red Sox", "organization")),
        ]
    )
    assert len(index.entities) == 1
    assert next(iter(index.entities.values())).name == "Boston Red Sox"


def test_a_company_goes_by_the_leading_words_of_its_name():
    index = resolve_entities(
        [
            article("a", ("Cairn Energy", "organization"), ("Cairn", "organization")),
            article("b", ("Cairn", "organization"), ("Cairn Energy", "organization")),
        ]
    )
    assert [e.name for e in index.entities.values()] == ["Cairn Energy"]


def test_parties_and_the_fed_go_by_the_names_the_news_gives_them():
    index = resolve_entities(
        [
            article(
                "a",
                ("Tories", "organization"),
                ("the Conservative Party", "organization"),
                ("Labour", "organization"),
                ("Lib Dems", "organization"),
            ),
            article("b", ("Conservatives", "organization"), ("the Labour Party", "organization")),
            article("c", ("Lib Dem", "organization"), ("GOP", "organization")),
            # "Federal Reserve" stands for the article's longer name, which the table knows too
            article("d", ("the US Federal Reserve", "organization"), ("Federal Reserve", "organization")),
            article("e", ("Fed", "organization")),
        ]
    )
    assert sorted(e.name for e in index.entities.values()) == [
        "Conservative Party", "Federal Reserve", "Labour Party", "Liberal Democrats", "Republican Party",
    ]  # fmt: skip
    assert {r for e in index.merged_by.values() for r in e} >= {"org-known-alias"}


def test_a_party_alias_is_matched_as_written():
    """ "Labor" (Australia's party) is no alias of the British "Labour Party", spellings aside."""
    index = resolve_entities([article("a", ("Labor", "organization"), ("Tory Island", "place"))])
    assert sorted(e.name for e in index.entities.values()) == ["Labor", "Tory Island"]


@pytest.mark.parametrize(
    "full, short",
    [
        ("Harvard School of Public Health", "Harvard"),  # a part of what the short name names
        ("Sandy Hook Elementary School", "Sandy Hook"),
        ("Celebrex and Bextra", "Celebrex"),  # a list
        ("ABC News' World News", "ABC News"),  # a show of the broadcaster
        ("Credit Suisse First Boston", "Credit Suisse Group"),  # only written with its suffix
        ("Ugandan Media Council", "Ugandan"),  # a people
        ("Green Party", "Green"),  # a word the corpus writes in lower case too
    ],
)
def test_leading_words_that_name_something_else_stay_apart(full, short):
    index = resolve_entities(
        [
            article("a", (full, "organization"), (short, "organization")),
            article("b", (short, "organization"), ("the green belt", "organization")),
        ]
    )
    assert len(index.entities) == 3, [e.name for e in index.entities.values()]


# --- places and events --------------------------------------------------------------------------


def test_places_link_to_geonames_and_demonyms_to_their_country():
    index = resolve_entities(
        [
            article(
                "a",
                ("Kyiv", "place"),
                ("Kiev", "place"),
                ("Ukrainian", "NORP"),
                ("Ukraine", "place"),
            )
        ]
    )
    by_name = {e.name: e for e in index.entities.values()}
    assert set(by_name) == {"Kyiv", "Ukraine"}
    assert by_name["Kyiv"].same_as == ["https://sws.geonames.org/703448/"]
    assert by_name["Kyiv"].latitude and by_name["Ukraine"].country == "UA"


def test_a_place_many_countries_name_does_not_move_the_articles_other_places():
    """ "London's West End": the West End of Vancouver is the largest, but no reason for London
    to be London, Ontario."""
    index = resolve_entities([article("a", ("London", "place"), ("West End", "place"))])
    by_name = {e.name: e for e in index.entities.values()}
    assert by_name["London"].country == "GB"


def test_georgia_follows_the_articles_country():
    index = resolve_entities(
        [
            article("a", ("Georgia", "place"), ("Atlanta", "place"), ("United States", "place")),
            article("b", ("Georgia", "place"), ("Tbilisi", "place"), ("Russia", "place")),
        ]
    )
    georgias = {e.country for e in index.entities.values() if e.name.startswith("Georgia")}
    assert georgias == {"US", "GE"}


# --- the user's knowledge base ------------------------------------------------------------------


KB = """id,label,aliases,kind
Q3874799,Volodymyr Zelensky,Zelenskyy|Зеленський,person
http://www.wikidata.org/entity/Q40469,Associated Press,AP|The AP,organization
"""


def test_kb_ids_become_same_as_and_labels_canonical_names():
    kb = parse_kb(KB, "kb.csv")
    index = resolve_entities(
        [article("a", "Zelenskyy", ("AP", "organization")), article("b", "President Zelensky")],
        kb=kb,
    )
    by_iri = {iri: e for e in index.entities.values() for iri in e.same_as}
    zelensky = by_iri["http://www.wikidata.org/entity/Q3874799"]
    assert zelensky.name == "Volodymyr Zelensky" and zelensky.mention_count == 2
    assert by_iri["http://www.wikidata.org/entity/Q40469"].name == "Associated Press"


def test_kb_aliases_take_part_in_merging():
    kb = parse_kb('{"id": "Q1", "label": "Acme Widgets", "aliases": ["Widgetco"], "kind": "org"}\n')
    index = resolve_entities(
        [
            article("a", ("Acme Widgets", "organization")),
            article("b", ("Widgetco", "organization")),
        ],
        kb=kb,
    )
    (entity,) = index.entities.values()
    assert entity.name == "Acme Widgets" and entity.same_as == ["http://www.wikidata.org/entity/Q1"]
    assert index.merged_by[entity.key] == {"knowledge-base": 1}


def test_entity_rows_explain_merges():
    index = resolve_entities([article("a", "Volodymyr Zelensky", "Zelensky")])
    (row,) = entity_rows(index)
    assert row["name"] == "Volodymyr Zelensky" and row["merged_by"] == {"surname-in-article": 1}


# --- invariants ---------------------------------------------------------------------------------

CORPUS = [
    article("a", "Ukrainian President Volodymyr Zelensky", "Zelensky", ("Kyiv", "place"), "Putin"),
    article("b", "Zelenskyy", "Vladimir Putin", ("The Associated Press", "organization")),
    article("c", ("AP", "organization"), "John Smith", "Smith", ("Paris", "place")),
    article(
        "d", "Jane Smith", "Smith", ("Boston Red Sox", "organization"), ("Red Sox", "organization")
    ),
    article("e", "Smith", ("Red Sox", "organization"), ("Bakhmut", "place"), ("Ukrainian", "NORP")),
    article("f", "Mark Teixeira", ("Teixeira", "organization"), ("Georgia", "place")),
]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_linking_is_invariant_under_shuffling_the_articles(rnd: random.Random):
    expected = resolve_entities(CORPUS)
    shuffled = list(CORPUS)
    rnd.shuffle(shuffled)
    got = resolve_entities(shuffled)
    assert got.link == expected.link
    assert got.entities == expected.entities
    assert got.merged_by == expected.merged_by


def _keys_by_mention(index) -> dict[tuple[str, int, int], str]:
    return dict(index.link)


UNRELATED = [
    article("000", "Angela Merkel", ("Berlin", "place"), ("Siemens", "organization")),
    article("zzz", "Merkel", ("Bundestag", "organization"), ("Germany", "place")),
]


@pytest.mark.parametrize("added", [UNRELATED[:1], UNRELATED[1:], UNRELATED])
def test_adding_unrelated_articles_keeps_every_existing_key(added):
    before = _keys_by_mention(resolve_entities(CORPUS))
    after = _keys_by_mention(resolve_entities([*added, *CORPUS]))
    assert {ref: after[ref] for ref in before} == before


@pytest.mark.parametrize("removed", ["e", "f"])
def test_removing_an_article_keeps_the_keys_of_the_rest(removed):
    """Entities whose names come from other articles keep their keys. (Removing "b" renames
    "Putin" and "AP": the only article that gave their full names is gone.)"""
    full = _keys_by_mention(resolve_entities(CORPUS))
    rest = _keys_by_mention(resolve_entities([a for a in CORPUS if a.article.id != removed]))
    assert {ref: key for ref, key in full.items() if ref[0] != removed} == rest


def test_linking_leaves_the_garbage_collector_as_it_was():
    import gc

    resolve_entities(CORPUS)
    assert gc.isenabled()
    gc.disable()
    try:
        resolve_entities(CORPUS)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_linking_is_near_linear(monkeypatch):
    """Four times the articles, about four times the name comparisons: blocking keys, never all
    pairs (counted, not timed, so a busy machine cannot fail it)."""
    from kg import names

    calls = 0
    real = names.compatible_persons

    def counting(a: str, b: str) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(names, "compatible_persons", counting)

    def corpus(n: int) -> list[ArticleExtraction]:
        rng = random.Random(7)
        syll = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "an", "bel", "cor", "dan"]

        def word() -> str:
            return "".join(rng.choice(syll) for _ in range(4)).title()

        return [
            article(f"x{i}", f"{word()} {word()}", word(), (f"{word()} Group", "organization"))
            for i in range(n)
        ]

    resolve_entities(corpus(500))
    small, calls = calls, 0
    resolve_entities(corpus(2000))
    assert small > 0 and calls < 6 * small, (small, calls)


def test_a_team_short_name_the_ner_called_a_person_is_the_team_of_the_article():
    index = resolve_entities(
        [article("a", ("Indianapolis Colts", "organization"), "Colts"), article("b", "Colts")]
    )
    assert entity_names(index, "a") == ["Indianapolis Colts", "Indianapolis Colts"]
    assert entity_names(index, "b") == ["Colts"]  # no long name in that article: left alone


def test_a_place_named_as_a_person_is_no_evidence_of_a_person():
    index = resolve_entities(
        [article("a", "Bandar Abbas", ("Bandar Abbas", "place"), ("Bandar Abbas", "place"))]
    )
    assert {e.kind for e in index.entities.values()} == {"place"}


def test_a_nationality_before_a_name_the_ner_called_an_organization_is_the_person():
    index = resolve_entities(
        [article("a", "Hasim Rahman"), article("b", ("American Hasim Rahman", "organization"))]
    )
    assert {e.kind for e in index.entities.values()} == {"person"}
    assert len(index.entities) == 1


def test_a_name_written_after_the_is_a_team_not_a_person():
    index = resolve_entities(
        [
            ArticleExtraction(
                Article("a", "a", "He beat the Tar Heels. Tar Heels fans left."),
                (Span(0, 22), Span(23, 43)),
                (
                    Mention(12, 21, "Tar Heels", "person", "PERSON", 0),
                    Mention(23, 32, "Tar Heels", "person", "PERSON", 1),
                ),
                (),
            )
        ]
    )
    assert {e.kind for e in index.entities.values()} == {"organization"}


def _named(text: str, *names: str, kind: str = "person") -> ArticleExtraction:
    """One sentence holding ``names``, each found in ``text`` and given ``kind`` (with its NER
    label, ``LABEL``)."""
    mentions, at = [], 0
    for name in names:
        start = text.index(name, at)
        at = start + len(name)
        mentions.append(Mention(start, at, name, kind, LABEL[kind], 0))
    return ArticleExtraction(Article("a", "a", text), (Span(0, len(text)),), tuple(mentions), ())


@pytest.mark.parametrize(
    "text, name",
    [
        ("Shares in Virgin Blue fell. Virgin Blue said fuel cost more. Virgin Blue warned.", "Virgin Blue"),
        ("Manchester United have confirmed a bid. Manchester United said. Manchester United won.", "Manchester United"),
        ("But Air Deccan's managing director spoke. Air Deccan said. Air Deccan flew.", "Air Deccan"),
        ("Fiat moved its Alfa Romeo division. Alfa Romeo said. Alfa Romeo hoped.", "Alfa Romeo"),
        ("Walter Brix's construction division gained. Walter Brix said. Walter Brix won.", "Walter Brix"),
    ],
)  # fmt: skip
def test_a_name_with_shares_a_board_or_a_plural_verb_is_an_organization(text, name):
    index = resolve_entities([_named(text, name, name, name)])
    assert [(e.kind, e.name) for e in index.entities.values()] == [("organization", name)]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Spike Lee and Oscar nominee Alan Alda have paid tribute. Alan Alda said.", "Alan Alda"),
        ("Barack Obama shares the view. Barack Obama said so.", "Barack Obama"),
        ("Mr Glazer's shares in the club rose. Malcolm Glazer said.", "Glazer"),
        ("Thirteen episodes of Alan Partridge have been made. Alan Partridge said.", "Alan Partridge"),
        ("Could Tony Blair have known? Tony Blair said no.", "Tony Blair"),
        ("Both Jeb Bush and Gov. Rick Scott have backed it. Rick Scott said.", "Rick Scott"),
    ],
)
def test_a_person_closing_a_list_or_holding_shares_stays_a_person(text, name):
    index = resolve_entities([_named(text, name, name)])
    assert {e.kind for e in index.entities.values()} == {"person"}


def test_a_title_before_a_name_or_who_after_it_votes_person():
    text = (
        "Sweden's Carolina Kluft, who won in Athens, is back. Heptathlon champion Carolina Kluft "
        "will run. Kelly Holmes will race Carolina Kluft."
    )
    index = resolve_entities([_named(text, *["Carolina Kluft"] * 3, kind="organization")])
    assert [(e.kind, e.name) for e in index.entities.values()] == [("person", "Carolina Kluft")]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Chelsea, who are top, won. Chelsea Ltd said. Chelsea Ltd won.", "Chelsea Ltd"),
        ("Director Sierra Club met them. Sierra Club said. Sierra Club won.", "Sierra Club"),
        ("Champions Minnesota Vikings won. Minnesota Vikings said so.", "Minnesota Vikings"),
    ],
)
def test_an_organization_named_like_a_person_keeps_its_kind(text, name):
    index = resolve_entities([_named(text, name, name, kind="organization")])
    assert {e.kind for e in index.entities.values()} == {"organization"}


def test_a_name_that_only_begins_a_longer_name_after_chairman_of_is_not_voted_an_organization():
    text = "Bob Sutton, chairman of the Broward County GOP, spoke. Broward County voted."
    ex = _named(text, "Broward County", "Broward County", kind="place")
    assert {e.kind for e in resolve_entities([ex]).entities.values()} == {"place"}


def test_a_company_named_after_a_person_of_the_corpus_stays_a_company():
    index = resolve_entities(
        [article("a", "Michael Bloomberg", "Bloomberg", "Bloomberg", ("Bloomberg L.P.", "organization"))]
    )
    kinds = {e.name: e.kind for e in index.entities.values()}
    assert kinds == {"Michael Bloomberg": "person", "Bloomberg L.P.": "organization"}


def test_a_place_named_with_the_is_not_a_surname_of_the_corpus():
    index = resolve_entities(
        [article("a", "William Hague", "Hague", "Hague"), article("b", ("The Hague", "place"))]
    )
    kinds = {e.name: e.kind for e in index.entities.values()}
    assert kinds == {"William Hague": "person", "The Hague": "place"}


def test_a_full_name_the_ner_called_an_organization_beside_its_bare_surname_is_a_person():
    index = resolve_entities([article("a", ("Peyton Manning", "organization"), "Manning")])
    assert [(e.kind, e.name) for e in index.entities.values()] == [("person", "Peyton Manning")]


def test_a_capitalized_common_word_the_ner_called_a_person_links_to_nothing():
    text = "Sheriff. The sheriff said the sheriff office was closed. John Smith."
    ex = ArticleExtraction(
        Article("a", "a", text),
        (Span(0, 8), Span(9, 56), Span(57, 68)),
        (
            Mention(0, 7, "Sheriff", "person", "PERSON", 0),
            Mention(57, 67, "John Smith", "person", "PERSON", 2),
        ),
        (),
    )
    index = resolve_entities([ex])
    assert ("a", 0, 7) not in index.link
    assert [e.name for e in index.entities.values()] == ["John Smith"]


def test_a_name_that_fits_two_people_goes_to_the_one_its_article_names():
    index = resolve_entities(
        [
            article("a", "W. Mark Felt Sr.", "Mark Felt"),
            article("b", "Mark Felt Jr.", "Mark Felt"),
            article("c", "Mark Felt Jr."),
        ]
    )
    assert len(set(entity_names(index, "a"))) == 1
    assert len(set(entity_names(index, "b"))) == 1
    assert set(entity_names(index, "a")) != set(entity_names(index, "b"))


def test_common_words_at_the_edges_of_a_headline_name_go():
    text = "Obama Nominates Regina Benjamin\nThe president nominates people. Robert Gates left.\n"
    ex = ArticleExtraction(
        Article("a", "a", text),
        (Span(0, 31), Span(32, 63), Span(64, 83)),
        (
            Mention(6, 31, "Nominates Regina Benjamin", "person", "PERSON", 0),
            Mention(64, 76, "Robert Gates", "person", "PERSON", 2),
        ),
        (),
    )
    index = resolve_entities([ex, article("b", "gates and more gates")])
    assert entity_names(index, "a") == ["Regina Benjamin", "Robert Gates"]  # body: kept whole


def test_a_place_and_a_common_word_the_ner_called_a_person_is_an_organization():
    text = "Surrey Fire came again. A fire and the fire. Deep Throat spoke to his throat."
    ex = ArticleExtraction(
        Article("a", "a", text),
        (Span(0, 23), Span(24, 44), Span(45, 78)),
        (
            Mention(0, 11, "Surrey Fire", "person", "PERSON", 0),
            Mention(45, 56, "Deep Throat", "person", "PERSON", 2),
        ),
        (),
    )
    kinds = {e.name: e.kind for e in resolve_entities([ex]).entities.values()}
    assert kinds == {"Surrey Fire": "organization", "Deep Throat": "person"}


def _placed(aid: str, *places: tuple[str, str]) -> ArticleExtraction:
    """An article of place mentions, each with the place the text puts it in ("Ohio" in
    "London, Ohio"), written out as "London, Ohio."."""
    parts, mentions, offset = [], [], 0
    for n, (text, where) in enumerate(places):
        mentions.append(Mention(offset, offset + len(text), text, "place", "GPE", n, place=where))
        parts.append(f"{text}, {where}." if where else f"{text}.")
        offset += len(parts[-1]) + 1
    text = " ".join(parts)
    return ArticleExtraction(Article(aid, aid, text), (), tuple(mentions), ())


def test_namesake_cities_are_named_apart_the_most_mentioned_keeping_its_name():
    index = resolve_entities(
        [
            _placed("a", ("London", ""), ("London", "")),
            _placed("b", ("London", "Ohio")),
            _placed("c", ("Portland", "Maine"), ("Portland", "Ore.")),
        ]
    )
    names = sorted(e.name for e in index.entities.values())
    assert "London" in names and "London, Ohio" in names
    assert "Portland, Maine" in names and "Portland, Oregon" in names
    assert "Portland" not in names


def test_an_apposition_that_calls_a_name_a_company_votes_organization():
    text = "Euronext, the pan-European stock exchange, met the LSE. Euronext said it was ready."
    index = resolve_entities([_named(text, "Euronext", "Euronext")])
    assert {e.kind for e in index.entities.values()} == {"organization"}


def test_a_peer_known_by_no_given_name_is_named_by_the_style():
    index = resolve_entities(
        [
            article("a", "Lord Falconer", "Falconer", "Minister Lord Falconer"),
            article("b", "Lord Woolf", "Harry Woolf", "Woolf"),
        ]
    )
    assert set(entity_names(index, "a")) == {"Lord Falconer"}  # not "Falconer"
    assert set(entity_names(index, "b")) == {"Harry Woolf"}  # a given name wins


def _spoken(aid: str, text: str, *found: tuple[str, str, str]) -> ArticleExtraction:
    """An article whose mentions are (name, kind, role), found in order in ``text``."""
    mentions, at = [], 0
    for name, kind, role in found:
        start = text.index(name, at)
        at = start + len(name)
        mentions.append(Mention(start, at, name, kind, LABEL[kind], 0, role=role))
    return ArticleExtraction(Article(aid, aid, text), (Span(0, len(text)),), tuple(mentions), ())


def test_a_town_that_speaks_is_the_company_named_after_it_not_a_city_or_capital():
    hitachi = "Hitachi said sales rose. Hitachi and Sony make screens. Hitachi warned of costs."
    beijing = "Beijing said it would act. Beijing warned Washington. Beijing added more."
    canberra = "Canberra said it would act. Canberra warned Jakarta. Canberra added more."
    quiet = "Hitachi grew. Hitachi and Sony make screens. Hitachi lost money."
    index = resolve_entities([
        _spoken("a", hitachi, ("Hitachi", "organization", "speaker"),
                ("Hitachi", "organization", ""), ("Hitachi", "place", "speaker")),
        _spoken("b", beijing, ("Beijing", "organization", "speaker"),
                ("Beijing", "organization", "speaker"), ("Beijing", "place", "speaker")),
        _spoken("c", canberra, ("Canberra", "organization", "speaker"),
                ("Canberra", "organization", "speaker"), ("Canberra", "place", "speaker")),
    ])  # fmt: skip
    kinds = {(e.name, e.kind) for e in index.entities.values()}
    assert ("Hitachi", "organization") in kinds, kinds
    # a city of half a million or more, or a capital, speaks for its government
    assert ("Beijing", "place") in kinds and ("Canberra", "place") in kinds, kinds
    # nobody speaks: the gazetteer's town, whatever the NER said
    index = resolve_entities([
        _spoken("a", quiet, ("Hitachi", "organization", ""), ("Hitachi", "organization", ""),
                ("Hitachi", "place", "")),
    ])  # fmt: skip
    assert {(e.name, e.kind) for e in index.entities.values()} == {("Hitachi", "place")}


def test_a_town_that_speaks_is_the_person_of_that_surname_the_corpus_names():
    index = resolve_entities([
        _spoken("a", "Billy Crystal hosted the show.", ("Billy Crystal", "person", "subject")),
        _spoken("b", "Crystal said it was fun.", ("Crystal", "place", "speaker")),
    ])  # fmt: skip
    kinds = {(e.name, e.kind) for e in index.entities.values()}
    assert ("Crystal", "place") not in kinds and ("Billy Crystal", "person") in kinds, kinds


def test_a_name_no_gazetteer_knows_that_speaks_is_no_place():
    # BBC: "Yugansk said" (59 mentions), "Downing Street said" (45), the NER's places
    index = resolve_entities([
        _spoken("a", "Yugansk said output fell. Yugansk pumps oil in Siberia.",
                ("Yugansk", "place", "speaker"), ("Yugansk", "place", ""), ("Siberia", "place", "")),
        _spoken("b", "Kanye West said so. Europe and the West agreed.",
                ("Kanye West", "person", "speaker"), ("Europe", "place", ""),
                ("West", "place", "")),
        _spoken("c", "The West said nothing.", ("West", "place", "speaker")),
    ])  # fmt: skip
    kinds = {(e.name, e.kind) for e in index.entities.values()}
    assert ("Yugansk", "organization") in kinds and ("Siberia", "place") in kinds, kinds
    # a name the corpus gives a person keeps its place: "the West" is not Kanye West's
    assert ("the West", "place") in kinds, kinds
    # nobody speaks: a name the gazetteer does not know stays the NER's place
    index = resolve_entities([_spoken("a", "Yugansk pumps oil.", ("Yugansk", "place", ""))])
    assert {(e.name, e.kind) for e in index.entities.values()} == {("Yugansk", "place")}
