"""Linking, first: the kind each mention stands for. Corpus-wide votes per name, gazetteer places
weighing in; then, within an article, a name that is the surname of a person named there is that
person ("Teixeira" the NER took for an organization in "Mark Teixeira"'s article), a team's short
name is the team ("Colts"), and its city written where no place reads is the team too."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from kg import names
from kg.link_base import _NON_VOTING, _Item, _kind_is_given, _retype
from kg.link_orgs import _PREFIX_MIN_POPULATION, _org_key, _short_keys, team_city
from kg.link_people import _surname_key

_CLAIM_MIN_POPULATION = 100_000  # a town smaller than this is no match for a person named there


def _vote_key(item: _Item, people: set[str]) -> str:
    """The name a mention votes under; a company suffix or a leading "the" keeps it apart from a
    surname of ``people`` (_person_words) that it holds ("Bloomberg L.P." is not "Bloomberg",
    whom the corpus names in full, nor "The Hague" William Hague; "Altria Group" still votes
    with "Altria")."""
    key = names.name_key(item.text, "person" if item.kind == "person" else "organization")
    words = item.text.split()
    if key not in people or len(words) < 2:
        return key
    if names.corporate_suffix(words[-1]):
        return f"{key} (company)"
    if len(words) == 2 and words[0].lower() == "the" and item.kind != "person":
        return f"{key} (the)"  # "The Hague" is not "Hague", whom the corpus names in full
    return key


def _votes(item: _Item) -> bool:
    return (
        item.label not in _NON_VOTING
        and item.kind != "event"
        and "PROPAGATED" not in item.label
        and not item.label.endswith("-CORPUS")
    )


def _assign_kinds(items: list[_Item], texts: dict[str, str] | None = None) -> list[_Item]:
    """Corpus-wide votes per name, then the article's people claim their surnames."""
    people = _person_words(items)
    kinds = _vote_kinds(items, texts or {}, people)
    items = [
        item
        if _kind_is_given(item.label) or item.kind == "event"
        else _retype(item, kinds.get(_vote_key(item, people), item.kind))
        for item in items
    ]
    items = _claim_short_names(_claim_surnames(_claim_full_names(items), texts or {}))
    return _claim_speaking_towns(_claim_team_cities(items, texts or {}), texts or {}, people)


def _claim_full_names(items: list[_Item]) -> list[_Item]:
    """ "Mo Cheeks" the NER took for a place, "American Hasim Rahman" for an organization: a
    two- or three-word name that fits a person the corpus names in full is that person."""
    from kg.gazetteer import is_place_name

    people: dict[str, set[str]] = defaultdict(set)
    bare: set[tuple[str, str]] = set()  # (article, surname key) of one-word PERSON mentions
    for item in items:
        if item.kind == "person" and item.label == "PERSON":
            given, surname = names.person_parts(item.text)
            if given and surname:
                people[names.surname_key(surname)].add(names.clean_mention(item.text, "person"))
            elif surname and " " not in names.clean_mention(item.text, "person"):
                bare.add((item.article, names.surname_key(surname)))
    out = []
    for item in items:
        if item.kind in ("organization", "place") and not _kind_is_given(item.label):
            cleaned = names.clean_mention(item.text, "person")
            words = cleaned.split()
            stripped = len(words) < len(item.text.split())  # "American Hasim Rahman"
            if (
                2 <= len(words) <= 3
                and all(w[:1].isupper() for w in words)
                and (
                    any(
                        names.compatible_persons(cleaned, other)
                        for other in sorted(people.get(_surname_key(cleaned), ()))
                        if stripped
                        or names.name_key(other, "person") != names.name_key(cleaned, "person")
                    )  # the votes already weighed the name itself, unless a description went
                    or (
                        (item.article, _surname_key(cleaned)) in bare  # "Peyton Manning", "Manning"
                        and not is_place_name(words[0])  # not "Indianapolis Colts", "Colts"
                        and not is_place_name(" ".join(words[:2]))
                    )
                )
                and not is_place_name(names.clean_mention(item.text, "place"))
            ):
                item = _retype(item, "person")
        out.append(item)
    return out


