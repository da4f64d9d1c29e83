"""Who a speaker is: the mention a cue's subject names, or the entity the text is about.

No coreference model installs offline, so this works on the dependency parse: each sentence's
*topic* is the person who is the subject of a reporting verb in it, else of its main verb; a pronoun
subject keeps the topic. "he" resolves to a person who is the subject of an earlier clause of the
same sentence (outside the reported content), else to the current topic: the subject of the
previous sentences, not merely the nearest name ("He extended an invitation to Mr Xi. 'We are ready
to see him here,' he said." is not Xi speaking). "it" / "they" resolve to an organization that spoke
in the last sentences; a definite role description ("the minister", "the former secretary of
state") to the current topic; "the company's spokesman" to the company. "a source", "officials"
and anything else stay unresolved. Proper nouns the NER missed as subjects of reporting verbs
become speaker mentions (``unnamed_speakers``) so that the linker can name them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import compress
from typing import TYPE_CHECKING

from kg import columns
from kg.attribution import (
    SUBJECT_DEPS,
    addressee_tokens,
    cue_subject,
    cue_tokens,
    marks_of_tokens,
    sentence,
    sentence_start,
    text_of,
)
from kg.names import (
    PARTY_WORDS,
    POST_NOMINALS,
    compatible_persons,
    given_name_gender,
    is_honorific,
    is_members_word,
    is_title_word,
    person_parts,
)
from kg.records import Mention, Quote

if TYPE_CHECKING:
    from collections.abc import Iterator

    from spacy.tokens import Doc, Token

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they"})
MAX_GAP = 8  # sentences a topic survives without being named again
CONTINUATION_GAP = 4  # sentences between a quote and an uncued quote that continues it
COMPANY_GAP = 4  # sentences an organization subject stays "the company" / "the firm"
# an organization that is no business: "the company" / "the firm" is not it
_PUBLIC_BODY = re.compile(
    r"\b(Commission|Department|Ministry|Agency|Authority|Office|Council|Committee|Court|Bureau"
    r"|Administration|Parliament|Congress|Senate|Government|Police|Assembly|Tribunal|Union"
    r"|Organi[sz]ation|Federation|Association|Institute|University|Party)\b"
)
# words that make a company's noun a public body's: "the central bank", "the state broadcaster"
_PUBLIC_MODIFIERS = frozenset({"central", "federal", "national", "reserve", "state"})
GROUP_GAP = 2  # sentences an organization stays "it" / "they" after it last spoke


@dataclass
class Salience:
    """Per-sentence subjects of one article, walked in order to know who is being talked about."""

    subjects: dict[int, Mention]  # sentence -> its topical person/organization subject
    position: int = -1
    topic: Mention | None = None
    topic_sentence: int = -1
    group: Mention | None = None
    group_sentence: int = -1
    thing_sentence: int = -1  # the last sentence where a thing spoke ("it" is then the thing)
    things: set[int] = field(default_factory=set)  # sentences where a thing speaks: "the report says"
    # sentences whose organization subject did not speak ("they" needs a group that spoke)
    quiet: set[int] = field(default_factory=set)
    # sentences whose organization only owns the subject ("Heineken's net income fell")
    owning: set[int] = field(default_factory=set)
    spoke: dict[int, Mention] = field(default_factory=dict)  # sentence -> speaker of a quote in it
    # sentence -> the organization an unnamed spokesperson spoke for, and the noun's gender
    voices: dict[int, tuple[Mention, str]] = field(default_factory=dict)
    history: list[tuple[int, Mention]] = field(default_factory=list)  # person topics, in order
    genders: dict[int, str] = field(default_factory=dict)  # mention start -> "f" / "m"
    described: dict[int, Token] = field(default_factory=dict)  # see described_topics
    named: dict[int, Mention] = field(default_factory=dict)  # start -> a speaker noted
    # "strategist" -> (its modifiers, the person so called), in text order
    roles: dict[str, list[tuple[frozenset[str], Mention]]] = field(default_factory=dict)

    def advance_to(self, sentence: int) -> None:
        """Take in every sentence before ``sentence``."""
        while self.position < sentence - 1:
            self.position += 1
            self._take(self.position)

    def _take(self, sentence: int) -> None:
        noted = self.subjects.get(sentence)
        subject = self.spoke.get(sentence) or noted
        if subject is None and sentence in self.described:  # "The president's roots ..."
            subject = self.role_holder(self.described[sentence], sentence)
        if sentence in self.things and (subject is None or subject.kind == "person"):
            self.thing_sentence = sentence  # "..., the report says. It also points out ..."
        if subject is None:
            return
        if subject.kind == "person":
            self.topic, self.topic_sentence = subject, sentence
            self.history.append((sentence, subject))
        elif subject is noted and sentence in self.owning and self._group_spoke_lately(sentence):
            return  # "It said Fiat was set to ... Fiat's car business is making a loss": no
        else:
            self.group, self.group_sentence = subject, sentence
            if noted is not None and noted.kind == "person" and noted.start < subject.start:
                # "David Blunkett has apologised after the Home Office announced '...'": the
                # organization spoke, the sentence is still about him (not about a person of
                # what it said: "A BBC spokeswoman said Andi Peters would ...")
                self.topic, self.topic_sentence = noted, sentence
                self.history.append((sentence, noted))


    def _group_spoke_lately(self, sentence: int) -> bool:
        """Whether the organization last talked about spoke within GROUP_GAP of ``sentence``
        (an organization that only owns a sentence's subject does not take its place)."""
        return (
            self.group is not None
            and sentence - self.group_sentence <= GROUP_GAP
            and self.group_sentence not in self.quiet
        )

    def group_spoke_last(self) -> bool:
        """Whether the organization last talked about is recent (GROUP_GAP) and nobody else
        spoke in the sentences since."""
        sentence = self.position + 1
        if self.group is None or sentence - self.group_sentence > GROUP_GAP:
            return False
        return all(
            self.spoke[s].start == self.group.start
            for s in range(self.group_sentence + 1, sentence)
            if s in self.spoke
        )

    def note_voice(self, organization: Mention, sentence: int, noun: str) -> None:
        """Note that an unnamed spokesperson (``noun``: "spokesman", ...) spoke for
        ``organization`` in ``sentence``."""
        self.voices[sentence] = (organization, VOICE_GENDER.get(noun, ""))

    def voice(self, sentence: int, gender: str) -> Mention | None:
        """The organization whose unnamed spokesperson spoke last, in one of the two sentences
        before ``sentence``, when nobody else spoke or became the topic since and the pronoun's
        gender fits the noun ("A BBC spokeswoman said ... She added": the BBC)."""
        last = next((s for s in (sentence - 1, sentence - 2) if s in self.spoke), None)
        if last is None or last not in self.voices or self.topic_sentence > last:
            return None
        organization, said_gender = self.voices[last]
        return organization if not (gender and said_gender and gender != said_gender) else None

    def note_speaker(self, speaker: Mention, sentence: int) -> None:
        self.spoke[sentence] = speaker
        self.named[speaker.start] = speaker

    def current(
        self, sentence: int, gender: str = "", told: frozenset[str] = frozenset()
    ) -> Mention | None:
        """The person the text is about at ``sentence``; with ``gender`` ("f" / "m", from the
        pronoun), the latest topic whose gender is not known to differ ("she" after "Hillary
        Clinton ... Donald Trump ..." is Clinton); never one whose surname is in ``told``, the
        people the pronoun's own verb addresses ("Hannity asked Trump ... '...,' he told
        Hannity")."""
        if self.topic is None or sentence - self.topic_sentence > MAX_GAP:
            return None
        if not gender and not told:
            return self.topic
        for said_in, mention in reversed(self.history):
            if sentence - said_in > MAX_GAP:
                break
            if self.genders.get(mention.start, gender) == gender and _surname(mention) not in told:
                return mention
        return None

    def main_speaker(self, gender: str = "") -> Mention | None:
        """The person quoted most so far in the article (by surname), of
        the pronoun's gender when known: who a "he said" far from any name most likely is. A
        tie is no answer."""
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for said_in in sorted(self.spoke):
            mention = self.spoke[said_in]
            surname = _surname(mention) if mention.kind == "person" else ""
            if not surname:
                continue
            if gender and self.genders.get(mention.start, gender) != gender:
                continue
            counts[surname] = counts.get(surname, 0) + 1
            first.setdefault(surname, mention)
        if not counts:
            return None
        best = max(counts.values())
        leaders = [name for name in counts if counts[name] == best]
        return first[leaders[0]] if len(leaders) == 1 else None

    def learn_genders(self, doc: Doc, by_token: dict[int, Mention]) -> None:
        """Note the gender of this chunk's person mentions (see ``person_genders``)."""
        self.genders.update(person_genders(doc, by_token))

    def learn_roles(self, doc: Doc, by_token: dict[int, Mention]) -> None:
        """Note the roles this chunk gives named people (see ``person_roles``)."""
        for role, mention in person_roles(doc, by_token):
            self.roles.setdefault(role_word(role), []).append((role_modifiers(role), mention))

    def role_holder(self, role: Token, sentence: int) -> Mention | None:
        """The person last given ``role`` ("strategist") at or before ``sentence``, with every
        modifier the description has ("the Democratic nominee" is no "Republican nominee"); an
        office (role_nouns) held at the same time ("the governor" is no "former governor")."""
        noun, wanted = role_word(role), role_modifiers(role)
        office = noun in role_nouns()  # held by one at a time: "the governor" is no former one
        holders = [
            mention
            for modifiers, mention in self.roles.get(noun, ())
            if mention.sentence <= sentence
            and wanted <= modifiers
            and not (office and wanted & TENSE_MODIFIERS != modifiers & TENSE_MODIFIERS)
            and wanted & RANK_MODIFIERS == modifiers & RANK_MODIFIERS
        ]
        return max(holders, key=lambda m: m.start) if holders else None

    def holds_another_office(self, person: Mention, role: Token) -> bool:
        """Whether ``role`` names a government office and the text gave ``person`` a role
        other than that office: "the prime minister" is not "Home Secretary Charles Clarke",
        "the chancellor" not "shadow chancellor Oliver Letwin" (one such office at a time), nor
        "Tory MP Boris Johnson" or "BBC political correspondent Mark Mardell" (BBC-900: 6
        wrong speakers, of 85 office descriptions). A bare "the minister" may be any of them
        ("Education Secretary Ruth Kelly")."""
        noun, wanted = role_word(role), role_modifiers(role)
        if noun not in GOVERNMENT_OFFICES or (noun == "minister" and not wanted & HEADS):
            return False
        if wanted & TENSE_MODIFIERS:
            return False  # "the former president" may hold any office now
        given = [
            (office, modifiers)
            for office, holders in self.roles.items()
            for modifiers, holder in holders
            if holder.start == person.start or compatible_persons(holder.text, person.text)
            if not modifiers & TENSE_MODIFIERS
        ]
        return bool(given) and not any(
            office == noun
            and modifiers & RANK_MODIFIERS == wanted & RANK_MODIFIERS
            and modifiers & HEADS == wanted & HEADS
            for office, modifiers in given
        )

    def _same(self, mention: Mention, quote: Quote) -> bool:
        """Whether ``mention`` names the speaker of ``quote`` (the same mention, or another
        mention of the same surname: "Roloson supports Clinton." goes on about Melissa Roloson)."""
        if quote.speaker is None:
            return False
        speaker = self.named.get(quote.speaker.start)
        if mention.start == quote.speaker.start or speaker is None:
            return mention.start == quote.speaker.start
        return person_parts(mention.text)[1] == person_parts(speaker.text)[1]

    def introducer(self, sentence: int) -> Mention | None:
        """The person or organization the sentence before ``sentence`` is about: who a
        paragraph of quoted words with no cue, opening right after that sentence's paragraph
        (the caller checks), most likely speaks ("Valastro praised Christie's leadership." then
        '"We need someone who ..."'); not after a sentence
        with a quote in it, where who spoke last matters ('"..." ― Veronica Cruz' then a quote
        signed by the next reader)."""
        if sentence - 1 in self.spoke or sentence - 1 in self.owning:
            return None  # (nor an owner: "With Clinton, FBI's bad rep grows." then a quote)
        return self.subjects.get(sentence - 1)

    def continues(self, previous: Quote, sentence: int) -> bool:
        """True when nobody else spoke or became the subject since ``previous``."""
        if sentence - previous.sentence > CONTINUATION_GAP:
            return False
        for s in range(previous.sentence + 1, sentence + 1):
            other = self.subjects.get(s)
            if other is not None and other.kind == "person" and not self._same(other, previous):
                return False
            said = self.spoke.get(s)
            if said is not None and not self._same(said, previous):
                return False
        return True


@dataclass
class SentenceSubjects:
    """What ``build_salience`` found in a chunk: each sentence's topical subject; the sentences
    whose subject is an organization that did not speak ("The SEC unveiled two settlements":
    a later "it said" is the SEC's, a "they said" is not); the sentences where a thing with no
    name speaks ("the report says": a later "it" is the report)."""

    subjects: dict[int, Mention]
    quiet: set[int]
    things: set[int]
    owning: set[int] = field(default_factory=set)  # subjects an organization owns


def build_salience(
    doc: Doc,
    mentions_by_token: dict[int, Mention],
    sentence_of: dict[int, int],
    reporting: frozenset[str],
    keepers: dict[int, Token],
) -> SentenceSubjects:
    """The topical subject of each sentence of a chunk (see module docstring): a person who
    speaks in it (subject of a reporting verb), else the person subject of its main verb, else
    of another verb; an organization when it speaks or is the main verb's subject (what a later
    "it said" refers to). Words inside quote marks are the speaker's, not the narrative's: they
    set no topic. ``keepers`` is ``topic_keepers(doc, sentence_of)``: those sentences keep the
    topic."""
    marks = marks_of_tokens(doc)
    speaks = _speech_verbs(doc, reporting)
    deps = columns.strings(doc, "DEP")
    # a subject names a topic only through its mention, or through a person in apposition
    # ("Sanders's campaign manager, Jeff Weaver, appeared ...")
    named = {i for i in mentions_by_token if deps[i] in SUBJECT_DEPS}
    named.update(
        doc[i].head.i
        for i in mentions_by_token
        if deps[i] == "appos" and doc[i].head.dep_ in SUBJECT_DEPS
    )
    named.update(i for i in mentions_by_token if deps[i] == "appos" and _stranded_subject(doc[i]))
    best: dict[int, tuple[int, Mention]] = {}  # sentence start -> its best so far
    for start in sentence_of:  # "As for Trump, he said ...": the sentence is about him
        fronted = _fronted_topic(doc[start], mentions_by_token)
        if fronted is not None:
            best[start] = (-1, fronted)
    for i in sorted({*compress(range(len(speaks)), speaks), *named}):
        if marks[i] is not None:
            continue  # '"Obama failed us," he said': who a quote talks about is no topic
        start = sentence_start(doc, i)
        if start in keepers:
            continue  # "He said that Cruz lied": the topic is still whom "he" refers to
        ranked = _ranked_subject(doc[i], speaks[i], mentions_by_token)
        if ranked is not None and (start not in best or ranked[0] < best[start][0]):
            best[start] = ranked
    for i, mention in mentions_by_token.items():
        # "Heineken's net income fell ... It blamed weak demand": an organization whose
        # possession is the main verb's subject, or which is behind the main clause, is what
        # a later "it" takes up, when nothing else in the sentence is
        if mention.kind != "organization" or marks[i] is not None:
            continue
        start = sentence_start(doc, i)
        if start in best or start in keepers:
            continue
        if _owns_the_subject(doc[i]) or _behind_the_main_clause(doc[i]):
            best[start] = (_OWNING_ORGANIZATION, mention)
    things = set()
    for i in compress(range(len(speaks)), speaks):
        subject, _ = cue_subject(doc[i])
        if (
            subject is not None
            and marks[i] is None
            and subject.i not in mentions_by_token
            and subject.lemma_.lower() in _THINGS
        ):
            things.add(sentence_of[sentence_start(doc, i)])
    return SentenceSubjects(
        {sentence_of[start]: ranked[1] for start, ranked in best.items()},
        {sentence_of[start] for start, ranked in best.items() if ranked[0] >= _QUIET_ORGANIZATION},
        things,
        {sentence_of[start] for start, ranked in best.items() if ranked[0] == _OWNING_ORGANIZATION},
    )


_QUIET_ORGANIZATION = 4  # the rank of an organization subject of the main verb (_ranked_subject)
_OWNING_ORGANIZATION = 5  # an organization whose possession is that subject


def _stranded_subject(token: Token) -> bool:
    """Whether a name right before a main verb that has no subject is that subject, which the
    parser hung on a phrase before it ("On the outskirts of Kyoto, 83-year-old Yuji Shimizu
    contemplates ...": Shimizu in apposition with Kyoto)."""
    doc, after = token.doc, token.i + 1
    if token.dep_ != "appos" or after >= len(doc):
        return False
    verb = doc[after]
    return (
        verb.dep_ == "ROOT"
        and verb.tag_ in ("VBZ", "VBD", "VBP")
        and not any(c.dep_ in SUBJECT_DEPS or c.dep_ == "expl" for c in verb.children)
    )


def _owns_the_subject(token: Token) -> bool:
    """Whether ``token`` (an organization's word) is the possessive on the subject of its
    sentence's main verb ("Heineken's net income fell", "The company's shares tumbled")."""
    subject = token.head
    return token.dep_ == "poss" and subject.dep_ in SUBJECT_DEPS and subject.head.dep_ == "ROOT"


def _behind_the_main_clause(token: Token) -> bool:
    """Whether ``token`` (an organization's word) did what the sentence reports without being
    its main verb's subject: the agent of a passive main verb ("The figures were prepared by
    Alva. It found ...") or the subject of a clause on the main verb ("There was an outcry when
    the Sentencing Guidelines Council published its proposals. It had suggested ...")."""
    head = token.head
    if token.dep_ == "pobj":
        return head.dep_ == "agent" and head.head.dep_ == "ROOT"
    return token.dep_ == "nsubj" and head.dep_ == "advcl" and head.head.dep_ == "ROOT"


def _fronted_topic(first: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The person a sentence opens by naming as its topic: "As for Trump, ...", "For Major, a
    retiree, ..."."""
    named = _fronted(first)
    mention = by_token.get(named.i) if named is not None else None
    return mention if mention is not None and mention.kind == "person" else None


def _fronted(first: Token) -> Token | None:
    """The object of a sentence-opening "As for X," / "For X," (``first``: the sentence's
    first token)."""
    doc = first.doc
    while first.is_space and first.i + 1 < len(doc):
        first = doc[first.i + 1]
    prep = first.i + 1 if first.lower_ == "as" else first.i
    if prep + 1 >= len(doc) or doc[prep].lower_ != "for":
        return None
    for child in doc[prep].children:
        if child.dep_ == "pobj":
            edge = child.right_edge  # the comma that closes the phrase, or the word before it
            closed = edge.text == "," or edge.i + 1 < len(doc) and doc[edge.i + 1].text == ","
            return child if closed else None
    return None


def topic_keeper(first: Token) -> Token | None:
    """The subject of the main clause of ``first``'s sentence when it is "he" / "she" or a
    definite role ("the governor", or the owner in "the president's Pacific roots"): the
    sentence goes on about the topic (or the holder of that role), and the people its other
    clauses name do not take it over ("He said that Cruz lied")."""
    root = sentence(first).root
    for child in root.children:
        if child.dep_ not in SUBJECT_DEPS:
            continue
        if child.lower_ in ("he", "she"):
            return child
        owner = next((c for c in child.children if c.dep_ == "poss"), None)
        described = owner if owner is not None and owner.pos_ == "NOUN" else child
        definite = _definite(described)
        return described if definite and described.lemma_.lower() in role_nouns() else None
    return None


def topic_keepers(doc: Doc, sentence_of: dict[int, int]) -> dict[int, Token]:
    """Sentence start -> its main clause's subject, for the sentences that keep the topic (see
    topic_keeper)."""
    found = ((start, topic_keeper(doc[start])) for start in sentence_of)
    return {start: keeper for start, keeper in found if keeper is not None}


def described_topics(keepers: dict[int, Token], sentence_of: dict[int, int]) -> dict[int, Token]:
    """Sentence -> the definite role that is its main clause's subject (of ``topic_keepers``)."""
    return {sentence_of[s]: keeper for s, keeper in keepers.items() if keeper.pos_ != "PRON"}


def _speech_verbs(doc: Doc, reporting: frozenset[str]) -> list[bool]:
    """Per token: a verb whose lemma is in ``reporting`` (read from the doc's columns)."""
    lemmas, poses = columns.strings(doc, "LEMMA"), columns.strings(doc, "POS")
    said = {lemma for lemma in set(lemmas) if lemma.lower() in reporting}
    speaks = list(map(said.__contains__, lemmas))
    for i in compress(range(len(speaks)), speaks):
        speaks[i] = poses[i] in ("VERB", "AUX")
    return speaks


def _ranked_subject(
    token: Token, speaks: bool, mentions_by_token: dict[int, Mention]
) -> tuple[int, Mention] | None:
    """The person or organization ``token`` puts forward as its sentence's topic, and its rank
    (lower is better): the subject of a speech verb, else a person or organization subject of
    the main verb, else a person subject of another verb; organizations rank after people."""
    if speaks:
        subject, _ = cue_subject(token)
        mention = speaker_of(subject, mentions_by_token)[0] if subject is not None else None
        rank = 0
    else:
        mention = mentions_by_token.get(token.i) or _appositive(token, mentions_by_token)
        rank = 1 if token.head.dep_ == "ROOT" or _stranded_subject(token) else 2
        if mention is not None and mention.kind != "person" and rank != 1:
            return None  # ("The SEC unveiled two settlements ... it said": the SEC, below)
    if mention is None or mention.kind not in ("person", "organization"):
        return None
    return rank + (3 if mention.kind != "person" else 0), mention


# nouns naming a work: a title may follow them after a comma ("his 2012 book, 'An American
# Son.'"), and a name in apposition with them is the work's ("The film, A Different Story, ...")
WORK_NOUNS = frozenset({
    "album", "book", "column", "documentary", "episode", "essay", "film", "headline", "memoir",
    "movie", "musical", "novel", "opera", "play", "podcast", "poem", "program", "programme",
    "series", "show", "single", "slogan", "song", "title",
})  # fmt: skip


def _appositive(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The person a singular noun is in apposition with ("the campaign manager, Jeff Weaver";
    not "my parents, James and Olive", nor a work's title the NER took for a person: "The film,
    A Different Story, chronicles ...")."""
    if token.tag_ in ("NNS", "NNPS") or token.lemma_.lower() in WORK_NOUNS:
        return None
    for child in token.children:
        mention = by_token.get(child.i) if child.dep_ == "appos" else None
        if mention is not None and mention.kind == "person":
            return mention
    return None


def resolve_pronoun(
    token: Token, by_token: dict[int, Mention], salience: Salience, cue: Token | None
) -> Mention | None:
    """The mention a pronoun (or bare description) subject refers to, or None when unsure."""
    word = token.lower_
    if word == "they" and _plural_before(token, by_token, cue):
        return None  # "The minister has urged councils to limit rises but they have warned"
    if word == "it" and token.dep_ == "nsubjpass":
        return None  # "It is estimated that ...", "it is thought ...": nobody's words
    if word in GROUP_PRONOUNS:
        # "Boeing apologised publicly - although it claimed ...": this sentence's organization
        earlier = _same_sentence_subject(token, by_token, cue, kind="organization")
        if earlier is not None:
            return earlier
        recent = salience.position + 1 - salience.group_sentence <= GROUP_GAP
        if word == "they" and salience.group_sentence in salience.quiet:
            return None  # "The court ruled ... They also say": the firms, whom no name holds
        if word == "it" and salience.thing_sentence > salience.group_sentence:
            return None  # "..., the report says. It also points out": the report
        return salience.group if recent else None
    if token.pos_ == "PRON" and word not in PERSON_PRONOUNS | {"his"}:
        return None  # "I", "we", "you": the speaker is inside the quote's world
    gender = PRONOUN_GENDER.get(word, "")
    ahead = _cataphor(token, by_token, salience.genders, gender)
    if ahead is not None:
        return ahead
    earlier = _same_sentence_subject(token, by_token, cue, salience.genders, gender)
    if earlier is not None:
        return earlier
    sentence = salience.position + 1
    voice = salience.voice(sentence, gender)
    if voice is not None:
        return voice  # "A spokeswoman for Human Rights Watch said ... She added": not a person
    told = _told(cue, by_token)
    topic = salience.current(sentence, gender, told)
    if topic is None and gender:
        topic = _nearest_of_gender(token, by_token, salience.genders, gender, sentence)
        topic = None if topic is not None and _surname(topic) in told else topic
    if topic is not None:
        return topic
    speaker = salience.main_speaker(gender)
    return None if speaker is not None and _surname(speaker) in told else speaker


_NOT_REFERENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY"})


def _plural_before(token: Token, by_token: dict[int, Mention], cue: Token | None) -> bool:
    """Whether a plural common noun that no name holds is a subject or an object earlier in the
    pronoun's sentence, outside quote marks and what the cue reports ("has urged councils ...
    but they have warned"): what "they" takes up, not an organization named before."""
    quoted = marks_of_tokens(token.doc)
    content = _reported_content(cue) if cue is not None else set()
    sent = sentence(token)
    return any(
        t.tag_ == "NNS"
        and t.dep_ in ("nsubj", "nsubjpass", "dobj", "dative")
        and t.ent_type_ not in _NOT_REFERENTS
        and t.i not in by_token
        and t.i not in content
        and quoted[t.i] is None
        for t in sent[: token.i - sent.start]
    )


def _told(cue: Token | None, by_token: dict[int, Mention]) -> frozenset[str]:
    """Surnames of the people a cue is addressed to ("he told Hannity"): not who "he" is."""
    if cue is None:
        return frozenset()
    people = (by_token.get(t.i) for t in addressee_tokens(cue))
    return frozenset(_surname(m) for m in people if m is not None and m.kind == "person")


def _surname(mention: Mention) -> str:
    return person_parts(mention.text)[1]


_SUBORDINATORS = frozenset(
    {"while", "when", "although", "though", "as", "after", "before", "since", "because", "once"}
)


def _cataphor(
    token: Token, by_token: dict[int, Mention], genders: dict[int, str], gender: str
) -> Mention | None:
    """ "While he acknowledged X, General Carter Ham noted Y": a pronoun in a subordinate clause
    that opens the sentence refers to the person subject of the main clause after the comma."""
    sent = token.sent
    if sent[0].lower_ not in _SUBORDINATORS or token.i - sent.start > 3:
        return None
    comma = next((t.i for t in sent if t.i > token.i and t.text == ","), None)
    if comma is None:
        return None
    for t in token.doc[comma + 1 : sent.end]:
        mention = by_token.get(t.i)
        if mention is not None and mention.kind == "person" and t.dep_ == "nsubj":
            known = genders.get(mention.start, "")
            return mention if not known or not gender or known == gender else None
        if t.dep_ == "nsubj":
            return None  # the main clause's subject is somebody else
    return None


def _nearest_of_gender(
    token: Token, by_token: dict[int, Mention], genders: dict[int, str], gender: str, sentence: int
) -> Mention | None:
    """No topic fits the pronoun: the nearest earlier person known to be of its gender, in this
    sentence or the one before ("Donald Trump attacked Hillary Clinton. She said ...")."""
    for i in sorted((i for i in by_token if i < token.i), reverse=True):
        mention = by_token[i]
        if mention.sentence < sentence - 1:
            break
        in_a_clause = any(a.pos_ in ("VERB", "AUX") for a in token.doc[i].ancestors)
        if mention.kind == "person" and genders.get(mention.start) == gender and in_a_clause:
            return mention  # a clause's argument, not a byline or a caption's bare name
    return None


def _same_sentence_subject(
    token: Token,
    by_token: dict[int, Mention],
    cue: Token | None,
    genders: dict[int, str] | None = None,
    gender: str = "",
    kind: str = "person",
) -> Mention | None:
    """A person (or ``kind``) who is the subject (or the possessor of the subject) of an earlier
    main or reporting clause of this sentence, outside the reported content, of the pronoun's
    gender when known."""
    genders = genders or {}
    content = _reported_content(cue) if cue is not None else set()

    sent = sentence(token)
    for earlier in reversed(sent[: token.i - sent.start]):
        introduces = _introduces_with_colon(earlier)
        if not introduces and (earlier.i in content or not _topical(earlier)):
            continue
        mention = by_token.get(earlier.i)
        if mention is not None and mention.kind == kind:
            if gender and genders.get(mention.start, gender) != gender:
                continue
            return mention
    return None


def _introduces_with_colon(token: Token) -> bool:
    """The subject of a clause that ends in a colon and a quote mark ('Fallon fired back: "...,"
    he wrote'): the clause introduces the quote, whatever the parser made of it."""
    if token.dep_ not in SUBJECT_DEPS or token.head.pos_ != "VERB":
        return False
    doc, end = token.doc, token.head.i + 1
    while end < len(doc) and doc[end].dep_ in ("advmod", "prt") and doc[end].head == token.head:
        end += 1
    return end + 1 < len(doc) and doc[end].text == ":" and doc[end + 1].is_quote


def _topical(token: Token) -> bool:
    """Subject of the main verb or of a speech verb; or possessor of such a subject ("X's claims")."""
    from kg.attribution import cue_nouns, reporting_verbs

    if token.dep_ == "poss":
        head = token.head
        return head.lemma_.lower() in cue_nouns() or (
            head.dep_ in SUBJECT_DEPS and _main_or_speech(head.head, reporting_verbs())
        )
    if token.dep_ == "pobj" and token.head.lower_ == "for":  # "As for Trump, he said ..."
        return _fronted(sentence(token)[0]) == token
    # whose shares: "Shares in UK Coal have fallen after the mining group reported ...",
    # "Qantas shares fell after it warned ..."
    shares = None
    if token.dep_ == "pobj" and token.head.lower_ in ("in", "of"):
        shares = token.head.head
    elif token.dep_ == "compound":
        shares = token.head
    if shares is not None:
        return (
            shares.lower_ == "shares"
            and shares.dep_ in SUBJECT_DEPS
            and _main_or_speech(shares.head, reporting_verbs())
        )
    return token.dep_ in SUBJECT_DEPS and _main_or_speech(token.head, reporting_verbs())


def _main_or_speech(verb: Token, reporting: frozenset[str]) -> bool:
    return verb.dep_ == "ROOT" or verb.lemma_.lower() in reporting


def _reported_content(cue: Token) -> set[int]:
    """Token indices of what the cue reports (its complement, or the host clause of a parenthetical)."""
    if cue.dep_ == "parataxis":
        own = {t.i for t in cue.subtree}
        return {t.i for t in cue.head.subtree} - own
    content: set[int] = set()
    for child in cue.children:
        if child.dep_ == "ccomp":
            content.update(t.i for t in child.subtree)
    return content


# --- gender, to tell "he" from "she" ----------------------------------------------------------

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
GENDERED_TITLES = {
    "mr": "m", "mr.": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "father": "m",
    "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "madam": "f", "madame": "f",
    "dame": "f", "lady": "f", "queen": "f", "princess": "f", "sister": "f",
    "congressman": "m", "congresswoman": "f", "chairman": "m", "chairwoman": "f",
    "spokesman": "m", "spokeswoman": "f", "businessman": "m", "businesswoman": "f",
}  # fmt: skip


def person_roles(doc: Doc, by_token: dict[int, Mention]) -> list[tuple[Token, Mention]]:
    """(role noun, person) for the roles the text gives a named person: an apposition ("David
    Axelrod, Obama's former campaign strategist"; "the physicist, James Acton") or a title noun
    before the name ("campaign strategist David Axelrod"). A later "the strategist" or "Obama's
    former campaign strategist" is that person (resolve_description). Reads the doc's columns:
    only appositions and compounds become Token objects."""
    deps = columns.strings(doc, "DEP")
    named: dict[int, int] = {}  # a token -> its first appositive child that is a mention
    for j in compress(range(len(deps)), map("appos".__eq__, deps)):
        if j in by_token:
            named.setdefault(doc[j].head.i, j)
    # "The Bishop of Durham, Tom Wright,": the parser hung the name on the place; no person is
    # in apposition with a place or a body, so the name is the office's
    for p, j in list(named.items()):
        body = by_token.get(p)
        if body is not None and body.kind in ("place", "organization") and deps[p] == "pobj":
            post = doc[p].head.head
            if doc[p].head.lower_ in ("of", "for", "at") and post.i not in named:
                named[post.i] = j
    linked = compress(range(len(deps)), map(_ROLE_LINKS.__contains__, deps))
    poses, texts = columns.strings(doc, "POS"), columns.strings(doc, "ORTH")
    found: list[tuple[Token, Mention]] = []
    for i in sorted({*linked, *named}):
        # a capitalized title noun names an office too: "President Barack Obama", "Adm. Harris"
        # ... and so does one a name is in apposition with ("The Bishop of Durham, Tom Wright")
        office = (deps[i] == "compound" or i in named) and role_word(doc[i]) in role_nouns()
        if (poses[i] != "NOUN" or not texts[i][:1].islower()) and not office:
            continue
        token = doc[i]
        if token.tag_ in ("NNS", "NNPS"):
            continue  # "Lords wrong on detainees - Straw": no one person's role
        person = None
        if deps[i] == "appos" or deps[i] == "compound" and token.head.i > i:
            person = by_token.get(token.head.i)
        if person is None and i in named:
            person = by_token[named[i]]
        if person is not None and person.kind == "person" and token.lower_ not in voice_nouns():
            found.append((token, person))
    return found


_ROLE_LINKS = frozenset({"appos", "compound"})
# the short forms of offices written before a name ("Adm. Harry Harris", "Gov. Chris Christie")
_SHORT_OFFICES = {
    "adm": "admiral", "capt": "captain", "col": "colonel", "cmdr": "commander",
    "gov": "governor", "sen": "senator", "sgt": "sergeant",
}  # fmt: skip


def role_word(role: Token) -> str:
    """The role a noun names, in full ("Adm." is "admiral", "governors" "governor")."""
    text = role.lower_.rstrip(".")
    return _SHORT_OFFICES.get(text, role.lemma_.lower())


ROLE_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "nummod", "poss"})
# An office held at another time is another office: "the governor" is not "the former governor".
# "the president" is not the vice president, "the director" not the deputy director, "the
# chancellor" not the shadow chancellor
RANK_MODIFIERS = frozenset({"vice", "deputy", "assistant", "associate", "under", "lieutenant", "co", "shadow"})  # fmt: skip
TENSE_MODIFIERS = frozenset({"former", "ex", "late", "then", "onetime", "future", "incoming", "outgoing", "acting", "interim"})  # fmt: skip


# Offices a person holds one of at a time (see Salience.holds_another_office); "prime" or
# "first" minister heads a government, a bare minister may hold any portfolio
GOVERNMENT_OFFICES = frozenset({"president", "premier", "chancellor", "minister", "secretary",
                                "mayor", "governor", "commissioner"})  # fmt: skip
HEADS = frozenset({"prime", "first"})


def role_modifiers(role: Token) -> frozenset[str]:
    """The lower-cased words that narrow a role noun ("Democratic", "presidential", "Obama's")."""
    return frozenset(
        t.lower_ for c in role.children if c.dep_ in ROLE_MODIFIER_DEPS for t in c.subtree
    )


def person_genders(doc: Doc, by_token: dict[int, Mention]) -> dict[int, str]:
    """Mention start -> "f" / "m" for this chunk's person mentions: from a gendered title before
    or in the name ("Mrs. Clinton", "Congresswoman Waters") or the given name of the fullest form
    of the name in the chunk ("Clinton" after "Hillary Clinton"). Evidence that disagrees (two
    Clintons, or Mr. and Mrs.) leaves the bare surname unknown; "Hillary Clinton" stays "f"."""
    from unidecode import unidecode

    people: dict[int, Mention] = {}
    first_token: dict[int, int] = {}
    for i, mention in sorted(by_token.items()):
        if mention.kind == "person" and mention.start not in people:
            people[mention.start] = mention
            first_token[mention.start] = i
    by_surname: dict[str, set[str]] = {}
    surname_of: dict[int, str] = {}
    own: dict[int, str] = {}  # what the mention itself says: "Mrs. Clinton", "Hillary Clinton"
    for start, mention in people.items():
        words = [
            w for w in unidecode(mention.text).lower().replace("'s", "").split() if w.isalpha()
        ]
        if not words:
            continue
        surname_of[start] = words[-1]
        before = doc[first_token[start] - 1].lower_ if first_token[start] > 0 else ""
        for word in (before, *words[:-1]):
            if word in GENDERED_TITLES:
                own[start] = GENDERED_TITLES[word]
                break
        else:  # "Dr Patricia McFeeley": the given name after the honorific
            given = [w for w in words[:-1] if not is_honorific(w)]
            own[start] = given_name_gender(given[0]) if given else ""
        if own[start]:
            by_surname.setdefault(words[-1], set()).add(own[start])
    # a bare surname takes the gender of the fuller forms when they agree (two Clintons: unknown)
    consensus = {name: next(iter(seen)) for name, seen in by_surname.items() if len(seen) == 1}
    surnames = {name for start, name in surname_of.items() if " " in people[start].text.strip()}
    # ... and the single words the NER cut from a longer name ("Dahlys Hamilton" as "Hamilton")
    surnames |= {
        name
        for start, name in surname_of.items()
        if (i := first_token[start]) > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].is_alpha
    }
    genders = {
        start: own[start] or consensus.get(name, "") or _first_name_gender(name, surnames)
        for start, name in surname_of.items()
    }
    return {start: gender for start, gender in genders.items() if gender}


def _first_name_gender(word: str, surnames: set[str]) -> str:
    """ "Melanie said ...": a person named by a given name alone, which is nobody's surname in
    the article, is of that name's gender."""
    return "" if word in surnames else given_name_gender(word)


# --- from a speaker token to a mention -------------------------------------------------------

SPEAKER_KINDS = frozenset({"person", "organization", "place"})
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})
VOICE_GENDER = {"spokesman": "m", "spokeswoman": "f"}
VOICE_OWNER_DEPS = frozenset({"poss", "compound"})
VOICE_OWNER_PREPS = frozenset({"for", "of", "by", "from"})


