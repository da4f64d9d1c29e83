"""Linking people: full names cluster across the corpus when surnames fold together
(Zelensky/Zelenskyy) and given names do not conflict (John Smith is never Jane Smith); a bare
surname attaches to the full name in the same article, else to the one person in the corpus it
fits, else to the one whose articles share its article's other names (the topic)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg import names
from kg.link_base import _Context, _Item, _Links

_MALE = frozenset({"mr", "sir", "lord", "baron", "master", "monsieur", "herr", "senor"})
_FEMALE = frozenset({"mrs", "ms", "miss", "lady", "dame", "baroness", "madam", "madame", "mme",
                     "frau", "senora"})  # fmt: skip
# honorifics before a surname: "Mr Howard" is never Howard Flight ("Sir Ian" is a given name)
_BEFORE_SURNAMES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor"})
_REIGNING = ("crown prince", "crown princess", "prince", "princess", "king", "queen", "pope",
             "emperor", "empress", "sheikh", "sultan", "emir")  # fmt: skip
_REIGNING_RE = re.compile(
    r"^(?:the\s+)?(?P<title>" + "|".join(t.replace(" ", r"\s+") for t in _REIGNING) + r")\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:[IVX]+|(?:al|bin|bint|ibn)\b[\w\s'’-]*))?)$",
    re.IGNORECASE,
)


def reigning_name(text: str) -> str:
    """ "Prince Charles", "Queen Latifah", "King Edward III": a person known by a title and one
    name, which is not the surname of anybody else ("" when ``text`` is no such name).

    >>> reigning_name("the Prince Charles"), reigning_name("Prince Charles Windsor")
    ('Prince Charles', '')
    """
    match = _REIGNING_RE.match(" ".join(text.replace("’s", "").replace("'s", "").split()))
    if match is None or not match.group("title")[:1].isupper():
        return ""
    return f"{' '.join(match.group('title').split())} {match.group('name')}"


def _gender(text: str) -> str:
    """ "m" or "f" from an honorific before the name ("Mrs Howard", "Baroness Kennedy")."""
    words = text.replace(".", " ").split()
    for word in words[:-1]:
        low = word.casefold()
        if low in _MALE:
            return "m"
        if low in _FEMALE:
            return "f"
    return ""


def _given_name_as_surname(text: str, bare: str) -> bool:
    """Whether ``text`` is an honorific that only comes before a surname and a known given name
    (``bare``, the name alone): "Mr Howard" is Michael Howard, never Howard Flight (while
    "Mr. Ban" may be Ban Ki-moon, whose family name comes first)."""
    words = text.replace(".", " ").split()
    return words[0].casefold() in _BEFORE_SURNAMES and names.is_given_name(bare)


def _link_people(items: list[_Item], members: list[int], links: _Links, context: _Context) -> None:
    """Full names cluster across the corpus; bare names attach to a full name that fits."""
    reigning: dict[str, list[int]] = defaultdict(list)
    for n in members:
        if form := reigning_name(items[n].text):
            reigning[names.name_key(form, "organization")].append(n)
    for key in sorted(reigning):
        links.join(reigning[key], "same-name")
    members = [n for n in members if not reigning_name(items[n].text)]
    full = [n for n in members if names.person_parts(items[n].text)[0]]
    bare = [n for n in members if not names.person_parts(items[n].text)[0]]
    surnames = sorted({_surname_key(items[n].text) for n in members} - {""})
    near = _near_surnames(surnames)
    clusters = _cluster_full_names(items, full, links, near)
    by_article: dict[str, list[int]] = defaultdict(list)
    surname_index: dict[str, list[int]] = defaultdict(list)
    for number, cluster in enumerate(clusters):
        for article in sorted({items[n].article for n in cluster}):
            by_article[article].append(number)
        surname_index[_surname_key(items[cluster[0]].text)].append(number)
    seen: dict[tuple[str, int], tuple[int, set[str]]] = {}
    for number, cluster in enumerate(clusters):
        for m in cluster:
            where = (items[m].article, number)
            first, given = seen.get(where, (items[m].start, set()))
            if parts := names.person_parts(items[m].text)[0]:
                given.add(parts[0])
            seen[where] = (min(first, items[m].start), given)
    people = _People(clusters, by_article, surname_index, near, context, seen)
    attached = {n: _attach_bare(items, n, people) for n in bare}
    home = {n: c for c, members in enumerate(clusters) for n in members}
    home.update((n, t) for n, (t, _) in attached.items() if t is not None)
    genders: dict[int, Counter[str]] = defaultdict(Counter)
    for n, c in home.items():
        if gender := _gender(items[n].text):
            genders[c][gender] += 1
    leftovers: dict[str, list[int]] = defaultdict(list)
    for n in bare:
        target, rule = attached[n]
        gender = _gender(items[n].text)
        if (
            target is not None
            and gender
            and genders[target][gender] < max(genders[target].values())
        ):
            target = None  # "Mrs Howard" beside "Mr Howard": not (Michael) Howard
        if target is None:
            surname = _surname_key(items[n].text)
            key = surname or names.name_key(items[n].text, "person")
            leftovers[f"{key}:{gender}" if gender else key].append(n)
        else:
            links.union(clusters[target][0], n, rule)
    _to_the_gendered(items, leftovers)
    for key in sorted(leftovers):
        links.join(leftovers[key], "same-surname")


def _to_the_gendered(items: list[_Item], leftovers: dict[str, list[int]]) -> None:
    """A bare surname of no gender ("Falconer" in a headline) goes with the one gendered bare
    name of that surname in its article ("Lord Falconer", "Mr Tellier" where no given name is
    known), not into a group of its own."""
    for key in sorted(k for k in leftovers if ":" not in k):
        gendered = [g for g in (f"{key}:m", f"{key}:f") if g in leftovers]
        if len(gendered) != 1:
            continue
        target = leftovers[gendered[0]]
        articles = {items[n].article for n in target}
        target.extend(n for n in leftovers[key] if items[n].article in articles)
        leftovers[key] = [n for n in leftovers[key] if items[n].article not in articles]
        if not leftovers[key]:
            del leftovers[key]


def _surname_key(text: str) -> str:
    return names.surname_key(names.person_parts(text)[1])


def _near_surnames(surnames: list[str]) -> dict[str, list[str]]:
    """Each surname key -> the other keys that are spelling variants of it (Dostoyevsky,
    Dostoevsky). Only distinct surnames that share their first four letters are compared: the
    cost grows with the vocabulary of surnames, not with the mentions."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in surnames:
        buckets[key[:4]].append(key)
    near: dict[str, list[str]] = {}
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                if names.similar_surnames(a, b):
                    near.setdefault(a, []).append(b)
                    near.setdefault(b, []).append(a)
    return near


