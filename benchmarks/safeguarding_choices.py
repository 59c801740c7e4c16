"""Out-of-fold figures of the safeguarding model's training choices, on the TRAINING part only.

    .venv/bin/python benchmarks/safeguarding_choices.py [--augment 0 1 2] [--C 16]

For each setting, 5-fold out-of-fold recall (ordinary folds: for the figure on writers the model
never saw, see benchmarks/safeguarding_writers.py) and false alarms of the whole screen (phrase lists
or model) at the threshold ``train`` would choose (5% false alarms), overall, by register and
by kind. The evaluation parts (``eval/``, ``eval2/``) are never read here: choices are made on
these figures, and the evaluation parts are measured once, after.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.concern_eval import read_corpus  # noqa: E402
from analysis.concern_train import train  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--augment", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--C", type=float, nargs="+", default=[16.0])
    parser.add_argument("--no-vectors", action="store_true")
    args = parser.parse_args()
    from feedback.concern_bridge import TRAIN_CORPUS, text_vectors
    from feedback.safeguarding import screen

    rows = read_corpus(TRAIN_CORPUS)
    vectors = None if args.no_vectors else text_vectors()
    by_lists = np.array([screen(r.text, model=None).flagged for r in rows])
    y = np.array([r.concerning for r in rows])
    print(f"{len(rows):,} training texts, {y.sum():,} concerning; lists alone: recall "
          f"{by_lists[y].mean():.1%}, false alarms {by_lists[~y].mean():.1%}")
    hosts = [r.label == "ordinary" and r.kind == "general" for r in rows]
    for C in args.C:
        for augment in args.augment:
            started = time.process_time()
            _, report = train([r.text for r in rows], y, [r.kind for r in rows], vectors=vectors,
                              C=C, augment=augment, hosts=hosts, flagged_anyway=by_lists)
            flagged = report.flagged
            registers: dict[str, list[bool]] = defaultdict(list)
            kinds: dict[str, list[bool]] = defaultdict(list)
            for r, f in zip(rows, flagged):
                if r.concerning:
                    registers[r.register].append(bool(f))
                    kinds[r.kind].append(bool(f))
            print(f"\nC={C:g} augment={augment}: recall {report.recall:.1%}, false alarms "
                  f"{report.false_alarms:.1%}, threshold {report.threshold:.3f} "
                  f"({time.process_time() - started:.0f} s CPU)")
            print("  by register: " + ", ".join(
                f"{k} {np.mean(v):.0%}" for k, v in sorted(registers.items())))
            print("  by kind: " + ", ".join(
                f"{k} {np.mean(v):.0%}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
