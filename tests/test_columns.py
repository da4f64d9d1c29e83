"""kg.columns: token columns and character ranges read without spaCy objects, as spaCy reads them."""

from __future__ import annotations

import pytest

from kg import columns
from kg.attribution import sentence_bounds, sentence_start

TEXTS = [
    "  Hello  world.\n\nMr. Smith said “yes”, he did.  ",
    "Donald Trump's  campaign\n said: ok ",
    "A",
    " ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_token_range_is_char_span(nlp, text):
    doc = nlp(text)
    for start in range(-1, len(text) + 2):
        for end in range(start + 1, len(text) + 2):
            for mode in ("strict", "expand"):
                span = doc.char_span(start, end, alignment_mode=mode)
                want = None if span is None else range(span.start, span.end)
                assert columns.token_range(doc, start, end, expand=mode == "expand") == want


@pytest.mark.parametrize("text", TEXTS)
def test_sentences_are_doc_sents(nlp, text):
    doc = nlp(text)
    assert sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]
    assert [sentence_start(doc, t.i) for t in doc] == [t.sent.start for t in doc]


def test_strings_are_token_attributes(nlp):
    doc = nlp(TEXTS[0])
    assert columns.strings(doc, "ORTH") == [t.text for t in doc]
    assert columns.strings(doc, "POS") == [t.pos_ for t in doc]
    assert columns.strings(doc, "ENT_TYPE") == [t.ent_type_ for t in doc]


def test_strings_after_the_names_are_cleared(nlp, monkeypatch):
    doc = nlp("Zelensky met Putin in Kyiv.")
    monkeypatch.setattr(columns, "_MAX_NAMES", 3)
    monkeypatch.setattr(columns, "_NAMES", {})
    assert columns._strings(doc, "ORTH") == [t.text for t in doc]
    assert columns._strings(doc, "LEMMA") == [t.lemma_ for t in doc]


def test_marks_of_tokens(nlp):
    from kg.attribution import marks_of_tokens, quote_marks

    doc = nlp('He said: "We are ready." Then “more,” she added, “and more.” Done.')
    spans, _ = quote_marks(doc)
    want = [
        next((k for k, s in enumerate(spans) if s.start <= t.idx < s.end), None) for t in doc
    ]
    assert marks_of_tokens(doc) == want
    assert {k for k in want if k is not None} == {0, 1, 2}
