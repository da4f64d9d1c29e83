"""How well does kg find quotes and their speakers on real annotated news (PolNeAR)?

Builds ``../shared/eval/polnear_dev.jsonl`` (or ``--train``) with ``kg.build`` into a temporary
folder, then runs ``../shared/eval/score_quotes.py`` on it for direct quotes alone and for all
kinds, and prints both, the distribution of attribution rules, and a speaker accuracy restricted
to gold speakers that are names (PolNeAR's speaker is a span, often "he": no name can match it).

    python benchmarks/bench_quotes.py                    # dev set
    python benchmarks/bench_quotes.py --train --limit 200
    python benchmarks/bench_quotes.py --out /tmp/qdev --errors /tmp/qdev-errors.txt

The evaluation data stays in ../shared/eval (its licence allows research use, not
redistribution): this script reads it from there and never copies it into the repository.
Figures only; no assertion (the targets are in issue 4).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who", "which", "that", "his", "her"}
PARTICLES = {"de", "del", "da", "van", "von", "la", "le", "di", "bin", "al"}
NOT_GIVEN = frozenset({"but", "and", "both", "neither", "then", "former"})
PRONOUNS |= {"him", "them", "its", "their", "this", "these", "those", "some", "many", "one"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="use polnear_train.jsonl")
    ap.add_argument("--gold", type=Path, help="another gold JSONL (same format)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--model", default=None, help="spaCy model (default: kg's)")
    ap.add_argument("--out", type=Path, help="build into this folder (kept) instead of a temp one")
    ap.add_argument("--score-only", action="store_true", help="score --out without building")
    ap.add_argument(
        "--errors", type=Path, help="write missed / spurious / wrong-speaker cases here"
    )
    ap.add_argument(
        "--no-join-across-sentences",
        dest="join_across_sentences",
        action="store_false",
        help='measure with kg.quotes.JOIN_ACROSS_SENTENCES off (\'"A," he said. "B."\' as two)',
    )
    args = ap.parse_args(argv)

    gold = args.gold or EVAL / ("polnear_train.jsonl" if args.train else "polnear_dev.jsonl")
    with tempfile.TemporaryDirectory(prefix="kg-bench-quotes-") as tmp:
        out = args.out or Path(tmp) / "out"
        if args.limit:
            lines = gold.read_text("utf-8").splitlines()[: args.limit]
            gold = Path(tmp) / gold.name
            gold.write_text("\n".join(lines) + "\n", "utf-8")
        if not args.score_only:
            import kg
            import kg.quotes

            kg.quotes.JOIN_ACROSS_SENTENCES = args.join_across_sentences

            started = time.perf_counter()
            options: dict[str, Any] = {"model": args.model} if args.model else {}
            result = kg.build([gold], out=out, **options)
            seconds = time.perf_counter() - started
            n = len(result.extractions)
            print(f"built {n} articles of {gold.name} in {seconds:.1f} s ({n / seconds:.1f}/s)")
            print(f"JOIN_ACROSS_SENTENCES = {kg.quotes.JOIN_ACROSS_SENTENCES}")
        for kinds in ("direct", "direct,mixed,indirect"):
            print(f"== kinds {kinds}")
            run = subprocess.run(
                [
                    sys.executable,
                    str(EVAL / "score_quotes.py"),
                    str(gold),
                    str(out),
                    "--kinds",
                    kinds,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            print(run.stdout.rstrip())
        rows = [json.loads(line) for line in (out / "quotes.jsonl").open(encoding="utf-8")]
        golds = {str(r["id"]): r for r in map(json.loads, gold.open(encoding="utf-8"))}
        report_rules(rows)
        report_named_speakers(rows, golds)
        speech = speech_verb_cues(golds)
        report_speech_verb_recall(rows, golds, speech)
        report_speech_verb_subset(rows, golds, speech)
        report_ceiling(rows, golds, speech)
        if args.errors:
            write_errors(rows, golds, args.errors)
    return 0


def report_rules(rows: list[dict[str, Any]]) -> None:
    print("== rules (kind: rule count)")
    counts = Counter((r["kind"], r.get("rule") or "") for r in rows)
    for (kind, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {kind:8} {rule:40} {n}")
    unresolved = sum(1 for r in rows if not r.get("speaker_name"))
    print(f"  {len(rows)} quotes, {unresolved} without a named speaker")


def _norm(name: str) -> list[str]:
    # accents folded as the official scorer folds them ("Calderón" is "Calderon")
    folded = unidecode(name or "")
    name = re.sub(
        r"\b(mr|mrs|ms|dr|president|sen|rep|gov|the|jr|sr|ii|iii|iv)\b\.?",
        " ",
        folded.lower(),
    )
    return [t for t in re.findall(r"[a-z]+(?:-[a-z]+)*", name) if len(t) > 1]


def same_person(pred: str, gold: str) -> bool:
    """Lenient: the prediction's surname is in the gold span's name part (before any comma:
    "Curt Smith, a leader in Indiana") and its first initial matches a given name there, if
    both have one; an acronym matches its long form ("IMF", "International Monetary Fund")."""
    core = gold.split(",")[0]
    p, g = _norm(pred), _untitled(_norm(core))  # "Judge Berman": Berman
    if len(p) == 2 and g == p[:1]:
        return True  # a surname written first: "Lou Jiwei" is "Mr. Lou"
    letters = re.sub(r"[^A-Za-z]", "", re.sub(r"^\s*[Tt]he\s+", "", core))
    if letters.isupper() and 2 <= len(letters) <= 6:
        initials = "".join(w[0] for w in pred.split() if w[:1].isupper())
        return letters in (initials, re.sub(r"[^A-Za-z]", "", pred)) or pred == core
    if not p or not g or p[-1] not in g:
        return False
    before = [t for t in g[: g.index(p[-1])] if t not in PARTICLES]
    # given names are capitalized words that are not titles: "A teary-eyed Bush" and "Media
    # Research Center's Bozell" name none
    from kg.attribution import read_lexicon

    titles = read_lexicon("titles.txt") | read_lexicon("honorifics.txt") | NOT_GIVEN
    capitalized = {w.lower() for w in re.findall(r"[A-Za-z]+", core) if w[:1].isupper()}
    given = [t for t in before if t in capitalized and t not in titles]
    return len(p) == 1 or not given or p[0][0] in {t[0] for t in before}


def _untitled(words: list[str]) -> list[str]:
    """A title and a surname ("judge berman") less the title, by kg's lexicons of titles and
    honorifics."""
    from kg.attribution import read_lexicon

    titles = read_lexicon("titles.txt") | read_lexicon("honorifics.txt")
    return words[1:] if len(words) == 2 and words[0] in titles else words


DETERMINERS = frozenset({"a", "an", "another", "one", "the", "this", "that"})


def _describes(word: str) -> bool:
    """A word that ends a description of a person, not a name: a party member or a role noun
    of kg's lexicon ("Republican", "Senator")."""
    from kg.attribution import read_lexicon
    from kg.names import PARTY_WORDS

    word = word.lower().strip(".")
    roles = read_lexicon("quotes_role_nouns.txt") | PARTY_WORDS | {"democrat", "republican"}
    return word in roles or word.rstrip("s") in roles


