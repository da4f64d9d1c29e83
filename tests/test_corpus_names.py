"""kg.corpus_names: a full person name the NER found somewhere is a mention wherever it recurs."""

from __future__ import annotations

from kg.corpus_names import LABEL, propagate_corpus_names
from kg.records import Article, ArticleExtraction, Mention, Span


def extraction(aid: str, text: str, *found: tuple[str, str]) -> ArticleExtraction:
    mentions = []
    for name, label in found:
        start = text.index(name)
        kind = "person" if label == "PERSON" else "organization"
        mentions.append(Mention(start, start + len(name), name, kind, label, 0))
    return ArticleExtraction(Article(aid, aid, text), (Span(0, len(text)),), tuple(mentions), ())


def names_found(ex: ArticleExtraction) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in ex.mentions]


SEEN = [
    extraction(
        "a",
        "Wladimir Klitschko won. Wladimir Klitschko is champion.",
        ("Wladimir Klitschko", "PERSON"),
    ),
    extraction("b", "Wladimir Klitschko fights Tony Thompson.", ("Wladimir Klitschko", "PERSON")),
]


def test_a_name_the_ner_missed_in_one_article_is_found_there():
    missed = extraction(
        "c", "Results: Wladimir Klitschko Cruises Again\nKlitschko (58-3) bombed Thompson."
    )
    *_, got = propagate_corpus_names([*SEEN, missed])
    assert names_found(got) == [("Wladimir Klitschko", LABEL), ("Klitschko", LABEL)]


def test_a_name_inside_a_longer_name_is_no_match():
    other = extraction("c", "She checked into the Wladimir Klitschko Foundation today.")
    *_, got = propagate_corpus_names([*SEEN, other])
    assert names_found(got) == []


def test_a_name_seen_once_or_made_of_words_is_not_propagated():
    once = extraction("x", "Esther Williams swam.", ("Esther Williams", "PERSON"))
    film = [
        extraction(
            f"f{i}", "Catching Fire opened. He was catching up.", ("Catching Fire", "PERSON")
        )
        for i in range(2)
    ]
    target = extraction("y", "Esther Williams dies. Catching Fire sequel.")
    *_, got = propagate_corpus_names([once, *film, target])
    assert names_found(got) == []


def test_order_does_not_matter_and_untouched_articles_stay_the_same_objects():
    missed = extraction("c", "Wladimir Klitschko won again.")
    forward = propagate_corpus_names([*SEEN, missed])
    backward = propagate_corpus_names([missed, *SEEN[::-1]])
    assert forward[2] == backward[0]
    assert forward[1] is SEEN[1]  # nothing to add there


def test_a_team_name_the_ner_labelled_twice_is_found_where_it_missed_it():
    seen = [
        extraction(f"s{i}", "The Chargers won. Fans of the Chargers cheered.", ("Chargers", "ORG"))
        for i in range(2)
    ]
    police = [
        extraction(f"p{i}", "Police said police and police dogs came.", ("Police", "ORG"))
        for i in range(2)
    ]
    target = extraction("t", "Chargers lose at home. Police were called.")
    *_, got = propagate_corpus_names([*seen, *police, target])
    assert [(m.text, m.kind) for m in got.mentions] == [("Chargers", "organization")]
