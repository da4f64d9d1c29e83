"""The mention stage: people, organizations, places and events named in a parsed article.

Statistical NER gives PERSON/ORG/GPE/LOC/FAC/NORP/EVENT spans; NORP demonyms ("Ukrainian") become
place mentions of their country; rules add event phrases ("the battle for Bakhmut", "full-scale war",
"Xi visited Putin in Russia") with their place and date.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources
from itertools import compress, pairwise
from typing import TYPE_CHECKING, Any, TypeVar

from kg import columns
from kg.attribution import (
    SUBJECT_DEPS,
    marks_of_tokens,
    read_lexicon,
    reporting_verbs,
    sentence_bounds,
    sentence_start,
    text_of,
)
from kg.names import (
    PARTY_WORDS,
    PEERAGES,
    POST_NOMINALS,
    given_name_gender,
    is_members_word,
    is_title_word,
    known_organization,
)
from kg.nlp import common_words
from kg.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

KIND_OF_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
    "COMPANY": "organization",  # not the NER's: a name a business noun describes (_companies)
}
_TRIM_TAIL = frozenset({"'s", "’s", "'", "’", ",", ".", ":", ";", "-", "—", "–"})


@lru_cache(maxsize=1)
def event_rules() -> dict[str, Any]:
    """The event lexicon shipped as package data (kg/data/events.json)."""
    return json.loads(resources.files("kg.data").joinpath("events.json").read_text("utf-8"))


def extract_mentions(doc: Doc, offset: int, sentence_of: dict[int, int]) -> list[Mention]:
    """Named mentions of one parsed chunk; offsets are shifted by the chunk's ``offset``.

    ``sentence_of`` maps a sentence's first token index to the article-wide sentence number.
    """
    headline = headline_tokens(doc)
    spans = [span for ent in doc.ents for span in _fix_headline_ent(ent, headline)]
    spans = _known_organizations(_join_nicknames(_drop_capitalized_words(spans, headline)))
    found = [m for s in spans if (m := _ent_mention(s, offset, sentence_of))]
    found = _names_are_people(doc, found, offset)
    found = _surnames_are_people(_companies(spans, found, offset))
    found.extend(propagate_names(doc, offset, sentence_of, found, headline))
    found = _companies_by_what_they_have(doc, offset, found)
    found = _without_works(doc, offset, found)
    found.extend(extract_events(doc, offset, sentence_of, found))
    return _qualify_places(text_of(doc), offset, _speakers_as_i_are_people(found))


def _speakers_as_i_are_people(found: list[Mention]) -> list[Mention]:
    """A name the NER took for an organization or a place that speaks as "I" in quote marks
    ('"Chelsea have destroyed me," Mutu said'; see ``_speaks_as_i``) is a person, and so is
    every mention of that name in the chunk."""
    names = {
        m.text
        for m in found
        if m.role == "i-speaker"
        and m.kind in ("organization", "place")
        and m.label != "NORP"
        and _demonym_country(m.text) is None  # "the American", "the Frenchman": a description
    }
    if not names:
        return found
    return [
        replace(m, kind="person", label="PERSON")
        if m.text in names and m.kind in ("organization", "place")
        else m
        for m in found
    ]


def _names_are_people(doc: Doc, found: list[Mention], offset: int = 0) -> list[Mention]:
    """A person's name the NER tagged an organization ("Fox News host Sean Hannity", "Carly
    Fiorina"): a given name of known gender and a second word that is neither a common noun or
    adjective ("Fox News", "Clinton Foundation", "Creighton Athletic"), a company suffix, nor
    the surname's slot after a place or a title ("Florida Sen.", "General Dempsey"); not "Al
    Jazeera", and not when the article names something else by the given name alone ("Creighton
    Bluejays" beside "Creighton", the university). After a person's title or role, the given
    name may be a place's and the second word a common one ("Liverpool forward Milan Baros")."""
    from kg.gazetteer import is_place_name
    from kg.names import corporate_suffix, given_name_gender, is_given_name, is_title_word

    words_table = common_words(doc.vocab)
    alone = {m.text for m in found if m.kind != "person" and " " not in m.text}
    out = []
    for m in found:
        words = m.text.split()
        if m.label == "ORG" and len(words) == 2 and all(w[:1].isupper() for w in words):
            given, last = words
            low = last.lower()
            common = words_table is not None and any(s in words_table for s in _stems(low))
            # a role in apposition, before or after, makes a given name of either sex enough,
            # and so does a title before it when the second word is no common word ("WorldCom
            # founder Bernie Ebbers", not "US rival Grey Global")
            apposed = _role_before(doc, m.start - offset) or _role_after(doc, m.end - offset)
            titled = apposed or _after_title(doc, m.start - offset)
            either = apposed or (titled and not common)
            person = (
                (given_name_gender(given) in ("m", "f") or (either and is_given_name(given)))
                and given.lower() not in _ARABIC_ARTICLES
                and given not in alone
                and not is_title_word(given)
                and not is_title_word(last)  # ("Pentagon spokesman Navy Capt. Jeff Davis")
                and (titled or not is_place_name(given))
                and re.fullmatch(r"[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)?", last) is not None
                and len(last) > 2
                and not corporate_suffix(last)
                and (titled or not common)
            )
            if person and written_in_lower_case(doc, low):
                person = False
            if person:
                m = replace(m, kind="person", label="PERSON")
        out.append(m)
    return out


def _after_title(doc: Doc, start: int) -> bool:
    """Whether the word before character ``start`` of the doc is a person's title or role
    ("forward", "President")."""
    return _title_before(doc, start, _WORD_BEFORE)


def _role_before(doc: Doc, start: int) -> bool:
    """Whether a person's title or role ends, with a comma, right before character ``start``
    of the doc: the name is in apposition with it ("the Holyrood leader, Nicola Sturgeon,")."""
    return _title_before(doc, start, _WORD_AND_COMMA_BEFORE)


_WORD_BEFORE = re.compile(r"(\S+)\s+$")
_WORD_AND_COMMA_BEFORE = re.compile(r"(\S+),\s+$")


def _title_before(doc: Doc, start: int, before: re.Pattern[str]) -> bool:
    from kg.names import is_title_word

    found = before.search(text_of(doc)[max(0, start - 40) : start])
    return found is not None and is_title_word(found.group(1))


# ", the party's Treasury spokesman," after a name: a role in apposition
_ROLE_AFTER = re.compile(r",\s+(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){0,4}?([A-Za-z-]+)\s*[,.]")


def _role_after(doc: Doc, end: int) -> bool:
    """Whether a person's title or role is in apposition right after character ``end`` of the
    doc ("Vince Cable, the party's Treasury spokesman, said")."""
    from kg.names import is_title_word

    match = _ROLE_AFTER.match(text_of(doc), end, end + 80)
    return match is not None and is_title_word(match.group(1))


def _companies(spans: list[Span], found: list[Mention], offset: int) -> list[Mention]:
    """A company its founder's name became: a name the NER took for a person or an organization
    (which ``_names_are_people`` may have read as a person: "Fannie Mae"), or a one-word name,
    that a business noun describes ("parts maker Robert Bosch", "Ford, the US car
    company", "the US carmaker, Ford,") is an organization, and so is the name or its bare
    last word elsewhere in the article ("the faulty Bosch part"), unless that word is a place's name or
    the article names a person by it whom nothing describes so ("Bill Ford" beside "Ford").
    Labelled COMPANY: a kind the linker keeps, so that no surname claims it for "Bill Ford"."""
    from kg.gazetteer import is_place_name

    described = {
        (s.start_char + offset, s.end_char + offset)
        for s in spans
        if (s.label_ in ("PERSON", "ORG") or len(s) == 1)
        and not (s.label_ in ("GPE", "LOC") and is_place_name(s.text))  # "In Argentina, Suez's"
        and _described_as_company(s)
    }
    if not described:
        return found
    texts = {m.text for m in found if (m.start, m.end) in described}
    words = {m.text.split()[-1] for m in found if (m.start, m.end) in described}
    words = {w for w in words if not is_place_name(w)} | texts
    people = {
        m.text.split()[-1]
        for m in found
        if m.kind == "person" and " " in m.text and (m.start, m.end) not in described
    }
    out = []
    for m in found:
        company = (m.start, m.end) in described or (
            m.text in words
            and m.kind in ("person", "organization", "place")
            and (m.kind != "person" or m.text not in people)
        )
        out.append(replace(m, kind="organization", label="COMPANY") if company else m)
    return out


