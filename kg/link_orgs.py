"""Linking organizations: name keys without articles/suffixes; acronyms against the long form
defined in the text ("Advanced Micro Devices (AMD)"), then one with those initials in the same
article, in the corpus, or by topic; short forms ("Red Sox", "Colts") against the one longer name
of the article or corpus that adds a place ("Boston Red Sox") or a generic word ("Staunton Police
Department"); spelling variants (Centre/Center) and near-identical long names."""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from kg import names
from kg.link_base import CorpusWords, _Context, _Item, _Links

_PREFIX_MIN_POPULATION = 100_000  # "Boston Red Sox" -> "Red Sox", not "Time Lords" -> "Lords"


_SPELLING = {"centre": "center", "theatre": "theater", "defence": "defense", "programme": "program",
             "organisation": "organization", "labour": "labor", "councillors": "councilors"}  # fmt: skip
_GENERIC_TAIL = frozenset({"department", "dept", "magazine", "newspaper", "company", "group",
                           "agency", "network", "channel", "service", "services",
                           "team", "club", "foundation", "center", "clinic", "com"})  # fmt: skip
_DEFINITION = re.compile(r"\s*[(\[]\s*(?:the\s+)?([A-Z][A-Za-z0-9&.\-]{1,9})\s*[)\]]")


@functools.lru_cache(maxsize=1 << 16)
def _org_key(text: str) -> str:
    """The name key of an organization name, spellings folded (remembered: the kind rules and
    the organization linker ask for the same names again and again)."""
    key = names.name_key(text, "organization")
    return " ".join(_SPELLING.get(w, w) for w in key.split())


@functools.cache
def known_aliases() -> dict[str, str]:
    """Each alias of kg/data/org_aliases.tsv, as ``names.alias_form`` reads a mention, -> the
    organization key of the full name it stands for ("tories" -> "conservative party")."""
    table = names.org_alias_table()
    return {names.alias_form(a): _org_key(full) for full, aliases in table for a in aliases}


@functools.cache
def _full_names() -> dict[str, str]:
    return {_org_key(full): full for full, _aliases in names.org_alias_table()}


def known_full_name(forms: Counter[str]) -> str | None:
    """The table's full name of the organization a cluster's name ``forms`` stand for, if any
    does (the most used first): "Federal Reserve" names "Fed" and "US Federal Reserve"."""
    for form in sorted(forms, key=lambda f: (-forms[f], f)):
        key = known_aliases().get(names.alias_form(form)) or _org_key(form)
        if key in _full_names():
            return _full_names()[key]
    return None


def _base_key(text: str) -> str:
    if names.is_acronym(text):
        return "acronym:" + names.acronym_key(text)
    return _org_key(text)


def team_city(key: str) -> str:
    """The place a team's organization key starts with ("indianapolis" of "indianapolis colts",
    "kansas city" of "kansas city chiefs"): a place, then a name ending in a plural; else "".

    >>> team_city("kansas city chiefs"), team_city("boston globe")
    ('kansas city', '')
    """
    from kg.gazetteer import is_place_name

    words = key.split()
    if len(words) < 2 or not words[-1].endswith("s") or words[-1].endswith("ss"):
        return ""
    for cut in (3, 2, 1):
        if cut < len(words) and is_place_name(" ".join(words[:cut]).title()):
            return " ".join(words[:cut])
    return ""


