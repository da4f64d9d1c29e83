"""Token attributes of a parsed Doc as plain lists, read once from its arrays and kept on the Doc.

spaCy makes a new Python ``Token`` on every ``doc[i]`` and every step of ``for token in doc``;
over a whole article that is most of what extraction costs. A stage that scans every token
reads these columns instead, and makes Tokens only for the few it looks at closely.

Each column is cached in ``doc.user_data`` (as ``kg.attribution`` caches the doc's text and
sentences) and read again if the doc's length changed. The strings behind the numbers are looked
up once per process, not once per doc (``_NAMES``).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


def strings(doc: Doc, attr: str) -> list[str]:
    """A string attribute of every token, by its spaCy attribute name: "ORTH" (``token.text``),
    "LOWER", "LEMMA", "TAG", "DEP", "ENT_TYPE" (``token.lower_`` ...) or "POS" (``token.pos_``)."""
    key = f"kg.strings.{attr}"
    column = doc.user_data.get(key)
    if column is None or len(column) != len(doc):
        column = doc.user_data[key] = _strings(doc, attr)
    return column


def numbers(doc: Doc, attr: str) -> list[int]:
    """A number or flag of every token: "IDX" (``token.idx``), "IS_ALPHA", "IS_SPACE",
    "IS_PUNCT", "IS_STOP" (0 or 1), "SENT_START" (1 where ``token.is_sent_start``)."""
    key = f"kg.numbers.{attr}"
    column = doc.user_data.get(key)
    if column is None or len(column) != len(doc):
        values = doc.to_array(attr).astype("int64").tolist() if len(doc) else []
        column = doc.user_data[key] = values
    return column


# A StringStore's number -> string: a symbol's fixed id ("VERB"; 0 for "") or the hash of the
# string, so the same in every store. Looking a number up in a store makes a new str each time:
# most of what reading a column cost. Cleared when it grows past _MAX_NAMES.
_NAMES: dict[int, str] = {}
_MAX_NAMES = 1_000_000


def _strings(doc: Doc, attr: str) -> list[str]:
    if not len(doc):
        return []
    values = doc.to_array(attr).tolist()
    try:
        return list(map(_NAMES.__getitem__, values))
    except KeyError:  # a number not looked up yet
        _learn_names(doc, values)
        return list(map(_NAMES.__getitem__, values))


def _learn_names(doc: Doc, values: list[int]) -> None:
    """Put every one of ``values`` in ``_NAMES``."""
    missing = set(values).difference(_NAMES)
    if len(_NAMES) + len(missing) > _MAX_NAMES:
        _NAMES.clear()
        missing = set(values)
    store = doc.vocab.strings  # it names the part-of-speech symbols too ("VERB", "" for none)
    _NAMES.update({value: store[value] for value in missing})


def token_range(doc: Doc, start_char: int, end_char: int, *, expand: bool = False) -> range | None:
    """The tokens ``doc.char_span(start_char, end_char)`` holds, without making the Span: by
    default None unless both ends fall on token edges; with ``expand``, every token the
    characters touch (``alignment_mode="expand"``)."""
    starts, ends = _token_edges(doc)
    start, end = starts.get(start_char), ends.get(end_char)
    if start is not None and end is not None:
        return range(start, end + 1)
    if not expand:
        return None
    idx, texts = numbers(doc, "IDX"), strings(doc, "ORTH")
    start, end = _token_at(doc, start_char), _token_at(doc, end_char - 1)
    if start < 0 or end < 0:
        return None
    if start_char == idx[start] + len(texts[start]):
        start += 1  # the range starts in the whitespace after that token
    return range(start, end + 1)


def _token_edges(doc: Doc) -> tuple[dict[int, int], dict[int, int]]:
    """Character -> the token that starts there, and -> the token that ends there; once per
    doc (the dicts are shared: read them, never change them)."""
    cached = doc.user_data.get("kg.token_edges")
    if cached is not None and cached[0] == len(doc):
        return cached[1], cached[2]
    idx, texts = numbers(doc, "IDX"), strings(doc, "ORTH")
    starts = {char: i for i, char in enumerate(idx)}
    ends = {char + len(text): i for i, (char, text) in enumerate(zip(idx, texts))}
    doc.user_data["kg.token_edges"] = (len(doc), starts, ends)
    return starts, ends


def _token_at(doc: Doc, char: int) -> int:
    """The token whose text or trailing whitespace holds character ``char``, else -1 (spaCy's
    ``token_by_char``; tokens follow one another with no gap)."""
    idx = numbers(doc, "IDX")
    i = bisect_right(idx, char) - 1
    if i < 0 or char >= idx[-1] + len(strings(doc, "ORTH")[-1]) + numbers(doc, "SPACY")[-1]:
        return -1
    return i
