"""Sentiment of feedback: the learnt model by default, VADER on request, and shares.

Contract: ``score_sentiment(texts, analyser=None)`` returns one score in [-1, 1] per text, 0.0
for blank or non-string input. With no ``analyser`` it is the sentiment model trained on rated
NHS feedback (``analysis.sentiment_model``, shipped as ``analysis/models/sentiment.npz``; a
missing or stale model raises ``SentimentModelMissing`` naming the command that makes it); an
``analyser`` is either such a model or a VADER analyser from ``make_analyser`` (compound score).

VADER is vaderSentiment's analyser with the lexicon file shipped inside that package
(nltk.download() cannot be used here, and NLTK's port is slower: see ``make_analyser``). The
lexicon path is a parameter; a default analyser is created lazily once and cached. VADER's scores are also features of the learnt model.

``sentiment_shares(scores)`` counts negative, neutral and positive texts with the model's
cut-offs, and ``share_words`` reads them as "7 in 10 negative": a theme's sentiment as a share
a person can read, not a mean.
"""

from __future__ import annotations

import os
from functools import lru_cache

# Long texts are scored on their first part: VADER's cost grows with length and the
# compound score saturates long before 5,000 characters.
MAX_CHARS = 5_000


def default_lexicon_path() -> str:
    """Path of ``vader_lexicon.txt`` inside the installed vaderSentiment package."""
    import vaderSentiment  # noqa: PLC0415

    return os.path.join(os.path.dirname(vaderSentiment.__file__), "vader_lexicon.txt")


def make_analyser(lexicon_file: str | None = None):
    """Build a VADER ``SentimentIntensityAnalyzer`` on ``lexicon_file`` (default: the one in
    vaderSentiment). Raises FileNotFoundError when the file is missing.

    The analyser is vaderSentiment's own (the reference implementation by VADER's authors):
    it gives the same readings as NLTK's port on this feedback (the sentiment model's held-out
    Spearman is the same or 0.001 higher with it) in less than half the time, because NLTK's
    port splits words with a slow regular expression (docs/analysis.md, "Speed")."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: PLC0415

    path = os.path.abspath(lexicon_file or default_lexicon_path())
    if not os.path.isfile(path):
        raise FileNotFoundError(f"VADER lexicon not found: {path}")
    return SentimentIntensityAnalyzer(lexicon_file=path)


@lru_cache(maxsize=1)
def default_analyser():
    """The shared analyser on the default lexicon, created on first use."""
    return make_analyser()


def score_sentiment(texts, analyser=None) -> list[float]:
    """Sentiment (-1 very negative .. 1 very positive) of each text, by the learnt model
    (``analyser`` None or a ``SentimentModel``) or by VADER's compound score (``analyser``
    from ``make_analyser``). Repeated texts are scored once."""
    clean = [(t if isinstance(t, str) else ("" if t is None else str(t)))[:MAX_CHARS] for t in texts]
    distinct = list(dict.fromkeys(c for c in clean if c.strip()))
    if analyser is None:
        from .sentiment_model import default_model  # noqa: PLC0415

        analyser = default_model()
    if hasattr(analyser, "polarity_scores"):
        values = [float(analyser.polarity_scores(c)["compound"]) for c in distinct]
    else:
        values = [float(v) for v in analyser.scores(distinct)] if distinct else []
    cache = {c: round(v, 4) for c, v in zip(distinct, values)}
    return [cache.get(c, 0.0) for c in clean]


def vader_sentiment(texts) -> list[float]:
    """VADER compound score of each text (the lexicon-only reading, for comparison)."""
    return score_sentiment(texts, analyser=default_analyser())


def sentiment_shares(scores, model=None) -> dict[str, int]:
    """How many ``scores`` are negative, neutral and positive by the cut-offs of ``model``
    (default: the shipped model): ``{"negative", "neutral", "positive", "total"}``."""
    from .sentiment_model import default_model, polarity  # noqa: PLC0415

    model = model or default_model()
    out = {"negative": 0, "neutral": 0, "positive": 0}
    for s in scores:
        if s is not None:
            out[polarity(float(s), model.negative_below, model.positive_above)] += 1
    out["total"] = sum(out.values())
    return out


def share_words(shares: dict[str, int], of: str = "negative") -> str:
    """``shares`` read as "7 in 10 negative" (rounded to tenths; "" when there are none)."""
    total = shares.get("total", 0)
    if not total:
        return ""
    tenths = int(round(10 * shares.get(of, 0) / total))
    return f"{tenths} in 10 {of}"


def theme_shares(result, model=None) -> dict[str, dict[str, int]]:
    """``sentiment_shares`` of the items of each theme of a ``ThemeResult`` (by theme id;
    items in "other" are left out)."""
    scores: dict[str, list[float]] = {t.id: [] for t in result.themes}
    for item in result.items:
        if item.theme is not None:
            scores.setdefault(item.theme, []).append(item.sentiment)
    return {theme: sentiment_shares(values, model) for theme, values in scores.items()}
