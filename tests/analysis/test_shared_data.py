"""Small samples of the shared NHS data sets (skipped when ../shared/data is absent)."""

import csv

import pytest

from analysis import (classification_scores, clustering_scores, find_themes, score_sentiment,
                      sentiment_correlation, train_classifier)

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def sample(data_dir, n=1500):
    with open(data_dir / "nhs-feedback-themes.csv", encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[:n]


def test_themes_agree_with_gold_better_than_chance(data_dir):
    rows = sample(data_dir)
    result = find_themes([r["feedback"] for r in rows], n_themes=9)
    assert clustering_scores([r["label"] for r in rows], [i.theme for i in result.items])["nmi"] > 0.1


def test_sentiment_follows_criticality(data_dir):
    rows = sample(data_dir)
    rho = sentiment_correlation(score_sentiment([r["feedback"] for r in rows]),
                                [float(r["criticality"]) for r in rows])
    assert rho > 0.3


def test_classifier_beats_majority(data_dir):
    rows = sample(data_dir)
    model = train_classifier([r["feedback"] for r in rows[:1000]], [r["label"] for r in rows[:1000]])
    predicted = [c.label for c in model.classify([r["feedback"] for r in rows[1000:]])]
    assert classification_scores([r["label"] for r in rows[1000:]], predicted)["accuracy"] > 0.5
