"""kg.quotes, kg.attribution, kg.speakers: labelled passages from tests/data/quote_cases.json
parsed with the real pipeline, the lexicons tested like code, and quote-mark properties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.attribution import cue_nouns, object_verbs, read_lexicon, reporting_verbs
from kg.extract import extract_article
from kg.quotes import find_quote_marks
from kg.records import Article, ArticleExtraction

CASES = json.loads((Path(__file__).parent / "data" / "quote_cases.json").read_text("utf-8"))


def _params(rows):
    out = []
    for row in rows:
        marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if "xfail" in row else []
        out.append(pytest.param(row, marks=marks, id=row["id"]))
    return out


def extract(nlp, text: str) -> ArticleExtraction:
    article = Article(id="case", source="case.txt", text=text)
    return extract_article(article, [(0, nlp(article.masked_text()))])


def _span_text(text: str, span) -> str | None:
    return text[span.start : span.end] if span is not None else None


@pytest.mark.parametrize("case", _params(CASES["cases"]))
def test_quote_case(nlp, case):
    text = case["text"]
    ex = extract(nlp, text)
    found = [(q, text[q.start : q.end]) for q in ex.quotes]
    described = [(q.kind, t, _span_text(text, q.speaker), q.rule) for q, t in found]
    if "count" in case:
        assert len(found) == case["count"], described
    for want in case["quotes"]:
        hits = [q for q, t in found if want["fragment"] in t]
        assert len(hits) == 1, (want["fragment"], described)
        quote = hits[0]
        assert quote.kind == want["kind"], described
        speaker = _span_text(text, quote.speaker)
        if want["speaker"] is None:
            assert speaker is None, described
        else:
            assert speaker is not None and want["speaker"] in speaker, described
        if "addressee" in want:
            addressee = _span_text(text, quote.addressee)
            if want["addressee"] is None:
                assert addressee is None, (addressee, described)
            else:
                assert want["addressee"] in (addressee or ""), (addressee, described)
        if "rule" in want:
            assert want["rule"] in quote.rule, described
        if "starts" in want:
            assert text[quote.start : quote.end].startswith(want["starts"]), described


def test_every_quote_records_its_rule_and_stays_in_bounds(nlp):
    for case in CASES["cases"]:
        text = case["text"]
        for q in extract(nlp, text).quotes:
            assert q.rule and q.kind in ("direct", "mixed", "indirect")
            assert 0 <= q.start < q.end <= len(text) and q.text == text[q.start : q.end]
            assert q.speaker is not None or q.rule.endswith(":unresolved")
            for span in (q.speaker, q.addressee, *q.about):
                if span is not None:
                    assert 0 <= span.start < span.end <= len(text)


@pytest.mark.parametrize(
    "text,words",
    [
        ('"We are ready," he said. "We will wait for him."', "We are ready, … We will wait for him."),
        ("“Every time you say that,” Tester said, “you give them ammunition.”",
         "Every time you say that, … you give them ammunition."),
        ('"We are ready to see him here," Ivan Petrov said.', "We are ready to see him here,"),
    ],
)
def test_the_words_of_a_split_quote_leave_out_its_attribution(nlp, text, words):
    (quote,) = extract(nlp, "Ivan Petrov spoke on Monday.\n\n" + text).quotes
    assert quote.words == words
    offset = len("Ivan Petrov spoke on Monday.\n\n")
    assert quote.text == text[quote.start - offset : quote.end - offset]
    for piece in quote.pieces:
        assert quote.start <= piece.start < piece.end <= quote.end


def test_unbalanced_marks_are_reported_not_raised(nlp):
    ex = extract(nlp, "He said “this goes on.\n\nAnd ” here. Then «one more")
    reasons = [p.reason for p in ex.problems]
    assert any("unclosed quote mark" in r for r in reasons), reasons
    assert any("closing quote mark without an opening one" in r for r in reasons), reasons


def test_about_lists_entities_inside_the_quote(nlp):
    text = "“China and Russia will not divide us,” Zelensky said."
    (quote,) = extract(nlp, text).quotes
    about = {text[s.start : s.end] for s in quote.about}
    assert {"China", "Russia"} <= about and "Zelensky" not in about


# --- the lexicons are code -----------------------------------------------------------------------


def _lexicon_rows(name: str) -> list[list[str]]:
    from importlib import resources

    text = resources.files("kg.data").joinpath(name).read_text("utf-8")
    return [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("lemma,form", [tuple(r) for r in _lexicon_rows("reporting_verbs.txt")])
def test_reporting_verb_is_the_lemma_of_its_form(nlp, lemma, form):
    doc = nlp(f"She {form} that it was over.")
    assert doc[1].lemma_.lower() == lemma, (form, doc[1].lemma_, doc[1].pos_)
    assert doc[1].pos_ in ("VERB", "AUX")


def test_lexicons_are_sorted_unique_and_consistent():
    for name in ("reporting_verbs.txt", "quotes_object_verbs.txt", "cue_nouns.txt", "company_nouns.txt"):
        rows = [r[0] for r in _lexicon_rows(name)]
        assert rows == sorted(set(rows)), name
    assert object_verbs() <= reporting_verbs(), sorted(object_verbs() - reporting_verbs())
    assert "say" in reporting_verbs() and "tell" in reporting_verbs()
    assert not {"think", "believe", "support", "endorse"} & reporting_verbs()
    assert read_lexicon("quotes_role_nouns.txt")


@pytest.mark.parametrize("noun", sorted(cue_nouns()))
def test_cue_noun_is_its_own_lemma(nlp, noun):
    doc = nlp(f"His {noun} that it was over was wrong.")
    assert doc[1].lemma_.lower() == noun and doc[1].pos_ == "NOUN"


# --- quote marks ---------------------------------------------------------------------------------

MARK_TEXT = st.lists(
    st.sampled_from(list("ab .,:?!\n'\"`“”„«»‘’—") + ["''", "``", "\n\n", "We are"]), max_size=60
).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARK_TEXT)
@example("“One.\n\n“Two.”")
@example("''A,'' he said. ``B.''")
@example("”“”“")
@example("'''''")
def test_find_quote_marks_never_raises_and_spans_are_in_bounds(text):
    spans, problems = find_quote_marks(text)
    last = -1
    for s in spans:
        assert 0 <= s.outer_start < s.start <= s.end < s.outer_end <= len(text)
        assert s.outer_start >= last  # ordered, not overlapping
        last = s.outer_end
    assert all(isinstance(p, str) and "offset" in p for p in problems)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("He said: “We are ready.” Then", ["We are ready."]),
        ('"A," he said, "B."', ["A,", "B."]),
        ("''I'm waiting,'' she said.", ["I'm waiting,"]),
        ("``Nobody,'' he said.", ["Nobody,"]),
        ("«Non,» dit-il.", ["Non,"]),
        ("„Ja“, sagte er.", ["Ja"]),
        (
            "‘We are ready,’ he said. Zelensky's 'plan' and the leaders' talks in the '90s.",
            ["We are ready,", "plan"],
        ),
        ("“A paragraph.\n\n“And another.”", ["A paragraph.\n\n“And another."]),
        ("“Unclosed.\n\nNew paragraph “quoted” here.", ["quoted"]),
        ("Readers wrote:\n”It is not true,” one said.", ["It is not true,"]),  # a ” opening a line
        ("“We won.“ He smiled.", ["We won."]),  # a “ glued to a word's end closes
        # a straight-quoted passage holding a typeset quote, then a quote of its own
        (
            '"He read: “Are you sure?” Yes."\n\n“This is it,” he said.',
            ["He read: “Are you sure?” Yes.", "This is it,"],
        ),
        # an unclosed straight mark is not reopened by the next paragraph's typeset quote
        ('"She thought so.\n\n“It never crossed my mind,” she said.', ["It never crossed my mind,"]),
    ],
)
def test_find_quote_marks_pairs(text, expected):
    spans, _ = find_quote_marks(text)
    assert [text[s.start : s.end] for s in spans] == expected


def test_quote_mark_doctests():
    import doctest

    import kg.attribution_marks
    import kg.quotes

    assert doctest.testmod(kg.attribution_marks).failed == 0
    assert doctest.testmod(kg.quotes).failed == 0


_TRANSCRIPTISH = st.text(
    alphabet=st.sampled_from(list('AB CD:"“”\n.()x')) | st.characters(), max_size=200
)


@settings(max_examples=300, deadline=None)
@given(text=_TRANSCRIPTISH)
@example(text='"REYES: Why?\n\n"LOPEZ: Because.\n\n"(CROSSTALK.)\n\n"REYES: Fine."')
def test_transcript_turns_stay_inside_their_line_runs(text):
    """Every turn head's words end after they start and before the next head; never raises."""
    from kg.transcripts import _turn_end, _turn_heads

    heads = _turn_heads(text)
    for k, head in enumerate(heads):
        stop = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        end = _turn_end(text, head.end(), stop, quoted=bool(head.group(1)))
        assert head.end() <= end <= stop
        assert not text[head.end() : end].endswith(("\n", " "))


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(spans=_SPANS)
def test_outermost_keeps_no_quote_inside_a_longer_one(spans):
    """kg.quotes._outermost: no kept quote lies inside a longer kept one; every dropped quote lies
    inside a longer kept one; the kept quotes keep their order."""
    from kg.quotes import _outermost
    from kg.records import Quote

    quotes = [Quote(start=s, end=s + n, text="x" * n, kind="direct", sentence=0) for s, n in spans]
    kept = _outermost(quotes)

    def inside(q, o):
        return o.start <= q.start and q.end <= o.end and o.end - o.start > q.end - q.start

    assert [q for q in quotes if any(q is k for k in kept)] == kept
    assert not any(inside(q, o) for q in kept for o in kept)
    dropped = [q for q in quotes if not any(q is k for k in kept)]
    assert all(any(inside(q, o) for o in kept) for q in dropped)


