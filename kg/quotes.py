"""The quote stage: quotations (direct, mixed, indirect), their cue, speaker and addressee.

1. ``find_quote_marks`` (kg.attribution_marks) pairs quote marks (curly, straight, low-high,
   guillemets, ``...'' and ''...''; British single marks when an article uses no double ones). A
   quote running over paragraphs reopens at each one. Odd or unbalanced marks are reported,
   never raised.
2. ``kg.attribution`` finds every cue outside quote marks (a reporting verb, "according to", a
   speech noun) and the content it governs. Content that lies wholly inside quote marks is a
   *direct* quote ("'A,' he said, 'B.'" is one); content holding a quoted fragment is *mixed*
   (the span is the whole reported clause); content with no marks is *indirect*.
3. Quote marks no cue governs are direct quotes when they hold a whole utterance, attributed to
   the nearest linked cue; short fragments with no cue are scare quotes or titles, not quotes.
4. The speaker is the cue's subject (or "according to X", a speech noun's possessor); a pronoun or
   a description is resolved by ``kg.speakers`` to the entity the text is about at that point. An
   uncued quote right after a quote of X is X's unless someone else spoke or became the subject.
Each quote records its rule, "<content rule>/<speaker rule>" (e.g. "ccomp/cue-subject+antecedent",
"marks/continuation"), with ":unresolved" when no speaker could be named.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from typing import TYPE_CHECKING

from kg import columns
from kg.attribution import (
    SUBJECT_DEPS,
    Content,
    cue_nouns,
    cue_subject,
    entity_last,
    find_contents,
    gerund_agent,
    hearer_tokens,
    object_verbs,
    quote_marks,
    reporting_verbs,
    said_by_noun,
    sentence_start,
    text_of,
)
from kg.attribution import sentence as sent_of
from kg.attribution_marks import MarkedSpan, find_quote_marks
from kg.quote_found import (
    MIN_CONTENT_WORDS,
    SPEAKER_KINDS,
    Found,
    Marks,
    is_cue_token,
    speaking,
    verb_before_colon,
)
from kg.quote_lines import colon_blocks, headline_colon, headline_object, name_colon_lines
from kg.records import Mention, Problem, Quote, Span
from kg.speakers import (
    CONTINUATION_GAP,
    SPOKESPEOPLE,
    WORK_NOUNS,
    Salience,
    mention_index,
    resolve_description,
    resolve_pronoun,
    speaker_of,
    unnamed_speakers,
)
from kg.transcripts import (
    transcript_speakers,
    transcript_turns,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "MarkedSpan",
    "cue_nouns",
    "extract_quotes",
    "find_quote_marks",
    "gerund_agent",
    "reporting_verbs",
    "transcript_speakers",
    "unnamed_speakers",
]

# --- attribution -------------------------------------------------------------------------------

# '"A," he said. "B."' as one quote, as news annotators count it (PolNeAR, the Gender Gap
# Tracker): one utterance split by its cue. On: PolNeAR dev direct F1@0.3 0.73 -> 0.86,
# F1@0.8 0.41 -> 0.72 (benchmarks/bench_quotes.py --join-across-sentences / --no-join...).
JOIN_ACROSS_SENTENCES = True
MIN_WORDS = 3  # a quote-marked span shorter than this with no cue is a scare quote or a title
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "his", "its", "their", "them"})
CUED_SPEAKER_KINDS = SPEAKER_KINDS | {"place"}  # "Russia said ...": a government speaking


def extract_quotes(
    doc: Doc,
    offset: int,
    mentions: list[Mention],
    sentence_of: dict[int, int],
    salience: Salience,
    by_token: dict[int, Mention] | None = None,
) -> tuple[list[Quote], list[Problem]]:
    """Quotes of one parsed chunk, attributed; ``salience`` carries who the text is about.

    ``by_token`` is ``speakers.mention_index(doc, offset, mentions)`` when the caller has it.
    """
    spans, unbalanced = quote_marks(doc)
    problems = [Problem(source="", reason=_shift(m, offset)) for m in unbalanced]
    marks = Marks(doc, spans)
    if by_token is None:
        by_token = mention_index(doc, offset, mentions)
    salience.learn_genders(doc, by_token)
    salience.learn_roles(doc, by_token)
    found = _reported(doc, marks)
    claimed = {k for f in found for k in f.marks}
    found.extend(_marked(doc, marks, claimed))
    turns = [
        Found(start, end, "direct", None, "transcript", (), None, "turn", speaker=speaking(who))
        for start, end, who in transcript_turns(doc, by_token, MIN_CONTENT_WORDS)
    ]
    if turns:  # a transcript's turns replace what the marks and cues made of it
        found = [f for f in found if not any(f.start < t.end and t.start < f.end for t in turns)]
        found.extend(turns)
    found.extend(name_colon_lines(doc, found, by_token))
    headline = headline_colon(doc, found, by_token) if offset == 0 else None
    if headline is not None:  # it replaces the uncued marks inside it
        found = [f for f in found if not (f.start < headline.end and headline.start < f.end)]
        found.append(headline)
    found.extend(colon_blocks(doc, found, marks))
    found.sort(key=lambda f: (f.start, -f.end))
    for item in found:
        _name_before_cue(doc, item)
    found = _join_split(doc, found, JOIN_ACROSS_SENTENCES)
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    quotes: list[Quote] = []
    previous: Quote | None = None
    outer = (-1, -1)  # the found quote ending last so far: a quote inside it is its content
    for item in found:
        held = item.end <= outer[1] and item.end - item.start < outer[1] - outer[0]
        if not held and item.end > outer[1]:
            outer = (item.start, item.end)
        first = columns.token_range(doc, item.start, item.end, expand=True)
        sentence = (
            sentence_of[sentence_start(doc, first.start)]
            if first is not None
            else salience.position + 1
        )
        salience.advance_to(sentence)
        who, rule = _speaker_mention(item, by_token, salience)
        speaker = Span(who.start, who.end) if who is not None else None
        turn = item.how == "transcript"  # who speaks is the line's name, or nobody known
        unsaid = item.cue is None and speaker is None and not turn
        words = text_of(doc)[item.start : item.end].rstrip(",")
        if (unsaid or _named_thing(doc, first)) and _title(words):
            continue  # “Orange Is the New Black”, “Trump and Me,”: a title, not a quote
        if _title(words.rstrip(".")) and _after_a_work(doc, first):
            continue  # 'in his 2012 book, "An American Son."' (the period is the sentence's)
        if item.kind == "mixed" and item.how == "ccomp" and _only_a_title(doc, first, marks):
            continue  # 'In his 2002 book, "Make Your Kid a Millionaire," Mr. McKinley ...'
        if unsaid and _CREDITED.match(text_of(doc), item.end):
            continue  # '"Pop-up art show opens in the Bronx," by DNAinfo's Eddie Small': a headline
        if unsaid:
            if (
                previous is not None
                and previous.speaker
                and not previous.rule.startswith("dash/")  # a signature closes its quote's turn
                and salience.continues(previous, sentence)
            ):
                speaker, rule = previous.speaker, "continuation"
            elif _too_short(text_of(doc)[item.start : item.end]):
                continue
            elif _opens_paragraph(doc, item.start) and (
                previous is None or sentence - previous.sentence > CONTINUATION_GAP
            ):
                # no quote lately that it might go on with ("... ," Zelensky said. / Peskov
                # flew to Beijing. / "..." is nobody's)
                introducer = salience.introducer(sentence)
                if introducer is not None:
                    speaker, rule = Span(introducer.start, introducer.end), "introduced"
        quote = Quote(
            start=offset + item.start,
            end=offset + item.end,
            text=text_of(doc)[item.start : item.end],
            kind=item.kind,
            sentence=sentence,
            cue=_cue_words(item.cue),
            cue_start=offset + item.cue.idx if item.cue is not None else None,
            speaker=speaker,
            speaker_text=_speaker_text(item, speaker, doc, offset),
            addressee=_addressee(item.cue, by_token),
            about=_about(ordered, starts, offset + item.start, offset + item.end, speaker),
            rule=f"{item.how}/{rule or 'no-cue'}" + ("" if speaker else ":unresolved"),
            pieces=_pieces(item, marks, offset),
        )
        if who is not None and not held:  # "critics who say he should condemn ...": no speaker
            salience.note_speaker(who, sentence)
            voice = item.speaker_token
            if voice is not None and who.kind == "organization" and voice.lower_ in SPOKESPEOPLE:
                salience.note_voice(who, sentence, voice.lower_)  # "A BBC spokeswoman said"
        runs_on = rule == "continuation" and bool(quotes) and quotes[-1] is previous
        if runs_on and previous is not None and _runs_on(doc, previous, quote, offset):
            # the next paragraph of the same quotation: one quote, as news annotators count it
            quote = _run_on(previous, quote, text_of(doc), offset, ordered, starts)
            quotes.pop()
        quotes.append(quote)
        if item.kind == "direct" or item.cue is not None:
            previous = quote
    return _outermost(quotes), problems


_BETWEEN_PIECES = frozenset("\"“”'‘’«» \t\n\u00a0")


def _opens_paragraph(doc: Doc, start: int) -> bool:
    """Whether only quote marks and spaces lie between the paragraph's start and ``start``."""
    text = text_of(doc)
    line = text.rfind("\n", 0, start) + 1
    return not text[line:start].strip("".join(_BETWEEN_PIECES))


