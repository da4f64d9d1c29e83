"""kg build against the bare spaCy pipeline on a real news corpus.

    python benchmarks/bench_build.py --n 500
    python benchmarks/bench_build.py --n 2000 --json bench-2000.json

Reads the first N articles of ``../shared/corpus/bbc_news.jsonl`` (2,225 BBC News articles; the
corpus is read in place, never copied into the repo: only a temporary N-line slice is written).
Each measurement runs in its own subprocess, so peak RSS (``ru_maxrss`` from ``wait4``, which
includes the spaCy worker processes when ``--n-process`` > 1) is per run:

  (a) ``kg build SLICE --no-cache``: ingest, parse, extract, link, graph, every export;
  (b) bare spaCy: the same texts through ``nlp.pipe`` with the same model, the same excluded
      components (``kg.nlp.EXCLUDED_COMPONENTS``), ``n_process`` and ``batch_size``;
  (c) ``kg build`` with an empty cache, (d) again (every article cached: nothing is parsed, the
      model is never loaded), (e) with one more article (one is parsed).

kg's modules are compiled to bytecode before any run (as an installed package has them).
Throughput is corpus words (whitespace-separated) per wall second, for (a) and (b) alike; the
ratio is (a)/(b). CPU seconds (user + sys) are printed too: on a shared machine they are the
steadier measure. ``--repeat R`` alternates (a) and (b) R times and keeps each one's fastest
run; it also prints the ratio of each back-to-back pair and their median (the machine's speed
drifts between pairs).
Serialization time is what report.json records for rendering graph.ttl.

(a) reads kg's prepared gazetteer index from the user cache (``kg.gazetteer.index_cache_dir``;
built and written there by the first run on a machine, ~2 s more). The table says which it was;
``--cold-gazetteer`` adds a run of (a) with an empty index cache: what the very first build costs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "bbc_news.jsonl"


def bare_spacy(corpus: str, model: str, n_process: int, batch_size: int) -> None:
    """Run (b) in this process: the bare pipeline over the texts, streamed; print a JSON line."""
    import spacy

    from kg.nlp import EXCLUDED_COMPONENTS, MODEL_ALIASES

    started = time.perf_counter()
    nlp = None
    for candidate in MODEL_ALIASES.get(model, (model,)):
        try:
            nlp = spacy.load(candidate, exclude=list(EXCLUDED_COMPONENTS))
            break
        except (OSError, ImportError):
            continue
    if nlp is None:
        raise SystemExit(f"model {model!r} is not installed")
    loaded = time.perf_counter()

    def texts():
        with open(corpus, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)["text"]

    tokens = 0
    for doc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        tokens += len(doc)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "load": loaded - started,
                "pipe": done - loaded,
                "tokens": tokens,
                "pipes": nlp.pipe_names,
            }
        )
    )


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one subprocess (and its children)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env} if env else None,
    )
    out, err = b"", b""
    # wait4 gives this child's own rusage; communicate() would reap it without one.
    import threading

    chunks: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda: chunks.__setitem__("out", proc.stdout.read())),
        threading.Thread(target=lambda: chunks.__setitem__("err", proc.stderr.read())),
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = chunks.get("out", b""), chunks.get("err", b"")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-3000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024,
        "stdout": out.decode(errors="replace"),
    }


def gazetteer_cache_state() -> str:
    """Whether kg build will read its gazetteer index from the user cache or build it."""
    from kg.gazetteer import index_cache_file

    path = index_cache_file()
    if path is None:
        return "off (built in every run)"
    return f"{'warm' if path.is_file() else 'cold (the first run builds it)'}: {path}"


def kg_build(
    corpus: Path,
    out: Path,
    args: argparse.Namespace,
    *extra: str,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "-q",
        "--n-process", str(args.n_process), "--batch-size", str(args.batch_size), *extra,
    ]  # fmt: skip
    if args.model:
        command += ["--model", args.model]
    run = measure(command, ROOT, env)
    run["report"] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return run


def bare(corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--bare", str(corpus), "--model", args.model or "",
        "--n-process", str(args.n_process), "--batch-size", str(args.batch_size),
    ]  # fmt: skip
    run = measure(command, ROOT)
    run["phases"] = json.loads(run["stdout"].strip().splitlines()[-1])
    return run


def compile_bytecode() -> None:
    """Compile kg's modules to bytecode first, as ``pip install`` does: an editable checkout run
    with PYTHONDONTWRITEBYTECODE (as on CI machines) would otherwise compile ~12k lines of kg in
    every timed run of (a), which the bare pipeline's precompiled imports never pay."""
    import compileall

    compileall.compile_dir(str(ROOT / "kg"), quiet=1)


