"""A user's judgements on the linker: force two things into one entity, or keep them apart.

A judgements file holds one decision a line, fields separated by a tab (in a ``.csv`` file: by
commas, with CSV quoting)::

    # verdict   A                           B
    same        Zelenskiy                   person/volodymyr-zelensky
    different   person/michael-jordan       Michael B. Jordan

- ``same``: every mention A stands for and every mention B stands for end up in one entity;
- ``different``: no entity holds both a mention of A and a mention of B. The linker refuses any
  merge that would join them (a cannot-link constraint inside its union-find), so the rest of
  each side still clusters as usual. ``different  person/x  Zelenskyy`` splits the mentions
  written "Zelenskyy" off the entity ``person/x`` (a mention both sides stand for goes to the side
  that names it, or to neither when both sides are names or both are keys).

A and B are an entity key as ``entities.jsonl`` names it (``person/volodymyr-zelensky``, or the
whole IRI), standing for the mentions of that entity in the build without judgements; or a name
as written in the articles ("Zelenskiy", "Mr Zelenskiy", case and titles aside: the mentions with
that name key). Blank lines and ``#`` comments are ignored; any other malformed line is an
``InputError`` naming the file and line. A reference that matches nothing is reported as a
warning in ``report.json``, not an error: the articles may have changed since it was written.
When a ``same`` and a ``different`` contradict each other, ``different`` wins.

>>> j = parse_judgements("same\\tZelenskiy\\tperson/volodymyr-zelensky\\n# a comment\\n", "j.tsv")
>>> [(r.verdict, r.a, r.b, r.line) for r in j.rules]
[('same', 'Zelenskiy', 'person/volodymyr-zelensky', 1)]
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kg import names
from kg.errors import InputError, read_input_text
from kg.records import Problem

VERDICTS = ("same", "different")
_KEY_RE = re.compile(r"(?:^|/)((?:person|organization|place|event)/[^/\s]+)$")


@dataclass(frozen=True)
class Judgement:
    """One line of a judgements file."""

    verdict: str  # "same" or "different"
    a: str
    b: str
    line: int


@dataclass(frozen=True)
class Judgements:
    """The decisions of one file, in file order."""

    rules: tuple[Judgement, ...] = ()
    source: str = "judgements"

    def __len__(self) -> int:
        return len(self.rules)


def entity_key(reference: str) -> str:
    """The entity key a reference names ("" when it is a name, not a key or IRI).

    >>> entity_key("https://example.org/kg/person/volodymyr-zelensky"), entity_key("Zelensky")
    ('person/volodymyr-zelensky', '')
    """
    match = _KEY_RE.search(reference.strip())
    return match.group(1) if match else ""


def load_judgements(judgements: str | os.PathLike[str] | Judgements | None) -> Judgements | None:
    """Judgements from a path (read_judgements), as they are, or None."""
    if judgements is None or isinstance(judgements, Judgements):
        return judgements
    return read_judgements(judgements)


def read_judgements(path: str | os.PathLike[str]) -> Judgements:
    """Read a judgements file; raise InputError naming the file (and line) at fault."""
    return parse_judgements(read_input_text(path, "judgements file"), str(Path(path)))


def parse_judgements(text: str, source: str = "judgements") -> Judgements:
    """Parse judgements text (CSV when ``source`` ends in .csv, else tab-separated)."""
    as_csv = source.lower().endswith(".csv")
    rules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = next(csv.reader(io.StringIO(line))) if as_csv else line.split("\t")
        fields = [" ".join(f.split()) for f in fields]
        while fields and not fields[-1]:
            fields.pop()
        sep = "comma" if as_csv else "tab"
        if len(fields) != 3 or not all(fields):
            raise InputError(
                f"{source}:{number}: expected three {sep}-separated fields "
                f"'same|different, A, B', got {line.strip()[:80]!r}"
            )
        verdict = fields[0].lower()
        if verdict not in VERDICTS:
            raise InputError(
                f"{source}:{number}: the verdict must be 'same' or 'different', not {fields[0]!r}"
            )
        rules.append(Judgement(verdict, fields[1], fields[2], number))
    return Judgements(tuple(rules), source)


# --- applying them: which mentions each side stands for ----------------------------------------


class _Named(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass
class Decisions:
    """Judgements as item numbers: groups to join, pairs of groups to keep apart."""

    same: list[list[int]] = field(default_factory=list)
    different: list[tuple[list[int], list[int]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decide(
    items: Sequence[_Named], judgements: Judgements, keys: Callable[[], list[str]]
) -> Decisions:
    """The items each judgement's sides stand for. ``keys()`` gives every item's entity key in
    the build without judgements; it is called only when a judgement names an entity key."""
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        by_name[(item.kind, names.name_key(item.text, item.kind))].append(n)
    kinds = sorted({item.kind for item in items})
    by_key: dict[str, list[int]] | None = None
    out = Decisions()

    def members(reference: str, line: int) -> list[int]:
        nonlocal by_key
        key = entity_key(reference)
        if key:
            if by_key is None:
                by_key = defaultdict(list)
                for n, k in enumerate(keys()):
                    by_key[k].append(n)
            found = by_key.get(key, [])
        else:
            found = sorted(
                n
                for kind in kinds
                for n in by_name.get((kind, names.name_key(reference, kind)), ())
            )
        if not found:
            out.problems.append(
                Problem(
                    judgements.source,
                    f"judgement: {reference!r} matches no entity key and no mention; ignored",
                    line,
                )
            )
        return found

    for rule in judgements.rules:
        a, b = members(rule.a, rule.line), members(rule.b, rule.line)
        if not a or not b:
            continue
        if rule.verdict == "same":
            out.same.append(sorted(set(a) | set(b)))
        else:
            both = set(a) & set(b)  # a mention on both sides goes to the side that names it,
            keyed_a, keyed_b = bool(entity_key(rule.a)), bool(entity_key(rule.b))  # not a key
            a = [n for n in a if n not in both or (keyed_b and not keyed_a)]
            b = [n for n in b if n not in both or (keyed_a and not keyed_b)]
            if a and b:
                out.different.append((a, b))
    return out
