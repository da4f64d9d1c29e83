"""Atomic outputs: every file a build writes goes to a temporary sibling and is renamed into
place, so a build that dies (SIGKILL, power cut, full disk) leaves the previous outputs whole.

- in-process, with ``open``/``os.open``/``os.replace`` watched: no output file is ever opened
  for writing under its own name;
- a staging failure (full disk) replaces nothing and leaves no temporary file behind;
- the real ``kg build`` in a subprocess, SIGKILLed while it parses a corpus that takes several
  seconds: the previous outputs are byte-identical and load;
- a forked writer SIGKILLed while it stages the files (on a disk made slow on purpose): the same.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEEDS

from kg.errors import OutputError
from kg.pipeline import OUTPUT_FILES, _write_atomic, write_outputs

NAMES = ["Olena Kovalenko", "Emmanuel Macron", "Olaf Scholz", "Rishi Sunak", "Xi Jinping"]
PLACES = ["Kyiv", "Paris", "Berlin", "London", "Beijing", "Bakhmut", "Geneva"]


def write_corpus(folder: Path, articles: int) -> None:
    """A corpus of plain news articles (about 3,000 characters each)."""
    folder.mkdir(parents=True)
    (folder / "000-not-an-article.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # reported first
    for i in range(articles):
        who, other = NAMES[i % len(NAMES)], NAMES[(i + 2) % len(NAMES)]
        where = PLACES[i % len(PLACES)]
        body = [f"Talks in {where}, part {i}", ""]
        for j in range(12):
            body += [
                (
                    f"{who} met {other} in {where} on day {j} of the talks, officials told "
                    f'Reuters. "We are ready to see progress here," {who.split()[-1]} said. '
                    f"The meeting in {PLACES[(i + j) % len(PLACES)]} lasted {j + 2} hours, and "
                    f"{other.split()[-1]} told reporters that more meetings would follow."
                ),
                "",
            ]
        (folder / f"article-{i:03d}.txt").write_text("\n".join(body), encoding="utf-8")


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def assert_loadable(out: Path) -> None:
    import rdflib

    assert len(rdflib.Graph().parse(out / "graph.ttl", format="turtle")) > 0
    json.loads((out / "graph.json").read_text(encoding="utf-8"))
    json.loads((out / "report.json").read_text(encoding="utf-8"))
    for name in ("mentions.jsonl", "quotes.jsonl"):
        for line in (out / name).read_text(encoding="utf-8").splitlines():
            json.loads(line)
    assert (out / "graph.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.fixture
def previous(seed_build: Any, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a finished build's outputs (the seed build's)."""
    _, seed_out, _ = seed_build
    out = tmp_path / "out"
    out.mkdir()
    for name in OUTPUT_FILES:
        shutil.copy2(seed_out / name, out / name)
    return out, snapshot(out)


# ---------------------------------------------------------------- every writer goes through a rename


def test_every_output_file_is_renamed_into_place(seed_build: Any, tmp_path: Path) -> None:
    """A real build (its per-article cache reused, so it is quick), every file open watched."""
    import kg

    _, seed_out, _ = seed_build
    out = tmp_path / "out"
    shutil.copytree(seed_out / ".cache", out / ".cache")
    direct: list[str] = []
    renamed: list[str] = []
    real_open, real_os_open, real_replace = builtins.open, os.open, os.replace

    def inside(path: Any) -> Path | None:
        try:
            p = Path(os.fsdecode(path)).resolve()
        except (TypeError, ValueError):
            return None
        return p if out.resolve() in p.parents else None

    def watched_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        p = inside(file) if not isinstance(file, int) else None
        if p is not None and set(mode) & set("wax+") and not p.name.startswith("."):
            direct.append(str(p))
        return real_open(file, mode, *args, **kwargs)

    def watched_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        p = inside(path)
        writes = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC)
        if p is not None and writes and not p.name.startswith("."):
            direct.append(str(p))
        return real_os_open(path, flags, *args, **kwargs)

    def watched_replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if inside(dst) is not None:
            assert Path(os.fsdecode(src)).name.startswith("."), "the staged file is hidden"
            renamed.append(str(inside(dst)))
        real_replace(src, dst, *args, **kwargs)

    existing = {str(p.resolve()) for p in out.rglob("*") if p.is_file()}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builtins, "open", watched_open)
        mp.setattr(io, "open", watched_open)
        mp.setattr(os, "open", watched_os_open)
        mp.setattr(os, "replace", watched_replace)
        kg.build([SEEDS], out=out)
    assert direct == [], "opened for writing under its final name"
    made = {str(p.resolve()) for p in out.rglob("*") if p.is_file()} - existing
    assert made <= set(renamed), "a file appeared without a rename"
    assert {Path(p).name for p in renamed} >= set(OUTPUT_FILES)
    assert not [p for p in out.rglob(".*.tmp")], "a temporary file was left behind"
    for name in OUTPUT_FILES:
        assert (out / name).stat().st_mode & 0o777 == 0o644, name


