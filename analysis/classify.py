"""Curated themes -> classifier: ``train_classifier(texts, labels) -> Classifier``.

Features: word TF-IDF over ``prepare.analyse`` terms (stems, negation, bigram phrases) joined
with character 2-5-gram TF-IDF. Model: logistic regression (its probabilities are calibrated
well enough to threshold; ``calibration="sigmoid"`` adds Platt scaling by cross-validation).
Single-label: one multinomial model with class weights (n / (k * n_c)) ** 0.5 ("sqrt": half-way,
in log terms, between no weighting and "balanced") and C chosen from ``C_GRID`` by the
log-loss of an inner 3-fold cross-validation on the training data only; scores sum to 1, the
best label is accepted when its score reaches ``min_confidence``, else the text is "unthemed".
Multi-label (each label a set/list): one-vs-rest ("balanced", C=10), with a threshold per label
chosen by cross-validation on the training data only.

Serialise with ``Classifier.to_bytes()`` / ``Classifier.from_bytes()`` (joblib with a format
and scikit-learn version check). Only load bytes you wrote yourself: this is pickle.
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
from sklearn.metrics import log_loss
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MultiLabelBinarizer

from .prepare import analyse, normalise
from .results import Classification
from .vectorise import char_vectoriser, word_vectoriser

MODEL_FORMAT = 2  # 2: adds Classifier.params
C_GRID = (1.0, 3.0, 10.0)  # single-label C="auto" picks one by inner cross-validation
DEFAULT_C = 10.0           # multi-label, and single-label data too small to cross-validate
INNER_FOLDS = 3


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


def choose_C(texts: list[str], y: list[str], class_weight, seed: int, grid=C_GRID) -> float:
    """The C of ``grid`` with the least mean log-loss over an inner stratified 3-fold
    cross-validation of ``texts``/``y`` (features refitted on each inner training part).
    Falls back to ``DEFAULT_C`` when a class has fewer than 3 examples or n < 100."""
    _, counts = np.unique(y, return_counts=True)
    if len(texts) < 100 or counts.min() < INNER_FOLDS:
        return DEFAULT_C
    y = np.asarray(y, dtype=object)
    losses = {c: [] for c in grid}
    for train, test in StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=seed).split(texts, y):
        features = _features(len(train))
        X_train = features.fit_transform([texts[i] for i in train])
        X_test = features.transform([texts[i] for i in test])
        weights = class_weights(y[train], class_weight)
        for c in grid:
            model = LogisticRegression(C=c, class_weight=weights, max_iter=2000, random_state=seed)
            model.fit(X_train, y[train])
            losses[c].append(log_loss(y[test], model.predict_proba(X_test), labels=model.classes_))
    return float(min(grid, key=lambda c: (np.mean(losses[c]), c)))


def _estimator(C: float, class_weight, calibration: str | None, seed: int):
    base = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, random_state=seed)
    if calibration:
        return CalibratedClassifierCV(base, method=calibration, cv=3)
    return base


@dataclass
class Classifier:
    """A trained classifier. ``labels`` lists the known labels; ``thresholds`` gives the
    least score for each label to be accepted; ``params`` the C and class weighting used."""

    pipeline: Pipeline
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
                     multi_label: bool | None = None) -> Classifier:
    """Train on ``texts`` with ``labels``: one label per text (str) for single-label, or a
    list/tuple/set of labels per text for multi-label (detected when ``multi_label`` is None).

    ``C="auto"``: single-label picks C from ``C_GRID`` by ``choose_C`` (inner cross-validation
    on these texts only); multi-label uses 10. ``class_weight="auto"``: "sqrt" for
    single-label, "balanced" for multi-label; "sqrt", "balanced", None or a dict are also taken.
    The values used are kept in ``Classifier.params`` (``{"C": ..., "class_weight": ...}``).

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
        c = choose_C(texts, y, kind, seed) if C == "auto" else float(C)
        params = {"C": c, "class_weight": kind}
        pipe = Pipeline([("features", _features(len(texts))),
                         ("model", _estimator(c, class_weights(y, kind), calibration, seed))])
        pipe.fit(texts, y)
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
