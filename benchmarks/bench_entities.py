"""How well does kg link named entities across articles, on real annotated news (ECB+)?

Writes the ECB+ articles of ``--topics`` (default 1-35) from ``../shared/eval/ecbplus_dev.jsonl``
with ``score_entities_ecb.py --write-input``, builds them with ``kg.build`` into a temporary folder
(or ``--out``), prints the scorer's cross-document B-cubed figures, then the people-per-article
precision and recall defined below, and the merge rules the linker used.

    python benchmarks/bench_entities.py                         # topics 1-35
    python benchmarks/bench_entities.py --topics 1-24           # development topics
    python benchmarks/bench_entities.py --topics 25-35 --errors /tmp/ecb-errors.txt
    python benchmarks/bench_entities.py --out /tmp/ecb --score-only

People per article. ECB+ annotates only some sentences of each article (the "validated" ones);
within them, a gold person is a cross-document cluster with at least one validated PERSON mention
in the article that is a name: named as the scorer reads it (capitalized, not opening with a
determiner or pronoun) and holding a capitalized word that the gold file writes capitalized more
often than in lower case ("Lohan", "Cheeks", not "Woman", "Police", "Driver", "Three": ECB+
annotates those capitalized headline words as PERSON mentions too, but they name nobody). A predicted person is a person entity of kg with at least one mention in
a validated sentence of the article. A predicted person and a gold person match when their
mentions overlap; they are paired one to one (most overlapping mentions first), so two predicted
entities for one gold person ("Lonechild" beside "Darian Lonechild") count one hit and one false
positive, and one predicted entity for two gold people counts one hit and one miss. Precision is
hits over predicted people, recall hits over gold people, both summed over all articles.

The evaluation data stays in ../shared/eval (CC BY 3.0, kept out of the repository): this script
reads it from there and never copies it. Figures only; no assertion (the targets are in issue 3).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "ecbplus_dev.jsonl"
SCORER = EVAL / "score_entities_ecb.py"
NOT_NAMED = {"the", "a", "an", "this", "these", "those", "that", "his", "her", "their", "its"}
NOT_NAMED |= {"our", "my", "your", "he", "she", "they", "it", "we", "i", "you", "him", "them"}
NOT_NAMED |= {"us", "me", "who", "which"}
LABELS = {"PERSON", "ORG", "LOC", "GPE", "FAC"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", default="1-35", help="ECB+ topic range, e.g. 1-24 (default 1-35)")
    ap.add_argument("--gold", type=Path, default=GOLD, help="ECB+ JSONL (default: the dev file)")
    ap.add_argument("--model", default=None, help="spaCy model (default: kg's)")
    ap.add_argument("--kb", type=Path, default=None, help="a user knowledge base for the build")
    ap.add_argument("--out", type=Path, help="build into this folder (kept) instead of a temp one")
    ap.add_argument("--score-only", action="store_true", help="score --out without building")
    ap.add_argument("--errors", type=Path, help="write split and merged gold clusters here")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kg-bench-entities-") as tmp:
        out = args.out or Path(tmp) / "out"
        articles = Path(tmp) / "ecbplus_input.jsonl"
        _scorer(args.gold, "--write-input", str(articles), "--topics", args.topics)
        if not args.score_only:
            import kg

            started = time.perf_counter()
            options: dict[str, Any] = {"model": args.model} if args.model else {}
            if args.kb:
                options["kb"] = args.kb
            result = kg.build([articles], out=out, **options)
            seconds = time.perf_counter() - started
            n = len(result.extractions)
            timings = result.report.get("timings", {})
            print(
                f"built {n} articles in {seconds:.1f} s ({n / seconds:.1f}/s; "
                f"linking {timings.get('link', 0.0):.2f} s)"
            )
        print(_scorer(args.gold, str(out), "--topics", args.topics).rstrip())
        docs = _gold_docs(args.gold, args.topics)
        rows = [json.loads(line) for line in (out / "mentions.jsonl").open(encoding="utf-8")]
        hits, predicted, gold = people_per_article(docs, rows, lowercase_words(args.gold))
        p = hits / predicted if predicted else 0.0
        r = hits / gold if gold else 0.0
        print(
            f"people per article: P {p:.3f} R {r:.3f} "
            f"({hits} hits, {predicted} predicted, {gold} gold, {len(docs)} articles)"
        )
        report_rules(out)
        if args.errors:
            write_errors(docs, rows, args.errors)
    return 0


def _scorer(gold: Path, *args: str) -> str:
    run = subprocess.run(
        [sys.executable, str(SCORER), str(gold), *args], capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise SystemExit(f"scorer failed: {run.stderr.strip()}")
    return run.stdout


def _gold_docs(gold: Path, topics: str) -> list[dict[str, Any]]:
    lo, hi = map(int, topics.split("-"))
    with gold.open(encoding="utf-8") as f:
        return [r for r in map(json.loads, f) if lo <= int(r["topic"]) <= hi]


def named(text: str) -> bool:
    first = text.split()[0].lower().strip(".,'\"")
    return text[:1].isupper() and first not in NOT_NAMED


def _validated(doc: dict[str, Any]) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for s in doc["sentences"] if s.get("validated")]


def _inside(spans: list[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in spans)


def _gold_mentions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e
        for e in doc["entities"]
        if e.get("kind") == "entity" and e.get("validated") and not e.get("discontinuous")
    ]


_WORD = re.compile(r"[^\W\d_]+")


def lowercase_words(gold: Path) -> set[str]:
    """Words the gold file writes in lower case more often than capitalized: common words."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    with gold.open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            for w in _WORD.findall(row["text"]):
                (lower if w.islower() else upper)[w.lower()] += 1
    return {w for w, n in lower.items() if n >= upper[w]}