def _runs_on(doc: Doc, previous: Quote, quote: Quote, offset: int) -> bool:
    """'“A,” he said. “B.”' then '“C.”' opening the next paragraph: C goes on with what he
    said when only quote marks and white space lie between, or the attribution of the quote
    before ('“A,” he said.' then '“B.”' in the next paragraph)."""
    if previous.kind != "direct" or quote.kind != "direct":
        return False
    gap = text_of(doc)[previous.end - offset : quote.start - offset]
    if gap.count("\n") > 2:
        return False
    core = gap.strip("".join(_BETWEEN_PIECES))
    if not core:
        return True
    if previous.cue_start is None or not previous.end <= previous.cue_start < quote.start:
        return False
    # what lies between is the attribution: the rest of the cue's sentence
    first = gap.find(core) + previous.end - offset
    span = doc.char_span(first, first + len(core), alignment_mode="expand")
    at = previous.cue_start - offset
    cue = doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None or cue is None:
        return False
    sentence = sent_of(cue[0])
    return sentence.start <= span.start and span.end <= sentence.end


def _run_on(
    previous: Quote, quote: Quote, text: str, offset: int, ordered: list[Mention], starts: list[int]
) -> Quote:
    pieces = (previous.pieces or (Span(previous.start, previous.end),)) + (
        quote.pieces or (Span(quote.start, quote.end),)
    )
    return replace(
        previous,
        end=quote.end,
        text=text[previous.start - offset : quote.end - offset],
        about=_about(ordered, starts, previous.start, quote.end, previous.speaker),
        pieces=pieces,
    )


