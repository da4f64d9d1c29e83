"""Ingest: read articles from text, Markdown, HTML and JSON Lines files.

``iter_articles`` walks folders (recursively, in sorted order of POSIX relative path) and single
files, and yields an ``Article`` for each article it can read and a ``Problem`` for each file or
line it cannot (a binary file, an empty one, a malformed JSON line ...). Only a missing input path
is fatal (``kg.errors.InputError``).

What ``Article.text`` is, and so what every offset downstream refers to:

- ``.txt`` / ``.md`` / ``.markdown``: the decoded file (UTF-8, UTF-16/32 with a BOM, else the
  encoding charset-normalizer detects; cp1252 preferred for mostly-ASCII Western text), BOM
  stripped, newlines normalized to ``\\n``.
- ``.html`` / ``.htm``: the main text trafilatura extracts (comments, navigation and boilerplate
  left out), one paragraph per block, blocks separated by a blank line.
- ``.jsonl``: the record's ``text`` field exactly as given (no newline normalization).

Metadata comes from the record fields (JSONL) or the page metadata (HTML) first, then from the
text itself (``kg.cleanup.parse_text_article``: title, date, byline, publisher line), which also
marks the furniture (captions, tweet chrome, comment notices, footers) to mask before NLP.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import json
import logging
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg.cleanup import parse_text_article
from kg.errors import InputError
from kg.records import Article, Problem
from kg.textfiles import (
    BINARY,
    BINARY_MAGIC,
    EMPTY,
    decode_bytes,
    normalize_newlines,
    os_reason,
    read_bytes,
)
from kg.textmeta import parse_date, split_authors

__all__ = [
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "TEXT_SUFFIXES",
    "check_inputs",
    "iter_articles",
    "iter_jsonl_articles",
    "parse_html_article",
    "parse_jsonl_record",
    "parse_text_article",
    "read_article_text",
]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
DEFAULT_MAX_BYTES = 5_000_000


def _relative_id(path: Path, root: Path) -> str:
    """The article id of a file: its POSIX path relative to ``root`` (else its name)."""
    try:
        rel = Path(os.path.relpath(path, root))
    except ValueError:  # another drive (Windows)
        return path.name
    if rel.parts and rel.parts[0] != ".." and str(rel) != ".":
        return rel.as_posix()
    return path.name


def read_article_text(
    path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article | Problem:
    """Read one ``.txt``/``.md``/``.markdown``/``.html``/``.htm`` file as an article.

    The id is the path relative to ``root`` (the input folder), or the file's name.
    """
    path, source = Path(path), os.fspath(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return Problem(source, "JSON Lines holds many articles: read it with iter_articles")
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return Problem(source, _unsupported(path))
    data = read_bytes(path, max_bytes)
    if isinstance(data, str):
        return Problem(source, data)
    if not data.strip():
        return Problem(source, EMPTY)
    text = decode_bytes(data)
    if text is None:
        return Problem(source, BINARY)
    text = normalize_newlines(text)
    if not text.strip():
        return Problem(source, EMPTY)
    article_id = _relative_id(path, Path(root))
    if suffix in HTML_SUFFIXES:
        return parse_html_article(text, article_id, source)
    return parse_text_article(text, article_id, source)


def _unsupported(path: Path) -> str:
    suffix = path.suffix.lower()
    return f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"


# ---------------------------------------------------------------- HTML
def _extract_html(markup: str, **options: Any) -> Any:
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan"):  # we report problems ourselves
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())

    return trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        # metadata and <time> elements only: no dates guessed from the copyright line or URL
        date_extraction_params={"extensive_search": False, "original_date": True},
        **options,
    )


_CONTROL_REF = re.compile(  # references to C0 controls other than tab, newline and CR
    r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)


def parse_html_article(markup: str, id: str, source: str) -> Article | Problem:
    """An article from an HTML page: trafilatura's main text and metadata, page metadata first.

    ``Article.text`` is the extracted main text, paragraphs separated by a blank line.
    """
    markup = _CONTROL_REF.sub("&#xFFFD;", markup)  # lxml drops a page over one "&#1;"
    try:
        doc = _extract_html(markup, favor_precision=True)
        if doc is None or not (doc.text or "").strip():
            doc = _extract_html(markup, favor_recall=True)
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many types on bad markup
        return Problem(source, f"cannot parse HTML: {' '.join(str(exc).split())[:200]}")
    paragraphs = [line.strip() for line in (doc.text or "").split("\n")] if doc else []
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        return Problem(source, "no article text found")
    fields = {
        "title": doc.title,
        "date": doc.date,
        "authors": doc.author,
        "publisher": doc.sitename,
        "url": doc.url,
    }
    return _merge_fields(parse_text_article(text, id, source), fields)


def _merge_fields(article: Article, fields: dict[str, Any]) -> Article:
    """Prefer metadata given by the record or page over what the text suggests."""

    def text_field(name: str) -> str | None:
        value = fields.get(name)
        return " ".join(value.split()) or None if isinstance(value, str) else None

    date_field = fields.get("date")
    return dataclasses.replace(
        article,
        title=text_field("title") or article.title,
        date=(parse_date(date_field) if isinstance(date_field, str) else None) or article.date,
        authors=split_authors(fields.get("authors")) or article.authors,
        publisher=text_field("publisher") or article.publisher,
        url=text_field("url") or article.url,
    )


# ---------------------------------------------------------------- JSON Lines
def parse_jsonl_record(line: str, default_id: str, source: str) -> Article | str:
    """An article from one JSON Lines record, or a one-line reason it is not one.

    >>> parse_jsonl_record('{"id": "a1", "text": "Hello.", "date": "03/31/2023"}', "x#1", "x").date
    '2023-03-31'
    >>> parse_jsonl_record('{"title": "no text"}', "x#1", "x")
    'missing "text" field'
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"malformed JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}"
    except RecursionError:
        return "malformed JSON: nested too deeply"
    if not isinstance(record, dict):
        return f"not a JSON object (a {type(record).__name__})"
    record = {key: _scrub(record[key]) for key in _JSONL_FIELDS if key in record}
    if "text" not in record:
        return 'missing "text" field'
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        return '"text" must be a non-empty string'
    raw_id = record.get("id")
    valid_id = isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool)
    article_id = str(raw_id).strip() if valid_id else None
    fields = {
        "title": record.get("title") or record.get("headline"),
        "date": record.get("date") or record.get("date_published"),
        "authors": record.get("authors") or record.get("author"),
        "publisher": record.get("publisher"),
        "url": record.get("url") or record.get("source_url"),
    }
    return _merge_fields(parse_text_article(text, article_id or default_id, source), fields)


