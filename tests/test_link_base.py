"""kg.link_base: CorpusWords answers as the plain definitions below (one pass per question) do."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.link_base import CorpusWords, is_title_case

_LOWER_RUN = re.compile(r"\b[a-z]+\b")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def written_in_lower_case(texts: list[str], wanted: set[str]) -> set[str]:
    """Those of ``wanted`` (lower-case words) that ``texts`` write in lower case somewhere."""
    found: set[str] = set()
    for text in texts:
        found.update(w for w in _LOWER_RUN.findall(text) if w in wanted)
    return found


def case_counts(texts: list[str], wanted: set[str]) -> tuple[Counter[str], Counter[str]]:
    """How often ``texts`` write each of ``wanted`` in lower case, and how often otherwise."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        for word in _LETTER_RUN.findall(text):
            low = word.lower()
            if low in wanted:
                (lower if word == low else upper)[low] += 1
    return lower, upper


def test_the_definitions():
    found = written_in_lower_case(["The Times said", "in times of war"], {"times", "war", "said"})
    assert sorted(found) == ["said", "times", "war"]
    lower, upper = case_counts(["Colts win", "the colts, the COLTS"], {"colts"})
    assert (lower["colts"], upper["colts"]) == (1, 2)


# letters of several scripts and cases, digits (ASCII and not), underscores, apostrophes, marks
_ALPHABET = "aAbBzZéÉßİıΣσςЖж_0٣'’ -.\n\u0307"
texts = st.lists(st.text(alphabet=_ALPHABET, max_size=40), max_size=5)


def _wanted(texts: list[str]) -> set[str]:
    """Every lower-cased letter run of the texts, and a word they never hold."""
    words = {w.lower() for text in texts for w in _LETTER_RUN.findall(text)}
    return words | {w[:-1] for w in words if len(w) > 1} | {"absent"}


@settings(max_examples=400, deadline=None)
@given(texts)
@example(["The Times said", "in times of war", "COLTS 2x", "co2 don't İstanbul ΟΔΟΣ’Α"])
def test_corpus_words_as_names(texts: list[str]) -> None:
    wanted = _wanted(texts)
    corpus = CorpusWords(texts)
    assert corpus.written_in_lower_case(wanted) == written_in_lower_case(texts, wanted)
    assert corpus.case_counts(wanted) == case_counts(texts, wanted)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aAbBzZéÉßİıǅЖж_0٣'’-. ", max_size=60))
@example("Andrew Lopez Confesses To Crime")
@example("Star Esther Williams dies At 91")
def test_is_title_case_is_its_definition(line: str) -> None:
    """Three words or more of two letters or more, three in four of them capitalized."""
    words = [w for w in _LETTER_RUN.findall(line) if len(w) > 1]
    expected = len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)
    assert is_title_case(line) == expected