def test_a_staging_failure_replaces_nothing_and_cleans_up(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    real_fsync, calls = os.fsync, []

    def full_disk(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    contents = {out / name: f"new {name}\n" for name in OUTPUT_FILES}
    with pytest.raises(OutputError, match="No space left on device"):
        _write_atomic(contents)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


# ---------------------------------------------------------------- killed builds


def test_sigkill_during_the_parse_leaves_previous_outputs_intact(
    previous: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    out, before = previous
    corpus = tmp_path / "corpus"
    write_corpus(corpus, articles=30)  # ~10 s to parse on a 2-core box
    command = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out)]
    command += ["--batch-size", "2"]  # small batches: articles are done (and cached) one by one
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
    parsed: list[Path] = []
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline().decode()  # the build has started reading the corpus
        assert first.startswith("kg: skipped ") and "000-not-an-article.png" in first, first
        deadline = time.monotonic() + 120
        while len(parsed) < 2:  # progress: each parsed article is cached as it is done
            assert proc.poll() is None, "the build ended before it could be killed: make it bigger"
            assert time.monotonic() < deadline, "no progress in two minutes"
            time.sleep(0.05)
            parsed = [p for p in (out / ".cache").rglob("*") if p.is_file()]
            parsed = [p for p in parsed if not p.name.startswith(".")]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert len(parsed) < 30, "killed after the parse: make the corpus bigger"
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before, "a killed build changed the previous outputs"
    assert_loadable(out)
    leftovers = [p.name for p in out.iterdir() if p.name not in OUTPUT_FILES]
    assert all(name.startswith(".") for name in leftovers), leftovers  # hidden: .cache, temps


def test_sigkill_while_files_are_staged_leaves_previous_outputs_intact(
    previous: tuple[Path, dict[str, bytes]], seed_build: Any
) -> None:
    """Fork a writer of the seed graph's outputs on a slow disk (fsync sleeps), kill it as soon
    as its first temporary file appears: nothing has been renamed yet."""
    out, _ = previous
    (out / "graph.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n")
    before = snapshot(out)
    result, _, _ = seed_build
    pid = os.fork()
    if pid == 0:  # the child: write, slowly
        try:
            real_fsync = os.fsync
            os.fsync = lambda fd: (time.sleep(0.5), real_fsync(fd))[1]  # type: ignore[assignment]
            write_outputs(result, out)
        finally:
            os._exit(0)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in out.iterdir()):
        assert time.monotonic() < deadline, "the writer never staged a file"
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert snapshot(out) == before
    assert_loadable(out)
    assert any(p.name.endswith(".tmp") for p in out.iterdir())  # the killed writer's leftovers
    write_outputs(result, out)  # the next build sweeps them
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_the_report_is_written_in_the_same_batch_as_the_graphs(tmp_path, monkeypatch, nlp):
    """A build moves every output, report.json included, into place in one batch of renames
    (prepared first, then renamed together): a kill can no longer land between the graphs and
    their report."""
    import kg.pipeline

    batches: list[list[str]] = []
    real = kg.pipeline._write_atomic

    def recording(contents):
        batches.append(sorted(path.name for path in contents))
        real(contents)

    monkeypatch.setattr(kg.pipeline, "_write_atomic", recording)
    kg.pipeline.build([SEEDS], out=tmp_path / "out", cache=None)
    assert batches == [sorted(OUTPUT_FILES)]
