"""One sense per corpus: a full person name the NER found in some article is a mention wherever
it recurs, in any article, where the NER missed it.

The small model finds "Wladimir Klitschko" in most articles and misses him in a Title Case
headline or a whole article ("Klitschko vs Thompson II Results: Wladimir Klitschko Cruises
Again"). This reduce step, run on all extractions before linking, reads the text only (no
spaCy): a name of two or more capitalized words that the NER labelled PERSON (titles stripped)
becomes a ``PERSON-CORPUS`` mention wherever the same words recur outside any mention; then, in
an article that gained a full name this way, its surname where it recurs alone. Organization
names the NER labelled ORG at least twice, whose words the corpus capitalizes (far) more often
than not ("Colts", "Chargers", not "Police"), become ``ORG-CORPUS`` mentions the same way. A name that
continues into another capitalized word ("Betty Ford Center") is no match, except in a Title
Case line, where every word is capitalized ("Star Esther Williams Dies At 91"). Pure: the same
extractions give the same result in any order.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections import Counter
from collections.abc import Container, Iterator, Sequence

from kg import names
from kg.link_base import CorpusWords, is_title_case, line_around
from kg.records import ArticleExtraction, Mention

LABEL = "PERSON-CORPUS"
ORG_LABEL = "ORG-CORPUS"
_WORD = re.compile(r"[A-Z][\w'’.-]*[\w]|[A-Z]")
_INSTITUTIONS = frozenset({
    "center", "centre", "clinic", "foundation", "institute", "hospital", "university", "college",
    "school", "library", "museum", "memorial", "airport", "stadium", "arena", "club", "award",
    "awards", "prize", "trophy", "theater", "theatre", "hall", "company", "corporation", "show",
    "street", "road", "avenue", "park", "bridge", "building", "house", "fund", "trust", "act",
})  # fmt: skip
_MAX_WORDS = 4
_MIN_SEEN = 2  # PERSON mentions of a name before it is looked for elsewhere


def propagate_corpus_names(
    extractions: Sequence[ArticleExtraction], corpus: CorpusWords | None = None
) -> list[ArticleExtraction]:
    """The extractions with the full person names of the corpus found where the NER missed them
    (and, in those articles, their bare surnames); extractions that gain nothing are returned
    as they are. ``corpus``: how their texts write each word, when the caller has counted it."""
    if corpus is None:
        corpus = CorpusWords(ex.article.text for ex in extractions)
    known = _person_names(extractions, corpus)
    known.update(_organization_names(extractions, corpus))
    if not known:
        return list(extractions)
    firsts: dict[str, int] = {}  # first word -> the most words of a known name it starts
    for words in known:
        firsts[words[0]] = max(firsts.get(words[0], 0), len(words))
    out = []
    for ex in extractions:
        extra = _find(ex, known, firsts)
        if extra:
            mentions = sorted([*ex.mentions, *extra], key=lambda m: (m.start, m.end, m.kind))
            ex = dataclasses.replace(ex, mentions=tuple(mentions))
        out.append(ex)
    return out


def _plain_names(
    extractions: Sequence[ArticleExtraction], labels: Container[str], kind: str
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(words, cleaned name) of each mention labelled one of ``labels`` and kept as ``kind``
    whose cleaned name is 1 to _MAX_WORDS words joined by single spaces, and nothing else."""
    for ex in extractions:
        for m in ex.mentions:
            if m.label in labels and m.kind == kind:
                cleaned = names.clean_mention(m.text, kind)
                words = tuple(_WORD.findall(cleaned))
                if 1 <= len(words) <= _MAX_WORDS and " ".join(words) == cleaned:
                    yield words, cleaned


def _person_names(
    extractions: Sequence[ArticleExtraction], corpus: CorpusWords
) -> dict[tuple[str, ...], str]:
    """Word tuples of the full names the NER labelled PERSON (as written, and in capitals)."""
    from kg.gazetteer import is_place_name

    seen: Counter[tuple[str, ...]] = Counter()
    for words, cleaned in _plain_names(extractions, ("PERSON",), "person"):
        given, surname = names.person_parts(cleaned)
        if len(words) >= 2 and given and len(surname) >= 3 and not is_place_name(cleaned):
            seen[words] += 1
    lower = corpus.written_in_lower_case({w[0].lower() for w in seen})
    found: dict[tuple[str, ...], str] = {}
    for words, count in seen.items():
        if count >= _MIN_SEEN and words[0].lower() not in lower:  # not "Catching Fire"
            found[words] = found[tuple(w.upper() for w in words)] = "person"
    return found