def _cluster_full_names(
    items: list[_Item], full: list[int], links: _Links, near: dict[str, list[str]]
) -> list[list[int]]:
    """Complete-link clustering within surname blocks (a surname and its spelling variants):
    every pair in a cluster must be compatible."""
    block_of: dict[str, str] = {}
    for key in sorted({_surname_key(items[n].text) for n in full}):
        if key not in block_of:
            stack, block_of[key] = [key], key
            while stack:
                for other in near.get(stack.pop(), ()):
                    if other not in block_of:
                        block_of[other] = key
                        stack.append(other)
    blocks: dict[str, list[int]] = defaultdict(list)
    for n in full:
        blocks[block_of[_surname_key(items[n].text)]].append(n)
    clusters: list[list[int]] = []
    for block in (blocks[k] for k in sorted(blocks)):
        forms = Counter(names.clean_mention(items[n].text, "person") for n in block)
        order = sorted(forms, key=lambda f: (-len(names.person_parts(f)[0]), -forms[f], f))
        groups: list[list[str]] = []
        weight: list[int] = []
        for form in order:
            homes = [
                g
                for g, members in enumerate(groups)
                if all(names.compatible_persons(form, o) for o in members)
            ]
            if not homes:
                groups.append([form])
                weight.append(forms[form])
                continue
            home = min(homes, key=lambda g: (-weight[g], g))
            groups[home].append(form)
            weight[home] += forms[form]
        group_of = {form: g for g, members in enumerate(groups) for form in members}
        members: list[list[int]] = [[] for _ in groups]
        for n in block:
            members[group_of[names.clean_mention(items[n].text, "person")]].append(n)
        if len(groups) > 1:
            members = _regroup_ambiguous(items, groups, members)
        for cluster in members:
            first = names.clean_mention(items[cluster[0]].text, "person")
            for n in cluster[1:]:
                links.union(cluster[0], n, _person_rule(first, items[n].text))
        clusters.extend(members)
    return clusters


