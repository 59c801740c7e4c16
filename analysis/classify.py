"""Curated themes -> classifier: ``train_classifier(texts, labels) -> Classifier``.

Single-label (one string per text): two logistic regressions whose log-probabilities are
averaged (``VECTOR_MIX`` 0.5 each): one on word TF-IDF over ``prepare.analyse`` terms (stems,
negation, bigram phrases), one on the text vectors (``analysis.vectors``, which see that "kind
staff" and "nurses were lovely" mean the same). Both use C=3 and class weights
(n / (k * n_c)) ** 0.5 ("sqrt": half-way, in log terms, between no weighting and "balanced").
Scores sum to 1; the best label is accepted when its score reaches ``min_confidence``, else the
text is "unthemed". Two small models fitted once are several times faster than one model on
word + character n-grams whose C was chosen by an inner cross-validation, and were better on
texts from other trusts and another file (docs/analysis.md, "Classifier").
Multi-label (each label a set/list): word + character 2-5-gram TF-IDF, one-vs-rest
("balanced", C=10), with a threshold per label chosen by cross-validation on the training data.

Serialise with ``Classifier.to_bytes()`` / ``Classifier.from_bytes()`` (joblib with a format
and scikit-learn version check; the vector table is not stored, only its identity, and a model
made with other vectors raises ``ModelVersionError``). Only load bytes you wrote yourself:
this is pickle.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Sequence

import joblib
import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MultiLabelBinarizer

from threadpoolctl import threadpool_limits

from .vectors import fingerprint, same_fingerprint
from .prepare import analyse, normalise
from .results import Classification
from .vectorise import char_vectoriser, word_vectoriser

MODEL_FORMAT = 3  # 2: adds Classifier.params; 3: single-label words + text vectors
SINGLE_C = 3.0     # single-label, both models (chosen on held-out trusts, docs/analysis.md)
DEFAULT_C = 10.0   # multi-label
VECTOR_MIX = 0.5   # weight of the text-vector model's log-probabilities


class ModelVersionError(ValueError):
    """Stored classifier bytes come from an incompatible version; retrain."""


def _features(n: int) -> FeatureUnion:
    min_df = 2 if n >= 200 else 1
    chars = char_vectoriser(min_df=min_df)
    chars.set_params(preprocessor=normalise, ngram_range=(2, 5), max_df=1.0)
    return FeatureUnion([("words", word_vectoriser(min_df=1, max_df=1.0, analyzer=analyse)),
                         ("chars", chars)])


def class_weights(labels: Sequence[str], kind) -> dict | str | None:
    """Resolve ``kind`` for single-label ``labels``: "sqrt" gives each class the weight
    (n / (k * n_c)) ** 0.5 (k classes, n_c examples of class c); anything else
    ("balanced", None, a dict) is returned as scikit-learn takes it."""
    if kind != "sqrt":
        return kind
    names, counts = np.unique(np.asarray(labels, dtype=object).astype(str), return_counts=True)
    weights = (len(labels) / (len(names) * counts)) ** 0.5
    return {str(n): float(w) for n, w in zip(names, weights)}


class WordsAndVectors:
    """Single-label model: logistic regression on word TF-IDF and another on the text vectors,
    their log-probabilities mixed (``mix`` for the vectors). Pickles without the vector table
    (only its identity); ``vectors`` None means words only."""

    def __init__(self, C: float, class_weight, calibration: str | None, seed: int,
                 vectors=None, mix: float = VECTOR_MIX):
        self.C, self.class_weight, self.calibration, self.seed = C, class_weight, calibration, seed
        self.mix = mix if vectors is not None else 0.0
        self._vectors = vectors
        self.vectors_id = fingerprint(vectors) if vectors is not None else None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_vectors"] = None
        return state

    @property
    def vectors(self):
        if self.vectors_id and self._vectors is None:
            from .vectors import default_vectors  # noqa: PLC0415

            vectors = default_vectors()
            if not same_fingerprint(self.vectors_id, vectors):
                raise ModelVersionError("stored classifier was made with other text vectors; retrain it")
            self._vectors = vectors
        return self._vectors

    def fit(self, texts: list[str], y) -> "WordsAndVectors":
        with threadpool_limits(1):  # two cores shared: BLAS threads only fight each other
            self.words = word_vectoriser(min_df=2 if len(texts) >= 200 else 1, max_df=1.0,
                                         analyzer=analyse)
            X = self.words.fit_transform(texts)
            self.word_model = _estimator(self.C, self.class_weight, self.calibration, self.seed).fit(X, y)
            self.classes_ = self.word_model.classes_
            if self.mix:
                E = self.vectors.embed(texts)
                self.vector_model = _estimator(self.C, self.class_weight, self.calibration,
                                               self.seed).fit(E, y)
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        # no threadpool_limits here: entering it costs about 9 ms, several times the work
        log_p = np.log(self.word_model.predict_proba(self.words.transform(texts)) + 1e-9)
        if self.mix:
            v = np.log(self.vector_model.predict_proba(self.vectors.embed(texts)) + 1e-9)
            log_p = (1 - self.mix) * log_p + self.mix * v
        p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)


def _estimator(C: float, class_weight, calibration: str | None, seed: int):
    base = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, random_state=seed)
    if calibration:
        return CalibratedClassifierCV(base, method=calibration, cv=3)
    return base


@dataclass
class Classifier:
    """A trained classifier. ``labels`` lists the known labels; ``thresholds`` gives the
    least score for each label to be accepted; ``params`` the C and class weighting used."""

    pipeline: object  # WordsAndVectors (single-label) or a Pipeline (multi-label)
    labels: tuple[str, ...]
    multi_label: bool
    thresholds: dict[str, float] = field(default_factory=dict)
    min_confidence: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)  # the C and class_weight used

    def scores(self, texts: Sequence[object]) -> np.ndarray:
        """Matrix (n_texts x n_labels) of scores 0..1, columns in ``labels`` order."""
        clean = ["" if t is None else str(t) for t in texts]
        if not clean:
            return np.zeros((0, len(self.labels)))
        return np.asarray(self.pipeline.predict_proba(clean), dtype=np.float64)

    def classify(self, texts: Sequence[object]) -> list[Classification]:
        """One ``Classification`` per text: accepted labels best first (empty = unthemed)
        and every label's score."""
        out = []
        for row in self.scores(texts):
            order = np.argsort(-row, kind="stable")
            scores = {self.labels[j]: round(float(row[j]), 4) for j in order}
            if self.multi_label:
                accepted = tuple(self.labels[j] for j in order
                                 if row[j] >= self.thresholds.get(self.labels[j], 0.5))
            else:
                best = order[0]
                accepted = (self.labels[best],) if row[best] >= self.min_confidence else ()
            out.append(Classification(accepted, scores))
        return out

    def to_bytes(self) -> bytes:
        """Serialised model (joblib). Load only with ``Classifier.from_bytes``."""
        buffer = io.BytesIO()
        joblib.dump({"format": MODEL_FORMAT, "sklearn": sklearn.__version__, "model": self}, buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Classifier":
        """Load a model from ``to_bytes`` output; ModelVersionError when it was written by an
        incompatible format or scikit-learn version."""
        try:
            payload = joblib.load(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001  (any unpickling failure means the same)
            raise ModelVersionError(f"cannot read stored classifier: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
            raise ModelVersionError("stored classifier has an unknown format; retrain it")
        if payload.get("sklearn") != sklearn.__version__:
            raise ModelVersionError(f"stored classifier was trained with scikit-learn "
                                    f"{payload.get('sklearn')}, this is {sklearn.__version__}; retrain it")
        return payload["model"]


def train_classifier(texts: Sequence[object], labels: Sequence[object], *, seed: int = 0,
                     C: float | str = "auto", class_weight: str | dict | None = "auto",
                     min_confidence: float = 0.0, calibration: str | None = None,
                     multi_label: bool | None = None, vectors="default") -> Classifier:
    """Train on ``texts`` with ``labels``: one label per text (str) for single-label, or a
    list/tuple/set of labels per text for multi-label (detected when ``multi_label`` is None).

    ``C="auto"``: 3 single-label, 10 multi-label. ``class_weight="auto"``: "sqrt" for
    single-label, "balanced" for multi-label; "sqrt", "balanced", None or a dict are also taken.
    ``vectors`` (single-label): "default" for ``default_vectors()`` (``VectorsMissing`` when
    the table is not installed), another ``TextVectors``, or None for words only.
    The values used are kept in ``Classifier.params`` (``{"C", "class_weight", "vectors"}``).

    Texts without labels in multi-label data count as negatives for every label. Raises
    ValueError when fewer than two labels (single-label) or no label at all (multi-label).
    """
    texts = ["" if t is None else str(t) for t in texts]
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if multi_label is None:
        multi_label = any(isinstance(y, (list, tuple, set, frozenset)) for y in labels)
    versions = {"sklearn": sklearn.__version__, "format": str(MODEL_FORMAT)}
    if not multi_label:
        y = [str(v) for v in labels]
        if len(set(y)) < 2:
            raise ValueError("a classifier needs at least two different labels")
        kind = "sqrt" if class_weight == "auto" else class_weight
        c = SINGLE_C if C == "auto" else float(C)
        if isinstance(vectors, str) and vectors == "default":
            from .vectors import default_vectors  # noqa: PLC0415

            vectors = default_vectors()
        params = {"C": c, "class_weight": kind, "vectors": getattr(vectors, "name", None)}
        pipe = WordsAndVectors(c, class_weights(y, kind), calibration, seed, vectors).fit(texts, y)
        classes = tuple(str(c) for c in pipe.classes_)
        return Classifier(pipe, classes, False, {}, min_confidence, versions, params)

    sets = [[str(v) for v in (y if isinstance(y, (list, tuple, set, frozenset)) else [y]) if v]
            for y in labels]
    binariser = MultiLabelBinarizer()
    Y = binariser.fit_transform(sets)
    keep = Y.sum(axis=0) > 0
    if not keep.any():
        raise ValueError("no labels to learn")
    names = tuple(str(c) for c in binariser.classes_)
    constant = keep & (Y.sum(axis=0) == len(texts))
    if constant.any():
        raise ValueError(f"label {names[int(np.argmax(constant))]!r} is on every text; nothing to learn")

    c = DEFAULT_C if C == "auto" else float(C)
    kind = "balanced" if class_weight == "auto" else class_weight
    if kind == "sqrt":
        raise ValueError("class_weight='sqrt' is for single-label data; use 'balanced' or None")
    params = {"C": c, "class_weight": kind}

    def make():
        return Pipeline([("features", _features(len(texts))),
                         ("model", OneVsRestClassifier(_estimator(c, kind, calibration, seed)))])

    thresholds = _thresholds(make, texts, Y, names, seed)
    pipe = make().fit(texts, Y)
    return Classifier(pipe, names, True, thresholds, min_confidence, versions, params)


def _thresholds(make, texts, Y, names, seed, folds: int = 3) -> dict[str, float]:
    """Per-label threshold maximising F1 on out-of-fold scores of the training data."""
    grid = np.round(np.arange(0.1, 0.91, 0.05), 2)
    if len(texts) < 30 or (Y.sum(axis=0) < folds).all():
        return {n: 0.5 for n in names}
    oof = cross_val_predict(make(), texts, Y, cv=KFold(folds, shuffle=True, random_state=seed),
                            method="predict_proba")
    out = {}
    for j, name in enumerate(names):
        y = Y[:, j]
        if y.sum() < folds:
            out[name] = 0.5
            continue
        f1 = [_f1(y, oof[:, j] >= t) for t in grid]
        out[name] = float(grid[int(np.argmax(f1))])
    return out


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float((y & pred).sum())
    return 2 * tp / (y.sum() + pred.sum()) if (y.sum() + pred.sum()) else 0.0
