"""Shared fixtures: the real spaCy pipeline and one real build of seeds/, once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


def has(program: str) -> bool:
    return shutil.which(program) is not None