def test_a_full_name_keeps_its_own_gender_when_a_namesake_differs(nlp):
    from kg.attribution import sentence_bounds
    from kg.mentions import extract_mentions
    from kg.speakers import mention_index, person_genders

    doc = nlp("Bill Clinton spoke first. Hillary Clinton spoke next. Clinton was cheered.")
    sentence_of = {first: n for n, (first, _) in enumerate(sentence_bounds(doc))}
    mentions = extract_mentions(doc, 0, sentence_of)
    genders = person_genders(doc, mention_index(doc, 0, mentions))
    by_text = {m.text + str(m.start): genders.get(m.start, "") for m in mentions}
    assert by_text == {"Bill Clinton0": "m", "Hillary Clinton26": "f", "Clinton54": ""}


def test_a_given_name_after_an_honorific_gives_the_gender(nlp):
    """ "Dr Patricia McFeeley": the given name is the word after "Dr", not "Dr" (BBC: her "he"
    took Max Houck's words)."""
    from kg.attribution import sentence_bounds
    from kg.mentions import extract_mentions
    from kg.speakers import mention_index, person_genders

    doc = nlp("Forensic pathologist Dr Patricia McFeeley spoke. Dr McFeeley added more.")
    sentence_of = {first: n for n, (first, _) in enumerate(sentence_bounds(doc))}
    mentions = extract_mentions(doc, 0, sentence_of)
    genders = person_genders(doc, mention_index(doc, 0, mentions))
    assert {m.text: genders.get(m.start, "") for m in mentions} == {
        "Dr Patricia McFeeley": "f",
        "Dr McFeeley": "f",
    }


