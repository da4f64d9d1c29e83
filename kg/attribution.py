"""Reported speech on the dependency parse: cue words, the content each governs, who speaks.

A *cue* is a reporting verb of the lexicon (``kg/data/reporting_verbs.txt``), "according to", or
a speech noun with a that-clause ("his warning that ..."). Its *content* is what it reports:

- ``ccomp``: the clause it governs ("X said (that) ...", "..., X said", "X told reporters ...");
- ``parenthetical``: the host clause of a parenthetical cue ("Putin, he argued, will ...");
- ``as-clause``: the clause an "as" cue opens ("As The Post reported, ...");
- ``according-to``: the clause "according to X" modifies;
- ``noun-clause``: the that-clause of a speech noun ("Zelensky's claims that ...");
- ``object``: the object of a verb when it holds a quoted fragment (called the system "rigged").

Cues inside quote marks are part of what is quoted and never count. Spans are doc token
ranges; ``kg.quotes`` turns them into characters and decides direct / mixed / indirect.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

from kg import columns
from kg.attribution_marks import MarkedSpan, find_quote_marks
from kg.names import POST_NOMINALS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
NOT_OBJECT_DEPS = frozenset(
    {"punct", "cc", "conj", "advcl", "advmod", "npadvmod", "parataxis", "mark", "aux", "auxpass"}
    | {"neg", "nsubj", "nsubjpass", "prt", "agent", "dep", "expl", "intj", "relcl", "ccomp"}
)
EDGE_PUNCT = frozenset(",.;:—–-()[]")
OPENING_MARKS = frozenset("“‘«")
_TRAILING = EDGE_PUNCT | OPENING_MARKS
DIRECTIVE_VERBS = frozenset(
    {"tell", "ask", "urge", "warn", "advise", "beg", "remind", "exhort", "implore"}
)
# verbs whose object is the one told ("told a meeting of leaders that ...")
TELLING_VERBS = DIRECTIVE_VERBS | {"assure", "inform", "notify", "convince", "persuade", "promise"}
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
RELATIVE = frozenset({"who", "that", "which", "whom"})
MAX_CHAIN = 6  # conj / xcomp / advcl / acomp / gerund links followed from a cue to its subject


@cache
def read_lexicon(name: str) -> frozenset[str]:
    """First word of each non-comment line of a package data file (kg/data/NAME)."""
    text = resources.files("kg.data").joinpath(name).read_text("utf-8")
    words = (line.split("#")[0].split() for line in text.splitlines())
    return frozenset(w[0].lower() for w in words if w)


def reporting_verbs() -> frozenset[str]:
    """Lemmas of reporting verbs (kg/data/reporting_verbs.txt)."""
    return read_lexicon("reporting_verbs.txt")


def object_verbs() -> frozenset[str]:
    """Reporting verbs whose object is what they report, quote marks or not ("accused X of ...",
    "called for ...") (kg/data/quotes_object_verbs.txt)."""
    return read_lexicon("quotes_object_verbs.txt")


def cue_nouns() -> frozenset[str]:
    """Nouns that introduce speech (kg/data/cue_nouns.txt)."""
    return read_lexicon("cue_nouns.txt")


_SENTENCES = "kg.sentence_bounds"
_TEXT = "kg.text"
_CUES = "kg.cues"
_MARKS = "kg.quote_marks"
_TOKEN_MARKS = "kg.token_marks"
_SUBJECTS = "kg.cue_subjects"


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once from the token columns: spaCy rebuilds it from a Token object
    per token on each access."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        words, spaces = columns.strings(doc, "ORTH"), columns.numbers(doc, "SPACY")
        text = "".join(word + " " if space else word for word, space in zip(words, spaces))
        doc.user_data[_TEXT] = text
    return text


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(first token, end) of each of the doc's sentences, in order, as ``doc.sents`` has them;
    read once per doc from the SENT_START column (the list is shared: read it, never change it)."""
    return _sentence_index(doc)[0]


def sentence_start(doc: Doc, i: int) -> int:
    """The first token of the sentence of token ``i`` (``doc[i].sent.start``, no Span made)."""
    return _sentence_index(doc)[1][i][0]


def sentence(token: Token) -> Span:
    """The sentence of ``token``. ``Token.sent`` re-checks the whole doc for sentence boundaries
    on every call (quadratic over a long article); this indexes the doc's sentences once."""
    start, end = _sentence_index(token.doc)[1][token.i]
    return token.doc[start:end]


def _sentence_index(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The doc's sentences, and each token's sentence: found once per doc."""
    cached = doc.user_data.get(_SENTENCES)
    if cached is not None and cached[0] == len(doc):
        return cached[1], cached[2]
    starts = columns.numbers(doc, "SENT_START")  # Doc.sents: token 0, and every 1 after it
    edges = [0, *(i for i in range(1, len(doc)) if starts[i] == 1), len(doc)]
    bounds = list(pairwise(edges)) if len(doc) else []
    of_token = [bound for bound in bounds for _ in range(bound[1] - bound[0])]
    doc.user_data[_SENTENCES] = (len(doc), bounds, of_token)
    return bounds, of_token


def quote_marks(doc: Doc) -> tuple[list[MarkedSpan], list[str]]:
    """``find_quote_marks`` of the doc's text, paired once per doc (the lists are shared: read
    them, never change them)."""
    marks = doc.user_data.get(_MARKS)
    if marks is None:
        marks = doc.user_data[_MARKS] = find_quote_marks(text_of(doc))
    return marks


def marks_of_tokens(doc: Doc) -> list[int | None]:
    """Per token, the number of the ``quote_marks`` span that holds its first character, else
    None; once per doc (the list is shared: read it, never change it)."""
    cached = doc.user_data.get(_TOKEN_MARKS)
    if cached is not None and len(cached) == len(doc):
        return cached  # type: ignore[no-any-return]
    spans, _ = quote_marks(doc)
    idx = columns.numbers(doc, "IDX")
    out: list[int | None] = [None] * len(doc)
    for k, span in enumerate(spans):  # in order and disjoint: marks pair left to right
        first, end = bisect_left(idx, span.start), bisect_left(idx, span.end)
        out[first:end] = [k] * (end - first)
    doc.user_data[_TOKEN_MARKS] = out
    return out


@dataclass(frozen=True)
class Content:
    """What a cue reports: tokens ``lo``..``hi`` (exclusive) of the doc, and how it was found."""

    cue: Token
    lo: int
    hi: int
    tokens: frozenset[int]  # the content proper (no cue, no speaker), for kind decisions
    how: str


def cue_kind(token: Token) -> str:
    """ "verb", "according", "noun" or "" (not a cue)."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        if lemma == "accord" or token.lower_ == "according":
            return "according" if any(c.lower_ == "to" for c in token.children) else ""
        if lemma == "put":
            return "verb" if puts_it(token) else ""
        if lemma not in reporting_verbs() or _idiom(token) or not_reporting(token):
            return ""
        return "verb"
    if token.pos_ == "NOUN" and lemma in cue_nouns():
        return "noun"
    return ""


# "put it" with these is placing, not wording: "put it into law", "put it off", "put it to a vote"
_PLACING = frozenset({
    "into", "on", "onto", "to", "under", "at", "through", "forward", "down", "behind", "aside",
    "together", "off", "back", "up", "out", "away", "over", "before", "around", "above", "in",
})  # fmt: skip


def puts_it(verb: Token) -> bool:
    """ "As Professor Foner put it: '...'", "'...,' as Mrs. Clinton put it in her memoir": "put
    it" with a subject and no place to put it is a cue for the words quoted beside it ("in her
    memoir" says where, so "in" counts only when its object is a work or a medium)."""
    if verb.lemma_.lower() != "put" or not verb.tag_.startswith("VB"):
        return False
    children = list(verb.children)
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in children):
        return False
    if not any(c.dep_ in SUBJECT_DEPS for c in children):
        return False
    for c in children:
        if c.dep_ in ("prt", "prep", "advmod") and c.lower_ in _PLACING:
            pobj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if c.lower_ == "in" and pobj is not None and pobj.lemma_.lower() in _MEDIA:
                continue
            return False
    return True


_MEDIA = frozenset({
    "memoir", "book", "interview", "statement", "tweet", "post", "letter", "memo", "speech",
    "column", "essay", "op-ed", "email", "blog", "article", "editorial", "note", "remark",
    "testimony", "podcast", "video", "address", "report", "message",
})  # fmt: skip


def _idiom(verb: Token) -> bool:
    """A reporting verb in a set phrase that reports nobody's words: the narrator's hedges "it
    goes without saying that ...", "suffice it to say that ...", "needless to say", "that is to
    say", "it is too soon to say whether ...", "it's worth noting that ...", "it is important
    to remember that ...", "it bears repeating that ...", "it should be noted that ...", and
    an imperative opening a sentence ("Remember: ...", "Note that ...")."""
    head = verb.head
    if _modal_passive(verb):
        return True  # "it should be noted that ..."
    if head.i == verb.i:
        return _imperative(verb)
    if verb.dep_ in ("xcomp", "advcl", "pcomp") and _hedged(head):
        return True  # "it is important to note that ...", "it bears repeating that ..."
    if verb.lemma_.lower() != "say":
        return False
    if verb.dep_ == "pcomp" and head.lower_ == "without":
        return head.head.lemma_.lower() == "go"  # "it goes without saying"
    if verb.dep_ == "xcomp" and any(c.lower_ == "to" for c in verb.children):
        if head.lower_ in ("suffice", "needless"):
            return True
        return head.lemma_ == "be" and any(
            c.dep_ == "nsubj" and c.lower_ == "that" for c in head.children
        )  # "that is to say"
    return False


