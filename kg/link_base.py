"""The linker's shared pieces: a mention on its way to an entity (``_Item``), the union-find over
them that records which rule made each merge (``_Links``), and the names each article holds, to
choose between candidates by topic (``_Context``)."""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kg import names

MentionRef = tuple[str, int, int]  # (article id, start, end)
_NON_VOTING = ("AUTHOR", "PUBLISHER", "NORP")
_MARGIN = 3


def _kind_is_given(label: str) -> bool:
    """Whether no vote or claim may change a mention's kind: bylines, publishers, demonyms, and
    a company a business noun describes ("parts maker Robert Bosch": kg.mentions._companies)."""
    return label in _NON_VOTING or label.startswith("COMPANY")


@dataclass(frozen=True)
class _Item:
    """One mention (or byline/publisher name) on its way to an entity."""

    article: str
    start: int
    end: int
    text: str
    kind: str
    label: str
    counted: bool = True
    place: str = ""
    date: str = ""
    spoke: bool = False  # the subject of a reporting verb ("Hitachi said")

    @property
    def ref(self) -> MentionRef:
        return (self.article, self.start, self.end)


class _Links:
    """Union-find over item numbers; each union records the rule that made it. ``cannot``: pairs
    of item groups that must never share a cluster (a user's "different" judgements): a union
    that would join the two sides of a pair is refused."""

    def __init__(self, n: int, cannot: Sequence[tuple[Sequence[int], Sequence[int]]] = ()) -> None:
        self.parent = list(range(n))
        self.rules: dict[int, Counter[str]] = {}
        self.sides: dict[int, dict[int, int]] = {}  # root -> constraint -> sides held (1|2)
        self.refused = 0
        for number, (a, b) in enumerate(cannot):
            for side, group in ((1, a), (2, b)):
                for item in group:
                    held = self.sides.setdefault(item, {})
                    held[number] = held.get(number, 0) | side

    def find(self, a: int) -> int:
        root = a
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[a] != root:
            self.parent[a], a = root, self.parent[a]
        return root

    def union(self, a: int, b: int, rule: str) -> bool:
        """Merge the clusters of ``a`` and ``b``; False when a constraint forbids it."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rb < ra:
            ra, rb = rb, ra
        if self.sides and not self._join_sides(ra, rb):
            self.refused += 1
            return False
        self.parent[rb] = ra
        merged = self.rules.get(ra)
        if merged is None:
            merged = self.rules[ra] = Counter()
        other = self.rules.pop(rb, None)
        if other is not None:
            merged.update(other)  # counts are positive: the same as merged + other, in place
        merged[rule] += 1
        return True

    def _join_sides(self, ra: int, rb: int) -> bool:
        sa, sb = self.sides.get(ra), self.sides.get(rb)
        if not sb:
            return True
        if sa and any((sa[c] | sb[c]) == 3 for c in sa.keys() & sb.keys()):
            return False
        joined = dict(sa or {})
        for c, side in sb.items():
            joined[c] = joined.get(c, 0) | side
        self.sides[ra] = joined
        del self.sides[rb]
        return True

    def join(self, members: Sequence[int], rule: str) -> None:
        for other in members[1:]:
            self.union(members[0], other, rule)

    def clusters(self) -> list[list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            groups[self.find(i)].append(i)
        return [groups[k] for k in sorted(groups)]


def _retype(item: _Item, kind: str) -> _Item:
    if kind == item.kind:
        return item
    return _Item(item.article, item.start, item.end, item.text, kind, item.label, item.counted)


@functools.lru_cache(maxsize=1 << 16)  # asked again for each mention of a name
def _surface(text: str) -> str:
    text = " ".join(text.split())
    for tail in ("’s", "'s"):
        text = text.removesuffix(tail)
    return text.lstrip("@")


# --- context: which names an article shares with a candidate's articles ---------------------


class _Context:
    """The names of each article, to choose between candidates by topic. A candidate's profile
    (how many of its articles hold each name) is computed once, so a choice costs the size of
    the article's names, not of the candidate's articles."""

    def __init__(self, items: list[_Item]) -> None:
        self.keys: dict[str, set[str]] = defaultdict(set)
        for item in items:
            if item.counted and item.kind != "event":
                self.keys[item.article].add(names.name_key(item.text, item.kind))
        self.keys.pop("", None)
        self._profiles: dict[Hashable, tuple[Counter[str], frozenset[str]]] = {}

    def _profile(
        self, cand: Hashable, articles_of: Callable[[Any], Iterable[str]]
    ) -> tuple[Counter[str], frozenset[str]]:
        found = self._profiles.get(cand)
        if found is None:
            articles = frozenset(articles_of(cand))
            counts: Counter[str] = Counter()
            for other in articles:
                counts.update(self.keys.get(other, ()))
            found = self._profiles[cand] = (counts, articles)
        return found

    def choose(
        self,
        article: str,
        candidates: Iterable[Hashable],
        articles_of: Callable[[Any], Iterable[str]],
        own: str = "",
    ) -> Any:
        """The candidate whose (other) articles share clearly most names with ``article`` (or
        None). Candidates are hashable ids, unique across callers; ``articles_of(candidate)``
        gives its articles."""
        mine = self.keys.get(article, set()) - {own}
        scores = []
        for cand in sorted(candidates):  # type: ignore[type-var]
            counts, articles = self._profile(cand, articles_of)
            floor = 1 if article in articles else 0  # names only this article gives don't count
            scores.append((sum(1 for k in mine if counts.get(k, 0) > floor), cand))
        scores.sort(key=lambda s: -s[0])
        if not scores or scores[0][0] < 2:
            return None
        if len(scores) > 1 and scores[0][0] < scores[1][0] + _MARGIN:
            return None
        return scores[0][1]


# --- how the corpus writes its words ----------------------------------------------------------


def line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the line(s) holding ``text[start:end]``, without their line breaks.

    >>> line_around("Title\\nOne two three\\nEnd", 10, 13)
    (6, 19)
    """
    end = text.find("\n", end)
    return text.rfind("\n", 0, max(start, 0)) + 1, end if end >= 0 else len(text)


