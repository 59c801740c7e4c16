"""Geometry of themes: neighbour smoothing, spherical k-means, the number of groups.

All inputs are matrices of unit rows (zero rows for texts with nothing to embed), so a dot
product is a cosine similarity.

- ``smooth(X)``: each row plus the mean of its ``NEIGHBOURS`` nearest other rows, re-normalised.
  A cheap stand-in for UMAP's neighbourhood graph: it pulls each text towards its local group,
  which makes groups tighter and k-means on them cleaner. Exact up to ``EXACT_UP_TO`` rows;
  above, neighbours are searched inside coarse cells of a seeded k-means (an inverted file with
  one probe), which keeps 100,000 texts to a few seconds.
- ``spherical_kmeans(X, w, k, seed, init=None)``: weighted k-means on unit rows, unit centres;
  ``init`` starts from given centres (a previous run's) with one start.
- ``choose_k(X, w, ks, seed, tolerance=0)``: the smallest candidate whose mean silhouette
  (cosine) on a seeded sample is within ``tolerance`` (relative) of the best candidate's.
- ``silhouette(X, labels)``: mean cosine silhouette, in numpy (no n x n distance copies).

Deterministic for a given seed.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

NEIGHBOURS = 10
EXACT_UP_TO = 12_000
CELL_SIZE = 3_000       # rows per cell of the inverted file above EXACT_UP_TO
ONE_START_ABOVE = 30_000  # distinct texts above which k-means makes one start of at most 30 rounds
SEARCH_DIMS = 96        # principal directions in which neighbours are searched
BLOCK = 2_048           # rows per block of similarity products


def unit(X: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return np.divide(X, norms, out=np.zeros_like(X), where=norms > 0)


def smooth(X: np.ndarray, k: int = NEIGHBOURS, seed: int = 0) -> np.ndarray:
    """``X`` rows pulled towards their ``k`` nearest neighbours (see the module docstring).
    Neighbours are found in the first ``SEARCH_DIMS`` principal directions (the averaging uses
    the full vectors)."""
    live = np.flatnonzero(np.abs(X).sum(axis=1) > 0)
    out = np.zeros_like(X)
    if len(live) <= 1:
        out[live] = X[live]
        return out
    k = min(k, len(live) - 1)
    Z = _search_space(X[live], seed)
    if len(live) <= EXACT_UP_TO:
        out[live] = X[live] + X[live][_neighbours(Z, k)].mean(axis=1)
        return unit(out)
    cells = max(2, len(live) // CELL_SIZE)
    coarse = spherical_kmeans(Z, np.ones(len(live), np.float32), cells, seed, n_init=1, max_iter=10)
    cell_of = assign(Z, coarse)[0]
    for c in range(cells):
        rows = np.flatnonzero(cell_of == c)
        if len(rows) > k:
            out[live[rows]] = X[live[rows]] + X[live[rows]][_neighbours(Z[rows], k)].mean(axis=1)
        else:
            out[live[rows]] = X[live[rows]]
    return unit(out)


def _search_space(X: np.ndarray, seed: int) -> np.ndarray:
    if X.shape[1] <= SEARCH_DIMS:
        return X
    rng = np.random.default_rng(seed)
    sample = X if len(X) <= 4_000 else X[np.sort(rng.choice(len(X), 4_000, replace=False))]
    with threadpool_limits(1):
        values, vectors = np.linalg.eigh((sample.T @ sample).astype(np.float64))
    basis = vectors[:, np.argsort(-values, kind="stable")[:SEARCH_DIMS]].astype(np.float32)
    return unit(X @ basis)


def _neighbours(Z: np.ndarray, k: int) -> np.ndarray:
    """Indices (n, k) of each row's ``k`` most similar other rows."""
    idx = np.empty((len(Z), k), dtype=np.int64)
    for s in range(0, len(Z), BLOCK):
        S = Z[s:s + BLOCK] @ Z.T
        np.fill_diagonal(S[:, s:s + BLOCK], -np.inf)  # a text is not its own neighbour
        idx[s:s + BLOCK] = np.argpartition(-S, k - 1, axis=1)[:, :k]
    return idx


