"""Name normalization for the entity linker: display forms, matching keys, acronyms, slugs.

Every function here is pure and cached. The lexicons (honorifics, titles, corporate suffixes, ...)
live in ``kg/data/*.txt`` and are read on first use, so importing this module does no I/O.

>>> clean_mention("Ukrainian President Volodymyr Zelensky", "person")
'Volodymyr Zelensky'
>>> compatible_persons("Mr Zelensky", "Volodymyr Zelenskyy")
True
>>> acronym_of("The Associated Press") == acronym_key("@AP")
True
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz
from unidecode import unidecode

__all__ = [
    "acronym_candidates",
    "acronym_key",
    "acronym_of",
    "clean_mention",
    "compatible_persons",
    "is_acronym",
    "is_given_name",
    "name_key",
    "person_parts",
    "similar_surnames",
    "slugify",
    "surname_key",
]

_KINDS = {
    "person": "person", "per": "person", "persons": "person",
    "organization": "organization", "organisation": "organization", "org": "organization",
    "place": "place", "gpe": "place", "loc": "place", "location": "place", "fac": "place",
    "norp": "place", "event": "event",
}  # fmt: skip
# Grammar words, too small to be lexicons: they stay in code.
# fmt: off
_PARTICLES = frozenset({
    "de", "del", "della", "dello", "der", "den", "di", "da", "das", "dos", "du", "des", "la", "le",
    "van", "von", "ter", "ten", "bin", "ibn", "bint", "al", "el", "ul", "abu", "ben", "st", "zu",
    "af", "av", "lo",
})
_GIVEN_LIKE_PARTICLES = frozenset({"al", "van", "ben", "abu", "del", "st"})  # "Al Gore"
_SURNAME_LIKE_PARTICLES = frozenset({"lo"})  # "Lo Presti" (Gaetano), but also a given name
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "esq", "phd"})
_ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})
_ARABIC_ARTICLES = frozenset({"al", "el", "ul"})
_ACRONYM_STOP = frozenset({
    "of", "the", "and", "for", "&", "a", "an", "in", "on", "at", "to", "de", "des", "du", "la",
    "le", "et", "und",
})
_ABBREVIATIONS = frozenset({
    "st", "bros", "no", "dept", "univ", "intl", "assn", "mfg", "ave", "mt", "ft", "jr", "sr",
})
# fmt: on

_SPACE_RE = re.compile(r"\s+")
_HYPHEN_SPACING_RE = re.compile(r"(?<=\w)\s*-\s*(?=\w)")
_POSSESSIVE_RE = re.compile(r"(?<=[\w.])['’‘`´＇][sS]$")
_ARTICLE_RE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)
_ELLIPSIS_RE = re.compile(r"\.{2,}$")
_DROP_IN_KEY_RE = re.compile(r"['`.]")
_ALNUM_RUN_RE = re.compile(r"[a-z0-9]+")
_NICKNAME_RE = re.compile(
    r"\"[^\"]*\"|“[^”]*”|(?<=\s)(?:'[^'\s][^']*'|‘[^’]*’|\([^()]*\))(?=\s)"
)  # "Vincent 'The Chin' Gigante", "Luis Gerardo (Jerry) Ortiz"
_DOTTED_ACRONYM_RE = re.compile(r"(?:[A-Z]\.\s?){2,}[A-Z]?")
_WORD_ACRONYM_RE = re.compile(r"[A-Z][A-Za-z0-9&]*")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\ufe63": "-", "\uff0d": "-"})
_APOS_PREFIX_RE = re.compile(r"^([OD])['’]([a-z])")
_MUHAMMAD_RE = re.compile(r"m[ou]h+am+[ae]d")
_Q_RE = re.compile(r"q(?!u)")
_SKY_RE = re.compile(r"([sc])k(?:iy|yy|ij|ii|yi|yj|i|y)$")
_YY_RE = re.compile(r"(?:iy|yy|ij|ii|yi)$")
_YEV_RE = re.compile(r"[yji]ev$")
_YCH_RE = re.compile(r"(?:ych|itch)$")
_EI_RE = re.compile(r"([ae])i$")
_FINAL_I_RE = re.compile(r"(?<=[^aeiouy])i$")
_PINYIN = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu"
    r"|ua|uo|ui|ue|a|o|e|i|u)"
)
_HANGUL = (
    r"(?:kk|tt|pp|ss|jj|ch|[gkndtrlmbpsjh])?"
    r"(?:yeo|yae|wae|eo|ae|ya|ye|yo|yu|wa|oe|wo|we|wi|eu|ui|oo|ee|a|e|o|u|i)(?:ng|[ktnlmp])?"
)
_SYLLABLE_RE = re.compile(f"{_PINYIN}|{_HANGUL}")
_SYLLABLES2_RE = re.compile(f"(?:{_PINYIN}){{1,2}}|(?:{_HANGUL}){{1,2}}")


# --- lexicons: read lazily from kg/data, once ---------------------------------------------------


@functools.cache
def _lines(name: str) -> tuple[str, ...]:
    text = (resources.files("kg") / "data" / name).read_text(encoding="utf-8")
    rows = (line.split("#", 1)[0].strip().casefold() for line in text.splitlines())
    return tuple(" ".join(row.split()) for row in rows if row)


@dataclass(frozen=True)
class _Lexicon:
    titles: frozenset[str]  # single-word titles and honorifics
    lower_only: frozenset[str]  # ... that are also given names: titles only in lowercase
    phrases: frozenset[tuple[str, ...]]  # multi-word titles
    honorifics: frozenset[str]
    corporate: frozenset[str]
    east_asian: frozenset[str]
    given_groups: dict[str, frozenset[int]]
    possessive_orgs: frozenset[str]
    keep_period: frozenset[str]


@functools.cache
def _lex() -> _Lexicon:
    entries = _lines("titles.txt") + _lines("honorifics.txt")
    words = {e.rstrip("*") for e in entries if " " not in e}
    groups: dict[str, set[int]] = {}
    for i, line in enumerate(_lines("given_name_variants.txt")):
        for name in line.split():
            groups.setdefault(name, set()).add(i)
    honorifics = frozenset(e.rstrip("*") for e in _lines("honorifics.txt"))
    corporate = frozenset(_lines("corporate_suffixes.txt"))
    return _Lexicon(
        titles=frozenset(words),
        lower_only=frozenset(e[:-1] for e in entries if e.endswith("*")),
        phrases=frozenset(tuple(e.split()) for e in entries if " " in e),
        honorifics=honorifics,
        corporate=corporate,
        east_asian=frozenset(_lines("east_asian_surnames.txt")),
        given_groups={k: frozenset(v) for k, v in groups.items()},
        possessive_orgs=frozenset(_lines("possessive_names.txt")),
        keep_period=honorifics | corporate | _ABBREVIATIONS,
    )


# --- display form -------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    return _KINDS.get(kind.casefold(), "")


def _tok_key(token: str) -> str:
    """Lookup form of one token: ascii, casefolded, without dots or edge punctuation."""
    t = token if token.isascii() else unidecode(token)
    return t.casefold().replace(".", "").strip(",:;'\"()")


def _normalize_chars(text: str) -> str:
    if not (text.isascii() and text.isprintable()):
        kept = []
        for ch in text:
            if ch.isspace():
                kept.append(" ")
            elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs"):
                kept.append(ch)  # drops controls, RTL/zero-width marks, soft hyphens, surrogates
        text = unicodedata.normalize("NFC", "".join(kept)).translate(_HYPHENS)
    return _SPACE_RE.sub(" ", text).strip()


def _junk(ch: str, leading: bool) -> bool:
    cat = unicodedata.category(ch)[0]
    return cat in "PSZC" or (leading and cat == "M")


def _strip_edges(s: str) -> str:
    """Drop surrounding punctuation, symbols and quotes; keep balanced brackets and "+"."""
    i, j = 0, len(s)
    while i < j and _junk(s[i], True):
        if s[i] in "([" and s.find(")" if s[i] == "(" else "]", i + 1, j - 1) != -1:
            break
        i += 1
    while j > i and s[j - 1] not in ".+" and _junk(s[j - 1], False):
        if s[j - 1] in ")]" and s.rfind("(" if s[j - 1] == ")" else "[", i, j - 1) != -1:
            break
        j -= 1
    return s[i:j]


def _strip_period(s: str) -> str:
    """Drop a sentence period, keep an abbreviation's ("Inc.", "U.S.", "George W.")."""
    s = _ELLIPSIS_RE.sub("", s)
    if not s.endswith("."):
        return s
    core = s[:-1].rsplit(" ", 1)[-1]
    if "." in core or (len(core) == 1 and core.isalpha()) or _tok_key(core) in _lex().keep_period:
        return s
    return s[:-1]