def is_title_case(line: str) -> bool:
    """Three words or more (of two letters or more), three in four of them capitalized: a
    headline.

    >>> is_title_case("Andrew Lopez Confesses To Crime"), is_title_case("Andrew Lopez said so")
    (True, False)
    """
    words = _TWO_LETTERS.findall(line)
    if len(words) < 3:
        return False
    lower, most = 0, len(words) // 4  # at most a quarter of them not capitalized
    for word in words:  # a paragraph of prose fails within its first words
        if not word[0].isupper():
            lower += 1
            if lower > most:
                return False
    return True


_WORD_RUN = re.compile(r"\w+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_LOWER_WORD = re.compile(r"[a-z]+")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2,}")  # letter runs of two letters or more


class CorpusWords:
    """How a corpus writes each word, counted in one pass over its texts, then answered at the
    cost of a lookup per word: which words it writes in lower case (as ``\b[a-z]+\b``), and how
    often each letter run is in lower case or not (tests/test_link_base.py holds the one-pass-
    per-question definitions these answers are checked against).

    A ``\\b[a-z]+\\b`` word is a run of word characters that is all ASCII lower case, and the
    letter runs of a text are those of its runs of word characters: so the distinct runs of
    word characters, counted, hold both.

    >>> words = CorpusWords(["The Times said", "in times of war", "COLTS 2x"])
    >>> sorted(words.written_in_lower_case({"times", "war", "said", "the"}))
    ['said', 'times', 'war']
    >>> lower, upper = words.case_counts({"times", "colts", "x"})
    >>> lower["times"], upper["times"], upper["colts"], lower["x"]
    (1, 1, 1, 1)
    """

    def __init__(self, texts: Iterable[str]) -> None:
        runs: Counter[str] = Counter()
        for text in texts:
            runs.update(_WORD_RUN.findall(text))
        self.lower_words = frozenset(run for run in runs if _LOWER_WORD.fullmatch(run))
        cases: dict[str, list[int]] = {}  # lower-case form -> [in lower case, otherwise]
        for run, count in runs.items():
            for word in _LETTER_RUN.findall(run):
                low = word.lower()
                seen = cases.get(low)
                if seen is None:
                    seen = cases[low] = [0, 0]
                seen[word != low] += count
        self.cases = cases

    def written_in_lower_case(self, wanted: Iterable[str]) -> set[str]:
        """Those of ``wanted`` (lower-case words) the corpus writes in lower case somewhere."""
        return set(wanted) & self.lower_words

    def case_counts(self, wanted: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
        """How often the corpus writes each of ``wanted`` (lower-case words) in lower case, and
        how often otherwise (capitalized, in capitals)."""
        lower: Counter[str] = Counter()
        upper: Counter[str] = Counter()
        for word in wanted:
            seen = self.cases.get(word)
            if seen is not None:
                if seen[0]:
                    lower[word] = seen[0]
                if seen[1]:
                    upper[word] = seen[1]
        return lower, upper
