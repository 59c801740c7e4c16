"""Training the learned safeguarding screen (``analysis.concern``): fitting, calibration
and the recall-first threshold.

Pure: labelled texts in, a ``ConcernModel`` and its out-of-fold figures out. The threshold
is chosen on out-of-fold probabilities of the training texts only: an evaluation corpus is
never seen here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, StratifiedGroupKFold, StratifiedKFold

from .concern import (CHAR_BITS, KIND_BITS, WORD_BITS, ConcernModel, Vectors, _Featuriser,
                      segments)
from .vectors import fingerprint

# --- Training ------------------------------------------------------------------------

@dataclass(frozen=True)
class TrainingReport:
    """Out-of-fold figures on the training texts (what the threshold was chosen on), for
    the whole screen; ``flagged`` says which training texts it flagged out of fold."""

    threshold: float
    recall: float
    false_alarms: float
    folds: int
    flagged: np.ndarray = field(repr=False, compare=False, default_factory=lambda: np.zeros(0))
    by_group: bool = False  # True: each fold held out whole groups (writers)


def _fit_linear(X, y, C: float, seed: int) -> LogisticRegression:
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed,
                               solver="liblinear")
    return model.fit(X, y)


@dataclass(frozen=True)
class _Segments:
    """Every training text's segments (texts of two or more): their feature rows and, per
    text, the range of its rows."""

    rows: sp.csr_matrix
    spans: dict[int, tuple[int, int]]

    @classmethod
    def of(cls, features: "_Featuriser", texts: Sequence[str]) -> "_Segments":
        pieces: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        for i, text in enumerate(texts):
            parts = segments(text)
            if len(parts) > 1:
                spans[i] = (len(pieces), len(pieces) + len(parts))
                pieces.extend(parts)
        rows = features.transform(pieces) if pieces else sp.csr_matrix((0, features.width))
        return cls(rows, spans)


def _fit_with_segments(X, y, idx: np.ndarray, parts: _Segments, C: float, seed: int):
    """Fit on the texts ``idx``, then once more with their segments added (multiple-instance
    learning, one round): every segment of an ordinary text as ordinary, and the
    most concerning segment of a concerning text as concerning. So the model learns what a
    tucked-in sentence looks like on its own, and that ordinary sentences stay ordinary when
    scored one by one. Returns (coef, intercept)."""
    first = _fit_linear(X[idx], y[idx], C, seed)
    extra_rows, extra_y = [], []
    for i in idx:
        span = parts.spans.get(int(i))
        if span is None:
            continue
        rows = parts.rows[span[0]:span[1]]
        if y[i]:
            best = int(np.argmax(first.decision_function(rows)))
            extra_rows.append(span[0] + best)
            extra_y.append(1)
        else:
            extra_rows.extend(range(*span))
            extra_y.extend([0] * (span[1] - span[0]))
    if not extra_rows:
        return first.coef_.ravel().astype(np.float32), float(first.intercept_[0])
    model = _fit_linear(sp.vstack([X[idx], parts.rows[extra_rows]], format="csr"),
                        np.concatenate([y[idx], extra_y]), C, seed)
    return model.coef_.ravel().astype(np.float32), float(model.intercept_[0])


_JOINS = (". ", " ", ". also ", " and ", ", ", ". oh and ", ". btw ", ". P.S. ", " but ")


def composites(texts: Sequence[str], y: np.ndarray, idx: np.ndarray, hosts: np.ndarray,
               per_text: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """Texts made by joining an ordinary host text (from ``hosts``) and a text of ``idx``,
    labelled as the guest: a concerning sentence tucked into an ordinary card is still
    concerning, and two ordinary sentences stay ordinary. ``per_text`` composites for each
    text of ``idx``; the guest goes last two times in three (where real disclosures are
    tucked), first otherwise. Only texts of the same fold are ever joined."""
    out: list[str] = []
    labels: list[int] = []
    if not len(hosts) or per_text <= 0:
        return out, np.zeros(0, dtype=int)
    for i in idx:
        for _ in range(per_text):
            host = texts[int(hosts[rng.integers(len(hosts))])].rstrip(" .")
            join = _JOINS[rng.integers(len(_JOINS))]
            guest = texts[int(i)]
            out.append(f"{host}{join}{guest}" if rng.random() < 2 / 3 else
                       f"{guest.rstrip(' .')}{join}{host}")
            labels.append(int(y[i]))
    return out, np.asarray(labels, dtype=int)


def _augmented(features: "_Featuriser", X, y, texts: Sequence[str], idx: np.ndarray,
               hosts_of: np.ndarray, per_text: int, seed: int):
    """(X, y, idx) with composites of the texts ``idx`` appended (hosts drawn from
    ``hosts_of`` within ``idx``)."""
    if per_text <= 0:
        return X, y, idx
    rng = np.random.default_rng(seed)
    hosts = np.intersect1d(idx, hosts_of)
    extra, extra_y = composites(texts, y, idx, hosts, per_text, rng)
    if not extra:
        return X, y, idx
    X2 = sp.vstack([X, features.transform(extra)], format="csr")
    y2 = np.concatenate([y, extra_y])
    return X2, y2, np.concatenate([idx, np.arange(len(y), len(y2))])


def _platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    curve = LogisticRegression(C=1e4, max_iter=1000).fit(margins.reshape(-1, 1), y)
    return float(curve.coef_[0, 0]), float(curve.intercept_[0])


def _segment_margin_model(features: _Featuriser, coef: np.ndarray, intercept: float,
                          segmented: bool):
    probe = ConcernModel(coef=coef, intercept=intercept, calibration=(1.0, 0.0), threshold=0.5,
                         kinds=(), kind_coef=np.zeros((0, 1)), kind_intercept=np.zeros(0),
                         vector_weight=features.vector_weight, vectors_id=None,
                         word_bits=features.word_bits, char_bits=features.char_bits,
                         segmented=segmented, vectors=features.vectors)
    return probe.margins


def fold_splits(strata: np.ndarray, folds: int, seed: int,
                groups: Sequence[str] | None = None) -> tuple[list, bool]:
    """The out-of-fold splits (train_idx, test_idx) and whether they hold out whole groups.

    With ``groups`` (the writer of each text) of two or more, every text is held out with
    all the texts of its group, so its out-of-fold score comes from a model that never saw
    its writer: one group per fold (leave one group out) when there are at most ``folds``
    groups, or ``folds`` folds of whole groups, stratified by ``strata`` as far as whole
    groups allow, when there are more. Without groups (or with one): ``folds``-fold
    stratified by ``strata``."""
    strata = np.asarray(strata, dtype=object)
    index = np.zeros(len(strata))
    if groups is not None:
        groups = np.asarray(groups, dtype=object)
        if len(groups) != len(strata):
            raise ValueError(f"{len(groups)} groups for {len(strata)} texts")
        n_groups = len(set(groups.tolist()))
        if n_groups >= 2:
            if n_groups <= folds:
                return list(LeaveOneGroupOut().split(index, strata, groups)), True
            splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
            return list(splitter.split(index, strata.astype(str), groups)), True
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(index, strata)), False


def choose_threshold(probabilities: np.ndarray, y: np.ndarray, max_false_alarms: float,
                     flagged_anyway: np.ndarray | None = None) -> float:
    """The lowest threshold that flags at most ``max_false_alarms`` of the ordinary texts
    (``y == 0``): as much recall as the false-alarm budget allows, because a lead's minute
    on a false alarm is cheap and a missed child is not. ``flagged_anyway`` marks texts
    another signal (the phrase lists) flags whatever the model says: their false alarms
    are spent from the same budget, so the whole screen keeps within it."""
    y = np.asarray(y)
    anyway = (np.zeros(len(y), dtype=bool) if flagged_anyway is None
              else np.asarray(flagged_anyway, dtype=bool))
    n_negative = int(np.sum(y == 0))
    negatives = np.sort(probabilities[(y == 0) & ~anyway])
    if not n_negative:
        return 0.5
    allowed = int(np.floor(max_false_alarms * n_negative)) - int(np.sum((y == 0) & anyway))
    if allowed < 0 or not len(negatives):
        return float(np.nextafter(1.0, 2.0)) if allowed < 0 else 0.0
    if allowed >= len(negatives):
        return 0.0
    return float(np.nextafter(negatives[len(negatives) - allowed - 1], 1.0))


def train(texts: Sequence[str], concerning: Sequence[bool], kinds: Sequence[str | None], *,
          vectors: Vectors | None = None, vector_weight: float = 1.0, C: float = 4.0,
          word_weight: float = 1.0,
          max_false_alarms: float = 0.05, folds: int = 5, segmented: bool = False,
          flagged_anyway: Sequence[bool] | None = None, seed: int = 0,
          augment: int = 0, hosts: Sequence[bool] | None = None,
          budget_groups: Sequence[str] | None = None,
          budget: Sequence[bool] | None = None,
          groups: Sequence[str] | None = None,
          info: dict | None = None) -> tuple[ConcernModel, TrainingReport]:
    """Fit the screen on labelled texts. ``kinds[i]`` is the kind of harm of a concerning
    text (ignored for ordinary ones). The threshold is chosen on out-of-fold probabilities
    (``folds``-fold, stratified by kind) with ``choose_threshold``: the lowest threshold
    that keeps the whole screen (this model, or ``flagged_anyway``: what the phrase lists
    flag) within ``max_false_alarms`` of the ordinary texts out of fold; the report's figures
    are the whole screen's. The final model is then fitted on every text. Same inputs and
    seed, same model.

    ``augment``: composites (``composites``) of each training text with an ordinary host
    text (``hosts`` marks the texts that may host: by default every ordinary text) are added
    to every fit, built inside each fold from that fold's training texts only; the
    threshold and the report are still measured on the held-out original texts.

    ``budget_groups``: a group name per text (e.g. the kind an ordinary text borrows its words
    from, or "general"); the false-alarm budget then holds in every group of ordinary texts,
    not only over all of them together, so many easy ordinary texts cannot pay for false
    alarms on the hard ones (the threshold is the highest of the groups' thresholds).

    ``budget``: which texts count in the false-alarm budget (default all); an ordinary text
    left out (a contrast pair built to sit next to a concerning one) still trains every fold
    and the final model. The report's false alarms are over the ordinary texts in the budget.

    ``word_weight``: the word n-gram block's weight beside the character block (each
    L2-normed) and the text vectors; folded into the saved weights.

    ``groups``: the writer of each text. The out-of-fold scores (the calibration, the
    threshold and the report) then come from models that never saw the writer of the text
    scored (``fold_splits``): what the screen meets on a writer it has never seen, rather than
    on more texts by the writers it learned from."""
    texts = list(texts)
    y = np.asarray(concerning, dtype=int)
    strata = np.array([k if c else "ordinary" for k, c in zip(kinds, y)], dtype=object)
    features = _Featuriser(WORD_BITS, CHAR_BITS, vector_weight if vectors else 0.0, vectors,
                           word_weight=word_weight)
    X = features.transform(texts)
    parts = _Segments.of(features, texts) if segmented else _Segments(X[:0], {})
    host_idx = np.flatnonzero(np.asarray(hosts, dtype=bool) if hosts is not None else y == 0)
    oof = np.zeros(len(texts))
    splits, by_group = fold_splits(strata, folds, seed, groups)
    for fold, (train_idx, test_idx) in enumerate(splits):
        Xa, ya, ia = _augmented(features, X, y, texts, train_idx, host_idx, augment, seed + fold)
        coef, intercept = _fit_with_segments(Xa, ya, ia, parts, C, seed)
        margin_of = _segment_margin_model(features, features.fold(coef), intercept, segmented)
        oof[test_idx] = margin_of([texts[i] for i in test_idx])
    calibration = _platt(oof, y)
    a, b = calibration
    oof_p = 1.0 / (1.0 + np.exp(-(a * oof + b)))
    anyway = (np.zeros(len(texts), dtype=bool) if flagged_anyway is None
              else np.asarray(flagged_anyway, dtype=bool))
    counted = np.ones(len(texts), dtype=bool) if budget is None else np.asarray(budget, dtype=bool) | (y == 1)
    threshold = choose_threshold(oof_p[counted], y[counted], max_false_alarms, anyway[counted])
    if budget_groups is not None:
        groups = np.asarray(budget_groups, dtype=object)
        for name in sorted({str(g) for g, label in zip(groups, y) if not label}):
            keep = ((groups == name) | (y == 1)) & counted
            threshold = max(threshold, choose_threshold(oof_p[keep], y[keep], max_false_alarms,
                                                        anyway[keep]))
    flagged = (oof_p >= threshold) | anyway
    recall = float(np.mean(flagged[y == 1]))
    alarms = float(np.mean(flagged[(y == 0) & counted]))

    Xa, ya, ia = _augmented(features, X, y, texts, np.arange(len(texts)), host_idx, augment,
                            seed + folds)
    final_coef, final_intercept = _fit_with_segments(Xa, ya, ia, parts, C, seed)
    final_coef = features.fold(final_coef)
    concern_idx = np.flatnonzero(y == 1)
    kind_names = tuple(sorted({str(strata[i]) for i in concern_idx}))
    kind_features = _Featuriser(KIND_BITS, KIND_BITS, features.vector_weight, vectors)
    kind_coef = np.zeros((len(kind_names), kind_features.width), dtype=np.float32)
    kind_intercept = np.zeros(len(kind_names), dtype=np.float32)
    if len(kind_names) > 1:
        Xk = kind_features.transform([texts[i] for i in concern_idx])
        kind_model = LogisticRegression(C=C, max_iter=2000, random_state=seed).fit(
            Xk, [str(strata[i]) for i in concern_idx])
        coef, intercept = kind_model.coef_, kind_model.intercept_
        if len(kind_names) == 2:  # binary: softmax over (0, w.x + b) is the same model
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.r_[0.0, intercept]
        order = [list(kind_model.classes_).index(k) for k in kind_names]
        kind_coef, kind_intercept = coef[order], intercept[order]
    model = ConcernModel(
        coef=final_coef, intercept=final_intercept,
        calibration=calibration, threshold=threshold, kinds=kind_names,
        kind_coef=np.asarray(kind_coef, dtype=np.float32),
        kind_intercept=np.asarray(kind_intercept, dtype=np.float32),
        vector_weight=features.vector_weight,
        vectors_id=fingerprint(vectors) if features.uses_vectors else None,
        segmented=segmented,
        info=dict(info or {}, oof_recall=round(recall, 4), oof_false_alarms=round(alarms, 4),
                  C=C, word_weight=word_weight, max_false_alarms=max_false_alarms,
                  augment=augment,
                  folds=len(splits), held_out="writer" if by_group else "text"),
        vectors=vectors if features.uses_vectors else None)
    return model, TrainingReport(threshold, recall, alarms, len(splits), flagged, by_group)
