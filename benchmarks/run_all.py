"""Every benchmark in benchmarks/, one after another: ``make bench``.

    python benchmarks/run_all.py [--smoke] [--only NAME ...]

Runs each ``benchmarks/*.py`` script (analysis quality and speed, import and
insight speed when present) and then the load run (``benchmarks/load``,
the full 10-minute profile on SQLite and PostgreSQL unless ``--smoke``).
Each one's figures are written to benchmarks/results/<name>.txt (and the load
run's to benchmarks/results/load.json); the summary says where each figure
belongs in the docs. Exit status is non-zero when any benchmark failed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
# Where each benchmark's figures go.
DOCS = {
    "analysis_quality": "docs/analysis.md (quality)",
    "analysis_speed": "docs/analysis.md (speed)",
    "disclosure_sweep": "docs/privacy.md (small groups: the sweep of the demo data)",
    "sentiment_classifier": "docs/analysis.md (Sentiment, held-out figures; Classifier, figures)",
    "import_speed": "docs/performance.md (imports)",
    "insight_speed": "docs/performance.md (insight)",
    "journey_cpu": "docs/performance.md (server CPU per journey)",
    "load": "docs/performance.md (Load, and the sustained-rate ratio)",
    "upload_limits": "docs/performance.md (hostile uploads)",
    "themes_vs_bertopic": "docs/analysis.md (Against BERTopic and the baseline)",
    "safeguarding_writers": "docs/safeguarding.md (Validation by writer held out)",
}
SMOKE_ARGS = {"analysis_speed": ["--sizes", "1000"], "analysis_quality": ["--skip-bertopic"],
              "themes_vs_bertopic": ["--skip-bertopic"],
              "journey_cpu": ["--journeys", "20"]}


def scripts() -> list[Path]:
    here = REPO / "benchmarks"
    return sorted(p for p in here.glob("*.py") if p.name != "run_all.py" and not p.name.startswith("_"))


def run(name: str, command: list[str]) -> tuple[str, int, float]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    with open(RESULTS / f"{name}.txt", "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:
            sys.stdout.write(line)
            out.write(line)
        code = process.wait()
    return name, code, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="short profiles, for development")
    parser.add_argument("--only", nargs="+", help="run only these (e.g. load analysis_speed)")
    args = parser.parse_args(argv)
    plan = []
    for script in scripts():
        extra = SMOKE_ARGS.get(script.stem, []) if args.smoke else []
        plan.append((script.stem, [sys.executable, str(script), *extra]))
    load = [sys.executable, "-m", "benchmarks.load.run_load", "--json", str(RESULTS / "load.json")]
    plan.append(("load", load + (["--smoke"] if args.smoke else [])))
    if args.only:
        plan = [p for p in plan if p[0] in args.only]
    outcomes = [run(name, command) for name, command in plan]
    print("\nSummary (figures also in benchmarks/results/):")
    for name, code, seconds in outcomes:
        state = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"  {name:18} {state:18} {seconds:7.0f} s  -> {DOCS.get(name, 'docs/performance.md')}")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
