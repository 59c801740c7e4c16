"""Stability of themes when text is added, and the label rules, on the development sets.

    python benchmarks/themes_stability.py [--added 0.1] [--sets nhs,clinc150,multilabel]

For each set: themes (``n_themes="auto"``) on a seeded share of the texts (1 - added), then on
all of them with the first run as ``previous`` (through its JSON, as the command line does).
Prints the share of the first run's items that keep the same theme id, the ARI between the two
runs on those items, how many themes were followed, emerging and retired, both runs' seconds,
and every label (theme or sub-theme) that breaks the label rules of docs/analysis.md.
Data: ../shared/data beside the repository, or ANALYSIS_DATA_DIR.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SETS = {"nhs": ("nhs-feedback-themes.csv", "feedback"), "clinc150": ("clinc150-test.csv", "text"),
        "multilabel": ("nhs-feedback-multilabel.csv", "FFT answer")}
RULE_WEAK = {"and", "nothing", "not", "no", "time", "more", "like", "get", "got", "just", "really", "very",
             "good", "great", "bad", "thing", "things", "lot", "way", "back", "make", "made", "plan"}


def texts_of(name: str) -> list[str]:
    folder = Path(os.environ.get("ANALYSIS_DATA_DIR", REPO.parent / "shared" / "data"))
    file, column = SETS[name]
    with open(folder / file, encoding="utf-8", errors="replace", newline="") as f:
        return [r[column] for r in csv.DictReader(f) if (r.get(column) or "").strip()]


def faults(label: str, words: set[str]) -> list[str]:
    ws = re.findall(r"[a-z0-9']+", label.lower())
    content = [w for w in ws if w not in RULE_WEAK]
    out = []
    if any(w not in words for w in ws):
        out.append("not words of the texts")
    if len(set(ws)) < len(ws):
        out.append("a word twice")
    if len(ws) > 6:
        out.append("over 6 words")
    if not content:
        out.append("only weak words")
    return out


def main() -> None:
    from analysis import find_themes

    ap = argparse.ArgumentParser()
    ap.add_argument("--added", type=float, default=0.1, help="share of texts added in the second run")
    ap.add_argument("--sets", default="nhs,clinc150,multilabel")
    args = ap.parse_args()
    for name in args.sets.split(","):
        texts = texts_of(name)
        ids = [f"r{i}" for i in range(len(texts))]
        keep = np.random.default_rng(7).random(len(texts)) >= args.added
        t0 = time.perf_counter()
        first = find_themes([t for t, k in zip(texts, keep) if k], ids=[i for i, k in zip(ids, keep) if k])
        t1 = time.perf_counter()
        second = find_themes(texts, ids=ids, previous=json.loads(json.dumps(first.to_json())))
        t2 = time.perf_counter()
        a = {i.id: str(i.theme) for i in first.items}
        b = {i.id: str(i.theme) for i in second.items}
        common = [i for i in a if i in b]
        words = {w for t in texts for w in re.findall(r"[a-z0-9']+", t.lower())}
        labels = [t.label for t in second.themes] + [s.label for t in second.themes for s in t.subthemes]
        bad = [(lab, f) for lab in labels if (f := faults(lab, words))]
        print(f"{name:10s} texts={len(texts)} added={len(texts) - int(keep.sum())} "
              f"kept-theme={np.mean([a[i] == b[i] for i in common]):.3f} "
              f"ARI={adjusted_rand_score([a[i] for i in common], [b[i] for i in common]):.3f} "
              f"themes={len(first.themes)}->{len(second.themes)} "
              f"emerging={sum(t.emerging for t in second.themes)} retired={len(second.retired)} "
              f"labels={len(labels)} bad-labels={len(bad)} secs={t1 - t0:.1f}+{t2 - t1:.1f}", flush=True)
        for lab, f in bad[:10]:
            print(f"   bad label {lab!r}: {'; '.join(f)}")


if __name__ == "__main__":
    main()
