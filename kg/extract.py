"""The per-article map step: a parsed article in, an ``ArticleExtraction`` (plain data) out.

Pure: it depends on nothing but the article and its parse, so it can be cached by content hash
and mapped over a cluster.
"""

from __future__ import annotations

from dataclasses import replace
from operator import or_
from typing import TYPE_CHECKING, TypeVar

from kg import columns
from kg.attribution import sentence_bounds, text_of
from kg.mentions import extract_mentions
from kg.quotes import extract_quotes, reporting_verbs, transcript_speakers, unnamed_speakers
from kg.records import Article, ArticleExtraction, Mention, Problem, Quote, Span
from kg.speakers import (
    Salience,
    build_salience,
    described_topics,
    mention_index,
    topic_keepers,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_Record = TypeVar("_Record", Mention, Quote)


def extract_article(article: Article, chunks: list[tuple[int, Doc]]) -> ArticleExtraction:
    """Sentences, mentions and quotes of one article from its parsed chunks."""
    sentences: list[Span] = []
    mentions: list[Mention] = []
    quotes: list[Quote] = []
    problems: list[Problem] = []
    salience = Salience(subjects={})
    words = 0
    for offset, doc in chunks:
        sentence_of = _sentences(doc, offset, sentences)
        chunk_mentions = extract_mentions(doc, offset, sentence_of)
        by_token = mention_index(doc, offset, chunk_mentions)
        unnamed = unnamed_speakers(doc, offset, chunk_mentions, sentence_of, by_token)
        unnamed += transcript_speakers(doc, offset, by_token, sentence_of)
        chunk_mentions += unnamed
        by_token.update(mention_index(doc, offset, unnamed))  # the index of all of them
        keepers = topic_keepers(doc, sentence_of)  # sentences that keep the topic
        found = build_salience(doc, by_token, sentence_of, reporting_verbs(), keepers)
        salience.subjects.update(found.subjects)
        salience.quiet |= found.quiet
        salience.owning |= found.owning
        salience.things |= found.things
        salience.described.update(described_topics(keepers, sentence_of))
        chunk_quotes, chunk_problems = extract_quotes(
            doc, offset, chunk_mentions, sentence_of, salience, by_token
        )
        mentions.extend(chunk_mentions)
        quotes.extend(chunk_quotes)
        problems.extend(
            Problem(source=article.source, reason=f"{p.reason} (article {article.id})")
            for p in chunk_problems
        )
        words += _count_words(doc)
    text = article.text
    mentions = _drop_headline_guesses(article, mentions)
    # The parse saw the masked text; records carry the text as read.
    mentions = [_as_read(m, text) for m in mentions]
    quotes = [_as_read(q, text) for q in quotes]
    return ArticleExtraction(
        article=article,
        sentences=tuple(sentences),
        mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.kind))),
        quotes=tuple(sorted(quotes, key=lambda q: (q.start, q.end))),
        problems=tuple(problems),
        words=words,
    )


def _as_read(record: _Record, text: str) -> _Record:
    """The record with the text as read at its offsets (a copy only where masking changed it)."""
    read = text[record.start : record.end]
    return record if record.text == read else replace(record, text=read)


def _drop_headline_guesses(article: Article, mentions: list[Mention]) -> list[Mention]:
    """In a Title Case headline every word looks like a name ("... if Bakhmut Falls"): keep a
    person found there only when the article names that person in its body too."""
    from kg.names import person_parts

    title = article.title or ""
    start = article.text.find(title) if title else -1
    if start < 0:
        return mentions
    end = start + len(title)
    body = {
        person_parts(m.text)[1]
        for m in mentions
        if m.kind == "person" and not start <= m.start < end
    }
    return [
        m
        for m in mentions
        if not (
            m.kind == "person" and start <= m.start < end and person_parts(m.text)[1] not in body
        )
    ]


def _sentences(doc: Doc, offset: int, sentences: list[Span]) -> dict[int, int]:
    """Append this chunk's sentences (trimmed, non-blank); map each sentence's first token to its number."""
    sentence_of: dict[int, int] = {}
    whole = text_of(doc)
    idx, texts = columns.numbers(doc, "IDX"), columns.strings(doc, "ORTH")
    for first, end in sentence_bounds(doc):
        start_char, end_char = idx[first], idx[end - 1] + len(texts[end - 1])
        text = whole[start_char:end_char]  # the sentence's text, without joining its tokens
        stripped = text.strip()
        if stripped:
            start = offset + start_char + len(text) - len(text.lstrip())
            sentences.append(Span(start, start + len(stripped)))
        sentence_of[first] = max(0, len(sentences) - 1)
    return sentence_of


def _count_words(doc: Doc) -> int:
    """Tokens that are neither whitespace nor punctuation (counted on the doc's columns)."""
    space, punct = columns.numbers(doc, "IS_SPACE"), columns.numbers(doc, "IS_PUNCT")
    return len(space) - sum(map(or_, space, punct))  # the flags are 0 or 1