def _hedged(head: Token) -> bool:
    """The verb a cue completes is a judgement about saying it, with no subject but "it": "it
    is too soon to [say]", "it's worth [noting]", "it bears [repeating]", "Hard to [say]"."""
    judged = (
        head.lower_ in _JUDGING
        or head.lemma_.lower() == "bear"
        or any(c.dep_ == "acomp" and c.lower_ in _JUDGING for c in head.children)
    )
    host = head if head.pos_ in ("AUX", "VERB") else head.head
    return judged and not any(c.dep_ in SUBJECT_DEPS and c.lower_ != "it" for c in host.children)


def _modal_passive(verb: Token) -> bool:
    """ "it should be noted that ...", "it must be said that ..." (not "it was reported that
    ...", which reports somebody unnamed)."""
    children = list(verb.children)
    return any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in children) and any(
        c.dep_ == "aux" and c.lower_ in _MODALS for c in children
    )


def _imperative(verb: Token) -> bool:
    """ "Remember: the world ignored it", "Note that ...", "Say what you will": a bare verb
    opening its sentence with no subject addresses the reader."""
    if verb.tag_ != "VB" or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return False
    first = verb.sent[0]
    while first.i < verb.i and (first.is_punct or first.is_space):
        first = verb.doc[first.i + 1]
    return first.i == verb.i


_MODALS = frozenset({"should", "must", "can", "could", "may", "might"})


_REFLEXIVES = frozenset({"itself", "himself", "herself", "themselves", "myself", "ourselves"})


def not_reporting(verb: Token) -> bool:
    """ "call" where it names, and "find" where it situates, rather than report anybody's words:
    "a group called Black Votes Matter", "the resort, now called Trump National Doral", "what
    is today called ...", "a man calling himself Paul", "Call it viral fundraising", "Fox
    News found itself playing host", "find out who ..." ("Obama called bankers 'fat cats'",
    "Sanders calls himself a democratic socialist" and "was called a liar by Trump" report)."""
    lemma = verb.lemma_.lower()
    if lemma == "recall":
        return _recalls_somebody(verb)
    if lemma == "find":
        return _reflexive_object(verb) or any(
            (c.dep_ == "ccomp" and c.left_edge.lower_ in _REFLEXIVES)  # the parser's clause
            or (c.dep_ == "prt" and c.lower_ == "out")
            for c in verb.children
        )
    if lemma != "call":
        return False
    deps = {c.dep_ for c in verb.children}
    if verb.dep_ == "acl" and _reflexive_object(verb):
        return True  # "a man calling himself Paul"
    if "nsubj" in deps or "agent" in deps:
        return False
    if verb.tag_ == "VB" and verb.dep_ == "ROOT":
        return True  # "Call it viral fundraising"
    if verb.tag_ != "VBN" or _passive_agent(verb) is not None:
        return False
    if verb.dep_ == "acl":
        # "a group called X"; but in a sentence with no verb at its root the parser has taken
        # the main verb for a participle ("Cooper, McCrory's opponent, called Friday for ...")
        root = verb.sent.root
        return root.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on") for c in verb.children
        )
    return "auxpass" in deps or "nsubjpass" in deps  # "what is today called ..."


def _recalls_somebody(verb: Token) -> bool:
    """ "must recall Frederic Michalak", "recalling nine of their foreign-based players", "GM
    is recalling nearly 200,000 vehicles": "recall" that brings people or goods back, not one
    that remembers ("recalled the case of a couple", "recalled seeing him play"): a person, a
    number or "all" as its object; not a person doing something ("recalled Mr. Obama talking
    about ...")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or (verb.i > 0 and verb.doc[verb.i - 1].is_punct):
        return False  # ('"...," recalled Mr. Rhodes': the parser's object is who speaks)
    if obj.ent_type_ == "PERSON":
        return not any(c.dep_ in ("acl", "relcl") for c in obj.children)
    if obj.like_num or obj.lower_ == "all":
        return True
    return any(c.dep_ in ("nummod", "quantmod") or c.lower_ == "all" for c in obj.children)


def _reflexive_object(verb: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lower_ in _REFLEXIVES for c in verb.children)


# "too soon to say", "safe to say", "worth noting", "important to remember": the narrator's
# hedge, nobody's words
_JUDGING = frozenset({
    "soon", "early", "hard", "difficult", "fair", "safe", "impossible", "easy", "premature",
    "accurate", "unfair", "reasonable", "tough", "tricky", "important", "worth", "necessary",
    "interesting", "instructive", "useful", "helpful", "crucial", "vital", "notable",
    "noteworthy", "ironic", "striking", "tempting", "remarkable", "essential",
})  # fmt: skip


def cue_tokens(doc: Doc) -> list[tuple[int, str]]:
    """(token index, ``cue_kind``) of every cue of the doc, in order, found once per doc: only
    tokens whose lemma or lower-case form is a cue word become Token objects."""
    cached = doc.user_data.get(_CUES)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    words = reporting_verbs() | cue_nouns() | {"accord", "put"}
    lemmas = columns.strings(doc, "LEMMA")
    lowers = columns.strings(doc, "LOWER")
    cue_lemmas = {lemma for lemma in set(lemmas) if lemma.lower() in words}
    cues = [
        (i, kind)
        for i, lemma in enumerate(lemmas)
        if (lemma in cue_lemmas or lowers[i] == "according") and (kind := cue_kind(doc[i]))
    ]
    doc.user_data[_CUES] = (len(doc), cues)
    return cues


def find_contents(doc: Doc, quoted: Callable[[int], bool]) -> Iterator[Content]:
    """Every cue outside quote marks (``quoted(i)`` says whether token i is inside) with its content."""
    for i, kind in cue_tokens(doc):
        if quoted(i):
            continue
        found = _content(doc[i], kind)
        if found is not None:
            yield found


def _semicolon_between(clause: Token, cue: Token) -> bool:
    """A semicolon or colon between a clause and a cue after it: the clause ends there ("It's
    unlikely; her team says ...", "... set off partisan fireworks: Republicans said ...")."""
    return any(
        t.text in (";", ":") and (t.i > clause.right_edge.i or t.head.i == clause.i)
        for t in cue.doc[clause.i + 1 : cue.i]
    )


def _narrates(clause: Token) -> bool:
    """A clause before a cue that reports somebody else's words outside quote marks is the
    narrative around them, not what the cue reports ('"You winning?" she said, but Kevin was
    drifting off again, and as Trump went on, Melanie said yes')."""
    quoted = marks_of_tokens(clause.doc)
    if quoted[clause.i] is None and _speaks(clause) and _reports_a_quote(clause, quoted):
        return True  # the clause reports a quote itself: '"You winning?" she said, but ...'
    return any(
        quoted[t.i] is None
        and t.dep_ not in ("relcl", "acl")  # "Scott's relatives, who asked ..., watched it"
        and t.lemma_.lower() not in _THINKING  # "... and he finds that in government work, he said"
        and _speaks(t)
        for t in clause.subtree
        if t.i != clause.i
    )


# reporting verbs of finding and showing: a clause with one in it is still what the cue after
# it reports, not a narrative of somebody else's words (a hope or a fear is somebody's stance)
_THINKING = frozenset({"find", "show", "learn", "indicate", "signal", "estimate"})


def _reports_a_quote(clause: Token, quoted: list[int | None]) -> bool:
    """The clause's verb reports a quote of its own: it governs quoted words ('"You winning?"
    she said'), or it is a bare verb of saying after a quote in the sentence before ('she said,
    but ...')."""
    if any(quoted[c.i] is not None for c in clause.children):
        return True
    bare = not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in clause.children)
    return bare and clause.lemma_.lower() in _SAYING


# verbs that only ever report speech (not "add", "show", "worry", "agree": "Social media has
# added another link", "people would show up")
_SAYING = frozenset({"say", "tell", "ask", "reply", "answer", "respond", "write", "explain"})


def _speaks(token: Token) -> bool:
    """A reporting verb with a subject of its own."""
    return (
        token.pos_ == "VERB"
        and token.lemma_.lower() in reporting_verbs()
        and any(c.dep_ in SUBJECT_DEPS for c in token.children)
    )


def _result_clause(clause: Token, cue: Token) -> bool:
    """ "adds so many layers of review that it would slow every permit": a that-clause after "so"
    or "such" in the cue's object says what follows from it, not what anybody said."""
    if clause.i < cue.i or not _starts_with_that(clause) or cue.lemma_.lower() in TELLING_VERBS:
        return False  # ("told so many people that the plan would work" is what he told them)
    return any(
        t.lower_ in ("so", "such")
        for c in cue.children
        if c.dep_ == "dobj" and c.i < clause.i
        for t in c.subtree
    )


def _inverted_condition(clause: Token) -> bool:
    """ "Should the company run into trouble, ..." / "Had he known, ...": a condition, not what
    was said (an auxiliary before the clause's subject)."""
    first = clause.left_edge
    return (
        first.dep_ in ("aux", "auxpass")
        and first.head.i == clause.i
        and any(c.dep_ in SUBJECT_DEPS and c.i > first.i for c in clause.children)
    )


def _content(cue: Token, kind: str) -> Content | None:
    if kind == "verb":
        if _object_says(cue) is not None:
            return None  # "Reuters quoted sources as saying ...": "saying" reports it
        host = _saying_host(cue)
        if host is not None and not any(c.i > cue.i and not c.is_punct for c in cue.children):
            # 'Video games are "big business", the paper quoted Mr Chernin as saying.': what
            # the verb before "as saying" governs
            found = _content_of(host, kind)
            if found is None or found.how != "ccomp":
                return None
            return Content(cue, found.lo, found.hi, found.tokens, found.how)
    return _content_of(cue, kind)


