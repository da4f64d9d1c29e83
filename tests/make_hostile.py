"""Write the hostile corpus of issue 7 into a folder: ``python tests/make_hostile.py DIR``.

Every file is generated here, at test time: the repository keeps no binary or broken file.
``make_corpus`` returns the ``Case`` list that says what each file is and what a build must do
with it (keep the article, or skip it with a reason); ``tests/test_hostile.py`` builds the corpus
with the real CLI and checks every case, and ``python tests/make_hostile.py DIR --table``
prints the table of cases.

Hostile strings ride in the places that reach the graph verbatim: JSONL ids, titles, author and
publisher names (which become Person and Organization entities), URLs, and quote text.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Strings an attacker (or a broken scraper) puts in article text and metadata.
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
RLM = "\u200f"  # RIGHT-TO-LEFT MARK
PDF = "\u202c"  # POP DIRECTIONAL FORMATTING
COMBINING = "Zoe\u0308 Cafe\u0301"  # decomposed ë and é
NASTY_AUTHORS = (
    'Jane "JD" Doe',
    "Brian O\\Connor",
    f"Omar {SCRIPT} Haddad",
    "Tab\tNew\nLine Writer",
    f"Rafi {RTL}Adnan{PDF} {RLM}Levi",
    "Olena 🇺🇦😀 Kovalenko",
    f"{COMBINING} Martin",
    "Greater > Lesser & Sons </script><!--",
)
NASTY_PUBLISHER = f'The "Daily" <b>Planet</b> {IMG} \\ 📰'
NASTY_TITLE = f'Headline with {SCRIPT} and "quotes" \\ back\\slash\nnew line\ttab {RTL}RTL{PDF} 😀'
NASTY_QUOTE = (
    f'"We will not {SCRIPT} give up one inch > of land \\ ever 😀 {RTL}reversed{PDF} '
    f'{COMBINING},\tnot an inch," President Volodymyr Zelensky said.'
)  # no newline inside: a hard line break inside a quote loses the quote (see the report)
EVIL_NAME = f"evil\nname <img src=x onerror=window.__pwned=1> {RTL}dm.md"  # no "/" in names
LONG_SENTENCE_CHARS = 200_000
HUGE_BYTES = 20_000_000

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)

# A plain news paragraph: the body that every "good" case carries, so each yields entities.
BODY = (
    "President Volodymyr Zelensky met Emmanuel Macron in Paris on Monday. "
    "The talks went on into the night, officials told Reuters.\n\n"
    "\u201cWe are ready to see him here,\u201d Zelensky said.\n"
)


@dataclass(frozen=True)
class Case:
    """One hostile input and what a build must do with it."""

    name: str  # path relative to the corpus root
    what: str  # what the file is, in a few words
    kept: tuple[str, ...] = ()  # article ids the build must keep from it
    skipped: str = ""  # a substring of the one-line reason it is skipped ("" when kept)
    line: int | None = None  # the JSONL line that is skipped
    needs: str = ""  # "unreadable": holds only when the build cannot read a chmod 000 file


def _write(root: Path, name: str, data: bytes | str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _long_sentence() -> str:
    """A 200,000-character "sentence": words and names, no punctuation, no newline.

    Long words keep the token count (and so the parse time) down: about 17,000 tokens.
    """
    words = [
        "uninterrupted",
        "international",
        "reconstruction",
        "negotiations",
        "between",
        "Zelensky",
        "and",
        "Macron",
        "continued",
        "throughout",
        "Kyiv",
        "whereas",
        "representatives",
        "assembled",
        "somewhere",
        "outside",
        "Geneva",
        "considering",
        "humanitarian",
        "arrangements",
        "indefinitely",
    ]
    out: list[str] = []
    size = 0
    while size < LONG_SENTENCE_CHARS:
        word = words[len(out) % len(words)]
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:LONG_SENTENCE_CHARS].rstrip() + "\n"


def _jsonl_lines() -> list[str]:
    """Ten lines: line 4 is malformed JSON, line 7 has no "text"; the other eight are good."""
    lines: list[str] = []
    for n in range(1, 11):
        record: dict[str, object] = {
            "id": f"feed-{n:02d}",
            "title": f"Feed story {n}",
            "text": f"Story {n}. " + BODY,
        }
        if n == 2:
            record |= {
                "id": f'feed-02 {SCRIPT} "q" \\ {RTL}x{PDF}\n\t😀',
                "title": NASTY_TITLE,
                "authors": list(NASTY_AUTHORS),
                "publisher": NASTY_PUBLISHER,
                "url": 'https://example.org/a b"<c>{d}|e^`\\f😀',
                "text": NASTY_QUOTE + "\n\n" + BODY,
            }
        if n == 3:
            record |= {"url": "javascript:window.__pwned=1", "authors": "A <b>Bold</b> Name"}
        if n == 5:  # escaped lone surrogates and control characters: legal JSON, illegal UTF-8
            record |= {
                "title": "Lone \ud800 surrogate",
                "authors": ["Ann \udc00 Lee"],
                "text": "Controls \u0000\u001b\u0085 and a lone \ud83d surrogate. " + BODY,
            }
        if n == 4:
            lines.append('{"id": "feed-04", "text": "unterminated string}')
            continue
        if n == 7:
            del record["text"]
        lines.append(json.dumps(record, ensure_ascii=n in (2, 5, 6, 8, 10)))
    return lines


def _html_scripts_only() -> str:
    return (
        "<!doctype html><html><head><style>body{color:red}</style>"
        "<script>var a = 'President Volodymyr Zelensky said hello';</script></head>"
        "<body><script>document.write('<p>Injected article text here.</p>')</script>"
        "<style>p{margin:0}</style><noscript></noscript></body></html>\n"
    )


def _html_escaped_markup() -> str:
    """A real page whose text carries markup as text (&lt;script&gt;): it must stay text."""
    paragraph = (
        "\u201cWe will not &lt;script&gt;window.__pwned=1&lt;/script&gt; give up &gt; an inch,\u201d "
        "President Volodymyr Zelensky told the Associated Press on Monday in Kyiv, after he met "
        "Emmanuel Macron &amp; Olaf Scholz."
    )
    return (
        "<!doctype html><html><head><title>Zelensky &lt;img src=x onerror=alert(1)&gt; speaks"
        '</title><meta name="author" content="Jane &quot;JD&quot; Doe"></head><body>'
        "<script>window.__pwned=1</script><article><h1>Zelensky speaks</h1>"
        f"<p>{paragraph}</p><p>{paragraph.replace('Monday', 'Tuesday')}</p>"
        "<p>The talks in Geneva went on into the night, officials told Reuters.</p>"
        "</article></body></html>\n"
    )


def _nul_text() -> bytes:
    """UTF-8 text with a few stray NUL bytes inside and NUL padding at the end (a torn write)."""
    body = ("Stray NUL bytes.\n\n" + BODY).encode()
    return body[:20] + b"\x00" + body[20:60] + b"\x00" + body[60:] + b"\x00" * 512


def make_corpus(root: Path, *, huge_bytes: int = HUGE_BYTES) -> list[Case]:
    """Write every hostile case under ``root`` (created); return the cases."""
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def case(
        name: str, what: str, data: bytes | str | Callable[[Path], None], **kw: object
    ) -> None:
        if callable(data):
            data(root / name)
        else:
            _write(root, name, data)
        cases.append(Case(name, what, **kw))  # type: ignore[arg-type]

    case("png.txt", "PNG bytes named .txt", PNG, skipped="binary file, not text")
    case("empty.txt", "empty file", b"", skipped="empty article")
    case("whitespace.md", "whitespace only", b" \n\t\r\n  \n", skipped="empty article")
    case(
        "utf16_bom.txt",
        "UTF-16 LE with BOM",
        codecs.BOM_UTF16_LE + ("UTF-16 article\n\n" + BODY).encode("utf-16-le"),
        kept=("utf16_bom.txt",),
    )
    case(
        "cp1252.txt",
        "cp1252 with curly quotes",
        (
            "Curly quotes in cp1252\n\n" + BODY + "It\u2019s \u201cnaïve\u201d \u2014 a café.\n"
        ).encode("cp1252"),
        kept=("cp1252.txt",),
    )
    case("nul.txt", "UTF-8 with stray NULs and NUL padding", _nul_text(), kept=("nul.txt",))
    case(
        "nul_binary.txt",
        "control bytes and NULs (binary)",
        bytes(range(32)) * 40,
        skipped="binary file, not text",
    )
    case(
        "huge.txt",
        f"{huge_bytes // 1_000_000} MB article",
        lambda p: _write_huge(p, huge_bytes),
        skipped="file too large",
    )
    case(
        "long_sentence.txt",
        f"{LONG_SENTENCE_CHARS:,}-character sentence, no punctuation",
        _long_sentence(),
        kept=("long_sentence.txt",),
    )
    good = tuple(f"feed-{n:02d}" for n in (1, 3, 5, 6, 8, 9, 10))
    nasty_id = json.loads(_jsonl_lines()[1])["id"]
    case(
        "feed.jsonl",
        "JSONL, 10 lines: 8 good (hostile strings, lone surrogates, NUL)",
        "\n".join(_jsonl_lines()) + "\n",
        kept=(*good, nasty_id),
    )
    cases.append(
        Case("feed.jsonl", "JSONL line 4: malformed JSON", skipped="malformed JSON", line=4)
    )
    cases.append(Case("feed.jsonl", 'JSONL line 7: no "text"', skipped='missing "text"', line=7))
    case(
        "scripts_only.html",
        "HTML page of only scripts and styles",
        _html_scripts_only(),
        skipped="no article text found",
    )
    case("escaped_markup.html", "HTML whose text says <script>", _html_escaped_markup(),
         kept=("escaped_markup.html",))  # fmt: skip
    case(
        "control_ref.html",
        "HTML with &#1; (lxml drops such a page)",
        _html_escaped_markup().replace("Olaf Scholz.", "Olaf &#1;Scholz &#x1f; &#0;."),
        kept=("control_ref.html",),
    )
    case(
        "nasty.md",
        'Markdown: raw <script>/<img> tags, quotes with " \\ > tabs, RTL, emoji, combining',
        f'# Title {SCRIPT} \\ "q" {RTL}rtl{PDF}\n\n{IMG}\n\n{NASTY_QUOTE}\n\n'
        f"Officials said\t\u201ctabs\tand {RLM}marks\u201d were {SCRIPT} fine.\n\n{BODY}",
        kept=("nasty.md",),
    )
    case("unreadable.txt", "chmod 000 file", _unreadable, skipped="Permission denied",
         needs="unreadable")  # fmt: skip
    case("fifo.txt", "a FIFO named .txt", _fifo, skipped="not a regular file")
    case(
        "folder.txt/inner.txt", "a folder named .txt (walked)", BODY, kept=("folder.txt/inner.txt",)
    )
    case("loop/inside.txt", "article beside the loop", BODY, kept=("loop/inside.txt",))
    case("loop/back", "symlink loop (folder -> parent)", _loop, skipped="symlink loop")
    case("self.txt", "symlink to itself", _self_link, skipped="symlink loop")
    case("broken.txt", "broken symlink", _broken_link, skipped="broken symlink")
    case("image.png", "unsupported extension", PNG, skipped="unsupported file type .png")
    case("good.txt", "a plain good article", "A good article\n\n" + BODY, kept=("good.txt",))
    case(EVIL_NAME, "file name with a newline, <img onerror>, RLO", BODY, kept=(EVIL_NAME,))
    case("png\nnamed.txt", "PNG bytes, a newline in its name", PNG, skipped="binary file, not text")
    return cases


def _write_huge(path: Path, size: int) -> None:
    paragraph = ("Zelensky met Macron in Paris. " * 30 + "\n\n").encode()
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            fh.write(paragraph)
            written += len(paragraph)


def _unreadable(path: Path) -> None:
    path.write_text("A secret article.\n\n" + BODY, encoding="utf-8")
    path.chmod(0)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to("..", target_is_directory=True)


def _self_link(path: Path) -> None:
    path.symlink_to(path.name)


def _broken_link(path: Path) -> None:
    path.symlink_to("does-not-exist.txt")


def kept_ids(cases: list[Case]) -> set[str]:
    return {i for c in cases for i in c.kept}


def table(cases: list[Case]) -> str:
    rows = ["| file | what | the build |", "|---|---|---|"]
    for c in cases:
        where = f"{c.name}:{c.line}" if c.line else c.name
        where = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in where)
        did = (
            f"kept ({len(c.kept)} article{'s' * (len(c.kept) != 1)})"
            if c.kept
            else (f"skipped: {c.skipped}")
        )
        rows.append(f"| `{where}` | {c.what} | {did} |")
    return "\n".join(rows)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python tests/make_hostile.py DIR [--table]")
    made = make_corpus(Path(sys.argv[1]))
    if "--table" in sys.argv:
        print(table(made))