def _outermost(quotes: list[Quote]) -> list[Quote]:
    """The quotes no longer quote holds. What a speaker says that someone else said ("Trump said
    the commission announced that ...", '"...," DuVernay said, emphasizing why ...') is part of
    that speaker's quote: the article vouches for the outer attribution only (as the Gender Gap
    Tracker counts quotes); the inner speaker is among the quote's ``about`` entities."""
    held: set[int] = set()
    outer: Quote | None = None  # of the quotes so far (all start earlier), the one ending last
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if outer is not None and quote.end <= outer.end and _length(quote) < _length(outer):
            held.add(id(quote))
        elif outer is None or quote.end > outer.end:
            outer = quote
    return [q for q in quotes if id(q) not in held]


def _length(quote: Quote) -> int:
    return quote.end - quote.start


def _join_split(doc: Doc, found: list[Found], across: bool) -> list[Found]:
    """'"A," he said, "B."' is one quote: the marked pieces on both sides of one cue in one
    sentence, or (``across``) an uncued direct quote that opens the sentence right after the
    cue's, in the same paragraph. Fragments that join nothing are scare quotes: dropped."""
    kept: list[Found] = []
    anchor: Found | None = None  # the quote a following piece may join
    for item in found:
        if anchor is not None and _joins(doc, anchor, item, across):
            _merge(anchor, item)
            continue
        kept.append(item)
        if anchor is not None and anchor.cue is not None and _within(item, sent_of(anchor.cue)):
            continue  # a scare quote or a nested quote inside the attribution itself
        if item.kind in ("direct", "fragment") or item.cue is not None:
            anchor = item
    return [f for f in kept if f.kind != "fragment"]


def _joins(doc: Doc, first: Found, second: Found, across: bool) -> bool:
    cue = first.cue or second.cue
    if cue is None or "\n" in text_of(doc)[first.end : second.start]:
        return False
    if not first.end <= cue.idx < second.start:
        return False
    if first.cue is not None and second.cue is not None:
        return first.cue.i == second.cue.i and first.kind == second.kind == "direct"
    loose = second if first.cue is not None else first
    if loose.kind not in ("direct", "fragment") or _new_clause(cue, second.start):
        return False
    if loose is first and second.kind != "direct" and not (
        _leads_in(text_of(doc), first) and _only_attribution_between(doc, first.end, cue)
    ):
        return False  # 'On "Fox News Sunday," Pence said that ...': a title, not his words
    sent = sent_of(cue)
    if loose is second and _title(text_of(doc)[second.start : second.end].rstrip(".,")):
        return False  # '"A," Clinton said on ABC's "This Week."': a show, not her words
    if _within(loose, sent):
        return True
    if not across or loose is first or second.kind != "direct":
        return False
    after = sent.end
    while after < len(doc) and doc[after].is_space:
        after += 1
    return after < len(doc) and doc[after].idx <= second.start < sent_of(doc[after]).end_char


def _leads_in(text: str, piece: Found) -> bool:
    """A quoted piece before a cue whose reported clause follows is part of what was said
    ('"... phony system," Trump accused Holt of ...'), unless it is a title ('On "Fox News
    Sunday," Pence said') or a coined name ('the ''Buffett rule'' after Buffett complained')."""
    words = text[piece.start : piece.end].strip()
    before = text[max(0, piece.start - 12) : piece.start].lower()
    coined = len(words.split()) <= 3 and words[-1:].isalnum() and _NAMING.search(before)
    return not (_title(words.rstrip(",")) or coined)


def _only_attribution_between(doc: Doc, end: int, cue: Token) -> bool:
    """'"... phony system," Trump accused Holt of ...': nothing but punctuation and the cue's
    subject between a quoted piece and its cue; not 'used the phrase "Islamic terrorism" often
    in his campaign, and criticized Obama for ...'."""
    subject = {t.i for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    i = cue.i - 1
    while i >= 0 and doc[i].idx >= end:
        t = doc[i]
        if not (t.is_punct or t.is_space or i in subject or t.dep_ in ("aux", "neg", "advmod")):
            return False
        i -= 1
    return True


_NAMING = re.compile(r"\b(?:the|so-called|dubbed|called|named)\W*$")


def _new_clause(cue: Token, before: int) -> bool:
    """'"You winning?" she said, but Kevin was drifting off again, and as Trump went on about
    "how the system is rigged,"': a clause with a subject of its own, joined to the cue's before
    the next quoted piece, means that piece is not the rest of this quote."""
    return any(
        token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and token.idx < before
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        for token in cue.children
    )


def _within(item: Found, sent: object) -> bool:
    return sent.start_char <= item.start < sent.end_char  # type: ignore[attr-defined]


def _merge(into: Found, item: Found) -> None:
    pieces = ("direct", "fragment")
    kind = "direct" if into.kind in pieces and item.kind in pieces else "mixed"
    if into.cue is None:
        into.cue, into.speaker_token, into.rule, into.how = (
            item.cue,
            item.speaker_token,
            item.rule,
            item.how,
        )
    into.end, into.marks, into.kind = item.end, into.marks + item.marks, kind


def _name_before_cue(doc: Doc, item: Found) -> None:
    """'"...," Flynn, a top Trump surrogate, said on "Fox and Friends."': a name right after the
    quote, before its cue, is the speaker even when the parser made something else the cue's
    subject (here the show's title)."""
    cue, subject = item.cue, item.speaker_token
    if cue is None or cue.pos_ == "NOUN" or not item.end <= cue.idx:
        return
    if subject is not None and item.end <= subject.idx < cue.idx:
        return  # '"...," Flynn said', '"...," he said'
    between = doc.char_span(item.end, cue.idx, alignment_mode="expand")
    words = [t for t in between or () if not (t.is_punct or t.is_space)]
    first = words[0] if words else None
    if first is not None and subject is not None and item.start <= subject.idx < item.end:
        # the parser took a word of the quote itself for the subject ('"We will achieve
        # justice," Tulsa police Chief Chuck Jordan said'): the first name after the quote
        first = next((t for t in words if t.ent_type_ == "PERSON" and t.ent_iob_ == "B"), first)
    if first is None or first.ent_type_ not in ("PERSON", "ORG") or first.ent_iob_ != "B":
        return
    item.speaker_token, item.rule = entity_last(first, cue.i), "cue-apposition"


def _pieces(item: Found, marks: Marks, offset: int) -> tuple[Span, ...]:
    """The quoted pieces of a direct quote split by its cue, in article offsets."""
    if item.kind != "direct" or len(item.marks) < 2:
        return ()
    spans = sorted({(marks.spans[k].start, marks.spans[k].end) for k in item.marks})
    return tuple(Span(offset + a, offset + b) for a, b in spans if item.start <= a and b <= item.end)


def _shift(message: str, offset: int) -> str:
    """Problems name article offsets, not chunk offsets."""
    return re.sub(r"offset (\d+)", lambda m: f"offset {int(m.group(1)) + offset}", message)


_MINOR_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "nor", "of",
    "on", "or", "the", "to", "vs", "with",
})  # fmt: skip


