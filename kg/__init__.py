"""kg: a knowledge-graph builder for news.

Importing ``kg`` loads nothing heavy; ``kg.build`` imports the pipeline on first use.

>>> import kg
>>> callable(kg.build)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.pipeline import BuildResult


def build(paths: Any = ("seeds",), out: Any = "output", **options: Any) -> BuildResult:
    """Build the graph from articles under ``paths`` and write it to ``out`` (see kg.pipeline.build)."""
    from kg.pipeline import build as _build

    return _build(paths, out=out, **options)


__all__ = ["__version__", "build"]
