"""Our own error types: each says what went wrong and what to do about it, in one line."""

from __future__ import annotations

import os
from pathlib import Path


def one_line(err: BaseException, limit: int = 300) -> str:
    """An exception's message on one line, at most ``limit`` characters (its type when empty).

    >>> one_line(ValueError("bad\\n  input"))
    'bad input'
    """
    text = " ".join(str(err).split())
    return text[:limit] or err.__class__.__name__


class KgError(Exception):
    """Base class: a fatal error the CLI reports in one line (non-zero exit, no traceback)."""


class InputError(KgError):
    """An input path is missing or unusable."""


class OutputError(KgError):
    """The output location cannot be written."""


class ModelError(KgError):
    """The spaCy pipeline cannot be loaded."""


class QueryError(KgError):
    """A SPARQL query or the graph it runs on is invalid."""


def read_input_text(path: str | os.PathLike[str], what: str) -> str:
    """The text of a file the user names in an option (UTF-8, a BOM allowed), or an InputError
    that says ``what`` it was ("knowledge base") and where."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise InputError(f"{what} {p} does not exist") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {what} {p}: {err}") from err
