"""Writer-held-out figures of the safeguarding model's choices, on the TRAINING part only.

    .venv/bin/python benchmarks/safeguarding_writers.py [--only NAME ...] [--list]

The training files are named by writer (``w1_`` ... ``w8_``). Every training text is scored by
a model fitted on the OTHER writers' texts only (leave one writer out), so its score is what
the model would give a writer it never saw: the blind-style figure. For each choice it prints
the whole screen's recall (phrase lists or model) at 3% and 5% false alarms over all ordinary
training texts, the lowest kind, each held-out writer's recall and false alarms at the 5%
threshold (the spread across writers), and the ordinary 5-fold figure beside the first.

"Rule" lines check how a threshold chosen one way holds on a writer it never saw: for each
writer, the threshold is chosen on the other writers' scores (writer-held-out scores, or
ordinary 5-fold scores), then applied to that writer's writer-held-out scores.

The first choice is the recipe as it was before writer-held-out validation (word block x1);
the others each change one thing from it, so the table in docs/safeguarding.md ("Validation by
writer held out") can be measured again. The recipe now is the row "words x3"
(``feedback.concern_bridge.WORD_WEIGHT``).

The frozen parts (``eval/`` ... ``eval4/``) are never read here.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.concern import CHAR_BITS, WORD_BITS, _l2_rows, normalise, segments  # noqa: E402
from analysis.concern_eval import digest, read_corpus, writer_of  # noqa: E402
from analysis.concern_train import choose_threshold  # noqa: E402
from analysis.hashing import CharGrams  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402


@dataclass(frozen=True)
class Choice:
    name: str
    C: float = 16.0
    class_weight: object = "balanced"
    word_ngrams: tuple[int, int] = (1, 2)
    sublinear: bool = False
    word_weight: float = 1.0
    char_weight: float = 1.0
    vector_weight: float = 1.0
    min_df: int = 1          # columns in fewer training texts are dropped (within the fold)
    min_writers: int = 1     # columns used by fewer training writers are dropped
    model: str = "lr"        # lr | svc | sgd | lr+svc
    scoring: str = "whole"   # whole | max (whole and each sentence) | mean (whole, best sentence)
    mil: bool = False        # fit again with each text's best sentence (as segmented=True)


CHOICES = [
    Choice("current recipe (C=16, balanced, word 1-2 + char 2-5 + vectors x1, whole text)"),  # noqa: E501
    Choice("C=4", C=4.0), Choice("C=1", C=1.0), Choice("C=64", C=64.0),
    Choice("no class weights", class_weight=None),
    Choice("concerning weight 2", class_weight={0: 1.0, 1: 2.0}),
    Choice("words 1-grams", word_ngrams=(1, 1)), Choice("words 1-3-grams", word_ngrams=(1, 3)),
    Choice("sublinear tf", sublinear=True),
    Choice("min_df 2", min_df=2), Choice("min_df 3", min_df=3),
    Choice("features of 2+ writers", min_writers=2),
    Choice("vectors x0.5", vector_weight=0.5), Choice("vectors x2", vector_weight=2.0),
    Choice("vectors x3", vector_weight=3.0), Choice("no vectors", vector_weight=0.0),
    Choice("words x0.5", word_weight=0.5), Choice("chars x0.5", char_weight=0.5),
    Choice("words x2", word_weight=2.0), Choice("words x3", word_weight=3.0),
    Choice("words x2 C=8", word_weight=2.0, C=8.0),
    Choice("max over sentences", scoring="max"),
    Choice("max over sentences, MIL fit", scoring="max", mil=True),
    Choice("mean of whole and best sentence", scoring="mean"),
    Choice("LinearSVC", model="svc", C=0.5), Choice("SGD modified_huber", model="sgd"),
    Choice("average LR + LinearSVC", model="lr+svc"),
    # LinearSVC fits in a tenth of the time: a quicker sweep of the same choices
    Choice("SVC C=0.1", model="svc", C=0.1), Choice("SVC C=2", model="svc", C=2.0),
    Choice("SVC C=8", model="svc", C=8.0),
    Choice("SVC no class weights", model="svc", C=0.5, class_weight=None),
    Choice("SVC vectors x2", model="svc", C=0.5, vector_weight=2.0),
    Choice("SVC vectors x0.5", model="svc", C=0.5, vector_weight=0.5),
    Choice("SVC features of 2+ writers", model="svc", C=0.5, min_writers=2),
    Choice("SVC min_df 3", model="svc", C=0.5, min_df=3),
    Choice("SVC sublinear tf", model="svc", C=0.5, sublinear=True),
    Choice("SVC words 1-grams", model="svc", C=0.5, word_ngrams=(1, 1)),
    Choice("SVC words 1-3-grams", model="svc", C=0.5, word_ngrams=(1, 3)),
    Choice("SVC words x0.5", model="svc", C=0.5, word_weight=0.5),
    Choice("SVC chars x0.5", model="svc", C=0.5, char_weight=0.5),
    Choice("SVC words x2", model="svc", C=0.5, word_weight=2.0),
    Choice("SVC words x1.5", model="svc", C=0.5, word_weight=1.5),
    Choice("SVC words x3", model="svc", C=0.5, word_weight=3.0),
    Choice("SVC words x4", model="svc", C=0.5, word_weight=4.0),
    Choice("SVC words x2 C=2", model="svc", C=2.0, word_weight=2.0),
    Choice("SVC words x2 chars x0.5", model="svc", C=0.5, word_weight=2.0, char_weight=0.5),
    Choice("SVC words x0.5 chars x0.5", model="svc", C=0.5, word_weight=0.5,
           char_weight=0.5),
    Choice("SVC mean of whole and best sentence", model="svc", C=0.5, scoring="mean"),
    Choice("SVC max over sentences, MIL fit", model="svc", C=0.5, scoring="max", mil=True),
    Choice("SVC no vectors", model="svc", C=0.5, vector_weight=0.0),
]


class Data:
    """The training texts' feature blocks, computed once."""

    def __init__(self, rows, vectors, word_ngrams=((1, 2),)):
        texts = [r.text for r in rows]
        self.digest = digest(rows)
        normed = [normalise(t) for t in texts]
        self.n = len(texts)
        self.words = {}
        for ng in word_ngrams:
            self.words[ng] = self._words(normed, ng)
        self.chars = CharGrams(CHAR_BITS).counts(normed)
        self.vecs = (np.asarray(vectors.embed(texts), dtype=np.float32) if vectors is not None
                     else np.zeros((len(texts), 0), np.float32))
        pieces, owner = [], []
        for i, t in enumerate(texts):
            parts = segments(t)
            if len(parts) > 1:
                pieces.extend(parts)
                owner.extend([i] * len(parts))
        self.owner = np.asarray(owner, dtype=int)
        pn = [normalise(p) for p in pieces]
        self.seg_words = {ng: self._words(pn, ng) for ng in word_ngrams}
        self.seg_chars = CharGrams(CHAR_BITS).counts(pn)
        self.seg_vecs = (np.asarray(vectors.embed(pieces), dtype=np.float32)
                         if vectors is not None else np.zeros((len(pieces), 0), np.float32))

    @staticmethod
    def _words(normed, ng):
        return sp.csr_matrix(HashingVectorizer(
            n_features=2 ** WORD_BITS, analyzer="word", ngram_range=ng,
            token_pattern=r"(?u)\b\w+\b", alternate_sign=False, norm=None, lowercase=False,
            dtype=np.float32).transform(normed))

    def matrix(self, c: Choice, segment_rows: bool = False) -> sp.csr_matrix:
        w = (self.seg_words if segment_rows else self.words)[c.word_ngrams].copy()
        ch = (self.seg_chars if segment_rows else self.chars).copy()
        v = self.seg_vecs if segment_rows else self.vecs
        if c.sublinear:
            for m in (w, ch):
                m.data = 1.0 + np.log(m.data)
        blocks = [c.word_weight * _l2_rows(w), c.char_weight * _l2_rows(ch)]
        if c.vector_weight > 0 and v.shape[1]:
            blocks.append(sp.csr_matrix(v * c.vector_weight))
        return sp.csr_matrix(sp.hstack(blocks, format="csr"))