def _saying_host(gerund: Token) -> Token | None:
    """The verb of "quoted X as saying" whose object X says what ``gerund`` reports, or None."""
    prep = gerund.head
    if gerund.dep_ != "pcomp" or prep.lower_ != "as" or prep.dep_ != "prep" or gerund.tag_ != "VBG":
        return None
    host = prep.head
    return host if host.pos_ == "VERB" and _object_says(host) is not None else None


def _object_says(verb: Token) -> Token | None:
    """ "Reuters quoted sources as saying", "the agency reports a union source as saying": the
    object of the verb before "as saying" is who said it (not "was quoted as saying", where the
    subject is)."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "as" or prep.i < verb.i:
            continue
        if any(
            c.dep_ == "pcomp" and c.tag_ == "VBG" and c.lemma_.lower() in reporting_verbs()
            for c in prep.children
        ):
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < prep.i), None)
            return None if obj is None or _a_work(obj) else obj
    return None


def _a_work(noun: Token) -> bool:
    """A document, not a person ("Browne quoted its five-year plan as saying": Browne reads it
    out)."""
    lemma = noun.lemma_.lower()
    return noun.pos_ == "NOUN" and (
        lemma == "plan" or (lemma in read_lexicon("quotes_voice_nouns.txt") and lemma not in _VOICES)
    )


_VOICES = frozenset({"spokesman", "spokesperson", "spokeswoman", "representative"})


def _content_of(cue: Token, kind: str) -> Content | None:
    if kind == "according":
        edge = _sourced_by_edge(cue)
        if edge is not None:
            return _from(cue, edge, "according-to") if edge else None
        host = _clause_head(cue.head)
        if host.i == cue.i:
            return None
        return _from(cue, _minus(host, cue), "according-to")
    if cue.lemma_.lower() == "put":
        return None  # "as X put it": the cue of a quote in marks only
    if kind == "noun":
        clause = [c for c in cue.children if c.dep_ in ("acl", "ccomp") and _starts_with_that(c)]
        return _from(cue, _subtrees(clause), "noun-clause") if clause else None
    inserted = _inserted(cue)
    if inserted is not None:
        return _from(cue, inserted, "parenthetical")
    as_clause = _as_clause(cue)
    if as_clause is not None:
        return _from(cue, as_clause, "as-clause")
    # a clause before the cue that a semicolon or colon ends, or a condition, is not what it
    # reports: "It's unlikely; her team says she will go on" reports the second clause
    comps = [
        c
        for c in cue.children
        if c.dep_ == "ccomp"
        and not (
            c.i < cue.i
            and (_semicolon_between(c, cue) or _inverted_condition(c) or _narrates(c))
        )
        and not _result_clause(c, cue)
    ]
    if any(c.i < cue.i for c in comps) and any(c.i > cue.i for c in comps):
        # '"It's finished," she said of the race, in which Trump would triumph': the clause
        # before a post-posed cue is what was said; one after it is the parser's stray attachment
        # (a quoted second piece is joined to the first by kg.quotes)
        before = [c for c in comps if c.i < cue.i]
        after = [c for c in comps if c.i > cue.i]
        quoted = marks_of_tokens(cue.doc)
        if _opens_after(cue, after) and not any(quoted[i] is not None for i in _subtrees(before)):
            # "Walsh, meanwhile, who sits at zero endorsements, said that fact speaks ...": a
            # clause the parser hung before the cue is not what was said when one follows it
            comps = after
        else:
            comps = before
    if comps:
        tokens = (
            _without_next_reports(comps, cue)
            | _trailing(cue, comps)
            | _object_as_subject(cue, comps)
        )
        return _from(cue, tokens | _conjoined(cue, tokens), "ccomp")
    # "While he acknowledged funding was a major reason, Ham noted ...": the parser hung the
    # cue on the clause it reports, which follows it at once
    host = cue.head
    speaks = cue.tag_ in FINITE_TAGS and any(c.dep_ == "nsubj" for c in cue.children)
    if cue.dep_ == "advcl" and speaks and host.i > cue.i and host.pos_ in ("VERB", "AUX"):
        # (not "If found guilty, the CEO faces ...", "when a firm is declared bankrupt it ...")
        subject = next((c for c in host.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.left_edge.i == cue.right_edge.i + 1:
            return _from(cue, _minus(host, cue), "ccomp")
    swallowed = _postposed_advcl(cue)
    if swallowed is not None:
        return _from(cue, swallowed, "ccomp")
    # "Language unclear on whether mothers are covered, experts say", "People like Scott, he
    # said": a fragment before a post-posed cue, set off by a comma, which the parser leaves
    # unlabelled (dep) or takes for a second subject
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS]
    fragments = [
        c
        for c in cue.children
        if c.i < cue.i
        and cue.doc[c.right_edge.i + 1].text == ","
        and not c.ent_type_  # "The secretary-general, Ban Ki-moon, vowed": no fragment
        and (
            c.dep_ == "dep"
            or (
                c.dep_ == "nsubj"
                and any(s.i == cue.i - 1 or (s.i > cue.i and c.right_edge.i + 2 == cue.i) for s in subjects)
            )
        )
    ]
    if fragments and _ends_sentence(cue):
        return _from(cue, _subtrees(fragments), "ccomp")
    # the parser's advcl for "tweeted overnight that X was ..." and "tells his supporters at a
    # rally to go ...": a that-clause, or a to-clause of a verb that tells someone to act
    clauses = [c for c in cue.children if c.dep_ in ("advcl", "xcomp") and c.i > cue.i]
    that = [c for c in clauses if c.dep_ == "advcl" and _reported_clause(c)]
    if that:
        return _from(cue, _from_subject_on(that), "ccomp")
    # "said having Trump at the top of the ticket puts ...": the parser took a gerund subject
    # for the cue's xcomp and hung the clause's verb on it
    gerund = [c for c in clauses if c.dep_ == "xcomp" and _gerund_subject(cue, c)]
    if gerund:
        return _from(cue, _subtrees(gerund), "ccomp")
    told = [c for c in cue.children if c.dep_ == "dobj"]
    if told and cue.lemma_.lower() in DIRECTIVE_VERBS:
        to = [c for c in clauses if c.left_edge.lower_ == "to"]
        if to:
            return _from(cue, _subtrees(told + to), "directive")
    told_that = _that_clause_of_object(told) if cue.lemma_.lower() in TELLING_VERBS else None
    if told_that is None:
        # "said earlier on Friday during a news conference that he may wait ...": the same
        # misreading in an adjunct after the cue
        adjuncts = [
            c
            for c in cue.children
            if c.i > cue.i and c.dep_ in _ADJUNCT_DEPS and c.lower_ not in ("as", "like", "than")
        ]  # ("described the plan as a buzz that voters would reject": a relative clause)
        told_that = _that_clause_of_object(adjuncts)
    if told_that is not None:
        return _from(cue, _subtrees([told_that]), "ccomp")
    if cue.dep_ == "parataxis" and cue.head.i != cue.i:
        return _from(cue, _minus(cue.head, cue), "parenthetical")
    if _postposed_conjunct(cue):
        return _from(cue, _minus(cue.head, cue), "ccomp")
    objects = [c for c in cue.children if c.i > cue.i and c.dep_ not in NOT_OBJECT_DEPS]
    if objects:
        agent = _passive_agent(cue)  # 'was called "a hypocrite" by Senator Holt': who said it
        by = set(range(agent.head.left_edge.i, agent.right_edge.i + 1)) if agent else set()
        tokens = _subtrees(objects) - by
        aside = min(_asides(cue.doc, tokens), default=None)
        if aside is not None:  # "criticized the plan, which the union said was ...": its own
            tokens = {i for i in tokens if i < aside}
        return _from(cue, tokens, "object")
    return None


_INSERTED_DEPS = frozenset({
    "nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "npadvmod", "prep", "dative", "dobj",
    "agent",
})  # fmt: skip
_INSERT_COMMAS = frozenset({",", "—", "–"})


def _object_as_subject(cue: Token, comps: list[Token]) -> set[int]:
    """ "The firm promised no jobs would be lost": the parser took the subject of the reported
    clause for the cue's object and left the clause with none; the object is the clause's
    (not "told them would ...", where the object is who was told)."""
    for clause in comps:
        if clause.i < cue.i or any(
            c.dep_ in SUBJECT_DEPS | {"expl", "csubj"} for c in clause.children
        ):
            continue
        if not (clause.tag_ in FINITE_TAGS or clause.left_edge.tag_ in FINITE_TAGS):
            continue
        for obj in cue.children:
            gap = cue.doc[obj.right_edge.i + 1 : clause.left_edge.i]  # ("families - gay - would")
            if (
                obj.dep_ == "dobj"
                and obj.i > cue.i
                and all(t.text in _DASHES for t in gap)
                and obj.pos_ != "PRON"
                and not _governs_a_clause(obj)
                and obj.ent_type_ not in ("PERSON", "NORP")
                and cue.lemma_.lower() not in TELLING_VERBS - {"promise"}
            ):
                return set(range(obj.left_edge.i, clause.left_edge.i))
    return set()


_DASHES = frozenset({"-", "—", "–", "--"})


def _governs_a_clause(noun: Token) -> bool:
    """Whether a verb other than a relative clause's hangs in ``noun``'s phrase ("plans to help
    buyers", "that idea saying ...": the parser's phrase runs past a noun phrase)."""
    return any(
        t.pos_ == "VERB" and t.dep_ in ("acl", "xcomp", "advcl", "ccomp", "conj")
        for t in noun.subtree
    )


def _gerund_subject(cue: Token, clause: Token) -> bool:
    """A gerund right after the cue that governs a finite clause of its own: the gerund phrase
    is that clause's subject, misread ("said having Trump on the ticket puts them at risk")."""
    return (
        clause.tag_ == "VBG"
        and clause.left_edge.i == cue.i + 1
        and any(c.dep_ == "ccomp" and _finite(c) for c in clause.children)
    )


def _finite(verb: Token) -> bool:
    """A finite verb, or one a modal makes finite ("could put")."""
    return verb.tag_ in FINITE_TAGS or any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children
    )


