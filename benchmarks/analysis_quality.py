"""Quality benchmark of the analysis engine on the shared NHS feedback data.

    python benchmarks/analysis_quality.py [--skip-bertopic] [--limit N] [--folds 5]

Data: ../shared/data beside the repository, or the folder in ANALYSIS_DATA_DIR.
Prints three tables (themes, classification, sentiment). BERTopic runs from its own
environment (benchmarks/bertopic/setup.sh); when that is absent its rows say "not available".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis import (classification_scores, clustering_scores, find_themes,  # noqa: E402
                      multilabel_scores, sentiment_correlation, train_classifier)
from analysis.sentiment import vader_sentiment  # noqa: E402

BERTOPIC_PY = REPO / "benchmarks" / "bertopic" / ".venv" / "bin" / "python"
BERTOPIC_RUNNER = REPO / "benchmarks" / "bertopic" / "run_bertopic.py"
THEMES_FILE = "nhs-feedback-themes.csv"
MULTI_FILE = "nhs-feedback-multilabel.csv"
MIN_LABEL_COUNT = 10  # multi-label: labels with fewer examples cannot be learned or measured


def data_dir() -> Path:
    return Path(os.environ.get("ANALYSIS_DATA_DIR", REPO.parent / "shared" / "data"))


def read_csv(name: str) -> list[dict[str, str]]:
    path = data_dir() / name
    if not path.is_file():
        sys.exit(f"error: {path} not found; set ANALYSIS_DATA_DIR to the data folder")
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    cells = [[_fmt(c) for c in row] for row in [header] + rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    sys.stdout.flush()


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


# --- themes -------------------------------------------------------------------------------

def baseline_themes(texts: list[str], k: int, seed: int = 0) -> list[int]:
    """The usual baseline: word TF-IDF (English stop words) + LSA(100) + k-means."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    X = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(texts)
    Z = normalize(TruncatedSVD(100, random_state=seed).fit_transform(X))
    return KMeans(k, n_init=4, random_state=seed).fit_predict(Z).tolist()


def bench_themes(rows, skip_bertopic: bool, limit: int) -> None:
    texts, gold = [r["feedback"] for r in rows], [r["label"] for r in rows]
    out = []
    chosen = {}
    for k in (9, "auto"):
        started = time.perf_counter()
        result = find_themes(texts, n_themes=k, seed=0)
        seconds = time.perf_counter() - started
        scores = clustering_scores(gold, [i.theme for i in result.items])
        chosen[k] = len(result.themes)
        other = sum(i.theme is None for i in result.items)
        out.append(["engine (TF-IDF word+char, LSA, spherical k-means)", k, len(result.themes),
                    other, scores["nmi"], scores["ari"], seconds])
    for k in (9, "auto"):
        kk = 9 if k == 9 else chosen["auto"]
        started = time.perf_counter()
        pred = baseline_themes(texts, kk)
        seconds = time.perf_counter() - started
        scores = clustering_scores(gold, pred)
        out.append([f"baseline TF-IDF+LSA+KMeans{'' if k == 9 else ' (k of engine auto)'}", k, kk, 0,
                    scores["nmi"], scores["ari"], seconds])
    out.extend(bertopic_rows(skip_bertopic, limit))
    table(f"Themes on {THEMES_FILE} ({len(texts)} comments, 9 gold themes; 'other'/outliers count as one cluster)",
          ["method", "k asked", "themes", "other", "NMI", "ARI", "seconds"], out)


def bertopic_rows(skip: bool, limit: int) -> list[list[object]]:
    missing = [["BERTopic (MiniLM, UMAP, HDBSCAN)", k, "-", "-", "not available", "not available", "-"]
               for k in (9, "auto")]
    if skip or not BERTOPIC_PY.exists():
        return missing
    cmd = [str(BERTOPIC_PY), str(BERTOPIC_RUNNER), "--data", str(data_dir() / THEMES_FILE)]
    if limit:
        cmd += ["--limit", str(limit)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=dict(os.environ, HF_HUB_OFFLINE="1"))
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return missing
    data = json.loads(done.stdout.strip().splitlines()[-1])
    rows = [[r["method"] + " (MiniLM, UMAP, HDBSCAN)", r["k"], r["n_topics"], r["outliers"], r["nmi"], r["ari"],
             r["seconds"]] for r in data["rows"]]
    # the engine's own optional embeddings path, which needs the same environment
    done = subprocess.run(cmd + ["--engine-embeddings"], capture_output=True, text=True, check=False,
                          env=dict(os.environ, HF_HUB_OFFLINE="1"))
    if done.returncode == 0:
        data = json.loads(done.stdout.strip().splitlines()[-1])
        rows += [[r["method"] + " (MiniLM, spherical k-means)", r["k"], r["n_topics"], r["outliers"], r["nmi"],
                  r["ari"], r["seconds"]] for r in data["rows"]]
    return rows


# --- classification -----------------------------------------------------------------------