def fit(c: Choice, X, y, seed=0):
    """(coef, intercept) of one fit."""
    if c.model == "lr":
        m = LogisticRegression(C=c.C, class_weight=c.class_weight, max_iter=2000,
                               random_state=seed, solver="liblinear").fit(X, y)
        return m.coef_.ravel(), float(m.intercept_[0])
    if c.model == "svc":
        m = LinearSVC(C=c.C, class_weight=c.class_weight, random_state=seed).fit(X, y)
        return m.coef_.ravel(), float(m.intercept_[0])
    if c.model == "sgd":
        m = SGDClassifier(loss="modified_huber", alpha=1e-5, class_weight=c.class_weight,
                          max_iter=50, tol=None, random_state=seed).fit(X, y)
        return m.coef_.ravel(), float(m.intercept_[0])
    if c.model == "lr+svc":  # one linear model: each margin scaled to unit spread, averaged
        parts = [fit(replace(c, model="lr"), X, y, seed),
                 fit(replace(c, model="svc", C=0.5), X, y, seed)]
        coef, icpt = 0.0, 0.0
        for w, b in parts:
            s = float(np.std(X @ w + b)) or 1.0
            coef, icpt = coef + w / s / 2, icpt + b / s / 2
        return coef, icpt
    raise ValueError(c.model)