def _strip_possessive(s: str, kind: str) -> str:
    if not _POSSESSIVE_RE.search(s):
        return s
    if kind == "organization":  # "McDonald's" keeps its "'s"
        low = unidecode(s).casefold().replace("`", "'")
        if any(low == p or low.endswith(" " + p) for p in _lex().possessive_orgs):
            return s
    return _POSSESSIVE_RE.sub("", s)


def _strip_article(s: str, kind: str) -> str:
    while _ARTICLE_RE.match(s):
        rest = _ARTICLE_RE.sub("", s, count=1)
        if kind == "place" and s.startswith("The ") and " " not in rest:
            break  # "The Hague", "The Gambia"
        s = rest
    return s


def _capitalize(part: str) -> str:
    low = part.lower()
    for i, ch in enumerate(low):
        if ch.isalpha():
            low = low[:i] + ch.upper() + low[i + 1 :]
            break
    low = _APOS_PREFIX_RE.sub(lambda m: m[1] + "'" + m[2].upper(), low)
    if low.startswith("Mc") and len(low) >= 5 and low[2].isalpha():
        low = "Mc" + low[2].upper() + low[3:]
    return low


def _fix_caps(s: str, kind: str) -> str:
    """Title-case ALL-CAPS words of people (and long ones of places); orgs keep acronyms."""
    words = s.split(" ")
    if not any(w.isupper() for w in words):
        return s
    whole = not any(map(str.islower, s))
    out = []
    for idx, w in enumerate(words):
        if not w.isupper() or "." in w:
            out.append(w)
            continue
        if kind != "person":
            need = 5
        elif w in _ROMAN and 0 < idx == len(words) - 1:
            need = 99  # "John Paul II"
        else:
            need = 4 if len(words) == 1 else 2 if whole else 3
        letters = sum(map(str.isalpha, w))
        out.append("-".join(_capitalize(p) for p in w.split("-")) if letters >= need else w)
    return " ".join(out)


