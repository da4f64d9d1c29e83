"""Determinism: the same input gives byte-identical graph.ttl, graph.json and graph.html (and the
JSON Lines exports), whatever order the file system lists the files in, whatever ``n_process``
and batch size spaCy runs with, and whatever Python's hash seed (set and dict order) is.

Build one runs in-process (``n_process=1``) on a folder whose files were created in sorted
order; build two is the real ``kg build`` in another process (``--n-process 2 --batch-size 1``,
another PYTHONHASHSEED) on a copy whose files were created in reverse order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEEDS

from kg.pipeline import OUTPUT_FILES

COMPARED = [name for name in OUTPUT_FILES if name != "report.json"]


def corpus_files() -> dict[str, bytes]:
    """Seeds plus one article of each other kind (Markdown, HTML, JSONL) in nested folders."""
    files = {f"seeds/{p.name}": p.read_bytes() for p in sorted(SEEDS.iterdir()) if p.is_file()}
    files["b/markdown.md"] = (
        b"# Talks in Geneva\n\nBy Jane Doe\n\nEmmanuel Macron met Olaf Scholz in Geneva on "
        b'Monday. "We are ready," Macron said. Scholz told Reuters the talks would go on.\n'
    )
    files["a/page.html"] = (
        b"<html><head><title>Kyiv visit</title></head><body><article><p>President Volodymyr "
        b"Zelensky met Xi Jinping in Kyiv, officials said on Tuesday, and the two leaders spoke "
        b"for hours.</p><p>\xe2\x80\x9cWe will talk again,\xe2\x80\x9d Zelensky told the "
        b"Associated Press.</p></article></body></html>\n"
    )
    records = [
        {"id": f"feed-{i}", "title": f"Feed {i}", "text": text}
        for i, text in enumerate(
            [
                "Rishi Sunak met Emmanuel Macron in London. Sunak said the talks went well.",
                "Olaf Scholz visited Kyiv. \u201cWe stand with Ukraine,\u201d Scholz said.",
                "Xi Jinping and Vladimir Putin met in Moscow, the Kremlin said on Monday.",
            ]
        )
    ]
    files["c/feed.jsonl"] = "".join(json.dumps(r) + "\n" for r in records).encode()
    files["z.txt"] = b"Volodymyr Zelensky met Rishi Sunak in London on Friday, Reuters said.\n"
    return files


def write_in_order(folder: Path, files: dict[str, bytes], names: list[str]) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])


def stable_report(report: dict[str, Any]) -> dict[str, Any]:
    """The report without what legitimately differs: timings, memory, cache, absolute paths."""
    out = {k: v for k, v in report.items() if k not in ("timings", "memory", "cache")}
    for key in ("articles", "skipped", "warnings"):
        out[key] = [{k: v for k, v in row.items() if k != "source"} for row in out.get(key, [])]
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build two (the real CLI, another process) starts first; build one runs here meanwhile."""
    import kg

    root = tmp_path_factory.mktemp("determinism")
    files = corpus_files()
    write_in_order(root / "one", files, sorted(files))
    write_in_order(root / "two", files, sorted(files, reverse=True))
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=seed)
    command = [sys.executable, "-m", "kg.cli", "build", str(root / "two"), "-q", "--no-cache"]
    command += ["--out", str(root / "out-two"), "--n-process", "2", "--batch-size", "1"]
    two = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    try:
        kg.build([root / "one"], out=root / "out-one", n_process=1, cache=False)
    finally:
        _, err = two.communicate(timeout=300)
    assert two.returncode == 0, err[-3000:]
    return root / "out-one", root / "out-two"


@pytest.mark.parametrize("name", COMPARED)
def test_outputs_are_byte_identical(builds: tuple[Path, Path], name: str) -> None:
    one, two = builds
    a, b = (one / name).read_bytes(), (two / name).read_bytes()
    if a != b:
        lines_a, lines_b = a.splitlines(), b.splitlines()
        first = next((i for i, (x, y) in enumerate(zip(lines_a, lines_b)) if x != y), None)
        where = f"line {first + 1}: {lines_a[first][:200]!r} != {lines_b[first][:200]!r}"
        pytest.fail(f"{name} differs at {where if first is not None else 'the end'}")
    assert len(a) > 100


def test_reports_agree_but_for_timings_and_paths(builds: tuple[Path, Path]) -> None:
    one, two = (json.loads((out / "report.json").read_text(encoding="utf-8")) for out in builds)
    assert one["articles_read"] == 8
    assert stable_report(one) == stable_report(two)


def test_ingest_order_ignores_listing_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever order the file system lists a folder in (here: reversed, then shuffled), ingest
    yields the same articles in the same order."""
    import random

    from kg.records import Article
    from kg.sources import iter_articles

    files = corpus_files()
    write_in_order(tmp_path, files, sorted(files))

    def ids() -> list[str]:
        return [a.id for a in iter_articles([tmp_path]) if isinstance(a, Article)]

    expected = ids()
    assert len(expected) == 8
    real_scandir = os.scandir
    for reorder in (reversed, lambda xs: random.Random(5).sample(xs, len(xs))):

        def scandir(path: Any, reorder: Any = reorder) -> Any:
            with real_scandir(path) as entries:
                return iter(list(reorder(list(entries))))

        monkeypatch.setattr(os, "scandir", scandir)
        assert ids() == expected
