"""Bytes on disk to text: size-limited reading, decoding and binary detection (used by ingest).

``decode_bytes`` tries, in order: a UTF-32/UTF-8/UTF-16 byte-order mark; known binary magic
numbers (PNG, ZIP, PDF, ...); NUL bytes (UTF-16 without a BOM; else text with a few stray NULs,
which become U+FFFD, trailing NUL padding dropped; else binary); strict UTF-8; cp1252
for mostly-ASCII Western text (charset-normalizer tends to call short cp1252 text cp1250 or
cp437); charset-normalizer for the rest. Text full of control characters is binary.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

__all__ = [
    "BINARY",
    "BINARY_MAGIC",
    "EMPTY",
    "decode_bytes",
    "normalize_newlines",
    "os_reason",
    "read_bytes",
]

BINARY_MAGIC = (
    b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-", b"GIF87a", b"GIF89a", b"\xff\xd8\xff",
    b"\x1f\x8b", b"\x7fELF", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xd0\xcf\x11\xe0", b"OggS",
)  # fmt: skip
_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_CP1252_PUNCTUATION = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore") + "\xa0")
BINARY = "binary file, not text"
EMPTY = "empty article"


# ---------------------------------------------------------------- decoding
def decode_bytes(data: bytes) -> str | None:
    """Decode a text file's bytes; None when they are not text. BOM stripped, newlines kept.

    >>> decode_bytes("“Hi”".encode("cp1252")), decode_bytes(b"\\xef\\xbb\\xbfok")
    ('“Hi”', 'ok')
    >>> decode_bytes(b"\\x89PNG\\r\\n"), decode_bytes(b"\\x00\\x01\\x02 binary")
    (None, None)
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _without_nul(data[len(bom) :].decode(encoding, errors="replace"))
    if data.startswith(BINARY_MAGIC):
        return None
    if b"\x00" in data:
        utf16 = _decode_utf16_without_bom(data)
        if utf16 is not None or not _stray_nuls(data):
            return None if utf16 is None else _without_nul(utf16)
        data = data.rstrip(b"\x00")
    text: str | None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    if text is None:
        return None
    text = _without_nul(text)
    return None if _looks_binary(text) else text


def _without_nul(text: str) -> str:
    """U+0000 becomes U+FFFD (one character for one): C tools such as rapper end a string there."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in every other byte (for Latin script); else binary."""
    head = data[:4096]
    pairs = len(head) // 2
    if not pairs or len(data) % 2:
        return None
    for encoding, nul_index in (("utf-16-le", 1), ("utf-16-be", 0)):
        if head[nul_index::2].count(0) >= 0.9 * pairs and head[1 - nul_index :: 2].count(0) == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text) else text
    return None


def _stray_nuls(data: bytes) -> bool:
    """A few NULs in text (a torn write pads a file with them): not enough to call it binary.

    Trailing NUL padding does not count; inside the text, NULs and other control bytes together
    make at most one byte in a thousand (or two bytes in a short file).
    """
    body = data.rstrip(b"\x00")
    controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
    return bool(body.strip()) and controls <= max(2, len(body) // 1000)


def _decode_legacy(data: bytes) -> str | None:
    """Decode non-UTF-8 bytes: cp1252 for Western text, else charset-normalizer's best guess.

    cp1252 wins when the text is mostly ASCII or its only non-ASCII characters are cp1252's
    typographic ones (curly quotes, dashes, ellipsis, euro): Cyrillic or Greek single-byte text
    is mostly non-ASCII letters and goes to charset-normalizer.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        sample = text[:65536]
        foreign = [c for c in sample if ord(c) >= 0x80]
        if len(foreign) <= 0.2 * len(sample) or all(c in _CP1252_PUNCTUATION for c in foreign):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) in _CONTROL)
    return controls > max(8, len(sample) // 100)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def os_reason(exc: OSError) -> str:
    """One line saying why the OS refused, e.g. "cannot read: Permission denied"."""
    if exc.errno == errno.ELOOP:
        return "symlink loop: too many levels of symbolic links"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    reason = exc.strerror or exc.__class__.__name__
    return f"cannot read: {' '.join(str(reason).split())}"


def read_bytes(path: Path, max_bytes: int) -> bytes | str:
    """The file's bytes, or a one-line reason why they cannot be had."""
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return "is a directory, not a file"
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file (a pipe, socket or device)"
        if st.st_size > max_bytes:
            return f"file too large ({st.st_size} bytes > {max_bytes})"
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return os_reason(exc)
    if len(data) > max_bytes:
        return f"file too large ({len(data)} bytes > {max_bytes})"
    return data