def _companies_by_what_they_have(doc: Doc, offset: int, found: list[Mention]) -> list[Mention]:
    """A name whose shares the text speaks of, or that it gives a chief executive or a chairman
    (``_runs_as_a_company``), is a company wherever the article names it: "shares in
    Electrolux", "shares of UK Coal", "Vodafone's share price", "Electrolux saw its shares
    rise", "Euronext chief Jean-Francois Theodore" (a place has none; a gazetteer place keeps
    its kind: "shares in Japan"); so is a one-word name that speaks after "the", town or not
    ("the Halifax said": ``_speaks_after_the``), whatever kind the NER gave it."""
    from kg.gazetteer import is_place_name

    traded, voiced = set(), set()
    for m in found:
        if m.kind not in ("person", "organization", "place") or m.text in traded:
            continue
        span = doc.char_span(m.start - offset, m.end - offset)
        if span is None or m.label == "NORP":  # "French boss of Renault"
            continue
        if _speaks_after_the(span):
            voiced.add(m.text)  # "the Halifax said": the bank, not the town, whatever the votes
        elif not is_place_name(m.text) and (_traded(span.root) or _runs_as_a_company(span)):
            traded.add(m.text)
    if not traded and not voiced:
        return found
    return [
        replace(m, kind="organization", label="COMPANY")
        if m.text in voiced or (m.text in traded and m.kind in ("person", "place"))
        else m
        for m in found
    ]


# nouns that call the title after them a work: "the comedy Sideways", "the biopic Ray"
_WORK_NOUNS = frozenset({
    "album", "biopic", "comedy", "documentary", "drama", "film", "movie",
    "musical", "novel", "sitcom", "thriller",
})  # fmt: skip


def _without_works(doc: Doc, offset: int, found: list[Mention]) -> list[Mention]:
    """A title the text calls a film, an album or a novel ("the comedy Sideways", "the biopic
    Ray", "The Aviator, starring Leonardo DiCaprio", "Foxx has starred in Collateral") names a
    work, which is no person, organization or place (kg has no kind for works): the NER's
    "Sideways" (a place), "Ray" (a person) and "The Aviator" (an organization) are dropped
    wherever the article names them so."""
    people = {m.text.split()[-1] for m in found if m.kind == "person" and " " in m.text}
    works = set()
    for m in found:
        if m.kind == "event" or m.label == "NORP" or m.text in works or m.text in people:
            continue  # not "American" of "American Beauty", nor Bill Cosby of the sitcom Cosby
        span = doc.char_span(m.start - offset, m.end - offset)
        if span is not None and _called_a_work(span):
            works.add(m.text)
    if not works:
        return found
    return [m for m in found if m.kind == "event" or m.text not in works]


def _called_a_work(span: Span) -> bool:
    doc = span.doc
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        return False  # "She starred in Jean-Pierre Jeunet's A Very Long Engagement"
    start = span.start
    if span[0].lower_ != "the" and start > 0 and doc[start - 1].lower_ == "the":
        start -= 1  # "movie The Aviator" the NER cut to "Aviator"
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if before[-1:] and before[-1] in _WORK_NOUNS and not doc[start - 1].ent_type_:
        return True  # "the comedy Sideways" (not "film director Mike Leigh": "director")
    if before in (["starred", "in"], ["starring", "in"], ["starring", "role"]):
        return True
    after = [t.lower_ for t in doc[span.end : span.end + 2]]
    return after[:1] == ["starring"] or after == [",", "starring"]


# what only a body has, written right after its name ("Euronext chief Jean-Francois Theodore",
# "Air Deccan's managing director") or right before it with "of" ("the chief executive of Baikal")
_BODY_HEADS = (
    ("chief", "executive"), ("managing", "director"), ("finance", "director"), ("chairman",),
    ("chairwoman",), ("boss",), ("shareholders",), ("subsidiary",), ("headquarters",),
)  # fmt: skip


def _runs_as_a_company(span: Span) -> bool:
    """Whether the text gives the name what only a body has: a chief executive, a managing
    director, a chairman, a boss, shareholders ("Euronext chief Jean-Francois Theodore", "Air
    Deccan's managing director", "the boss of Baikal"; not "Bush's chief of staff"). (A relative
    "which" after the name is no cue: "... to McAuliffe, which may or may not be the best
    strategy" takes up the clause.)"""
    doc = span.doc
    after = span.end + (span.end < len(doc) and doc[span.end].tag_ == "POS")
    words = [t.lower_ for t in doc[after : after + 3]]
    for head in _BODY_HEADS:
        if tuple(words[: len(head)]) == head and words[len(head) : len(head) + 1] != ["of"]:
            return True
    if words[:1] == ["chief"] and after + 1 < len(doc) and doc[after + 1].text[:1].isupper():
        return True  # "Euronext chief Jean-Francois Theodore"
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    # (not "the chairman of Mrs. Clinton's presidential campaign")
    return (
        after == span.end
        and before[-1:] == ["of"]
        and any(tuple(before[-1 - len(h) : -1]) == h for h in _BODY_HEADS)
    )


def _speaks_after_the(span: Span) -> bool:
    """Whether a one-word name follows "the" and speaks ("the Halifax said", "the U.N. said"): a
    body, whatever the votes make of the name elsewhere; not a person (who takes no article), nor
    a town (but a country or a region speaks as itself: "the US said"; and "The Hague" is one)."""
    from kg.gazetteer import lookup_place

    if len(span) != 1 or span.start == 0 or span.doc[span.start - 1].lower_ != "the":
        return False
    if not _says(span.root):
        return False
    place = lookup_place(span.text)
    return place is None or (place.feature == "city" and not place.name.startswith("The "))


def _says(token: Token) -> bool:
    """Whether ``token`` is the subject of a reporting verb ("Thabo Mbeki said")."""
    return token.dep_ == "nsubj" and token.head.lemma_.lower() in reporting_verbs()


def _speech_subject(token: Token) -> bool:
    """Whether ``token`` is the subject of a verb that only reports speech ("Hitachi said",
    "Halifax told"; not "Guantanamo four questioned", "Hollywood was calling"), the
    ``Mention.role`` "speaker" (or "i-speaker", see ``_speaks_as_i``) the linker's kinds read;
    ``_says`` takes any reporting verb."""
    return token.dep_ == "nsubj" and token.head.lemma_.lower() in _SPEECH_LEMMAS


def _speaks_as_i(subject: Token) -> bool:
    """Whether the subject of a verb of saying (or of a verb a participle of saying goes on
    with: "Mutu hit out, saying: ...") reports words in quote marks that speak as "I" ('"I love
    this club," Mutu said'): only a person does."""
    doc = subject.doc
    if subject.dep_ != "nsubj" or (subject.i + 1 < len(doc) and doc[subject.i + 1].pos_ == "PROPN"):
        return False  # ("said Air Force 1st Lt. Tyler Livingston": the NER's span ends early)
    if subject.text.isupper() and len(subject.text) <= 3:
        return False  # ("Gov. John Kasich (R-OH), said": a state's letters)
    verb = subject.head
    verbs = [verb] if verb.lemma_.lower() in _SPEECH_LEMMAS else []
    verbs += [
        c
        for c in verb.children
        if c.dep_ in ("advcl", "xcomp", "conj")
        and c.tag_ == "VBG"
        and c.lemma_.lower() in _SPEECH_LEMMAS
    ]
    if not verbs:
        return False
    quoted = marks_of_tokens(doc)
    return any(
        t.lower_ in _FIRST_PERSON and t.tag_ in ("PRP", "PRP$") and quoted[t.i] is not None
        for v in verbs
        for clause in v.children
        if clause.dep_ == "ccomp"
        for t in clause.subtree
    )


_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})


# (wider than kg.attribution._SAYING, the verbs that report speech with no clause at all, which
# leaves out "add": "Social media has added another link"; a name that "added" mostly spoke)
_SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "announce", "warn", "explain", "state", "claim", "insist", "reply",
    "respond", "comment", "confirm", "deny", "predict", "argue",
})  # fmt: skip


def _shares(token: Token) -> bool:
    """ "shares", "share price": a company's stock."""
    if token.lower_ == "shares":
        return True
    return token.lower_ == "price" and any(c.lower_ == "share" for c in token.children)


def _traded(root: Token) -> bool:
    """Whether the text speaks of the shares of the name ``root`` heads: "shares in X", "X's
    share price", "X saw its shares rise"."""
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in ("in", "of") and head.head.lower_ == "shares":
        return True
    if any(c.dep_ == "case" for c in root.children) and _shares(head):
        return True
    if root.dep_ != "nsubj":
        return False
    near = [c for c in head.children if c.i > root.i]
    near += [g for c in near if c.dep_ in ("ccomp", "xcomp") for g in c.children]
    return any(
        _shares(t) and any(c.dep_ == "poss" and c.lower_ == "its" for c in t.children) for t in near
    )


def _described_as_company(span: Span) -> bool:
    """Whether a business noun describes the name: the modifier right before it ("parts maker
    Robert Bosch", not "group chairman Victor Blank"), or an apposition beside it, after a
    comma ("Ford, the US car company", "the US carmaker, Ford,"; not "Paul Hofheinz of the
    Lisbon Council, a citizen action group")."""
    root, doc = span.root, span.doc
    if any(c.dep_ == "case" for c in root.children):
        return False  # an owner: "the firm - China's biggest jet fuel supplier -"
    before = [c for c in root.children if c.dep_ == "compound" and c.i < span.start]
    if before and _company_noun(before[-1]):
        return True
    after = span.end + 1 if span.end < len(doc) and doc[span.end].text == "," else span.end
    appositions = [c for c in root.children if c.dep_ == "appos" and c.left_edge.i == after]
    if any(_company_noun(c) for c in appositions):
        return True
    head = root.head
    return (
        root.dep_ == "appos"
        and head.i < span.start
        and all(doc[k].is_punct for k in range(head.i + 1, span.start))
        and _company_noun(head)
    )


