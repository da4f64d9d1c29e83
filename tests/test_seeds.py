"""Golden expectations on the two seed articles, checked through SPARQL on the Turtle we wrote."""

from __future__ import annotations

import pytest

from kg.sparql import run_query


def rows(graph, query):
    return run_query(graph, query)[1]


def quote_speakers(graph, fragment):
    """(speaker name or None, article id) of every quote whose text holds ``fragment``."""
    return rows(
        graph,
        f"""SELECT ?speaker ?id WHERE {{
              ?q a schema:Quotation ; schema:text ?t ; schema:isPartOf/schema:identifier ?id .
              OPTIONAL {{ ?q schema:creator/schema:name ?speaker }}
              FILTER(CONTAINS(?t, "{fragment}")) }} ORDER BY ?id""",
    )


def entity(graph, name):
    """(IRI, type) of entities whose name or alias is exactly ``name``."""
    return rows(
        graph,
        f"""SELECT DISTINCT ?e ?type WHERE {{ ?e a ?type .
              {{ ?e schema:name "{name}" }} UNION {{ ?e schema:alternateName "{name}" }} }}""",
    )


def test_zelensky_is_one_person_with_alias_zelenskyy(seed_build):
    _, _, g = seed_build
    people = rows(g, """SELECT ?e ?name WHERE { ?e a schema:Person ; schema:name ?name .
                          FILTER(CONTAINS(LCASE(?name), "zelensk")) }""")
    assert len(people) == 1, people
    assert people[0][1] == "Volodymyr Zelensky"
    aliases = {r[0] for r in rows(g, f"SELECT ?a WHERE {{ <{people[0][0]}> schema:alternateName ?a }}")}
    assert "Zelenskyy" in aliases
    assert {"Mr Zelensky", "Zelensky"} <= aliases
    assert entity(g, "Zelenskyy") == [(people[0][0], "https://schema.org/Person")]


def entity_ci(graph, name):
    """Like ``entity``, ignoring case ("the Associated Press")."""
    return rows(
        graph,
        f"""SELECT DISTINCT ?e ?type WHERE {{ ?e a ?type .
              {{ ?e schema:name ?n }} UNION {{ ?e schema:alternateName ?n }}
              FILTER(LCASE(STR(?n)) = LCASE("{name}")) }}""",
    )


def test_ap_and_associated_press_are_one_organization(seed_build):
    _, _, g = seed_build
    ap = entity(g, "AP")
    assert len(ap) == 1 and ap[0][1] == "https://schema.org/Organization"
    assert entity_ci(g, "The Associated Press") == ap
    assert entity(g, "Associated Press") == ap


def test_bakhmut_is_a_place_linked_to_geonames(seed_build):
    _, _, g = seed_build
    places = rows(g, """SELECT ?e ?same ?lat WHERE { ?e a schema:Place ; schema:name "Bakhmut" ;
                         owl:sameAs ?same ; schema:latitude ?lat }""")
    assert len(places) == 1
    assert places[0][1] == "https://sws.geonames.org/713174/"
    assert 48 < places[0][2] < 49


def test_push_push_push_is_zelenskys_in_both_articles(seed_build):
    _, _, g = seed_build
    found = quote_speakers(g, "push, push, push")
    assert [r[1] for r in found] == ["000_bd544271f24df476.txt", "001_876ca07bbc9eaa45.txt"]
    assert {r[0] for r in found} == {"Volodymyr Zelensky"}


def test_sell_this_victory_is_zelenskys_not_putins(seed_build):
    _, _, g = seed_build
    found = quote_speakers(g, "will sell this victory to [the] West")
    assert found and {r[0] for r in found} == {"Volodymyr Zelensky"}


def test_ready_to_see_him_here_is_zelenskys_not_xis(seed_build):
    _, _, g = seed_build
    found = quote_speakers(g, "We are ready to see him here")
    assert found and {r[0] for r in found} == {"Volodymyr Zelensky"}


def test_ammunition_quote_is_stoltenbergs(seed_build):
    _, _, g = seed_build
    found = quote_speakers(g, "ammunition expenditure is many times higher")
    assert found and {r[0] for r in found} == {"Jens Stoltenberg"}


