"""Metadata and furniture found in the text of a scraped article (pure functions, no I/O).

``parse_text_article`` reads a plain-text or Markdown article and returns an ``Article`` whose
``furniture`` spans mark everything that is not article prose: Markdown markup (heading marks,
emphasis marks, link brackets and targets, images, URLs), embedded-tweet chrome
(``pic.twitter.com`` links, ``t.co`` links, the "— Name (@handle) date" attribution line), photo
captions and credits, "Last updated"/"Published" lines, comment notices, category/tag/related
footers, bylines and a publisher line. Furniture is masked (see ``Article.masked_text``), never
cut out, so offsets into ``Article.text`` stay honest. Article prose is never masked: a rule
that is not sure leaves the text alone.

The metadata the page gives is kept: title (first Markdown heading, else a short first line),
date (``parse_date``; "Date Created", "Published", "Last updated" and bylines), authors (bylines,
``parse_byline``) and publisher (a short outlet-name line before the title).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.records import Article, Span
from kg.textmeta import find_date, is_date_line, lexicon, parse_byline

# ---------------------------------------------------------------- inline markup
_TAG = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'<>]+))?)*\s*/?>"
)
# (kind, literals, pattern): a pattern runs only on a line holding one of its literals (most
# lines hold none, and a substring test is far cheaper than a regex scan).
_INLINE_RES = (  # order matters: each pass sees the text left by the previous ones
    ("whole", ("<",), re.compile(r"<!--.*?-->")),
    (
        "whole",
        ("![",),
        re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"),
    ),  # image
    ("whole", ("<",), re.compile(r"<(?:https?://|mailto:|www\.)[^<>\s]+>")),  # autolink
    (
        "link",
        ("[",),
        re.compile(r"(\[)([^\[\]\n]*)(\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|\]\[[^\]\n]*\])"),
    ),
    (
        "whole",
        ("http", "www."),
        re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+[^\s<>\"'\]).,;:!?]"),
    ),
    ("whole", ("/",), re.compile(r"\b(?:pic\.twitter\.com|t\.co)/\w+")),
    ("whole", ("<",), _TAG),  # stray HTML tags
    ("marks", ("*",), re.compile(r"(?<![\w*])(\*\*)(?=[^\s*])[^\n]*?[^\s*](\*\*)(?![\w*])")),
    ("marks", ("_",), re.compile(r"(?<![\w_])(__)(?=[^\s_])[^\n]*?[^\s_](__)(?![\w_])")),
    ("marks", ("*",), re.compile(r"(?<![\w*])(\*)(?=[^\s*])[^*\n]*?[^\s*](\*)(?![\w*])")),
    ("marks", ("_",), re.compile(r"(?<![\w_])(_)(?=[^\s_])[^_\n]*?[^\s_](_)(?![\w_])")),
    ("whole", (">",), re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")),  # blockquote marks
    ("heading", ("#",), re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)|(?<=\S)[ \t]+#+[ \t]*$")),
    ("whole", ("-", "*", "+", "•"), re.compile(r"^[ \t]*[-*+•][ \t]+")),  # bullets
)
_NEEDLES = frozenset(n for _, needles, _ in _INLINE_RES for n in needles)
_URLISH = re.compile(r"^\s*(?:https?://|www\.|pic\.twitter\.com/|t\.co/|@?\s*$)")


def _inline_spans(line: str) -> tuple[list[tuple[int, int]], str]:
    """Character ranges of ``line`` that are markup (relative to the line), and the line with
    those ranges blanked out."""
    work = line
    spans: list[tuple[int, int]] = []
    heading = bool(_HEADING.match(line))
    present = {n for n in _NEEDLES if n in line}  # blanking never adds one to ``work``
    for kind, needles, pattern in _INLINE_RES:
        if kind == "heading" and not heading or present.isdisjoint(needles):
            continue
        if not any(n in work for n in needles):
            continue
        found: list[tuple[int, int]] = []
        for m in pattern.finditer(work):
            if kind in ("whole", "heading"):
                found.append(m.span())
            elif kind == "marks":
                found += [m.span(1), m.span(2)]
            elif _URLISH.match(m.group(2)):  # link whose text is a URL (or nothing)
                found.append(m.span())
            else:
                found += [m.span(1), m.span(3)]
        for a, b in found:
            if b > a:
                spans.append((a, b))
                work = work[:a] + " " * (b - a) + work[b:]
    return spans, work


def plain(line: str) -> str:
    """``line`` without its Markdown markup, spaces collapsed (for classifying lines).

    >>> plain("## **Date Created** [link](#) ![x](y.png)")
    'Date Created link'
    """
    return " ".join(_inline_spans(line)[1].split())


# ---------------------------------------------------------------- whole-line rules
_NOTICES = re.compile(
    r"(?i)^(?:sorry,? (?:but )?we are (?:not|no longer) accepting comments"
    r"(?: on this (?:article|story|post))?|comments (?:are|have been) (?:now )?"
    r"(?:closed|disabled|turned off|switched off)(?: (?:for|on) this (?:article|story|post))?"
    r"|comments? (?:on|for) this (?:article|story|post) (?:are|is|have been|has been) "
    r"(?:closed|disabled|turned off)|commenting (?:is|has been) (?:closed|disabled|turned off)"
    r"(?: (?:for|on) this (?:article|story|post))?|(?:this (?:article|story) is )?closed (?:for|to)"
    r" comments|(?:leave|post|add|write) a (?:comment|reply)|(?:show|view|load|see|read|hide) "
    r"(?:all )?(?:\d+ )?comments?|\d+ comments?|join the (?:conversation|discussion)|be the first"
    r" to comment|advertisement|story continues below(?: advertisement)?|continue reading(?: below)?"
    r"|(?:share|tweet|email|e-mail|print)(?: this(?: article| story| page)?)?(?: on [\w ]+)?"
    r"|click to (?:share|email|print).*|sign up (?:for|to) .*newsletter.*|subscribe(?: now)?"
    r"(?: to [\w ]+)?|follow us on [\w ,]+|skip to (?:main )?content|listen to this article.*"
    r"|\d+ min(?:ute)?s? read|\d+ (?:minutes?|hours?|days?) ago"
    r"|(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4}).*"
    r"|all rights reserved|this material may not be published, broadcast, rewritten,? or "
    r"redistributed(?: without permission)?|our standards: .*trust principles"
    r"|\((?:additional )?(?:reporting|writing|editing) by [^()]*\)"
    r"|(?:additional )?reporting by [^();.]*; (?:additional )?(?:writing|editing) by [^()]*)[.!]?$"
)
_TWEET_ATTRIBUTION = re.compile(r"^\s*(?:[—–―]|-{1,2})\s*[^\n]{0,80}?\(@\w{1,15}\)(?P<rest>.*)$")
# a live blog's post header, glued by the page's markup: "Julia CravenFlagShareLikeReplyAni
# Vrabel 5ptsmoderatorFeaturedFebruary 6, 2016 10:57PM" before the post's own headline, and
# its "FlagShareLikeReplyShow More Posts" footer (HuffPost's live blogs)
_LIVE_BLOG_CHROME = re.compile(
    r"^[^\n]{0,80}?FlagShareLikeReply(?:[^\n]{0,120}?\d{1,2}:\d{2}\s?[AP]M|Show More Posts\.?)"
)
# the same header glued after a photo caption: from the author's name (if glued) onwards
_LIVE_BLOG_GLUED = re.compile(
    r"(?:[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3})?FlagShareLikeReply[^\n]{0,120}?\d{1,2}:\d{2}\s?[AP]M"
)
_EMBED_CHROME = re.compile(r"(?i)^(?:a post shared by .*\(@[\w.]+\)|view this post on instagram)")
_CAPTION_PREFIX = re.compile(
    r"(?i)^\(?(?:(?:main |top |lead |header )?(?:photo|photograph|picture|pic|image|video)"
    r"(?: credit| caption)?s?\s*(?::|by\b|/)|credits?\s*:|caption\s*:|getty images\b"
    r"|(?:ap|afp|reuters|epa|pa) (?:photo|images?)\b|source: getty)"
)
_CREDIT = re.compile(r"\((?P<c>[^()\n]{2,90})\)\s*$")
_PHOTO_END = re.compile(
    r"(?i)\b(?:getty(?: images)?|shutterstock|alamy(?: stock photo)?|istock(?:photo)?|nurphoto"
    r"|sipa usa|anadolu agency|(?:ap|afp|pa|epa|reuters|bloomberg) (?:photo|images|pictures))$"
)
_PHOTO_SIDE = re.compile(r"(?i)^(?:[\w.&-]+ )?(?:photos?|images|pictures)$")
_CREDIT_TAIL = re.compile(r"(?i),\s*(?:file|pool|handout)$")
_CREDIT_WORDS = frozenset(
    ["via", "de", "van", "von", "da", "di", "der", "la", "le", "del", "and", "of", "the", "for"]
)
_HR = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:=\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+")
_LINK_ONLY = re.compile(r"^\s*(?:[-*+•]\s+)?!?\[[^\]\n]*\]\([^\n]*\)\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_DATE_LABEL = re.compile(
    r"(?i)^(?P<label>date created|date published|publication date|published date|first published"
    r"|published(?: on| at)?|posted(?: on| at)?|created(?: on)?|date|last updated(?: on| at)?"
    r"|updated(?: on| at)?|last modified|modified)\s*:?\s*(?P<rest>.*)$"
)
_LABEL_LIST = re.compile(
    r"(?i)^(?:tags?|topics?|categor(?:y|ies)|filed under|keywords|related topics|more on|"
    r"sections?)\s*:\s*(?P<items>.{1,300}?)\.?$"
)
_SENTENCE_END = re.compile(r"[.!?:;,\"”’'…)\]]\s*$")


def _is_credit(line: str) -> bool:
    """Does ``line`` end with a parenthesized photo credit such as "(Efrem Lukatsky/AP)"?

    The credit must name a photo agency or say "photo"/"image", so that "(GBP/USD)" or
    "(Life Begins/Von Trapped, ITV1)" at the end of prose is not mistaken for one.
    """
    m = _CREDIT.search(line)
    if not m:
        return False
    credit = _CREDIT_TAIL.sub("", m.group("c").strip(" ."))
    if _CAPTION_PREFIX.match(credit) or _PHOTO_END.search(credit):
        return True
    sides = [side.strip(" .") for side in credit.split("/")]
    if len(sides) < 2 or not all(sides):
        return False
    agencies = lexicon().agencies
    return any(side.lower() in agencies or _PHOTO_SIDE.match(side) for side in sides) and all(
        len(side.split()) <= 6
        and all(w[0].isupper() or w.lower() in _CREDIT_WORDS for w in side.split())
        for side in sides
    )


def _is_title_like(text: str, max_words: int = 30) -> bool:
    return (
        0 < len(text.split()) <= max_words
        and len(text) <= 250
        and any(c.isalpha() for c in text)
        and not text.rstrip().endswith((".", ",", ";", ":"))
    )


def _is_publisher_name(text: str) -> bool:
    lex = lexicon()
    low = text.lower()
    if low in lex.publishers:
        return True
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 40 or re.search(r"[.!?:;,\"“”()]", text):
        return False
    if not all(w[0].isupper() or w[0].isdigit() or w in ("&", "and", "of", "the") for w in words):
        return False
    return "&" in words or words[-1].lower() in lex.outlet_words


# ---------------------------------------------------------------- the scan
@dataclass
class _Line:
    index: int
    start: int
    end: int
    raw: str
    plain: str
    heading: bool
    full: bool = False  # the whole line is furniture
    inline: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Meta:
    dates: list[tuple[int, int, str]] = field(default_factory=list)  # (priority, line, iso)
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    title: str | None = None

    def add_date(self, priority: int, line: int, iso: str | None) -> None:
        if iso:
            self.dates.append((priority, line, iso))


_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S")
_BOLD_ONLY = re.compile(r"^\s*(?:\*\*|__)[^*_\n]+(?:\*\*|__)\s*:?\s*$")


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for i, raw in enumerate(text.split("\n")):
        inline, work = _inline_spans(raw)
        heading = bool(_HEADING.match(raw))
        lines.append(
            _Line(i, start, start + len(raw), raw, " ".join(work.split()), heading, inline=inline)
        )
        start += len(raw) + 1
    return lines


def _next_content(lines: list[_Line], i: int, limit: int = 3) -> _Line | None:
    """The next non-blank line after ``lines[i]``, if it comes within ``limit`` lines."""
    for line in lines[i + 1 : i + 1 + limit]:
        if line.plain:
            return line
    return None


def _label_of(line: _Line) -> str:
    return line.plain.rstrip(":").strip().lower()


def _footer_block(lines: list[_Line], i: int) -> None:
    """Mask a footer label (Category, Tags, Related, ...) and the list that follows it."""
    lines[i].full = True
    for line in lines[i + 1 :]:
        if not line.plain:
            continue
        short = len(line.plain.split()) <= 8 and not _SENTENCE_END.search(line.plain)
        labelled = _label_of(line) in lexicon().footer_labels or _DATE_LABEL.match(line.plain)
        link_only = bool(_LINK_ONLY.match(line.raw))
        if labelled or not (_LIST_ITEM.match(line.raw) or short or link_only or not _words(line)):
            return
        line.full = True


def _words(line: _Line) -> list[str]:
    return [w for w in line.plain.split() if any(c.isalnum() for c in w)]


def _date_label(lines: list[_Line], i: int, meta: _Meta) -> bool:
    """Mask "Date Created", "Published <date>" and "Last updated" lines; keep the date."""
    m = _DATE_LABEL.match(lines[i].plain)
    if not m:
        return False
    label, rest = m.group("label").lower(), m.group("rest")
    priority = 2 if ("updated" in label or "modified" in label) else 1
    if rest:  # "Published: March 29, 2023"
        iso = is_date_line(rest)
        if iso is None:
            return False
        meta.add_date(priority, i, iso)
    else:  # "Date Created" (the date on the next line), or a bare "Last updated"
        nxt = _next_content(lines, i)
        iso = is_date_line(nxt.plain) if nxt is not None else None
        if label == "date" and iso is None and not _is_label_form(lines[i]):
            return False  # a line saying just "Date" is a label only before a date
        if nxt is not None and iso is not None:
            nxt.full = True
            meta.add_date(priority, i, iso)
    lines[i].full = True
    return True


def _is_label_form(line: _Line) -> bool:
    """A heading, a line all in bold, or a line ending with a colon: how pages write labels."""
    return bool(line.heading or _BOLD_ONLY.match(line.raw) or line.plain.endswith(":"))


def _line_rules(lines: list[_Line], meta: _Meta) -> None:
    lex = lexicon()
    for line in lines:
        text, i = line.plain, line.index
        if line.full or not text:
            continue
        if "FlagShareLikeReply" in line.raw and (
            chrome := _LIVE_BLOG_CHROME.match(line.raw) or _LIVE_BLOG_GLUED.search(line.raw)
        ):
            line.inline.append((chrome.start(), chrome.end()))
            if not line.raw[chrome.end() :].strip():
                line.full = True
            continue
        label = _label_of(line)
        if label in lex.footer_labels:
            _footer_block(lines, i)
        elif _is_label_list(text) or (label in lex.heading_labels and _is_label_form(line)):
            line.full = True
        elif _date_label(lines, i, meta):
            pass
        elif (
            _is_tweet_attribution(text)
            or _NOTICES.match(text)
            or _EMBED_CHROME.match(text)
            or _CAPTION_PREFIX.match(text)
            or _HR.match(line.raw)
            or _REF_DEF.match(line.raw)
        ):
            line.full = True
        elif iso := is_date_line(text):
            line.full = True
            meta.add_date(3, i, iso)
        elif (byline := parse_byline(text)) is not None:
            line.full = True
            meta.authors = meta.authors or byline[0]
            meta.add_date(1, i, byline[1])


def _is_label_list(text: str) -> bool:
    """Is ``text`` a label and a short list of terms ("Tags: Ukraine, Russia")?"""
    m = _LABEL_LIST.match(text)
    if not m:
        return False
    items = [item.strip() for item in re.split(r"[,;|•·]", m["items"])]
    return all(0 < len(item.split()) <= 5 and not _SENTENCE_END.search(item) for item in items)


def _is_tweet_attribution(text: str) -> bool:
    """Is ``text`` the line under an embedded tweet: "— Name (@handle) March 29, 2023"?"""
    m = _TWEET_ATTRIBUTION.match(text)
    return m is not None and (not m["rest"].strip() or find_date(m["rest"]) is not None)


def _caption_rules(lines: list[_Line]) -> None:
    for line in lines:
        if line.full or not line.plain or not _is_credit(line.plain):
            continue
        line.full = True
        prev = lines[line.index - 1] if line.index else None
        if (
            prev is not None
            and prev.plain
            and not (prev.full or prev.heading)
            and _is_title_like(prev.plain, max_words=12)
            and not _SENTENCE_END.search(prev.plain)
        ):
            prev.full = True


def _title_and_publisher(lines: list[_Line], meta: _Meta) -> None:
    content = [line for line in lines if line.plain and not line.full]
    if not content:
        return
    first = content[0]
    if len(content) > 1 and not first.heading and _is_publisher_name(first.plain):
        second = content[1]
        separate = second.index > first.index + 1 or second.heading
        if separate and _is_title_like(second.plain):
            meta.publisher = first.plain
            first.full = True
            content = content[1:]
    head = content[0]
    nxt = lines[head.index + 1] if head.index + 1 < len(lines) else None
    own_paragraph = nxt is None or not nxt.plain or nxt.full or nxt.heading
    if head.heading or (own_paragraph and _is_title_like(head.plain)):
        meta.title = head.plain


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        elif b > a:
            out.append([a, b])
    return tuple(Span(a, b) for a, b in out)


def _scan_text(text: str) -> tuple[tuple[Span, ...], _Meta]:
    """Furniture spans of ``text`` and the metadata found in it."""
    lines = _split_lines(text)
    meta = _Meta()
    _line_rules(lines, meta)
    _caption_rules(lines)
    _title_and_publisher(lines, meta)
    spans: list[tuple[int, int]] = []
    for line in lines:
        if line.full:
            spans.append((line.start, line.end))
        else:
            spans.extend((line.start + a, line.start + b) for a, b in line.inline)
    return _merge(spans), meta


def parse_text_article(text: str, id: str, source: str) -> Article:
    """An ``Article`` from plain text or Markdown: metadata from the text, furniture masked.

    >>> art = parse_text_article("Express & Star\\n\\nA headline here\\n\\nBody text.", "a", "a")
    >>> art.publisher, art.title, art.masked_text().strip()
    ('Express & Star', 'A headline here', 'A headline here\\n\\nBody text.')
    """
    furniture, meta = _scan_text(text)
    date = min(meta.dates)[2] if meta.dates else None
    return Article(
        id=id,
        source=source,
        text=text,
        title=meta.title,
        date=date,
        authors=meta.authors,
        publisher=meta.publisher,
        furniture=furniture,
    )
