"""Text analysis of feedback: themes, sentiment and classification.

Pure Python on scikit-learn and NLTK: plain data in, frozen dataclasses out; no web framework
or database imports (a test enforces it). The public API:

- ``find_themes(texts, ids=None, n_themes="auto", seed=0, previous=None, ...) -> ThemeResult``
  (themes on static text vectors, each with ``subthemes``; items carry ``theme`` and ``subtheme``)
- ``score_sentiment(texts, analyser=None) -> list[float]`` (VADER compound, -1..1)
- ``make_analyser(lexicon_file=None)`` to use another VADER lexicon file
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
from .sentiment import make_analyser, score_sentiment
from .themes import find_themes
from .vectorise import EmbeddingsUnavailable

__version__ = "1.0.0"

__all__ = [
    "Classification", "Classifier", "EmbeddingsUnavailable", "ModelVersionError", "PreviousTheme",
    "Theme", "ThemeResult", "ThemedItem", "analyse", "classification_scores", "clustering_scores",
    "SubTheme", "find_themes", "make_analyser", "multilabel_scores", "normalise", "score_sentiment",
    "sentiment_correlation", "train_classifier",
]