_NOT_COMPANY_MAKERS = frozenset({"film", "movie", "policy", "decision", "law", "peace", "music",
                                 "documentary", "trouble", "rain", "king", "deal", "match"})  # fmt: skip


def _company_noun(token: Token) -> bool:
    """A common noun naming a business (kg/data/company_nouns.txt), singular; "maker" only
    with what it makes ("parts maker", not "film maker")."""
    from kg.speakers import company_nouns

    if token.pos_ != "NOUN" or token.tag_ != "NN" or token.lower_ not in company_nouns():
        return False
    if any(c.lower_.endswith("based") for c in token.children if c.dep_ == "amod"):
        return False  # "The Jacksonville, Florida-based firm": where it is, not what
    if token.lower_ != "maker":
        return True
    made = [c for c in token.children if c.dep_ == "compound"]
    return bool(made) and made[-1].lower_ not in _NOT_COMPANY_MAKERS


_ARABIC_ARTICLES = frozenset({"al", "el"})  # Al Jazeera, Al Qaeda, El Nuevo Herald


def _stems(low: str) -> tuple[str, ...]:
    """A word and the singulars it may be a plural of ("brothers", "scouts", "enterprises")."""
    return (low, low[:-1], low[:-2], low[:-3] + "y") if low.endswith("s") else (low,)


def _surnames_are_people(found: list[Mention]) -> list[Mention]:
    """One sense per discourse: a bare surname the NER tagged an organization or a place
    ("Trump responded ...", "Singh, 47, voted") is the person the article names in full
    ("Donald Trump"), unless it is a place's name too ("Washington", "Jordan")."""
    from kg.gazetteer import is_place_name
    from kg.names import surname_key

    surnames = {
        surname_key(m.text.split()[-1])
        for m in found
        if m.label == "PERSON" and len(m.text.split()) > 1
    }
    return [
        replace(m, kind="person", label="PERSON")
        if m.label in ("ORG", "GPE")
        and " " not in m.text
        and surname_key(m.text) in surnames
        and not is_place_name(m.text)
        else m
        for m in found
    ]


_QUALIFIER_GAP = re.compile(r",[ \t]*")
_QUALIFIER_END = re.compile(r"[ \t]*(?:[,.;:)\]\u2013\u2014-]|\n|$)")


def _qualify_places(text: str, offset: int, found: list[Mention]) -> list[Mention]:
    """A place written "Springfield, Ill." or "Portland, Maine": the place after the comma, where
    a clause could end, is where it lies (``Mention.place``): the linker tells the Springfields
    apart by it and records it (schema:containedInPlace)."""
    places = sorted((m for m in found if m.kind == "place"), key=lambda m: m.start)
    qualified: dict[int, Mention] = {}
    for city, region in pairwise(places):
        gap = text[city.end - offset : region.start - offset]
        ends = _QUALIFIER_END.match(text, region.end - offset)  # "Bakhmut, U.S. officials": no
        if not city.place and _QUALIFIER_GAP.fullmatch(gap) and ends and city.label != "NORP":
            qualified[id(city)] = replace(city, place=region.text)
    return [qualified.get(id(m), m) for m in found] if qualified else found


# --- headlines -------------------------------------------------------------------------------


def headline_tokens(doc: Doc) -> frozenset[int]:
    """Token indices of Title Case or ALL CAPS sentences ("Lindsay Lohan Checks Into Rehab").

    There every word looks like a name, so the NER runs names into verbs and nouns; the
    mention stage checks what it found there against the rest of the article. Found once per
    doc (mentions and the speaker stage both ask).
    """
    cached = doc.user_data.get(_HEADLINES)
    if cached is not None and cached[0] == len(doc):
        return cached[1]  # type: ignore[no-any-return]
    texts, pos = columns.strings(doc, "ORTH"), columns.strings(doc, "POS")
    alpha, stop = columns.numbers(doc, "IS_ALPHA"), columns.numbers(doc, "IS_STOP")
    out: set[int] = set()
    for start, end in sentence_bounds(doc):
        words = [i for i in range(start, end) if alpha[i] and len(texts[i]) >= 2 and not stop[i]]
        if len(words) < 3:
            continue
        lower = [i for i in words if not texts[i][0].isupper()]
        # Title Case capitalizes verbs: "The New York Times reports:" is a sentence
        if len(lower) <= 0.25 * len(words) and not any(pos[i] == "VERB" for i in lower):
            out.update(range(start, end))
    found = frozenset(out)
    doc.user_data[_HEADLINES] = (len(doc), found)
    return found


_HEADLINES = "kg.headline_tokens"


def _name_tokens(span: Span) -> tuple[str, ...]:
    """The words of a name as a lookup key: no leading "the", no possessive, no punctuation."""
    return _name_words(span.doc, range(span.start, span.end))


def _name_words(doc: Doc, tokens: range) -> tuple[str, ...]:
    """``_name_tokens`` of the doc's ``tokens``."""
    texts, space = columns.strings(doc, "ORTH"), columns.numbers(doc, "IS_SPACE")
    words = [texts[i] for i in tokens if not space[i] and texts[i] not in _TRIM_TAIL]
    if words and words[0].lower() == "the":
        words = words[1:]
    return tuple(words)


def _body_names(doc: Doc, headline: frozenset[int]) -> set[tuple[str, ...]]:
    """Names the NER found outside headlines, as word tuples (case kept); found once per doc
    and headline (the set is shared: read it, never change it)."""
    return _per_headline(doc, "kg.body_names", headline, _find_body_names)


def _find_body_names(doc: Doc, headline: frozenset[int]) -> set[tuple[str, ...]]:
    names = set()
    for ent in doc.ents:
        if ent.label_ in KIND_OF_LABEL and ent.start not in headline:
            key = _name_tokens(ent)
            if key:
                names.add(key)
    return names


def _common_words(doc: Doc, headline: frozenset[int]) -> set[str]:
    """Words the article writes in lower case outside its headlines (forms and lemmas); found
    once per doc and headline (the set is shared: read it, never change it)."""
    return _per_headline(doc, "kg.common_words", headline, _find_common_words)


def _find_common_words(doc: Doc, headline: frozenset[int]) -> set[str]:
    texts, lemmas = columns.strings(doc, "ORTH"), columns.strings(doc, "LEMMA")
    alpha = columns.numbers(doc, "IS_ALPHA")
    lower = [i for i in compress(range(len(texts)), alpha) if texts[i].islower()]
    if headline:
        lower = [i for i in lower if i not in headline]
    lemma_forms = {lemma.lower() for lemma in set(map(lemmas.__getitem__, lower))}
    return set(map(texts.__getitem__, lower)) | lemma_forms


_Found = TypeVar("_Found")


def _per_headline(
    doc: Doc, key: str, headline: frozenset[int], find: Callable[[Doc, frozenset[int]], _Found]
) -> _Found:
    """``find(doc, headline)``, computed once per doc and headline (kept in ``doc.user_data``)."""
    cached = doc.user_data.get(key)
    if cached is not None and cached[0] == len(doc) and cached[1] == headline:
        return cached[2]  # type: ignore[no-any-return]
    found = find(doc, headline)
    doc.user_data[key] = (len(doc), headline, found)
    return found


def _is_common(token: Token, common: set[str]) -> bool:
    """A headline word the article also writes in lower case: "Checks", "Dies", "Suspect"."""
    return token.is_alpha and _is_common_word(token.lower_, common)


def written_in_lower_case(doc: Doc, low: str, headline: frozenset[int] = frozenset()) -> bool:
    """Whether the article writes the word ``low`` (or a form of it) in lower case outside
    ``headline``: a common word there, not a name ("Sanders" is never "sanders")."""
    return _is_common_word(low, _common_words(doc, headline))


def _is_common_word(low: str, common: set[str]) -> bool:
    """``_is_common`` of a word (letters only) in lower case."""
    stems = {low, low[:-1], low[:-2], low[:-3], low[:-3] + "e", low[:-1] + "e", low + "s"}
    return any(s in common for s in stems if len(s) >= 3)


