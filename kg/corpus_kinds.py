"""Kinds the corpus corrects: a "person" the NER found that no reader would take for one.

The small model labels PERSON any two capitalized words it does not know: "Matanuska Maid" (a
dairy), "New Moon" (a film), "U. S. Marshal". Such a name has no given name that we know
(kg/data/given_names.tsv) and ends in a word the corpus itself writes in lower case as an
ordinary word ("maid", "moon", "marshal"), which a surname almost never is. This reduce step,
run on all extractions before linking (text only, no spaCy), makes those mentions organizations;
the linker's kind vote then sees them as such. People keep their kind whenever a known given
name stands in the name ("Harry Baker", "Tom Cook"), after titles are stripped ("Lady Gaga" is
"Gaga"), and whenever the last word is not a plain lower-case word of the corpus ("Ki-moon").
Pure: the same extractions give the same result in any order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from kg import names
from kg.link_base import CorpusWords
from kg.records import ArticleExtraction, Mention

LABEL = "ORG-COMMON-WORD"


def correct_person_kinds(
    extractions: Sequence[ArticleExtraction], corpus: CorpusWords | None = None
) -> list[ArticleExtraction]:
    """The extractions with "persons" named by a common word retyped as organizations;
    extractions that change nothing are returned as they are. ``corpus``: how the articles
    write each word, when the caller has counted it."""
    suspects: dict[str, tuple[str, str]] = {}  # mention text -> (first word, last word), lower case
    for ex in extractions:
        for m in ex.mentions:
            if m.kind == "person" and m.text not in suspects:
                words = _suspect_words(m)
                if words:
                    suspects[m.text] = words
    if not suspects:
        return list(extractions)
    wanted = {
        w for pair in suspects.values() for w in pair if len(w) >= 3
    }  # two-letter words never count
    if corpus is None:
        corpus = CorpusWords(ex.article.text for ex in extractions)
    common = corpus.written_in_lower_case(wanted)
    # "Matanuska Maid", not "Deep Throat" (a nickname of common words) nor "Joique Bell"
    retype = {
        text for text, (first, last) in suspects.items() if last in common and first not in common
    }
    out = []
    for ex in extractions:
        if any(m.kind == "person" and m.text in retype for m in ex.mentions):
            mentions = tuple(
                _retyped(m) if m.kind == "person" and m.text in retype else m for m in ex.mentions
            )
            ex = dataclasses.replace(ex, mentions=mentions)
        out.append(ex)
    return out


def _suspect_words(mention: Mention) -> tuple[str, str] | None:
    """(first, last) words, lower case, of a name of two or more capitalized words none of which
    is a known given name or an initial; None for anything else."""
    cleaned = names.clean_mention(mention.text, "person")
    words = cleaned.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    if any(names.is_given_name(w) or w.rstrip(".").isupper() for w in words):
        return None  # a given name or an initial ("J. D. Drew", "H. Rap Brown")
    first, last = words[0], words[-1]
    if not (last.isalpha() and last[1:].islower()):
        return None
    return first.lower(), last.lower()


def _retyped(mention: Mention) -> Mention:
    return dataclasses.replace(mention, kind="organization", label=LABEL)