# a closing mark, then "by" and a capitalized name: a piece's headline credited to its writer
_CREDITED = re.compile(r"""[,.]?["'”’]{1,2},?[^\S\n]+by[^\S\n]+(?:the[^\S\n]+)?[A-Z]""")


def _title(text: str) -> bool:
    """A short run of capitalized words with no sentence punctuation: the name of a show, a
    book or a slogan's banner, not somebody's words.

    >>> [_title(t) for t in ("Orange Is the New Black", "Jane the Virgin", "We won the vote",
    ...                      "No Special Rights!", "Make America Great Again,")]
    [True, True, False, False, False]
    """
    words = text.split()
    if not words or len(words) > 8 or text.rstrip()[-1:] in ".!?,;:…—-\"'”’":
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS or w is words[0]]
    return all(w[:1].isupper() or w[:1].isdigit() for w in major)


_NOMINAL_DEPS = frozenset({"appos", "pobj", "dobj", "nsubj", "nsubjpass", "npadvmod", "compound"})


def _named_thing(doc: Doc, tokens: range | None) -> bool:
    """Whether the quoted words (two or more) are a noun phrase of the sentence around them: "his
    autobiography, “A Time for Truth,” published in 2015", "an interview with CNN's “The Lead
    with Jake Tapper”": a name, however near a reporting verb."""
    if tokens is None or sum(t.is_alpha for t in doc[tokens.start : tokens.stop]) < 2:
        return False  # “Denver,” he answered: a one-word answer is what was said
    noun = _noun_and_comma_before(doc, tokens)
    if noun is not None and noun.pos_ == "NOUN":
        return True  # in apposition to a common noun: "his autobiography, “...,”"
    inside = doc[tokens.start : tokens.stop]
    heads = [t for t in inside if not tokens.start <= t.head.i < tokens.stop]
    words = [t for t in heads if not t.is_punct and not t.is_space]
    return len(words) == 1 and words[0].pos_ in ("PROPN", "NOUN") and words[0].dep_ in _NOMINAL_DEPS


def _only_a_title(doc: Doc, tokens: range | None, marks: Marks) -> bool:
    """Whether every run of quoted words in ``tokens`` is a title and no word outside them is a
    verb: a phrase that names a work ('In his 2002 book, "Make Your Kid a Millionaire,"'), which
    the parser gave a cue as its clause, reports nothing. (A cue's object may be such a phrase
    and still be words somebody coined: 'called it a "Putin-RibbenTRUMP Pact."')"""
    if tokens is None:
        return False
    runs: dict[int, list[str]] = {}
    lowercase = False  # (a headline in title case hides its verbs from the tagger: "Maria
    # Hinojosa Explained Why She Felt 'Invisible' As A Child")
    for i in tokens:
        token = doc[i]
        k = marks.of_token(i)
        if k is not None:
            runs.setdefault(k, []).append(token.text_with_ws)
        elif token.pos_ in ("VERB", "AUX"):
            return False
        else:
            lowercase = lowercase or token.text.islower()
    return bool(runs) and lowercase and all(
        _title("".join(words).strip().strip("\"'“”‘’").strip().rstrip(".,"))
        for words in runs.values()
    )


def _after_a_work(doc: Doc, tokens: range | None) -> bool:
    """Whether the quoted words follow a comma after a noun naming a work: 'his 2012 book, "An
    American Son."', 'its politics podcast, "So, That Happened."' (not 'in an interview, "We
    Will Win."')."""
    noun = _noun_and_comma_before(doc, tokens) if tokens is not None else None
    return noun is not None and noun.lemma_.lower() in WORK_NOUNS


def _noun_and_comma_before(doc: Doc, tokens: range) -> Token | None:
    """The word before the comma right before the quoted words' opening mark ("his
    autobiography" in 'his autobiography, “A Time for Truth,”'), or None."""
    before = [t for t in doc[max(0, tokens.start - 3) : tokens.start] if not t.is_quote]
    return before[-2] if len(before) >= 2 and before[-1].text == "," else None


def _too_short(text: str) -> bool:
    return len([w for w in text.split() if any(ch.isalnum() for ch in w)]) < MIN_WORDS


def _reported(doc: Doc, marks: Marks) -> list[Found]:
    """Quotes found from their cue: the content each cue governs (see kg.attribution)."""
    found: list[Found] = []
    seen: set[tuple[int, int]] = set()
    for content in find_contents(doc, marks.quoted):
        item = _from_content(doc, content, marks)
        if item is None or (item.start, item.end) in seen:
            continue
        seen.add((item.start, item.end))
        found.append(item)
    return found


