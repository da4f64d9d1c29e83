"""A user knowledge base: the user's own ids (e.g. Wikidata) for the people and organizations kg finds.

A KB file is CSV (a header row with ``id``, ``label``, ``aliases``, ``kind``; aliases separated by
``|`` or ``;``) or JSON Lines (one object a line with the same keys; ``aliases`` a list or a
string). ``id`` is an IRI (``http://www.wikidata.org/entity/Q3874799``) or a bare Wikidata id
(``Q3874799``, read as that IRI); ``kind`` is person, organization, place or event (empty: any).

The linker (kg.resolve) links an entity to the one entry whose label or alias its names match
(people by ``names.compatible_persons``, other kinds by ``names.name_key`` or acronym), merges
entities that match one entry (the aliases take part in merging), gives the entity the entry's
label as its canonical name and the entry's IRI as ``owl:sameAs``.

>>> kb = parse_kb('id,label,aliases,kind\\nQ3874799,Volodymyr Zelensky,Zelenskyy|Zelenskiy,person\\n', "kb.csv")
>>> kb.entries[0].iri
'http://www.wikidata.org/entity/Q3874799'
>>> [e.label for e in kb.candidates("Mr Zelenskyy", "person")]
['Volodymyr Zelensky']
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg import names
from kg.errors import InputError, read_input_text
from kg.records import KINDS

WIKIDATA = "http://www.wikidata.org/entity/"
_QID = re.compile(r"^(?:wd:)?(Q[1-9][0-9]*)$")
_IRI = re.compile(r"^(?:https?|urn):[^\s<>\"{}|\\^`]+$")
_KIND_WORDS = {
    "person": "person", "per": "person", "people": "person", "human": "person",
    "organization": "organization", "organisation": "organization", "org": "organization",
    "place": "place", "location": "place", "loc": "place", "gpe": "place",
    "event": "event", "": "",
}  # fmt: skip


@dataclass(frozen=True)
class KbEntry:
    """One line of the user's knowledge base."""

    iri: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = ""  # one of KINDS, or "" for any kind

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass
class KnowledgeBase:
    """Entries, indexed by the keys the linker blocks on (never compared all pairs)."""

    entries: list[KbEntry] = field(default_factory=list)
    _by_key: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)
    _by_surname: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
        by_surname: dict[str, set[int]] = defaultdict(set)
        for n, entry in enumerate(self.entries):
            for name in entry.names:
                for kind in (entry.kind,) if entry.kind else KINDS:
                    if kind == "person":
                        by_surname[names.surname_key(names.person_parts(name)[1])].add(n)
                    else:
                        by_key[(kind, _key(name, kind))].add(n)
        self._by_key = {k: sorted(v) for k, v in by_key.items()}
        self._by_surname = {k: sorted(v) for k, v in by_surname.items() if k}

    def candidates(self, text: str, kind: str) -> list[KbEntry]:
        """Entries a mention (as written) may refer to, in file order."""
        if kind == "person":
            surname = names.surname_key(names.person_parts(text)[1])
            found = [
                n
                for n in self._by_surname.get(surname, ())
                if self.entries[n].kind in ("", "person")
                and any(names.compatible_persons(text, name) for name in self.entries[n].names)
            ]
        else:
            found = list(self._by_key.get((kind, _key(text, kind)), ()))
        return [self.entries[n] for n in found]

    def __len__(self) -> int:
        return len(self.entries)


def _key(text: str, kind: str) -> str:
    if kind == "organization" and names.is_acronym(text):
        return "acronym:" + names.acronym_key(text)
    return names.name_key(text, kind)


def kb_iri(identifier: str) -> str:
    """The IRI of a KB id: an IRI as it is, a Wikidata Q-id as its entity IRI.

    >>> kb_iri("Q42"), kb_iri("https://example.org/people/7")
    ('http://www.wikidata.org/entity/Q42', 'https://example.org/people/7')
    """
    ident = identifier.strip()
    match = _QID.match(ident)
    if match:
        return WIKIDATA + match.group(1)
    if _IRI.match(ident):
        return ident
    raise ValueError(
        f"id {identifier!r} is neither an IRI (http://..., https://..., urn:...) nor a Wikidata "
        f"id (Q42)"
    )


def load_kb(kb: str | os.PathLike[str] | KnowledgeBase | None) -> KnowledgeBase | None:
    """A KnowledgeBase from a path (read_kb), as it is, or None."""
    if kb is None or isinstance(kb, KnowledgeBase):
        return kb
    return read_kb(kb)


def read_kb(path: str | os.PathLike[str]) -> KnowledgeBase:
    """Read a KB file (.csv, or .jsonl/.json lines); raise InputError with the line at fault."""
    return parse_kb(read_input_text(path, "knowledge base"), str(Path(path)))


def parse_kb(text: str, source: str = "kb") -> KnowledgeBase:
    """Parse KB text; the format follows the file name (.csv is CSV, anything else JSON Lines)."""
    rows = _csv_rows(text, source) if source.lower().endswith(".csv") else _jsonl_rows(text, source)
    entries = []
    for line, row in rows:
        try:
            entries.append(_entry(row))
        except ValueError as err:
            raise InputError(f"{source}:{line}: {err}") from None
    return KnowledgeBase(entries)


def _csv_rows(text: str, source: str) -> list[tuple[int, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = {(f or "").strip().lower() for f in reader.fieldnames or ()}
    if not {"id", "label"} <= fields:
        raise InputError(f"{source}: a KB CSV needs a header row with id,label[,aliases,kind]")
    out = []
    for row in reader:
        clean = {(k or "").strip().lower(): v for k, v in row.items()}
        if any((v or "").strip() for v in clean.values() if isinstance(v, str)):
            out.append((reader.line_num, clean))
    return out


def _jsonl_rows(text: str, source: str) -> list[tuple[int, dict[str, object]]]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{source}:{n}: not JSON ({err.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{source}:{n}: each line must be a JSON object")
        out.append((n, {str(k).lower(): v for k, v in row.items()}))
    return out


def _entry(row: dict[str, object]) -> KbEntry:
    ident = str(row.get("id") or "").strip()
    label = " ".join(str(row.get("label") or "").split())
    if not ident or not label:
        raise ValueError("every entry needs an id and a label")
    raw = row.get("aliases") or ()
    if isinstance(raw, str):
        raw = re.split(r"[|;]", raw)
    if not isinstance(raw, (list, tuple)):
        raise ValueError("aliases must be a list or a |-separated string")  # noqa: TRY004
    aliases = tuple(sorted({" ".join(str(a).split()) for a in raw} - {"", label}))
    kind_word = str(row.get("kind") or "").strip().lower()
    if kind_word not in _KIND_WORDS:
        raise ValueError(f"kind {kind_word!r} is not one of person, organization, place, event")
    return KbEntry(kb_iri(ident), label, aliases, _KIND_WORDS[kind_word])
