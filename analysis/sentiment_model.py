"""Sentiment learnt from labelled feedback: ridge regression over word and character n-grams,
the text vectors and VADER's four scores.

Why: VADER is a general lexicon; it reads "Respite cut with no explanation" as neutral or
positive and "Nothing" as neutral, where people who rate feedback call the first negative and
the second ("nothing to improve") positive. A linear model trained on rated NHS feedback
learns those readings.

Features (one sparse row per text, each block L2-normalised):
hashed ``prepare.analyse`` terms (stems, negation, bigram phrases; 2**18 buckets, log(1 + tf)),
hashed character 2-5-grams within words (2**18 buckets), the text vectors
(``analysis.vectors``, 512 dimensions) and VADER's compound, positive, negative and neutral
scores. Hashing needs no vocabulary, so the saved model is only numbers.

Ratings are put on one scale before training: criticality -5..5 as ``c / 4`` (the file uses
-4..4), Comment sentiment 1 (very positive) .. 5 (very negative) as ``(3 - s) / 2``, both
clipped to [-1, 1]. A text's score is the model's prediction clipped to [-1, 1].

The saved form is ``np.savez_compressed`` of arrays with a JSON header (no pickle):
the non-zero n-gram weights as indices and values, the vector and VADER weights, the
intercept, the cut-offs that make a score "negative" or "positive" (chosen on out-of-fold
predictions of the training data) and the identity of the text vectors it was trained with.
The model ships as ``analysis/models/sentiment.npz``; ``python -m analysis train-sentiment``
makes it again from ``../shared/data``.
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import Ridge
from sklearn.preprocessing import normalize

from .hashing import CharGrams
from .vectors import fingerprint, same_fingerprint
from .prepare import analyse, normalise
from .vectors import clean_text

FORMAT = 1
BITS = 18
MAX_CHARS = 5_000
ALPHA = 3.0
SCORE_CHUNK = 2_048  # texts scored at a time (bounds memory; the scores do not depend on it)
TRAIN_COMMAND = "python -m analysis train-sentiment"
MODEL_PATH = Path(__file__).resolve().parent / "models" / "sentiment.npz"


class SentimentModelMissing(RuntimeError):
    """The sentiment model file is missing, damaged or made for other text vectors; the
    message says how to make it again."""


_WORDS = HashingVectorizer(analyzer=analyse, n_features=2 ** BITS, alternate_sign=False, norm=None)
# char_wb 2-5-grams of the normalised text, as HashingVectorizer(analyzer="char_wb",
# preprocessor=normalise) gives them, each word's hashed once (analysis/hashing.py)
_CHARS = CharGrams(BITS)


def _log_unit(counts: sp.csr_matrix) -> sp.csr_matrix:
    counts = counts.astype(np.float32)
    counts.data = np.log1p(counts.data)
    return normalize(counts)


def vader_scores(texts: Sequence[str]) -> np.ndarray:
    """(n, 4) VADER compound, positive, negative and neutral scores of cleaned ``texts``."""
    from .sentiment import default_analyser  # noqa: PLC0415  (sentiment imports this module)

    sia = default_analyser()
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for i, text in enumerate(texts):
        if text:
            s = sia.polarity_scores(text)
            out[i] = (s["compound"], s["pos"], s["neg"], s["neu"])
    return out


def features(texts: Sequence[str], vectors) -> sp.csr_matrix:
    """The model's feature rows for already-cleaned ``texts``: [words | chars | vectors | VADER]."""
    blocks = [_log_unit(_WORDS.transform(texts)), _log_unit(_CHARS.counts([normalise(t) for t in texts])),
              sp.csr_matrix(np.asarray(vectors.embed(list(texts)), dtype=np.float32)),
              sp.csr_matrix(vader_scores(texts))]
    return sp.hstack(blocks, format="csr")


def prepare_texts(texts: Sequence[object]) -> list[str]:
    return [clean_text(t)[:MAX_CHARS] for t in texts]