def _from_content(doc: Doc, content: Content, marks: Marks) -> Found | None:
    punct, space = columns.numbers(doc, "IS_PUNCT"), columns.numbers(doc, "IS_SPACE")
    lo = _after_colon(doc, content, marks)
    if lo != content.lo:
        kept = frozenset(i for i in content.tokens if i >= lo)
        content = Content(content.cue, lo, content.hi, kept, content.how)
    words = [i for i in content.tokens if not (punct[i] or space[i])]
    inside = [i for i in words if marks.quoted(i)]
    hi = content.hi
    after = [i for i in words if inside and i > max(inside)]
    if (
        after
        and content.cue.i >= hi
        and content.how != "according-to"  # (its content is the clause before the phrase)
        and doc[after[0]].ent_type_ in ("PERSON", "ORG")
    ):
        # '"...," Flynn, a top Trump surrogate, said': the parser hung the name on the quote;
        # what was said ends at the closing mark
        hi = max(inside) + 1
        words = [i for i in words if i < hi]
    tail = _quoted_tail(doc, content, hi, marks)
    if tail > hi and (inside or content.how != "object" or _reports_object(content)):
        # (an object that is no report stays none for a title after it: 'writes a weekly column
        # and leads “America with Jorge Ramos”')
        words += [i for i in range(hi, tail) if not (punct[i] or space[i])]
        inside += [i for i in range(hi, tail) if marks.quoted(i) and not (punct[i] or space[i])]
        hi = tail
    touched = sorted({k for i in range(content.lo, hi) if (k := marks.of_token(i)) is not None})
    if not words or (content.how == "object" and not inside and not _reports_object(content)):
        return None
    if not inside and len(words) < MIN_CONTENT_WORDS:
        return None
    subject, rule = cue_subject(content.cue)
    start = doc[content.lo].idx
    end = doc[hi - 1].idx + len(doc[hi - 1])
    spans = [marks.spans[k] for k in touched]
    if (
        len(inside) == len(words)
        and content.how != "object"
        and _kind(text_of(doc), spans[0]) == "direct"
    ):
        start, end, kind = spans[0].start, spans[-1].end, "direct"
    else:
        kind = "mixed" if inside else "indirect"
        for span in spans:
            start = span.outer_start if span.start <= start else start
            end = span.outer_end if span.end >= end else end
    return Found(start, end, kind, content.cue, content.how, tuple(touched), subject, rule)


def _quoted_tail(doc: Doc, content: Content, hi: int, marks: Marks) -> int:
    """'said the goal was not to “make America great again” but to “make America whole again.”':
    quoted words later in the sentence of what a cue before them reports, with no other cue
    between, are the same speaker's; what was said runs on to them. Returns the new end (token
    index), or ``hi``."""
    if content.how not in ("ccomp", "object") or content.cue.i >= content.lo or hi >= len(doc):
        return hi
    stop = sent_of(doc[hi - 1]).end
    last = None
    for i in range(hi, stop):
        token = doc[i]
        if marks.quoted(i):
            k = marks.of_token(i)
            if k is not None and _kind(text_of(doc), marks.spans[k]) == "direct":
                break  # ('telling reporters, “A lot of people ...”': an utterance of its own)
            if not (token.is_punct or token.is_space):
                last = i
        elif token.text in (";", ":") or is_cue_token(token) or _new_subject(token, content):
            break  # (not 'After Brown criticized Bill Clinton, Hillary shot back, “...”')
    return hi if last is None else last + 1


def _new_subject(token: Token, content: Content) -> bool:
    """A subject whose clause is not part of what the cue reports ('..., and the crowd
    reprised the chant'; not '... but because Canova is “a good candidate.”')."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = token.head
    return head.i not in content.tokens and not any(a.i in content.tokens for a in head.ancestors)


def _after_colon(doc: Doc, content: Content, marks: Marks) -> int:
    """'McCaskill scolded him: “The community is against you,” she said.': the clause the
    parser gave the cue after the quote opens with the narrator's words up to a colon; what
    was said starts at the quote mark after it."""
    lo = content.lo
    for i in range(content.lo, min(content.hi, content.cue.i)):
        if doc[i].text == ":" and not marks.quoted(i):
            j = i + 1
            while j < content.hi and doc[j].is_space:
                j += 1
            if j < content.hi and doc[j].is_quote:
                lo = j
    return lo


def _marked(doc: Doc, marks: Marks, claimed: set[int]) -> list[Found]:
    """Quotes found from their marks: what no cue's content took in."""
    found: list[Found] = []
    for k, span in enumerate(marks.spans):
        if k in claimed:
            continue
        item = _attribute(doc, span, k, marks)
        if item is not None:
            found.append(item)
    return found


def _reports_object(content: Content) -> bool:
    """An object is reported content when the verb reports through its object and the object
    holds a proposition (a verb: "accused X of lying", "urged X to act") or a predicate ("called
    it a disgrace", "described X as ..."), not a bare noun phrase ("praised Obama", "called for
    the repeal of the law": the issue's indirect quote is a clause; measured on PolNeAR, where
    such phrases are annotated, all kinds F1 +0.01 but direct F1 -0.004 on train)."""
    if content.cue.lemma_.lower() == "say":
        return _said_clause(content)
    if content.cue.lemma_.lower() not in object_verbs():
        return False
    doc = content.cue.doc
    first = doc[content.lo]
    if first.dep_ == "prep" and first.head.i == content.cue.i and first.lower_ not in ("for", "on"):
        return False  # "warned over the consequences of losing": a topic, not what was said
    return any(
        doc[i].pos_ in ("VERB", "AUX")
        or doc[i].dep_ in ("oprd", "pcomp")
        or (doc[i].dep_ == "prep" and doc[i].lower_ == "as" and doc[i].head.i == content.cue.i)
        for i in content.tokens
    )