def _vote_kinds(items: list[_Item], articles: dict[str, str], people: set[str]) -> dict[str, str]:
    """The kind each surface name's mentions vote for; gazetteer places weigh in, but for a small
    town that speaks somewhere and that the NER mostly calls an organization ("Hitachi said",
    "Halifax said": the firms); and a name that speaks and that no gazetteer knows is no place.
    A "person" written after a lowercase "the" ("the Tar Heels", "the Jaguars") votes
    organization, three times over: people are never "the"-named, and the NER labels such teams
    either way."""
    from kg.gazetteer import is_place_name

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    texts: dict[str, str] = {}
    spoke: set[str] = set()  # keys of names that are the subject of a reporting verb somewhere
    for item in items:
        if _votes(item):
            key = _vote_key(item, people)
            if item.spoke:
                spoke.add(key)
            text = articles.get(item.article, "")
            if item.kind == "person" and _after_the(text, item):
                votes[key]["organization"] += 3  # nobody's name reads "the Tar Heels"
            elif _reads_as_organization(text, item):
                votes[key]["organization"] += 3  # "shares in Virgin Blue", "Chelsea have"
            elif _reads_as_person(text, item):
                votes[key]["person"] += 3  # "Actor Keanu Reeves", "Keanu Reeves, who presented"
            elif item.label == "COMPANY":
                votes[key]["organization"] += 3  # "brewing giant Inbev": the text says so
            else:
                votes[key][item.kind] += 1
            texts.setdefault(key, item.text)
    decided: dict[str, str] = {}
    for key, counter in votes.items():
        place = names.clean_mention(texts[key], "place")
        company = key in spoke and key not in people and _most(counter, "organization")
        if company and _small_town(place):
            pass  # "Hitachi said", mostly an organization to the NER: no town of that name
        elif is_place_name(place) and (
            counter["person"] <= counter.total() / 2 or key not in people
        ):  # "Surrey", "Bandar Abbas" the NER took for a person, where nobody is a Surrey
            counter["place"] += counter.total() + 1
        elif key in spoke and key not in people and _most(counter, "place"):
            # "Yugansk said", "Downing Street said": a name that speaks, that no gazetteer
            # knows and that is nobody's name in the corpus ("the West" is not Kanye West) is
            # no place; the NER's other votes decide, else it is an organization
            counter["place"] = 0
            if not +counter:
                counter["organization"] = 1
        decided[key] = min(counter, key=lambda k: (-counter[k], k))
    return decided


# What only an organization has, written right after its name ("Air Deccan's managing director",
# "its Alfa Romeo division", "Pernod shares slipped") or right before it ("shares in Multiplex",
# "a stake in Manchester United", "the board of Manchester United"). Not "X's shares" (a person
# holds shares) nor a bare "X shares" before anything but a market verb ("Obama shares the view").
_ORGANIZATION_PARTS = (
    r"share price|shareholders?|board(?: of directors)?|chief executive|managing director|"
    r"chairman|chairwoman|finance director|subsidiary|subsidiaries|division|pre-tax profits?|"
    r"profits?|revenues?|turnover"
)
_SHARES_MOVED = (
    r"shares (?:rose|fell|were|closed|slipped|jumped|dropped|plunged|plummet\w*|gained|lost|"
    r"edged|climbed|tumbled|slumped|surged|soared|have|are|had)"
)
# (a part right after the name, or after the possessive and one word: "X's construction
# division")
_PARTS_AFTER = re.compile(
    rf"(?:(?:'s|’s)?|(?:'s|’s) [a-z-]+) (?:{_ORGANIZATION_PARTS})\b(?! of\b)| {_SHARES_MOVED}\b"
)
_PARTS_BEFORE = re.compile(
    r"\b(?:shares? (?:in|of)|stake in|takeover of|(?:board|shareholders|subsidiary|"
    r"chairman|chief executive|managing director) of) (?:the )?$",
    re.IGNORECASE,
)
# "Manchester United have", "Chelsea are": a name that opens a clause and takes a plural verb is
# a team, a band or a firm (British usage). Not one that closes a list ("Spike Lee, Burt Reynolds
# and Oscar nominee Alan Alda have") nor one that ends a phrase ("Thirteen episodes of Comeback
# have"): the name must open its sentence, or follow a word that opens a clause.
_PLURAL_VERB = re.compile(r" (?:have|are)\b(?! you\b)")
_CLAUSE_START = re.compile(r"(?:^|[.!?;:\"“”(\n])\s*(?:(?:but|while|when|because|since|though|although|"
                           r"after|before|that|so|yet|until|unless|whether|where)\s+)?$",
                           re.IGNORECASE)  # fmt: skip