def test_the_main_speaker_counts_a_person_by_the_project_surname_key():
    """ "Robert F. Kennedy Jr.", "Kennedy" and "KENNEDY" are one speaker quoted three times, who
    outnumbers "Smith" quoted twice (split on the last word, "Jr." and the capitals made a tie)."""
    from kg.records import Mention
    from kg.speakers import Salience

    def person(start: int, text: str) -> Mention:
        return Mention(start, start + len(text), text, "person", "PERSON", start)

    spoke = {0: person(0, "Robert F. Kennedy Jr."), 1: person(1, "Smith"), 2: person(2, "Kennedy")}
    spoke |= {3: person(3, "Smith"), 4: person(4, "KENNEDY")}
    main = Salience(subjects={}, spoke=spoke).main_speaker()
    assert main is not None and main.text == "Robert F. Kennedy Jr."


@pytest.mark.parametrize(
    "text, opens",
    [
        ("Beck, who supported Ted Cruz, last week said the party was lost.", True),
        ("Glenn Beck, who supported Ted Cruz, last week said the party was lost.", True),
        ("But Glenn Beck, who supported Ted Cruz, last week said the party was lost.", True),
        ("He met Glenn Beck, who said the party was lost.", False),
    ],
)
def test_a_name_of_any_length_opens_a_sentence_with_a_relative_clause(nlp, text, opens):
    from kg.attribution import _opens_with_relative

    doc = nlp(text)
    cue = next(t for t in doc if t.lemma_ == "say")
    name = next(t for t in doc if t.text == "Beck")
    assert _opens_with_relative(name, 0, cue) is opens


@pytest.mark.parametrize("money", ["£5m", "$5m", "A$431m", "5m"])
def test_a_period_after_millions_ends_its_sentence(nlp, money):
    """spaCy's tokenizer keeps "m." whole (an initial), so "£5m." took the sentence's period
    and the next sentence ran on into it; kg's pipeline splits it like "£5bn." (after a digit
    only)."""
    doc = nlp(f"Analysts expected a figure closer to {money}. Qantas shares fell almost 3%.")
    assert [t.text for t in doc][-9:-7] == ["m", "."]
    assert [s.text for s in doc.sents][-1] == "Qantas shares fell almost 3%."
    assert "p.m." in [t.text for t in nlp("It starts at 5 p.m. today.")]
    assert "m." in [t.text for t in nlp("The fire was reported at 3: 33 a. m. and is out.")]


@pytest.mark.parametrize(
    "text",
    [
        (
            "At Monday’s presidential debate, Clinton cited disparaging remarks Trump had made "
            "about Machado as examples of the Republican nominee’s disrespect for women."
        ),
        "Generali is to sell a minority stake to Italian bank Mediobanca for 775m euros.",
        "The word underground was that Federal mine No. 2 would soon have to close.",
    ],
)
def test_no_sentence_starts_after_a_word_in_mid_line(nlp, text):
    """The small parser ended these sentences after a word ("remarks | Trump had made"); kg's
    pipeline lets a sentence open after a word only at a line break or after a word in capitals."""
    doc = nlp(text)
    assert len(list(doc.sents)) == 1, [s.text for s in doc.sents]
    # before the parser: not after a word in capitals (a run-in heading) nor at a line break
    paragraphs = nlp.get_pipe("kg_paragraph_sentences")
    heading = paragraphs(nlp.make_doc("SPEND A QUARTER This step is harder."))
    assert heading[3].is_sent_start is None and heading[4].is_sent_start is False
    lines = paragraphs(nlp.make_doc("Growth stalls\nThe economy shrank."))
    assert lines[3].text == "The" and lines[3].is_sent_start is not False