def is_name(speaker: str | None, text: str = "") -> bool:
    """A gold speaker span that is a proper name ("Trump", "Mr. Sanders"), not "he", "a source"
    or "Analysts" (a capitalized common noun: a one-word span whose word the article never
    capitalizes in mid-sentence)."""
    if not speaker:
        return False
    words = re.sub(r"['’]s\b", "", speaker.split(",")[0]).split()
    if not words or not words[-1][:1].isupper() or speaker.lower() in PRONOUNS:
        return False
    if len(words) > 1 and words[0].lower() in DETERMINERS and _describes(words[-1]):
        return False  # "The Wisconsin Republican", "a New Hampshire Democrat": a description
    if len([w for w in words if w[:1].isupper()]) >= 2 or not text:
        return True
    return re.search(rf"[a-z,] {re.escape(words[-1])}\b", text) is not None


def _match(rows: list[dict[str, Any]], golds: dict[str, Any], thr: float = 0.3):
    """Greedy matching as score_quotes.py does it: (pred, gold or None) pairs, and missed golds."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_article.setdefault(str(r["article"]), []).append(r)
    pairs, missed = [], []
    for aid, g in golds.items():
        gq = [q for q in g.get("quotes", []) if q.get("start") is not None]
        used: set[int] = set()
        for p in by_article.get(aid, []):
            best, best_ov = None, 0.0
            for j, q in enumerate(gq):
                if j in used:
                    continue
                ov = max(0, min(p["end"], q["end"]) - max(p["start"], q["start"]))
                ov /= max(1, q["end"] - q["start"])
                if ov > best_ov:
                    best, best_ov = j, ov
            if best is not None and best_ov >= thr:
                used.add(best)
                pairs.append((aid, p, gq[best]))
            else:
                pairs.append((aid, p, None))
        missed.extend((aid, q) for j, q in enumerate(gq) if j not in used)
    return pairs, missed


def report_named_speakers(rows: list[dict[str, Any]], golds: dict[str, Any]) -> None:
    pairs, _ = _match(rows, golds)
    named = [
        (p, g)
        for aid, p, g in pairs
        if g is not None and is_name(g.get("speaker"), golds[aid]["text"])
    ]
    ok = sum(same_person(p.get("speaker_name") or "", g["speaker"]) for p, g in named)
    empty = sum(1 for p, _ in named if not p.get("speaker_name"))
    share = ok / len(named) if named else 0.0
    print(
        f"== speaker accuracy where the gold speaker is a name (lenient name match): {share:.3f} "
        f"({ok}/{len(named)} matched@0.3; {empty} left empty)"
    )


def speech_verb_cues(golds: dict[str, Any]) -> dict[str, bool]:
    """For each gold cue text: is it one of kg's reporting verbs (kg/data/reporting_verbs.txt,
    by lemma) or "according to"? Those are the quotes a Gender Gap Tracker-style annotation
    counts; the others are the beliefs and stances PolNeAR adds ("wants", "attacked X for")."""
    from kg.attribution import reporting_verbs
    from kg.nlp import load_pipeline

    verbs, nlp = reporting_verbs(), load_pipeline()
    cues = sorted({_cue_text(q) for g in golds.values() for q in g.get("quotes", [])})
    lemmas = {cue: {t.lemma_.lower() for t in doc} for cue, doc in zip(cues, nlp.pipe(cues))}
    return {cue: bool(words & verbs) or "accord" in words for cue, words in lemmas.items()}


def report_speech_verb_subset(
    rows: list[dict[str, Any]], golds: dict[str, Any], speech: dict[str, bool]
) -> None:
    """score_quotes.py's P/R/F1 with the gold restricted to quotes cued by a speech verb (all
    kinds): a prediction that covers a stance attribution is not counted either way, as the
    scorer does for the kinds it leaves out. An estimate of the figures on news annotated the
    Gender Gap Tracker's way, which counts no stances."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_article.setdefault(str(r["article"]), []).append(r)
    print("== all kinds, gold cued by a speech verb (a Gender Gap Tracker-like subset)")
    for thr in (0.3, 0.8):
        n_pred = n_gold = matched = 0
        for aid, g in golds.items():
            quotes = [q for q in g.get("quotes", []) if q.get("start") is not None]
            kept = [q for q in quotes if speech[_cue_text(q)]]
            other = [q for q in quotes if not speech[_cue_text(q)]]
            n_gold += len(kept)
            used: set[int] = set()
            for p in by_article.get(aid, []):
                best, best_ov = None, 0.0
                for j, q in enumerate(kept):
                    if j not in used and _coverage(p, q) > best_ov:
                        best, best_ov = j, _coverage(p, q)
                if best is not None and best_ov >= thr:
                    used.add(best)
                    n_pred += 1
                    matched += 1
                elif not any(_coverage(p, q) >= thr for q in other):
                    n_pred += 1
        prec, rec = matched / max(1, n_pred), matched / max(1, n_gold)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(
            f"  overlap>={thr}: P {prec:.3f} R {rec:.3f} F1 {f1:.3f} | {n_pred} predicted, {n_gold} gold"
        )


