import math

from analysis import classification_scores, clustering_scores, multilabel_scores, sentiment_correlation


def test_clustering_scores():
    assert clustering_scores(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == {"nmi": 1.0, "ari": 1.0}
    scores = clustering_scores(["a", "a", "b", "b"], ["x", None, "y", None])
    assert 0 <= scores["nmi"] < 1


def test_classification_scores():
    s = classification_scores(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    assert s["accuracy"] == 0.75 and s["balanced_accuracy"] == 0.5
    assert s["micro_f1"] == 0.75 and 0 < s["macro_f1"] < 0.75
    assert classification_scores(["a", "b"], [None, "b"])["accuracy"] == 0.5


def test_multilabel_scores():
    s = multilabel_scores([["a", "b"], ["b"]], [["a"], ["b"]])
    assert s["micro_f1"] == 0.8 and s["macro_f1"] == 1.0 * (1 + 2 / 3) / 2


def test_sentiment_correlation():
    assert sentiment_correlation([0.1, 0.5, 0.9], [1, 2, 3]) == 1.0
    assert sentiment_correlation([0.1, None, 0.9, 0.3], [3, 2, 1, float("nan")]) != 1.0
    assert math.isnan(sentiment_correlation([1, 1, 1], [1, 2, 3]))