def _drop_capitalized_words(spans: list[Span], headline: frozenset[int]) -> list[Span]:
    """A one-word person or organization where capitals say nothing (a headline, a sentence
    start) that the article also writes in lower case is a word: "Sheriff", "Arson", "Police".
    Kept when it is a name of a person the article names in full ("May" beside "Theresa May")."""
    if not spans:
        return spans
    doc = spans[0].doc
    texts, alpha = columns.strings(doc, "ORTH"), columns.numbers(doc, "IS_ALPHA")
    parts = {
        texts[i]
        for s in spans
        if s.label_ == "PERSON" and len(s) > 1
        for i in range(s.start, s.end)
        if alpha[i]
    }
    common: set[str] | None = None
    kept = []
    for span in spans:
        if len(span) == 1 and span.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
            token = span[0]
            if (
                (token.is_sent_start or token.i in headline)
                and token.text not in parts
                and (not token.is_upper or token.i in headline)
            ):
                common = common if common is not None else _common_words(doc, headline)
                if _is_common(token, common) if span.label_ == "PERSON" else token.lower_ in common:
                    continue  # "Rehires", "Weighs" as people; "MAN" (the Isle of Man) in "MAN CHARGED"
        kept.append(span)
    return kept


_OPEN_NICK = frozenset({"'", "‘", '"', "“", "("})
_CLOSE_NICK = frozenset({"'", "’", '"', "”", ")"})


def _join_nicknames(spans: list[Span]) -> list[Span]:
    """ "Vincent 'The Chin' Gigante", "Luis Gerardo (Jerry) Ortiz": a nickname in quotes or
    brackets between a person's given names and surname, which the NER splits into two or three
    entities (the nickname a place, say). Joined into one person mention when a person entity
    ends right before the opening mark (or holds it) and a capitalized proper noun follows the
    closing one."""
    from spacy.tokens import Span as SpanType

    if not spans:
        return spans
    doc = spans[0].doc
    joined: list[tuple[int, int]] = []
    for span in spans:
        if span.label_ != "PERSON":
            continue
        j = span.end - 1 if doc[span.end - 1].text in _OPEN_NICK else span.end
        if j >= len(doc) or doc[j].text not in _OPEN_NICK or j == span.start:
            continue
        k = next(
            (k for k in range(j + 2, min(j + 5, len(doc))) if doc[k].text in _CLOSE_NICK), None
        )
        if k is None or k + 1 >= len(doc) or not all(t.is_alpha for t in doc[j + 1 : k]):
            continue
        if not doc[j + 1 : k].text[:1].isupper():
            continue
        end = k + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        if end > k + 1 and "\n" not in doc[span.start : end].text:
            joined.append((span.start, end))
    if not joined:
        return spans
    kept = [s for s in spans if not any(a <= s.start < b or a < s.end <= b for a, b in joined)]
    kept.extend(SpanType(doc, a, b, label="PERSON") for a, b in joined)
    return sorted(kept, key=lambda s: s.start)


def _known_organizations(spans: list[Span]) -> list[Span]:
    """A party or body of kg/data/org_aliases.tsv is an organization however the NER typed or cut
    it: "Liberal Democrats" and "Tories" (NORP), "Liberal" (GPE) + "Democrat" (NORP), and
    "Lib Dem" at the head of the person "Lib Dem Norman Baker"."""
    from spacy.tokens import Span as SpanType

    out: list[Span] = []
    i = 0
    while i < len(spans):
        span, after = spans[i], spans[i + 1] if i + 1 < len(spans) else None
        if after is not None and after.start == span.end and known_organization(
            span.doc[span.start : after.end].text
        ):
            out.append(SpanType(span.doc, span.start, after.end, label="ORG"))
            i += 2
            continue
        before = span.start - 1  # "Liberal" (no entity) + "Democrat" (NORP)
        if (
            before >= 0
            and not (out and out[-1].end > before)
            and span.doc[before].text[:1].isupper()
            and known_organization(span.doc[before : span.end].text)
        ):
            out.append(SpanType(span.doc, before, span.end, label="ORG"))
        elif span.label_ != "ORG" and known_organization(span.text):
            out.append(SpanType(span.doc, span.start, span.end, label="ORG"))
        elif span.label_ in ("PERSON", "ORG") and (members := _members_of_party(span)):
            # "Labour MPs'": the party; its members are nobody's name
            out.append(SpanType(span.doc, span.start, members, label="ORG"))
        elif span.label_ == "PERSON" and (head := _party_head(span)):
            out.append(SpanType(span.doc, span.start, span.start + head, label="ORG"))
            name = span.start + head  # "Lib Dem MP Lembit Opik": the person is Lembit Opik
            while span.end - name > 2 and span.doc[name].text in POST_NOMINALS:
                name += 1
            out.append(SpanType(span.doc, name, span.end, label="PERSON"))
        else:
            out.append(span)
        i += 1
    return out


def _party_head(span: Span) -> int:
    """The number of leading words of a person entity that name a known organization, when a
    name of two words or more follows ("Lib Dem" + "Norman Baker"); else 0."""
    for n in (2, 1):
        rest = span[n:]
        if (
            len(rest) >= 2
            and all(t.text[:1].isupper() and t.is_alpha for t in rest)
            and known_organization(span[:n].text)
        ):
            return n
    return 0


def _members_of_party(span: Span) -> int:
    """Where the members start in "Labour MPs", "Tory MEPs'" (a known party, then its members),
    else 0."""
    end = span.end
    while end > span.start + 1 and (span.doc[end - 1].is_punct or span.doc[end - 1].tag_ == "POS"):
        end -= 1
    if end - span.start < 2 or not is_members_word(span.doc[end - 1].text):
        return 0
    return end - 1 if known_organization(span.doc[span.start : end - 1].text) else 0


def _name_word(token: Token, common: set[str]) -> bool:
    return (
        token.is_alpha
        and token.text[:1].isupper()
        and not token.is_stop
        and not _is_common(token, common)
    )


def _fix_headline_ent(ent: Span, headline: frozenset[int]) -> list[Span]:
    """An entity in a headline, checked against the article: cut to the names the body uses
    ("Lindsay Lohan Checks Into Rehab" -> "Lindsay Lohan"; "Obama Reverses Bush" -> "Obama",
    "Bush"; "Obama Administration Flips" -> "Obama Administration"), else cut before the first
    word the body writes in lower case; dropped when nothing is left ("Investigation of Facility
    Pending")."""
    from spacy.tokens import Span as SpanType

    if ent.start not in headline or ent.label_ not in KIND_OF_LABEL:
        return [ent]
    doc = ent.doc
    names = _body_names(doc, headline)
    if _name_tokens(ent) in names:
        return [ent]
    upper = {tuple(w.upper() for w in n) for n in names}
    common = _common_words(doc, headline)
    pieces: list[Span] = []
    i = ent.start
    while i < ent.end:
        for j in range(ent.end, i, -1):
            words = tuple(t.text for t in doc[i:j])
            if words in names or (doc[i:j].text.isupper() and words in upper):
                start = i  # "Esther Williams" where the body says "Williams"
                while start > ent.start and _name_word(doc[start - 1], common):
                    start -= 1
                if j < ent.end and doc[j].lower_ in GOVERNMENT_NOUNS:
                    j += 1  # "Obama Administration Flips ...": the government, not the man
                if not pieces or pieces[-1].end <= start:
                    pieces.append(SpanType(doc, start, j, label=ent.label_))
                i = j
                break
        else:
            i += 1
    if pieces:
        return pieces
    end = ent.start
    while end < ent.end and not (_is_common(doc[end], common) and not doc[end].is_stop):
        end += 1
    while end > ent.start and (doc[end - 1].is_stop or doc[end - 1].is_punct):
        end -= 1
    if end <= ent.start:
        return []
    return [SpanType(doc, ent.start, end, label=ent.label_)]


def propagate_names(
    doc: Doc,
    offset: int,
    sentence_of: dict[int, int],
    found: list[Mention],
    headline: frozenset[int] = frozenset(),
) -> list[Mention]:
    """One sense per discourse: a name the NER found once is a mention wherever it recurs.

    The small model finds "the Sixers" in one sentence and misses them in the next, or misses a
    name in a Title Case headline: the same words elsewhere in the article are the same entity.
    A one-word name must be a proper noun there (or sit in a headline and not be a word the
    article also writes in lower case). Surnames fold too: when the article names "Volodymyr
    Zelenskyy", a bare "Zelensky" the NER missed is that person (``names.surname_key``).
    """
    covered = {i for m in found for i in range(m.start - offset, m.end - offset)}
    kinds: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    labels: dict[tuple[str, ...], str] = {}
    for m in found:
        tokens = columns.token_range(doc, m.start - offset, m.end - offset)
        if m.label not in KIND_OF_LABEL or tokens is None:
            continue
        key = _name_words(doc, tokens)
        if key and any(w[:1].isupper() for w in key):
            kinds[key][m.kind] += 1
            labels.setdefault(key, m.label)
    for key in _team_names(found, doc, offset, set(kinds)):
        kinds[key]["organization"] += 1
        labels.setdefault(key, "ORG")
    extra = _propagate_exact(doc, offset, sentence_of, kinds, labels, covered, headline)
    covered.update(i for m in extra for i in range(m.start - offset, m.end - offset))
    extra.extend(_propagate_surnames(doc, offset, sentence_of, found, covered, headline))
    return extra


