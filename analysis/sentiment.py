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

import logging
import multiprocessing as mp
import os
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache

logger = logging.getLogger(__name__)

# Long texts are scored on their first part: VADER's cost grows with length and the
# compound score saturates long before 5,000 characters.
MAX_CHARS = 5_000
# From this many distinct texts the text part of the scores is worked out in a second process
# while this one makes the text vectors and themes (docs/analysis.md, "Speed and memory").
PARALLEL_FROM = 20_000


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
    path = os.path.abspath(lexicon_file or default_lexicon_path())
    if not os.path.isfile(path):
        raise FileNotFoundError(f"VADER lexicon not found: {path}")
    return _vader_class()(lexicon_file=path)


@lru_cache(maxsize=1)
def _vader_class():
    """vaderSentiment's ``SentimentIntensityAnalyzer`` with three of its steps done without
    re-reading the whole text, and nothing else changed: the scores are the same numbers (a
    test compares all four on every text of the shared data sets and on awkward ones).

    The reference ``_negation_check`` and ``_special_idioms_check`` lower-case every word of
    the text each time they look at one word near a lexicon word, so a text's cost grows with
    the square of its length (two joined comments: most of VADER's time); these look only at
    the words they use. ``polarity_scores`` skips its character-by-character emoji pass when
    the text holds no emoji of VADER's list."""
    from vaderSentiment import vaderSentiment as vs  # noqa: PLC0415

    class Analyser(vs.SentimentIntensityAnalyzer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._emoji_chars = frozenset(self.emojis)

        def polarity_scores(self, text):
            if self._emoji_chars.isdisjoint(text):
                return self._scores_without_emoji(text.strip())
            return super().polarity_scores(text)

        def _scores_without_emoji(self, text):
            # the reference polarity_scores after its emoji pass (which leaves such a text as
            # text.strip())
            sentitext = vs.SentiText(text)
            sentiments = []
            words = sentitext.words_and_emoticons
            lower = [w.lower() for w in words]
            booster = vs.BOOSTER_DICT
            last = len(words) - 1
            for i, item in enumerate(words):
                if lower[i] in booster or (i < last and lower[i] == "kind" and lower[i + 1] == "of"):
                    sentiments.append(0)
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            sentiments = self._but_check(words, sentiments)
            return self.score_valence(sentiments, text)

        @staticmethod
        def _negation_check(valence, words_and_emoticons, start_i, i):
            w = words_and_emoticons  # indices as the reference, negative ones included
            if start_i == 0:
                if vs.negated([w[i - 1].lower()]):
                    valence = valence * vs.N_SCALAR
            if start_i == 1:
                w2, w1 = w[i - 2].lower(), w[i - 1].lower()
                if w2 == "never" and (w1 == "so" or w1 == "this"):
                    valence = valence * 1.25
                elif w2 == "without" and w1 == "doubt":
                    pass
                elif vs.negated([w2]):
                    valence = valence * vs.N_SCALAR
            if start_i == 2:
                w3, w2, w1 = w[i - 3].lower(), w[i - 2].lower(), w[i - 1].lower()
                if w3 == "never" and (w2 == "so" or w2 == "this") or (w1 == "so" or w1 == "this"):
                    valence = valence * 1.25
                elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                    pass
                elif vs.negated([w3]):
                    valence = valence * vs.N_SCALAR
            return valence

        @staticmethod
        def _special_idioms_check(valence, words_and_emoticons, i):
            w = words_and_emoticons
            n = len(w)
            w3, w2, w1, w0 = w[i - 3].lower(), w[i - 2].lower(), w[i - 1].lower(), w[i].lower()
            special = vs.SPECIAL_CASES
            for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}", f"{w3} {w2} {w1}", f"{w3} {w2}"):
                if seq in special:
                    valence = special[seq]
                    break
            if n - 1 > i:
                zeroone = f"{w0} {w[i + 1].lower()}"
                if zeroone in special:
                    valence = special[zeroone]
            if n - 1 > i + 1:
                zeroonetwo = f"{w0} {w[i + 1].lower()} {w[i + 2].lower()}"
                if zeroonetwo in special:
                    valence = special[zeroonetwo]
            for n_gram in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
                if n_gram in vs.BOOSTER_DICT:
                    valence = valence + vs.BOOSTER_DICT[n_gram]
            return valence

    Analyser.__name__ = Analyser.__qualname__ = "SentimentIntensityAnalyzer"
    return Analyser


@lru_cache(maxsize=1)
def default_analyser():
    """The shared analyser on the default lexicon, created on first use."""
    return make_analyser()


def _distinct(texts) -> tuple[list[str], list[str]]:
    clean = [(t if isinstance(t, str) else ("" if t is None else str(t)))[:MAX_CHARS] for t in texts]
    return clean, list(dict.fromkeys(c for c in clean if c.strip()))


def start_text_part(texts, analyser=None, at_least: int | None = None) -> Future | None:
    """Start working out the model's text part (``SentimentModel.text_part``) of the distinct
    ``texts`` in a second process, forked so that it starts at once with the model already
    loaded; pass the result to ``score_sentiment(..., pending=)``, which waits for it. None
    (score in this process as usual) for another analyser, fewer than ``at_least`` distinct
    texts (default ``PARALLEL_FROM``: a process does not pay for itself below it), one core,
    or where processes cannot fork."""
    at_least = PARALLEL_FROM if at_least is None else at_least
    if analyser is not None or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        return None
    distinct = _distinct(texts)[1]
    if len(distinct) < at_least:
        return None
    from .sentiment_model import default_model  # noqa: PLC0415

    default_model()  # loaded before the fork: the second process shares it
    default_analyser()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"))
    try:
        return pool.submit(_default_text_part, distinct)
    finally:
        pool.shutdown(wait=False)  # the worker ends when its one job is done


def _default_text_part(distinct: list[str]):
    from .sentiment_model import default_model  # noqa: PLC0415

    return default_model().text_part(distinct)


def _collect(pending: Future | None):
    """The second process's result, or None (then this process scores, and says why)."""
    if pending is None:
        return None
    try:
        return pending.result()
    except Exception as exc:  # noqa: BLE001  (a broken process must never lose the scores)
        logger.warning("sentiment: the second process failed (%s); scoring in this one", exc)
        return None


def score_sentiment(texts, analyser=None, vectors=None, pending: Future | None = None) -> list[float]:
    """Sentiment (-1 very negative .. 1 very positive) of each text, by the learnt model
    (``analyser`` None or a ``SentimentModel``) or by VADER's compound score (``analyser``
    from ``make_analyser``). Repeated texts are scored once. ``vectors``: text vectors the
    caller has already computed (``vectors.KnownVectors``), passed to the model; ``pending``:
    ``start_text_part(texts)`` of the same texts."""
    clean, distinct = _distinct(texts)
    text_part = _collect(pending)
    if analyser is None:
        from .sentiment_model import default_model  # noqa: PLC0415

        analyser = default_model()
    if hasattr(analyser, "polarity_scores"):
        values = [float(analyser.polarity_scores(c)["compound"]) for c in distinct]
    else:
        from .sentiment_model import SentimentModel  # noqa: PLC0415

        known = {"vectors": vectors} if vectors is not None and isinstance(analyser, SentimentModel) else {}
        if text_part is not None and len(text_part) == len(distinct):
            known["text_part"] = text_part
        values = [float(v) for v in analyser.scores(distinct, **known)] if distinct else []
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
