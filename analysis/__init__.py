"""Text analysis of feedback: themes, sentiment and classification.

Pure Python on scikit-learn and NLTK: plain data in, frozen dataclasses out; no web framework
or database imports (a test enforces it). The public API:

- ``find_themes(texts, ids=None, n_themes="auto", seed=0, previous=None, ...) -> ThemeResult``
  (themes on static text vectors, each with ``subthemes``; items carry ``theme`` and ``subtheme``)
- ``score_sentiment(texts, analyser=None) -> list[float]`` (-1..1: the learnt model, or VADER's
  compound with an analyser from ``make_analyser``); ``vader_sentiment(texts)``;
  ``sentiment_shares(scores)`` / ``share_words(shares)`` ("7 in 10 negative") /
  ``theme_shares(result)``
- ``make_analyser(lexicon_file=None)`` to use another VADER lexicon file
- ``SentimentModel`` (``SentimentModelMissing`` when its file is missing or stale)
- ``train_classifier(texts, labels, ...) -> Classifier``; ``Classifier.classify(texts)
  -> list[Classification]``; ``Classifier.to_bytes()`` / ``Classifier.from_bytes(data)``
- ``ThemeResult.to_json()`` / ``ThemeResult.from_json(data)`` / ``ThemeResult.to_previous()``
- evaluation helpers: ``clustering_scores``, ``classification_scores``, ``multilabel_scores``,
  ``sentiment_correlation``

See docs/analysis.md for the pipeline, JSON formats and limits.
"""

from .classify import Classifier, ModelVersionError, train_classifier
from .evaluate import (classification_scores, clustering_scores, multilabel_scores,
                       sentiment_correlation)
from .prepare import analyse, normalise
from .results import Classification, PreviousTheme, SubTheme, Theme, ThemedItem, ThemeResult
from .sentiment import (make_analyser, score_sentiment, sentiment_shares, share_words,
                        vader_sentiment)
from .sentiment_model import SentimentModel, SentimentModelMissing
from .themes import find_themes
from .vectorise import EmbeddingsUnavailable

__version__ = "1.0.0"

__all__ = [
    "Classification", "Classifier", "EmbeddingsUnavailable", "ModelVersionError", "PreviousTheme",
    "SentimentModel", "SentimentModelMissing", "SubTheme", "Theme", "ThemeResult", "ThemedItem",
    "analyse", "classification_scores", "clustering_scores", "find_themes", "make_analyser",
    "multilabel_scores", "normalise", "score_sentiment", "sentiment_correlation",
    "sentiment_shares", "share_words", "train_classifier", "vader_sentiment",
]