def _link_organizations(
    items: list[_Item],
    members: list[int],
    links: _Links,
    context: _Context,
    texts: dict[str, str],
    corpus: CorpusWords,
) -> None:
    """Each organization mention gets the key of the name it stands for, then keys merge."""
    base = {n: _base_key(items[n].text) for n in members}
    groups: dict[str, list[int]] = defaultdict(list)
    for n in members:
        groups[base[n]].append(n)
    long_keys = sorted(k for k in groups if not k.startswith("acronym:"))
    canonical = _fuzzy_canonical(long_keys, groups)
    articles = {k: {items[n].article for n in groups[k]} for k in groups}
    in_article: dict[str, set[str]] = defaultdict(set)
    for key, arts in articles.items():
        for a in arts:
            in_article[a].add(key)
    initials: dict[str, set[str]] = defaultdict(set)
    shorts: dict[str, set[str]] = defaultdict(set)
    leads: dict[str, set[str]] = defaultdict(set)
    for key in long_keys:
        text = names.clean_mention(items[groups[key][0]].text, "organization")
        for acronym in names.acronym_candidates(text):
            initials[acronym].add(key)
        for short in _short_keys(key):
            shorts[short].add(key)
        if not _NOT_LED.search(text):
            for lead in _leading_keys(key):
                leads[lead].add(key)
    teams: dict[str, set[str]] = defaultdict(set)
    for key in long_keys:
        if city := team_city(key):
            teams[city].add(key)
    defined = _definitions(items, members, texts)
    words = _lowercase_words(corpus, shorts)
    lead_words = _lowercase_words(corpus, leads)
    resolved: dict[int, tuple[str, str]] = {}
    aliases = known_aliases()
    aliased: dict[str, str] = {}  # the key of a name the table knows -> the key of its full name
    for n in members:
        key = base[n]
        if (alias := aliases.get(names.alias_form(items[n].text))) is not None and alias != key:
            target: tuple[str, str] | None = (alias, "org-known-alias")
            aliased[key] = alias
        elif key.startswith("acronym:"):
            target = _resolve_acronym(
                items[n], key[8:], groups, initials, defined, in_article, articles, context
            )
        elif len(local := _teams_of_city(key, teams, in_article[items[n].article])) == 1:
            target = (local[0], "team-by-city")
        elif key in shorts:
            target = _whole_short(key, shorts[key], articles, words) or _resolve_short(
                items[n], shorts[key], in_article
            )
        elif key in leads and _written_short(key, groups[key], items):
            target = _whole_lead(key, leads[key], articles, lead_words)
        else:
            target = None
        if target is None and key in canonical:
            target = (canonical[key], "org-spelling-variant")
        resolved[n] = target or (key, "same-name")
    by_target: dict[str, list[int]] = defaultdict(list)
    for n in members:
        # "Federal Reserve" that stood for the article's "US Federal Reserve" -> "federal reserve"
        by_target[aliased.get(resolved[n][0], resolved[n][0])].append(n)
    for key in sorted(by_target):
        group = sorted(by_target[key], key=lambda n: (resolved[n][1] != "same-name", n))
        for n in group[1:]:
            links.union(group[0], n, resolved[n][1])


def _teams_of_city(key: str, teams: dict[str, set[str]], here: set[str]) -> list[str]:
    """The teams of the article named after city ``key`` that it also calls by their short
    name ("Indianapolis Colts" and "Colts")."""
    return sorted(t for t in teams.get(key, ()) if t in here and t[len(key) + 1 :] in here)