_TITLE_STOP = re.compile(r"\b[A-Z][a-z]{0,3}\.\s*$")  # "Jeb Bush and Gov. Rick Scott have"


def _reads_as_organization(text: str, item: _Item) -> bool:
    """Whether the words around a mention are an organization's: its shares, board or division
    after the name, an apposition that calls it a company, "shares in" or "a stake in" before
    it, or a plural verb after it."""
    if not text or item.start < 0 or item.text.endswith(("'s", "’s")):
        return False
    after = text[item.end : item.end + 40]
    if _PARTS_AFTER.match(after) or _company_apposition(text[item.end : item.end + 60]):
        return True
    whole = not (after[:1] == " " and after[1:2].isupper())  # not "the Broward County GOP"
    if whole and _PARTS_BEFORE.search(text[max(0, item.start - 40) : item.start]):
        return True
    before = text[max(0, item.start - 12) : item.start]
    return bool(
        _PLURAL_VERB.match(after) and _CLAUSE_START.search(before) and not _TITLE_STOP.search(before)
    )


# "Euronext, the pan-European stock exchange,", "Baikal, a little-known firm which": an
# apposition whose head is a company's noun; not "Smith, a company director", "Jones, the firm's
# boss", "Brown, the head of the group," (the noun must end the phrase and head it)
_APPOSITION = re.compile(
    r", (?:the|a|an) (?:(?!of |for )[\w'’-]+ ){0,3}?([a-z]+)(?=[,.;]| (?:which|that|based|whose|with|in|and)\b)"
)


def _company_apposition(after: str) -> bool:
    match = _APPOSITION.match(after)
    return match is not None and match.group(1) in _apposition_nouns()


@cache
def _apposition_nouns() -> frozenset[str]:
    """kg/data/company_nouns.txt, and nouns that call a name a company only in an apposition
    ("Euronext, the stock exchange,"; "the exchange said" may be a dialogue)."""
    from kg.attribution import read_lexicon

    return read_lexicon("company_nouns.txt") | {"exchange", "operator", "carrier"}


# "Keanu Reeves, who presented ...": not "Chelsea, who are ..." (a team, British usage)
_WHO_AFTER = re.compile(r",? who\b(?! (?:are|have|were)\b)")
_TITLE_BEFORE = re.compile(r"([A-Za-z-]+) $")
# last words of organizations' names that are no one's surname
_NOT_SURNAMES = frozenset({
    "club", "university", "college", "institute", "council", "society", "stores", "group",
    "global", "assembly", "party", "union", "bull", "league", "foundation", "trust", "bank",
    "company", "records", "airways", "airlines", "motors", "studios", "theatre", "theater",
    "centre", "center", "hospital", "school", "academy", "museum", "festival", "awards",
    "network", "news", "times", "post", "daily", "journal", "magazine", "channel", "radio",
})  # fmt: skip


def _reads_as_person(text: str, item: _Item) -> bool:
    """Whether the words around a mention are a person's: "who" after it, or a title noun right
    before it ("Actor Keanu Reeves", "heptathlon champion Carolina Kluft"; not "champions
    Chelsea")."""
    from kg.gazetteer import is_place_name

    words = item.text.split()
    if not text or item.start < 0 or not 2 <= len(words) <= 3 or not names.is_given_name(words[0]):
        return False  # (a given name first: "Keanu Reeves", "Carolina Kluft")
    if not all(w[:1].isupper() and w.isalpha() for w in words) or words[-1].endswith("s"):
        return False  # not "Bailey & Glasser", "Minnesota Vikings", "Mull Historical Society"
    if words[-1].lower() in _NOT_SURNAMES or is_place_name(" ".join(words)):
        return False  # "Sierra Club", "West Virginia University", "Red Bull"
    if _WHO_AFTER.match(text, item.end):
        return True
    title = _TITLE_BEFORE.search(text[max(0, item.start - 30) : item.start])
    return title is not None and names.is_title_word(title.group(1)) and not title.group(1).endswith("s")