def keep_columns(c: Choice, X, writers):
    """A mask of the columns a fit may use (min_df / min_writers), vectors always kept."""
    if c.min_df <= 1 and c.min_writers <= 1:
        return None
    present = (X != 0).astype(np.int8).tocsc()
    df = np.asarray(present.sum(axis=0)).ravel()
    keep = df >= c.min_df
    if c.min_writers > 1:
        count = np.zeros(X.shape[1], dtype=int)
        for w in np.unique(writers):
            count += np.asarray(present[writers == w].sum(axis=0)).ravel() > 0
        keep &= count >= c.min_writers
    keep[2 ** WORD_BITS + 2 ** CHAR_BITS:] = True
    return keep


def out_of_fold(c: Choice, data: Data, y, writers, splits, cache: Path | None = None):
    """Margins of every text from the fits of ``splits``, and the CPU seconds per fit;
    remembered in ``cache`` (a folder) by choice, corpus and splits."""
    if cache is not None:
        import hashlib
        key = hashlib.sha256(repr((c, data.digest, [t.tolist() for t, _ in splits])).encode())
        path = cache / f"{key.hexdigest()[:20]}.npz"
        if path.exists():
            with np.load(path) as saved:
                return saved["margins"], float(saved["fit"])
        margins, fit_s = out_of_fold(c, data, y, writers, splits)
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, margins=margins, fit=fit_s)
        return margins, fit_s
    X = data.matrix(c)
    S = data.matrix(c, segment_rows=True) if c.scoring != "whole" or c.mil else None
    margins = np.zeros(len(y))
    fits = []
    for train_idx, test_idx in splits:
        started = time.process_time()
        keep = keep_columns(c, X[train_idx], writers[train_idx])
        Xt = X if keep is None else X @ sp.diags(keep.astype(np.float32))
        coef, icpt = fit(c, Xt[train_idx], y[train_idx])
        if c.mil:  # the best sentence of each concerning text, every sentence of ordinary ones
            in_train = np.isin(data.owner, train_idx)
            seg_m = S @ coef + icpt
            seg_idx = np.flatnonzero(in_train)
            conc = y[data.owner[seg_idx]] == 1
            best = {}
            for j, o in zip(seg_idx[conc], data.owner[seg_idx[conc]]):
                if o not in best or seg_m[j] > seg_m[best[o]]:
                    best[o] = j
            extra = np.r_[seg_idx[~conc], np.array(sorted(best.values()), dtype=int)]
            St = S if keep is None else S @ sp.diags(keep.astype(np.float32))
            coef, icpt = fit(c, sp.vstack([Xt[train_idx], St[extra]], format="csr"),
                             np.r_[y[train_idx], y[data.owner[extra]]])
        fits.append(time.process_time() - started)
        margins[test_idx] = X[test_idx] @ coef + icpt
        if S is not None and c.scoring != "whole":
            seg_m = S @ coef + icpt
            best = np.full(len(y), -np.inf)
            np.maximum.at(best, data.owner, seg_m)
            has = np.isfinite(best)
            pick = np.zeros(len(y), dtype=bool)
            pick[test_idx] = True
            pick &= has
            if c.scoring == "max":
                margins[pick] = np.maximum(margins[pick], best[pick])
            else:
                margins[pick] = (margins[pick] + best[pick]) / 2
    return margins, float(np.mean(fits))


def threshold_at(margins, y, budget, anyway):
    return choose_threshold(margins, y, budget, anyway)