def _fuzzy_canonical(long_keys: list[str], groups: dict[str, list[int]]) -> dict[str, str]:
    """Near-identical long names ("Academy of Motion Pictures Arts and Sciences") -> the more
    frequent spelling. Blocked by first word and length, so never all pairs."""
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key in long_keys:
        if len(key) >= 15 and " " in key:
            blocks[(key.split()[0], len(key) // 4)].append(key)
    out: dict[str, str] = {}
    for (first, size), keys in sorted(blocks.items()):
        near = keys + blocks.get((first, size + 1), [])
        for key in keys:
            for other in near:
                if other == key or fuzz.ratio(key, other) < 95:
                    continue
                a, b = sorted((key, other), key=lambda k: (-len(groups[k]), k))
                if b not in out:
                    out[b] = out.get(a, a)
    return out


def _short_keys(key: str) -> list[str]:
    """The shorter names a long organization name goes by: without a leading place or demonym
    ("boston red sox" -> "red sox"), without a generic last word ("staunton police department"
    -> "staunton police")."""
    words = key.split()
    out = []
    for cut in (1, 2, 3):
        if cut < len(words):
            head = " ".join(words[:cut])
            if _place_or_people(head, _PREFIX_MIN_POPULATION):
                out.append(" ".join(words[cut:]))
    if len(words) >= 2 and words[-1] in _GENERIC_TAIL and words[-2] not in _GENERIC_TAIL:
        out.append(" ".join(words[:-1]))
    return [s for s in out if len(s) >= 3 and s not in _GENERIC_TAIL]


_LEAD_ENDS = frozenset({"of", "and", "for", "the", "de", "du", "la", "le", "&", "a", "in", "on"})


# a word after the leading words that makes the name a part or a work of what they name:
# "Harvard School of Public Health" is not "Harvard", "Sandy Hook Elementary School" not the
# village, nor "Fox News" "Fox"
_PARTS = frozenset({
    "school", "college", "university", "institute", "hospital", "centre", "center", "museum",
    "news", "world", "award", "awards",
})  # fmt: skip
# a possessive ("ABC News' World News" is a show) or a list ("Celebrex and Bextra"): no one
# name whose leading words stand for it
_NOT_LED = re.compile(r"['’]|\band\b", re.IGNORECASE)


def _place_or_people(words: str, min_population: int | None = None) -> bool:
    """Whether lower-case ``words`` name a place (of ``min_population`` or more, else the
    gazetteer's default) or a people ("boston", "ugandan")."""
    from kg.gazetteer import country_for_demonym, is_place_name

    placed = (
        is_place_name(words.title())
        if min_population is None
        else is_place_name(words.title(), min_population)
    )
    return placed or country_for_demonym(words) is not None


def _leading_keys(key: str) -> list[str]:
    """The leading words a company is called by after its full name ("cairn energy" ->
    "cairn", "krispy kreme doughnuts" -> "krispy kreme"): never a cut that ends in a function
    word ("bank of"), leaves a part's noun (_PARTS), or is a place or a people ("Ugandan" of
    "Ugandan Media Council")."""
    words = key.split()
    out = []
    for cut in range(1, len(words)):
        lead = " ".join(words[:cut])
        if words[cut - 1] in _LEAD_ENDS or _PARTS.intersection(words[cut:]) or len(lead) < 3:
            continue
        if _place_or_people(lead):
            continue
        out.append(lead)
    return out


def _written_short(key: str, members: list[int], items: list[_Item]) -> bool:
    """Whether the text writes the short name as it is, not only with a suffix the key drops
    ("Credit Suisse Group" is not "Credit Suisse First Boston")."""
    size = len(key.split())
    return any(
        len(names.clean_mention(items[n].text, "organization").split()) == size for n in members
    )


def _whole_lead(
    key: str, longer: set[str], articles: dict[str, set[str]], lowercase: set[str]
) -> tuple[str, str] | None:
    """ "Cairn" is "Cairn Energy" everywhere when that is the only longer name that opens with
    it, at least half the articles that name it so name it in full too, and it is no English
    word the corpus writes in lower case ("Labour" stays apart from "Labour Party")."""
    if len(longer) != 1 or all(w in lowercase for w in key.split()):
        return None
    (target,) = longer
    both = len(articles[key] & articles[target])
    return (target, "org-leading-words") if both and 2 * both >= len(articles[key]) else None


def _definitions(
    items: list[_Item], members: list[int], texts: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Acronyms the text defines: "Advanced Micro Devices (AMD)" -> {article: {"AMD": key}}."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for n in members:
        item = items[n]
        if item.start < 0 or names.is_acronym(item.text):
            continue
        text = texts.get(item.article, "")
        match = _DEFINITION.match(text, item.end, min(len(text), item.end + 16))
        if match is None:
            continue
        acronym = names.acronym_key(match.group(1))
        initials = names.acronym_of(item.text) or item.text.lstrip("@ ").upper()
        if names.is_acronym(match.group(1)) and len(acronym) >= 2 and acronym[0] == initials[0]:
            # "World Anti-Doping Agency (WADA)" cut by the NER to "Anti-Doping Agency": no
            out[item.article].setdefault(acronym, _org_key(item.text))
    return out


def _resolve_acronym(
    item: _Item,
    acronym: str,
    groups: dict[str, list[int]],
    initials: dict[str, set[str]],
    defined: dict[str, dict[str, str]],
    in_article: dict[str, set[str]],
    articles: dict[str, set[str]],
    context: _Context,
) -> tuple[str, str] | None:
    local_def = defined.get(item.article, {}).get(acronym)
    if local_def:
        return local_def, "acronym-defined-in-article"
    if acronym.lower() in groups:  # "SEACOM" / "Seacom", "NATO" / "Nato"
        return acronym.lower(), "case-variant"
    local = sorted(k for k in initials.get(acronym, ()) if k in in_article[item.article])
    if len(local) == 1:
        return local[0], "acronym-in-article"
    corpus_defs = sorted({d[acronym] for d in defined.values() if acronym in d})
    if len(corpus_defs) == 1:
        return corpus_defs[0], "acronym-defined-in-corpus"
    found = sorted(initials.get(acronym, ()))
    if len(found) == 1 and _explains(found[0], articles.get("acronym:" + acronym, set()), articles):
        return found[0], "acronym-unique-in-corpus"
    candidates = sorted(set(found) | set(corpus_defs))
    if len(candidates) > 1:
        choice = context.choose(
            item.article,
            [("organization", k) for k in candidates],
            lambda cand: articles[cand[1]],
            acronym.lower(),
        )
        if choice is not None:
            return choice[1], "acronym-by-topic"
    return None


def _explains(name: str, spread: set[str], articles: dict[str, set[str]]) -> bool:
    """Whether the only name of the corpus with an acronym's initials can stand for it: an
    article uses both, or the acronym is not much more widespread than the name. "NHS" in 19
    articles is not the "Norfolk High School" of one article that never writes "NHS"."""
    own = articles.get(name, set())
    return bool(own & spread) or len(spread) <= 2 * len(own)


def _lowercase_words(corpus: CorpusWords, shorts: dict[str, set[str]]) -> set[str]:
    """The words of the short organization names that the corpus also writes in lower case
    ("times", "party", "lords"): generic words, unlike "Colts" or "Red Sox"."""
    return corpus.written_in_lower_case({w for key in shorts for w in key.split()})


def _whole_short(
    key: str,
    longer: set[str],
    articles: dict[str, set[str]],
    lowercase: set[str] | frozenset[str] = frozenset(),
) -> tuple[str, str] | None:
    """ "Red Sox" is "Boston Red Sox" everywhere when that is the only longer name it can be,
    some article uses both, and either the short name is no English word ("Red Sox", "Colts")
    or at least half the articles that use it use both: "Labour Party", seen on its own far
    more often than beside "Scottish Labour Party", stays its own entity."""
    if len(longer) != 1:
        return None
    (target,) = longer
    both = len(articles[key] & articles[target])
    proper = target.endswith(" " + key) and not all(w in lowercase for w in key.split())
    return (
        (target, "org-short-form") if both and (proper or 2 * both >= len(articles[key])) else None
    )


def _resolve_short(
    item: _Item, longer: set[str], in_article: dict[str, set[str]]
) -> tuple[str, str] | None:
    """Within the article only: a short generic name ("Parliament", "Treasury", "Times") means
    different organizations in different articles, so no corpus-wide guess is made."""
    local = sorted(k for k in longer if k in in_article[item.article])
    return (local[0], "org-short-form-in-article") if len(local) == 1 else None