def test_thankful_and_finding_this_way_are_one_zelensky_quote(seed_build):
    _, _, g = seed_build
    thankful = quote_speakers(g, "thankful to everybody")
    finding = quote_speakers(g, "Finding this way was the thing")
    assert len(thankful) == 1 and thankful == finding
    assert thankful[0][0] == "Volodymyr Zelensky"


def test_a_quote_going_on_in_the_next_paragraph_is_one_zelensky_quote(seed_build):
    _, _, g = seed_build
    # the Express article: '“... small steps,” he said.' then '“Our society will feel tired ...”'
    # opening the next paragraph; its words join the pieces with an ellipsis
    found = quote_speakers(g, "Small victories, small steps, … Our society will feel tired")
    assert found == [("Volodymyr Zelensky", "001_876ca07bbc9eaa45.txt")]


def test_every_direct_quote_of_the_express_article_has_its_speaker(seed_build):
    _, _, g = seed_build
    found = rows(g, """SELECT ?t ?speaker WHERE { ?q a schema:Quotation ; kg:quoteKind "direct" ;
        schema:text ?t ; schema:isPartOf/schema:identifier "001_876ca07bbc9eaa45.txt" .
        OPTIONAL { ?q schema:creator/schema:name ?speaker } }""")
    assert len(found) >= 5  # '"A," he said. "B."' and a quote going on in the next paragraph count once
    assert {r[1] for r in found} == {"Volodymyr Zelensky"}, found


def test_told_the_associated_press_is_the_addressee(seed_build):
    _, _, g = seed_build
    told = rows(g, """SELECT ?to WHERE { ?q schema:text ?t ; kg:addressee/schema:name ?to .
                       FILTER(CONTAINS(?t, "push, push, push")) }""")
    assert {r[0] for r in told} == {"Associated Press"}


def test_articles_carry_their_metadata(seed_build):
    _, _, g = seed_build
    found = rows(g, """SELECT ?id ?date ?publisher (GROUP_CONCAT(?author; separator="|") AS ?authors)
        WHERE { ?a a schema:NewsArticle ; schema:identifier ?id ; schema:headline ?h .
                OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a schema:publisher/schema:name ?publisher }
                OPTIONAL { ?a schema:author/schema:name ?author } }
        GROUP BY ?id ?date ?publisher ORDER BY ?id""")
    assert found[0][0] == "000_bd544271f24df476.txt"
    assert str(found[0][1]) == "2023-03-31"
    assert sorted(found[0][3].split("|")) == ["Chris Tomlinson", "Jack Montgomery"]
    assert found[1][0] == "001_876ca07bbc9eaa45.txt"
    assert found[1][2] == "Express & Star"


@pytest.mark.parametrize("furniture", ["pic.twitter.com", "@AP)", "accepting comments", "Lukatsky", "Dake Kang", "Date Created", "Category", "Army-Wars"])
def test_no_furniture_became_an_entity_or_a_quote(seed_build, furniture):
    _, _, g = seed_build
    hits = rows(g, f"""SELECT ?x WHERE {{ {{ ?x schema:name ?s }} UNION {{ ?x schema:alternateName ?s }}
                     UNION {{ ?x a schema:Quotation ; schema:text ?s }} FILTER(CONTAINS(?s, "{furniture}")) }}""")
    assert hits == []


def test_events_are_located(seed_build):
    _, _, g = seed_build
    found = rows(g, """SELECT ?name ?place WHERE { ?e a schema:Event ; schema:name ?name ;
                        schema:location/schema:name ?place }""")
    assert ("Battle of Bakhmut", "Bakhmut") in found


def test_co_mentions_have_provenance(seed_build):
    _, _, g = seed_build
    found = rows(g, """SELECT ?n ?s ?art WHERE { ?c a kg:CoMention ; kg:entity ?a, ?b ; kg:sentenceCount ?s ;
        prov:wasDerivedFrom ?art . ?a schema:name "Volodymyr Zelensky" . ?b schema:name ?n . FILTER(?a != ?b) }""")
    assert any(n == "Bakhmut" and s >= 2 for n, s, _ in found)