def _said_clause(content: Content) -> bool:
    """ "Stone says the increase in polarization that Bloomberg decries also makes his election
    less likely": "say" takes no noun phrase for an object but a few ("said a prayer", "said
    the same thing"), so a finite verb under its object is the parser misreading a clause."""
    doc = content.cue.doc
    objects = [c for c in content.cue.children if c.dep_ == "dobj" and c.i in content.tokens]
    if len(objects) != 1 or objects[0].pos_ not in ("NOUN", "PROPN"):
        return False
    head = objects[0]
    if head.lemma_.lower() in _SAID_OBJECTS:
        return False
    return any(
        doc[i].tag_ in ("VBD", "VBZ", "VBP", "MD") and doc[i].i > head.i
        for i in content.tokens
    )


# what "say" takes for an object ("said a prayer", "say the same thing", "said the following")
_SAID_OBJECTS = frozenset({
    "amen", "following", "goodbye", "grace", "hello", "line", "lot", "mass", "name", "phrase",
    "pledge", "prayer", "rosary", "same", "thank", "thanks", "thing", "word", "yes", "no",
})  # fmt: skip


def _attribute(doc: Doc, marked: MarkedSpan, k: int, marks: Marks) -> Found | None:
    """Find the cue of a marked span; drop scare quotes and titles (fragments with no cue)."""
    span = doc.char_span(marked.start, marked.end, alignment_mode="expand")
    if span is None or not span.text.strip():
        return None
    kind = _kind(text_of(doc), marked)
    words = [t for t in span if not t.is_punct and not t.is_space]
    if kind == "mixed" or len(words) < MIN_WORDS:
        # A fragment no cue reports is a scare quote, a title or a name, unless it is one piece
        # of a quote split by its cue ('"Hopefully," he said, "this ..."'): see _join_split;
        # or a short utterance a speech verb reports right after it ('"You winning?" she said').
        cue = _adjacent_verb(doc, marked, span) if kind != "mixed" and words else None
        if cue is not None and is_cue_token(cue):
            return _cued(marked, k, kind, cue)
        cue = _cue_before(doc, span) if words else None
        if cue is not None:
            return _cued(marked, k, "direct", cue)
        cue = _speaker_verb_of_object(span)
        double = text_of(doc)[marked.outer_start : marked.outer_start + 1] in ('"', "“", "«")
        long = len(words) >= MIN_OBJECT_QUOTE_WORDS and not _title(span.text)
        if cue is not None and double and long:
            return _cued(marked, k, "direct", cue)
        return Found(marked.start, marked.end, "fragment", None, "marks", (k,)) if words else None
    signed = _dash_name(doc, marked, k, kind)
    if signed is not None:
        return signed  # '"...” ― Jacklyn Ashley': a signature outranks any cue nearby
    sents = {sent_of(t).start: sent_of(t) for t in (span[0], span[-1])}
    region = [t for s in sents.values() for t in s if not marks.quoted(t.i)]
    cue = _adjacent_verb(doc, marked, span)
    if cue is not None and not is_cue_token(cue) and _title(span.text.rstrip(", ")):
        cue = None  # '“Trump and Me,” came out in 2016': a title, not what anybody said
    cue = cue or _best_cue(region, span)
    if cue is not None:
        # 'When Trump suggested ..., Rubio fired back: "..."': the clause the colon ends
        # introduces the quote, not a cue in a clause before it
        colon = _colon_cue(doc, marked, k, kind, marks)
        if colon is not None and colon.cue is not None and _introduces(colon.cue, cue):
            return colon
        # 'After Brown criticized Bill Clinton, Hillary shot back, "..."': so does the clause a
        # comma ends
        verb = _verb_before_comma(doc, marked, marks)
        if verb is not None and verb.i != cue.i and _introduces(verb, cue):
            return _cued(marked, k, kind, verb)
    if cue is not None:
        return _cued(marked, k, kind, cue)
    return _colon_cue(doc, marked, k, kind, marks) or Found(
        marked.start, marked.end, kind, None, "marks", (k,)
    )


def _verb_before_comma(doc: Doc, marked: MarkedSpan, marks: Marks) -> Token | None:
    """The verb with a subject that ends its clause right before the comma before the opening
    mark, adverbs and particles aside ("Hillary shot back, "), or None."""
    window = max(0, marked.outer_start - 40)
    before = text_of(doc)[window : marked.outer_start].rstrip()
    if not before.endswith(","):
        return None
    at = window + len(before) - 1
    comma = doc.char_span(at, at + 1, alignment_mode="expand")
    if comma is None:
        return None
    first = sent_of(comma[0]).start
    i = comma.start - 1
    while i > first and i > comma.start - 4 and doc[i].pos_ in ("ADV", "PART", "ADP"):
        i -= 1
    verb = doc[i]
    if i <= first or marks.quoted(i) or verb.pos_ != "VERB":
        return None
    return verb if any(c.dep_ in SUBJECT_DEPS for c in verb.children) else None


