"""Ingest: reading files and folders, decoding, JSONL, HTML, and metadata/furniture from text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cleanup import parse_text_article, plain
from kg.errors import InputError
from kg.records import Article, Problem, Span
from kg.sources import (
    iter_articles,
    iter_jsonl_articles,
    parse_html_article,
    parse_jsonl_record,
    read_article_text,
)
from kg.textfiles import decode_bytes
from kg.textmeta import is_date_line, parse_byline, parse_date, split_authors

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_000 = SEEDS / "000_bd544271f24df476.txt"
SEED_001 = SEEDS / "001_876ca07bbc9eaa45.txt"


def read_seed(path: Path) -> Article:
    article = read_article_text(path, SEEDS)
    assert isinstance(article, Article), article
    return article


def articles(items: list[Article | Problem]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def problems(items: list[Article | Problem]) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def check_spans(article: Article) -> None:
    """Furniture spans are sorted, disjoint, non-empty and inside the text; masking keeps shape."""
    end = 0
    for span in article.furniture:
        assert end <= span.start < span.end <= len(article.text), span
        end = span.end
    masked = article.masked_text()
    assert len(masked) == len(article.text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [
        i for i, c in enumerate(article.text) if c == "\n"
    ]


# ---------------------------------------------------------------- the seeds
def test_seed_000_metadata() -> None:
    art = read_seed(SEED_000)
    assert art.id == SEED_000.name
    assert art.source == str(SEED_000)
    assert art.title == (
        "Zelensky: D.C. Knows We Lose Without U.S. Help, Public Will Push Me to Make Peace if "
        "Bakhmut Falls"
    )
    assert art.date == "2023-03-31"
    assert art.authors == ("Jack Montgomery", "Chris Tomlinson")
    assert art.publisher is None
    assert art.text == SEED_000.read_text("utf-8")
    check_spans(art)


def test_seed_001_metadata() -> None:
    art = read_seed(SEED_001)
    assert art.publisher == "Express & Star"
    assert art.title == "Volodymyr Zelensky issues warning over consequences of losing Bakhmut"
    assert art.date is None
    assert art.authors == ()
    check_spans(art)


FURNITURE_000 = [
    "pic.twitter.com",
    "t.co/",
    "(@AP)",
    "March 29, 2023",
    "Date Created",
    "Category",
    "Army-Wars-Conflict",
    "03/31/2023",
    "JACK MONTGOMERY",
    "Description",
    "##",
    "**",
    "](#)",
    "https://",
]
FURNITURE_001 = [
    "Express & Star",
    "Last updated",
    "Sorry, we are not accepting comments",
    "Efrem Lukatsky",
    "Dake Kang",
    "Russia Ukraine War",
    "Mr Zelensky with military personnel",
    "presents a medal to a serviceman",
    "Gazprom chairman Viktor Zubkov",
    "In other news",
]


@pytest.mark.parametrize("needle", FURNITURE_000)
def test_seed_000_furniture_is_masked(needle: str) -> None:
    assert needle in SEED_000.read_text("utf-8")
    assert needle not in read_seed(SEED_000).masked_text()


@pytest.mark.parametrize("needle", FURNITURE_001)
def test_seed_001_furniture_is_masked(needle: str) -> None:
    assert needle in SEED_001.read_text("utf-8")
    assert needle not in read_seed(SEED_001).masked_text()


PROSE = [
    (SEED_000, "Zelensky: D.C. Knows We Lose Without U.S. Help"),  # the title stays as text
    (SEED_000, "UKRAINE: President Volodymyr Zelensky has claimed"),
    (SEED_000, "Zelenskyy predicted that the pressure from a defeat in Bakhmut"),
    (SEED_000, "Ukrainian President Volodymyr Zelenskyy warns in an exclusive"),
    (SEED_000, "@AP"),
    (SEED_000, "with the likes of Jens Stoltenberg, Secretary-General of the NATO alliance,"),
    (SEED_000, "will sell this victory to [the] West"),
    (SEED_000, "to Latin America[n] countries,”"),
    (SEED_000, "he will push, push, push,”"),
    (SEED_000, "“The current rate of Ukraine’s ammunition expenditure"),
    (SEED_000, "derailed ceasefire negotiations in 2022"),
    (SEED_001, "Volodymyr Zelensky issues warning over consequences of losing Bakhmut"),
    (SEED_001, "“We are ready to see him here,” he said."),
    (SEED_001, "He extended an invitation to Ukraine to Mr Xi."),
    (SEED_001, "“If he will feel some blood — smell that we are weak — he will push, push, push,”"),
    (SEED_001, "“Finding this way was the thing that saved our nation, and we saved our land."),
    (SEED_001, "Gazprom is negotiating with China over a possible additional supply project"),
    (SEED_001, "Mr Zelensky warned that a loss anywhere at this stage in the war"),
]


@pytest.mark.parametrize(("path", "needle"), PROSE)
def test_seed_prose_survives(path: Path, needle: str) -> None:
    assert needle in read_seed(path).masked_text()


# Lines that are furniture as a whole; every other line must keep all of its words.
FURNITURE_LINES = {
    SEED_000: {
        "### Description",
        "— The Associated Press (@AP) [March 29, 2023](#)",
        "[pic.twitter.com/WCPDDpkGsB](https://pic.twitter.com/WCPDDpkGsB)",
        "by JACK MONTGOMERY and CHRIS TOMLINSON",
        "**Category**",
        "1. Army-Wars-Conflict Zones-Military Tech.",
        "2. Main",
        "**Date Created**",
        "03/31/2023",
    },
    SEED_001: {
        "Express & Star",
        "Last updated",
        "Russia Ukraine War",
        (
            "Ukrainian President Volodymyr Zelensky presents a medal to a serviceman in "
            "Trostianets (Efrem Lukatsky/AP)"
        ),
        "Mr Zelensky with military personnel (Efrem Lukatsky/AP)",
        "Gazprom chairman Viktor Zubkov",
        (
            "In other news, Gazprom chairman Viktor Zubkov said the Russian company was increasing "
            "gas supplies to China (Dake Kang/AP)"
        ),
        "Sorry, we are not accepting comments on this article.",
    },
}
_URLS = re.compile(r"https?://\S+|pic\.twitter\.com/\w+|<[^>]*>|\]\(#\)")


@pytest.mark.parametrize("path", [SEED_000, SEED_001])
def test_seed_every_prose_word_survives(path: Path) -> None:
    art = read_seed(path)
    for line, masked in zip(art.text.split("\n"), art.masked_text().split("\n"), strict=True):
        if line in FURNITURE_LINES[path]:
            assert not masked.strip(), line
        else:
            words = re.findall(r"[\w’'@]+", _URLS.sub(" ", line))
            assert re.findall(r"[\w’'@]+", masked) == words, line


# ---------------------------------------------------------------- dates, bylines, authors
@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("03/31/2023", "2023-03-31"),
        ("31/03/2023", "2023-03-31"),
        ("03/04/2023", "2023-03-04"),  # month first (US) when ambiguous
        ("3-4-2023", "2023-03-04"),
        ("31.03.2023", "2023-03-31"),
        ("March 29, 2023", "2023-03-29"),
        ("Mar. 29, 2023", "2023-03-29"),
        ("Sept 9 2023", "2023-09-09"),
        ("29 March 2023", "2023-03-29"),
        ("29th of March, 2023", "2023-03-29"),
        ("Wednesday, March 29th, 2023 at 10:01 a.m.", "2023-03-29"),
        ("2023-03-29", "2023-03-29"),
        ("2023-03-29T10:00:00+02:00", "2023-03-29"),
        ("2023/3/9", "2023-03-09"),
        ("13/13/2023", None),
        ("02/30/2023", None),
        ("March 2023", None),  # no day: never guess one
        ("03/31/23", None),  # two-digit year: never guess the century
        ("next Tuesday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(written: str | None, iso: str | None) -> None:
    assert parse_date(written) == iso


def test_is_date_line() -> None:
    assert is_date_line("Wednesday 29 March 2023 10:01 BST") == "2023-03-29"
    assert is_date_line("  03/31/2023  ") == "2023-03-31"
    assert is_date_line("Talks resumed on March 29, 2023.") is None


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("by JACK MONTGOMERY and CHRIS TOMLINSON", ("Jack Montgomery", "Chris Tomlinson")),
        ("By Jane Doe, Reuters", ("Jane Doe",)),
        ("By Anna Smith, Bob Jones and Carl Brown", ("Anna Smith", "Bob Jones", "Carl Brown")),
        ("By Jane Doe in Kyiv", ("Jane Doe",)),
        ("By JANE DOE, Associated Press Writer", ("Jane Doe",)),
        ("By Associated Press", ()),
        ("**By Jean-Luc O'Neil & Mary van der Berg**", ("Jean-Luc O'Neil", "Mary van der Berg")),
        ("By Monday, the troops had left.", None),
        ("By the end of the week it was over", None),
        ("by contrast, Kyiv held firm", None),
    ],
)
def test_parse_byline(line: str, authors: tuple[str, ...] | None) -> None:
    found = parse_byline(plain(line))
    assert (found[0] if found else None) == authors


def test_byline_date() -> None:
    assert parse_byline("By Jane Doe | March 3, 2023") == (("Jane Doe",), "2023-03-03")


def test_split_authors() -> None:
    assert split_authors("Jane Doe; John Roe") == ("Jane Doe", "John Roe")
    assert split_authors("Jane Doe and John Roe") == ("Jane Doe", "John Roe")
    assert split_authors("Jane Doe, John Roe") == ("Jane Doe", "John Roe")
    assert split_authors("Doe, Jane") == ("Doe, Jane",)
    assert split_authors(["JANE DOE", "", 7, "Jane Doe"]) == ("Jane Doe",)
    assert split_authors(None) == ()


# ---------------------------------------------------------------- furniture rules
def masked(text: str) -> str:
    art = parse_text_article(text, "t", "t")
    check_spans(art)
    return art.masked_text()


def test_markdown_links_images_and_urls() -> None:
    text = (
        "He gave a [warning](#) about [ammunition](https://example.com/a_(b)) stocks. "
        "![chart](https://example.com/c.png) See <https://t.co/qxaot2iQ7i> and "
        "https://example.com/x?y=1. [pic.twitter.com/AbC](https://pic.twitter.com/AbC) "
        "pic.twitter.com/XyZ12"
    )
    out = masked(text)
    assert out.startswith("He gave a  warning     about  ammunition ")
    assert " ".join(out.split()) == "He gave a warning about ammunition stocks. See and ."


def test_editorial_brackets_are_not_links() -> None:
    text = "“Sell this victory to [the] West, to Latin America[n] countries,” he said."
    assert masked(text) == text


def test_heading_and_emphasis_marks() -> None:
    out = masked("# Big *news* today #\n\n__Bold__ claim and **more** of _it_.\n\n> quoted line")
    assert out.split("\n") == [
        "  Big  news  today  ",
        "",
        "  Bold   claim and   more   of  it .",
        "",
        "  quoted line",
    ]
    assert parse_text_article("# Big *news* today #\n\nBody.", "t", "t").title == "Big news today"


def test_tweet_chrome_is_masked_but_tweet_body_kept() -> None:
    text = (
        "Zelenskyy predicted a quick collapse. pic.twitter.com/mLmTaecI3D\n\n"
        "— The Associated Press (@AP) March 29, 2023\n\n"
        "-- Jane Doe (@janedoe) [April 1, 2023](https://twitter.com/janedoe/status/1)\n\n"
        "— and then (@someone) he said she was wrong about everything."
    )
    lines = masked(text).split("\n")
    assert lines[0].rstrip() == "Zelenskyy predicted a quick collapse."
    assert not lines[2].strip() and not lines[4].strip()
    assert lines[6] == "— and then (@someone) he said she was wrong about everything."


@pytest.mark.parametrize(
    "caption",
    [
        "Mr Zelensky with military personnel (Efrem Lukatsky/AP)",
        "Soldiers fire towards Russian positions near Bakhmut. (AP Photo/Evan Vucci, File)",
        "Christoph Blocher reacts during a meeting. (FABRICE COFFRINI/AFP/Getty Images.)",
        "Rescuers at the scene (AFP via Getty Images)",
        "The minister arrives in Kyiv (Photo: Jane Doe)",
        "Photo: Jane Doe/Reuters",
        "Image: a damaged building in Kharkiv",
        "Credit: Getty Images",
        "Getty Images",
    ],
)
def test_captions_are_masked(caption: str) -> None:
    assert not masked(f"Body text here.\n\n{caption}\n\nMore body.").split("\n")[2].strip()


@pytest.mark.parametrize(
    "prose",
    [
        "The pound fell 0.3% against the dollar (GBP/USD).",
        "Caroline Quentin (Life Begins/ Von Trapped, ITV1)",
        "He was shot near his car. (WARNING: Video contains graphic images.)",
        "The band (AC/DC) played on.",
        "Photographs of the scene were shared widely, officials said.",
    ],
)
def test_prose_with_parentheses_is_kept(prose: str) -> None:
    assert masked(f"Body text here.\n\n{prose}\n\nMore body.").split("\n")[2] == prose


def test_caption_title_line_is_masked_only_when_short_and_unpunctuated() -> None:
    text = (
        "Gazprom chairman Viktor Zubkov\n"
        "Viktor Zubkov said supplies were rising (Dake Kang/AP)\n\n"
        "He said supplies would rise.\n"
        "A lone caption (Dake Kang/AP)"
    )
    lines = masked(text).split("\n")
    assert not lines[0].strip() and not lines[1].strip()
    assert lines[3] == "He said supplies would rise."
    assert not lines[4].strip()


@pytest.mark.parametrize(
    "notice",
    [
        "Sorry, we are not accepting comments on this article.",
        "Comments are closed.",
        "Comments have been disabled for this article.",
        "Commenting has been turned off",
        "Comments on this story are closed",
        "This article is closed for comments.",
        "Advertisement",
        "Share this article",
        "Share on Facebook",
        "Sign up for our daily newsletter",
        "© 2023 The Associated Press. All rights reserved.",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "5 min read",
    ],
)
def test_notices_are_masked(notice: str) -> None:
    assert not masked(f"Body text.\n\n{notice}\n\nMore body.").split("\n")[2].strip()


def test_live_blog_post_headers_are_masked_and_post_headlines_kept() -> None:
    # HuffPost's live blogs: the author, the share buttons, the commenter, the time, glued
    header = "Julia CravenFlagShareLikeReplyAni Vrabel 5ptsmoderatorFeaturedFebruary 6, 2016 10:57PM"
    text = f"Body text.\n{header}Jeb Bush Hits Marco Rubio\nMore body.\n\xa0FlagShareLikeReplyShow More Posts."
    lines = masked(text).split("\n")
    assert lines[1] == " " * len(header) + "Jeb Bush Hits Marco Rubio"
    assert not lines[3].strip() and lines[2] == "More body."


def test_a_live_blog_post_header_glued_after_a_photo_caption_is_masked() -> None:
    caption = "Jeb Bush, left, and Marco Rubio during a debate in Manchester, N.H., on Feb. 6, 2016. "
    header = "Amanda TerkelFlagShareLikeReplyMari Hayman 5ptsmoderatorFeaturedFebruary 6, 2016 9:32PM"
    lines = masked(f"Body text.\n{caption}{header}Chris Christie Is Over It\nMore body.").split("\n")
    assert lines[1] == caption + " " * len(header) + "Chris Christie Is Over It"


@pytest.mark.parametrize(
    "prose",
    [
        "Updated figures show the economy shrank.",
        "Comments from the minister were closed to the press, she said.",
        "Copyright law is changing, the minister said.",
        "Published reports say the talks failed.",
        "Share prices fell on Monday.",
        "Date night is cancelled, he joked.",
    ],
)
def test_prose_that_starts_like_furniture_is_kept(prose: str) -> None:
    art = parse_text_article(f"Body text.\n\n{prose}\n\nMore body.", "t", "t")
    assert art.masked_text().split("\n")[2] == prose
    assert art.date is None


def test_dates_from_labels_prefer_published_over_updated() -> None:
    text = (
        "Headline here\n\nLast updated: 2 April 2023 10:00 BST\n\nPublished March 29, 2023\n\nBody."
    )
    art = parse_text_article(text, "t", "t")
    assert art.date == "2023-03-29"
    assert [line.strip() for line in art.masked_text().split("\n")] == [
        "Headline here",
        "",
        "",
        "",
        "",
        "",
        "Body.",
    ]
    assert art.title == "Headline here"


def test_date_label_followed_by_date_line() -> None:
    art = parse_text_article("Body text.\n\n**Date Created**\n\n03/31/2023\n", "t", "t")
    assert art.date == "2023-03-31"
    assert art.masked_text().strip() == "Body text."


def test_tweet_attribution_date_is_not_the_article_date() -> None:
    art = parse_text_article("Body.\n\n— The Associated Press (@AP) March 29, 2023\n", "t", "t")
    assert art.date is None


def test_footer_blocks() -> None:
    text = (
        "Body text ends here.\n\n"
        "Tags: Ukraine, Russia, Bakhmut\n\n"
        "**Related**\n\n"
        "- [Zelensky visits the front](https://example.com/1)\n"
        "- Another story\n\n"
        "Share this\n"
    )
    assert masked(text).strip() == "Body text ends here."


def test_footer_block_stops_at_prose() -> None:
    text = "Related\n\nUkraine war\n\nThe war went on for another year, officials said.\n"
    out = masked(text)
    assert "Related" not in out and "Ukraine war" not in out
    assert "The war went on for another year, officials said." in out


def test_headline_is_not_a_publisher() -> None:
    art = parse_text_article(
        "Zelensky Warns West\n\nUkraine's president said aid must go on.\n", "t", "t"
    )
    assert art.publisher is None
    assert art.title == "Zelensky Warns West"
    art = parse_text_article(
        "Ad sales boost Time Warner profit\n\nQuarterly profits rose.", "t", "t"
    )
    assert art.publisher is None and art.title == "Ad sales boost Time Warner profit"


def test_publisher_lines() -> None:
    art = parse_text_article("The Guardian\n\n# Talks stall in Geneva\n\nBody text.", "t", "t")
    assert (art.publisher, art.title) == ("The Guardian", "Talks stall in Geneva")
    art = parse_text_article("Shropshire Star\n\nFloods hit the county\n\nBody text.", "t", "t")
    assert art.publisher == "Shropshire Star"
    # a publisher-looking line needs a title after it
    art = parse_text_article("Express & Star\n\nThe body follows directly, like this.", "t", "t")
    assert art.publisher is None


def test_no_title_from_a_first_sentence() -> None:
    art = parse_text_article("Tara Reid checked into rehab, her rep said.\nMore text.", "t", "t")
    assert art.title is None
    assert art.masked_text() == art.text


def test_heading_labels_are_masked_but_their_content_kept() -> None:
    out = masked("# Title\n\n### Summary\n\nThe summary is content.\n")
    assert "Summary" not in out and "The summary is content." in out


def test_plain_news_text_is_untouched() -> None:
    text = (
        "Perennial party girl Tara Reid checked herself into Promises Treatment Center, her rep "
        'told People.\n"We appreciate your respect," her rep Jack Ketsoyan told the magazine.\n'
        "By the end of the week, she was home.\n- and the show went on."
    )
    out = masked(text)
    assert out.replace("- and", "  and") == text.replace("- and", "  and")


# ---------------------------------------------------------------- properties
MARKDOWNISH = st.lists(
    st.sampled_from(
        list("abcXYZ019 .,:;!?()[]<>#*_-—/@\n\r\t“”’'\"&|©")
        + ["http://", "pic.twitter.com/", "By ", "March 3, 2023", "(A B/AP)", "\u2028", "é"]
        + ["\n\n", "](#)", "**", "Tags: ", "Related\n", "Published ", "— X (@x) ", "Photo: "]
    ),
    max_size=150,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), MARKDOWNISH))
def test_parse_text_article_never_raises_and_keeps_offsets(text: str) -> None:
    art = parse_text_article(text, "id", "src")
    assert art.text == text
    check_spans(art)
    if art.date is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", art.date)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_bytes_never_raises(data: bytes) -> None:
    text = decode_bytes(data)
    assert text is None or isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=100), st.from_regex(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")))
def test_parse_date_never_raises(text: str) -> None:
    iso = parse_date(text)
    assert iso is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "text", "title", "date", "authors", "author", "url"]), kids, max_size=5
    ),
    max_leaves=10,
).map(json.dumps)))  # fmt: skip
def test_parse_jsonl_record_never_raises(line: str) -> None:
    result = parse_jsonl_record(line, "f.jsonl#1", "f.jsonl")
    assert isinstance(result, (Article, str))
    if isinstance(result, str):
        assert "\n" not in result


# ---------------------------------------------------------------- files: decoding
def read_one(path: Path, **kw: int) -> Article | Problem:
    items = list(iter_articles([path], **kw))
    assert len(items) == 1, items
    return items[0]


def test_utf8_bom_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffHeadline\r\n\r\nBody “quoted” text.\rLast line.".encode())
    art = read_one(path)
    assert isinstance(art, Article)
    assert art.text == "Headline\n\nBody “quoted” text.\nLast line."
    assert art.id == "a.txt" and art.source == str(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.md"
    body = "Zelensky’s “warning” — naïve café.\n"
    data = body.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    art = read_one(path)
    assert isinstance(art, Article) and art.text == body


def test_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Plain ASCII text in UTF-16.\n".encode("utf-16-le"))
    art = read_one(path)
    assert isinstance(art, Article) and art.text == "Plain ASCII text in UTF-16.\n"


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        ("He said “We are ready to see him here,” and left — naïve café.", "cp1252"),
        ("“Hi”", "cp1252"),
        ("Café society in Zürich, said Søren.", "latin-1"),
    ],
)
def test_legacy_encodings(tmp_path: Path, body: str, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode(encoding))
    art = read_one(path)
    assert isinstance(art, Article) and art.text == body


def test_cyrillic_single_byte_text_is_not_read_as_cp1252(tmp_path: Path) -> None:
    body = "Президент Зеленский заявил, что Украина не сдаст Бахмут. " * 5
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode("cp1251"))
    art = read_one(path)
    assert isinstance(art, Article) and "Зеленский" in art.text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"PK\x03\x04" + b"\x00" * 40,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"text with a NUL \x00 in \x01 it\x00\x02\x03",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_one(path) == Problem(str(path), "binary file, not text")


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", "\ufeff \n".encode()])
def test_empty_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(data)
    assert read_one(path) == Problem(str(path), "empty article")


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("word " * 100)
    assert read_one(path, max_bytes=100) == Problem(str(path), "file too large (500 bytes > 100)")
    assert isinstance(read_one(path, max_bytes=500), Article)


# ---------------------------------------------------------------- files: unreadable
def test_directory_given_as_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    result = read_article_text(folder, tmp_path)
    assert isinstance(result, Problem) and "directory" in result.reason


def test_fifo_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    items = list(iter_articles([tmp_path]))
    assert [p.reason for p in problems(items)] == [
        "not a regular file (a pipe, socket or device)"
    ] * 2


def test_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    items = list(iter_articles([tmp_path]))
    assert items == [
        Problem(str(tmp_path / "gone.txt"), "broken symlink: its target does not exist")
    ]
    given = list(iter_articles([tmp_path / "gone.txt"]))  # given directly: still one problem
    assert len(given) == 1 and isinstance(given[0], Problem)
    assert "No such file" in given[0].reason


def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Secret text.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read any file (root)")
        result = read_one(path)
        assert isinstance(result, Problem) and "Permission denied" in result.reason
    finally:
        path.chmod(0o644)


def test_os_error_reason_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (result,) = list(iter_articles([tmp_path]))
    assert isinstance(result, Problem)
    assert result.reason.startswith("symlink loop") and "\n" not in result.reason


# ---------------------------------------------------------------- walking
def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        body = f"Article {name} says that the talks in Geneva went on into the night."
        if path.suffix in (".htm", ".html"):
            body = f"<html><body><article><p>{body}</p></article></body></html>"
        path.write_text(body + "\n")


def test_order_is_sorted_by_relative_path_not_creation(tmp_path: Path) -> None:
    names = ["b.txt", "a/z.md", "a/b/c.txt", "A.txt", "c.markdown", "a.txt", "a/a.htm"]
    make_tree(tmp_path / "one", names)
    make_tree(tmp_path / "two", list(reversed(names)))
    one = [(i.id, type(i).__name__) for i in iter_articles([tmp_path / "one"])]
    two = [(i.id, type(i).__name__) for i in iter_articles([tmp_path / "two"])]
    assert one == two
    ids = [i for i, _ in one]
    assert (
        ids
        == sorted(ids)
        == ["A.txt", "a.txt", "a/a.htm", "a/b/c.txt", "a/z.md", "b.txt", "c.markdown"]
    )


def test_ids_and_sources(tmp_path: Path) -> None:
    make_tree(tmp_path, ["news/world/x.txt"])
    (art,) = articles(list(iter_articles([tmp_path / "news"])))
    assert art.id == "world/x.txt"
    assert art.source == str(tmp_path / "news" / "world" / "x.txt")
    (art,) = articles(list(iter_articles([tmp_path / "news" / "world" / "x.txt"])))
    assert art.id == "x.txt"
    (art,) = articles(list(iter_articles(str(tmp_path / "news"))))  # one path, not a list
    assert art.id == "world/x.txt"


def test_hidden_ignored_and_unsupported_reported(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.txt", ".hidden.txt", ".git/config.txt", "sub/.DS_Store"])
    (tmp_path / "photo.PNG").write_bytes(b"\x89PNG")
    (tmp_path / "README").write_text("hi")
    items = list(iter_articles([tmp_path]))
    assert [i.id for i in articles(items)] == ["a.txt"]
    assert problems(items) == [
        Problem(str(tmp_path / "README"), "unsupported file type (no extension)"),
        Problem(str(tmp_path / "photo.PNG"), "unsupported file type .png"),
    ]


def test_file_given_twice_is_read_once(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.txt", "b.txt"])
    items = list(iter_articles([tmp_path, tmp_path / "a.txt", tmp_path, str(tmp_path / "b.txt")]))
    assert [i.id for i in articles(items)] == ["a.txt", "b.txt"]
    assert problems(items) == []


def test_symlinked_file_is_read_once_under_its_real_name(tmp_path: Path) -> None:
    make_tree(tmp_path, ["z_real.txt"])
    (tmp_path / "a_link.txt").symlink_to(tmp_path / "z_real.txt")
    items = list(iter_articles([tmp_path]))
    assert [i.id for i in items] == ["z_real.txt"]


def test_symlink_loop_is_reported_and_does_not_hang(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a/x.txt", "b/y.txt"])
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # back to an ancestor
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a")
    (tmp_path / "b" / "to_a").symlink_to(tmp_path / "a")  # not a loop: a duplicate, skipped
    items = list(iter_articles([tmp_path]))
    assert [i.id for i in articles(items)] == ["a/x.txt", "b/y.txt"]
    assert [(Path(p.source).name, p.reason.split(":")[0]) for p in problems(items)] == [
        ("loop", "symlink loop"),
        ("self", "symlink loop"),
    ]


def test_symlinked_folder_outside_the_tree_is_walked(tmp_path: Path) -> None:
    make_tree(tmp_path / "elsewhere", ["x.txt"])
    make_tree(tmp_path / "root", ["a.txt"])
    (tmp_path / "root" / "more").symlink_to(tmp_path / "elsewhere")
    assert [i.id for i in iter_articles([tmp_path / "root"])] == ["a.txt", "more/x.txt"]


def test_missing_input_is_fatal(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        list(iter_articles([tmp_path, tmp_path / "nope"]))
    assert "nope" in str(info.value) and "\n" not in str(info.value)


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    make_tree(tmp_path / "one", ["x.txt"])
    make_tree(tmp_path / "two", ["x.txt"])
    items = list(iter_articles([tmp_path / "one", tmp_path / "two"]))
    assert [type(i).__name__ for i in items] == ["Article", "Problem"]
    assert "duplicate article id 'x.txt'" in items[1].reason


# ---------------------------------------------------------------- JSON Lines
def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "corpus.jsonl",
        [
            json.dumps(
                {"id": "a1", "text": "First “article”.\r\nSecond line.", "date": "03/31/2023"}
            ),
            '{"id": "broken", "text": ',
            json.dumps({"id": "no-text", "title": "Nothing"}),
            "",
            json.dumps({"text": "Third article.", "authors": ["JANE DOE", "John Roe"]}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": 7, "text": "  "}),
            json.dumps({"id": 8, "text": "Eighth.", "author": "Breitbart News", "source_url": "u"}),
        ],
    )
    items = list(iter_articles([tmp_path]))
    good = articles(items)
    assert [a.id for a in good] == ["a1", "corpus.jsonl#5", "8"]
    assert good[0].text == "First “article”.\r\nSecond line."  # the field as given
    assert good[0].date == "2023-03-31" and good[0].source == str(path)
    assert good[1].authors == ("Jane Doe", "John Roe")
    assert (good[2].authors, good[2].url) == (("Breitbart News",), "u")
    bad = problems(items)
    assert [(p.line, p.source) for p in bad] == [
        (2, str(path)),
        (3, str(path)),
        (6, str(path)),
        (7, str(path)),
    ]
    assert bad[0].reason.startswith("malformed JSON")
    assert bad[1].reason == 'missing "text" field'
    assert bad[2].reason == "not a JSON object (a list)"
    assert bad[3].reason == '"text" must be a non-empty string'


def test_jsonl_fields_win_over_text_and_text_fills_gaps(tmp_path: Path) -> None:
    text = (
        "Express & Star\n\nText headline\n\nBody.\n\nby JACK MONTGOMERY\n\nPublished 29 March 2023"
    )
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            json.dumps({"id": "x", "text": text, "title": "Field title", "publisher": "Field pub"}),
            json.dumps({"id": "y", "text": text, "date": "not a date"}),
        ],
    )
    x, y = iter_jsonl_articles(path, tmp_path)
    assert isinstance(x, Article) and isinstance(y, Article)
    assert (x.title, x.publisher, x.authors, x.date) == (
        "Field title",
        "Field pub",
        ("Jack Montgomery",),
        "2023-03-29",
    )
    assert (y.title, y.publisher, y.date) == ("Text headline", "Express & Star", "2023-03-29")
    assert "JACK" not in y.masked_text()


def test_jsonl_duplicate_ids(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "c.jsonl", [json.dumps({"id": "a", "text": f"T{i}."}) for i in range(3)])
    items = list(iter_articles([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Article", "Problem", "Problem"]


def test_jsonl_line_too_large(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [json.dumps({"text": "x" * 500}), json.dumps({"text": "small"}), json.dumps({"text": "y"})],
    )
    items = list(iter_articles([path], max_bytes=100))
    assert isinstance(items[0], Problem) and items[0].line == 1 and "too large" in items[0].reason
    assert [a.id for a in articles(items)] == ["c.jsonl#2", "c.jsonl#3"]


def test_jsonl_bom_and_bad_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "one"}\n{"text": "caf\xe9"}\n{"text": "three"}\n')
    items = list(iter_articles([path]))
    assert [type(i).__name__ for i in items] == ["Article", "Problem", "Article"]
    assert items[1].line == 2 and "UTF-8" in items[1].reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty article"),
        (b"\n\n  \n", "empty article"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file, not text"),
        (
            '{"text": "x"}\n'.encode("utf-16"),
            "JSON Lines must be UTF-8 (this file is UTF-16 or UTF-32)",
        ),
    ],
)
def test_jsonl_whole_file_problems(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(data)
    assert list(iter_articles([path])) == [Problem(str(path), reason)]


def test_bbc_sized_jsonl_is_streamed_not_rejected(tmp_path: Path) -> None:
    line = json.dumps({"text": "Body text. " * 100})
    path = write_jsonl(tmp_path / "big.jsonl", [line] * 50)
    assert os.path.getsize(path) > 20_000
    assert len(articles(list(iter_articles([path], max_bytes=20_000)))) == 50


# ---------------------------------------------------------------- HTML
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Zelensky invites Xi to Ukraine | Example News</title>
<meta property="og:title" content="Zelensky invites Xi to Ukraine">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe; John Roe">
<meta property="article:published_time" content="2023-03-29T10:00:00Z">
<link rel="canonical" href="https://example.com/world/zelensky-xi">
<style>body { font-family: sans-serif }</style>
<script>var tracking = "do not extract me";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Zelensky invites Xi to Ukraine</h1>
<p class="byline">By Jane Doe and John Roe</p>
<p>Ukrainian President Volodymyr Zelensky has invited Chinese President Xi Jinping to visit
Ukraine, saying he wants to speak with him directly about the war.</p>
<p>“We are ready to see him here,” Zelensky told the Associated Press in an interview in Kyiv.
“I want to speak with him.”</p>
<figure><img src="a.jpg"><figcaption>Zelensky in Kyiv (Efrem Lukatsky/AP)</figcaption></figure>
<p>China has provided Russia diplomatic cover by staking out an official position of neutrality
in the war, and Xi visited Putin in Moscow last week.</p>
</article>
<section id="comments"><h2>Comments</h2><p>Comments are closed.</p></section>
<footer>Copyright 2021 Example News. All rights reserved.</footer>
</body></html>
"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "news" / "page.html"
    path.parent.mkdir()
    path.write_text(PAGE, encoding="utf-8")
    art = read_one(tmp_path)
    assert isinstance(art, Article), art
    assert art.id == "news/page.html"
    assert art.title == "Zelensky invites Xi to Ukraine"
    assert art.date == "2023-03-29"
    assert art.authors == ("Jane Doe", "John Roe")
    assert art.publisher == "Example News"
    assert art.url == "https://example.com/world/zelensky-xi"
    check_spans(art)
    text = art.masked_text()
    assert "“We are ready to see him here,” Zelensky told the Associated Press" in text
    assert "Xi visited Putin in Moscow last week." in text
    for gone in ("do not extract me", "font-family", "Home", "Comments are closed", "Copyright"):
        assert gone not in text
    assert "Efrem Lukatsky" not in text


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text(
        "<html><head><style>p{color:red}</style><script>var x = 'hidden text';</script></head>"
        "<body><script>document.write('more hidden text')</script></body></html>"
    )
    assert read_one(path) == Problem(str(path), "no article text found")


def test_html_parse_is_pure() -> None:
    art = parse_html_article(PAGE, "p", "p.html")
    assert isinstance(art, Article) and art.id == "p" and art.source == "p.html"
    assert isinstance(parse_html_article("<<<>>>", "p", "p"), Problem)


def test_read_article_text_refuses_jsonl(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [json.dumps({"text": "x"})])
    result = read_article_text(path, tmp_path)
    assert isinstance(result, Problem)


def test_span_type() -> None:
    art = parse_text_article("**Bold** text.", "t", "t")
    assert art.furniture == (Span(0, 2), Span(6, 8))


# ---------------------------------------------------------------- annotated news (when present)
EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC"}


@pytest.mark.parametrize("name", ["polnear_dev.jsonl", "ecbplus_dev.jsonl"])
def test_furniture_never_hides_annotated_quotes_or_names(name: str) -> None:
    """On real annotated news, no gold quote or named mention loses a character to masking."""
    path = EVAL / name
    if not path.exists():
        pytest.skip(f"{path} not present (development data, not shipped)")
    hits = []
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    arts = list(iter_jsonl_articles(path, EVAL))
    assert len(arts) == len(records)
    for record, art in zip(records, arts, strict=True):
        assert isinstance(art, Article) and art.text == record["text"]
        mask = art.masked_text()
        spans = list(record.get("quotes", []))
        spans += [e for e in record.get("entities", []) if e["label"] in _NAMED]
        for gold in spans:
            start, end = gold["start"], gold["end"]
            before = re.findall(r"\w", _URLS.sub("", art.text[start:end]))
            if before != re.findall(r"\w", mask[start:end]):
                hits.append((record["id"], gold["text"][:60]))
    assert hits == []