def _reported_clause(clause: Token) -> bool:
    """The parser's advcl of a cue that is what was said: a that-clause ("tweeted overnight that
    X was ...") or a finite clause with its own subject and no conjunction ("said after the
    convention he would not accept ...", not "said it because ..." nor "said so when ...")."""
    if clause.left_edge.lower_ == "that":
        return True
    if clause.pos_ not in ("VERB", "AUX") or any(c.dep_ == "mark" for c in clause.children):
        return False
    finite = clause.tag_ in FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") for c in clause.children
    )
    subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS]
    if not (finite and subjects):
        return False
    # a clause that opens with its subject, or a phrase of time or place and its subject ("said
    # after the convention he would not ..."): not "when he ran", "which is where", "even though"
    first, subject = clause.left_edge, subjects[0]
    before = [c for c in clause.children if c.i < subject.i]
    return (
        all(c.dep_ in ("prep", "npadvmod", "punct") for c in before)
        and first.tag_ not in WH_TAGS
        and first.pos_ not in ("ADV", "SCONJ")
        and subject.left_edge.tag_ not in WH_TAGS
    )


def _ends_sentence(cue: Token, told: bool = False) -> bool:
    """A post-posed cue: what follows it to the sentence's end is a few words with no verb and
    no object ("experts say.", "he said in a statement on Monday."), not "he has described the
    demands his father made" nor "he is credited with helping revive sales". ``told``: the
    object of a telling verb is whom it was told ("..., his aide told The Huffington Post.")."""
    end = _sentence_index(cue.doc)[1][cue.i][1]
    after = [t for t in cue.doc[cue.i + 1 : end] if not t.is_punct and not t.is_space]
    objects = _CLAUSE_OBJECTS if told else _CLAUSE_OBJECTS | {"dobj"}
    return len(after) <= 8 and not any(
        t.pos_ in ("VERB", "AUX") or t.dep_ in objects for t in after
    )


_CLAUSE_OBJECTS = frozenset({"ccomp", "xcomp", "attr", "oprd"})


def _postposed_conjunct(cue: Token) -> bool:
    """ "Sanders remains committed to the race, his top aide, Tad Devine, told The Huffington
    Post.": a cue after a comma that ends the sentence, which the parser took for a second
    clause conjoined to what was said (no "and" or "but" between them)."""
    head = cue.head
    if cue.dep_ != "conj" or head.i >= cue.i or head.pos_ not in ("VERB", "AUX"):
        return False
    subject = next((c for c in cue.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None:
        return False
    if subject.i > cue.i:
        # "..., but it is under pressure from imports, said the company's chief executive.":
        # a cue set off by a comma before its own subject ends what was said, conjoined or not
        if cue.doc[cue.i - 1].text != ",":
            return False
    elif cue.doc[subject.left_edge.i - 1].text != "," or any(
        c.dep_ == "cc" and head.i < c.i < cue.i for c in head.children
    ):
        return False
    start = _sentence_index(cue.doc)[1][cue.i][0]
    return head.left_edge.i == start and _ends_sentence(cue, cue.lemma_.lower() in TELLING_VERBS)


def _postposed_advcl(cue: Token) -> set[int] | None:
    """ "The Internet has made it possible for people with like-minded, if bogus, ideas to
    organize, she said.": a cue after a comma that ends the sentence, which the parser hung on
    the clause it reports as an adverbial clause (giving it part of that clause) or as its
    complement ("National Insurance will be raised if Labour wins, Michael Howard has
    claimed."): everything from the sentence's start to the comma before the cue's subject is
    what was said."""
    head, doc = cue.head, cue.doc
    if cue.dep_ not in ("advcl", "ccomp") or head.i >= cue.i or head.pos_ not in ("VERB", "AUX"):
        return None
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and c.i < cue.i]
    if not subjects:
        return None
    subject = subjects[-1]
    if subject.dep_ == "nsubjpass" and cue.lemma_.lower() not in TELLING_VERBS:
        return None  # "..., Edwards had been admitted to hospital": no saying ("was told" is)
    if any(t.pos_ not in ("ADV", "AUX", "PART") for t in doc[subject.right_edge.i + 1 : cue.i]):
        return None  # ("..., she has also said.")
    comma = subject.left_edge.i - 1
    start = _sentence_index(doc)[1][cue.i][0]
    if comma <= start or doc[comma].text != "," or head.left_edge.i != start:
        return None
    if not _ends_sentence(cue, cue.lemma_.lower() in TELLING_VERBS):
        return None
    return set(range(start, comma))


def _from_subject_on(clauses: list[Token]) -> set[int]:
    """The clauses' words less a phrase before the subject, which the parser hung on the clause
    but belongs to the cue ("said [after the convention] he would not ...")."""
    out: set[int] = set()
    for clause in clauses:
        subject = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), clause)
        skip = {
            t.i
            for c in clause.children
            if c.i < subject.i and c.dep_ in ("prep", "npadvmod")
            for t in c.subtree
        }
        out |= {t.i for t in clause.subtree if t.i not in skip}
    return out


def _that_clause_of_object(objects: list[Token]) -> Token | None:
    """'told a meeting of Pacific Island leaders that few people understood ...', "says in a
    statement that the race will ...": the parser made the that-clause a relative clause of the
    object, or a clause of the noun where it was said; "that" as its mark, not its subject or
    object, says it is what was told (unless the noun is one a that-clause completes: "pointed
    to Rowling's revelation that she ...", "in the event that ...")."""
    for obj in objects:
        for token in obj.subtree:
            noun = token.head.lemma_.lower()
            if noun in _CONTENT_NOUNS or noun in cue_nouns():
                continue
            if token.dep_ == "acl" and not (_occasion(token.head) or _addressee(token.head)):
                continue  # "agreed to the FCC's demands that ...": the demands' content
            if token.dep_ in ("relcl", "acl") and any(
                c.dep_ == "mark" and c.lower_ == "that" and c.i < token.i for c in token.children
            ):
                return token
    return None


def _occasion(noun: Token) -> bool:
    """Whether ``noun`` is where or when something was said ("in a statement", "during a
    briefing", "on a regular basis"), not what it answers ("to the FCC's demands", "about
    Trump's declaration")."""
    return noun.dep_ == "pobj" and noun.head.lower_ in _OCCASION_PREPOSITIONS


def _addressee(noun: Token) -> bool:
    """Whether ``noun`` is whom a telling verb tells ("told the Today programme that ...")."""
    return noun.dep_ in ("dobj", "dative") and noun.head.lemma_.lower() in TELLING_VERBS


_OCCASION_PREPOSITIONS = frozenset({"in", "during", "at", "on", "via", "through", "over"})
_ADJUNCT_DEPS = frozenset({"prep", "npadvmod", "advmod", "dative"})
# nouns a that-clause completes: its content, not what the cue reports
_CONTENT_NOUNS = frozenset({
    "event", "revelation", "concern", "fear", "complaint", "report", "news", "fact", "idea",
    "notion", "belief", "hope", "evidence", "sign", "possibility", "question", "rumor",
    "speculation", "charge", "accusation", "worry", "view", "sense", "impression", "assurance",
    "condition", "understanding", "expectation", "likelihood", "chance", "risk", "theory",
})  # fmt: skip


def _as_clause(cue: Token) -> set[int] | None:
    """ "As The Washington Post reported, even if Sanders ...", "As reported by Western
    Journalism, the former secretary ...", "given that, as The Times reported on Saturday, he
    has ...": a cue clause that "as" opens, set off by a comma before the clause it modifies;
    that clause, from the comma on, is what was reported. Not a clause after the one it
    modifies ("He left, as he said he would"), nor an "as" clause with its own content ("As he
    told reporters he would, ...")."""
    host, doc = cue.head, cue.doc
    if cue.dep_ != "advcl" or host.i <= cue.i or cue.lemma_.lower() not in _AS_REPORTS:
        return None  # ("As Freddy joked with his friend, ...", "As the White House hints at")
    mark = cue.left_edge
    if mark.lower_ != "as" or mark.dep_ != "mark" or mark.head.i != cue.i:
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "dative") for c in cue.children):
        return None
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS]
    if not subjects and _passive_agent(cue) is None:
        return None  # "As noted above, ...": the writer's own aside
    if any(c.lower_ in ("i", "we", "you") for c in subjects):
        return None  # "as I've suggested", "as you pointed out, Laura,": an aside
    edge = cue.right_edge
    comma = edge.i if edge.text == "," else edge.i + 1  # (the parser may hang it on the cue)
    if comma >= host.i or doc[comma].text != ",":
        return None
    if not any(c.dep_ in (*SUBJECT_DEPS, "expl") and c.i > comma for c in host.children):
        return None  # 'the fact that the race "is a dead heat," as Cruz said, only magnifies'
    return set(range(comma + 1, host.right_edge.i + 1))