def report_speech_verb_recall(
    rows: list[dict[str, Any]], golds: dict[str, Any], speech: dict[str, bool]
) -> None:
    """Recall@0.3 per gold kind, split by whether the gold cue is a speech verb (see
    speech_verb_cues)."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_article.setdefault(str(r["article"]), []).append(r)
    found: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for aid, g in golds.items():
        for q in g.get("quotes", []):
            if q.get("start") is None:
                continue
            key = ("a reporting verb" if speech[_cue_text(q)] else "other", q["kind"])
            total[key] += 1
            found[key] += any(_coverage(p, q) >= 0.3 for p in by_article.get(aid, []))
    print("== recall@0.3 by gold cue (is it one of kg's reporting verbs?) and kind")
    for key in sorted(total):
        print(
            f"  {key[0]:17} {key[1]:9} {found[key]:5}/{total[key]:<5} {found[key] / total[key]:.3f}"
        )


def report_ceiling(
    rows: list[dict[str, Any]], golds: dict[str, Any], speech: dict[str, bool]
) -> None:
    """All kinds at 0.3, were every gold quote a speech verb cues found, the others found as
    now, at today's precision: how far finding quotes can take the all-kinds score, and how much
    of the rest must come from beliefs, stances and deeds that no speech verb cues."""
    pairs, missed = _match(rows, golds)
    matched = sum(1 for _, _, g in pairs if g is not None)
    precision = matched / max(1, len(pairs))
    gold = matched + len(missed)
    found_other = sum(1 for _, _, g in pairs if g is not None and not speech[_cue_text(g)])
    cued = sum(speech[_cue_text(q)] for _, _, q in pairs if q is not None)
    cued += sum(speech[_cue_text(q)] for _, q in missed)
    recall = (cued + found_other) / max(1, gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print("== all kinds @0.3 were every speech-cued gold quote found (the rest as now)")
    print(
        f"  P {precision:.3f} R {recall:.3f} F1 {f1:.3f} | {cued} speech-cued + "
        f"{found_other} other found, of {gold} gold"
    )


def _cue_text(quote: dict[str, Any]) -> str:
    return " ".join(c["text"] for c in quote.get("cue", []))


def write_errors(rows: list[dict[str, Any]], golds: dict[str, Any], path: Path) -> None:
    pairs, missed = _match(rows, golds)
    lines: list[str] = []
    for aid, p, g in pairs:
        if g is None:
            lines.append(f"SPURIOUS {p['kind']} [{p.get('rule')}] {aid}\n  P: {p['text']!r}")
        elif is_name(g.get("speaker"), golds[aid]["text"]) and not same_person(
            p.get("speaker_name") or "", g["speaker"]
        ):
            lines.append(
                f"SPEAKER {p['kind']}/{g['kind']} [{p.get('rule')}] {aid} pred={p.get('speaker_name')!r}"
                f" text={p.get('speaker_text')!r} gold={g['speaker']!r}\n  P: {p['text'][:200]!r}"
            )
        elif (p["end"] - p["start"]) and _coverage(p, g) < 0.8:
            lines.append(
                f"SPAN {p['kind']}/{g['kind']} [{p.get('rule')}] {aid} cov={_coverage(p, g):.2f}\n"
                f"  P: {p['text']!r}\n  G: {g['text']!r}"
            )
    for aid, g in missed:
        text = golds[aid]["text"]
        context = text[max(0, g["start"] - 80) : g["end"] + 80].replace("\n", " ")
        cue = _cue_text(g)
        lines.append(f"MISSED {g['kind']} cue={cue!r} {aid}\n  G: {g['text']!r}\n  C: {context!r}")
    path.write_text("\n".join(sorted(lines, key=lambda s: s.split()[0])) + "\n", "utf-8")
    print(f"== {len(lines)} error cases written to {path}")


def _coverage(p: dict[str, Any], g: dict[str, Any]) -> float:
    return max(0, min(p["end"], g["end"]) - max(p["start"], g["start"])) / max(
        1, g["end"] - g["start"]
    )


if __name__ == "__main__":
    sys.exit(main())
