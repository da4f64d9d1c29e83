"""Token attributes of a parsed Doc as plain lists, read once from its arrays and kept on the Doc.

spaCy makes a new Python ``Token`` on every ``doc[i]`` and every step of ``for token in doc``;
over a whole article that is most of what extraction costs. A stage that scans every token
reads these columns instead, and makes Tokens only for the few it looks at closely.

Each column is cached in ``doc.user_data`` (as ``kg.attribution`` caches the doc's text and
sentences) and read again if the doc's length changed.
"""

from __future__ import annotations

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


def _strings(doc: Doc, attr: str) -> list[str]:
    if not len(doc):
        return []
    values = doc.to_array(attr).tolist()
    store = doc.vocab.strings  # it names the part-of-speech symbols too ("VERB", "" for none)
    names = {value: store[value] for value in set(values)}
    return [names[value] for value in values]