def report(name, margins, y, anyway, kinds, writers, fit_s, baseline=None):
    out = {}
    for budget in (0.03, 0.05):
        t = threshold_at(margins, y, budget, anyway)
        flagged = (margins >= t) | anyway
        out[budget] = (flagged[y == 1].mean(), flagged[y == 0].mean(), flagged)
    flagged = out[0.05][2]
    by_kind = {k: flagged[(y == 1) & (kinds == k)].mean() for k in np.unique(kinds[y == 1])}
    low = min(by_kind, key=by_kind.get)
    flagged3 = out[0.03][2]
    low3 = min(flagged3[(y == 1) & (kinds == k)].mean() for k in by_kind)
    order = sorted(np.unique(writers), key=lambda s: int(s[1:]) if s[1:].isdigit() else 0)
    per_writer = []
    for w in order:
        conc, ordi = (writers == w) & (y == 1), (writers == w) & (y == 0)
        per_writer.append(f"{w} {flagged[conc].mean():.1%}/{flagged[ordi].mean():.1%}"
                          if conc.any() else f"{w} -/{flagged[ordi].mean():.1%}")
    wr = np.array([flagged[(writers == w) & (y == 1)].mean() for w in order
                   if ((writers == w) & (y == 1)).any()])
    print(f"\n{name}\n  recall at 3%: {out[0.03][0]:.1%} (FA {out[0.03][1]:.1%}, lowest kind "
          f"{low3:.1%}); at 5%: {out[0.05][0]:.1%} (FA {out[0.05][1]:.1%}, lowest kind "
          f"{low} {by_kind[low]:.1%}); fit {fit_s:.1f} s CPU per fold", flush=True)
    print("  held-out writer recall/FA at 5%: " + ", ".join(per_writer)
          + f"; writer recall mean {wr.mean():.1%} sd {wr.std(ddof=1):.1%}", flush=True)
    if baseline is not None:
        base5 = baseline[0.05][2]
        diffs = [flagged[(writers == w) & (y == 1)].mean() - base5[(writers == w) & (y == 1)].mean()
                 for w in order if ((writers == w) & (y == 1)).any()]
        print("  against the current recipe, per writer at 5% (same order): "
              + ", ".join(f"{d:+.1%}" for d in diffs), flush=True)
    print("  by kind at 5%: " + ", ".join(f"{k} {v:.0%}" for k, v in sorted(by_kind.items())),
          flush=True)
    return out


def rule_check(name, chooser_margins, applied_margins, y, anyway, writers):
    """Choose the threshold on the other writers' ``chooser_margins``, apply it to each
    writer's ``applied_margins``: the recall and false alarms a new writer would meet."""
    flagged = np.zeros(len(y), dtype=bool)
    for w in np.unique(writers):
        other = writers != w
        t = choose_threshold(chooser_margins[other], y[other], 0.05, anyway[other])
        mine = writers == w
        flagged[mine] = (applied_margins[mine] >= t) | anyway[mine]
    fa = [flagged[(writers == w) & (y == 0)].mean() for w in np.unique(writers)]
    print(f"  rule {name}: on each unseen writer recall {flagged[y == 1].mean():.1%}, false "
          f"alarms {flagged[y == 0].mean():.1%} (per writer {min(fa):.1%} to {max(fa):.1%})",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="choices whose name starts with these")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a training folder (default: the training part)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="a folder to remember each choice's margins in")
    args = parser.parse_args()
    if args.list:
        print("\n".join(c.name for c in CHOICES))
        return
    from feedback.concern_bridge import TRAIN_CORPUS, text_vectors
    from feedback.safeguarding import screen

    started = time.time()
    rows = read_corpus(args.corpus or TRAIN_CORPUS)
    y = np.array([r.concerning for r in rows], dtype=int)
    kinds = np.array([r.kind for r in rows], dtype=object)
    writers = np.array([writer_of(r) for r in rows], dtype=object)
    anyway = np.array([screen(r.text, model=None).flagged for r in rows])
    choices = list(CHOICES)
    if args.only:  # the current recipe first (the others are compared with it), then in order
        choices = [CHOICES[0]] + [c for o in args.only for c in CHOICES[1:]
                                  if c.name.startswith(o)]
        choices = list(dict.fromkeys(choices))
    data = Data(rows, text_vectors(), word_ngrams=sorted({c.word_ngrams for c in choices}))
    print(f"{len(rows):,} training texts ({y.sum():,} concerning) by {len(set(writers))} "
          f"writers; features in {time.time() - started:.0f} s", flush=True)
    lowo = list(LeaveOneGroupOut().split(np.zeros(len(y)), y, writers))
    strata = np.where(y == 1, kinds, "ordinary")
    kfold = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), strata))
    baseline = None
    for c in choices:
        margins, fit_s = out_of_fold(c, data, y, writers, lowo, args.cache)
        result = report(c.name + " [writer held out]", margins, y, anyway, kinds, writers, fit_s,
                        baseline)
        if baseline is None:
            baseline = result
            kmargins, kfit = out_of_fold(c, data, y, writers, kfold, args.cache)
            report(c.name + " [ordinary 5-fold, for comparison]", kmargins, y, anyway, kinds,
                   writers, kfit)
            rule_check("5-fold threshold", kmargins, margins, y, anyway, writers)
            rule_check("writer-held-out threshold", margins, margins, y, anyway, writers)
        elif args.only:
            rule_check("writer-held-out threshold", margins, margins, y, anyway, writers)
    print(f"\n{time.time() - started:.0f} s in all", flush=True)


if __name__ == "__main__":
    main()
