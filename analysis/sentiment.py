"""Sentiment with NLTK's VADER, using the lexicon file shipped inside ``vaderSentiment``.

nltk.download() cannot be used here and nltk 3.10 refuses lexicon paths outside
``nltk.data.path``, so the folder holding the lexicon is registered before loading it.
Contract: ``score_sentiment(texts)`` returns one compound score in [-1, 1] per text, 0.0 for
blank or non-string input; the lexicon path is a parameter; a default analyser is created lazily
once and cached.
"""

from __future__ import annotations

import os
from functools import lru_cache

import nltk

# Long texts are scored on their first part: VADER's cost grows with length and the
# compound score saturates long before 5,000 characters.
MAX_CHARS = 5_000


def default_lexicon_path() -> str:
    """Path of ``vader_lexicon.txt`` inside the installed vaderSentiment package."""
    import vaderSentiment  # noqa: PLC0415

    return os.path.join(os.path.dirname(vaderSentiment.__file__), "vader_lexicon.txt")


def make_analyser(lexicon_file: str | None = None):
    """Build an NLTK ``SentimentIntensityAnalyzer`` on ``lexicon_file`` (default: the one in
    vaderSentiment). Raises FileNotFoundError when the file is missing."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer  # noqa: PLC0415

    path = os.path.abspath(lexicon_file or default_lexicon_path())
    if not os.path.isfile(path):
        raise FileNotFoundError(f"VADER lexicon not found: {path}")
    folder = os.path.dirname(path)
    if folder not in nltk.data.path:
        nltk.data.path.append(folder)
    return SentimentIntensityAnalyzer(lexicon_file="file:" + path)


@lru_cache(maxsize=1)
def default_analyser():
    """The shared analyser on the default lexicon, created on first use."""
    return make_analyser()


def score_sentiment(texts, analyser=None) -> list[float]:
    """VADER compound score (-1 very negative .. 1 very positive) for each text.
    Repeated texts are scored once."""
    sia = analyser or default_analyser()
    cache: dict[str, float] = {}
    out = []
    for text in texts:
        clean = text if isinstance(text, str) else ("" if text is None else str(text))
        clean = clean[:MAX_CHARS]
        if clean not in cache:
            cache[clean] = (round(float(sia.polarity_scores(clean)["compound"]), 4)
                            if clean.strip() else 0.0)
        out.append(cache[clean])
    return out
