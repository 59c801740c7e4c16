"""Speed and memory benchmark of the analysis engine.

    python benchmarks/analysis_speed.py [--sizes 10000 100000] [--distinct] [--short-distinct] [--classify-only]
                                        [--profile DIR]

Texts are sampled with replacement from both shared data files (../shared/data or
ANALYSIS_DATA_DIR). Each size runs ``find_themes(n_themes="auto")`` in a fresh child process so
that its peak resident memory (ru_maxrss) is its own. ``--distinct`` adds a harder case where
every text is unique (two random comments joined), so de-duplication cannot help; its texts are
twice as long as a comment. ``--short-distinct`` adds nearly-all-distinct texts as short as one
comment (the first half of one comment's words and the second half of another's).
The CPU seconds and peak memory count the sentiment's second process too (from 20,000 distinct
texts its text part is worked out there: ``analysis.sentiment.PARALLEL_FROM``). Each process's
peak RSS counts the pages the forked process shares with its parent twice, so the memory goal
is checked on the peak of the two processes' proportional set size (PSS, shared pages split
between them), sampled every 50 ms from /proc. Finally one new text is classified at a time with a model trained on the 9-theme file.
``--profile DIR`` also writes each row's cProfile (timed in CPU seconds of the process, which
contention on a shared machine does not inflate as much as wall time) to DIR and prints its top
functions; profiling slows the run, so take timings from a run without it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def data_dir() -> Path:
    return Path(os.environ.get("ANALYSIS_DATA_DIR", REPO.parent / "shared" / "data"))


def corpus() -> tuple[list[str], list[str]]:
    """(all texts of both files, the 9-theme labels of the first file's texts)."""
    with open(data_dir() / "nhs-feedback-themes.csv", encoding="utf-8", errors="replace", newline="") as f:
        themes = list(csv.DictReader(f))
    with open(data_dir() / "nhs-feedback-multilabel.csv", encoding="utf-8", errors="replace", newline="") as f:
        multi = list(csv.DictReader(f))
    texts = [r["feedback"] for r in themes] + [r["FFT answer"] for r in multi]
    return texts, [r["label"] for r in themes]


MODES = {"sampled": "sampled", "distinct": "all distinct", "short": "distinct, short"}


def sample(n: int, mode: str = "sampled", seed: int = 0) -> list[str]:
    """``n`` texts: comments drawn with replacement ("sampled"), two comments joined
    ("distinct"), or half of one comment's words then half of another's ("short")."""
    texts, _ = corpus()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(texts), size=n)
    if mode == "sampled":
        return [texts[i] for i in picks]
    other = rng.integers(0, len(texts), size=n)
    if mode == "distinct":
        return [f"{texts[i]} {texts[j]}" for i, j in zip(picks, other)]
    out = []
    for i, j in zip(picks, other):
        a, b = texts[i].split(), texts[j].split()
        out.append(" ".join(a[: (len(a) + 1) // 2] + b[len(b) // 2:]))
    return out


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process (shared pages split between their users), MB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _PssPeak:
    """The highest total PSS of this process and its children, sampled every 50 ms: what the
    machine really holds when a forked process shares most of its pages with its parent."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            kids = []
            for task in Path(f"/proc/{me}/task").glob("*/children"):
                try:
                    kids += [int(k) for k in task.read_text().split()]
                except OSError:
                    pass
            self.peak = max(self.peak, _pss_mb(me) + sum(_pss_mb(k) for k in kids))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def child(n: int, mode: str, profile: str = "") -> None:
    """Theme n texts and print one JSON line (run in a fresh process)."""
    from analysis import find_themes

    texts = sample(n, mode)
    pss = _PssPeak()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    if profile:
        import cProfile  # noqa: PLC0415
        import pstats  # noqa: PLC0415

        profiler = cProfile.Profile(time.process_time)
        result = profiler.runcall(find_themes, texts, n_themes="auto", seed=0)
        path = Path(profile) / f"themes-{n}-{mode}.prof"
        profiler.dump_stats(path)
        pstats.Stats(str(path), stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    else:
        result = find_themes(texts, n_themes="auto", seed=0)
    seconds = time.perf_counter() - started
    import multiprocessing  # noqa: PLC0415

    while multiprocessing.active_children():  # reap the sentiment's second process, if any,
        time.sleep(0.01)                       # so that its CPU time and memory are counted
    after = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
           + kids.ru_utime + kids.ru_stime)
    peak_mb = after.ru_maxrss / 1024
    child_mb = kids.ru_maxrss / 1024
    pss_peak = pss.stop()
    distinct_texts = len({t.strip().lower() for t in texts})
    words = float(np.mean([len(t.split()) for t in texts]))
    print(json.dumps({"n": n, "distinct": distinct_texts, "words": words, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb,
                      "second_process_mb": child_mb, "pss_peak_mb": pss_peak,
                      "themes": len(result.themes),
                      "subthemes": sum(len(t.subthemes) for t in result.themes)}))


def classify_latency(repeats: int = 300) -> dict:
    from analysis import train_classifier

    texts, labels = corpus()
    model = train_classifier(texts[: len(labels)], labels, seed=0)
    new = sample(repeats, "sampled", seed=1)
    model.classify(new[:5])  # warm caches
    times = []
    for text in new:
        started = time.perf_counter()
        model.classify([text])
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": float(np.median(times)), "p95_ms": float(np.percentile(times, 95)),
            "model_kb": len(model.to_bytes()) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--distinct", action="store_true", help="also run all-distinct texts")
    parser.add_argument("--short-distinct", action="store_true",
                        help="also run nearly-all-distinct texts as short as one comment")
    parser.add_argument("--classify-only", action="store_true", help="only the one-new-text latency")
    parser.add_argument("--themes-only", action="store_true", help="skip the one-new-text latency")
    parser.add_argument("--profile", metavar="DIR", default="",
                        help="write each row's cProfile (CPU time) to DIR and print its top functions")
    parser.add_argument("--child", nargs=2, metavar=("N", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1], args.profile)
        return 0
    print(f"analysis speed benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start (other work on the machine slows every timing)")
    rows = []
    modes = ["sampled"] + (["distinct"] if args.distinct else []) + (
        ["short"] if args.short_distinct else [])
    cases = [] if args.classify_only else [(n, mode) for mode in modes for n in args.sizes]
    for n, mode in cases:
        extra = ["--profile", str(Path(args.profile).resolve())] if args.profile else []
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
        done = subprocess.run([sys.executable, __file__, "--child", str(n), mode, *extra],
                              capture_output=True, text=True, check=False)
        if args.profile:
            print(done.stderr[-6000:])
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            rows.append([n, "failed", "-", "-", "-", "-", "-", "-", "-"])
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        goal = "yes" if r["seconds"] <= 30 and r["pss_peak_mb"] <= 1536 else "no"
        rows.append([f"{n:,} ({MODES[mode]})", f"{r['distinct']:,}", f"{r['words']:.0f}",
                     f"{r['seconds']:.1f}", f"{r['cpu_seconds']:.1f}", f"{r['peak_mb']:.0f} + {r.get('second_process_mb', 0):.0f}",
                     f"{r['pss_peak_mb']:.0f}", f"{r['themes']} / {r.get('subthemes', '-')}", goal if n >= 100_000 else "-"])
    if rows:
        header = ["texts themed (auto)", "distinct texts", "mean words", "wall seconds",
                  "CPU seconds (both processes)", "peak RSS MB (+ second process)", "peak PSS MB (both)",
                  "themes / sub-themes", "<= 30 s and <= 1.5 GB"]
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
        print("\nThemes: wall time and peak resident memory (one fresh process per row)")
        for i, row in enumerate([header] + rows):
            print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
            if i == 0:
                print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if args.themes_only:
        return 0
    lat = classify_latency()
    print("\nClassifying one new text (model trained on the 10,334 labelled comments)")
    print("| median ms | p95 ms | model size KB | <= 10 ms |")
    print("|-----------|--------|---------------|----------|")
    print(f"| {lat['median_ms']:.2f} | {lat['p95_ms']:.2f} | {lat['model_kb']:.0f} | "
          f"{'yes' if lat['median_ms'] <= 10 else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