_JSONL_FIELDS = ("id", "text", "title", "headline", "date", "date_published", "authors", "author",
                 "publisher", "url", "source_url")  # fmt: skip
_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def _scrub(value: Any) -> Any:
    """A lone surrogate (JSON allows ``"\\ud800"``) becomes U+FFFD, so no later UTF-8 encoder
    (spaCy, the output files) fails on it; so does U+0000, as in text files (C tools such as
    rapper end a string there). One character for one: offsets hold."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in value]
    return value


def _iter_lines(fh: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; bytes is None for a line longer than ``max_bytes``."""
    number = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def iter_jsonl_articles(
    path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Problem]:
    """Articles from a JSON Lines file, one per line, streamed (``max_bytes`` applies per line).

    A record without ``id`` gets ``"<relative path>#<line number>"``. A bad line is a
    ``Problem`` with its line number; the other lines still count.
    """
    path, source = Path(path), os.fspath(path)
    rel = _relative_id(path, Path(root))
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            yield Problem(source, "not a regular file (a pipe, socket or device)")
            return
        with open(path, "rb") as fh:
            head = fh.read(4096)
            fh.seek(0)
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield Problem(source, "JSON Lines must be UTF-8 (this file is UTF-16 or UTF-32)")
                return
            if head.startswith(BINARY_MAGIC) or b"\x00" in head:
                yield Problem(source, BINARY)
                return
            yield from _jsonl_lines(fh, rel, source, max_bytes)
    except OSError as exc:
        yield Problem(source, os_reason(exc))


def _jsonl_lines(
    fh: IO[bytes], rel: str, source: str, max_bytes: int
) -> Iterator[Article | Problem]:
    seen_text = False
    for number, raw in _iter_lines(fh, max_bytes):
        if raw is None:
            yield Problem(source, f"line too large (> {max_bytes} bytes)", line=number)
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield Problem(source, "line is not valid UTF-8 (JSON Lines must be UTF-8)", line=number)
            continue
        if not line.strip():
            continue
        seen_text = True
        result = parse_jsonl_record(line.rstrip("\r\n"), f"{rel}#{number}", source)
        yield Problem(source, result, line=number) if isinstance(result, str) else result
    if not seen_text:
        yield Problem(source, EMPTY)


# ---------------------------------------------------------------- walking
@dataclass(frozen=True)
class _Entry:
    rel: str  # POSIX path relative to the input (a file given directly: its name)
    path: Path
    root: Path
    key: tuple[int, int] | None = None  # (device, inode): the same file reached twice
    via_link: bool = False
    problem: str | None = None