@dataclass
class SentimentModel:
    """A trained sentiment model. ``scores(texts)`` gives -1 (negative) .. 1 (positive);
    ``negative_below`` / ``positive_above`` turn a score into a word."""

    coef: np.ndarray            # dense float32, 2 * 2**BITS + vector dim + 4
    intercept: float
    negative_below: float
    positive_above: float
    vectors_id: str
    vectors: object = field(repr=False)
    info: dict = field(default_factory=dict)

    def scores(self, texts: Sequence[object], vectors=None, text_part: np.ndarray | None = None) -> np.ndarray:
        """One score per text in [-1, 1]; blank texts (after cleaning) score 0.0. ``vectors``
        (optional) is a ``vectors.KnownVectors`` over this model's own text vectors, holding
        rows a caller has already embedded; anything else is ignored. ``text_part`` (optional)
        is ``text_part(texts)`` worked out already (by another process). The scores are the
        same either way, only sooner."""
        clean = prepare_texts(texts)
        if vectors is None or getattr(vectors, "vectors", None) is not self.vectors:
            vectors = self.vectors
        out = np.zeros(len(clean), dtype=np.float64)
        keep = [i for i, t in enumerate(clean) if t.strip()]
        if not keep:
            return out
        words = self.text_part(clean, cleaned=True) if text_part is None else np.asarray(text_part, np.float64)
        dense = self.coef[2 * 2 ** BITS:2 * 2 ** BITS + vectors.dim].astype(np.float64)
        for start in range(0, len(keep), SCORE_CHUNK):
            part = keep[start:start + SCORE_CHUNK]
            near = np.asarray(vectors.embed([clean[i] for i in part]), dtype=np.float64) @ dense
            out[part] = np.clip(words[part] + near + self.intercept, -1.0, 1.0)
        return out

    def text_part(self, texts: Sequence[object], cleaned: bool = False) -> np.ndarray:
        """The part of each text's score that the text alone decides (its words, character
        n-grams and VADER's scores; not its text vectors): pure and picklable, so another
        process can work it out while this one makes the text vectors. Blank texts give 0."""
        clean = list(texts) if cleaned else prepare_texts(texts)
        n = 2 * 2 ** BITS
        grams = self.coef[:n].astype(np.float64)
        vader = self.coef[-4:].astype(np.float64)
        out = np.zeros(len(clean), dtype=np.float64)
        keep = [i for i, t in enumerate(clean) if t.strip()]
        # In chunks: a chunk's n-gram rows cost a few kB a text; 100,000 at once would not.
        for start in range(0, len(keep), SCORE_CHUNK):
            part = keep[start:start + SCORE_CHUNK]
            chunk = [clean[i] for i in part]
            X = sp.hstack([_log_unit(_WORDS.transform(chunk)),
                           _log_unit(_CHARS.counts([normalise(t) for t in chunk]))], format="csr")
            out[part] = X @ grams + vader_scores(chunk).astype(np.float64) @ vader
        return out

    def polarity(self, scores: Sequence[float]) -> list[str]:
        """"negative", "neutral" or "positive" for each score."""
        return [polarity(s, self.negative_below, self.positive_above) for s in scores]

    def save(self, path: str | Path) -> None:
        n = 2 * 2 ** BITS
        idx = np.flatnonzero(self.coef[:n]).astype(np.int32)
        header = {"format": FORMAT, "bits": BITS, "intercept": self.intercept,
                  "negative_below": self.negative_below, "positive_above": self.positive_above,
                  "vectors_id": self.vectors_id, "info": self.info}
        buffer = io.BytesIO()
        np.savez_compressed(buffer, ngram_index=idx, ngram_weight=self.coef[idx].astype(np.float32),
                            dense_weight=self.coef[n:].astype(np.float32),
                            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8))
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: str | Path, vectors) -> "SentimentModel":
        """Read a saved model; ``SentimentModelMissing`` when the file is missing, damaged, of
        another format or made with other text vectors than ``vectors``."""
        again = f"make it again with {TRAIN_COMMAND}"
        try:
            with np.load(io.BytesIO(Path(path).read_bytes()), allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode())
                idx, weight, dense = data["ngram_index"], data["ngram_weight"], data["dense_weight"]
        except FileNotFoundError:
            raise SentimentModelMissing(f"no sentiment model at {path}; {again}") from None
        except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile,
                UnicodeDecodeError) as exc:
            raise SentimentModelMissing(f"the sentiment model at {path} is damaged ({exc}); {again}") from None
        if header.get("format") != FORMAT or header.get("bits") != BITS:
            raise SentimentModelMissing(f"the sentiment model at {path} is of another format; {again}")
        if not same_fingerprint(header.get("vectors_id", ""), vectors):
            raise SentimentModelMissing(f"the sentiment model at {path} was made with other text "
                                        f"vectors than the ones installed; {again}")
        n = 2 * 2 ** BITS
        if (dense.shape != (vectors.dim + 4,) or idx.shape != weight.shape
                or (idx.size and (idx.min() < 0 or idx.max() >= n))
                or not (np.all(np.isfinite(weight)) and np.all(np.isfinite(dense)))):
            raise SentimentModelMissing(f"the sentiment model at {path} is damaged (weights); {again}")
        coef = np.zeros(n + dense.size, dtype=np.float32)
        coef[idx] = weight
        coef[n:] = dense
        return cls(coef, float(header["intercept"]), float(header["negative_below"]),
                   float(header["positive_above"]), header["vectors_id"], vectors, header.get("info", {}))