def _organization_names(
    extractions: Sequence[ArticleExtraction], corpus: CorpusWords
) -> dict[tuple[str, ...], str]:
    """Word tuples of the names the NER labelled ORG (or kg.mentions COMPANY) at least twice,
    every word of which the corpus writes capitalized more often than in lower case ("Colts",
    "Chargers"; not "Police", "Administration")."""
    seen: Counter[tuple[str, ...]] = Counter(
        words
        for words, cleaned in _plain_names(extractions, ("ORG", "COMPANY"), "organization")
        if len(cleaned) > 3
    )
    candidates = [w for w, n in seen.items() if n >= _MIN_SEEN and not _acronym(w)]
    vocabulary = {word.lower() for words in candidates for word in words}
    lower, upper = corpus.case_counts(vocabulary)
    found: dict[tuple[str, ...], str] = {}
    for words in candidates:
        if all(upper[w.lower()] > 2 * lower[w.lower()] for w in words):
            found[words] = found[tuple(w.upper() for w in words)] = "organization"
    return found


def _acronym(words: tuple[str, ...]) -> bool:
    return len(words) == 1 and words[0].isupper()


def _find(
    ex: ArticleExtraction, known: dict[tuple[str, ...], str], firsts: dict[str, int]
) -> list[Mention]:
    """``firsts``: the first words of the ``known`` names, each with the most words of a name
    it starts."""
    text = ex.article.text
    covered = sorted((m.start, m.end) for m in ex.mentions)
    runs = [(w.start(), w.end(), w.group()) for w in _WORD.finditer(text)]
    extra: list[Mention] = []
    surnames: set[str] = set()
    i = 0
    while i < len(runs):
        most = firsts.get(runs[i][2])
        match = _longest_known(text, runs, i, known, most) if most else None
        if match is None:
            i += 1
            continue
        start, end = runs[i][0], runs[i + match - 1][1]
        following = runs[i + match] if i + match < len(runs) else None
        kind = known[tuple(r[2] for r in runs[i : i + match])]
        if _free(covered, start, end) and not _continues(text, end, following):
            extra.append(_mention(ex, start, end, text[start:end], kind))
            if kind == "person":
                surnames.add(runs[i + match - 1][2])
        i += match
    if surnames:
        taken = sorted([*covered, *((m.start, m.end) for m in extra)])
        lower = set(re.findall(r"\b[a-z][\w'-]*", text))
        for start, end, word in runs:
            if (
                word in surnames
                and len(word) >= 4
                and word.lower() not in lower
                and _free(taken, start, end)
            ):
                extra.append(_mention(ex, start, end, word))
    return extra


def _longest_known(
    text: str,
    runs: list[tuple[int, int, str]],
    i: int,
    known: dict[tuple[str, ...], str],
    most: int = _MAX_WORDS,
) -> int | None:
    """How many words from ``runs[i]`` on make the longest known name written there, if any
    (``most``: no known name starting with that word is longer)."""
    for k in range(min(most, _MAX_WORDS, len(runs) - i), 0, -1):
        if tuple(r[2] for r in runs[i : i + k]) in known and _adjacent(text, runs[i : i + k]):
            return k
    return None


def _adjacent(text: str, runs: list[tuple[int, int, str]]) -> bool:
    """Words separated by single spaces only (no line break, comma or period between)."""
    return all(text[a[1] : b[0]] == " " for a, b in itertools.pairwise(runs))


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """No mention overlaps [start, end)."""
    i = bisect.bisect_left(spans, (start, start))
    if i > 0 and spans[i - 1][1] > start:
        return False
    return not (i < len(spans) and spans[i][0] < end)


def _continues(text: str, end: int, following: tuple[int, int, str] | None) -> bool:
    """Whether the name runs on into another capitalized word of a longer name (in a Title Case
    line, only into a word such as "Center")."""
    if following is None or text[end : following[0]] != " ":
        return False
    start, stop = line_around(text, end, end)
    if is_title_case(text[start:stop]):
        return following[2].lower() in _INSTITUTIONS
    return True


def _mention(
    ex: ArticleExtraction, start: int, end: int, text: str, kind: str = "person"
) -> Mention:
    starts = [s.start for s in ex.sentences]
    sentence = max(0, bisect.bisect_right(starts, start) - 1) if starts else 0
    return Mention(start, end, text, kind, LABEL if kind == "person" else ORG_LABEL, sentence)
