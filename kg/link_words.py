"""Linking: words the NER took for people (a headline's capitals: "Sheriff", "Catching Fire",
"Nominates Regina Benjamin"), judged by how often the corpus writes them in lower case."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from kg import names
from kg.link_base import CorpusWords, _Item, _retype, _surface, is_title_case, line_around
from kg.link_kinds import _person_words


def _drop_common_words(
    items: list[_Item], texts: dict[str, str], corpus: CorpusWords
) -> list[_Item]:
    """Words the NER took for people (a headline's capitals), judged by the corpus: a word is
    *common* when the corpus writes it in lower case at least as often as capitalized.

    - A one-word "person" (no honorific) that is common and nobody's given name or surname in
      the corpus ("Sheriff", "Riot", "Rehires") is linked to no entity.
    - A longer one opening with a common word, where neither of its first two words is a given
      name ("Catching Fire", "Drunk Driver", "Access Hollywood"), is a title or an organization.
    - Otherwise common words at its edges go: a leading one that is no given name, a trailing
      verb-like one ("Nominates Regina Benjamin", "Andrew Lopez Confesses", "Flips Bush"); when
      nothing but common words was left ("Driver Charged"), the mention links to nothing.
    """
    words_of: dict[int, list[str]] = {}
    for n, item in enumerate(items):
        if item.kind == "person" and item.label.startswith("PERSON") and item.start >= 0:
            cleaned = names.clean_mention(item.text, "person")
            if len(cleaned.split()) > 1 or (cleaned == _surface(item.text) and cleaned.isalpha()):
                words_of[n] = cleaned.split()
    if not words_of:
        return items
    people = _person_words(items)
    vocabulary = {w for words in words_of.values() for w in words if w.isalpha()}
    common = _written_lowercase(vocabulary, corpus)
    things = _named_things([w for w in words_of.values() if len(w) == 2], texts, corpus)
    in_headline = _HeadlineLines(texts)
    out = []
    for n, item in enumerate(items):
        words = words_of.get(n)
        if words is None:
            out.append(item)
            continue
        if (
            len(words) > 1
            and not any(map(names.is_given_name, words[:2]))
            and (words[0] in common or _gerund(words[0]) or tuple(words) in things)
        ):
            out.append(_retype(item, "organization"))
            continue
        kept = _strip_common_edges(words, common, in_headline(item))
        if not kept or (
            len(kept) == 1 and kept[0] in common and names.name_key(kept[0], "person") not in people
        ):
            continue
        if kept != words:
            item = dataclasses.replace(item, text=" ".join(kept))
        out.append(item)
    return out


def _gerund(word: str) -> bool:
    """ "Catching" (Fire), "Breaking" (Bad): an -ing word that is no given name."""
    return len(word) > 5 and word.endswith("ing") and not names.is_given_name(word)


def _named_things(
    pairs: list[list[str]], texts: dict[str, str], corpus: CorpusWords
) -> set[tuple[str, str]]:
    """Two-word "people" named by a place (no given name) and a word the corpus writes in lower
    case at least as often as capitalized outside the name itself: "Matanuska Maid" (a dairy),
    "Surrey Fire" (a fire service); not "Orlando Bloom" ("Bloom" alone), not "Deep Throat"."""
    from kg.gazetteer import is_place_name

    wanted = {
        (a.lower(), b.lower())
        for a, b in pairs
        if b.isalpha() and not names.is_given_name(a) and is_place_name(a)
    }
    lower, upper = corpus.case_counts({b for _, b in wanted})
    # only where the word is written in lower case, but less often than not, can the name's own
    # capitalized occurrences decide: count those (the texts are read for these words alone)
    undecided = {b for _, b in wanted if 0 < lower[b] < upper[b]}
    inside = _capitalized_after(texts, undecided) if undecided else Counter()
    return {
        (a, b)
        for a, b in pairs
        if (a.lower(), b.lower()) in wanted
        and lower[b.lower()] >= max(1, upper[b.lower()] - inside[(a.lower(), b.lower())])
    }


def _capitalized_after(texts: dict[str, str], lasts: set[str]) -> Counter[tuple[str, str]]:
    """How often each of ``lasts`` (lower-case words) is written capitalized after each word
    (lower-cased)."""
    after: Counter[tuple[str, str]] = Counter()
    for text in texts.values():
        previous = ""
        for word in _WORD_RE.findall(text):
            low = word.lower()
            if low in lasts and word != low:
                after[(previous, low)] += 1
            previous = low
    return after


class _HeadlineLines:
    """Whether a mention's line is in Title Case (most of its words capitalized), each line
    judged once: the people of one paragraph share its answer."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.seen: dict[tuple[str, int, int], bool] = {}

    def __call__(self, item: _Item) -> bool:
        text = self.texts.get(item.article, "")
        start, end = line_around(text, item.start, item.end)
        key = (item.article, start, end)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = is_title_case(text[start:end])
        return found


def _strip_common_edges(words: list[str], common: set[str], headline: bool) -> list[str]:
    """``words`` without common words at the edges: leading ones that are no given name, and,
    in a headline, trailing verb-like ones ("Confesses", "Charged")."""
    if len(words) < 2:
        return words
    first, last = 0, len(words)
    while first < last and words[first] in common and not names.is_given_name(words[first]):
        first += 1
    while (
        headline
        and last > first
        and words[last - 1] in common
        and not words[last - 1].endswith("ss")
        and words[last - 1].endswith(("s", "ed"))
        and not names.is_given_name(words[last - 1])
    ):
        last -= 1
    return words[first:last]


def _written_lowercase(words: set[str], corpus: CorpusWords) -> set[str]:
    """Those of ``words`` the corpus writes in lower case at least as often as capitalized (a
    plural also counts its singular: "Rehires", "rehire")."""
    wanted = {w.lower() for w in words} | {w.lower()[:-1] for w in words if w.endswith("s")}
    lower, upper = corpus.case_counts(wanted)
    return {
        w
        for w in words
        if lower[w.lower()] + (lower[w.lower()[:-1]] if w.endswith("s") else 0)
        >= max(1, upper[w.lower()])
    }


_WORD_RE = re.compile(r"[^\W\d_]+")