def slice_corpus(source: Path, n: int, target: Path) -> tuple[int, int]:
    """The first n articles of source into target; (articles, words)."""
    articles = words = 0
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            if articles == n:
                break
            dst.write(line)
            articles += 1
            words += len(json.loads(line)["text"].split())
    return articles, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--model", default=None)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternate (a)/(b) R times, keep the best"
    )
    parser.add_argument("--skip-cache", action="store_true", help="skip the cache runs (c)-(e)")
    parser.add_argument(
        "--cold-gazetteer",
        action="store_true",
        help="also run (a) with an empty gazetteer index cache (a machine's first build)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--bare", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        from kg.nlp import DEFAULT_MODEL

        bare_spacy(args.bare, args.model or DEFAULT_MODEL, args.n_process, args.batch_size)
        return
    if not args.corpus.is_file():
        raise SystemExit(f"no corpus at {args.corpus}; pass --corpus FILE.jsonl")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        articles, words = slice_corpus(args.corpus, args.n, corpus)
        compile_bytecode()
        print(f"corpus: {articles} articles, {words} words from {args.corpus}", file=sys.stderr)
        gazetteer = gazetteer_cache_state()
        print(f"gazetteer index cache: {gazetteer}", file=sys.stderr)
        runs_a, runs_b = [], []
        for i in range(args.repeat):
            runs_b.append(bare(corpus, args))
            print(f"  (b) bare spaCy   {runs_b[-1]['wall']:.1f}s", file=sys.stderr)
            runs_a.append(kg_build(corpus, work / f"out-a{i}", args, "--no-cache"))
            print(f"  (a) kg build     {runs_a[-1]['wall']:.1f}s", file=sys.stderr)
        a = min(runs_a, key=lambda r: r["wall"])
        b = min(runs_b, key=lambda r: r["wall"])
        results: dict[str, Any] = {
            "articles": articles,
            "words": words,
            "kg": a,
            "bare": b,
            "gazetteer_cache": gazetteer,
            # (b) then (a) run back to back see the same machine: their ratio is the steadier one
            "pair_ratios": [rb["wall"] / ra["wall"] for ra, rb in zip(runs_a, runs_b)],
        }
        if args.cold_gazetteer:
            empty = work / "empty-gazetteer-cache"
            results["kg_cold_gazetteer"] = kg_build(
                corpus,
                work / "out-cold",
                args,
                "--no-cache",
                env={"KG_GAZETTEER_CACHE": str(empty)},
            )
            print(
                f"  (a') cold index  {results['kg_cold_gazetteer']['wall']:.1f}s", file=sys.stderr
            )
        if not args.skip_cache:
            results |= cache_runs(corpus, work, args)
    print_table(results, args)
    if args.json:
        for run in (results["kg"], results["bare"], results.get("kg_cold_gazetteer", {})):
            run.pop("stdout", None)
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


def cache_runs(corpus: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    out = work / "out-cache"
    cold = kg_build(corpus, out, args)
    print(f"  (c) cold cache   {cold['wall']:.1f}s", file=sys.stderr)
    warm = kg_build(corpus, out, args)
    print(f"  (d) warm cache   {warm['wall']:.1f}s", file=sys.stderr)
    grown = work / "grown.jsonl"
    extra = json.dumps({"id": "bench-extra-1", "title": "One more", "text": EXTRA}) + "\n"
    grown.write_text(corpus.read_text(encoding="utf-8") + extra, encoding="utf-8")
    plus = kg_build(grown, out, args)
    print(f"  (e) one new      {plus['wall']:.1f}s", file=sys.stderr)
    return {"cold": cold, "warm": warm, "plus_one": plus}


EXTRA = (
    "One more article\n\nThe chancellor, Gordon Brown, said on Tuesday that growth would stay "
    'strong. "The economy is stable," Mr Brown told the BBC in London.\n'
)


def print_table(r: dict[str, Any], args: argparse.Namespace) -> None:
    a, b, words = r["kg"], r["bare"], r["words"]
    rows = [("(a) kg build --no-cache", a), ("(b) bare spaCy nlp.pipe", b)]
    print(
        f"\nN={r['articles']} articles, {words} words, n_process={args.n_process}, "
        f"batch_size={args.batch_size}, pipes={','.join(b['phases']['pipes'])}"
    )
    print(
        f"{'run':<28}{'wall s':>9}{'words/s':>10}{'cpu s':>9}{'words/cpu-s':>13}{'peak RSS MiB':>14}"
    )
    for name, run in rows:
        print(
            f"{name:<28}{run['wall']:>9.1f}{words / run['wall']:>10.0f}{run['cpu']:>9.1f}"
            f"{words / run['cpu']:>13.0f}{run['rss_mib']:>14.0f}"
        )
    print(
        f"ratio (a)/(b) throughput: wall {b['wall'] / a['wall']:.3f}, cpu {b['cpu'] / a['cpu']:.3f}"
    )
    pairs = sorted(r.get("pair_ratios", []))
    if len(pairs) > 1:
        print(
            f"ratio of each back-to-back pair (b then a): {', '.join(f'{x:.3f}' for x in pairs)}; "
            f"median {statistics.median(pairs):.3f}"
        )
    t = a["report"]["timings"]
    mem = a["report"].get("memory", {})
    print("kg phases (s): " + ", ".join(f"{k} {v:.2f}" for k, v in t.items()))
    print(f"bare phases (s): load {b['phases']['load']:.2f}, pipe {b['phases']['pipe']:.2f}")
    print(
        f"graph.ttl serialization: {t.get('render_graph.ttl', float('nan')):.2f}s "
        f"({a['report']['counts']['entities']} entities, "
        f"{sum(a['report']['counts']['edges'].values())} edges)"
    )
    if mem:
        print("kg peak RSS (MiB): " + ", ".join(f"{k} {v}" for k, v in mem.items()))
    print(f"gazetteer index cache: {r.get('gazetteer_cache', '?')}")
    if "kg_cold_gazetteer" in r:
        cold = r["kg_cold_gazetteer"]
        print(
            f"(a) with an empty gazetteer index cache: wall {cold['wall']:.1f}s, cpu "
            f"{cold['cpu']:.1f}s, load_model {cold['report']['timings']['load_model']:.2f}s, "
            f"peak RSS {cold['rss_mib']:.0f} MiB; ratio wall {b['wall'] / cold['wall']:.3f}, "
            f"cpu {b['cpu'] / cold['cpu']:.3f}"
        )
    if "warm" in r:
        cold, warm, plus = r["cold"], r["warm"], r["plus_one"]
        print(
            f"cache: cold {cold['wall']:.1f}s, re-run {warm['wall']:.2f}s "
            f"({cold['wall'] / warm['wall']:.0f}x faster; parsed {warm['report']['cache']['parsed']}, "
            f"model load {warm['report']['timings']['load_model']:.2f}s, peak RSS {warm['rss_mib']:.0f} MiB), "
            f"+1 article {plus['wall']:.1f}s (parsed {plus['report']['cache']['parsed']})"
        )


if __name__ == "__main__":
    main()
