"""Sentiment and classifier figures on the shared NHS data (docs/analysis.md, "Sentiment" and
"Classifier").

    python benchmarks/sentiment_classifier.py [--only sentiment|classify]

Data: ../shared/data beside the repository, or ANALYSIS_DATA_DIR. Prints the load average
(``/proc/loadavg``) at the start and end of each part, because the machine is shared.

Sentiment: Spearman of held-out predictions with the human ratings. "grouped 5-fold": both
files together, texts that read the same (case, spaces, punctuation folded) never on both
sides; "other file": trained on one file only, tested on the other (shared texts removed from
training). VADER needs no training and is scored on every row.

Classifier (trained on nhs-feedback-themes.csv): macro-F1 on each trust held out in turn
(Trust A is the split of the shared theme check), and on another source: the rows of
nhs-feedback-multilabel.csv whose framework labels map to exactly one of the nine themes
(``FRAMEWORK``), texts also in the themes file removed. Then the CPU and wall seconds of
training on 10,000 texts and the time to classify one new text.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis import train_classifier  # noqa: E402
from analysis.sentiment import vader_sentiment  # noqa: E402
from analysis.sentiment_model import train_sentiment  # noqa: E402
from analysis.sentiment_train import held_out_report, read_rated, text_group  # noqa: E402
from analysis.vectors import default_vectors  # noqa: E402

FRAMEWORK = {  # multilabel framework label -> theme of nhs-feedback-themes.csv
    "Staff": ["Staff manner & personal attributes", "Number & deployment of staff",
              "Staff responsiveness", "Competence & training"],
    "Communication": ["Unspecified communication", "Staff listening, understanding & involving patients",
                      "Information directly from staff during care", "Information provision & guidance",
                      "Being kept informed, clarity & consistency of information"],
    "Access": ["Contacting services", "Appointment arrangements", "Appointment method",
               "Timeliness of care", "Service location"],
    "Environment/ facilities": ["Cleanliness, tidiness & infection control", "Provision of medical equipment",
                                "Parking", "Electronic entertainment", "Environment & Facilities",
                                "Food & drink provision & facilities", "Sensory experience"],
    "Care received": ["Pain management", "Diagnosis & triage", "Care plans",
                      "Supplying & understanding medication", "Activities & access to fresh air",
                      "Impact of treatment/ care"],
    "Transition/coordination": ["Staff continuity", "Referals & continuity of care", "Discharge", "Admission"],
    "Dignity": ["Feeling safe", "Patient appearance & grooming", "Equality, Diversity & Inclusion"],
}


def data_dir() -> Path:
    return Path(os.environ.get("ANALYSIS_DATA_DIR", REPO.parent / "shared" / "data"))


def load() -> str:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return " ".join(handle.read().split()[:3])


def read(name: str) -> list[dict]:
    import csv  # noqa: PLC0415

    with open(data_dir() / name, encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def bench_sentiment() -> None:
    print(f"\nSentiment (load average at start: {load()})", flush=True)
    rated = read_rated(data_dir())
    vectors = default_vectors()
    for name, figures in held_out_report(rated, np.array(vader_sentiment(rated.texts))).items():
        print(f"  VADER                 {name:40s} {figures['spearman']:.3f}  ({figures['texts']} texts)")
    started = time.perf_counter()
    _, oof = train_sentiment(rated.texts, rated.targets, vectors, groups=rated.groups)
    for name, figures in held_out_report(rated, oof).items():
        print(f"  model, grouped 5-fold {name:40s} {figures['spearman']:.3f}  ({figures['texts']} texts)")
    for train_on, test_on in (("themes", "multilabel"), ("multilabel", "themes")):
        test = np.flatnonzero(rated.sources == test_on)
        held = set(rated.groups[test])
        train = [i for i in range(len(rated.texts)) if rated.sources[i] == train_on and rated.groups[i] not in held]
        model, _ = train_sentiment([rated.texts[i] for i in train], rated.targets[train], vectors,
                                   groups=rated.groups[train])
        pred = np.full(len(rated.texts), np.nan)
        pred[test] = model.scores([rated.texts[i] for i in test])
        for name, figures in held_out_report(rated, pred).items():
            if name.startswith(test_on):
                print(f"  model, other file     trained on {train_on}, {name:28s} {figures['spearman']:.3f}")
    print(f"  ({time.perf_counter() - started:.0f} s; load average at end: {load()})", flush=True)


def macro_f1(gold, predicted) -> float:
    from sklearn.metrics import f1_score  # noqa: PLC0415

    return float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0))


def bench_classify() -> None:
    print(f"\nClassifier (load average at start: {load()})", flush=True)
    rows = [r for r in read("nhs-feedback-themes.csv") if r["feedback"].strip() and r["label"].strip()]
    texts = [r["feedback"] for r in rows]
    labels = np.array([r["label"] for r in rows])
    orgs = np.array([r["organization"] for r in rows])
    for org in sorted(set(orgs)):
        train, test = np.flatnonzero(orgs != org), np.flatnonzero(orgs == org)
        model = train_classifier([texts[i] for i in train], labels[train])
        pred = [c.label or "none" for c in model.classify([texts[i] for i in test])]
        print(f"  {org} held out: macro-F1 {macro_f1(labels[test], pred):.3f}  accuracy "
              f"{np.mean(np.array(pred) == labels[test]):.3f}  ({len(test)} texts)", flush=True)
    seen = {text_group(t) for t in texts}
    to_theme = {col: theme for theme, cols in FRAMEWORK.items() for col in cols}
    other, gold = [], []
    for r in read("nhs-feedback-multilabel.csv"):
        themes = {to_theme[c] for c in to_theme if r.get(c) == "1"}
        if r["FFT answer"].strip() and len(themes) == 1 and text_group(r["FFT answer"]) not in seen:
            other.append(r["FFT answer"])
            gold.append(themes.pop())
    cpu, wall = time.process_time(), time.perf_counter()
    model = train_classifier(texts[:10_000], labels[:10_000])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    full = train_classifier(texts, labels)
    pred = [c.label or "none" for c in full.classify(other)]
    print(f"  other source (multilabel file, mapped): macro-F1 {macro_f1(gold, pred):.3f}  accuracy "
          f"{np.mean(np.array(pred) == np.array(gold)):.3f}  ({len(other)} texts)")
    print(f"  training on 10,000 texts: {cpu:.2f} CPU s, {wall:.2f} wall s")
    new = [r["FFT answer"] for r in read("nhs-feedback-multilabel.csv")[:300]]
    model.classify(new[:5])
    times = []
    for text in new:
        started = time.perf_counter()
        model.classify([text])
        times.append(time.perf_counter() - started)
    print(f"  one new text: median {1000 * np.median(times):.2f} ms, p95 "
          f"{1000 * np.percentile(times, 95):.2f} ms ({len(times)} texts)")
    print(f"  load average at end: {load()}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sentiment", "classify"])
    args = parser.parse_args()
    if not (data_dir() / "nhs-feedback-themes.csv").is_file():
        sys.exit(f"error: no data in {data_dir()}; set ANALYSIS_DATA_DIR")
    if args.only in (None, "sentiment"):
        bench_sentiment()
    if args.only in (None, "classify"):
        bench_classify()
    return 0


if __name__ == "__main__":
    sys.exit(main())
