"""The command line: --help on every command, and every fatal error as one clear line.

Most cases run in-process through click's CliRunner (fast); two run the real ``kg`` process,
to see the exit code and the absence (or, with --debug, presence) of a traceback as a user does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SEEDS

from kg.cli import EXIT_ERROR, EXIT_INTERNAL, main

TINY_TTL = (
    "@prefix schema: <https://schema.org/> .\n"
    '<https://example.org/p> a schema:Person ; schema:name "Ann" .\n'
)


def kg(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_one_line_error(result: Result, *needles: str, code: int = EXIT_ERROR) -> str:
    """Exit ``code``, nothing but one ``kg: error:`` line on stderr, no exception escaped."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: " if code == EXIT_ERROR else "kg: internal error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.fixture
def tiny_graph(tmp_path: Path) -> Path:
    path = tmp_path / "graph.ttl"
    path.write_text(TINY_TTL, encoding="utf-8")
    return path


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors about paths must come before the (slow) model load: fail if it is attempted."""
    import kg.nlp

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the spaCy model was loaded before the inputs were checked")

    monkeypatch.setattr(kg.nlp, "load_pipeline", refuse)


# ---------------------------------------------------------------- help


def test_help_lists_every_command() -> None:
    result = kg("--help")
    assert result.exit_code == 0
    assert main.commands, "no commands"
    for name in main.commands:
        assert name in result.output


@pytest.mark.parametrize("name", sorted(main.commands))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_command(name: str, flag: str) -> None:
    command = main.commands[name]
    result = kg(name, flag)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {name}") or "Usage:" in result.output
    first = (command.help or "").strip().splitlines()[0]
    assert first and " ".join(first.split())[:40] in " ".join(result.output.split())
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.opts[0] in result.output, (name, param.opts)


def test_version() -> None:
    from kg import __version__

    result = kg("--version")
    assert result.exit_code == 0 and __version__ in result.output


# ---------------------------------------------------------------- build errors


def test_missing_input_path(tmp_path: Path, no_model: None) -> None:
    missing = tmp_path / "no-such-folder"
    assert_one_line_error(
        kg("build", missing, "--out", tmp_path / "out"), f"input path not found: {missing}"
    )
    assert not (tmp_path / "out").exists()  # nothing written, not even the folder


def test_one_missing_input_among_good_ones(tmp_path: Path, no_model: None) -> None:
    missing = tmp_path / "typo.txt"
    assert_one_line_error(kg("build", SEEDS, missing, "--out", tmp_path / "out"), str(missing))


def test_output_path_is_a_file(tmp_path: Path, no_model: None) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me")
    assert_one_line_error(kg("build", SEEDS, "--out", out), f"output path {out} is a file")
    assert out.read_text() == "keep me"


def test_output_parent_is_a_file(tmp_path: Path, no_model: None) -> None:
    (tmp_path / "file").write_text("x")
    assert_one_line_error(
        kg("build", SEEDS, "--out", tmp_path / "file" / "out"), "cannot create output folder"
    )


def test_relative_base_iri(tmp_path: Path, no_model: None) -> None:
    assert_one_line_error(
        kg("build", SEEDS, "--out", tmp_path / "out", "--base", "kg/"), "--base must be an absolute"
    )


def test_missing_spacy_model_says_how_to_install_it(tmp_path: Path) -> None:
    line = assert_one_line_error(
        kg("build", SEEDS, "--out", tmp_path / "out", "--model", "kg_no_such_model", "--no-cache"),
        "kg_no_such_model",
        "is not installed",
    )
    assert "pip install" in line or "spacy download" in line
    assert not (tmp_path / "out" / "graph.ttl").exists()


# ---------------------------------------------------------------- query errors


def test_invalid_sparql_shows_the_parser_message_and_position(tiny_graph: Path) -> None:
    query = "SELECT ?n\nWHERE {\n  ?p schema:name ?n\n  FILTER(?n = )\n}"
    line = assert_one_line_error(kg("query", tiny_graph, query), "invalid SPARQL")
    assert "line 4, column 3" in line  # the FILTER clause, counted in the user's query
    query = "SELECT ?n WHERE { ?p ?q ?n } LIMIT x"
    line = assert_one_line_error(kg("query", tiny_graph, query))
    assert f"line 1, column {query.index('LIMIT') + 1}: Expected" in line


def test_valid_query_still_answers(tiny_graph: Path) -> None:
    result = kg("query", tiny_graph, "SELECT ?n WHERE { ?p schema:name ?n }", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"n": "Ann"' in result.stdout


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (TINY_TTL + '<https://example.org/q> schema:name "unterminated .\n', "at line 3, column "),
        (TINY_TTL + "<https://example.org/q> schema:name <a> <b> .\n", "at line 3, column "),
        (TINY_TTL.replace("@prefix", "@prefx"), "at line 1, column "),
    ],
)
def test_turtle_that_does_not_parse(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(text, encoding="utf-8")
    assert_one_line_error(kg("query", path, "speakers"), f"{path}: not valid Turtle", where)


def test_binary_file_as_graph(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert_one_line_error(kg("query", path, "speakers"), "not valid Turtle")


def test_missing_graph_file(tmp_path: Path) -> None:
    assert_one_line_error(kg("query", tmp_path / "graph.ttl", "speakers"), "run `kg build` first")


def test_missing_query_file(tiny_graph: Path, tmp_path: Path) -> None:
    missing = tmp_path / "q.rq"
    assert_one_line_error(kg("query", tiny_graph, f"@{missing}"), f"{missing}: No such file")


def test_unknown_named_query_and_bad_arg(tiny_graph: Path) -> None:
    assert_one_line_error(kg("query", tiny_graph, "speekers"), "no named query 'speekers'")
    assert_one_line_error(kg("query", tiny_graph, "said", "--arg", "who"), "NAME=VALUE")
    assert_one_line_error(kg("query", tiny_graph, "said"), "needs --arg who=VALUE")


# ---------------------------------------------------------------- bugs, and --debug


def test_an_unexpected_error_is_one_line_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import pipeline

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(pipeline, "build", broken)
    line = assert_one_line_error(kg("build", SEEDS, "--out", tmp_path), code=EXIT_INTERNAL)
    assert "RuntimeError: boom second line" in line and "--debug" in line
    result = kg("--debug", "build", SEEDS, "--out", tmp_path)
    assert isinstance(result.exception, RuntimeError)


def _real_kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_real_process_one_line_then_traceback_with_debug(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    run = _real_kg("build", missing, "--out", tmp_path / "out")
    assert run.returncode == EXIT_ERROR
    assert run.stderr.splitlines() == [
        f"kg: error: input path not found: {missing} (give a file or a folder of articles)"
    ]
    debug = _real_kg("--debug", "build", missing, "--out", tmp_path / "out")
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr
    assert "kg.errors.InputError: input path not found" in debug.stderr


def test_readme_speakers_example_is_what_the_committed_graph_answers() -> None:
    """The README shows `kg query output/graph.ttl speakers` with its answer: keep it true."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text("utf-8")
    command = "$ kg query output/graph.ttl speakers\n"
    start = readme.index(command) + len(command)
    shown = readme[start : readme.index("rows)\n", start) + len("rows)\n")]
    result = kg("query", root / "output" / "graph.ttl", "speakers")
    assert result.exit_code == 0, result.output
    assert result.output == shown