def _walk(root: Path) -> list[_Entry]:
    """Every non-hidden file under ``root``, and a problem entry for each loop or unreadable path.

    Real folders are walked first; symlinked folders afterwards, only when they lead somewhere
    not yet walked (one leading back to an ancestor is a loop and is reported).
    """
    root_key = _key(os.stat(root))
    entries: list[_Entry] = []
    visited = {root_key}
    stack: list[tuple[Path, str, frozenset[tuple[int, int]], bool]] = [
        (root, "", frozenset({root_key}), False)
    ]
    links: list[tuple[Path, str, frozenset[tuple[int, int]], tuple[int, int]]] = []
    while stack or links:
        if not stack:
            path, rel, ancestors, key = links.pop(0)
            if key in ancestors:
                entries.append(
                    _Entry(rel, path, root, problem="symlink loop: links back to a parent folder")
                )
            elif key not in visited:
                visited.add(key)
                stack.append((path, rel, ancestors | {key}, True))
            continue
        folder, prefix, ancestors, via_link = stack.pop()
        try:
            children = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            entries.append(_Entry(prefix or ".", folder, root, problem=os_reason(exc)))
            continue
        for child in children:
            if child.name.startswith("."):
                continue
            rel, path = f"{prefix}{child.name}", Path(child.path)
            try:
                st = os.stat(path)
            except OSError as exc:
                broken = exc.errno == errno.ENOENT and child.is_symlink()
                reason = "broken symlink: its target does not exist" if broken else os_reason(exc)
                entries.append(_Entry(rel, path, root, problem=reason))
                continue
            key = _key(st)
            if stat.S_ISDIR(st.st_mode):
                if child.is_symlink():
                    links.append((path, f"{rel}/", ancestors, key))
                elif key not in visited:
                    visited.add(key)
                    stack.append((path, f"{rel}/", ancestors | {key}, via_link))
            else:
                entries.append(_Entry(rel, path, root, key, via_link or child.is_symlink()))
    return entries


def _key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _entries_for(raw: str | os.PathLike[str]) -> list[_Entry]:
    path = Path(raw)
    try:
        st = os.stat(path)
    except OSError as exc:
        return [_Entry(path.name, path, path.parent, problem=os_reason(exc))]
    if stat.S_ISDIR(st.st_mode):
        entries = _walk(path)
    else:
        entries = [_Entry(path.name, path, path.parent, _key(st), path.is_symlink())]
    best: dict[tuple[int, int], _Entry] = {}
    for entry in entries:  # the same file twice: keep the real path, then the first by name
        if entry.key is not None:
            current = best.get(entry.key)
            if current is None or (entry.via_link, entry.rel) < (current.via_link, current.rel):
                best[entry.key] = entry
    kept = [e for e in entries if e.key is None or best[e.key] is e]
    return sorted(kept, key=lambda e: e.rel)


def _read_entry(entry: _Entry, max_bytes: int) -> Iterator[Article | Problem]:
    source = os.fspath(entry.path)
    if entry.problem is not None:
        yield Problem(source, entry.problem)
    elif entry.path.suffix.lower() in JSONL_SUFFIXES:
        yield from iter_jsonl_articles(entry.path, entry.root, max_bytes=max_bytes)
    elif entry.path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES:
        yield read_article_text(entry.path, entry.root, max_bytes=max_bytes)
    else:
        yield Problem(source, _unsupported(entry.path))


def check_inputs(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
) -> list[str | os.PathLike[str]]:
    """The input paths as a list; ``InputError`` for the first that does not exist.

    ``kg.build`` calls it before loading the model, so a typo fails at once.
    """
    inputs = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    for raw in inputs:
        if not os.path.lexists(raw):
            raise InputError(
                f"input path not found: {os.fspath(raw)} (give a file or a folder of articles)"
            )
    return inputs


def iter_articles(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | Problem]:
    """Articles (and problems) from files and folders, in a deterministic order.

    Each input is taken in the order given; a folder's files in sorted order of their POSIX
    path relative to it. A file reached twice (given twice, or through a symlink) is read once;
    an article id seen before is reported as a problem and skipped. Raises ``InputError`` if an
    input path does not exist.
    """
    inputs = check_inputs(paths)
    seen_files: set[tuple[int, int]] = set()
    seen_ids: dict[str, str] = {}
    for raw in inputs:
        for entry in _entries_for(raw):
            if entry.key is not None:
                if entry.key in seen_files:
                    continue
                seen_files.add(entry.key)
            for item in _read_entry(entry, max_bytes):
                if isinstance(item, Article):
                    if item.id in seen_ids:
                        first = seen_ids[item.id]
                        reason = f"duplicate article id {item.id!r} (first read from {first})"
                        yield Problem(item.source, reason + ": skipped")
                        continue
                    seen_ids[item.id] = item.source
                yield item