def _regroup_ambiguous(
    items: list[_Item], groups: list[list[str]], members: list[list[int]]
) -> list[list[int]]:
    """A form that fits several people ("Mark Felt": W. Mark Felt Sr. or Mark Felt Jr.) goes,
    in each article, to the one of them that article names unambiguously (else it stays with
    the person the corpus chose for it)."""
    homes = {
        form: [
            g
            for g, others in enumerate(groups)
            if all(names.compatible_persons(form, o) for o in others if o != form)
        ]
        for group in groups
        for form in group
    }
    named: dict[str, set[int]] = defaultdict(set)  # article -> groups named unambiguously
    for g, group in enumerate(members):
        for n in group:
            if len(homes[names.clean_mention(items[n].text, "person")]) == 1:
                named[items[n].article].add(g)
    out: list[list[int]] = [[] for _ in members]
    for g, group in enumerate(members):
        for n in group:
            fits = set(homes[names.clean_mention(items[n].text, "person")])
            local = fits & named.get(items[n].article, set())
            out[local.pop() if len(fits) > 1 and len(local) == 1 else g].append(n)
    return [group for group in out if group]


def _person_rule(a: str, b: str) -> str:
    if names.name_key(a, "person") == names.name_key(b, "person"):
        return "same-name"
    pa, pb = names.person_parts(a), names.person_parts(b)
    if pa[1] != pb[1]:
        return "surname-variant"
    return "given-name-variant"


@dataclass
class _People:
    """The full-name clusters a bare name may attach to, indexed for ``_attach_bare``."""

    clusters: list[list[int]]
    by_article: dict[str, list[int]]  # article -> clusters with a mention there
    surname_index: dict[str, list[int]]  # surname key -> clusters
    near: dict[str, list[str]]  # surname key -> spelling variants
    context: _Context
    seen: dict[tuple[str, int], tuple[int, set[str]]]  # (article, cluster) -> first start, givens
    fitting: dict[str, set[int]] = field(default_factory=dict)  # bare form -> corpus clusters
    fits: dict[tuple[str, int], bool] = field(default_factory=dict)  # (bare form, cluster) -> fit

    def fit(self, items: list[_Item], text: str, cluster: int) -> bool:
        """``_fits``, remembered: a bare name recurs in its article, beside the same clusters."""
        found = self.fits.get((text, cluster))
        if found is None:
            found = self.fits[(text, cluster)] = _fits(items, text, self.clusters[cluster])
        return found


def _attach_bare(items: list[_Item], n: int, people: _People) -> tuple[int | None, str]:
    """The cluster a bare "Zelensky" belongs to: same article first, else the one corpus
    candidate, else the candidate its article shares the topic with."""
    item = items[n]
    clusters = people.clusters
    text = names.clean_mention(item.text, "person")
    here = people.by_article.get(item.article, [])
    local = [c for c in here if people.fit(items, text, c)]
    if not local and " " not in text and not _given_name_as_surname(item.text, text):
        # "Lindsay" in an article about Lindsay Lohan; "Mr. Ban" about Ban Ki-moon
        key = names.name_key(text, "person")
        local = [c for c in here if key in people.seen[(item.article, c)][1]]
        if len(local) == 1 and len(key) > 1:
            return local[0], "given-name-in-article"
        local = []
    if len(local) == 1:
        return local[0], "surname-in-article"
    if len(local) > 1:
        before = [c for c in local if people.seen[(item.article, c)][0] < item.start]
        if len(before) == 1:
            return before[0], "surname-in-article"
        return None, ""
    candidates = people.fitting.get(text)
    if candidates is None:
        candidates = _corpus_fits(items, text, clusters, people.surname_index, people.near)
        people.fitting[text] = candidates
    if len(candidates) == 1:
        return next(iter(candidates)), "surname-unique-in-corpus"
    if len(candidates) > 1:
        choice = people.context.choose(
            item.article,
            [("person", clusters[c][0], c) for c in candidates],
            lambda cand: {items[m].article for m in clusters[cand[2]]},
            names.name_key(item.text, "person"),
        )
        if choice is not None:
            return choice[2], "surname-by-topic"
    return None, ""


def _corpus_fits(
    items: list[_Item],
    text: str,
    clusters: list[list[int]],
    surname_index: dict[str, list[int]],
    near: dict[str, list[str]],
) -> set[int]:
    """The full-name clusters of the corpus a bare form fits (its surname, else a variant)."""
    surname = _surname_key(text)
    found = {c for c in surname_index.get(surname, []) if _fits(items, text, clusters[c])}
    if not found:
        found = {
            c
            for variant in near.get(surname, ())
            for c in surname_index.get(variant, [])
            if _fits(items, text, clusters[c])
        }
    return found


def _fits(items: list[_Item], bare: str, cluster: list[int]) -> bool:
    return names.compatible_persons(bare, names.clean_mention(items[cluster[0]].text, "person"))
