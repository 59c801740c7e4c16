"""The themes engine against BERTopic and a TF-IDF + LSA + k-means baseline, in one run.

    .venv/bin/python benchmarks/themes_vs_bertopic.py [--sets nhs,clinc150] [--skip-bertopic]

For each labelled development set (../shared/data, or ANALYSIS_DATA_DIR): at the human number
of groups and at each method's own choice, NMI, ARI and AMI against the human groups, and wall
seconds of a whole fresh process (start-up, model load and embedding included) for the engine
(`python -m analysis themes`) and BERTopic (benchmarks/bertopic/run_set.py, in its own
environment: benchmarks/bertopic/setup.sh). The baseline runs in this process (its seconds
exclude start-up). On a set with many fine groups the engine's sub-theme level is compared
too ("engine sub"). Prints a Markdown table, then the speed ratios, with the load average.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, normalized_mutual_info_score

REPO = Path(__file__).resolve().parents[1]
BERTOPIC_PY = REPO / "benchmarks" / "bertopic" / ".venv" / "bin" / "python"
SETS = {  # name: (file, text column, label column)
    "nhs": ("nhs-feedback-themes.csv", "feedback", "label"),
    "clinc150": ("clinc150-test.csv", "text", "intent"),
}


def data_dir() -> Path:
    return Path(os.environ.get("ANALYSIS_DATA_DIR", REPO.parent / "shared" / "data"))


def read(name: str) -> tuple[Path, list[str], list[str]]:
    file, text, label = SETS[name]
    path = data_dir() / file
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if (r.get(text) or "").strip() and (r.get(label) or "").strip()]
    return path, [r[text] for r in rows], [r[label] for r in rows]


def scores(gold, pred) -> dict:
    pred = [str(p) for p in pred]
    return {"nmi": normalized_mutual_info_score(gold, pred), "ari": adjusted_rand_score(gold, pred),
            "ami": adjusted_mutual_info_score(gold, pred), "k": len(set(pred))}


def engine(texts, gold, k, tmp: Path) -> list[tuple[str, dict]]:
    src, out = tmp / "in.csv", tmp / "out.json"
    with open(src, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows((f"r{i}", t) for i, t in enumerate(texts))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "themes", str(src), "--text-column", "text",
                    "--id-column", "id", "--themes", str(k), "--out", str(out)],
                   check=True, capture_output=True, cwd=REPO)
    seconds = time.perf_counter() - started
    items = {i["id"]: i for i in json.loads(out.read_text())["items"]}
    ids = [f"r{i}" for i in range(len(texts))]
    rows = [("engine", {**scores(gold, [items[i]["theme"] for i in ids]), "seconds": seconds})]
    rows.append(("engine sub", {**scores(gold, [f"{items[i]['theme']}/{items[i].get('subtheme')}"
                                                for i in ids]), "seconds": seconds}))
    return rows


def baseline(texts, gold, k) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    started = time.perf_counter()
    matrix = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(texts)
    reduced = normalize(TruncatedSVD(100, random_state=0).fit_transform(matrix))
    labels = KMeans(k, n_init=10, random_state=0).fit_predict(reduced)
    return {**scores(gold, labels), "seconds": time.perf_counter() - started}


def bertopic(path: Path, name: str, k) -> dict | None:
    if not BERTOPIC_PY.exists():
        return None
    _, text, label = SETS[name]
    started = time.perf_counter()
    done = subprocess.run([str(BERTOPIC_PY), str(REPO / "benchmarks" / "bertopic" / "run_set.py"),
                           str(path), "--text-column", text, "--label-column", label, "--k", str(k)],
                          capture_output=True, text=True)
    if done.returncode:
        print(done.stderr[-800:], file=sys.stderr)
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - started
    result["k"] = result["n_topics"] + (1 if result["outliers"] else 0)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="nhs,clinc150")
    parser.add_argument("--skip-bertopic", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print("| set | method | k asked | k found | NMI | ARI | AMI | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for name in args.sets.split(","):
            path, texts, gold = read(name)
            human = len(set(gold))
            runs = []
            for k in (human, "auto"):
                runs += [(m, k, r) for m, r in engine(texts, gold, k, tmp)]
                if not args.skip_bertopic:
                    runs.append(("BERTopic", k, bertopic(path, name, k)))
            runs.append(("TF-IDF + LSA + k-means", human, baseline(texts, gold, human)))
            for method, k, r in runs:
                if r is None:
                    print(f"| {name} | {method} | {k} | not available | | | | |")
                    continue
                print(f"| {name} ({len(texts):,}; {human}) | {method} | {k} | {r['k']} | {r['nmi']:.3f} "
                      f"| {r['ari']:.3f} | {r['ami']:.3f} | {r['seconds']:.1f} |", flush=True)
            by = {(m, str(k)): r for m, k, r in runs if r}
            for k in (str(human), "auto"):
                e, b = by.get(("engine", k)), by.get(("BERTopic", k))
                if e and b:
                    print(f"| {name} | BERTopic seconds / engine seconds | {k} | | | | | "
                          f"{b['seconds'] / e['seconds']:.1f}x |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