# verbs whose "as" clause says where what follows comes from ("As The Post reported, ..."); not
# "as" of time ("As Freddy joked with his friend, his brother grew impatient")
_AS_REPORTS = frozenset({
    "acknowledge", "admit", "announce", "argue", "claim", "conclude", "confirm", "declare",
    "describe", "disclose", "explain", "find", "indicate", "insist", "mention", "note", "observe",
    "point", "predict", "recall", "remind", "report", "reveal", "say", "show", "state", "suggest",
    "testify", "tweet", "warn", "write",
})  # fmt: skip


def _inserted(cue: Token) -> set[int] | None:
    """The sentence around a cue clause set off by commas inside it ("Though it went well, he
    said, replacing her would be bitter"; "..., the agency said in a June report, and ..."):
    what was said is the rest of the sentence, on both sides. None when the cue is not inserted."""
    if cue.dep_ in ("relcl", "acl", "advcl"):
        return None
    if not any(c.dep_ in SUBJECT_DEPS for c in cue.children):
        return None
    doc = cue.doc
    start, end = _sentence_index(doc)[1][cue.i]
    words = columns.strings(doc, "ORTH")
    if not _commas_around(words[start : cue.i], words[cue.i + 1 : end]):
        return None  # (found before the clause is read from the parse)
    parts = [c for c in cue.children if c.dep_ in _INSERTED_DEPS]
    own = {cue.i} | {t.i for c in parts for t in c.subtree}
    lo, hi = min(own), max(own)
    if len(own) != hi - lo + 1:
        return None  # the clause is not one run of words
    if not (start < lo - 1 and hi + 1 < end):
        return None
    if words[lo - 1] not in _INSERT_COMMAS or words[hi + 1] not in _INSERT_COMMAS:
        return None
    alpha = columns.numbers(doc, "IS_ALPHA")
    if not any(alpha[start : lo - 1]) or not any(alpha[hi + 2 : end]):
        return None  # words on both sides
    if hi + 2 < end and doc[hi + 2].is_quote and any(
        c.dep_ == "advcl" and c.i < lo for c in cue.children
    ):
        return None  # 'Asked about the bomb, Clinton said, "I think ...": the cue opens a quote'
    return {i for i in range(start, end) if not lo - 1 <= i <= hi + 1}


def _commas_around(before: list[str], after: list[str]) -> bool:
    """Whether a comma or dash is among the words before the cue in its sentence and among
    those after it: else the cue cannot be set off by them."""
    return any(c in before for c in _INSERT_COMMAS) and any(c in after for c in _INSERT_COMMAS)


def _from(cue: Token, tokens: set[int], how: str) -> Content | None:
    words, space = columns.strings(cue.doc, "ORTH"), columns.numbers(cue.doc, "IS_SPACE")
    tokens = {i for i in tokens if not space[i]}
    if not tokens:
        return None
    ordered = sorted(tokens)
    lo, hi = ordered[0], ordered[-1] + 1
    while lo < hi and words[lo] in EDGE_PUNCT:
        lo += 1
    # (a quote mark that opens after the content is not part of it: '...workplace: “')
    while hi > lo and (words[hi - 1] in _TRAILING or space[hi - 1]):
        hi -= 1
    if hi <= lo:
        return None
    return Content(cue, lo, hi, frozenset(i for i in tokens if lo <= i < hi), how)


def _without_next_reports(clauses: list[Token], cue: Token) -> set[int]:
    """The clauses' words up to a conjoined report with a speaker of its own: in "She said X,
    and when pressed, the mother of three replied, '...'" she said X, and in "Republicans said
    X and Democrats accused the GOP of Y" they said X; the next report is its own quote ("X and
    that the footage did not show Y" is part of what was said)."""
    tokens = _subtrees(clauses)
    cuts = [
        c.left_edge.i
        for head in _spines(clauses)
        for c in head.children
        if _next_report(c) or _second_act(c, cue) or _participle_report(c)
    ]
    cuts += _asides(cue.doc, tokens)
    if not cuts:
        return tokens
    doc = clauses[0].doc
    end = min(cuts)
    while end > 0 and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct):
        end -= 1
    return {i for i in tokens if i < end}


def _trailing(cue: Token, clauses: list[Token]) -> set[int]:
    """ "X said that A, while B" / "..., because B": a contrast or a reason the parser hung on
    the cue after the clause it reports goes on with what was said (PolNeAR train: direct F1
    +0.001, F1@0.8 +0.002; not "before", "after" or "when", the narrator's time)."""
    if any(c.i < cue.i for c in clauses):
        return set()
    end = max(t.i for c in clauses for t in c.subtree)
    out: set[int] = set()
    for c in cue.children:
        if c.i <= end or c.dep_ == "punct":
            continue
        marks = {m.lower_ for m in c.children if m.dep_ == "mark"}
        if c.dep_ != "advcl" or _reports(c) or not (marks & _GOING_ON or _listed(c, marks)):
            break  # (not "..., though only Sri Lanka has indicated that it will": a report)
        out |= {t.i for t in c.subtree}
    if out:
        out |= set(range(end + 1, max(out) + 1))
    return out


def _conjoined(cue: Token, tokens: set[int]) -> set[int]:
    """ "said that A, and that B": a second that-clause the parser hung on the cue or on a verb
    above it, not on the first clause, is what was said too. (Not "said A, but B": on PolNeAR
    train such a B is mostly the narrator's, "..., but he has not endorsed her".)"""
    if not tokens or min(tokens) < cue.i:
        return set()
    doc = cue.doc
    end, stop = max(tokens), _sentence_index(doc)[1][cue.i][1]
    modal = _modal_conjunct(cue, end, stop)
    if modal:
        return modal
    j = end + 1
    while j < stop and doc[j].text == ",":
        j += 1
    if j + 1 >= stop or doc[j].dep_ != "cc" or doc[j].lower_ not in ("and", "but"):
        return set()
    that = doc[j + 1]
    clause = that.head
    if not (that.lower_ == "that" and that.dep_ == "mark" and clause.dep_ == "conj"):
        return set()
    if clause.i < j or clause.right_edge.i >= stop:
        return set()
    return set(range(end + 1, clause.right_edge.i + 1))


def _modal_conjunct(cue: Token, end: int, stop: int) -> set[int]:
    """ "said it would depress revenue at first, but would eventually add $84 billion": a verb
    with no subject of its own but a modal, which the parser conjoined to the cue, goes on with
    what was said (the cue's own second act would not take "would")."""
    doc = cue.doc
    for conj in cue.children:
        if conj.dep_ != "conj" or conj.i <= end or conj.right_edge.i >= stop:
            continue
        if any(c.dep_ in SUBJECT_DEPS for c in conj.children) or _speaks(conj):
            return set()
        if not any(c.dep_ == "aux" and c.tag_ == "MD" for c in conj.children):
            return set()
        if any(not (t.is_punct or t.dep_ == "cc") for t in doc[end + 1 : conj.left_edge.i]):
            return set()
        return set(range(end + 1, conj.right_edge.i + 1))
    return set()


def _listed(clause: Token, marks: set[str]) -> bool:
    """ "said money is needed to develop a vaccine, educate the public and learn more": a bare
    verb the parser hung on the cue is the next item of a list inside what was said."""
    subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS]
    return clause.tag_ == "VB" and not marks and not subjects


def _opens_after(cue: Token, clauses: list[Token]) -> bool:
    """Whether one of the clauses starts right after the cue (with its "that", if any)."""
    return any(c.left_edge.i == cue.i + 1 for c in clauses)


def _reports(clause: Token) -> bool:
    """Whether a reporting verb with a subject of its own is in the clause."""
    return any(_speaks(t) for t in clause.subtree)


_GOING_ON = frozenset({"while", "because", "although", "though", "since", "as", "whereas", "but"})
_CONTRAST = frozenset({"while", "although", "though", "whereas"})


def _spines(clauses: list[Token]) -> Iterator[Token]:
    """The clauses and the clauses they govern in turn ("convinced [the department mishandled
    it]"): where a conjoined next report can hang in the parse."""
    stack = list(clauses)
    while stack:
        head = stack.pop()
        yield head
        stack.extend(c for c in head.children if c.dep_ == "ccomp")