def _is_title(tokens: list[str], keys: list[str], k: int) -> bool:
    """Whether a title or honorific ends at token ``k - 1``."""
    lex, key, raw = _lex(), keys[k - 1], tokens[k - 1]
    if key in lex.titles and (key not in lex.lower_only or raw[:1].islower()):
        return True
    if "-" in key and any(p in lex.titles and p not in lex.lower_only for p in key.split("-")):
        return True
    for n in range(2, min(k, 6) + 1):
        if tuple(keys[k - n : k]) in lex.phrases:
            return True
    for n in (3, 4):  # "Secretary of State", "Secretary of the Treasury", "leader of Hamas"
        if k < n or keys[k - n + 1] != "of" or (n == 4 and keys[k - 2] != "the"):
            continue
        if keys[k - n] in lex.titles and keys[k - n] not in lex.lower_only:
            return True
    return False


def _starts_name(tokens: list[str], k: int) -> bool:
    """Whether a name can start at token ``k``: a capital, or a particle before one."""
    tok = tokens[k]
    if tok[:1].isupper():
        return True
    head, _, tail = tok.partition("-")
    if head.casefold() not in _PARTICLES:
        return False
    return tail[:1].isupper() or (k + 1 < len(tokens) and tokens[k + 1][:1].isupper())


def _is_demonym(word: str) -> bool:
    """A capitalized nationality word that names a country ("American", "Ukrainian")."""
    from kg.gazetteer import country_for_demonym

    return word[:1].isupper() and word.isalpha() and country_for_demonym(word) is not None


def _strip_person_prefix(s: str) -> str:
    """Drop titles, descriptions, possessors and lowercase words before a person's name."""
    tokens = s.split(" ")
    if len(tokens) < 2:
        return s
    keys = [_tok_key(t) for t in tokens]
    core = [any(map(str.isalpha, k)) and k not in _GENERATIONAL for k in keys]  # not "Jr."
    best = 0
    for k in range(1, len(tokens)):
        if not _starts_name(tokens, k) or not any(core[k:]):
            continue
        if _POSSESSIVE_RE.search(tokens[k - 1]) or _is_title(tokens, keys, k):
            best = k
    tokens = tokens[best:]
    if len(tokens) >= 3 and all(t[:1].isupper() for t in tokens[1:3]) and _is_demonym(tokens[0]):
        tokens = tokens[1:]  # "American Hasim Rahman", "Ukrainian Volodymyr Zelensky"
    first = next((i for i, t in enumerate(tokens) if t[:1].isupper()), 0)
    while first > 0 and tokens[first - 1].casefold().split("-")[0] in _PARTICLES:
        first -= 1  # "said de Gaulle" -> "de Gaulle"
    return " ".join(tokens[first:])


# A party and its members: "the Republican", "a Tory", "Labour Treasurer Lord" are no one's name
PARTY_WORDS = frozenset({
    "conservative", "democrat", "democratic", "gop", "labour", "liberal", "republican", "tory",
})  # fmt: skip