def _team_names(
    found: list[Mention], doc: Doc, offset: int, known: set[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """ "Chiefs" of the "Kansas City Chiefs", "Tar Heels" of the "North Carolina Tar Heels": an
    organization named by a place and a capitalized name is called by that name alone in
    the rest of the article, where the NER often misses it."""
    from kg.gazetteer import country_for_demonym, is_place_name

    out = []
    for m in found:
        if m.kind != "organization" or m.label not in ("ORG", "ORG-NAMED-AFTER"):
            continue
        tokens = columns.token_range(doc, m.start - offset, m.end - offset)
        words = list(_name_words(doc, tokens)) if tokens is not None else []
        for cut in (3, 2, 1):  # the longest place: "Kansas City", not "Kansas"
            head, tail = " ".join(words[:cut]), tuple(words[cut:])
            if not tail or len(tail) > 2 or tail in known:
                continue
            if not all(w[:1].isupper() or w[:1].isdigit() for w in tail):
                continue
            if is_place_name(head) or country_for_demonym(head) is not None:
                out.append(tail)
                break
    return sorted(set(out))


_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _propagate_exact(
    doc: Doc,
    offset: int,
    sentence_of: dict[int, int],
    kinds: dict[tuple[str, ...], Counter[str]],
    labels: dict[tuple[str, ...], str],
    covered: set[int],
    headline: frozenset[int],
) -> list[Mention]:
    upper = {key: tuple(map(str.upper, key)) for key in kinds}
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in sorted(kinds, key=lambda k: (-len(k), k)):
        by_first[key[0]].append(key)
        by_first[key[0].upper()].append(upper[key])
    originals = {upper[k]: k for k in kinds}
    texts, idx = columns.strings(doc, "ORTH"), columns.numbers(doc, "IDX")
    ent_types, poses = columns.strings(doc, "ENT_TYPE"), columns.strings(doc, "POS")
    alpha, lowers = columns.numbers(doc, "IS_ALPHA"), columns.strings(doc, "LOWER")
    common: set[str] | None = None
    extra: list[Mention] = []
    free = 0  # the first token after the last match
    for i in list(_where(texts, by_first)):
        if i < free:
            continue
        match = None
        for key in by_first[texts[i]]:
            j = i + len(key)
            words = tuple(texts[i:j])
            if j > len(doc) or words != key:
                continue
            end_char = idx[j - 1] + len(texts[j - 1])
            if key not in kinds and not text_of(doc)[idx[i] : end_char].isupper():
                continue
            if not covered.isdisjoint(range(idx[i], end_char)):
                continue
            if any(ent_types[k] in _NOT_NAMES for k in range(i, j)):
                continue
            if (
                len(key) == 1
                and poses[i] != "PROPN"
                and i not in headline
                # but a known party the tagger took for a noun: "Labour, needless to say, claim"
                and not (
                    known_organization(texts[i])
                    and not written_in_lower_case(doc, lowers[i], headline)
                )
            ):
                continue
            if len(key) == 1 and i in headline:
                common = common if common is not None else _common_words(doc, headline)
                if alpha[i] and _is_common_word(lowers[i], common):
                    continue
            match = (j, key if key in kinds else originals[key])
            break
        if match is None:
            continue
        j, key = match
        span = doc[i:j]
        votes = kinds[key]
        kind = min(votes, key=lambda k: (-votes[k], k))
        label = labels[key] + "-PROPAGATED"
        if kind == "person":
            if _names_nobody(span):
                continue
            span, kind, label = _government_of(span, kind, label)  # "Obama Administration"
        extra.append(
            Mention(
                start=offset + span.start_char,
                end=offset + span.end_char,
                text=span.text,
                kind=kind,
                label=label,
                sentence=sentence_of[sentence_start(doc, span.start)],
                role="subject" if span.root.dep_ in SUBJECT_DEPS else "",
            )
        )
        free = span.end
    return extra


def _propagate_surnames(
    doc: Doc,
    offset: int,
    sentence_of: dict[int, int],
    found: list[Mention],
    covered: set[int],
    headline: frozenset[int] = frozenset(),
) -> list[Mention]:
    """A surname the NER found once is a person wherever it recurs (Zelenskyy / Zelensky)."""
    from kg.gazetteer import is_place_name
    from kg.names import surname_key

    surnames = {
        surname_key(m.text.split()[-1])
        for m in found
        if m.kind == "person" and m.label == "PERSON" and not is_place_name(m.text.split()[-1])
    }
    surnames.discard("")
    if not surnames:
        return []
    extra = []
    common: set[str] | None = None
    idx, texts = columns.numbers(doc, "IDX"), columns.strings(doc, "ORTH")
    poses, ent_types = columns.strings(doc, "POS"), columns.strings(doc, "ENT_TYPE")
    alpha, lowers = columns.numbers(doc, "IS_ALPHA"), columns.strings(doc, "LOWER")
    deps = columns.strings(doc, "DEP")
    # the words that fold to a surname, each word's key found once (most tokens are none)
    named = {
        w for w in set(texts) if len(w) >= 3 and w[:1].isupper() and surname_key(w) in surnames
    }
    for i in [i for i, text in enumerate(texts) if text in named]:
        text = texts[i]
        if idx[i] in covered:
            continue
        if poses[i] != "PROPN":
            # "Cheeks returns as coach", "Judge sentences Orozco": a surname the tagger misread
            # (a noun, an adjective), which the article never writes in lower case
            if not alpha[i]:
                continue
            common = common if common is not None else _common_words(doc, headline)
            if _is_common_word(lowers[i], common):
                continue
        # (but "Mr Tellier" the NER took for a date: an honorific names a person)
        honoured = i > 0 and lowers[i - 1].rstrip(".") in _PERSONAL_HONORIFICS
        if ent_types[i] and ent_types[i] not in ("PERSON", "ORG", "NORP") and not honoured:
            continue
        first = i
        if i > 0 and idx[i - 1] not in covered and _given_name_before(doc, i - 1, headline):
            first = i - 1  # "Ivanka Trump" where the NER took "Ivanka" for a product
        extra.append(
            Mention(
                start=offset + idx[first],
                end=offset + idx[i] + len(text),
                text=text_of(doc)[idx[first] : idx[i] + len(text)],
                kind="person",
                label="PERSON-PROPAGATED",
                sentence=sentence_of[sentence_start(doc, i)],
                role="subject" if deps[i] in SUBJECT_DEPS else "",
            )
        )
    return extra


def _given_name_before(doc: Doc, j: int, headline: frozenset[int]) -> bool:
    """Whether token ``j``, right before a surname, is a given name the NER left out of the
    person ("Ivanka" tagged PRODUCT before "Trump"): capitalized, a known given name, no word
    the article also writes in lower case ("Will Trump win?")."""
    from kg.names import is_given_name

    word = doc[j]
    if not (word.is_alpha and word.text[:1].isupper() and word.ent_type_ not in ("PERSON", "ORG")):
        return False
    if not is_given_name(word.text) or word.whitespace_ != " ":
        return False
    return not _is_common_word(word.lower_, _common_words(doc, headline))


def _honoured(span: Span) -> bool:
    """A name opening with a personal honorific and nothing but capitalized words: "Mr Balls"
    (not "Mr Brown's International Finance Facility")."""
    return (
        2 <= len(span) <= 4
        and span[0].lower_.rstrip(".") in _PERSONAL_HONORIFICS
        and all(t.text[:1].isupper() and t.tag_ != "POS" for t in span[1:])
    )


def _ent_mention(ent: Span, offset: int, sentence_of: dict[int, int]) -> Mention | None:
    label = ent.label_
    kind = KIND_OF_LABEL.get(label)
    if kind is None and label == "NORP":
        # "Cuban said" where the article names Mark Cuban: his surname, not a nationality
        # ("Cuban officials" still are Cuba's)
        surname = ent.root.dep_ not in MODIFIER_DEPS and _text(ent) in _person_surnames(ent.doc)
        kind = "place" if _demonym_country(_text(ent)) and not surname else None
    if (
        kind in ("person", "organization")
        and len(ent) == 1
        and ent[0].tag_ not in ("NNPS", "NNS")  # "Greeks", "Britons": people, as ECB+ has them
        and _demonym_country(_text(ent))
        and ent.root.dep_ not in MODIFIER_DEPS  # not "Brit" of "Brit award nominations"
        and _text(ent) not in _person_surnames(ent.doc)  # nor Dawn French's surname
    ):
        kind, label = "place", "NORP"  # "Briton dies", "the Welsh" the NER took for people
    if kind is None:
        return None
    span = _trim(ent)
    if span is not None and kind in ("organization", "place") and _honoured(span):
        kind, label = "person", "PERSON"  # "Mr Balls" the NER took for an organization
    if span is not None and kind in ("organization", "place"):
        named = _titled_given_name(span)
        if named is not None:  # "Cardinal Cormac" + "Murphy-O'Connor", an organization
            span, kind, label = named, "person", "PERSON"
        elif _peer(span) or _titled_peer(span) or _after_honorific(span, kind):
            kind, label = "person", "PERSON"  # "Lord" + "Tebbit", an organization
    if span is not None and kind == "person":
        span, kind, label = _government_of(span, kind, label)
    if span is not None and kind == "person":
        span, kind, label = _named_after(span, kind, label)
    if span is not None and kind == "place" and label == "GPE":
        span, kind, label = _team_of(span, kind, label)
    if span is not None and kind == "person" and _platform(span):
        kind, label = "organization", "ORG"  # "posted on Twitter", "Facebook said"
    if span is not None and kind == "person" and _plural_after_the(span):
        kind, label = "organization", "ORG"  # "the Jaguars", "the Tar Heels": a team, a band
    if span is not None and kind == "place" and _person_typed_a_place(span):
        kind, label = "person", "PERSON"  # "Thabo Mbeki said", "Simon Champion": no place
    if span is not None and kind == "person" and _acronym(span):
        kind, label = "organization", "ORG"  # "BAA said", "The ODPM attributed": letters
    if span is not None and kind == "person":
        span = _past_title(span)
    if span is not None and kind == "person" and _names_nobody(span):
        return None
    if span is not None and kind in ("place", "organization") and _office_word(span):
        return None  # "Home Secretary David Blunkett": "Home" is the office's, no body's name
    if span is not None and kind in ("place", "organization") and _lower_word(span):
        return None  # "200bn", "tsunamis": a one-word name has a capital letter
    if span is not None and kind == "organization" and _only_titles(span):
        return None  # "the Bishop said", "Cardinal O'Connor": a title, for the speaker rules
    if span is not None and (_post_nominal(span) or (len(span) == 1 and is_members_word(span.text))):
        return None  # "Tom McCabe MSP", "MPs": letters after a name, no organization
    if span is not None and kind == "organization" and _named_with_post_nominal(span):
        kind, label = "person", "PERSON"  # (kg.names.clean_mention drops the letters)
    if span is not None and kind == "person":
        span = _with_honorific(span)
    text = _text(span) if span is not None else ""
    if span is None or "\n" in text or not _has_letter(text):
        return None
    if not _has_letter(re.sub(r"^(?:the|The|THE)\s+", "", text)):
        return None  # "the 2002": a year the NER took for an event
    role = (
        "i-speaker"
        if _speaks_as_i(span.root)
        else "speaker"
        if _speech_subject(span.root)
        else "subject"
        if span.root.dep_ in SUBJECT_DEPS
        else ""
    )
    return Mention(
        start=offset + span.start_char,
        end=offset + span.end_char,
        text=text,
        kind=kind,
        label=label,
        sentence=sentence_of[sentence_start(span.doc, span.start)],
        role=role,
    )


# last words of place names ("Grace Bay", "George Street"): a name ending in one is a place; and
# first words that open place names more than people's ("West Sussex", "Belle Vue", "Les ...")
_PLACE_WORDS = frozenset({
    "abbey", "airport", "ave", "avenue", "bay", "beach", "blvd", "boulevard", "bridge", "castle",
    "cathedral", "center", "centre", "church", "city", "coast", "college", "county", "court",
    "crescent", "drive", "east", "falls", "field", "fields", "forest", "garden", "gardens", "gate",
    "green", "hall", "harbor", "harbour", "heights", "hill", "hills", "house", "island", "islands",
    "lake", "lane", "mall", "market", "mountain", "north", "palace", "parade", "park", "place",
    "plain", "plains", "plaza", "point", "port", "rd", "river", "road", "roads", "school", "south",
    "springs", "square", "stadium", "state", "station", "street", "tech", "terrace", "town",
    "township", "university", "valley", "village", "way", "west", "wood", "woods",
})  # fmt: skip
_PLACE_OPENERS = frozenset({
    "belle", "east", "el", "fort", "great", "king", "la", "lady", "las", "le", "les", "little",
    "lord", "los", "lower", "mount", "new", "north", "port", "prince", "princess", "queen",
    "saint", "san", "santa", "south", "st", "upper", "west",
})  # fmt: skip


def _titled_given_name(span: Span) -> Span | None:
    """The person whose surname alone the NER took for an organization or a place, after a
    title and a given name it left out: "Cardinal Cormac" + "Murphy-O'Connor", "frontwoman Ana"
    + "Matronic". The span from the given name on, or None."""
    from kg.names import is_given_name, is_title_word

    doc, start = span.doc, span.start
    if start < 2 or not _one_name(span):
        return None
    given, title = doc[start - 1], doc[start - 2]
    if given.ent_type_ or not given.is_alpha or not given.text[:1].isupper():
        return None
    if given.whitespace_ != " " or not is_given_name(given.text) or not is_title_word(title.text):
        return None
    return doc[start - 1 : span.end]


def _one_name(span: Span) -> bool:
    """One capitalized word, or several joined without a space ("Murphy-O'Connor")."""
    return " " not in span.text and span.text[:1].isupper()


def _peer(span: Span) -> bool:
    """Whether one capitalized word (or a hyphenated one) after "Lord", "Baroness" or "Baron",
    which no entity holds, is a peer's name ("Tory peer Lord Tebbit", "Lord Campbell-Savours"),
    which the NER took for an organization or a place (Hutton)."""
    doc, start = span.doc, span.start
    if start < 1 or not _one_name(span):
        return False
    title = doc[start - 1]
    return title.text in PEERAGES and not title.ent_type_ and title.whitespace_ == " "


def _titled_peer(span: Span) -> bool:
    """ "Lord Falconer", "Baroness Amos" the NER took whole for a place or an organization: a
    peerage style and one name (the linker's vote may still side with a place of that name:
    "Baroness Scotland" votes with Scotland)."""
    return len(span) == 2 and span[0].text in PEERAGES and _one_name(span[1:])


def _after_honorific(span: Span, kind: str) -> bool:
    """ "Mr" + "Mukerjee", a place: one name right after a personal honorific is a person's ("Dr"
    only before a place: "Dr Pepper" is a brand)."""
    if span.start < 1 or not _one_name(span):
        return False
    before = span.doc[span.start - 1]
    word = before.lower_.rstrip(".")
    honorifics = _NAME_HONORIFICS | {"dr"} if kind == "place" else _NAME_HONORIFICS
    return word in honorifics and not before.ent_type_


def _person_typed_a_place(span: Span) -> bool:
    """Whether a place of two or three capitalized words that no gazetteer knows is a person:
    it opens with a given name ("Simon Champion"), speaks ("Thabo Mbeki said") or follows a
    title ("President Thabo Mbeki"), and no word of a place name ends it ("Grace Bay")."""
    from kg.gazetteer import is_place_name

    words = [t.text for t in span]
    if not 2 <= len(words) <= 3 or not all(w.isalpha() and w.istitle() for w in words):
        return False
    if words[-1].lower() in _PLACE_WORDS or words[0].lower() in _PLACE_OPENERS:
        return False
    if is_place_name(span.text):
        return False
    titled = span.start > 0 and is_title_word(span.doc[span.start - 1].text)
    return titled or _says(span.root) or bool(given_name_gender(words[0]))


_ACRONYM = re.compile(r"[A-Z]{3,6}")


def _acronym(span: Span) -> bool:
    """Whether a one-word person is an acronym in a sentence written in mixed case ("BAA said",
    "The ODPM attributed the fall"): an organization's letters, unless they are the initials of
    a person the doc names ("JFK" after "John F. Kennedy")."""
    if len(span) != 1 or not _ACRONYM.fullmatch(span.text):
        return False
    if not any(t.is_alpha and not t.is_upper for t in span.sent):
        return False  # a line in capitals ("PENCE: ...")
    initials = {
        "".join(w[0] for w in ent.text.split() if w[:1].isupper())
        for ent in span.doc.ents
        if ent.label_ == "PERSON" and len(ent) > 1
    }
    return span.text not in initials


def _has_letter(text: str) -> bool:
    return text[:1].isalpha() or any(c.isalpha() for c in text)  # most names open with one


def _text(span: Span) -> str:
    """``span.text``, cut from the doc's text (spaCy joins a new Token per word)."""
    return text_of(span.doc)[span.start_char : span.end_char]


def _lower_word(span: Span) -> bool:
    return len(span) == 1 and _text(span).islower()


def _names_nobody(span: Span) -> bool:
    """A "person" that is nobody: a lone given name used as a thing (an award: "an Oscar",
    "Oscar-winning", "the Oscar host", "the Tony telecast"), a nationality ("Briton dies"), or
    lower-case words that start with no given name ("doesn", "jewel thieves"; "sarah palin"
    stays)."""
    from kg.gazetteer import country_for_demonym
    from kg.names import is_given_name

    first = span[0]
    if _text(span).islower():  # cased letters, none upper case ("习近平" has no case: kept)
        return not is_given_name(first.text)
    if len(span) != 1:
        return False
    if (
        first.tag_ == "NNP"
        and country_for_demonym(first.text) is not None
        and first.text not in _person_surnames(span.doc)
    ):
        return True  # "Briton"; the plural "Greeks" are people; "Cuban" of Mark Cuban is him
    return (
        is_given_name(first.text)
        and first.text not in _person_surnames(span.doc)  # "the Kennedy family" of John Kennedy
        and _used_as_a_thing(first)
    )


def _person_surnames(doc: Doc) -> set[str]:
    """Last words of the multi-word person names the NER found; found once per doc (the set is
    shared: read it, never change it)."""
    return _per_headline(doc, "kg.person_surnames", frozenset(), _find_person_surnames)


def _find_person_surnames(doc: Doc, _headline: frozenset[int]) -> set[str]:
    return {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}


def _used_as_a_thing(token: Token) -> bool:
    """A lone name after "a"/"an", before a hyphenated modifier, or modifying the noun after it."""
    doc, i = token.doc, token.i
    if i > 0 and doc[i - 1].lower_ in ("a", "an"):
        return True
    if i + 1 >= len(doc):
        return False
    after = doc[i + 1]
    if after.text in ("-", "‑") and i + 2 < len(doc) and doc[i + 2].text.islower():
        return True
    return token.dep_ == "compound" and token.head.i == i + 1 and after.pos_ == "NOUN"


def _plural_after_the(span: Span) -> bool:
    """A "person" after "the" whose last word is a plural proper noun: nobody's name."""
    doc, last = span.doc, span.end - 1
    lowers, texts = columns.strings(doc, "LOWER"), columns.strings(doc, "ORTH")
    return (
        span.start > 0
        and lowers[span.start - 1] == "the"
        and columns.strings(doc, "TAG")[last] == "NNPS"
        and texts[last].endswith("s")
    )


MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss"})
GOVERNMENT_NOUNS = frozenset({"administration", "government", "cabinet", "campaign", "regime"})
FAMILY_NOUNS = frozenset({"family", "clan", "dynasty"})


def _government_of(span: Span, kind: str, label: str) -> tuple[Span, str, str]:
    """ "the Obama administration", "Bush White House": an organization named after a person;
    "the Genovese crime family", "the Kennedy clan": a family named after one."""
    doc, end = span.doc, span.end
    lowers = columns.strings(doc, "LOWER")
    if end < len(doc) and lowers[end] in GOVERNMENT_NOUNS:
        return doc[span.start : end + 1], "organization", "ORG-GOVERNMENT"
    if len(span) == 1 and end < len(doc):
        grown = end + 1 if lowers[end] == "crime" and end + 1 < len(doc) else end
        if lowers[grown] in FAMILY_NOUNS:
            return doc[span.start : grown + 1], "organization", "ORG-FAMILY"
    if end + 1 < len(doc) and lowers[end] == "white" and lowers[end + 1] == "house":
        return doc[span.start : end + 2], "organization", "ORG-GOVERNMENT"
    return span, kind, label


INSTITUTION_NOUNS = frozenset({
    "center", "centre", "clinic", "foundation", "institute", "hospital", "university", "college",
    "school", "library", "museum", "memorial", "airport", "stadium", "arena", "club", "award",
    "awards", "prize", "trophy", "theater", "theatre", "hall", "company", "corporation", "show",
    "rehab",
})  # fmt: skip


def _named_after(span: Span, kind: str, label: str) -> tuple[Span, str, str]:
    """ "Betty Ford Center", "Sam's Club", "Betty Ford Treatment Center": an institution named
    after a person, which the NER cut to the person's name. Up to two more capitalized words
    may stand between the name and the institution noun (not stop words: "Lohan Checks Into
    Rehab" names no institution)."""
    doc, end = span.doc, span.end
    texts, lowers = columns.strings(doc, "ORTH"), columns.strings(doc, "LOWER")
    alpha, stop = columns.numbers(doc, "IS_ALPHA"), columns.numbers(doc, "IS_STOP")
    if end < len(doc) and texts[end] in ("'s", "’s"):
        end += 1
    for j in range(end, min(end + 3, len(doc))):
        if not alpha[j] or not texts[j][:1].isupper() or stop[j]:
            break
        if lowers[j] in INSTITUTION_NOUNS:
            return doc[span.start : j + 1], "organization", "ORG-NAMED-AFTER"
    return span, kind, label


def _team_of(span: Span, kind: str, label: str) -> tuple[Span, str, str]:
    """ "Philadelphia 76ers": a place the NER split from the team or club named after it (the
    name's head, a proper noun or a word such as "76ers" outside any entity, right after the
    place). A head the gazetteer reads as part of a place ("Los Angeles County") stays a place."""
    from kg.gazetteer import is_place_name

    doc, end = span.doc, span.end
    if end >= len(doc) or span.root.dep_ != "compound" or span.root.head.i != end:
        return span, kind, label
    head = doc[end]
    if head.ent_type_ not in ("", "CARDINAL") or head.is_stop or not head.text[:1].isalnum():
        return span, kind, label
    team_word = head.text[:1].isdigit() and head.text[-1:].isalpha()  # "76ers", "49ers"
    if not team_word and not (head.pos_ == "PROPN" and head.text[:1].isupper()):
        return span, kind, label
    whole = doc[span.start : end + 1]
    if is_place_name(whole.text):
        return span, kind, label
    return whole, "organization", "ORG-NAMED-AFTER"


def _trim(span: Span) -> Span | None:
    """Drop whitespace, possessive marks and punctuation at the edges of an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    texts = columns.strings(doc, "ORTH")
    space, punct = columns.numbers(doc, "IS_SPACE"), columns.numbers(doc, "IS_PUNCT")
    while start < end and (space[start] or punct[start]):
        start += 1
    while end > start and (space[end - 1] or texts[end - 1] in _TRIM_TAIL):
        end -= 1
    # a dateline glued by a hyphen: "ROME-Bernie Sanders said", "CLEVELAND-Donald Trump"
    dash = next((k for k in range(start + 1, min(end - 1, start + 4)) if texts[k] in "-–—"), None)
    if (
        dash is not None
        and all(texts[k].isupper() for k in range(start, dash))
        and texts[dash + 1][:1].isupper()
        and not texts[dash + 1].isupper()
    ):
        start = dash + 1
    if start < end and (longer := _run_on(doc, end)) > end:
        end = longer
    else:  # a name cut after a joining word with none to run on: "National Transition
        # Government of", "the European Union - the"
        lowers = columns.strings(doc, "LOWER")
        while end > start and (
            lowers[end - 1] in _NAME_JOINERS or space[end - 1] or texts[end - 1] in _TRIM_TAIL
        ):
            end -= 1
    if start >= end:
        return None
    return span if (start, end) == (span.start, span.end) else doc[start:end]


_NAME_JOINERS = frozenset({"of", "the", "for", "and", "&", "on", "de"})


def _run_on(doc: Doc, end: int) -> int:
    """The end of a name the NER cut after a joining word: "the Office of the" + "Deputy Prime
    Minister", "Procter &" + "Gamble" run on over the capitalized words no other entity holds
    (one word after "and": "Hard Rock and Deluxe Films" are two names); ``end`` when there is
    none to run on (``_trim`` then drops the joining word)."""
    lowers, texts = columns.strings(doc, "LOWER"), columns.strings(doc, "ORTH")
    if lowers[end - 1] not in _NAME_JOINERS:
        return end
    types = columns.strings(doc, "ENT_TYPE")
    j, last = end, None
    while j < len(doc) and not types[j] and j - end < 6:
        if texts[j][:1].isupper() and texts[j][:1].isalpha():
            last = j
        elif lowers[j] not in _NAME_JOINERS:
            break
        j += 1
    if last is not None and (lowers[end - 1] not in ("and", "&") or last == end):
        return last + 1
    return end


HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "mx"})
# those that make any name a person's (_honoured); not "Dr": brands bear it ("Dr Pepper", "Dr.
# Martens"), nor "Lord" and "Lady" ("Lord's", "Lady Bird")
_PERSONAL_HONORIFICS = HONORIFICS - {"dr", "lord", "lady"}
# those before one name the NER typed a place or an organization (_after_honorific): not "Miss",
# which opens pageants ("Miss America")
_NAME_HONORIFICS = _PERSONAL_HONORIFICS - {"miss"}


def _platform(span: Span) -> bool:
    """An online platform named by its one brand word (kg/data/platforms.txt)."""
    return len(span) == 1 and span[0].lower_ in read_lexicon("platforms.txt")


def _only_titles(span: Span) -> bool:
    words = [t for t in span if t.lower_ != "the"]
    return bool(words) and all(is_title_word(t.text) for t in words)


def _post_nominal(span: Span) -> bool:
    """A span that is only letters after a person's name: "MSP" right after "Tom McCabe"."""
    if len(span) != 1 or span[0].text not in POST_NOMINALS or span.start == 0:
        return False
    before = span.doc[span.start - 1]
    if before.text == "," and span.start > 1:
        before = span.doc[span.start - 2]  # "Richard Mawrey, QC"
    return before.ent_type_ == "PERSON" or before.pos_ == "PROPN"


def _named_with_post_nominal(span: Span) -> bool:
    """ "Guy Mansfield QC" typed an organization: a given name, a surname and the letters."""
    if len(span) < 3 or span[-1].text not in POST_NOMINALS:
        return False
    return bool(given_name_gender(span[0].text)) and all(t.text[:1].isupper() for t in span)




def _past_title(span: Span) -> Span | None:
    """A person the NER cut right after a title ("Tory Treasurer Lord" + "Ashcroft", "Lord" +
    "Dubs'") runs on over the capitalized words after it that no other entity holds; with none
    ("Lord of the Rings director Peter Jackson") it names nobody."""
    from kg.gazetteer import country_for_demonym

    # every word a title, a party or a people's word: "Lord", "Tory Treasurer Lord" (not
    # "Howard Dean", "Larry King" or "B.B. King", whose last word is only also a title); the
    # last word first, as it rules out nearly every name at once
    if not is_title_word(span[-1].text) or not all(
        is_title_word(t.text) or t.lower_ in PARTY_WORDS or country_for_demonym(t.text)
        for t in span
    ):
        return span
    doc, end = span.doc, span.end
    types = columns.strings(doc, "ENT_TYPE")
    texts = columns.strings(doc, "ORTH")
    while end < len(doc) and not types[end] and texts[end][:1].isupper() and texts[end].isalpha():
        end += 1  # (a person entity right after it is the name: this span then names nobody)
    return doc[span.start : end] if end > span.end else None


def _with_honorific(span: Span) -> Span:
    """ "Mr Zelensky": the honorific belongs to the mention (titles such as President do not)."""
    start = span.start
    if start > 0 and columns.strings(span.doc, "LOWER")[start - 1].rstrip(".") in HONORIFICS:
        return span.doc[start - 1 : span.end]
    return span


def _demonym_country(text: str) -> str | None:
    from kg.gazetteer import country_for_demonym

    record = country_for_demonym(text.strip())
    return record.name if record else None


def extract_events(
    doc: Doc, offset: int, sentence_of: dict[int, int], mentions: list[Mention]
) -> list[Mention]:
    """Event mentions from the rules in kg/data/events.json."""

    @cache
    def places() -> dict[int, Mention]:  # asked for only where a rule's word is found
        return {m.start - offset: m for m in mentions if m.kind == "place" or _is_place(m.text)}

    events = list(_noun_events(doc, offset, sentence_of, places))
    events.extend(_phrase_events(doc, offset, sentence_of))
    events.extend(_visit_events(doc, offset, sentence_of, places, mentions))
    taken = {(m.start, m.end) for m in mentions}
    return [e for e in events if (e.start, e.end) not in taken]


def _where(words: list[str], wanted: Container[str]) -> Iterator[int]:
    """The positions of ``words`` that are in ``wanted``, in order (tested in C, not per token in
    Python)."""
    return compress(range(len(words)), map(wanted.__contains__, words))


_OFFICES = frozenset({"secretary", "minister", "commissioner", "undersecretary"})


def _office_word(span: Span) -> bool:
    """Whether a one-word name is a common word that opens an office's title ("Home Secretary",
    "Health Minister"): the office's word, not a body the text names ("Labour MP" keeps
    "Labour")."""
    doc, end = span.doc, span.end
    if len(span) != 1 or end >= len(doc) or doc[end].lower_ not in _OFFICES:
        return False
    words = common_words(doc.vocab)
    return words is not None and span[0].lower_ in words and not span[0].text.isupper()


def _is_place(text: str) -> bool:
    from kg.gazetteer import is_place_name

    return is_place_name(text)


def _place_at(token: Token, places: dict[int, Mention]) -> Mention | None:
    for start, mention in places.items():
        if start <= token.idx < start + (mention.end - mention.start):
            return mention
    return None


def _noun_events(
    doc: Doc, offset: int, sentence_of: dict[int, int], places: Callable[[], dict[int, Mention]]
) -> Iterable[Mention]:
    rules = event_rules()["with_place"]
    nouns = {noun for rule in rules for noun in rule["nouns"]}
    poses, lemmas = columns.strings(doc, "POS"), columns.strings(doc, "LEMMA")
    for i in _where(lemmas, {lemma for lemma in set(lemmas) if lemma.lower() in nouns}):
        if poses[i] not in ("NOUN", "PROPN"):
            continue
        token = doc[i]
        lemma = token.lemma_.lower()
        for rule in rules:
            if lemma not in rule["nouns"]:
                continue
            for prep in token.children:
                if prep.dep_ != "prep" or prep.lower_ not in rule["preps"]:
                    continue
                target = next((c for c in prep.children if c.dep_ == "pobj"), None)
                place = _place_at(target, places()) if target is not None else None
                if place is None:
                    continue
                first = _left_edge(token)
                name = rule["name"].format(place=_strip_possessive(place.text), noun=lemma.title())
                yield Mention(  # the noun phrase alone: the place keeps its own mention
                    start=offset + doc[first].idx,
                    end=offset + token.idx + len(token.text),
                    text=text_of(doc)[doc[first].idx : token.idx + len(token.text)],
                    kind="event",
                    label="EVENT-RULE:" + name,
                    sentence=sentence_of[sentence_start(doc, token.i)],
                    place=place.text,
                    date=_date_of(token),
                )


def _left_edge(token: Token) -> int:
    """The first token of the event noun phrase, without determiners or possessives."""
    first = token.i
    for child in token.lefts:
        if child.dep_ in ("amod", "compound", "nmod") and child.i < first:
            first = child.i
    return first


def _strip_possessive(text: str) -> str:
    for tail in ("'s", "’s"):
        if text.endswith(tail):
            return text[: -len(tail)]
    return text


def _date_of(token: Token) -> str:
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "on", "since"):
            for obj in prep.children:
                if obj.ent_type_ == "DATE" and obj.dep_ == "pobj":
                    return obj.text
    return ""


def _phrase_events(doc: Doc, offset: int, sentence_of: dict[int, int]) -> Iterable[Mention]:
    """The phrases of the event rules, by rule and then by position (as the rules are listed)."""
    for rule, i in _phrase_matches(columns.strings(doc, "LOWER"), event_rules()["phrases"]):
        n = len(rule["phrase"])
        first, last = doc[i], doc[i + n - 1]
        head = doc[i + n - 1]
        yield Mention(
            start=offset + first.idx,
            end=offset + last.idx + len(last.text),
            text=text_of(doc)[first.idx : last.idx + len(last.text)],
            kind="event",
            label="EVENT-RULE:" + rule["name"],
            sentence=sentence_of[sentence_start(doc, i)],
            date=_date_of(head),
        )


def _phrase_matches(
    lowers: list[str], rules: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], int]]:
    """(rule, first token) of every place where a rule's phrase occurs, in the order of the
    rules and then of the tokens; a rule is tried only where its first word is."""
    by_first: dict[str, list[int]] = defaultdict(list)
    for number, rule in enumerate(rules):
        by_first[rule["phrase"][0]].append(number)
    found = []
    for i in _where(lowers, by_first):
        for number in by_first[lowers[i]]:
            phrase = rules[number]["phrase"]
            if lowers[i : i + len(phrase)] == phrase:
                found.append((number, i))
    return [(rules[number], i) for number, i in sorted(found)]