def _introduces(verb: Token, cue: Token) -> bool:
    """Does ``verb``, ending its clause with a colon right before a quote, introduce the quote
    rather than ``cue``, a cue word earlier in the sentence? Yes when its subject comes after the
    cue and the cue does not govern it ('he suggested Curiel was from Mexico: "..."' is his); a
    copula introduces nothing ('The question is: "..."')."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (
        subject is not None
        and cue.i < subject.left_edge.i
        and not cue.is_ancestor(verb)
        and verb.lemma_ != "be"
    )


def _cue_before(doc: Doc, span: object) -> Token | None:
    """'Clinton said, “as long as we’re not violating any election laws.”', 'a man yelled
    “Stay there!”': a reporting verb with its subject right before the opening mark (a comma or
    a colon between) introduces what follows, however it opens."""
    i = span.start - 1  # type: ignore[attr-defined]
    while i >= 0 and (doc[i].is_quote or doc[i].is_space):
        i -= 1
    if i >= 0 and doc[i].text in (",", ":"):
        i -= 1
    if i < 0:
        return None
    verb = doc[i]
    if verb.pos_ != "VERB" or not is_cue_token(verb):
        return None
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and not said_by_noun(verb):
        return None
    return verb


def _speaker_verb_of_object(span: object) -> Token | None:
    """'Trump attacked “the hateful ideology of radical Islam – its oppression of women”': a
    quoted phrase that is the whole object of a verb whose subject is a person or a pronoun is
    that speaker's words (a shorter one is a scare quote: 'used the phrase “Islamic terror”')."""
    root = span.root  # type: ignore[attr-defined]
    verb = root.head
    start = span.start  # type: ignore[attr-defined]
    if root.dep_ != "dobj" or verb.pos_ != "VERB" or verb.i >= start:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or not (
        subject.ent_type_ in ("PERSON", "ORG") or subject.lower_ in _PERSONAL_PRONOUNS
    ):
        return None
    return verb


_PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
MIN_OBJECT_QUOTE_WORDS = 5


def _cued(marked: MarkedSpan, k: int, kind: str, cue: Token) -> Found:
    """The marked span ``k`` as a quote of ``kind`` reported by ``cue``, spoken by its subject."""
    subject, rule = cue_subject(cue)
    return Found(marked.start, marked.end, kind, cue, "marks", (k,), subject, rule)


_DASH_NAME = re.compile(r"[ \t\u00a0]*[―—–-][ \t\u00a0]*(?=\S)")


def _dash_name(doc: Doc, marked: MarkedSpan, k: int, kind: str) -> Found | None:
    """'"...," ― Sonya Herridge' / '"..." — Jane Doe, 52, Texas': a dash after the closing mark
    and a name on the same line sign the quote (round-ups, letters, epigraphs)."""
    text = text_of(doc)
    dash = _DASH_NAME.match(text, marked.outer_end)
    if dash is None:
        return None
    name = doc.char_span(dash.end(), dash.end() + 1, alignment_mode="expand")
    if name is None or name[0].ent_type_ not in ("PERSON", "ORG"):
        return None
    if name[0].ent_iob_ != "B" and not (name[0].i > 0 and doc[name[0].i - 1].is_punct):
        return None  # (the NER may take the dash into the name: "― Jacklyn Ashley")
    head = entity_last(name[0])
    return Found(marked.start, marked.end, kind, None, "dash", (k,), head, "dash-name")


def _adjacent_verb(doc: Doc, marked: MarkedSpan, span: object) -> Token | None:
    """'"...," mused X' / '"...?" X asked': right after a quote that ends in , ? or !, the verb
    of a short attribution clause is a speech verb whatever its lemma; so after a quote inside
    the quote that closes with it ('"Her answer was, ‘Let’s help.’” Renteria told')."""
    content = text_of(doc)[marked.start : marked.end]
    inner = content.rstrip(_INNER_CLOSERS)
    ends = (",", "?", "!", ".") if inner != content else (",", "?", "!")  # (the inner quote's ".")
    if not inner or inner[-1] not in ends:
        return None
    end = span.end  # type: ignore[attr-defined]
    first = end
    while first < len(doc) and (doc[first].is_quote or doc[first].is_space):
        first += 1  # the closing mark
    for token in doc[end : end + _ATTRIBUTION_REACH]:
        # a verb with a subject; the tagger reads "added" after a quote as VBN
        finite = token.pos_ == "VERB" and token.tag_ in ("VBD", "VBZ", "VBP", "VBN")
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None) if finite else None
        # near the quote, or with a subject that opens right after it ('"...?" Miller, a
        # retired worker from a nuclear plant, said pleasantly')
        if subject is not None and (token.i < end + 5 or subject.left_edge.i <= first):
            return token
        if token.text in (".", ";") or token.is_space:
            return None
    return None


_INNER_CLOSERS = "'’\""  # a quote's own last mark when a quote inside it ends it
_ATTRIBUTION_REACH = 20  # tokens after a quote in which its attribution clause may end


def _colon_cue(doc: Doc, marked: MarkedSpan, k: int, kind: str, marks: Marks) -> Found | None:
    """'He said:' or 'Cruz continued:' ending the text before the quote (a paragraph may lie
    between): the verb before the colon is the cue; 'Michael McDonald: "..."': the name is."""
    window = max(0, marked.outer_start - 80)
    before = text_of(doc)[window : marked.outer_start].rstrip()
    if not before.endswith(":"):
        return None
    at = window + len(before) - 1
    colon = doc.char_span(at, at + 1, alignment_mode="expand")
    if colon is None:
        return None
    name = doc[colon.start - 1] if colon.start > sent_of(colon[0]).start else None
    if name is not None and _labels(name):
        # "The race has tightened - Philip Bump: '...'": a name set off by a dash labels the quote
        return Found(marked.start, marked.end, kind, None, "colon", (k,), name, "colon-name")
    verb = verb_before_colon(doc, colon.start, marks)
    if verb is not None:
        subject, rule = cue_subject(verb)
        return Found(marked.start, marked.end, kind, verb, "colon", (k,), subject, rule)
    if name is not None and name.ent_type_ in ("PERSON", "ORG") and not headline_object(name):
        return Found(marked.start, marked.end, kind, None, "colon", (k,), name, "colon-name")
    return None



