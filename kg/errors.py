"""Our own error types: each says what went wrong and what to do about it, in one line."""

from __future__ import annotations


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
