"""kg.judgements: a user's forced (same) and forbidden (different) merges, applied by the linker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_resolve import article, entity_names

from kg.errors import InputError
from kg.judgements import Judgements, parse_judgements, read_judgements
from kg.resolve import resolve_entities

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def judgements(*lines: str) -> Judgements:
    return parse_judgements("\n".join(lines) + "\n", "j.tsv")


# --- the file format ----------------------------------------------------------------------------


def test_lines_comments_and_blank_lines():
    j = parse_judgements(
        "# verdict\tA\tB\n\nsame\tZelenskiy\tperson/volodymyr-zelensky\n"
        "DIFFERENT\t Paris \tParis Hilton\t\n",
        "j.tsv",
    )
    assert [(r.verdict, r.a, r.b, r.line) for r in j.rules] == [
        ("same", "Zelenskiy", "person/volodymyr-zelensky", 3),
        ("different", "Paris", "Paris Hilton", 4),
    ]


def test_csv_files_use_commas_and_quoting():
    j = parse_judgements('same,"Jackson, Mississippi",place/jackson\n', "j.csv")
    assert [(r.a, r.b) for r in j.rules] == [("Jackson, Mississippi", "place/jackson")]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("same\tZelensky", "expected three tab-separated fields"),
        ("same Zelensky Zelenskiy", "expected three tab-separated fields"),
        ("same\tA\tB\tC", "expected three tab-separated fields"),
        ("same\t\tB", "expected three tab-separated fields"),
        ("merge\tA\tB", "the verdict must be 'same' or 'different'"),
    ],
)
def test_a_malformed_line_names_file_and_line(line: str, says: str):
    with pytest.raises(InputError) as err:
        parse_judgements(f"# ok\nsame\tA\tB\n{line}\n", "mine.tsv")
    assert str(err.value).startswith("mine.tsv:3: ")
    assert says in str(err.value)
    assert "\n" not in str(err.value)


def test_a_missing_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        read_judgements(tmp_path / "nope.tsv")


# --- the linker applies them --------------------------------------------------------------------

CORPUS = [
    article("a", "Volodymyr Zelensky", "Zelensky"),
    article("b", "Zelenskyy"),
    article("c", "Deep Throat", "W. Mark Felt"),
    article("d", "Mark Felt"),
]


def test_without_judgements_the_rules_merge():
    index = resolve_entities(CORPUS)
    assert entity_names(index, "b") == ["Volodymyr Zelensky"]
    assert len(set(entity_names(index, "c"))) == 2


def test_different_is_a_cannot_link_inside_the_union_find():
    index = resolve_entities(
        CORPUS, judgements=judgements("different\tZelenskyy\tVolodymyr Zelensky")
    )
    assert entity_names(index, "a") == ["Volodymyr Zelensky", "Volodymyr Zelensky"]  # still one
    assert entity_names(index, "b") == ["Zelenskyy"]  # kept apart
    assert index.refused_merges >= 1


def test_different_on_entity_keys_and_iris():
    for reference in (
        "person/volodymyr-zelensky",
        "https://example.org/kg/person/volodymyr-zelensky",
    ):
        index = resolve_entities(
            CORPUS, judgements=judgements(f"different\t{reference}\tZelenskyy")
        )
        assert entity_names(index, "b") == ["Zelenskyy"]
        assert set(entity_names(index, "a")) == {"Volodymyr Zelensky"}


def test_same_merges_and_is_recorded_as_the_judgement_rule():
    index = resolve_entities(CORPUS, judgements=judgements("same\tDeep Throat\tperson/w-mark-felt"))
    assert len(set(entity_names(index, "c"))) == 1
    key = index.link[("c", 0, len("Deep Throat"))]
    assert index.merged_by[key]["judgement"] == 1
    assert entity_names(index, "d") == entity_names(index, "c")[:1]


def test_different_wins_over_a_contradicting_same():
    index = resolve_entities(
        CORPUS,
        judgements=judgements("same\tDeep Throat\tMark Felt", "different\tDeep Throat\tMark Felt"),
    )
    assert len(set(entity_names(index, "c"))) == 2


def test_a_reference_that_matches_nothing_is_a_warning_not_an_error():
    index = resolve_entities(CORPUS, judgements=judgements("same\tNobody Known\tZelensky"))
    (problem,) = index.problems
    assert (problem.source, problem.line) == ("j.tsv", 1)
    assert "Nobody Known" in problem.reason
    assert index.link == resolve_entities(CORPUS).link


def test_judgements_do_not_depend_on_article_order():
    j = judgements("different\tZelenskyy\tVolodymyr Zelensky", "same\tDeep Throat\tMark Felt")
    forward = resolve_entities(CORPUS, judgements=j)
    backward = resolve_entities(CORPUS[::-1], judgements=j)
    assert forward.link == backward.link and forward.merged_by == backward.merged_by


# --- a build: the file is read up front, applied, and part of the build's identity ---------------


def test_cli_rejects_a_malformed_file_before_loading_the_model(tmp_path: Path):
    from click.testing import CliRunner

    from kg.cli import main

    bad = tmp_path / "j.tsv"
    bad.write_text("same\tonly-two\n", "utf-8")
    run = CliRunner().invoke(
        main, ["build", str(SEEDS), "--out", str(tmp_path / "o"), "--judgements", str(bad)]
    )
    assert run.exit_code == 2
    assert f"{bad}:1: expected three tab-separated fields" in run.output
    assert len(run.output.strip().splitlines()) == 1


def _entity_of(out: Path, alias: str) -> set[str]:
    rows = [json.loads(line) for line in (out / "entities.jsonl").open(encoding="utf-8")]
    return {r["entity"] for r in rows if alias == r["name"] or alias in r["aliases"]}


def test_a_build_applies_judgements_on_the_next_build(tmp_path: Path):
    import kg

    out, cache = tmp_path / "out", tmp_path / "cache"
    first = kg.build([SEEDS], out=out, cache=cache)
    zelensky = _entity_of(out, "Zelenskyy")
    assert len(zelensky) == 1
    (key,) = zelensky
    j = tmp_path / "j.tsv"
    j.write_text(f"# keep the Zelenskyy spelling apart\ndifferent\t{key}\tZelenskyy\n", "utf-8")
    second = kg.build([SEEDS], out=out, cache=cache, judgements=j)
    assert len(_entity_of(out, "Zelenskyy") | _entity_of(out, "Volodymyr Zelensky")) == 2
    assert len(second.index.entities) == len(first.index.entities) + 1
    snapshot = (out / "entities.jsonl").read_bytes()
    j.write_text("", "utf-8")  # the file changed: the build is not reused
    kg.build([SEEDS], out=out, cache=cache, judgements=j)
    assert (out / "entities.jsonl").read_bytes() != snapshot
    j.write_text(f"different\t{key}\tZelenskyy\n", "utf-8")
    kg.build([SEEDS], out=tmp_path / "again", cache=cache, judgements=j)
    assert (tmp_path / "again" / "entities.jsonl").read_bytes() == snapshot
