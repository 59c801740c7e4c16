"""Evaluation helpers: agreement of themes with gold labels, classification scores and
correlation of sentiment with human ratings. Items in "other" (None) count as one cluster."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import (accuracy_score, adjusted_rand_score,
                             f1_score, normalized_mutual_info_score)
from sklearn.preprocessing import MultiLabelBinarizer


def _as_labels(values: Sequence[object]) -> list[str]:
    return ["\u2205other" if v is None else str(v) for v in values]


def clustering_scores(gold: Sequence[object], predicted: Sequence[object]) -> dict[str, float]:
    """NMI (arithmetic mean normalisation) and ARI of predicted themes against gold labels."""
    g, p = _as_labels(gold), _as_labels(predicted)
    return {"nmi": float(normalized_mutual_info_score(g, p)), "ari": float(adjusted_rand_score(g, p))}


def classification_scores(gold: Sequence[object], predicted: Sequence[object]) -> dict[str, float]:
    """Accuracy, balanced accuracy, micro and macro F1 for single-label predictions
    (None, i.e. unthemed, counts as wrong)."""
    g, p = _as_labels(gold), _as_labels(predicted)
    labels = sorted(set(g))
    recalls = [np.mean([pi == label for gi, pi in zip(g, p) if gi == label]) for label in labels]
    return {"accuracy": float(accuracy_score(g, p)),
            "balanced_accuracy": float(np.mean(recalls)),  # mean recall over gold labels
            "micro_f1": float(f1_score(g, p, labels=labels, average="micro", zero_division=0)),
            "macro_f1": float(f1_score(g, p, labels=labels, average="macro", zero_division=0))}


def multilabel_scores(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]],
                      labels: Sequence[str] | None = None) -> dict[str, float]:
    """Micro and macro F1 over label sets (macro over ``labels``, default: every gold label)."""
    labels = list(labels) if labels is not None else sorted({x for s in gold for x in s})
    binariser = MultiLabelBinarizer(classes=labels)
    known = set(labels)
    G = binariser.fit_transform([[x for x in s if x in known] for s in gold])
    P = binariser.transform([[x for x in s if x in known] for s in predicted])
    return {"micro_f1": float(f1_score(G, P, average="micro", zero_division=0)),
            "macro_f1": float(f1_score(G, P, average="macro", zero_division=0))}


def sentiment_correlation(scores: Sequence[float], ratings: Sequence[float]) -> float:
    """Spearman rank correlation, ignoring pairs where either value is missing (None/NaN)."""
    a = np.array([np.nan if s is None else float(s) for s in scores])
    b = np.array([np.nan if r is None else float(r) for r in ratings])
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 3 or np.ptp(a[ok]) == 0 or np.ptp(b[ok]) == 0:
        return float("nan")
    return float(spearmanr(a[ok], b[ok]).statistic)