def polarity(score: float, negative_below: float, positive_above: float) -> str:
    if score < negative_below:
        return "negative"
    return "positive" if score > positive_above else "neutral"


def _fit(X: sp.csr_matrix, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    model = Ridge(alpha=alpha).fit(X, y)
    return np.asarray(model.coef_, dtype=np.float32), float(model.intercept_)


def _best_cut(pred: np.ndarray, gold: np.ndarray, grid: np.ndarray, tie: float = 0.005) -> float:
    """The cut-off in ``grid`` whose "pred beyond it" best agrees (F1) with ``gold``; cut-offs
    within ``tie`` of the best F1 count as equal and the one nearest 0 (the middle of the
    scale) is taken, so a score's sign reads the same way as its word when the data allow."""
    sign = -1.0 if grid.mean() < 0 else 1.0
    f1 = []
    for cut in grid:
        chosen = sign * pred > sign * cut
        tp = float((chosen & gold).sum())
        total = float(chosen.sum() + gold.sum())
        f1.append(2 * tp / total if total else 0.0)
    best = max(f1)
    return float(min((c for c, f in zip(grid, f1) if f >= best - tie), key=abs))


def train_sentiment(texts: Sequence[object], targets: Sequence[float], vectors, *,
                    groups: Sequence[object] | None = None, alpha: float = ALPHA,
                    folds: int = 5) -> tuple[SentimentModel, np.ndarray]:
    """Fit on ``texts`` with ``targets`` in [-1, 1]. Returns the model and the out-of-fold
    predictions (``groups``: texts of one group are never split across folds, e.g. the same
    wording in two files). The cut-offs for "negative" and "positive" are chosen on the
    out-of-fold predictions. ValueError for mismatched lengths or fewer than 20 texts."""
    from sklearn.model_selection import GroupKFold  # noqa: PLC0415

    clean = prepare_texts(texts)
    y = np.clip(np.asarray(targets, dtype=np.float64), -1.0, 1.0)
    if len(clean) != len(y):
        raise ValueError(f"{len(clean)} texts but {len(y)} ratings")
    if len(clean) < 20 or np.ptp(y) == 0:
        raise ValueError("a sentiment model needs at least 20 texts with different ratings")
    X = features(clean, vectors)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        coef, b = _fit(X[train], y[train], alpha)
        oof[test] = np.clip(X[test] @ coef + b, -1.0, 1.0)
    negative_below = _best_cut(oof, y < 0, np.round(np.arange(-0.6, 0.01, 0.05), 2))
    positive_above = _best_cut(oof, y > 0, np.round(np.arange(0.0, 0.61, 0.05), 2))
    coef, b = _fit(X, y, alpha)
    model = SentimentModel(coef, b, negative_below, max(positive_above, negative_below),
                           fingerprint(vectors), vectors,
                           {"texts": len(y), "alpha": alpha, "vectors": getattr(vectors, "name", "")})
    return model, oof


_LOCK = threading.Lock()
_DEFAULT: SentimentModel | None = None


def default_model() -> SentimentModel:
    """The shipped model on the default text vectors, loaded once per process (thread-safe).
    Raises ``SentimentModelMissing`` (or ``VectorsMissing``) naming the command to run."""
    global _DEFAULT  # noqa: PLW0603  (one model per process, by design)
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                from .vectors import default_vectors  # noqa: PLC0415

                _DEFAULT = SentimentModel.load(MODEL_PATH, default_vectors())
    return _DEFAULT


def cutoffs(path: str | Path = MODEL_PATH) -> tuple[float, float]:
    """``(negative_below, positive_above)`` of a saved model, from its header alone (no text
    vectors are loaded): for counting stored scores as negative, neutral or positive."""
    try:
        with np.load(io.BytesIO(Path(path).read_bytes()), allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode())
        return float(header["negative_below"]), float(header["positive_above"])
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile,
            UnicodeDecodeError) as exc:
        raise SentimentModelMissing(f"no usable sentiment model at {path} ({exc}); make it "
                                    f"again with {TRAIN_COMMAND}") from None
