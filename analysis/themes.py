"""Unsupervised themes: ``find_themes(texts) -> ThemeResult``.

Pipeline (see docs/analysis.md): de-duplicate texts by their normalised form (counts become
weights) -> vectorise (word+char TF-IDF with LSA by default) -> choose the number of themes
(``"auto"``: best silhouette over a range of k on a sample) -> spherical k-means (k-means on
unit vectors, weighted by counts, several seeded starts) -> every item gets the cosine
similarity to its theme's centre as ``confidence``; items below ``other_threshold`` or without
usable words go to "other" (theme None) -> label themes with c-TF-IDF keywords -> quotes ->
VADER sentiment -> match to the previous run when given.

Contract: deterministic for a given ``seed``; never raises on odd texts (empty, emoji-only,
very long, non-English, duplicates); fewer distinct texts than themes gives fewer themes.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from .labelling import class_tfidf, keywords, make_label, representative_quotes, top_terms
from .prepare import normalise
from .results import Theme, ThemedItem, ThemeResult, previous_themes
from .sentiment import score_sentiment
from .stability import growth, match_themes, new_ids
from .vectorise import make_vectoriser

AUTO_RANGE = (5, 30)      # smallest and largest k tried by "auto"
AUTO_SAMPLE = 3_000       # distinct texts used to choose k
FIT_SAMPLE = 30_000       # above this many distinct texts, fit the vectoriser on a sample
MINIBATCH_ABOVE = 50_000  # above this many distinct texts, use mini-batch k-means


def find_themes(texts: Sequence[object], ids: Sequence[object] | None = None,
                n_themes: int | str = "auto", seed: int = 0, previous: Any = None, *,
                vectoriser: str = "tfidf", other_threshold: float = 0.2,
                n_keywords: int = 8, n_quotes: int = 3, sentiment_analyser=None,
                min_similarity: float = 0.25) -> ThemeResult:
    """Group ``texts`` into themes.

    ``ids`` (same length, optional) are echoed on the items; ``n_themes`` is ``"auto"`` or a
    positive int; ``previous`` is an earlier ``ThemeResult``, its ``to_json()`` /
    ``to_previous()`` data, or None; ``vectoriser`` is ``"tfidf"`` or ``"embeddings"``
    (optional extra); ``other_threshold`` is the least cosine similarity to a theme's centre
    for an item to belong to it. Returns themes largest first and one item per text in order.
    """
    start = time.perf_counter()
    texts = [t if isinstance(t, str) else ("" if t is None else str(t)) for t in texts]
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"ids has {len(ids)} entries for {len(texts)} texts")
    if n_themes != "auto" and (not isinstance(n_themes, int) or isinstance(n_themes, bool) or n_themes < 1):
        raise ValueError(f"n_themes must be 'auto' or a positive integer, not {n_themes!r}")
    params = {"themes": n_themes, "seed": seed, "vectoriser": vectoriser,
              "other_threshold": other_threshold}

    # distinct texts (by normalised form) and how often each occurs
    keys = [normalise(t) for t in texts]
    index_of: dict[str, int] = {}
    item_unique = np.empty(len(texts), dtype=np.int64)
    first: list[int] = []
    for i, key in enumerate(keys):
        j = index_of.setdefault(key, len(first))
        if j == len(first):
            first.append(i)
        item_unique[i] = j
    counts = np.bincount(item_unique, minlength=len(first)) if len(texts) else np.zeros(0, int)
    unique_texts = [texts[i] for i in first]

    vec = make_vectoriser(vectoriser, seed=seed)
    X = _vectorise(vec, unique_texts, seed)
    usable = np.flatnonzero(np.abs(X).sum(axis=1) > 0) if len(unique_texts) else np.zeros(0, int)

    k = _choose_k(X[usable], n_themes, seed) if len(usable) else 0
    params["n_themes"] = k
    assign = np.full(len(unique_texts), -1)
    sim = np.zeros(len(unique_texts), dtype=np.float32)
    if k >= 1:
        centres = _cluster(X[usable], counts[usable], k, seed)
        sims = X[usable] @ centres.T
        best = sims.argmax(axis=1)
        assign[usable] = best
        sim[usable] = sims[np.arange(len(usable)), best]
        assign[(sim < other_threshold)] = -1

    # keep non-empty themes, largest first (ties: lowest cluster index, for determinism)
    sizes = np.bincount(assign[assign >= 0], weights=counts[assign >= 0], minlength=k) if k else []
    kept = [c for c in sorted(range(k), key=lambda c: (-sizes[c], c)) if sizes[c] > 0]
    remap = {c: n for n, c in enumerate(kept)}
    assign = np.array([remap.get(int(a), -1) for a in assign], dtype=np.int64)

    weights = class_tfidf(vec.terms_, assign.tolist(), len(kept), counts.tolist())
    sentiments = np.array(score_sentiment(texts, sentiment_analyser), dtype=np.float64)
    item_theme = assign[item_unique] if len(texts) else assign
    drafts = []
    for n in range(len(kept)):
        terms = top_terms(weights[n])
        words = keywords(terms, vec.surface, n_keywords)
        members = np.flatnonzero(assign == n)
        drafts.append(dict(terms=terms, keywords=words, label=make_label(words),
                           size=int(counts[members].sum()),
                           sentiment=round(float(sentiments[item_theme == n].mean()), 4),
                           quotes=representative_quotes(unique_texts, sim, members, n_quotes, term_lists=vec.terms_,
                                                         weights=weights[n])))

    theme_ids, themes, retired = _identify(drafts, previous, len(texts), min_similarity)
    items = tuple(ThemedItem(row=i, id=None if ids is None or ids[i] is None else str(ids[i]),
                             theme=theme_ids[item_theme[i]] if item_theme[i] >= 0 else None,
                             confidence=round(float(max(sim[item_unique[i]], 0.0)), 4),
                             sentiment=float(sentiments[i])) for i in range(len(texts)))
    return ThemeResult(tuple(themes), items, params, time.perf_counter() - start, retired)


def _vectorise(vec, texts: list[str], seed: int) -> np.ndarray:
    if not texts:
        vec.terms_ = []
        return np.zeros((0, 1), dtype=np.float32)
    if len(texts) <= FIT_SAMPLE:
        return vec.fit_transform(texts)
    # fit on a sample, then place every text in the fitted space
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(len(texts), FIT_SAMPLE, replace=False))
    vec.fit_transform([texts[i] for i in sample])
    from .prepare import analyse  # noqa: PLC0415

    vec.terms_ = [analyse(t, surface=vec.surface) for t in texts]
    return np.vstack([vec.transform(texts[i:i + 20_000]) for i in range(0, len(texts), 20_000)])


def _choose_k(X: np.ndarray, n_themes: int | str, seed: int) -> int:
    distinct = len(np.unique(X.round(5), axis=0)) if len(X) <= 5_000 else len(X)
    if n_themes != "auto":
        return max(1, min(int(n_themes), distinct))
    lo, hi = AUTO_RANGE
    hi = min(hi, distinct // 3)
    if hi < lo:
        return max(1, min(lo, distinct // 2 or 1))
    rng = np.random.default_rng(seed)
    sample = X if len(X) <= AUTO_SAMPLE else X[rng.choice(len(X), AUTO_SAMPLE, replace=False)]
    candidates = sorted(set(np.linspace(lo, hi, num=min(8, hi - lo + 1)).round().astype(int)))
    scores = []
    for k in candidates:
        labels = KMeans(k, n_init=2, random_state=seed).fit_predict(sample)
        scores.append(silhouette_score(sample, labels, metric="euclidean") if len(set(labels)) > 1 else -1)
    return _knee(candidates, scores)


def _knee(ks: list[int], scores: list[float]) -> int:
    """The k after which silhouette stops paying for more themes: the point of the curve
    farthest above the straight line from its first to its last point (the "elbow")."""
    if len(ks) < 3:
        return int(ks[int(np.argmax(scores))])
    x = (np.array(ks, float) - ks[0]) / (ks[-1] - ks[0])
    y = np.array(scores, float)
    span = y.max() - y.min()
    if span <= 1e-9:
        return int(ks[0])
    y = (y - y.min()) / span
    line = y[0] + (y[-1] - y[0]) * x
    return int(ks[int(np.argmax(y - line))])


def _cluster(X: np.ndarray, weights: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Unit-length centres of a weighted spherical k-means with ``k`` clusters."""
    if len(X) > MINIBATCH_ABOVE:
        model = MiniBatchKMeans(k, batch_size=4096, n_init=3, random_state=seed)
    else:
        model = KMeans(k, n_init=4, random_state=seed)
    model.fit(X, sample_weight=weights.astype(np.float64))
    return normalize(model.cluster_centers_).astype(np.float32)


def _identify(drafts: list[dict], previous: Any, n_items: int, min_similarity: float):
    """Give drafts their ids: previous ids for matched themes, fresh ids for the rest."""
    prev = previous_themes(previous)
    if not prev:
        ids = [f"T{n + 1}" for n in range(len(drafts))]
        return ids, [Theme(id=i, **d) for i, d in zip(ids, drafts)], ()
    matches = match_themes([d["terms"] for d in drafts], prev, min_similarity)
    fresh = iter(new_ids(sum(m.previous is None for m in matches), {p.id for p in prev}))
    ids, themes = [], []
    for d, m in zip(drafts, matches):
        if m.previous is None:
            theme = Theme(id=next(fresh), emerging=True, **d)
        else:
            theme = Theme(id=m.previous.id, name=m.previous.name, previous_size=m.previous.size,
                          change=growth(d["size"], n_items, m.previous), **d)
        ids.append(theme.id)
        themes.append(theme)
    matched = {m.previous.id for m in matches if m.previous is not None}
    return ids, themes, tuple(p.id for p in prev if p.id not in matched)