def _next_report(conj: Token) -> bool:
    if conj.lemma_.lower() not in reporting_verbs():
        return False
    if conj.dep_ == "advcl":
        # "said firms remain slow to ..., though she noted clients are beginning to ...": a
        # contrast with a report of its own is not part of what was said before it
        marks = {m.lower_ for m in conj.children if m.dep_ == "mark"}
        speaker = any(c.dep_ in SUBJECT_DEPS for c in conj.children)
        reported = any(c.dep_ == "ccomp" for c in conj.children)
        return conj.i > conj.head.i and speaker and reported and bool(marks & _CONTRAST)
    if conj.dep_ != "conj":
        return False
    if conj.left_edge.lower_ == "that":
        return False
    subject = next((c for c in conj.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None:
        return False
    named = subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
    return named or any(t.is_quote for t in conj.doc[conj.i + 1 : conj.right_edge.i + 1])


def _asides(doc: Doc, tokens: set[int]) -> list[int]:
    """Where a reporting aside that ends the content starts (see ``_aside_report``)."""
    last, deps = max(tokens, default=-1), columns.strings(doc, "DEP")
    clauses = (doc[i] for i in sorted(tokens) if deps[i] == "relcl")
    return [c.left_edge.i for c in clauses if c.right_edge.i == last and _aside_report(c)]


def _aside_report(clause: Token) -> bool:
    """ "said the firm would cut 500 jobs at the plant, which the union said was a betrayal": a
    relative clause set off by a comma, in which somebody else reports what the noun was, is the
    writer's aside, a quote of its own ("which" is the subject of the clause reported)."""
    doc = clause.doc
    start = clause.left_edge.i
    return (
        clause.lemma_.lower() in reporting_verbs()
        and doc[start].lower_ in RELATIVE
        and start > 0
        and doc[start - 1].text == ","
        and any(c.dep_ in SUBJECT_DEPS and c.lower_ not in RELATIVE for c in clause.children)
        and any(
            c.dep_ == "ccomp" and any(t.i == start for t in c.subtree) for c in clause.children
        )
    )


def _second_act(conj: Token, cue: Token) -> bool:
    """ "China said it was opposed to the test and warned North Korea to refrain ...": a
    reporting verb with no subject of its own, conjoined to the reported clause in the cue's own
    tense, is the speaker's next act, a quote of its own. Not "said the firm had grown and
    reported a profit": the clause's auxiliary may govern both, inside what was said (unless its
    subject is a pronoun: "said he had discussed it and dismissed the claims"); nor a clause
    before the cue: in "Canova bristled and said 'No comment,' the Herald reported" Canova said
    it; nor "continued": "thought she had a great weekend and continued to show ..."."""
    return (
        conj.dep_ == "conj"
        and conj.head.dep_ == "ccomp"
        and conj.head.head.i == cue.i
        and conj.head.i > cue.i
        and (conj.head.tag_ != "VBN" or _pronoun_subject(conj.head))
        and conj.tag_ == cue.tag_
        and conj.tag_ in ("VBD", "VBZ")
        and cue.lemma_.lower() in reporting_verbs()
        and conj.lemma_.lower() in reporting_verbs()
        and conj.lemma_.lower() != "continue"
        and not any(c.dep_ in SUBJECT_DEPS for c in conj.children)
    )


def _pronoun_subject(clause: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS and c.tag_ == "PRP" for c in clause.children)


def _participle_report(clause: Token) -> bool:
    """ "said she believes we must push policies ..., saying that race still determines too
    much": a reporting participle after a comma, with a clause of its own, that the parser hung
    inside what was said is a quote of its own."""
    doc = clause.doc
    return (
        clause.dep_ == "advcl"
        and clause.tag_ == "VBG"
        and clause.i > clause.head.i
        and clause.left_edge.i == clause.i
        and _after_comma(doc, clause.i)
        and clause.lemma_.lower() in reporting_verbs()
        and any(c.dep_ == "ccomp" for c in clause.children)
    )


def _after_comma(doc: Doc, i: int) -> bool:
    """Whether a comma comes right before token i, or before the quote mark that closes there
    ('... "expanded the party," claiming that ...')."""
    j = i - 1
    if j > 0 and doc[j].is_quote:
        j -= 1
    return j >= 0 and doc[j].text == ","


def _act_of_reporter(verb: Token) -> Token | None:
    """The reporting verb whose speaker ``verb`` is the next act of, when the parser hung it on
    the clause reported ("said it was opposed and warned ...", "said she believes ..., saying
    that ..."): the speaker of the one is the speaker of the other."""
    clause = verb.head
    if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in reporting_verbs():
        return None
    if _second_act(verb, clause.head) or _participle_report(verb):
        return clause.head
    return None


def _subtrees(heads: list[Token]) -> set[int]:
    return {t.i for head in heads for t in head.subtree}


def _minus(host: Token, cue: Token) -> set[int]:
    own = {t.i for t in cue.subtree}
    start, end = _sentence_index(cue.doc)[1][cue.i]
    return {t.i for t in host.subtree if t.i not in own and start <= t.i < end}


def _sourced_by_edge(cue: Token) -> set[int] | None:
    """What an "according to" phrase at the edge of its sentence sources: the whole sentence
    after it ("According to the AP, 571 superdelegates ...") or before it ("Her rating is worse
    than Obama's ever has been, according to a pollster"; "The FBI is looking into ..., according
    to sources who spoke to Fox News but were not authorized to ..."), wherever the parser hung
    it. None when it stands inside the sentence; empty when the sentence reports a quote of its
    own ('"...," O'Malley said, according to the Sun')."""
    sent = cue.sent
    first = next((t for t in sent if not (t.is_punct or t.is_space or t.is_quote)), None)
    doc = cue.doc
    if first is not None and first.i == cue.i:
        # after the comma that closes the phrase, with its apposition ("According to Frank
        # Brown, global advisory leader at PwC, the trend ..."), else after the first comma
        after = cue.right_edge.i + 1
        if after < sent.end and doc[after].text == ",":
            comma: int | None = after
        else:
            comma = next((t.i for t in sent if t.i > cue.i and t.text == ","), None)
        return None if comma is None else set(range(comma + 1, sent.end))
    before = doc[cue.i - 1] if cue.i > sent.start else None
    if before is None or before.text not in (",", "—", "–") or sent.root.i > cue.i:
        return None
    if _speaks(sent.root) and _reports_a_quote(sent.root, marks_of_tokens(doc)):
        return set()
    tokens = set(range(sent.start, before.i))
    after = cue.right_edge.i + 1
    if after < sent.end and doc[after].text == ",":
        tokens |= set(range(after + 1, sent.end))  # "That's bad, according to Rubio, because ..."
    return tokens


def _clause_head(token: Token) -> Token:
    while token.pos_ not in ("VERB", "AUX") and token.dep_ != "ROOT" and token.head.i != token.i:
        token = token.head
    return token


def _starts_with_that(clause: Token) -> bool:
    first = next(iter(clause.subtree))
    return first.lower_ == "that" or any(c.dep_ == "mark" for c in clause.children)


def cue_subject(cue: Token) -> tuple[Token | None, str]:
    """The token naming who speaks for ``cue``, and the rule that found it; found once per doc
    and cue (the salience, the unnamed speakers and the quotes all ask)."""
    doc = cue.doc
    cached = doc.user_data.get(_SUBJECTS)
    if cached is None or cached[0] != len(doc):
        cached = doc.user_data[_SUBJECTS] = (len(doc), {})
    subjects: dict[int, tuple[int, str]] = cached[1]  # cue -> (subject or -1, rule)
    found = subjects.get(cue.i)
    if found is None:
        subject, rule = _cue_subject(cue)
        found = subjects[cue.i] = (subject.i if subject is not None else -1, rule)
    return (doc[found[0]] if found[0] >= 0 else None), found[1]


def _cue_subject(cue: Token) -> tuple[Token | None, str]:
    if cue.lower_ == "according" or cue.lemma_.lower() == "accord":
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        return obj, "according-to"
    if cue.pos_ == "NOUN":
        for child in cue.children:
            if child.dep_ == "poss":
                return child, "cue-noun-possessor"
            if child.dep_ == "prep" and child.lower_ == "of":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return obj, "cue-noun-of"
        if cue.dep_ == "dobj" and cue.head.pos_ in ("VERB", "AUX"):
            subject, _ = cue_subject(cue.head)  # "he issued a statement that ..."
            if subject is not None:
                return subject, "cue-noun-subject"
        return gerund_agent(cue), "cue-noun-nearest"
    verb: Token = cue
    said_it = _object_says(cue)
    if said_it is not None:  # '"...," Reuters quoted a central bank official as saying'
        return said_it, "cue-gerund-object"
    if not any(c.dep_ in SUBJECT_DEPS for c in cue.children):
        agent = _passive_agent(cue) if cue.tag_ == "VBN" else None
        if agent is not None:  # "As reported by Western Journalism, ...": the agent reports
            return agent, "cue-subject"
        owner = _with_owner(cue)
        if owner is not None:
            return owner, "cue-absolute"
        shown = _shown_saying(cue)
        if shown is not None:
            return shown, "cue-gerund-object"
    conjoined = False
    for _ in range(MAX_CHAIN):
        subjects = _subjects(verb)
        if subjects:
            # the agent of a passive verb speaks ("was called a liar by Trump", "a report was
            # published by the IFS, suggesting ..."); not that of a passive verb the cue is
            # conjoined to ("Silverman was joined on stage by Al Franken and joked": Silverman)
            # ("Geoff Dixon was quoted by The Australian as saying ...": Dixon)
            quoted = verb.lemma_.lower() == "quote"
            agent = None if conjoined or quoted else _passive_agent(verb)
            subject = agent or subjects[0]
            if subject.lower_ in RELATIVE and verb.dep_ == "relcl":
                return verb.head, "cue-subject-relative"
            return subject, "cue-subject"
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head, "cue-subject-relative"
        if said_by_noun(verb):
            return verb.head, "cue-subject"
        if verb.dep_ == "advcl" and _absolute_with(verb) is not None:
            return _absolute_with(verb), "cue-absolute"
        joined = _with_clause_subject(verb)
        if joined is not None:
            return joined, "cue-absolute"
        controller = _object_controller(verb)
        if controller is not None:
            return controller, "cue-controller"
        outer = _act_of_reporter(verb)
        if outer is not None:  # "said it was opposed and warned ...": who said it warned
            verb, conjoined = outer, True
            continue
        if verb.dep_ in ("conj", "xcomp", "advcl", "acomp") and verb.head.i != verb.i:
            conjoined = verb.dep_ == "conj"
            before = _verb_before_quote(verb)
            verb = before if before is not None else verb.head
            continue
        host, agent = _gerund_host(verb)
        if agent is not None:
            return agent, "cue-gerund-object"
        if host is not None:
            verb = host
            continue
        break
    inverted = _inverted_subject(cue)
    if inverted is not None:
        return inverted, "cue-inverted"
    elided = _elided_subject(cue)
    if elided is not None:
        return elided, "cue-subject-before"
    return _leading_name(cue) or gerund_agent(cue), "cue-nearest"


def _elided_subject(cue: Token) -> Token | None:
    """ 'Ms Jowell insisted: "..." And continued: "..."': a sentence that opens with "And" or
    "But" on a reporting verb with no subject goes on with the speaker of the sentence before,
    when that sentence's main verb reports speech."""
    doc = cue.doc
    at = _sentence_index(doc)[1]
    start = at[cue.i][0]
    words = (t for t in doc[start : cue.i] if not (t.is_space or t.is_punct or t.is_quote))
    first = next(words, None)
    if first is None or first.lower_ not in ("and", "but") or first.head.i != cue.i:
        return None
    if cue.dep_ != "ROOT" or next(words, None) is not None or start == 0:
        return None  # (only "And" before the verb: "And continued:", "But added:")
    before = doc[at[start - 1][0] : start].root
    if not _speaks(before):
        return None
    return next(c for c in before.children if c.dep_ in SUBJECT_DEPS)


# Verbs that make their object do what the infinitive after it says ("led Priebus to declare");
# not "used a speech to say", "visited Tanzania to highlight" (purpose), nor "wants X to say".
# Not "pushed Democrats to reject", "obliges MSPs to declare": an attempt or a duty is no deed.
_CAUSING = frozenset({"prompt", "lead", "cause", "force", "spur", "compel", "drive", "inspire",
                      "provoke", "move", "persuade", "convince", "get", "embolden", "trigger"})  # fmt: skip


def _object_controller(verb: Token) -> Token | None:
    """ "The victory led Reince Priebus to declare him the nominee", "her remarks prompted Trump
    to say that ...": the object of the causing verb an infinitive cue hangs on speaks."""
    if (
        verb.dep_ != "xcomp"
        or verb.head.lemma_.lower() not in _CAUSING
        or not any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)
    ):
        return None
    return next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)