def _after_the(text: str, item: _Item) -> bool:
    """Whether the mention opens with, or follows, a lowercase "the"."""
    return item.text.startswith("the ") or (
        item.start >= 4 and text[item.start - 4 : item.start] == "the "
    )


def _person_words(items: list[_Item]) -> set[str]:
    """Keys of the corpus's full person names, and of their surnames and first given names."""
    from kg.gazetteer import is_place_name

    out: set[str] = set()
    for item in items:
        if item.kind == "person" and item.label == "PERSON":
            given, surname = names.person_parts(item.text)
            if not given or not surname:
                continue
            if is_place_name(names.clean_mention(item.text, "place")):
                continue  # "Bandar Abbas" the NER took for a person is no evidence of one
            out.add(names.name_key(item.text, "person"))
            out.add(names.name_key(surname, "person"))
            first = item.text.split()[0]
            if not (len(given) == 1 and is_place_name(first, _PREFIX_MIN_POPULATION)):
                out.add(given[0])  # not "Surrey" of a "Surrey Fire" the NER took for a person
    return out


def _full_names_by_surname(items: list[_Item]) -> dict[str, dict[str, list[str]]]:
    """Article -> surname key -> the texts of the article's voting person mentions that have a
    given name and a surname."""
    people: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        if item.kind == "person" and item.label not in _NON_VOTING:
            given, surname = names.person_parts(item.text)
            if given and surname:
                people[item.article][names.surname_key(surname)].append(item.text)
    return people


def _claim_surnames(items: list[_Item], texts: dict[str, str] | None = None) -> list[_Item]:
    """In an article that names "Mark Teixeira", a "Teixeira" the NER took for an organization
    (or "Chohan" for a place) is that person; real place names the gazetteer knows stay places
    where the article writes them as places ("in Jackson", "from Jackson"), but a bare
    "Jackson" that opens a clause in an article about Michael Jackson is him."""
    from kg.gazetteer import IS_PLACE_MIN_POPULATION, is_place_name

    people = _full_names_by_surname(items)
    out = []
    for item in items:
        if (
            item.kind in ("organization", "place")
            and not _kind_is_given(item.label)
            and item.article in people
            and (claim := _names_a_person(item.text, people[item.article]))
            and not (
                item.kind == "place"
                and is_place_name(
                    names.clean_mention(item.text, "place"),
                    _CLAIM_MIN_POPULATION if claim == "surname" else IS_PLACE_MIN_POPULATION,
                )
                and (claim != "surname" or _locative(texts, item))
            )
        ):
            item = _retype(item, "person")
        out.append(item)
    return out


_LOCATIVE = frozenset({"in", "at", "from", "near", "to", "into", "outside", "across", "around",
                       "through", "toward", "towards", "via", "of", "the", "suburban", "downtown"})  # fmt: skip


def _locative(texts: dict[str, str] | None, item: _Item) -> bool:
    """Whether the word before the mention reads as a place's ("in", "near", "of"), or the
    mention is followed by a comma and a capitalized word ("Jackson, Mississippi"); True when
    the text is unknown."""
    text = (texts or {}).get(item.article)
    if not text or item.start < 0:
        return True
    before = text[max(0, item.start - 24) : item.start].split()
    if not before or before[-1].lower().strip("\"'(") in _LOCATIVE:
        return True
    after = text[item.end : item.end + 3]
    return after.startswith(", ") and after[2:3].isupper()


def _claim_short_names(items: list[_Item]) -> list[_Item]:
    """In an article that names the "Indianapolis Colts", a "Colts" the NER took for a person
    or a place is that organization: the long name without its leading place or demonym
    (``_short_keys``), seen in the same article. A full person name of the article with that
    surname keeps its person."""
    shorts: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.kind == "organization" and " " in item.text and item.label not in _NON_VOTING:
            for short in _short_keys(_org_key(names.clean_mention(item.text, "organization"))):
                shorts[item.article].add(short)
    people = _full_names_by_surname(items)
    out = []
    for item in items:
        if (
            item.kind in ("person", "place")
            and not _kind_is_given(item.label)
            and item.article in shorts
            and _org_key(item.text) in shorts[item.article]
            and _surname_key(item.text) not in people.get(item.article, {})
        ):
            item = _retype(item, "organization")
        out.append(item)
    return out