def _visit_events(
    doc: Doc,
    offset: int,
    sentence_of: dict[int, int],
    places: Callable[[], dict[int, Mention]],
    mentions: list[Mention],
) -> Iterable[Mention]:
    """ "Xi visited Putin in Russia": a visit Event by the subject to the place."""
    people = {m.start - offset: m for m in mentions if m.kind == "person"}
    visits = event_rules()["visit_verbs"]
    lemmas, poses = columns.strings(doc, "LEMMA"), columns.strings(doc, "POS")
    for i in _where(lemmas, visits):
        if poses[i] != "VERB":
            continue
        token = doc[i]
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        visitor = _place_at(subject, people) if subject is not None else None
        place = _visit_place(token, places())
        if visitor is None or place is None:
            continue
        name = f"{_surname(visitor.text)} visit to {_strip_possessive(place.text)}"
        yield Mention(  # the verb: the visitor and the place keep their own mentions
            start=offset + token.idx,
            end=offset + token.idx + len(token.text),
            text=token.text,
            kind="event",
            label="EVENT-RULE:" + name,
            sentence=sentence_of[sentence_start(doc, token.i)],
            place=place.text,
            date="",
        )


def _visit_place(verb: Token, places: dict[int, Mention]) -> Mention | None:
    for child in verb.children:
        if child.dep_ == "dobj" and (place := _place_at(child, places)):
            return place
        if child.dep_ == "prep" and child.lower_ in ("in", "to"):
            for obj in child.children:
                if obj.dep_ == "pobj" and (place := _place_at(obj, places)):
                    return place
    return None


def _surname(text: str) -> str:
    words = text.replace("’s", "").replace("'s", "").split()
    return words[-1] if words else text