_LEADING_DEPS = frozenset({"nsubj", "nsubjpass", "ROOT", "dep", "npadvmod", "appos"})


def _leading_name(cue: Token) -> Token | None:
    """Where the parser gave the cue no subject, the first person named in its sentence before
    it, outside quote marks, as the head of a subject-like phrase: "Neil Sroka, communications
    director of DFA - which was founded by Howard Dean - said" is Sroka's, not Dean's; '"...,"
    Gene Sperling, a top outside Clinton adviser, said' is Sperling's. Not a name in a
    prepositional phrase ("In a message to Clinton, Tanden recounted"), a modifier ("Clinton
    adviser") or a relative or participial clause."""
    doc = cue.doc
    quoted = marks_of_tokens(doc)
    start = sentence_start(doc, cue.i)
    for token in doc[start : cue.i]:
        if token.ent_type_ != "PERSON" or quoted[token.i] is not None:
            continue
        if token.i + 1 < cue.i and doc[token.i + 1].ent_iob_ == "I":
            continue  # not the entity's last word
        if _opens_with_relative(token, start, cue):
            return token
        if token.dep_ not in _LEADING_DEPS:
            continue
        # (a clause in quote marks that the parser hung the name on is none of the narrator's:
        # '"We've had better conventions," delegate Bill Eastland, wearing a hat, said')
        inside = (a for a in token.ancestors if start <= a.i < cue.i and quoted[a.i] is None)
        if any(a.dep_ in ("relcl", "acl", "advcl", "pobj", "ccomp") for a in inside):
            continue
        return token
    return None


def entity_last(token: Token, stop: int | None = None) -> Token:
    """The last word of the entity ``token`` is a word of, from ``token`` on and before index
    ``stop`` ("Leamer" of "Edward Leamer" from "Edward"); ``token`` itself outside one."""
    doc = token.doc
    end, stop = token.i, len(doc) if stop is None else stop
    while end + 1 < stop and doc[end + 1].ent_iob_ == "I":
        end += 1
    return doc[end]


def _opens_with_relative(name: Token, start: int, cue: Token) -> bool:
    """ "Beck, who supported Ted Cruz and opposed Trump, last week said ...": a name that opens
    the sentence (after a "But" at most) and a relative clause on it is the subject of the
    sentence's verb, however the parser hung it."""
    doc = name.doc
    first = name.i
    while first > start and doc[first].ent_iob_ == "I":
        first -= 1  # the name's first word: "Glenn" of "Glenn Beck"
    opener = first - start == 0 or (first - start == 1 and doc[start].pos_ in ("CCONJ", "ADV"))
    return (
        opener
        and name.i + 2 < cue.i
        and doc[name.i + 1].text == ","
        and doc[name.i + 2].lower_ in ("who", "whose")
    )


GERUND_CLIMB = frozenset({"prep", "advmod", "acomp", "amod", "npadvmod"})

# a recording of somebody, or a verb that shows or hears somebody: "footage of Hillary Clinton
# asking, '...'", "the ad shows Trump saying ..."
_RECORDINGS = frozenset({
    "audio", "clip", "film", "footage", "image", "photo", "recording", "tape", "video",
})  # fmt: skip
_SHOWING = frozenset({"capture", "depict", "feature", "hear", "see", "show", "watch"})


def _shown_saying(cue: Token) -> Token | None:
    """The person a subjectless gerund cue follows at once, as the object of a recording's
    "of" or of a verb that shows ("footage of Hillary Clinton asking", "shows Trump saying"):
    that person speaks, not the subject of the sentence ("The ad uses footage of ...")."""
    if cue.tag_ != "VBG" or cue.i == 0:
        return None
    name = cue.doc[cue.i - 1]
    if name.ent_type_ != "PERSON" or name.dep_ not in ("pobj", "dobj"):
        return None
    host = name.head
    if name.dep_ == "pobj":
        noun = host.head
        if host.lower_ != "of" or noun.lemma_.lower() not in _RECORDINGS:
            return None
    elif host.lemma_.lower() not in _SHOWING:
        return None
    return name


