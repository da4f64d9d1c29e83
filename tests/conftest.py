"""Shared fixtures: the real spaCy pipeline and one real build of seeds/, once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.view import HEADLESS_CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """kg.build on seeds/ into a fresh folder: the BuildResult, its folder and its rdflib graph."""
    import kg
    from kg.sparql import load_graph

    out = tmp_path_factory.mktemp("seed-build")
    result = kg.build([SEEDS], out=out)
    return result, out, load_graph(out / "graph.ttl")


CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = list(HEADLESS_CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the session, driven by Playwright (never `playwright install`)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def has(program: str) -> bool:
    return shutil.which(program) is not None
