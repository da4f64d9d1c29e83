"""kg.link_base: CorpusWords answers as the one-pass-per-question helpers of kg.names do."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg import names
from kg.link_base import CorpusWords

# letters of several scripts and cases, digits (ASCII and not), underscores, apostrophes, marks
_ALPHABET = "aAbBzZéÉßİıΣσςЖж_0٣'’ -.\n\u0307"
texts = st.lists(st.text(alphabet=_ALPHABET, max_size=40), max_size=5)


def _wanted(texts: list[str]) -> set[str]:
    """Every lower-cased letter run of the texts, and a word they never hold."""
    words = {w.lower() for text in texts for w in names._LETTER_RUN.findall(text)}
    return words | {w[:-1] for w in words if len(w) > 1} | {"absent"}


@settings(max_examples=400, deadline=None)
@given(texts)
@example(["The Times said", "in times of war", "COLTS 2x", "co2 don't İstanbul ΟΔΟΣ’Α"])
def test_corpus_words_as_names(texts: list[str]) -> None:
    wanted = _wanted(texts)
    corpus = CorpusWords(texts)
    assert corpus.written_in_lower_case(wanted) == names.written_in_lower_case(texts, wanted)
    assert corpus.case_counts(wanted) == names.case_counts(texts, wanted)