@functools.cache
def org_alias_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """kg/data/org_aliases.tsv: (full name, the names it goes by) a line."""
    text = resources.files("kg.data").joinpath("org_aliases.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and line[0] != "#")
    return tuple((full, tuple(aliases.split("|"))) for full, aliases in rows)


def alias_form(text: str) -> str:
    """An organization's name as the alias table matches it: "the" and case aside, no spelling
    folded ("the Lib Dems" -> "lib dems"; "Labor" is not "Labour")."""
    return " ".join(clean_mention(text, "organization").casefold().split())


@functools.cache
def _known_org_forms() -> frozenset[str]:
    return frozenset(
        alias_form(name) for full, aliases in org_alias_table() for name in (full, *aliases)
    )


def known_organization(text: str) -> bool:
    """Whether ``text`` is a full name or an alias in the table ("Tories", "Liberal Democrats")."""
    return alias_form(text) in _known_org_forms()


# letters written after a person's name: "Tom McCabe MSP", "Guy Mansfield QC"
POST_NOMINALS = frozenset({
    "AM", "CBE", "DBE", "JP", "KBE", "KC", "MBE", "MEP", "MLA", "MP", "MPP", "MSP", "OBE", "QC",
})  # fmt: skip


# a peer's style written before the name ("Lord Falconer", "Baroness Amos"); "Lady" is a
# peer's style too, but it also opens names of places and works ("Lady Chatterley")
PEERAGES = frozenset({"Lord", "Baroness", "Baron"})


def is_members_word(text: str) -> bool:
    """ "MPs", "MEPs": the members of a body, written as the letters after their names."""
    return text.endswith("s") and text[:-1] in POST_NOMINALS


def _strip_post_nominals(s: str) -> str:
    words = s.split()
    n = len(words)
    while len(words) > 2 and words[-1].rstrip(",.") in POST_NOMINALS:
        words.pop()
    return s if len(words) == n else " ".join(words)


def _clean_once(s: str, kind: str) -> str:
    s = _strip_edges(_normalize_chars(s))
    s = _HYPHEN_SPACING_RE.sub("-", s)
    s = _strip_period(_strip_edges(_strip_possessive(s, kind)))
    s = _strip_article(s, kind)
    if kind in ("person", "place", "event"):
        s = _fix_caps(s, kind)
    if kind == "person":
        s = _strip_post_nominals(_strip_person_prefix(s))
    return s


@functools.lru_cache(maxsize=1 << 18)
def clean_mention(text: str, kind: str) -> str:
    """Display form of a mention: the name without titles, articles, possessives and noise.

    Strips a leading "the", a trailing possessive, the "@" of handles, surrounding punctuation and
    quotes, spaces around hyphens, and (for people only) the honorifics, titles and descriptions
    before the name; title-cases ALL-CAPS person names; keeps the name itself intact.

    >>> clean_mention("Ukrainian President Volodymyr Zelensky", "person")
    'Volodymyr Zelensky'
    >>> clean_mention("Polygamist leader Warren Jeffs", "person")
    'Warren Jeffs'
    >>> clean_mention("Mr. Zelensky’s", "person")
    'Zelensky'
    >>> clean_mention("JACK MONTGOMERY", "person")
    'Jack Montgomery'
    >>> clean_mention("PETER Capaldi", "person")
    'Peter Capaldi'
    >>> clean_mention("@AP", "organization")
    'AP'
    >>> clean_mention("The Associated Press", "organization")
    'Associated Press'
    >>> clean_mention("T - Mobile", "organization")
    'T-Mobile'
    >>> clean_mention("Advanced Micro Devices Inc.", "organization")
    'Advanced Micro Devices Inc.'
    >>> clean_mention("“Apple's”", "organization")
    'Apple'
    """
    k = _kind(kind)
    for _ in range(8):  # every step shrinks or fixes the text: a fixpoint comes fast
        cleaned = _clean_once(text, k)
        if cleaned == text:
            break
        text = cleaned
    return text


# --- matching keys ------------------------------------------------------------------------------


def _key_tokens(cleaned: str) -> list[str]:
    tokens = _ALNUM_RUN_RE.findall(_DROP_IN_KEY_RE.sub("", unidecode(cleaned).casefold()))
    out: list[str] = []
    run: list[str] = []
    for tok in tokens:  # runs of single letters join: "u s" -> "us", "j k rowling" -> "jk rowling"
        if len(tok) == 1:
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(tok)
    if run:
        out.append("".join(run))
    return out


def _key_once(text: str, kind: str) -> tuple[str, bool]:
    """The key of ``text``, and whether it fell back to untransliterated letters."""
    cleaned = clean_mention(text, kind)
    tokens = _key_tokens(cleaned)
    kind_ = _kind(kind)
    if kind_ == "organization":
        corporate = _lex().corporate
        while len(tokens) > 1 and tokens[-1] in corporate:
            tokens.pop()
    while len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    if kind_ in ("organization", "place", "event"):  # "Procter and Gamble" = "Procter & Gamble"
        tokens = [t for i, t in enumerate(tokens) if t != "and" or i in (0, len(tokens) - 1)]
    if tokens:
        return " ".join(tokens), False
    # Nothing transliterates (emoji, unmapped scripts): keep the letters as they are.
    return " ".join("".join(c if c.isalnum() else " " for c in cleaned).split()), True


@functools.lru_cache(maxsize=1 << 18)
def name_key(text: str, kind: str) -> str:
    """Matching key: the cleaned name, ASCII, casefolded, without punctuation or legal form.

    Hyphens fold to spaces, runs of single letters join ("U. S." -> "us"), a leading "the" goes;
    for organizations trailing corporate suffixes go (never down to an empty key), and for
    organizations, places and events an inner "and" goes ("&" is punctuation).

    >>> name_key("T - Mobile", "organization") == name_key("T-Mobile", "organization")
    True
    >>> name_key("Advanced Micro Devices Inc.", "organization")
    'advanced micro devices'
    >>> name_key("Hewlett-Packard Co.", "org")
    'hewlett packard'
    >>> name_key("U.S.", "place"), name_key("US", "place")
    ('us', 'us')
    >>> name_key("Mr Zelensky", "person")
    'zelensky'
    >>> name_key("Volodymyr Zelens'kyy", "person")
    'volodymyr zelenskyy'
    """
    key, fallback = _key_once(text, kind)
    for _ in range(4):  # ASCII keys are fixpoints already; fallback keys may need a round more
        if not fallback:
            break
        again, fallback = _key_once(key, kind)
        if again == key:
            break
        key = again
    return key


# --- people -------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(_ALNUM_RUN_RE.findall(_DROP_IN_KEY_RE.sub("", unidecode(text).casefold())))


def _given_keys(token: str) -> list[str]:
    if "." in token or (token.isupper() and token.isalpha() and len(token) <= 3):
        parts = [p for p in re.split(r"[.\-]", token) if p]
        if all(len(p) <= 1 or p.isupper() for p in parts):
            return [c for c in "".join(parts).casefold() if c.isalnum()]
    return [k for p in token.split("-") if (k := "".join(_plain(p).split()))]


def _east_asian(tokens: list[str]) -> bool:
    """Family name first ("Xi Jinping", "Kim Jong Un", "Moon Jae-in"), judged by syllables."""
    if not 2 <= len(tokens) <= 3 or not tokens[0][:1].isupper():
        return False
    if _plain(tokens[0]) not in _lex().east_asian or any("." in t for t in tokens[1:]):
        return False
    parts = [_plain(p) for t in tokens[1:] for p in t.split("-")]
    if len(parts) == 1 and len(tokens) == 2:
        return bool(_SYLLABLES2_RE.fullmatch(parts[0]))
    return all(_SYLLABLE_RE.fullmatch(p) for p in parts)


def _split_person(text: str) -> list[str]:
    cleaned = _NICKNAME_RE.sub(" ", clean_mention(text, "person"))
    if cleaned.count(",") == 1:  # "Bush, George W." -> "George W. Bush"
        left, right = (p.strip() for p in cleaned.split(","))
        generational = all(_tok_key(t) in _GENERATIONAL for t in right.split())
        if left and right[:1].isupper() and not generational:
            cleaned = f"{right} {left}"
    tokens = [t.strip(",;:()[]'\"") for t in cleaned.split()]
    tokens = [t for t in tokens if any(c.isalnum() for c in t)]
    while len(tokens) > 1 and _tok_key(tokens[-1]) in _GENERATIONAL:
        tokens.pop()
    return tokens


@functools.lru_cache(maxsize=1 << 18)
def person_parts(text: str) -> tuple[tuple[str, ...], str]:
    """(given names and initials as keys, surname key) of a person's name.

    Titles go (via clean_mention), "Jr."/"Sr."/"III" go, particles stay with the surname, initials
    split ("J.R." -> "j", "r"), and East Asian names keep their family name first.

    >>> person_parts("Ukrainian President Volodymyr Zelensky")
    (('volodymyr',), 'zelensky')
    >>> person_parts("George W. Bush")
    (('george', 'w'), 'bush')
    >>> person_parts("Joseph R. Biden Jr.")
    (('joseph', 'r'), 'biden')
    >>> person_parts("Ludwig van Beethoven")
    (('ludwig',), 'van beethoven')
    >>> person_parts("Bashar al-Assad")
    (('bashar',), 'al assad')
    >>> person_parts("Chinese President Xi Jinping")
    (('jinping',), 'xi')
    >>> person_parts("Mr Xi")
    ((), 'xi')
    """
    return _person_parses(text)[0]


_Parts = tuple[tuple[str, ...], str]


@functools.lru_cache(maxsize=1 << 18)
def _person_parses(text: str) -> tuple[_Parts, ...]:
    """The likely parse first; a second one when a leading word may be a particle or a given
    name ("Van Gogh" as "van gogh" beside "Van Morrison" as given "van")."""
    tokens = _split_person(text)
    if not tokens:
        return (((), ""),)
    if _east_asian(tokens):
        given = "".join(_plain(t).replace(" ", "") for t in tokens[1:])
        return ((((given,) if given else ()), _plain(tokens[0])),)
    j = len(tokens) - 1
    while j > 0 and _tok_key(tokens[j - 1]).split("-")[0] in _PARTICLES:
        j -= 1
    parses = []
    if j == 0 and tokens[0][:1].isupper() and _tok_key(tokens[0]) in _GIVEN_LIKE_PARTICLES:
        parses.append(_parts(tokens, 1))  # "Al Gore", "Van Morrison"
    parses.append(_parts(tokens, j))
    if j == 0 and len(tokens) > 1 and _tok_key(tokens[0]) in _SURNAME_LIKE_PARTICLES:
        parses.append(_parts(tokens, 1))
    first_names, surname = parses[-1]
    if len(first_names) >= 2 and len(first_names[0]) == 1 and len(first_names[1]) > 1:
        parses.append((first_names[1:], surname))  # "W. Mark Felt" goes by "Mark Felt"
    return tuple(parses)


_GENERATIONS = {"jr": "jr", "sr": "sr", "ii": "ii", "2nd": "ii", "iii": "iii", "3rd": "iii",
                "iv": "iv"}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def _generation(text: str) -> str:
    """ "jr", "sr", "iii", ... when the name ends with one, else ""."""
    tokens = clean_mention(text, "person").replace(",", " ").split()
    return _GENERATIONS.get(_tok_key(tokens[-1]), "") if len(tokens) > 1 else ""


def _parts(tokens: list[str], j: int) -> _Parts:
    return tuple(k for t in tokens[:j] for k in _given_keys(t)), _plain(" ".join(tokens[j:]))


def _fold(s: str) -> str:
    if _MUHAMMAD_RE.fullmatch(s):
        return "muhammad"
    s = _Q_RE.sub("k", s)
    if s.startswith("dj"):  # Serbo-Croatian "Đ": unidecode gives "D", the English press "Dj"
        s = "d" + s[2:]
    if len(s) >= 5:
        s = _SKY_RE.sub(r"\1ky", s)
    if len(s) >= 6:
        s = _YCH_RE.sub("ich", _YEV_RE.sub("ev", _YY_RE.sub("y", s)))
    return s


@functools.lru_cache(maxsize=1 << 18)
def surname_key(surname: str) -> str:
    """Transliteration-folded surname key, for blocking and comparing people.

    Folds: unidecode; an Arabic article ("al-", "el-") before the name; Slavic endings
    (-sky/-skyy/-skiy/-skij/-ski -> -sky; final -iy/-yy/-ij/-ii/-yi -> -y; -yev -> -ev;
    -ych/-itch -> -ich); "q" not before "u" -> "k"; an initial "Dj" -> "D" (Đoković/Djokovic);
    the Muhammad family. Deliberately not folded, as they tell distinct English surnames apart:
    doubled consonants (Bennet/Bennett, Lemon/Lemmon), "sch"/"sh" (Bush/Busch), "x"/"ks"
    (Marx/Marks), "kh"/"h" (Khan/Han), "y"/"i" inside a name (Smyth/Smith).

    >>> {surname_key(s) for s in ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskij", "Zelenski")}
    {'zelensky'}
    >>> surname_key("al-Assad") == surname_key("Assad")
    True
    >>> surname_key("Bush") == surname_key("Busch")
    False
    """
    parts = _plain(surname).split()
    if len(parts) > 1 and parts[0] in _ARABIC_ARTICLES:
        parts = parts[1:]
    s = "".join(parts)
    for _ in range(len(s) + 2):  # each round shrinks s or rewrites one way: a fixpoint comes
        folded = _fold(s)
        if folded == s:
            break
        s = folded
    return s


@functools.cache
def _given_fold(name: str) -> str:
    """Given names fold like surnames, plus ks/x and a final -i/-ei/-ai (Russian names)."""
    s = surname_key(name).replace("ks", "x")  # Aleksei/Alexei
    if len(s) >= 5:
        s = _EI_RE.sub(r"\1y", s)  # Sergei/Sergey, Nikolai/Nikolay
    if len(s) >= 6:
        s = _FINAL_I_RE.sub("y", s)  # Dmitri/Dmitry, Georgi/Georgy; not Terri/Terry
    return s


def _given_match(a: str, b: str) -> bool:
    if a == b or ((len(a) == 1 or len(b) == 1) and a[0] == b[0]):
        return True
    groups = _lex().given_groups
    if groups.get(a, frozenset()) & groups.get(b, frozenset()):
        return True
    return _given_fold(a) == _given_fold(b)


def _fuzzy_surnames(a: str, b: str) -> bool:
    """Edit-distance match for long surnames, but not the English look-alikes.

    A single inserted letter passes only when it is a vowel-like e/i/j/y (Mueller/Muller,
    Dostoyevsky/Dostoevsky): Johnson/Johnston, Thomson/Thompson, Sanders/Saunders and
    William/Williams stay apart.
    """
    if min(len(a), len(b)) < 6 or fuzz.ratio(a, b) < 90:
        return False
    if abs(len(a) - len(b)) == 1:
        short, long_ = sorted((a, b), key=len)
        for i, ch in enumerate(long_):
            if long_[:i] + long_[i + 1 :] == short:
                return ch in "eijy" and i != len(long_) - 1
    return True


def similar_surnames(a: str, b: str) -> bool:
    """Whether two surname keys (``surname_key``) are spelling variants of one surname.

    >>> similar_surnames("dostoyevsky", "dostoevsky"), similar_surnames("johnson", "johnston")
    (True, False)
    """
    return a == b or _fuzzy_surnames(a, b)


def compatible_persons(a: str, b: str) -> bool:
    """Whether two person names can denote the same person.

    Surnames must match after transliteration folding (or nearly, for long ones), and given names
    must not conflict: either side may lack them, initials match full names, known nicknames match
    ("Joe"/"Joseph"), and middle names, when both sides give them, must agree too.

    >>> compatible_persons("Volodymyr Zelensky", "Zelenskyy")
    True
    >>> compatible_persons("G. Bush", "George Bush")
    True
    >>> compatible_persons("George W. Bush", "Jeb Bush")
    False
    >>> compatible_persons("John Smith", "Jane Smith")
    False
    >>> compatible_persons("Mr Xi", "Chinese President Xi Jinping")
    True
    >>> compatible_persons("W. Mark Felt", "Mark Felt"), compatible_persons("Mark Felt Jr.", "Mark Felt Sr.")
    (True, False)
    """
    gen_a, gen_b = _generation(a), _generation(b)
    if gen_a and gen_b and gen_a != gen_b:
        return False
    return any(_compatible(pa, pb) for pa in _person_parses(a) for pb in _person_parses(b))


def _compatible(a: _Parts, b: _Parts) -> bool:
    (given_a, sur_a), (given_b, sur_b) = a, b
    if not sur_a or not sur_b:
        return False
    key_a, key_b = surname_key(sur_a), surname_key(sur_b)
    if key_a != key_b and not _fuzzy_surnames(key_a, key_b):
        return False
    if not given_a or not given_b:
        return True
    if not _given_match(given_a[0], given_b[0]):
        return False
    return all(_given_match(x, y) for x, y in zip(given_a[1:], given_b[1:]))


def without_corporate_suffix(name: str) -> str:
    """An organization's name less its trailing corporate suffixes ("Breitbart News LLC" ->
    "Breitbart News"), never down to nothing."""
    tokens = name.split()
    corporate = _lex().corporate
    while len(tokens) > 1 and _tok_key(tokens[-1]) in corporate:
        tokens.pop()
    return " ".join(tokens)


# --- acronyms and slugs -------------------------------------------------------------------------


def _initials(text: str, split_hyphens: bool, keep_of: bool) -> str:
    tokens = without_corporate_suffix(clean_mention(text, "organization")).split()
    if any(tok.endswith(("'s", "’s")) for tok in tokens[:-1]):
        return ""  # "Brando's Academy Award": a phrase with a possessive goes by no letters
    letters, significant = [], 0
    for tok in tokens:
        for part in re.split(r"[-/]", tok) if split_hyphens else (tok,):
            key = _tok_key(part)
            if not any(c.isalnum() for c in key) or (key in _ACRONYM_STOP and key != "of"):
                continue
            if key == "of" and not keep_of:
                continue
            ascii_part = "".join(c for c in unidecode(part) if c.isalnum())
            significant += len(ascii_part) >= 2
            if ascii_part.isupper() and len(ascii_part) <= 5:
                letters.append(ascii_part)  # "US Department of Agriculture" -> "USDA"
            elif ascii_part:
                letters.append(ascii_part[0].upper())
    return "".join(letters) if significant >= 2 else ""


@functools.lru_cache(maxsize=1 << 16)
def acronym_of(text: str) -> str:
    """Initials of a multi-word organization name; "" for a one-word name.

    Skips stopwords (of, the, and, for, &) and corporate suffixes, splits hyphenated words.

    >>> acronym_of("Associated Press"), acronym_of("Advanced Micro Devices")
    ('AP', 'AMD')
    >>> acronym_of("Hewlett-Packard"), acronym_of("Electronic Data Systems Corp.")
    ('HP', 'EDS')
    >>> acronym_of("North Atlantic Treaty Organization"), acronym_of("Apple")
    ('NATO', '')
    """
    return _initials(text, split_hyphens=True, keep_of=False)


@functools.lru_cache(maxsize=1 << 16)
def acronym_candidates(text: str) -> tuple[str, ...]:
    """Every acronym a name may go by: with and without "of", hyphenated words split or not.

    >>> acronym_candidates("Department of Defense")
    ('DD', 'DOD')
    >>> acronym_candidates("Organisation for Economic Co-operation and Development")
    ('OECD', 'OECOD')
    """
    found = {_initials(text, s, k) for s in (True, False) for k in (False, True)}
    return tuple(sorted(found - {""}))


@functools.lru_cache(maxsize=1 << 16)
def is_acronym(text: str) -> bool:
    """Whether a mention is written as an acronym (mostly capitals, at most six letters).

    >>> [is_acronym(t) for t in ("AP", "NATO", "U.S.", "@AP", "BofA", "Apple", "T-Mobile")]
    [True, True, True, True, True, False, False]
    """
    s = unidecode(clean_mention(text, "organization"))
    if _DOTTED_ACRONYM_RE.fullmatch(s):
        return True
    if not _WORD_ACRONYM_RE.fullmatch(s):
        return False
    upper = sum(c.isupper() for c in s)
    lower = sum(c.islower() for c in s)
    return upper >= 2 and upper >= lower and upper + lower <= 6


@functools.lru_cache(maxsize=1 << 16)
def acronym_key(text: str) -> str:
    """Comparable form of an acronym: capitals and digits only.

    >>> acronym_key("U.S."), acronym_key("@AP"), acronym_key("AT&T")
    ('US', 'AP', 'ATT')
    """
    return "".join(c for c in unidecode(clean_mention(text, "organization")).upper() if c.isalnum())


def slugify(text: str, max_length: int = 80) -> str:
    """IRI-safe ASCII slug, never empty (falls back to "x" and a short hash of the text).

    >>> slugify("Volodymyr Zelensky"), slugify("O'Brien & Co."), slugify("U.S.")
    ('volodymyr-zelensky', 'obrien-co', 'us')
    >>> slugify("🙂")
    'x0402582bd3'
    """
    s = _DROP_IN_KEY_RE.sub("", unidecode(_normalize_chars(text)).casefold())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    s = s[:max_length].rstrip("-")
    if s:
        return s
    return "x" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


@functools.cache
def _given_names() -> dict[str, str]:
    """Given name (lookup form) -> "f", "m", or "u" for a name borne by women and men alike
    (kg/data/given_names.tsv, from nomquamgender)."""
    text = (resources.files("kg") / "data" / "given_names.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, gender = line.partition("\t")
            table[name] = gender
    return table


def is_honorific(word: str) -> bool:
    """Whether ``word`` is an honorific or a short title written before a name ("Mr", "Lt",
    "Capt", "Sen"; kg/data/honorifics.txt).

    >>> is_honorific("Lt"), is_honorific("capt"), is_honorific("Lieutenant"), is_honorific("AP")
    (True, True, False, False)
    """
    return word.lower() in _lex().honorifics


def is_title_word(word: str) -> bool:
    """Whether ``word`` is a title or an honorific written before a name (kg/data/titles.txt,
    kg/data/honorifics.txt: "General", "Sen", "President").

    >>> is_title_word("General"), is_title_word("sen"), is_title_word("Carly")
    (True, True, False)
    """
    return word.lower().rstrip(".") in _lex().titles


def corporate_suffix(word: str) -> bool:
    """Whether ``word`` is a company suffix (kg/data/corporate_suffixes.txt: "Inc", "Corp").

    >>> corporate_suffix("Inc."), corporate_suffix("L.P."), corporate_suffix("Fiorina")
    (True, True, False)
    """
    return word.lower().replace(".", "") in _lex().corporate


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name (kg/data/given_names.tsv, from nomquamgender).

    >>> is_given_name("Esther"), is_given_name("Catching")
    (True, False)
    """
    return _tok_key(word) in _given_names()


def given_name_gender(word: str) -> str:
    """ "f" or "m" when at least 90% of the people named ``word`` are women or men; "" else.

    >>> given_name_gender("Hillary"), given_name_gender("Donald"), given_name_gender("Robin")
    ('f', 'm', '')
    """
    gender = _given_names().get(_tok_key(word), "")
    return gender if gender in ("f", "m") else ""
