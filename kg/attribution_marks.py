"""Quote marks: pair them into the spans they enclose, never raising on odd or unbalanced marks.

Double marks of every common style are read: curly (“ ”), low-high („ “), guillemets (« »),
straight ("), and the typewriter pairs of newswire text (``...'' and ''...''). A quote that runs
over several paragraphs reopens at each one and closes only at the end. An article that uses no
double marks at all is read in British style: ‘single’ marks pair when they open at the start of
a word and close at the end of one, so that apostrophes (don't, Zelensky's, the '90s, leaders')
are left alone. An unbalanced mark is reported (offset and reason) and the rest is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = frozenset("“„«")
CLOSERS = frozenset("”»")
# ``|''|[“”„«»"], written to open with a character set: the regex engine then skips ahead to
# the next candidate character instead of trying the alternatives at every offset (2.5x faster)
DOUBLE_RE = re.compile(r"[`'“”„«»\"](?:(?<=`)`|(?<=')'|(?<=[“”„«»\"]))")
SINGLE_RE = re.compile(r"[‘’']")
_LEFT_OF_OPENER = frozenset(" \t\n([{—–-/:;,\u00a0") | {""}


@dataclass(frozen=True)
class MarkedSpan:
    """Text between a pair of quote marks: ``start``/``end`` exclude the marks,
    ``outer_start``/``outer_end`` include them."""

    start: int
    end: int
    outer_start: int = -1
    outer_end: int = -1


def find_quote_marks(text: str) -> tuple[list[MarkedSpan], list[str]]:
    """Pair quote marks; return the spans inside them and one line per unbalanced mark.

    >>> spans, problems = find_quote_marks('He said: “We are ready.” Then “more')
    >>> [('He said: “We are ready.” Then “more')[s.start:s.end] for s in spans], problems
    (['We are ready.'], ['unclosed quote mark at offset 30'])
    >>> spans, _ = find_quote_marks('“One.\\n\\n“Two.”')
    >>> len(spans), spans[0].start, spans[0].end
    (1, 1, 12)
    >>> text = "''I'm waiting,'' she said. ‘Not this’ isn't one."
    >>> [text[s.start:s.end] for s in find_quote_marks(text)[0]]
    ["I'm waiting,"]
    >>> text = "‘We are ready,’ he said. Zelensky's 'plan' and the leaders' talks."
    >>> [text[s.start:s.end] for s in find_quote_marks(text)[0]]
    ['We are ready,', 'plan']
    """
    marks = [(m.start(), m.end()) for m in DOUBLE_RE.finditer(text)]
    if marks:
        return _pair(text, marks, _double_role)
    singles = [(m.start(), m.end()) for m in SINGLE_RE.finditer(text)]
    spans, _ = _pair(text, singles, _single_role)
    return spans, []  # a lone single mark is an apostrophe more often than not


def _double_role(text: str, start: int, end: int) -> str:
    """A curly mark's side, corrected by where it stands: a typeset "”" opening a paragraph
    ('\n”Mr. Trump ...') opens, a "“" glued to the end of a word ('done.“ He') closes.

    >>> [_double_role(t, 1, 2) for t in ("\\n”Mr", " ”.", "a“ ", " “W", ' "W', 'a" ')]
    ['open', 'close', 'close', 'open', 'either', 'close']
    """
    mark = text[start:end]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if mark in CLOSERS and (before.isspace() or before in "([") and after.isalnum():
        return "open"
    if mark in OPENERS and _glued_shut(before, after):
        return "close"
    if mark in OPENERS or mark == "``":
        return "open"
    if mark in CLOSERS:
        return "close"
    if mark == '"' and _glued_shut(before, after):
        # '..., I wanted a fight," says Mr Major': a quote it cannot close (the one it ended
        # was lost at a paragraph break) is reported, and the marks after it keep their pairs
        return "close"
    return "either"


def _glued_shut(before: str, after: str) -> bool:
    """Whether a mark between the characters ``before`` and ``after`` is glued to the words
    before it and to none after ('done.“ He', 'a fight," says'): it closes."""
    return not before.isspace() and before not in "([—–-/" and (
        after.isspace() or after in ",.;:!?)"
    )


def _single_role(text: str, start: int, end: int) -> str:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    opens = before in _LEFT_OF_OPENER and (after.isalpha() or after in '“"…')
    closes = bool(before) and not before.isspace() and not after.isalnum()
    if opens and text[end : end + 3].rstrip("s").isdigit():
        return "none"  # '90s
    if text[start] == "‘":
        return "open" if opens else "none"
    if closes and before in "sS" and after in " \n" and _looks_possessive(text, end):
        return "none"  # the leaders' talks
    return "close" if closes else "open" if opens else "none"


def _looks_possessive(text: str, end: int) -> bool:
    rest = text[end : end + 20].lstrip()
    return bool(rest[:1].islower()) and not rest.startswith(
        ("he ", "she ", "they ", "said", "says")
    )


def _pair(text: str, marks: list[tuple[int, int]], role_of) -> tuple[list[MarkedSpan], list[str]]:  # type: ignore[no-untyped-def]
    spans: list[MarkedSpan] = []
    problems: list[str] = []
    open_at: tuple[int, int] | None = None  # (outer start, inner start)
    last = 0  # end of the last mark of the open quote
    inner_until = -1  # marks up to this index belong to a quote nested in the open one
    for k, (start, end) in enumerate(marks):
        if k <= inner_until:
            continue
        role = role_of(text, start, end)
        if role == "none":
            continue
        if open_at is not None and "\n" in text[last:start]:
            if (
                role != "close"
                and _reopens(text, last, start)
                and _style(text[open_at[0]]) == _style(text[start])
            ):
                last = end
                continue  # the quote goes on in this paragraph
            problems.append(f"unclosed quote mark at offset {open_at[0]}")
            open_at = None
        if (
            role != "close"
            and open_at is not None
            and _reopens_inline(text, open_at[0], start, end)
        ):
            last = end
            continue  # '"We were confident. "We said ..."': the quote goes on
        if open_at is None:
            if role == "close":
                if role_of is _double_role:
                    problems.append(f"closing quote mark without an opening one at offset {start}")
                continue
            if role_of is _single_role and not _closer_ahead(text, marks, k, role_of):
                continue
            open_at, last = (start, end), end
        elif role != "close" and text[open_at[0]] == "„" and text[start:end] in '“"':
            spans.append(MarkedSpan(open_at[1], start, open_at[0], end))  # „German“
            open_at = None
        elif role == "open" and role_of is _double_role and (
            inner := _nested_close(text, marks, k, open_at[0])
        ):
            inner_until = inner  # '"He read the question: “As you know ...?” Yes."'
        elif role == "open" and role_of is _double_role and text[start:end] != "``":
            problems.append(f"unclosed quote mark at offset {open_at[0]}")
            open_at, last = (start, end), end
        elif role == "open":
            continue  # a nested single quote, or a stray opener inside
        else:
            if start > open_at[1]:
                spans.append(MarkedSpan(open_at[1], start, open_at[0], end))
            open_at = None
    if open_at is not None:
        problems.append(f"unclosed quote mark at offset {open_at[0]}")
    return spans, problems


def _style(mark: str) -> str:
    """The family of a double mark: a quote reopened in the next paragraph keeps its style."""
    return "straight" if mark == '"' else "typewriter" if mark in "`'" else "typeset"


def _nested_close(text: str, marks: list[tuple[int, int]], k: int, outer: int) -> int:
    """Inside a straight-quoted passage, a typeset “...” pair closed before the passage's own
    closing straight mark (in the same paragraph) is a quote within the quote: the index of its
    closing mark, else 0 (the straight mark was a stray, and “ opens a quote of its own). A
    typeset pair inside a typeset quote: ``_typeset_nested_close``."""
    line_end = _line_end(text, marks[k][1])
    if text[outer] == "“" and text[marks[k][0]] == "“":
        return _typeset_nested_close(text, marks, k, line_end)
    if text[outer] != '"' or text[marks[k][0]] == '"':
        return 0
    inner = 0
    for j in range(k + 1, len(marks)):
        start, end = marks[j]
        if start >= line_end:
            return 0
        if text[start] == '"':
            return inner
        if not inner and _double_role(text, start, end) == "close":
            inner = j
    return 0


def _typeset_nested_close(text: str, marks: list[tuple[int, int]], k: int, line_end: int) -> int:
    """ '“I live in what he calls “hell” than in a world where he is president.”': a typeset
    “...” inside a typeset quote, both closed in the same paragraph, two closers in a row: the
    index of the inner closing mark, else 0."""
    ahead = [(start, end) for start, end in marks[k + 1 :] if start < line_end][:2]
    if len(ahead) == 2 and all(_double_role(text, s, e) == "close" for s, e in ahead):
        return k + 1
    return 0


def _line_end(text: str, at: int) -> int:
    """Where the line holding offset ``at`` ends (the text's end for the last line)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _reopens(text: str, last: int, mark: int) -> bool:
    """True when ``mark`` opens the paragraph right after the one where the quote was last seen."""
    between = text[last:mark]
    return not between[between.find("\n") :].strip()


def _reopens_inline(text: str, outer: int, start: int, end: int) -> bool:
    """'"No-one was down. "We said we only had 11 points against us."': where a text lost its
    paragraph breaks, a mark of the open quote's style opening a sentence right after one of the
    quote's sentences ended reopens the quote, as the next paragraph of a long quote does."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before not in (" ", "\u00a0") or not (after.isalnum() or after in "'‘“`"):
        return False
    i = start - 1
    while i > 0 and text[i] in " \u00a0":
        i -= 1
    return text[i] in ".?!…" and _style(text[outer]) == _style(text[start])


def _closer_ahead(text: str, marks: list[tuple[int, int]], k: int, role_of) -> bool:  # type: ignore[no-untyped-def]
    """British style: an opener counts only when a closer follows in the same paragraph."""
    line_end = _line_end(text, marks[k][1])
    for start, end in marks[k + 1 :]:
        if start >= line_end:
            return False
        if role_of(text, start, end) == "close":
            return True
    return False
