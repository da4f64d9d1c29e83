"""Who a pronoun speaker is: the person the text is about at that point.

No coreference model installs offline, so this works on the dependency parse: each sentence's
*topic* is the person who is the subject of a reporting verb in it, else of its main verb; a pronoun
subject keeps the topic. "he" resolves to a person who is the subject of an earlier clause of the
same sentence (outside the reported content), else to the current topic: the subject of the
previous sentences, not merely the nearest name ("He extended an invitation to Mr Xi. 'We are ready
to see him here,' he said." is not Xi speaking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.records import Mention, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
MAX_GAP = 8  # sentences a topic survives without being named again
CONTINUATION_GAP = 4  # sentences between a quote and an uncued quote that continues it


@dataclass
class Salience:
    """Per-sentence subjects of one article, walked in order to know who is being talked about."""

    subjects: dict[int, Mention]  # sentence -> its topical person/organization subject
    position: int = -1
    topic: Mention | None = None
    topic_sentence: int = -1
    group: Mention | None = None
    spoke: dict[int, Mention] = field(default_factory=dict)  # sentence -> speaker of a quote in it

    def advance_to(self, sentence: int) -> None:
        """Take in every sentence before ``sentence``."""
        while self.position < sentence - 1:
            self.position += 1
            self._take(self.position)

    def _take(self, sentence: int) -> None:
        subject = self.spoke.get(sentence) or self.subjects.get(sentence)
        if subject is None:
            return
        if subject.kind == "person":
            self.topic, self.topic_sentence = subject, sentence
        else:
            self.group = subject

    def note_speaker(self, speaker: Mention, sentence: int) -> None:
        self.spoke[sentence] = speaker

    def current(self, sentence: int) -> Mention | None:
        if self.topic is None or sentence - self.topic_sentence > MAX_GAP:
            return None
        return self.topic

    def continues(self, previous: Quote, sentence: int) -> bool:
        """True when nobody else spoke or became the subject since ``previous``."""
        if sentence - previous.sentence > CONTINUATION_GAP:
            return False
        for s in range(previous.sentence + 1, sentence + 1):
            other = self.subjects.get(s)
            if other is not None and other.kind == "person" and not _same_name(other, previous):
                return False
            said = self.spoke.get(s)
            if said is not None and Span(said.start, said.end) != previous.speaker:
                return False
        return True


def _same_name(mention: Mention, quote: Quote) -> bool:
    return bool(quote.speaker) and mention.start == quote.speaker.start if quote.speaker else False


def build_salience(
    doc: Doc,
    mentions_by_token: dict[int, Mention],
    sentence_of: dict[int, int],
    reporting: frozenset[str],
) -> dict[int, Mention]:
    """The topical subject of each sentence of a chunk (see module docstring)."""
    from kg.quotes import gerund_agent

    subjects: dict[int, Mention] = {}
    for sent in doc.sents:
        best: tuple[int, Mention] | None = None
        for token in sent:
            if (
                token.tag_ == "VBG"
                and token.lemma_.lower() in reporting
                and not any(c.dep_ in SUBJECT_DEPS for c in token.children)
            ):
                agent = gerund_agent(token)
                mention = mentions_by_token.get(agent.i) if agent is not None else None
                if mention is not None and mention.kind == "person":
                    best = (0, mention)
            if token.dep_ not in SUBJECT_DEPS:
                continue
            mention = mentions_by_token.get(token.i)
            if mention is None or mention.kind not in ("person", "organization"):
                continue
            head = token.head
            rank = 0 if head.lemma_.lower() in reporting else 1 if head.dep_ == "ROOT" else 2
            rank += 3 if mention.kind != "person" else 0
            if best is None or rank < best[0]:
                best = (rank, mention)
        if best is not None:
            subjects[sentence_of[sent.start]] = best[1]
    return subjects


def resolve_pronoun(
    token: Token, by_token: dict[int, Mention], salience: Salience, cue: Token | None
) -> Mention | None:
    """The mention a pronoun (or bare description) subject refers to, or None when unsure."""
    word = token.lower_
    if word in GROUP_PRONOUNS:
        return salience.group
    if token.pos_ == "PRON" and word not in PERSON_PRONOUNS | {"his"}:
        return None  # "I", "we", "you": the speaker is inside the quote's world
    earlier = _same_sentence_subject(token, by_token, cue)
    if earlier is not None:
        return earlier
    sentence = salience.position + 1
    return salience.current(sentence)


def _same_sentence_subject(
    token: Token, by_token: dict[int, Mention], cue: Token | None
) -> Mention | None:
    """A person who is the subject (or the possessor of the subject) of an earlier main or
    reporting clause of this sentence, outside the reported content."""
    content = _reported_content(cue) if cue is not None else set()
    for earlier in reversed(list(token.sent)[: token.i - token.sent.start]):
        if earlier.i in content or not _topical(earlier):
            continue
        mention = by_token.get(earlier.i)
        if mention is not None and mention.kind == "person":
            return mention
    return None


def _topical(token: Token) -> bool:
    """Subject of the main verb or of a speech verb; or possessor of such a subject ("X's claims")."""
    from kg.quotes import cue_nouns, reporting_verbs

    if token.dep_ == "poss":
        head = token.head
        return head.lemma_.lower() in cue_nouns() or (head.dep_ in SUBJECT_DEPS and _main_or_speech(head.head, reporting_verbs()))
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
        if child.dep_ in ("ccomp", "xcomp", "advcl", "dobj"):
            content.update(t.i for t in child.subtree)
    return content
