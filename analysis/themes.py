"""Unsupervised themes in two levels: ``find_themes(texts) -> ThemeResult``.

Pipeline (see docs/analysis.md): de-duplicate texts by their normalised form (counts become
weights) -> text vectors (static token tables, ``vectors.default_vectors``; or TF-IDF+LSA) ->
each vector pulled towards its 10 nearest neighbours (``clustering.smooth``) -> the number of
themes (``"auto"``: the fewest of 8..20 within 10% of the best silhouette; fewer on small data)
-> spherical k-means -> inside each theme, sub-themes the same way (2..15, by silhouette) ->
"other" for items without usable words or below ``other_threshold`` -> labels (phrases of the
texts, ``phrases.py``), c-TF-IDF keywords, quotes, VADER sentiment -> ids: fresh, or followed
from the previous run's centres (``stability.py``).

Contract: deterministic for a given ``seed``; never raises on odd texts (empty, emoji-only,
very long, non-English, duplicates); fewer distinct texts than themes gives fewer themes.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from . import clustering as cl
from .describe import describe_groups, embed_texts, sentiments_of, start_sentiments
from .prepare import normalise
from .results import SubTheme, Theme, ThemedItem, ThemeResult, previous_items, previous_themes
from .stability import (emerging_centres, encode_centre, extra_centres, follow_ids, growth, new_ids,
                        previous_centres, sticky_assignment)

AUTO_RANGE = (8, 20)      # the top level commissioners can read
SUB_RANGE = (2, 15)       # sub-themes inside one theme
MIN_SUB_SIZE = 8          # texts per sub-theme, on average, before a theme is split
AUTO_SAMPLE = 2_000       # distinct texts used to choose the number of themes
SUB_SAMPLE = 600          # members of a theme used to choose its number of sub-themes
# Top level: the fewest themes whose silhouette is within 10% of the best (on text the
# silhouettes of neighbouring k differ by less than their sampling noise, and fewer themes read
# better). Sub-themes: the best silhouette (the finest groups that hold together).
TOP_TOLERANCE = 0.10


def find_themes(texts: Sequence[object], ids: Sequence[object] | None = None,
                n_themes: int | str = "auto", seed: int = 0, previous: Any = None, *,
                vectoriser: str = "vectors", other_threshold: float = 0.2,
                n_keywords: int = 8, n_quotes: int = 3, sentiment_analyser=None,
                min_similarity: float = 0.25, subthemes: bool = True) -> ThemeResult:
    """Group ``texts`` into themes, each split into sub-themes.

    ``ids`` (same length, optional) are echoed on the items; ``n_themes`` is ``"auto"`` or a
    positive int (the top level); ``previous`` is an earlier ``ThemeResult``, its ``to_json()``
    / ``to_previous()`` data, or None; ``vectoriser`` is ``"vectors"`` (static token tables),
    ``"tfidf"`` or ``"embeddings"`` (optional extra); ``other_threshold`` is the least cosine
    similarity to a theme's centre for an item to belong to it; ``min_similarity`` applies when
    themes are matched to a previous run by their terms (runs without centres).
    """
    start = time.perf_counter()
    texts = [t if isinstance(t, str) else ("" if t is None else str(t)) for t in texts]
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"ids has {len(ids)} entries for {len(texts)} texts")
    if n_themes != "auto" and (not isinstance(n_themes, int) or isinstance(n_themes, bool) or n_themes < 1):
        raise ValueError(f"n_themes must be 'auto' or a positive integer, not {n_themes!r}")

    keys = [normalise(t) for t in texts]
    index_of: dict[str, int] = {}
    item_unique = np.empty(len(texts), dtype=np.int64)
    first: list[int] = []
    for i, key in enumerate(keys):
        j = index_of.setdefault(key, len(first))
        if j == len(first):
            first.append(i)
        item_unique[i] = j
    counts = np.bincount(item_unique, minlength=len(first)).astype(np.float64) if texts else np.zeros(0)
    unique_texts = [texts[i] for i in first]
    pending = start_sentiments(texts, sentiment_analyser)  # in a second process, when it pays

    X, embed, used_vectoriser = embed_texts(unique_texts, vectoriser, seed)
    params = {"themes": n_themes, "seed": seed, "vectoriser": used_vectoriser,
              "other_threshold": other_threshold}
    usable = np.flatnonzero(np.abs(X).sum(axis=1) > 0) if len(unique_texts) else np.zeros(0, int)
    S = cl.smooth(X[usable], seed=seed) if len(usable) else X[:0]
    w = counts[usable]

    prev = previous_themes(previous)
    followed = previous_centres(prev, X.shape[1]) if prev else None
    if followed is not None:
        centres, origin = _follow(S, w, n_themes, seed, prev, followed)
    else:
        k = _top_k(S, w, n_themes, seed)
        centres = cl.spherical_kmeans(S, w, k, seed) if k else np.zeros((0, X.shape[1]), np.float32)
        origin = [None] * len(centres)
    assign = np.full(len(unique_texts), -1)
    sim = np.zeros(len(unique_texts), dtype=np.float32)
    if len(centres):
        sims = S @ centres.T
        best = sims.argmax(axis=1)
        if followed is not None:
            best = sticky_assignment(sims, best, _before(previous, ids, item_unique, usable, origin, prev))
        assign[usable] = best
        sim[usable] = sims[np.arange(len(usable)), best]
        assign[sim < other_threshold] = -1

    sizes = np.bincount(assign[assign >= 0], weights=counts[assign >= 0], minlength=len(centres))
    kept = [c for c in sorted(range(len(centres)), key=lambda c: (-sizes[c], c)) if sizes[c] > 0]
    remap = {c: n for n, c in enumerate(kept)}
    assign = np.array([remap.get(int(a), -1) for a in assign], dtype=np.int64)
    centres, origin = centres[kept], [origin[c] for c in kept]
    params["n_themes"] = len(kept)

    row_of = np.full(len(unique_texts), -1)
    row_of[usable] = np.arange(len(usable))
    sub_of = np.full(len(unique_texts), -1)
    sub_centres: list[np.ndarray] = []
    sub_origin: list[list] = []
    for n in range(len(kept)):
        members = np.flatnonzero(assign == n)
        before = origin[n].subthemes if origin[n] is not None else ()
        with threadpool_limits(1):
            sc, labels, keys = _subthemes(S[row_of[members]], counts[members], seed, before, X.shape[1]) \
                if subthemes else (np.zeros((0, X.shape[1]), np.float32), np.full(len(members), -1), [])
        sub_of[members] = labels
        sub_centres.append(sc)
        sub_origin.append(keys)

    sentiments = sentiments_of(texts, sentiment_analyser, vectors=_known_vectors(used_vectoriser, unique_texts, X),
                               pending=pending)
    described = describe_groups(unique_texts, counts, assign, sub_of, sim, item_unique, sentiments,
                                centres, sub_centres, X, embed, seed=seed, n_keywords=n_keywords,
                                n_quotes=n_quotes)
    theme_ids, themes, retired = _identify(described, origin, prev, len(texts), centres, sub_centres,
                                           sub_origin, min_similarity)
    item_theme = assign[item_unique] if len(texts) else assign
    item_sub = sub_of[item_unique] if len(texts) else sub_of
    sub_ids = [[s.id for s in t.subthemes] for t in themes]
    items = tuple(ThemedItem(row=i, id=None if ids is None or ids[i] is None else str(ids[i]),
                             theme=theme_ids[item_theme[i]] if item_theme[i] >= 0 else None,
                             confidence=round(float(max(sim[item_unique[i]], 0.0)), 4),
                             sentiment=float(sentiments[i]),
                             subtheme=sub_ids[item_theme[i]][item_sub[i]]
                             if item_theme[i] >= 0 and item_sub[i] >= 0 else None)
                  for i in range(len(texts)))
    return ThemeResult(tuple(themes), items, params, time.perf_counter() - start, retired)


def _known_vectors(used_vectoriser: str, unique_texts: list[str], X: np.ndarray):
    """The run's text vectors, for the sentiment model to reuse (None unless ``X`` was made by
    the default static tables, which are the ones the model reads)."""
    if not used_vectoriser.startswith("vectors:"):
        return None
    from .vectors import KnownVectors, default_vectors  # noqa: PLC0415

    return KnownVectors(default_vectors(), unique_texts, X)


def _candidates(lo: int, hi: int) -> list[int]:
    return sorted({int(k) for k in np.linspace(lo, hi, num=min(8, hi - lo + 1)).round()})


def _top_k(S: np.ndarray, w: np.ndarray, n_themes: int | str, seed: int) -> int:
    """The number of top-level themes: as asked (capped by the distinct texts), or chosen."""
    distinct = len(np.unique(S.round(4), axis=0)) if len(S) <= 5_000 else len(S)
    if not distinct:
        return 0
    if n_themes != "auto":
        return max(1, min(int(n_themes), distinct))
    hi = min(AUTO_RANGE[1], distinct // 4)
    lo = min(AUTO_RANGE[0], max(2, distinct // 50))
    if hi < 2:
        return 1
    if hi <= lo:
        return hi
    return cl.choose_k(S, w, _candidates(lo, hi), seed, sample=AUTO_SAMPLE, tolerance=TOP_TOLERANCE)


def _subthemes(S: np.ndarray, w: np.ndarray, seed: int, before, dim: int):
    """Sub-theme centres, each member's sub-theme (-1 when the theme is not split) and, for
    each sub-theme, the index of the previous sub-theme it follows (None when fresh)."""
    from .stability import decode_centre  # noqa: PLC0415

    none = (np.zeros((0, dim), np.float32), np.full(len(S), -1), [])
    hi = min(SUB_RANGE[1], len(S) // MIN_SUB_SIZE)
    if hi < SUB_RANGE[0]:
        return none
    init = [decode_centre(s.centre, dim) if s.centre else None for s in before]
    follow = bool(before) and all(v is not None for v in init) and len(init) <= hi
    if follow:
        centres = cl.spherical_kmeans(S, w, len(init), seed, init=np.vstack(init), max_iter=10)
    else:
        k = cl.choose_k(S, w, _candidates(SUB_RANGE[0], hi), seed, sample=SUB_SAMPLE)
        centres = cl.spherical_kmeans(S, w, k, seed, n_init=2)
    labels, _ = cl.assign(S, centres)
    sizes = np.bincount(labels, weights=w, minlength=len(centres))
    if follow:  # keep the previous order, so positions still name the previous sub-themes
        order = [c for c in range(len(centres)) if sizes[c] > 0]
    else:
        order = [c for c in sorted(range(len(centres)), key=lambda c: (-sizes[c], c)) if sizes[c] > 0]
    if len(order) < 2:
        return none
    remap = np.full(len(centres), -1)
    remap[order] = np.arange(len(order))
    return centres[order], remap[labels], [c if follow else None for c in order]


def _follow(S, w, n_themes, seed, prev, followed):
    """Centres for a run that follows a previous one, and for each the previous theme (or
    None for an emerging one). See ``stability.py``."""
    if n_themes != "auto" and n_themes < len(prev):
        keep = sorted(range(len(prev)), key=lambda i: (-prev[i].size, i))[:n_themes]
        prev, followed = [prev[i] for i in keep], followed[keep]
    if not len(S):
        return followed[:0], []
    settled = cl.spherical_kmeans(S, w, len(followed), seed, init=followed, max_iter=10)
    held = np.bincount(cl.assign(S, settled)[0], weights=w, minlength=len(settled))
    settled = settled[held > 0]  # a followed theme that no text chose is retired
    k = _top_k(S, w, n_themes, seed) if n_themes == "auto" else max(n_themes, 1)
    fresh = cl.spherical_kmeans(S, w, max(k, 1), seed)
    if n_themes == "auto":
        fresh_sizes = np.bincount(cl.assign(S, fresh)[0], weights=w, minlength=len(fresh))
        extra = emerging_centres(settled, fresh, fresh_sizes, float(w.sum()))
    else:  # the asked number: the fresh groups that no followed theme pairs with
        extra = extra_centres(settled, fresh)
    centres = np.vstack([settled, extra]) if len(extra) else settled
    if len(extra):
        centres = cl.spherical_kmeans(S, w, len(centres), seed, init=centres, max_iter=10)
    return centres, follow_ids(followed, centres, prev)


def _before(previous, ids, item_unique, usable, origin, prev) -> np.ndarray:
    """For each usable distinct text: the index of its previous theme's centre, or -1."""
    out = np.full(len(usable), -1)
    by_item = previous_items(previous)
    if not by_item or ids is None:
        return out
    index = {p.id: n for n, p in enumerate(origin) if p is not None}
    position = np.full(int(item_unique.max()) + 1 if len(item_unique) else 0, -1)
    position[usable] = np.arange(len(usable))
    for i, ref in enumerate(ids):
        j = position[item_unique[i]]
        if j >= 0 and out[j] < 0 and ref is not None:
            out[j] = index.get(by_item.get(str(ref), ""), -1)
    return out