def spherical_kmeans(X: np.ndarray, w: np.ndarray, k: int, seed: int, *, init: np.ndarray | None = None,
                     n_init: int = 3, max_iter: int = 50) -> np.ndarray:
    """Unit centres (k, dim) of a weighted spherical k-means on the unit rows of ``X``: the
    best of ``n_init`` seeded k-means++ starts (or one start at ``init``) by total weighted
    cosine similarity. Plain numpy: small problems cost microseconds, not thread start-ups."""
    w = np.asarray(w, dtype=np.float32)
    if init is not None:
        return _lloyd(X, w, unit(np.asarray(init, np.float32)), max_iter)[0]
    k = max(1, min(k, len(X)))
    rng = np.random.default_rng(seed)
    if len(X) > ONE_START_ABOVE:  # one k-means++ start: on this many texts the starts agree
        n_init, max_iter = 1, min(max_iter, 30)
    best, best_score = None, -np.inf
    for _ in range(max(1, n_init)):
        centres, score = _lloyd(X, w, _plus_plus(X, w, k, rng), max_iter)
        if score > best_score:
            best, best_score = centres, score
    return best


def _plus_plus(X: np.ndarray, w: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding with cosine distance, weighted by ``w``."""
    first = int(rng.choice(len(X), p=w / w.sum())) if w.sum() > 0 else 0
    chosen = [first]
    far = np.maximum(1.0 - X @ X[first], 0.0)
    for _ in range(1, k):
        p = far * w
        total = float(p.sum())
        nxt = int(rng.choice(len(X), p=p / total)) if total > 0 else int(np.argmax(far))
        chosen.append(nxt)
        np.minimum(far, np.maximum(1.0 - X @ X[nxt], 0.0), out=far)
    return X[chosen].copy()


def _lloyd(X: np.ndarray, w: np.ndarray, centres: np.ndarray, max_iter: int):
    """Lloyd iterations on the sphere; a centre left empty keeps its place."""
    labels = None
    k = len(centres)
    for _ in range(max_iter):
        new_labels, sims = assign(X, centres)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        members = sp.csr_matrix((w, (labels, np.arange(len(X)))), shape=(k, len(X)))
        moved = unit(np.asarray(members @ X, dtype=np.float32))
        empty = np.abs(moved).sum(axis=1) == 0
        moved[empty] = centres[empty]
        centres = moved
    labels, sims = assign(X, centres)
    return centres, float((sims * w).sum()) if k else 0.0


def assign(X: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of every row and the cosine similarity to it (blocks, bounded memory)."""
    best = np.zeros(len(X), dtype=np.int64)
    sim = np.zeros(len(X), dtype=np.float32)
    for s in range(0, len(X), 20_000):
        S = X[s:s + 20_000] @ centres.T
        best[s:s + 20_000] = S.argmax(axis=1)
        sim[s:s + 20_000] = S[np.arange(len(S)), best[s:s + 20_000]]
    return best, sim


def silhouette(X: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette with cosine distance (1 - dot) of unit rows; -1 for a single group."""
    groups, labels = np.unique(labels, return_inverse=True)
    if len(groups) < 2:
        return -1.0
    onehot = np.zeros((len(X), len(groups)), dtype=np.float32)
    onehot[np.arange(len(X)), labels] = 1.0
    sizes = onehot.sum(axis=0)
    dist = 1.0 - (X @ X.T)
    mean_to = (dist @ onehot)                       # summed distance to each group
    own = mean_to[np.arange(len(X)), labels] / np.maximum(sizes[labels] - 1, 1)
    mean_to /= sizes
    mean_to[np.arange(len(X)), labels] = np.inf
    other = mean_to.min(axis=1)
    s = (other - own) / np.maximum(np.maximum(own, other), 1e-12)
    s[sizes[labels] <= 1] = 0.0                     # a singleton scores 0, as in scikit-learn
    return float(s.mean())


def choose_k(X: np.ndarray, w: np.ndarray, ks: list[int], seed: int, sample: int = 2_000,
             tolerance: float = 0.0) -> int:
    """The smallest k of ``ks`` whose clustering of a seeded sample has a silhouette within
    ``tolerance`` (relative) of the best one; 0 takes the best."""
    with threadpool_limits(1):  # many small products: threads cost more than they give
        return _choose_k(X, w, ks, seed, sample, tolerance)


def _choose_k(X: np.ndarray, w: np.ndarray, ks: list[int], seed: int, sample: int, tolerance: float) -> int:
    ks = [k for k in ks if 2 <= k < len(X)]
    if not ks:
        return 1
    if len(ks) == 1:
        return ks[0]
    rng = np.random.default_rng(seed)
    idx = np.arange(len(X)) if len(X) <= sample else np.sort(rng.choice(len(X), sample, replace=False))
    S, ws = X[idx], w[idx]
    scores = []
    for k in ks:
        centres = spherical_kmeans(S, ws, k, seed, n_init=2)
        scores.append(silhouette(S, assign(S, centres)[0]))
    best = max(scores)
    if best <= 0:
        return ks[int(np.argmax(scores))]
    return next(k for k, s in zip(ks, scores) if s >= (1 - tolerance) * best - 1e-12)