def _claim_team_cities(items: list[_Item], texts: dict[str, str]) -> list[_Item]:
    """ "Indianapolis beat Jacksonville": in an article that names the "Indianapolis Colts" and
    calls them "Colts" too, the city written where no place reads ("in Indianapolis",
    "Indianapolis, Indiana") is the team (metonymy)."""
    teams: dict[str, set[tuple[str, str]]] = defaultdict(set)
    keys: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.label in _NON_VOTING:
            continue
        key = _org_key(names.clean_mention(item.text, "organization"))
        keys[item.article].add(key)
        if item.kind == "organization" and (city := team_city(key)):
            teams[item.article].add((city, key[len(city) + 1 :]))
    cities = {
        article: {city for city, tail in pairs if tail in keys[article]}
        for article, pairs in teams.items()
    }
    out = []
    for item in items:
        if (
            item.kind == "place"
            and not _kind_is_given(item.label)
            and item.article in cities
            and _org_key(item.text) in cities[item.article]
            and not _locative(texts, item)
        ):
            item = _retype(item, "organization")
        out.append(item)
    return out


def _claim_speaking_towns(
    items: list[_Item], texts: dict[str, str], people: set[str]
) -> list[_Item]:
    """ "Crystal said": a small town (_small_town) that speaks in an article is the person the
    corpus names with that surname (``people``, _person_words), wherever the article writes the
    name but not as a place ("in Crystal", "Crystal, Minnesota"). (A town that speaks and that
    the NER mostly calls an organization, "Hitachi said", is one by the corpus vote.)"""
    speaking: dict[str, set[str]] = defaultdict(set)  # article -> the towns that are people
    for item in items:
        if item.spoke and item.kind == "place" and not _kind_is_given(item.label):
            name = names.clean_mention(item.text, "place")
            if names.name_key(item.text, "person") in people and _small_town(name):
                speaking[item.article].add(name)
    if not speaking:
        return items
    out = []
    for item in items:
        if (
            item.kind == "place"
            and item.article in speaking
            and not _kind_is_given(item.label)
            and names.clean_mention(item.text, "place") in speaking[item.article]
            and (item.spoke or not _locative(texts, item))
        ):
            item = _retype(item, "person")
        out.append(item)
    return out


def _most(counter: Counter[str], kind: str) -> bool:
    """Whether ``kind`` has more votes than any other kind."""
    return all(counter[kind] > n for k, n in counter.items() if k != kind)


_SPEAKING_CITY_POPULATION = 500_000  # a city this large that "said" is its government


@cache
def _small_town(name: str) -> bool:
    """Whether the gazetteer reads ``name`` as a city under _SPEAKING_CITY_POPULATION that is no
    national capital ("Hitachi", "Halifax"; not "Beijing", "Canberra", "Scotland")."""
    from kg.gazetteer import is_capital, lookup_place

    record = lookup_place(name)
    return (
        record is not None
        and record.feature == "city"
        and record.population < _SPEAKING_CITY_POPULATION
        and not is_capital(record)
    )


def _names_a_person(text: str, people: dict[str, list[str]]) -> str:
    """How ``text`` names a person of the article: "surname", "given", "full", or ""."""
    cleaned = names.clean_mention(text, "person")
    words = cleaned.split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ""
    if names.is_acronym(cleaned):
        return ""
    full = people.get(names.surname_key(names.person_parts(cleaned)[1]), [])
    if len(words) == 1:
        if full:
            return "surname"
        return "given" if _given_name_of(cleaned, people) is not None else ""
    return "full" if any(names.compatible_persons(cleaned, other) for other in full) else ""


def _given_name_of(word: str, people: dict[str, list[str]]) -> str | None:
    """The one full name of the article whose first given name is ``word`` ("Lindsay")."""
    key = names.name_key(word, "person")
    found = {
        names.clean_mention(text, "person")
        for texts in people.values()
        for text in texts
        if (given := names.person_parts(text)[0]) and given[0] == key and len(key) > 1
    }
    return found.pop() if len(found) == 1 else None