def _identify(described, origin, prev, n_items, centres, sub_centres, sub_origin, min_similarity):
    """Ids, ``Theme`` objects and retired ids (followed centres, terms, or fresh)."""
    from .stability import match_themes  # noqa: PLC0415

    if prev and all(o is None for o in origin):  # previous run without centres: match terms
        matches = match_themes([d["terms"] for d in described], prev, min_similarity)
        origin = [m.previous for m in matches]
    taken = {p.id for p in prev}
    fresh = iter(new_ids(sum(o is None for o in origin), taken) if prev else
                 [f"T{n + 1}" for n in range(len(described))])
    ids, themes = [], []
    for n, (d, o) in enumerate(zip(described, origin)):
        tid = o.id if o is not None else next(fresh)
        before = [s.id for s in o.subthemes] if o is not None else []
        numbers = [int(x.rsplit(".", 1)[1]) for x in before if x.rsplit(".", 1)[-1].isdigit()]
        next_number = max(numbers, default=0) + 1
        subs = []
        for m, sd in enumerate(d.pop("subthemes")):
            key = sub_origin[n][m] if m < len(sub_origin[n]) else None
            if key is not None and key < len(before):
                sid = before[key]
            else:
                sid, next_number = f"{tid}.{next_number}", next_number + 1
            subs.append(SubTheme(id=sid, centre=encode_centre(sub_centres[n][m]), **sd))
        extra = {} if o is None else dict(name=o.name, previous_size=o.size,
                                          change=growth(d["size"], n_items, o))
        themes.append(Theme(id=tid, emerging=bool(prev) and o is None, subthemes=tuple(subs),
                            centre=encode_centre(centres[n]), **extra, **d))
        ids.append(tid)
    matched = {o.id for o in origin if o is not None}
    return ids, themes, tuple(p.id for p in prev if p.id not in matched)