def is_person_name(text: str, lowercase: set[str]) -> bool:
    """A named PERSON mention that holds a proper name (see the module docstring)."""
    words = _WORD.findall(text)
    return named(text) and any(w[:1].isupper() and w.lower() not in lowercase for w in words)


def people_per_article(
    docs: list[dict[str, Any]], rows: list[dict[str, Any]], lowercase: set[str] | None = None
) -> tuple[int, int, int]:
    """(hits, predicted people, gold people) summed over articles; see the module docstring."""
    lowercase = lowercase if lowercase is not None else lowercase_words(GOLD)
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_article[str(row["article"])].append(row)
    hits = predicted = gold_total = 0
    for doc in docs:
        spans = _validated(doc)
        mentions = _gold_mentions(doc)
        people = {
            e["cluster"]
            for e in mentions
            if e["label"] == "PERSON" and is_person_name(e["text"], lowercase)
        }
        gold_person = [e for e in mentions if e["cluster"] in people]
        pred = [
            m
            for m in by_article.get(str(doc["id"]), [])
            if m["kind"] == "person" and m["entity"] and _inside(spans, m["start"])
        ]
        entities = sorted({m["entity"] for m in pred})
        overlap: Counter[tuple[str, str]] = Counter()
        for m in pred:
            for g in gold_person:
                if min(m["end"], g["end"]) > max(m["start"], g["start"]):
                    overlap[(m["entity"], g["cluster"])] += 1
        used_p: set[str] = set()
        used_g: set[str] = set()
        for (ent, cluster), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
            if ent not in used_p and cluster not in used_g:
                used_p.add(ent)
                used_g.add(cluster)
        hits += len(used_p)
        predicted += len(entities)
        gold_total += len(people)
    return hits, predicted, gold_total


def report_rules(out: Path) -> None:
    path = out / "entities.jsonl"
    if not path.exists():
        return
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for row in map(json.loads, path.open(encoding="utf-8")):
        kinds[row["kind"]] += 1
        for rule, n in (row.get("merged_by") or {}).items():
            counts[rule] += n
    print("entities: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("merges by rule: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


def write_errors(docs: list[dict[str, Any]], rows: list[dict[str, Any]], path: Path) -> None:
    """Gold clusters split over several predicted entities, and entities merging gold clusters."""
    pred: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for m in rows:
        pred[str(m["article"])].append((m["start"], m["end"], m["entity"], m.get("entity_name")))
    by_gold: dict[str, Counter[str]] = defaultdict(Counter)
    by_pred: dict[str, Counter[str]] = defaultdict(Counter)
    texts: dict[str, Counter[str]] = defaultdict(Counter)
    missed: Counter[str] = Counter()
    for doc in docs:
        for e in _gold_mentions(doc):
            if e["label"] not in LABELS or not named(e["text"]):
                continue
            best, ov = None, 0
            for s, t, ent, _name in pred.get(str(doc["id"]), []):
                o = min(e["end"], t) - max(e["start"], s)
                if o > ov:
                    best, ov = ent, o
            texts[e["cluster"]][e["text"]] += 1
            if best is None:
                missed[f"{e['label']} {e['text']!r} ({doc['id']})"] += 1
                continue
            by_gold[e["cluster"]][best] += 1
            by_pred[best][f"{e['cluster']}"] += 1
    lines = ["== SPLIT: gold clusters over several entities"]
    for cluster, ents in sorted(by_gold.items(), key=lambda kv: -sum(kv[1].values())):
        if len(ents) > 1:
            lines.append(f"{cluster} {dict(texts[cluster].most_common(6))}")
            lines.extend(f"    {n:3} {ent}" for ent, n in ents.most_common())
    lines.append("== MERGED: entities over several gold clusters")
    for ent, clusters in sorted(by_pred.items(), key=lambda kv: -sum(kv[1].values())):
        if len(clusters) > 1:
            lines.append(ent)
            lines.extend(
                f"    {n:3} {c} {dict(texts[c].most_common(4))}" for c, n in clusters.most_common()
            )
    lines.append("== MISSED: gold named mentions no mention overlaps")
    lines.extend(f"    {n:3} {k}" for k, n in missed.most_common())
    path.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"== error cases written to {path}")


if __name__ == "__main__":
    sys.exit(main())