@cache
def voice_nouns() -> frozenset[str]:
    """Spokespeople and works that speak for their owner (kg/data/quotes_voice_nouns.txt)."""
    from kg.attribution import read_lexicon

    return read_lexicon("quotes_voice_nouns.txt")


def mention_index(doc: Doc, offset: int, mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it (mentions of this chunk only)."""
    index: dict[int, Mention] = {}
    for m in mentions:
        tokens = columns.token_range(doc, m.start - offset, m.end - offset, expand=True)
        for i in tokens or ():
            index[i] = m
    return index


def speaker_of(token: Token, by_token: dict[int, Mention]) -> tuple[Mention | None, str]:
    """The mention a subject token names: itself, a name in its noun phrase ("Rep. X",
    "Mark Jones, a political scientist", "the campaign spokesman, Brian Fallon"), or the
    person or organization a spokesperson or a work speaks for ("the company's spokesman",
    "an analysis by Lily Batchelder"; see ``_voice_owner``)."""
    if token.i in by_token:
        mention = by_token[token.i]
        if mention.kind == "place" and mention.text.isupper():
            if len(mention.text) > 3:
                # "WASHINGTON — ..." is no speaker ("The US said", "the UAE said" are)
                return _after_dateline(token, by_token), ""
            if _in_parentheses(token) or _after_a_place(token, by_token):
                # "Gov. John Kasich (R-OH), said": a party and a state; "in Berea, OH, ...": an
                # address
                return None, ""
        if (mention.label == "NORP" or mention.kind == "place") and _one_of_a_people(token):
            return None, ""  # "the Texan said": a person, not Texas ("the Saudis" are Saudi Arabia)
        if mention.kind == "organization":
            # "The Lord Chancellor, Lord Falconer, agreed": the person in apposition with an
            # office the NER took for an organization
            for child in token.children:
                named = by_token.get(child.i) if child.dep_ == "appos" else None
                if named is not None and named.kind == "person":
                    return named, ""
            member = _named_member(token, by_token)
            if member is not None:
                return member, ""
        return mention, ""
    # "Rep. G.K. Butterfield", "Mark Jones, a political scientist"; but "U.S. officials" are
    # not the United States: a common noun takes a name only from an apposition.
    deps: tuple[str, ...] = ("appos",)
    if token.pos_ == "PROPN":
        deps = ("compound", "appos", "flat", "nmod")
    if token.pos_ == "NOUN" and token.lemma_.lower() in WORK_NOUNS:
        deps = ()  # "a new book, Brown's Britain": the apposition is the work's title
    linked = [c for c in token.children if c.dep_ in deps]
    names = [by_token.get(c.i) for c in linked]
    # ("Scottish Finance Minister, Tom McCabe MSP, said": the name hangs on the letters)
    names += [
        m
        for c in linked
        if c.dep_ == "appos"
        for g in c.children
        if g.dep_ == "compound" and (m := by_token.get(g.i)) is not None and m.kind == "person"
    ]
    # "the district GOP Chairman Chuck Williams": the person who holds the title, not its body
    found = [m for m in names if m is not None and m.kind in SPEAKER_KINDS]
    if token.lower_ in PARTY_WORDS:
        found = [m for m in found if m.kind != "place"]  # "an Iowa Republican": not Iowa
    if found:
        return next((m for m in found if m.kind == "person"), found[0]), ""
    if token.pos_ == "NOUN":
        holder = _post_holder(token, by_token) or _named_business(token, by_token)
        if holder is not None:
            return holder, ""
    if token.tag_ == "NNS":
        example = _one_example(token, by_token)
        if example is not None:
            return example, ""
    holder = _long_title_holder(token, by_token) or _field_title_holder(token, by_token)
    if holder is not None:
        return holder, ""
    if token.lower_ == "government":
        # "the Indian government said", "the US government", "Britain's government": the country
        for child in token.children:
            named = (
                by_token.get(child.i)
                if child.dep_ in ("amod", "compound", "poss", "nmod")
                else None
            )
            if named is not None and named.kind == "place":
                return named, ""
    if token.lower_ in _PLACE_BODIES:
        # "The city of Phoenix is demanding ...", "the government of Mexico": the place
        for of in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (c for c in of.children if c.dep_ == "pobj"):
                named = by_token.get(obj.i)
                if named is not None and named.kind == "place":
                    return named, ""
    if token.pos_ == "NOUN" and (
        token.lower_ in voice_nouns() or token.lemma_.lower() in voice_nouns()
    ):
        named = _voice_owner(token, by_token)
        if named is not None:
            return named, "+spokesperson" if token.lower_ in SPOKESPEOPLE else "+author"
    return None, ""


# a place's own body, which speaks for the place: "the city of Phoenix", "the state of Texas"
_PLACE_BODIES = frozenset({
    "borough", "city", "county", "government", "kingdom", "municipality", "province", "republic",
    "state", "town", "village",
})  # fmt: skip

# posts a name set off after the post's phrase fills (besides role_nouns)
_POSTS = frozenset({
    "adviser", "advisor", "agent", "aide", "attorney", "chief", "controller", "counsel", "dean",
    "editor", "head", "inspector", "lawyer", "organiser", "organizer", "owner", "principal",
    "professor", "publisher", "spokesman", "spokeswoman", "spokesperson", "superintendent",
})  # fmt: skip
# nouns naming a person whom an apposition hung on them names ("the mother of the actress, Lana")
_PERSON_NOUNS = frozenset({
    "boy", "brother", "child", "colleague", "daughter", "father", "friend", "girl", "husband",
    "man", "mother", "parent", "partner", "sister", "son", "victim", "widow", "wife", "woman",
})  # fmt: skip


def _post_holder(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """ "ITV's controller of entertainment, Claudia Rosencrantz, said", "The author of the book,
    Mitchell Zuckoff, said": a person set off by a comma after a post's "of" phrase holds the
    post, though the parser hung the name on the phrase's noun, when that noun names no person
    ("the mother of the actress, Lana Clarkson," is not Lana Clarkson; "a spokesman for the
    prosecutor, Alan Hevesi," speaks for Hevesi)."""
    posts = role_nouns() | _POSTS
    if token.lemma_.lower() not in posts | _PERSON_NOUNS or token.tag_ != "NN":
        return None
    for t in token.subtree:
        mention = by_token.get(t.i) if t.i > token.i and t.dep_ == "appos" else None
        if mention is None or mention.kind != "person":
            continue
        host = t.head
        prep = host.head
        if host.dep_ != "pobj" or prep.head.i != token.i:
            return None
        body = by_token.get(host.i)
        if body is not None and body.kind in ("organization", "place"):
            # "The chief executive of Apple, Tim Cook,", "His former business partner at
            # Lenox, Lawrence B. Cummings,": no person is in apposition with a company or a place
            if prep.lower_ not in ("of", "at", "for", "with", "in"):
                return None
        elif token.lemma_.lower() not in posts:
            return None
        elif host.i in by_token or host.ent_type_ or host.pos_ != "NOUN" or prep.lower_ != "of":
            return None  # "a spokesman for the prosecutor, Alan Hevesi": the principal
        elif host.lemma_.lower() in posts or host.lemma_.lower() in _PERSON_NOUNS:
            return None
        if t.left_edge.i == 0 or token.doc[t.left_edge.i - 1].text != ",":
            return None
        return mention
    return None


def _one_example(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """ "Proponents like Mr. Eisenbrey urged ...", "critics such as Paul Krugman say": the one
    person the plural names as its example speaks (not "candidates like Rubio and Cruz")."""
    for prep in token.children:
        such = any(c.lower_ == "such" for c in prep.children) or any(
            c.lower_ == "such" and c.i == prep.i - 1 for c in token.children
        )
        if prep.dep_ != "prep" or not (prep.lower_ == "like" or (prep.lower_ == "as" and such)):
            continue
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if len(objects) != 1 or any(c.dep_ == "conj" for c in objects[0].children):
            return None
        named = by_token.get(objects[0].i)
        return named if named is not None and named.kind == "person" else None
    return None


def _long_title_holder(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """ "Minister for Children, Young People and Families Margaret Hodge said": a title whose
    commas and "and" the parser read as a list of subjects; the person named at the end of the
    subject phrase, right after a capitalized word of the title, holds it. Not a second subject
    ("The minister and Tony Blair said": a list)."""
    if not _title_or_role(token):
        return None
    edge = token.right_edge
    named = by_token.get(edge.i)
    if named is None or named.kind != "person" or edge.i + 1 != token.head.i:
        return None
    link = edge
    while link.i != token.i:  # ("a top adviser for President Obama explained": Obama advises)
        if link.dep_ not in ("conj", "compound", "flat", "appos"):
            return None
        link = link.head
    first = next(i for i in range(edge.i, token.i, -1) if by_token.get(i - 1) is not named)
    before = token.doc[first - 1]
    if first - 1 <= token.i or not before.text[:1].isupper() or before.i in by_token:
        return None
    return named


def _title_or_role(token: Token) -> bool:
    """Whether ``token`` is a title written before names ("Minister") or a role noun."""
    return is_title_word(token.text) or token.lower_ in role_nouns()


def _field_title_holder(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """ "Labour's deputy minister for women Jacqui Smith said", "the secretary of state for
    culture Tessa Jowell": a title's "for" or "of" phrase whose field, a common noun, runs
    straight into a name holds it (not "a top adviser for President Obama", nor "a spokesman
    for Michael Howard": who the person works for; a spokesperson's "for" is the
    +spokesperson rule's)."""
    if token.lower_ in SPOKESPEOPLE or not _title_or_role(token):
        return None
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("for", "of"):
            continue
        for obj in prep.children:
            named = by_token.get(obj.i) if obj.dep_ == "pobj" else None
            owner = any(c.tag_ == "POS" for c in obj.children)
            if named is None or named.kind != "person" or owner:
                continue  # ("the head of Christian Brothers' school St Fintian's, Richard ...")
            first = obj.i
            while first > prep.i + 1 and by_token.get(first - 1) is named:
                first -= 1
            field = token.doc[first - 1]
            if (
                first - 1 > prep.i
                and field.tag_ in ("NN", "NNS", "NNP")
                and field.i not in by_token
                and not is_title_word(field.text)
            ):
                return named
    return None


def _named_business(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """ "The Boeing company said", "the Reuters news agency", "US Airways management",
    "Vodafone's management": the organization named before a business noun is who speaks (not
    a person: "the Obama administration" is not Obama)."""
    if token.lemma_.lower() not in _business_nouns():
        return None
    for child in token.children:
        if child.dep_ not in ("compound", "poss", "nmod") or child.i > token.i:
            continue
        named = by_token.get(child.i)
        if named is None and child.dep_ == "compound":  # "Reuters news agency"
            named = next(
                (by_token[c.i] for c in child.children if c.dep_ == "compound" and c.i in by_token),
                None,
            )
        if named is not None and named.kind == "organization":
            return named
    return None


_BUSINESS_PARTS = frozenset({"agency", "management"})


@cache
def _business_nouns() -> frozenset[str]:
    """Nouns after which a named organization speaks: business nouns, its parts, and news
    outlets ("Broadcast magazine said", "the BBC's website said")."""
    return company_nouns() | _BUSINESS_PARTS | _OUTLETS


def _after_a_place(token: Token, by_token: dict[int, Mention]) -> bool:
    """ "Berea, OH": a state's abbreviation after a town and a comma."""
    if token.i < 2 or token.doc[token.i - 1].text != ",":
        return False
    before = by_token.get(token.i - 2)
    return before is not None and before.kind == "place"


def _in_parentheses(token: Token) -> bool:
    for t in reversed(token.doc[token.sent.start : token.i]):
        if t.text in ("(", ")"):
            return t.text == "("
    return False


def _named_member(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """'said Air Force 1st Lt. Tyler Livingston', 'said Acme spokesman John Smith': a person
    named right after the organization a subject names (a rank or a title between) is who
    speaks."""
    org = by_token[token.i]
    i = token.i
    while i + 1 < len(token.doc) and by_token.get(i + 1) is org:
        i += 1
    doc = token.doc
    for j in range(i + 1, min(i + 5, len(doc))):
        title = is_honorific(doc[j].text)  # the splitter may cut at "Lt." too
        after_title = doc[j - 1].text == "." and is_honorific(doc[j - 2].text)
        if doc[j].is_sent_start and not (title or after_title):
            return None  # "according to the AP. Khoga was ...": another sentence
        mention = by_token.get(j)
        if mention is not None:
            return mention if mention.kind == "person" else None
        abbreviated = doc[j].text == "." and is_honorific(doc[j - 1].text)
        if not (doc[j].pos_ in ("PROPN", "NOUN") or abbreviated):
            return None
    return None


def _after_dateline(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """ "WASHINGTON — Former Attorney General Michael Mukasey said ...": the parser took the
    dateline for the subject; the speaker is the first person or organization named after it,
    before the verb; not the agency credited in parentheses ("LONDON (Reuters) - Donald Trump
    said ...")."""
    depth = 0
    for follower in token.doc[token.i + 1 : token.i + 15]:
        depth += (follower.text == "(") - (follower.text == ")")
        if follower.pos_ in ("VERB", "AUX"):
            break
        named = by_token.get(follower.i)
        if depth <= 0 and named is not None and named.kind in ("person", "organization"):
            return named
    return None


_AUTHOR_PREPS = frozenset({"by", "from"})  # who made a work, not whose it is ("Clinton's emails")


def _voice_owner(token: Token, by_token: dict[int, Mention], inner: bool = False) -> Mention | None:
    """Whom a spokesperson or a work speaks for: "the company's spokesman", "the IMF report",
    "a spokeswoman for Clinton", "an analysis by Lily Batchelder", "a complaint filed by the
    SEC" (a person or an organization, never "a report of violence"); through one more work
    named by authorship ("early results of exit polls conducted by Edison Research"; not "a
    review of Clinton's emails", whose author is not Clinton). ``inner``: only authors ("by",
    "from", "the Post-ABC poll"), not owners ("Clinton's emails")."""
    owners: list[Token] = []
    for child in token.children:
        if child.dep_ in VOICE_OWNER_DEPS and not (inner and child.dep_ == "poss"):
            owners.append(child)
        elif child.dep_ == "prep" and child.lower_ in (
            _AUTHOR_PREPS if inner else VOICE_OWNER_PREPS
        ):
            owners.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "acl" and child.tag_ == "VBN":  # "a report released by the Pentagon"
            for agent in (c for c in child.children if c.dep_ == "agent"):
                owners.extend(c for c in agent.children if c.dep_ == "pobj")
    if not inner and token.dep_ == "dobj" and token.head.lemma_ in _ISSUING:
        # "Trump released a marketing video that said ...": who issued the work, when the work
        # names no owner of its own
        owners += [c for c in token.head.children if c.dep_ == "nsubj"]
    for owner in owners:
        named = by_token.get(owner.i)
        if named is not None and named.kind in ("person", "organization"):
            return named
    if not inner:
        for owner in owners:
            if owner.i not in by_token and owner.lemma_.lower() in voice_nouns():
                named = _voice_owner(owner, by_token, inner=True)
                if named is not None:
                    return named
    return None


# verbs whose subject puts out the work that is their object
_ISSUING = frozenset({
    "air", "broadcast", "circulate", "file", "issue", "post", "publish", "release", "run", "send",
    "tweet", "unveil", "write",
})  # fmt: skip


def company_nouns() -> frozenset[str]:
    """ "company", "firm", "airline", ...: kg/data/company_nouns.txt."""
    from kg.attribution import read_lexicon

    return read_lexicon("company_nouns.txt")


def _plain(token: Token) -> bool:
    """A description that narrows nothing and speaks: "the firm said", not "the central bank"
    nor "the group were told"."""
    return token.dep_ != "nsubjpass" and not _modified(token)


def _organizations_before(
    token: Token, by_token: dict[int, Mention], start: int = 0
) -> Iterator[Mention]:
    """The organizations the text names from token ``start`` up to ``token``, outside quote
    marks, in order (one per token of their mentions)."""
    quoted = marks_of_tokens(token.doc)
    for i in range(start, token.i):
        mention = by_token.get(i) if quoted[i] is None else None
        if mention is not None and mention.kind == "organization":
            yield mention


def _sole_organization_before(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The one organization the text has named before ``token``, outside quote marks, when it
    has named no other: what "the firm" is when no organization was a subject lately ("Revenues
    at media group Reuters slipped 11%, the group said")."""
    found: Mention | None = None
    for mention in _organizations_before(token, by_token):
        if found is not None and mention.text != found.text:
            return None  # two organizations: "the firm" is either
        found = mention
    return found


def _other_organization_before(token: Token, group: Mention, by_token: dict[int, Mention]) -> bool:
    """An organization other than ``group`` named earlier in the description's sentence,
    outside quote marks."""
    organizations = _organizations_before(token, by_token, token.sent.start)
    return any(mention.text != group.text for mention in organizations)


# nouns that head the names of public bodies: "the committee" is the last committee the text
# named ("the House Ethics Committee"), "the commission" the last commission
_BODY_NOUNS = frozenset({
    "academy", "agency", "alliance", "assembly", "association", "authority", "board", "bureau",
    "center", "centre", "club", "college", "commission", "committee", "council", "court",
    "department", "federation", "forum", "foundation", "fund", "hospital", "institute",
    "ministry", "museum", "network", "office", "organisation", "organization", "panel", "party",
    "school", "service", "society", "tribunal", "trust", "union", "university", "watchdog",
})  # fmt: skip


def _named_body(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The organization named last before ``token`` whose name has ``token``'s noun as a word
    ("the committee" -> "the Senate Judiciary Committee"; "the party" -> "Labour" too), or
    None."""
    noun, doc = token.lemma_.lower(), token.doc
    for i in range(token.i - 1, -1, -1):
        mention = by_token.get(i)
        if mention is None and noun == "party" and _nameless_party(doc[i]):
            return None  # "The Liberal Democrats want ...": a party the NER left nameless
        if mention is None or mention.kind != "organization":
            continue
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", mention.text)}
        if noun in words or (noun == "party" and _a_party(words)):
            return mention
    return None


def _a_party(words: set[str]) -> bool:
    """Whether an organization's name words are a political party's name without the word
    "party" ("Labour", "the Liberal Democrats", "Tories", "UKIP"; not "Slough Conservative
    Association")."""
    known = PARTY_WORDS | _PARTY_NAMES
    named = words - {"the"}
    return bool(named) and all(
        w in known or w.removesuffix("s") in known or w[:-3] + "y" in known for w in named
    )


def _nameless_party(token: Token) -> bool:
    """ "Democrats", "Tories": a party's plural name the NER typed NORP, which no mention holds."""
    return (
        token.ent_type_ == "NORP" and token.tag_ in ("NNPS", "NNS") and _a_party({token.lower_})
    )


_PARTY_NAMES = frozenset({"ukip", "snp", "bnp", "greens", "lib", "dems"})


_GOVERNMENTS = frozenset({"government", "administration", "regime"})

# news outlets that "the <outlet>" takes up again ("US magazine Rolling Stone ... the magazine")
_OUTLETS = frozenset({
    "broadcaster", "channel", "daily", "magazine", "network", "newspaper", "paper", "station",
    "tabloid", "website", "weekly",
})  # fmt: skip


# outlets in print: "the paper" after "the FT reports" is the FT ("the network" after "The New
# York Times reported" is not the Times)
_PRINT = frozenset({"daily", "magazine", "newspaper", "paper", "tabloid", "weekly"})


def _may_print(role: str, organization: Mention) -> bool:
    """Whether ``organization`` may be what a print noun ("the newspaper", "the magazine")
    names: a publisher or agency kg knows, or a name with a word of a paper's name in it
    ("Financial Times", "Arab News", "the Mail"); not "the Conservative Party" or Qantas, that
    spoke lately. Any organization may be what another company noun names, and so "the paper",
    which may be a study ("according to the 2009 paper": its research centre)."""
    if role not in _PRINT or role == "paper":
        return True
    from kg.textmeta import lexicon

    words = lexicon()
    low = " ".join(organization.text.lower().split())
    return (
        low in words.publishers
        or low in words.agencies
        or any(w in words.outlet_words for w in re.findall(r"[a-z]+", low))
    )


def _earlier_outlet(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The organization named beside the last earlier mention of ``token``'s outlet noun
    ("magazine Rolling Stone", "Forbes magazine", "the newspaper, the Guardian"); None when that
    mention names none (it may be another outlet)."""
    earlier = next(_earlier_nouns(token, ("NN",)), None)
    if earlier is None:
        return None
    beside = [earlier.head] if earlier.dep_ in ("compound", "appos") else []
    beside += [c for c in earlier.children if c.dep_ in ("compound", "appos", "poss", "nmod")]
    named = (by_token.get(word.i) for word in beside)
    return next((m for m in named if m is not None and m.kind == "organization"), None)


def _reporting_outlet(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The last organization that reported something ("the FT reports", "reported the Wall
    Street Journal", "according to the FT") in ``token``'s sentence or the two before it,
    outside quote marks: what "the paper" that then speaks most likely is."""
    quoted = marks_of_tokens(token.doc)
    first = sentence(token).start
    for _ in range(2):
        first = sentence_start(token.doc, first - 1) if first > 0 else first
    for t in reversed(token.doc[first : token.i]):
        mention = by_token.get(t.i) if quoted[t.i] is None else None
        if mention is None or mention.kind != "organization":
            continue
        head = t.head if t.dep_ not in ("compound", "det") else t.head.head
        after = token.doc[t.i + 1] if t.i + 1 < len(token.doc) else t
        reports = (head.lemma_.lower() == "report" and t.dep_ in ("nsubj", "compound")) or (
            after.lemma_.lower() == "report" and after.pos_ == "VERB"  # (a parse gone astray)
        )
        according = head.lower_ == "to" and head.head.lower_ == "according"
        if reports or according:
            return mention
    return None


def _modified(token: Token) -> bool:
    """Whether a noun has words before it that narrow it ("the Labour government")."""
    return any(c.dep_ in ROLE_MODIFIER_DEPS and c.i < token.i for c in token.children)


def _earlier_government(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The place whose government the text named last before ``token``: "the Russian
    government", "Venezuela's government", "the government of Iraq"; None when the last such
    government is nobody's (a bare "the government") or no place's."""
    for earlier in _earlier_nouns(token):
        owners = [c for c in earlier.children if c.dep_ in ("amod", "poss", "compound", "nmod")]
        owners += [
            g for c in earlier.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
        ]
        for owner in owners:
            mention = by_token.get(owner.i)
            if mention is not None and mention.kind == "place":
                return mention
        if owners or any(c.lower_ == "the" for c in earlier.children):
            return None  # the last government named is another's, or nobody's
    return None


# works that "the <work>" takes up again: the author named with the work's last mention is its
# author ("The OECD published a report on Tuesday. ... The report said ...")
_WORKS = frozenset({
    "analysis", "book", "document", "filing", "lawsuit", "letter", "memo", "memoir", "poll",
    "report", "research", "statement", "study", "survey",
})  # fmt: skip


# things that speak without a name ("the report says", "the video shows"): see build_salience
_THINGS = _WORKS | WORK_NOUNS | {"video", "article", "data"}


def _earlier_work(token: Token, by_token: dict[int, Mention]) -> Mention | None:
    """The author or owner named with the last earlier mention of ``token``'s work noun (or
    spokesperson), outside quote marks; None when that mention names none (it may be another
    work, or another body's spokesman)."""
    # (a title counts: "An Open Letter from chief executive Sidney Taurel")
    earlier = next(_earlier_nouns(token, ("NN", "NNP")), None)
    return _voice_owner(earlier, by_token) if earlier is not None else None


def _earlier_nouns(token: Token, tags: tuple[str, ...] = ()) -> Iterator[Token]:
    """The earlier tokens with ``token``'s lemma (and one of ``tags``, when given), outside
    quote marks, nearest first."""
    noun, doc = token.lemma_.lower(), token.doc
    quoted = marks_of_tokens(doc)
    lemmas, found_tags = columns.strings(doc, "LEMMA"), columns.strings(doc, "TAG")
    for i in range(token.i - 1, -1, -1):
        if lemmas[i].lower() == noun and quoted[i] is None and (not tags or found_tags[i] in tags):
            yield doc[i]


def role_nouns() -> frozenset[str]:
    """Nouns naming a person by role (kg/data/quotes_role_nouns.txt)."""
    from kg.attribution import read_lexicon

    return read_lexicon("quotes_role_nouns.txt")


def resolve_description(
    token: Token, salience: Salience, by_token: dict[int, Mention] | None = None
) -> Mention | None:
    """ "the physicist", "Obama's former campaign strategist": the person the text gave that role
    (Salience.role_holder); else "the minister", "the former secretary of state": the person the
    text is about, when the description is definite and names a role, or (the topic lapsed) the
    article's main speaker; so is "the 34-year-old" or "the 41-year-old chart-topper" (an age
    makes any description a person), and "the Brazilian" (one of a people). "a source",
    "officials" stay unresolved."""
    aged, demonym = _aged(token), _one_of_a_people(token)
    if not (token.pos_ in ("NOUN", "PROPN") or aged or demonym) or token.tag_ in ("NNS", "NNPS"):
        return None
    role = token.lemma_.lower()
    owners = [c for c in token.children if c.dep_ == "poss"]
    definite = _definite(token)
    if (definite or owners) and not any(c.pos_ == "PRON" for c in owners):  # not "his lawyer"
        holder = salience.role_holder(token, salience.position + 1)
        if holder is not None:
            return holder
    if definite and token.tag_ == "NN" and role in _OUTLETS and by_token is not None:
        outlet = _earlier_outlet(token, by_token)  # "the magazine" after "magazine Rolling Stone"
        if outlet is None and role in _PRINT:
            outlet = _reporting_outlet(token, by_token)  # "..., the FT reports. ... the paper"
        if outlet is not None:
            return outlet
    if (definite or _placed(owners, by_token)) and token.tag_ == "NN" and role in company_nouns():
        # "The firm said ...": the organization the text is about, when one was its subject lately
        # ("The Telegraph was sued ... after the newspaper claimed": this sentence's)
        if any(c.lower_ in _PUBLIC_MODIFIERS and c.i < token.i for c in token.children):
            return None  # "the central bank said" after a firm spoke: no firm
        if by_token is not None:
            earlier = _same_sentence_subject(token, by_token, None, kind="organization")
            if earlier is not None:
                return earlier if _may_print(role, earlier) else None
        recent = salience.position + 1 - salience.group_sentence <= COMPANY_GAP
        group = salience.group if recent else None
        if group is not None and group.kind != "organization":
            return None  # ("Iressa", a drug the NER took for a place, said nothing)
        if group is None and by_token is not None and _plain(token) and role not in _OUTLETS:
            group = _sole_organization_before(token, by_token)  # ("the paper" is no firm's)
        if group is None or _PUBLIC_BODY.search(group.text):
            return None  # "the company says" after "the Securities and Exchange Commission"
        if by_token is not None and _other_organization_before(token, group, by_token):
            return None  # "BFMTV reported ... hours with EgyptAir, the airline said"
        return group if _may_print(role, group) else None
    if definite and token.tag_ == "NN" and role in _BODY_NOUNS and by_token is not None:
        return _named_body(token, by_token)  # "the committee said" after "the Ethics Committee"
    if definite and role in _GOVERNMENTS and by_token is not None and not _modified(token):
        # "the government said" after "the Russian government" or "the Obama administration"
        return _named_body(token, by_token) or _earlier_government(token, by_token)
    if definite and token.tag_ == "NN" and role in _WORKS and by_token is not None:
        return _earlier_work(token, by_token)  # "The report said" after "an OECD report"
    if token.tag_ == "NN" and role in SPOKESPEOPLE and by_token is not None:
        spoken_for = _described_employer(token)
        if spoken_for is not None:  # "A spokesman for the firm said": the firm the text is about
            return resolve_description(spoken_for, salience, by_token)
        if definite:
            return _earlier_work(token, by_token)  # "the spokesman said" after "a Yili spokesman"
        if not owners and not _employer_given(token):
            # "The Vestey Group said ... But a spokesman added": the organization that just spoke
            # (unless somebody else spoke since: "The Conservatives accused ... Sir Alan Budd
            # said ... Downing Street defended ..., with a spokesperson saying")
            group = salience.group if salience.group_spoke_last() else None
            return group if group is not None and group.kind == "organization" else None
    if not definite or not (role in role_nouns() or aged or demonym):
        return None
    if _of_a_name(token) and not _former(token):
        # "The Archbishop of Canterbury said": an office named in full is somebody new; a former
        # one is the person the text is about ("the former CEO of Hewlett-Packard added")
        return None
    gender = GENDERED_TITLES.get(token.lower_, "") or _gender_said_of(token)
    for person in (salience.current(salience.position + 1, gender), salience.main_speaker(gender)):
        if person is not None and not salience.holds_another_office(person, token):
            return person
    return None


def _placed(owners: list[Token], by_token: dict[int, Mention] | None) -> bool:
    """Whether a description's possessive is a place or the world, which makes it as definite
    as "the" ("The UK's biggest mortgage lender said", "the world's second biggest insurer")."""
    if not owners or by_token is None:
        return False
    return all(
        owner.lower_ == "world"
        or (by_token.get(owner.i) is not None and by_token[owner.i].kind == "place")
        for owner in owners
    )


def _definite(token: Token) -> bool:
    """Whether "the" determines the noun ("the firm", not "a firm" nor "firm")."""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)


def _employers(token: Token) -> list[Token]:
    """The nouns a spokesperson speaks for: "the firm's spokesman", "a spokesman for the group"."""
    out = [c for c in token.children if c.dep_ in VOICE_OWNER_DEPS]
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("for", "of")):
        out.extend(c for c in prep.children if c.dep_ == "pobj")
    return out


def _employer_given(token: Token) -> bool:
    """Whether the text says whom a spokesperson speaks for ("a Mittal Steel spokesman", "a
    spokesman for her lawyers") or names the spokesperson ("a spokesman, John Smith")."""
    return bool(_employers(token)) or any(c.dep_ == "appos" for c in token.children)


def _described_employer(token: Token) -> Token | None:
    """ "a spokesman for the firm", "the company's spokeswoman": the employer when it is a bare
    definite company noun, which the text is about (not "the supporters club")."""
    for owner in _employers(token):
        if (
            _definite(owner)
            and owner.tag_ == "NN"
            and owner.lemma_.lower() in company_nouns()
            and not _modified(owner)
        ):
            return owner
    return None


def _of_a_name(token: Token) -> bool:
    """Whether ``token`` has an "of" or "for" phrase naming a place or a body ("the Archbishop
    of Canterbury", "the Secretary of State for Health")."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("of", "for")
        and any(g.dep_ == "pobj" and g.ent_type_ in _BODY_TYPES for g in c.children)
        for c in token.children
    )  # (not "The star of Rain Man said": a work, and the star the text is about)


_BODY_TYPES = frozenset({"GPE", "LOC", "ORG", "FAC", "NORP"})


def _former(token: Token) -> bool:
    return token.lower_.startswith("ex-") or any(
        c.lower_ in ("former", "ex", "onetime", "one-time") for c in token.children
    )


def _gender_said_of(subject: Token) -> str:
    """The gender a description's own words give it, or "": the first "he" / "she" (reflexive
    "himself" / "herself"; in its own relative clause, possessive "his" / "her" too) outside
    quote marks in its relative clause ("the socialist, who has run all his campaigns") or after
    its verb before any other noun or pronoun ("The heavy metal star said he could have ...",
    "continue calling himself") most likely refers to it; not one after somebody else ("mocked
    Trump for calling himself", "has denied the killing, saying her death was accidental")."""
    verb = subject.head
    if subject.dep_ not in SUBJECT_DEPS or verb.i < subject.i:
        return ""
    quoted = marks_of_tokens(subject.doc)
    for t in subject.subtree:
        if t.i <= subject.i or quoted[t.i] is not None or t.pos_ != "PRON":
            continue
        if t.lower_ in _SUBJECT_GENDER or t.lower_ in ("his", "her") and t.dep_ == "poss":
            return _SUBJECT_GENDER.get(t.lower_) or PRONOUN_GENDER[t.lower_]
    for t in verb.subtree:
        if t.i <= verb.i or quoted[t.i] is not None:
            continue
        if t.pos_ == "PRON" and t.lower_ in _SUBJECT_GENDER:
            return _SUBJECT_GENDER[t.lower_]
        if t.pos_ in ("NOUN", "PROPN", "PRON"):
            return ""  # somebody else comes first: "mocked Trump for calling himself"
    return ""


_SUBJECT_GENDER = {"he": "m", "she": "f", "himself": "m", "herself": "f"}


def _one_of_a_people(token: Token) -> bool:
    """ "the Texan", "a Jamaican", "The Brazilian" (tagged a noun or an adjective): one person of
    a people, not the people ("the Saudis") nor its country; so are "the Frenchman", "the
    Welshwoman" and "the Scot", whatever the NER took them for."""
    if token.text.endswith("s"):
        return False
    word = token.lower_
    if word in _PERSON_DEMONYMS or any(
        word.endswith(end) and word[: -len(end)] in _DEMONYM_STEMS for end in ("man", "woman")
    ):
        return True
    if token.ent_type_ != "NORP":
        return False
    return (
        token.tag_ == "NNP"
        or token.tag_ in ("NN", "JJ")
        and any(c.dep_ == "det" for c in token.children)
    )


# "Frenchman", "Irishwoman": a demonym that names one person (and "Scot", "Swede", "Dane", "Finn",
# "Briton", "Kiwi", whom the NER reads as names; not "Pole" nor "Turk", which are words or names)
_DEMONYM_STEMS = frozenset({
    "french", "english", "irish", "welsh", "scots", "dutch", "cornish", "manx",
})  # fmt: skip
_PERSON_DEMONYMS = frozenset({"scot", "swede", "dane", "finn", "briton", "kiwi", "aussie"})


def _aged(token: Token) -> bool:
    """ "the 34-year-old" (the age is the description) or "the 41-year-old chart-topper"."""

    def age(word: Token) -> bool:
        return word.lower_ == "old" and any(c.lower_ in ("year", "years") for c in word.children)

    return age(token) or any(c.dep_ == "amod" and age(c) for c in token.children)


def unnamed_speakers(
    doc: Doc,
    offset: int,
    mentions: list[Mention],
    sentence_of: dict[int, int],
    covered: dict[int, Mention] | None = None,
) -> list[Mention]:
    """Speakers the NER missed: a proper noun that is the subject of a reporting verb ("D'Souza
    said ...", "Hannity told ...") or the source of "according to" ("according to Statista")
    with no mention over it becomes a mention (label SPEAKER), so that the linker can name it.
    Organizations when the NER or the spelling says so (ORG, an acronym), or when "according
    to" names no given name; else persons. ``covered`` is ``mention_index(doc, offset,
    mentions)`` when the caller has it."""
    if covered is None:
        covered = mention_index(doc, offset, mentions)
    found: dict[int, Mention] = {}
    mid_sentence: set[str] | None = None
    names: dict[str, str] | None = None
    for cue, how in cue_tokens(doc):
        if how not in ("verb", "according"):
            continue
        subject, _ = cue_subject(doc[cue])
        if subject is None or subject.i in covered or subject.i in found:
            continue
        if _group_speaker(subject):
            found[subject.i] = subject_mention(
                doc, offset, sentence_of, subject.i, subject.i + 1, "organization", "GROUP"
            )
            continue
        if not subject.text[:1].isupper() or len(subject.text) < 2:
            continue
        if subject.lower_ in PARTY_WORDS and any(c.dep_ == "det" for c in subject.children):
            continue  # "The Republican is also encouraging ...": a description
        if names is None:
            names = _one_word_names(mentions)
        # "Rightmove said" opening a sentence, which the tagger read as a noun (not a plural:
        # "Angels adds nothing", a song the NER took for a name)
        known = names.get(subject.text) if subject.tag_ != "NNS" else None
        if subject.pos_ != "PROPN" and known is None and not _name_read_as_noun(subject):
            continue
        if not _could_be_speaker_name(subject):
            continue
        if subject.is_sent_start:
            mid_sentence = mid_sentence if mid_sentence is not None else _mid_sentence(doc)
            if subject.text not in mid_sentence:
                continue
        left = subject.i
        while (
            left > 0
            and doc[left - 1].dep_ == "compound"
            and doc[left - 1].head.i == subject.i
            and doc[left - 1].pos_ == "PROPN"
        ):
            left -= 1
        if any(i in covered for i in range(left, subject.i)):
            continue
        if subject.text in POST_NOMINALS and (
            left == subject.i or any(c.dep_ == "det" for c in subject.children)
        ):
            continue  # "The MP, who ..., told", "said the Ealing North MP": a description
        if is_members_word(subject.text):
            continue  # "MPs said": members, nobody's name
        kind = "organization" if subject.ent_type_ == "ORG" or subject.text.isupper() else "person"
        kind = known or kind
        if how == "according":
            if marks_of_tokens(doc)[subject.i] is not None or any(
                c.dep_ == "det" and c.lower_ != "the" for c in subject.children
            ):
                continue  # a title ("according to 'The Fixers'"), "according to a Democrat"
            if not given_name_gender(doc[left].text):
                kind = "organization"  # "according to Facebook", "according to Statista"
        found[subject.i] = subject_mention(
            doc, offset, sentence_of, left, subject.i + 1, kind, "SPEAKER"
        )
    return list(found.values())


def _one_word_names(mentions: list[Mention]) -> dict[str, str]:
    """The one-word names of people and organizations the NER found in the doc, and their kind
    (a name found as a person and as an organization is neither)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.kind in ("person", "organization") and _NAME_WORD.fullmatch(m.text):
            kinds[m.text].add(m.kind)
    return {text: next(iter(k)) for text, k in kinds.items() if len(k) == 1}


_NAME_WORD = re.compile(r"[A-Z][A-Za-z]*(?:['’-][A-Za-z]+)*")


def _name_read_as_noun(token: Token) -> bool:
    """ "..., Hannity said": a capitalized word inside a sentence that the tagger read as a
    common noun, which the article never writes in lower case and no determiner introduces, is
    a name; opening a sentence too when the article writes it elsewhere as the surname of a
    given name or initials ("Rowling said" after "JK Rowling's fifth book"); not "Police said"
    opening a sentence (after "Thames Valley Police"), nor a headline's "Poll Says"."""
    from kg.mentions import headline_tokens, written_in_lower_case

    if token.pos_ != "NOUN" or not _NAME_WORD.fullmatch(token.text):
        return False
    if token.is_sent_start and not _written_as_surname(token):
        return False
    if any(c.dep_ in ("det", "poss", "nummod") for c in token.children):
        return False
    headline = headline_tokens(token.doc)
    return token.i not in headline and not written_in_lower_case(token.doc, token.lower_, headline)


_INITIALS = re.compile(r"[A-Z]\.(?:[A-Z]\.?)?|[A-Z]{2}")  # "J.", "J.K.", "JK"; not "A"


def _written_as_surname(token: Token) -> bool:
    """Whether the doc writes ``token``'s word after a given name or initials ("JK Rowling")."""
    texts = columns.strings(token.doc, "ORTH")
    return any(
        texts[i] == token.text
        and i != token.i
        and (_INITIALS.fullmatch(texts[i - 1]) is not None or bool(given_name_gender(texts[i - 1])))
        for i in range(1, len(texts))
    )


def subject_mention(
    doc: Doc,
    offset: int,
    sentence_of: dict[int, int],
    first: int,
    end: int,
    kind: str,
    label: str,
) -> Mention:
    """A mention the NER missed, over tokens ``first``..``end`` (exclusive, one sentence), that
    speaks (role "subject")."""
    start, stop = doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return Mention(
        start=offset + start,
        end=offset + stop,
        text=text_of(doc)[start:stop],
        kind=kind,
        label=label,
        sentence=sentence_of[sentence_start(doc, first)],
        role="subject",
    )


NOT_SPEAKER_TYPES = frozenset({
    "GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
    "LANGUAGE", "LAW",
})  # fmt: skip


def _could_be_speaker_name(subject: Token) -> bool:
    """The NER type of a speaking proper noun is no reason to doubt it is a name, unless it is a
    place or a number: "Cole said" typed PRODUCT, "Roman Smbatyan" typed NORP are people; a
    nationality ("Armenian said") is not."""
    if subject.ent_type_ in NOT_SPEAKER_TYPES:
        return False
    if is_title_word(subject.text):
        return False  # "Lord of the Rings director Peter Jackson said": a title is nobody
    if subject.ent_type_ == "NORP":
        from kg.gazetteer import country_for_demonym

        return subject.tag_ == "NNP" and country_for_demonym(subject.text) is None
    return True


def _mid_sentence(doc: Doc) -> set[str]:
    """Capitalized words the doc writes inside a sentence (names, not sentence openers)."""
    starts = columns.numbers(doc, "SENT_START")
    return {
        word
        for word, start in zip(columns.strings(doc, "ORTH"), starts)
        if start != 1 and word[:1].isupper()
    }


def _group_speaker(token: Token) -> bool:
    """ "Democrats said ...", "Republicans argued ...": a capitalized plural group name (NORP) that
    is not a nation's people ("Ukrainians" are not Ukraine) speaks as a group."""
    from kg.gazetteer import country_for_demonym

    return (
        token.ent_type_ == "NORP"
        and token.tag_ in ("NNPS", "NNS")
        and token.text[:1].isupper()
        and len(token.text) > 3
        and country_for_demonym(token.text) is None
    )