def bench_single(rows, folds: int) -> None:
    from sklearn.model_selection import StratifiedKFold

    texts = np.array([r["feedback"] for r in rows], dtype=object)
    gold = np.array([r["label"] for r in rows])
    engine, recipe, seconds = [], [], []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, gold):
        started = time.perf_counter()
        model = train_classifier(list(texts[train]), list(gold[train]), seed=0)
        pred = [c.label for c in model.classify(list(texts[test]))]
        seconds.append(time.perf_counter() - started)
        engine.append(classification_scores(gold[test], pred))
        svc = svc_recipe(multi=False).fit(list(texts[train]), gold[train])
        recipe.append(classification_scores(gold[test], svc.predict(list(texts[test]))))
    mean = lambda runs, key: float(np.mean([r[key] for r in runs]))  # noqa: E731
    table(f"Classification, 9 themes, {folds}-fold CV on {THEMES_FILE}",
          ["method", "accuracy", "balanced accuracy", "macro F1", "seconds per fold"],
          [["engine (word+char TF-IDF, logistic regression, sqrt weights, C by inner CV)", mean(engine, "accuracy"),
            mean(engine, "balanced_accuracy"), mean(engine, "macro_f1"), float(np.mean(seconds))],
           ["pxtextmining recipe (TF-IDF, SVC C=15, balanced) run here", mean(recipe, "accuracy"),
            mean(recipe, "balanced_accuracy"), mean(recipe, "macro_f1"), "-"],
           ["pxtextmining published (phase 1, linear SVM)", 0.71, 0.52, "-", "-"]])


def svc_recipe(multi: bool):
    """pxtextmining's recipe: TF-IDF + SVC(C=15, class_weight='balanced'), one-vs-rest."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    svc = SVC(C=15, class_weight="balanced", cache_size=1000)
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), OneVsRestClassifier(svc) if multi else svc)


def bench_multi(rows, folds: int) -> None:
    from sklearn.model_selection import KFold

    header = list(rows[0].keys())
    label_cols = header[header.index("Comment sentiment") + 1:]
    label_cols = [c for c in label_cols if sum(r[c] == "1" for r in rows) >= MIN_LABEL_COUNT]
    texts = np.array([r["FFT answer"] or "" for r in rows], dtype=object)
    sets = [[c for c in label_cols if r[c] == "1"] for r in rows]
    Y = np.array([[int(c in s) for c in label_cols] for s in sets])
    engine, recipe, seconds = [], [], []
    for train, test in KFold(folds, shuffle=True, random_state=0).split(texts):
        started = time.perf_counter()
        model = train_classifier(list(texts[train]), [sets[i] for i in train], seed=0, multi_label=True)
        pred = [list(c.labels) for c in model.classify(list(texts[test]))]
        seconds.append(time.perf_counter() - started)
        gold = [sets[i] for i in test]
        engine.append(multilabel_scores(gold, pred, label_cols))
        svc = svc_recipe(multi=True).fit(list(texts[train]), Y[train])
        P = svc.predict(list(texts[test]))
        recipe.append(multilabel_scores(gold, [[c for c, v in zip(label_cols, p) if v] for p in P], label_cols))
    mean = lambda runs, key: float(np.mean([r[key] for r in runs]))  # noqa: E731
    table(f"Multi-label classification, {len(label_cols)} labels with >= {MIN_LABEL_COUNT} examples, "
          f"{folds}-fold CV on {MULTI_FILE} ({len(rows)} comments)",
          ["method", "micro F1", "macro F1", "seconds per fold"],
          [["engine (one-vs-rest logistic regression, per-label thresholds)", mean(engine, "micro_f1"),
            mean(engine, "macro_f1"), float(np.mean(seconds))],
           ["pxtextmining recipe (TF-IDF, one-vs-rest SVC C=15, balanced)", mean(recipe, "micro_f1"),
            mean(recipe, "macro_f1"), "-"]])


# --- sentiment ----------------------------------------------------------------------------

def bench_sentiment(theme_rows, multi_rows) -> None:
    """VADER alone (the learnt model was trained on these rows: its held-out figures come from
    benchmarks/sentiment_classifier.py)."""
    out = []
    scores = vader_sentiment([r["feedback"] for r in theme_rows])
    out.append([THEMES_FILE, "criticality (-5..5)", len(theme_rows),
                sentiment_correlation(scores, [_number(r["criticality"]) for r in theme_rows])])
    # "nothing to improve" answers carry criticality 3 but no sentiment words
    rated = [(s, r) for s, r in zip(scores, theme_rows) if r["label"] != "Couldn't be improved"]
    out.append([THEMES_FILE, "criticality, without 'Couldn't be improved'", len(rated),
                sentiment_correlation([s for s, _ in rated], [_number(r["criticality"]) for _, r in rated])])
    scores = vader_sentiment([r["FFT answer"] for r in multi_rows])

    def negated(column):
        return [None if _number(r[column]) is None else -_number(r[column]) for r in multi_rows]

    out.append([MULTI_FILE, "Comment sentiment (1 very positive..5, negated)", len(multi_rows),
                sentiment_correlation(scores, negated("Comment sentiment"))])
    out.append([MULTI_FILE, "FFT categorical answer (1 very good..5, negated)", len(multi_rows),
                sentiment_correlation(scores, negated("FFT categorical answer"))])
    table("Sentiment: Spearman correlation of VADER compound with human ratings",
          ["file", "human rating", "comments", "Spearman rho"], out)


def _number(value: str) -> float | None:
    """A rating cell as a number; None for blanks and "NA"."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-bertopic", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N rows (quick check)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", choices=["themes", "classify", "multilabel", "sentiment"],
                        help="one part; 'classify' runs the single- and multi-label tables")
    args = parser.parse_args()
    theme_rows = read_csv(THEMES_FILE)
    multi_rows = read_csv(MULTI_FILE)
    if args.limit:
        theme_rows, multi_rows = theme_rows[: args.limit], multi_rows[: args.limit]
    print(f"analysis quality benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start (other work on the machine slows every timing)")
    if args.only in (None, "themes"):
        bench_themes(theme_rows, args.skip_bertopic, args.limit)
    if args.only in (None, "classify"):
        bench_single(theme_rows, args.folds)
    if args.only in (None, "classify", "multilabel"):
        bench_multi(multi_rows, args.folds)
    if args.only in (None, "sentiment"):
        bench_sentiment(theme_rows, multi_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
