"""kg.kb: reading the user's knowledge base (CSV and JSON Lines), and --kb end to end."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.kb import WIKIDATA, kb_iri, load_kb, parse_kb, read_kb


def test_csv_with_aliases_and_kinds(tmp_path):
    path = tmp_path / "kb.csv"
    path.write_text(
        "id,label,aliases,kind\n"
        "Q3874799,Volodymyr Zelensky,Zelenskyy|Zelenskiy,person\n"
        "https://example.org/org/ap,Associated Press,AP; The AP,Organisation\n"
        "\n",
        encoding="utf-8",
    )
    kb = read_kb(path)
    assert [e.iri for e in kb.entries] == [WIKIDATA + "Q3874799", "https://example.org/org/ap"]
    assert kb.entries[0].aliases == ("Zelenskiy", "Zelenskyy")
    assert kb.entries[1].kind == "organization" and kb.entries[1].aliases == ("AP", "The AP")


def test_jsonl_aliases_as_list_and_any_kind():
    kb = parse_kb(json.dumps({"id": "wd:Q42", "label": "Douglas Adams", "aliases": ["DNA"]}) + "\n")
    (entry,) = kb.entries
    assert entry.iri == WIKIDATA + "Q42" and entry.kind == "" and entry.aliases == ("DNA",)


@pytest.mark.parametrize(
    ("text", "kind", "labels"),
    [
        ("Mr Zelenskyy", "person", ["Volodymyr Zelensky"]),
        ("Oleksandr Zelensky", "person", []),  # a different first name never matches
        ("@AP", "organization", ["Associated Press"]),
        ("the Associated Press", "organization", ["Associated Press"]),
        ("AP", "place", []),  # kinds must agree
    ],
)
def test_candidates_use_the_linkers_keys(text, kind, labels):
    kb = parse_kb(
        "id,label,aliases,kind\nQ1,Volodymyr Zelensky,,person\nQ2,Associated Press,AP,organization\n",
        "kb.csv",
    )
    assert [e.label for e in kb.candidates(text, kind)] == labels


@pytest.mark.parametrize(
    ("text", "source", "message"),
    [
        ("id,name\nQ1,x\n", "kb.csv", "header row"),
        ("id,label\nnot an id,x\n", "kb.csv", "kb.csv:2: id 'not an id'"),
        ("id,label,kind\nQ1,x,planet\n", "kb.csv", "kind 'planet'"),
        ('{"id": "Q1"}\n', "kb.jsonl", "kb.jsonl:1: every entry needs an id and a label"),
        ("[1, 2]\n", "kb.jsonl", "JSON object"),
        ("{oops\n", "kb.jsonl", "not JSON"),
    ],
)
def test_bad_files_say_where_and_why(text, source, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        parse_kb(text, source)


def test_missing_file_and_pass_through(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_kb(tmp_path / "nope.csv")
    kb = parse_kb("")
    assert load_kb(kb) is kb and load_kb(None) is None
    assert kb_iri("urn:isbn:0451450523") == "urn:isbn:0451450523"


def test_build_with_kb_links_seed_entities_to_wikidata(tmp_path):
    from conftest import SEEDS

    import kg

    kb = tmp_path / "kb.csv"
    kb.write_text(
        "id,label,aliases,kind\nQ3874799,Volodymyr Zelensky,,person\nQ40469,Associated Press,AP,org\n",
        encoding="utf-8",
    )
    result = kg.build([SEEDS], out=tmp_path / "out", kb=kb, cache=False)
    by_name = {e.name: e for e in result.index.entities.values()}
    assert by_name["Volodymyr Zelensky"].same_as == [WIKIDATA + "Q3874799"]
    assert by_name["Associated Press"].same_as == [WIKIDATA + "Q40469"]
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert f"owl:sameAs <{WIKIDATA}Q3874799>" in ttl
    rows = [json.loads(line) for line in (tmp_path / "out" / "entities.jsonl").open()]
    assert any(r["same_as"] == [WIKIDATA + "Q40469"] for r in rows)