def _gerund_host(verb: Token) -> tuple[Token | None, Token | None]:
    """A subjectless gerund's host verb: "appeared at a hearing ... for saying that", "stopped
    short of calling X racist", "issued a statement calling the test ...", "responded in a
    letter saying"; or, for "accused X of saying" / "praised X for warning", the object X, who
    is the one saying (second item)."""
    if verb.tag_ != "VBG":
        return None, None
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.lower_ != "with":
        prep = node = verb.head  # ("with X warning ...": X warns; see gerund_agent)
        for _ in range(3):
            if node.pos_ in ("VERB", "AUX") or node.dep_ not in GERUND_CLIMB or node.head.i == node.i:
                break
            node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            return None, None
        if prep.lower_ in ("of", "for"):
            obj = next((c for c in node.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return None, obj
        said_it = _object_says(node) if prep.lower_ == "as" else None
        if said_it is not None:  # "quoted the minister as saying ..."
            return None, said_it
        return node, None
    if verb.dep_ == "acl":
        noun = verb.head
        if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
            return noun.head, None
        prep = noun.head
        if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.pos_ in ("VERB", "AUX"):
            return prep.head, None
        if noun.ent_type_ == "PERSON" and noun.dep_ in ("ROOT", *SUBJECT_DEPS):
            # "Erin Brockovich, the activist, endorsed Sanders' approach Saturday, saying ...":
            # the parser found no verb and hung the participle on the name
            return None, noun
    return None, None


def _with_owner(cue: Token) -> Token | None:
    """ "with the Committee concerned that ... and warning that ...": the object of "with" that
    the subjectless cue hangs from."""
    for ancestor in list(cue.ancestors)[:4]:
        if ancestor.dep_ == "pobj" and ancestor.head.lower_ == "with":
            return ancestor
    return None


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, in order. Where the parser gave it two, one inside the quote before
    it ('"..., it will at some point," said James Acton'), only those outside the quote; one
    that names somebody rather than a broken word ("co-host Mika Brzezinski asked" read as "co"
    and "Brzezinski")."""
    found = [
        _fronted_name(_before_letters(_named_in_time(c)), verb)
        for c in verb.children
        if c.dep_ in SUBJECT_DEPS and not c.is_punct and c.pos_ != "PUNCT"
    ]
    if not found:  # "But he did, for the first time, say ...": the parser hung "he" on "did"
        found = [
            s
            for c in verb.children
            if c.dep_ == "aux" and c.i < verb.i
            for s in c.children
            if s.dep_ in SUBJECT_DEPS and s.i < c.i and not s.is_punct
        ]
    if len(found) == 1:
        # "... to Rubio to, now, Cruz, Wilkin said": a name the parser joined to the subject by
        # a comma alone, right before the verb, is the subject; the first ends what was said
        conj = [c for c in found[0].children if c.dep_ == "conj"]
        doc = verb.doc
        if (
            len(conj) == 1
            and conj[0].i == verb.i - 1
            and conj[0].ent_type_ == "PERSON"
            and found[0].ent_type_ == "PERSON"
            and doc[conj[0].left_edge.i - 1].text == ","
            and not any(c.dep_ == "cc" for c in found[0].children)
        ):
            return [conj[0]]
    if len(found) > 1:
        doc = verb.doc
        outside = [c for c in found if not any(t.is_quote for t in doc[c.i + 1 : verb.i])]
        # "People like Scott, he said": the subject right before the verb, not the fragment
        # set off by a comma before it (what was said)
        last = [
            c
            for c in outside
            if c.i == verb.i - 1
            and c.left_edge.i > 0
            and doc[c.left_edge.i - 1].text == ","
            and (c.pos_ == "PRON" or c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"))
        ]
        named = [c for c in outside if c.ent_type_ in ("PERSON", "ORG")]
        return last or named or outside or found
    return found


def _verb_before_quote(verb: Token) -> Token | None:
    """ '"...," Sanders said, suggesting a few questions, including, "Mr. Trump, do you ...?"':
    the parser hung the participle on a verb inside the quote after it; the verb before the
    participle's comma, outside the marks, is its host (and "you" no speaker)."""
    quoted = marks_of_tokens(verb.doc)
    if quoted[verb.i] is not None or quoted[verb.head.i] is None or verb.tag_ != "VBG":
        return None
    doc = verb.doc
    if verb.i < 2 or doc[verb.i - 1].text != ",":
        return None
    host = doc[verb.i - 2]
    if host.pos_ != "VERB" or quoted[host.i] is not None:
        return None
    return host if any(c.dep_ in SUBJECT_DEPS for c in host.children) else None


def _before_letters(subject: Token) -> Token:
    """ "Judge Richard Mawrey, QC told the hearing": the name the letters follow, which the parser
    left behind, speaks."""
    doc, i = subject.doc, subject.i
    if subject.text in POST_NOMINALS and i >= 1:
        before = doc[i - 2] if doc[i - 1].text == "," and i >= 2 else doc[i - 1]
        if before.ent_type_ == "PERSON":
            return before
    return subject


def _fronted_name(subject: Token, verb: Token) -> Token:
    """ "To understand the real Dred Scott, Chief Justice Roberts said, one should ...": a name
    the parser hung as an apposition on a name before it, right before the cue with no comma
    to close it, is who speaks; the earlier name belongs to what was said ("His wife, Mary
    Smith, said" closes the apposition with a comma and stays a plain subject)."""
    if subject.ent_type_ != "PERSON" or verb.i == 0:
        return subject
    for child in subject.children:
        if (
            child.dep_ == "appos"
            and child.ent_type_ == "PERSON"
            and child.i == verb.i - 1
            and child.left_edge.i > subject.i + 1
            and verb.doc[child.left_edge.i - 1].text == ","
        ):
            return child
    return subject


def _named_in_time(subject: Token) -> Token:
    """ "Broaddrick Sunday night recounted": the parser made the time the subject and the name
    its compound; the name is the subject."""
    if subject.ent_type_ not in ("DATE", "TIME"):
        return subject
    name = next(
        (c for c in subject.children if c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG")),
        None,
    )
    return subject if name is None else name


def _inverted_subject(cue: Token) -> Token | None:
    """'"...," mused Stu Burguiere': a name right after a cue that follows a quote, which the
    parser took for the object; 'Said Ellis: "..."', a name after a sentence-opening cue, which
    the parser took for the noun the cue modifies."""
    doc = cue.doc
    name = cue.head
    if cue.is_sent_start and cue.dep_ == "compound" and name.i > cue.i and name.pos_ == "PROPN":
        return name
    if cue.i == 0 or not (doc[cue.i - 1].is_quote or doc[cue.i - 1].text == ","):
        return None
    for child in cue.children:
        late = child.i > cue.i and child.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos")
        if late and (child.pos_ == "PROPN" or child.ent_type_ in ("PERSON", "ORG")):
            return child
    # '"The risk," said Edward Leamer, an economist, "is that ...": the parser made the name
    # the subject of the quote's second piece. Right after a quote, the person named after the
    # cue, or after a title after it ('said Tory shadow local government secretary Caroline
    # Spelman'), speaks; not one a telling verb addresses, nor after a cue that follows no
    # quote ("Mr. Slinker, whose start-up ..., said Mr. Trump was" is not Trump's)
    closing = doc[cue.i - 1].is_quote or (cue.i > 1 and doc[cue.i - 2].is_quote)
    if cue.lemma_.lower() in TELLING_VERBS or not closing:
        return None
    for after in range(cue.i + 1, min(len(doc), cue.i + 1 + _TITLE_REACH)):
        token = doc[after]
        if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            return entity_last(token)
        if token.is_punct or token.tag_ in _NOT_IN_TITLES:
            return None  # (the tagger reads "shadow" in "shadow local government secretary" as VB)
    return None


_NOT_IN_TITLES = frozenset({
    "VBD", "VBZ", "VBP", "VBG", "VBN", "MD", "IN", "TO", "CC", "PRP", "PRP$", "WDT", "WP", "RB",
})  # fmt: skip
_TITLE_REACH = 8  # words of a title between an inverted cue and the name after it


def _absolute_with(verb: Token) -> Token | None:
    """ "..., with the likes of X, warning that ...": X is who warns (a "with" phrase that ends
    right before the subjectless gerund)."""
    if verb.tag_ != "VBG":
        return None
    doc, sent = verb.doc, sentence(verb)
    for i in range(verb.i - 1, max(sent.start, verb.i - 30) - 1, -1):
        if doc[i].lower_ != "with" or doc[i].dep_ != "prep":
            continue
        phrase = list(doc[i].subtree)
        gap = doc[phrase[-1].i + 1 : verb.i]
        if all(t.is_punct or t.is_space for t in gap):
            return next(
                (t for t in phrase if t.ent_type_ == "PERSON" and t.dep_ != "compound"), None
            )
        return None
    return None


def _with_clause_subject(verb: Token) -> Token | None:
    """ "..., with the Defence Select Committee concerned that ... and warning that ...": the
    subject of the "with" clause a subjectless gerund is joined to right before it (the parser
    hangs the gerund on the sentence's main verb)."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("conj", "advcl") or verb.i < 2:
        return None
    doc = verb.doc
    joint = doc[verb.i - 1]
    if joint.lower_ not in ("and", ","):
        return None
    for t in reversed(doc[sentence(verb).start : verb.i]):
        if t.lower_ == "with" and t.dep_ == "mark" and t.head.i < verb.i:
            clause = t.head
            if clause.right_edge.i >= joint.i - 1:
                return next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
            return None
    return None


def said_by_noun(verb: Token) -> bool:
    """ "a man yelled ...": the parser made the verb a clause modifying its subject (acl)."""
    return verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.pos_ == "NOUN"


def _passive_agent(verb: Token) -> Token | None:
    """The "by" phrase of a passive cue ("was called a liar by Trump"), also where the parser
    hangs it on the name the verb gives ('was called "a hypocrite" by Senator Holt')."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    for named in (c for c in verb.children if c.dep_ == "oprd"):
        for head in [named, *named.conjuncts]:  # "a liar and a cheat by Trump"
            for by in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "by"):
                return next((c for c in by.children if c.dep_ == "pobj"), None)
    return None


def gerund_agent(cue: Token) -> Token | None:
    """ "with the likes of X, ..., warning that": the nearest name before a subjectless cue."""
    start = sentence_start(cue.doc, cue.i)
    ents = columns.strings(cue.doc, "ENT_TYPE")
    quoted = marks_of_tokens(cue.doc)  # (not '"Ted Cruz" campaign pins')
    nearest_first = range(cue.i - 1, max(start, cue.i - 20) - 1, -1)  # at most 20 words back
    return next(
        (cue.doc[i] for i in nearest_first if ents[i] == "PERSON" and quoted[i] is None), None
    )


def addressee_tokens(cue: Token) -> list[Token]:
    """Whom the cue addresses or has as its object ("he told Hannity", "said to X", "he accused
    Trump of"): never who the cue's "he" is (kg.speakers). The addressee proper is narrower:
    hearer_tokens."""
    return _objects(cue) + _to_whom(cue)


# reporting verbs whose object is who hears the words ("told the BBC", "urged Mr Pande to"),
# not what or whom they are about ("described Spears as", "accused Mr Spector of")
HEARER_OBJECT_VERBS = frozenset({
    "advise", "ask", "assure", "beg", "brief", "caution", "exhort", "implore", "inform",
    "instruct", "notify", "persuade", "promise", "reassure", "remind", "tell", "urge", "warn",
})  # fmt: skip


def hearer_tokens(cue: Token) -> list[Token]:
    """Whom the cue was addressed to: the object of a verb of HEARER_OBJECT_VERBS ("he told the
    Associated Press"), or "to X" after any cue ("Swank said to Eastwood"), but for "according
    to X", the source."""
    if cue.lower_ == "according":
        return []
    hearers = _objects(cue) if cue.lemma_.lower() in HEARER_OBJECT_VERBS else []
    return hearers + _to_whom(cue)


def _objects(cue: Token) -> list[Token]:
    return [c for c in cue.children if c.dep_ in ("dobj", "dative")]


# verbs whose "to X" is what they cite or act on, not whom they speak to ("pointed to the
# institute's figures", "referred to Mr Blair")
_NOT_TO_WHOM = frozenset({"attribute", "compare", "liken", "link", "object", "point", "react",
                          "refer", "turn"})  # fmt: skip


def _to_whom(cue: Token) -> list[Token]:
    if cue.lemma_.lower() in _NOT_TO_WHOM and not any(c.dep_ == "prt" for c in cue.children):
        return []  # (but "pointed out to the BBC")
    return [
        c
        for prep in cue.children
        if prep.dep_ in ("prep", "dative") and prep.lower_ == "to"
        for c in prep.children
        if c.dep_ == "pobj"
    ]