def _labels(name: Token) -> bool:
    """Whether ``name`` ends a name (an entity, or words in title case) that starts right after
    a dash."""
    doc, start = name.doc, name.i
    if name.ent_type_ in ("PERSON", "ORG"):
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
    elif name.pos_ == "PROPN" and not name.ent_type_:
        while start > 0 and doc[start - 1].pos_ == "PROPN" and not doc[start - 1].ent_type_:
            start -= 1
    else:
        return False
    return start > 0 and doc[start - 1].text in ("-", "–", "—", "―", "--")


def _kind(text: str, marked: MarkedSpan) -> str:
    """direct: a whole utterance; mixed: a fragment woven into a sentence."""
    raw = text[marked.start : marked.end].lstrip()
    content = raw.lstrip(" .…[(")
    window = text[max(0, marked.outer_start - 40) : marked.outer_start]
    before = window.rstrip()
    starts_upper = bool(content) and (content[0].isupper() or content[0].isdigit())
    elided = raw.startswith(("…", "...", "["))  # '“… overall, I think”', '“[W]e are”'
    new_paragraph = "\n" in window[len(before) :] or marked.outer_start < 40 and not before
    # a closing mark that ends the sentence before counts as its end: '... on "This Week." "I
    # think ...'
    ended = before.rstrip("”\"'’»")[-1:] in ".?!" and before[-1:] in "”\"'’»"
    opens_clause = new_paragraph or before[-1:] in ",:.?!—-―(" or ended
    if opens_clause and (starts_upper or elided or _continues_split(text, marked)):
        return "direct"
    return "mixed"


_SPLIT_BEFORE = re.compile(r"[,?!…—-][ \t]*[”\"'’][ \t]*[^“”\"\n]{1,80},[ \t]*$")


def _continues_split(text: str, marked: MarkedSpan) -> bool:
    """'“Every time you say that,” Tester said, “you give ...”': the second piece of a quote
    split by its cue may open in lower case and is still direct speech."""
    return bool(_SPLIT_BEFORE.search(text[max(0, marked.outer_start - 100) : marked.outer_start]))


def _best_cue(region: list[Token], quote: object) -> Token | None:
    from spacy.tokens import Span as SpacySpan

    assert isinstance(quote, SpacySpan)
    best: tuple[int, int, int] | None = None
    choice = None
    inside = set(range(quote.start, quote.end))
    for token in region:
        if not is_cue_token(token):
            continue
        linked = 0 if _linked(token, inside) else 1
        distance = min(abs(token.idx - quote.start_char), abs(token.idx - quote.end_char))
        rank = (linked, 0 if token.pos_ != "NOUN" else 1, distance)
        if best is None or rank < best:
            best, choice = rank, token
    return choice


def _linked(cue: Token, inside: set[int]) -> bool:
    """True when the cue governs a token of the quote or a quote token governs the cue."""
    if any(a.i in inside for a in cue.ancestors):
        return True
    return any(cue.is_ancestor(cue.doc[i]) for i in inside)


def _speaker_mention(
    item: Found, by_token: dict[int, Mention], salience: Salience
) -> tuple[Mention | None, str]:
    if item.speaker is not None:
        return item.speaker, item.rule
    token = item.speaker_token
    if token is None:
        return None, item.rule
    mention, how = speaker_of(token, by_token)
    if mention is not None and mention.kind in CUED_SPEAKER_KINDS:
        return mention, item.rule + how
    if token.lower_ in PRONOUNS:
        return resolve_pronoun(token, by_token, salience, item.cue), item.rule + "+antecedent"
    resolved = resolve_description(token, salience, by_token)
    if resolved is not None:
        return resolved, item.rule + "+description"
    return None, item.rule


def _speaker_text(item: Found, speaker: Span | None, doc: Doc, offset: int) -> str:
    token = item.speaker_token
    if token is not None:
        return token.text if token.pos_ == "PRON" else _phrase(token)
    if speaker is not None:
        return text_of(doc)[speaker.start - offset : speaker.end - offset]
    return ""


def _phrase(token: Token) -> str:
    left = min([token.i] + [t.i for t in token.subtree if t.i < token.i and t.dep_ != "punct"])
    start = token.doc[left].idx if left < token.i else token.idx
    return text_of(token.doc)[start : token.idx + len(token.text)]  # no Token per word joined


def _cue_words(cue: Token | None) -> str:
    if cue is None:
        return ""
    if cue.lower_ == "according":
        return "according to"
    return cue.lemma_.lower()


def _addressee(cue: Token | None, by_token: dict[int, Mention]) -> Span | None:
    """ "he told the Associated Press": the object of tell, or "said to X"."""
    if cue is None or cue.pos_ == "NOUN":
        return None
    for target in hearer_tokens(cue):
        mention, _ = speaker_of(target, by_token)
        if mention is not None and mention.kind in SPEAKER_KINDS:
            return Span(mention.start, mention.end)
    return None


def _about(
    ordered: list[Mention], starts: list[int], start: int, end: int, speaker: Span | None
) -> tuple[Span, ...]:
    """Entities the quote mentions (not events, not the speaker's own mention)."""
    found = []
    for m in ordered[bisect_left(starts, start) : bisect_left(starts, end)]:
        if m.end <= end and m.kind != "event" and Span(m.start, m.end) != speaker:
            found.append(Span(m.start, m.end))
    return tuple(found)
