"""Stable themes over time: follow a previous run's themes, or match them.

Runs on text vectors keep each theme's centre (``encode_centre``), and a later run follows
those centres (see the second half of this module and docs/analysis.md). Older runs without
centres are matched by terms: each theme is described by its weighted distinctive terms (stems, so spelling variants agree).
Themes are paired by the Hungarian algorithm on the cosine similarity of these term vectors;
a pair counts only above ``min_similarity``. A matched theme keeps the previous id and curated
name and reports its growth; an unmatched new theme is "emerging" and gets a fresh id that no
previous theme used; unmatched previous themes are reported as retired.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from .results import PreviousTheme

_ID = re.compile(r"^T(\d+)$")


@dataclass(frozen=True)
class Match:
    """For new theme ``index``: the matched previous theme (or None) and the similarity."""

    index: int
    previous: PreviousTheme | None
    similarity: float


def term_similarity(a, b) -> float:
    """Cosine similarity of two weighted term lists ((term, weight) pairs)."""
    da, db = dict(a), dict(b)
    dot = sum(w * db.get(t, 0.0) for t, w in da.items())
    na = math.sqrt(sum(w * w for w in da.values()))
    nb = math.sqrt(sum(w * w for w in db.values()))
    return dot / (na * nb) if na and nb else 0.0


def match_themes(new_terms, previous: list[PreviousTheme], min_similarity: float = 0.25) -> list[Match]:
    """Pair each new theme (given as its weighted terms) with at most one previous theme."""
    matches = [Match(i, None, 0.0) for i in range(len(new_terms))]
    if not previous or not new_terms:
        return matches
    sim = np.array([[term_similarity(n, p.terms or [(k, 1.0) for k in p.keywords])
                     for p in previous] for n in new_terms])
    rows, cols = linear_sum_assignment(-sim)
    for r, c in zip(rows, cols):
        if sim[r, c] >= min_similarity:
            matches[r] = Match(int(r), previous[c], round(float(sim[r, c]), 4))
    return matches


def new_ids(count: int, taken: set[str]) -> list[str]:
    """``count`` fresh ids "T<n>" numbered after the highest one in ``taken``."""
    numbers = [int(m.group(1)) for t in taken if (m := _ID.match(t))]
    start = max(numbers, default=0) + 1
    out, n = [], start
    while len(out) < count:
        if f"T{n}" not in taken:
            out.append(f"T{n}")
        n += 1
    return out


def growth(size: int, n_items: int, previous: PreviousTheme) -> float:
    """Change of the theme's share of all items, in percentage points (new - previous)."""
    share = size / n_items if n_items else 0.0
    return round(100.0 * (share - previous.share), 2)


# --- following a previous run's centres (text-vector runs) -------------------------------------
#
# Text vectors come from fixed tables, so a theme's centre means the same thing in every run and
# is what persists (``Theme.centre``). A run given such a previous run starts k-means from the
# previous centres (each centre keeps its theme's id), lets them settle on the new texts, and
# adds a theme only for a group of the new texts that is as far from every followed centre as
# the followed themes are from each other ("emerging"). An item of the previous run keeps its
# theme unless another centre is closer by more than ``MOVE_MARGIN``.

MOVE_MARGIN = 0.02
EMERGING_MIN_SHARE = 0.01   # an emerging theme holds at least 1% of the texts (and 3 texts)


def encode_centre(vector: np.ndarray) -> str:
    """A unit vector as compact plain text (float16, little-endian, base64)."""
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def decode_centre(text: str, dim: int) -> np.ndarray | None:
    """The vector of ``encode_centre``, or None when ``text`` is not one of ``dim`` values."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    if len(raw) != 2 * dim:
        return None
    vector = np.frombuffer(raw, dtype="<f2").astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if np.isfinite(norm) and norm > 0 else None


def previous_centres(previous: list[PreviousTheme], dim: int) -> np.ndarray | None:
    """The previous themes' centres (one row each, in order) when every theme has one."""
    rows = [decode_centre(p.centre, dim) if p.centre else None for p in previous]
    if not rows or any(r is None for r in rows):
        return None
    return np.vstack(rows).astype(np.float32)


def apartness(centres: np.ndarray) -> float:
    """How close (cosine) a theme typically is to its nearest other theme: the median over
    ``centres`` of the similarity to the nearest other centre (-1 with fewer than two)."""
    if len(centres) < 2:
        return -1.0
    among = centres @ centres.T
    np.fill_diagonal(among, -np.inf)
    return float(np.median(among.max(axis=1)))


def follow_ids(previous: np.ndarray, centres: np.ndarray, themes: list[PreviousTheme]) -> list:
    """For each of this run's ``centres``, the previous theme it continues (or None): centres
    and previous centres paired one to one by the Hungarian algorithm on cosine similarity; a
    pair counts only when the two are nearer to each other than halfway from a theme's usual
    nearest neighbour (``apartness``) to identity, so a theme that moved onto other texts is a
    new theme and the old one is retired."""
    out: list = [None] * len(centres)
    if not len(centres) or not len(previous):
        return out
    sim = centres @ previous.T
    rows, cols = linear_sum_assignment(-sim)
    same = (1.0 + apartness(previous)) / 2
    for r, c in zip(rows, cols):
        if sim[r, c] >= same:
            out[int(r)] = themes[int(c)]
    return out


def extra_centres(settled: np.ndarray, fresh: np.ndarray) -> np.ndarray:
    """The fresh centres left over when fresh and followed centres are paired one to one by
    the Hungarian algorithm on cosine similarity (the groups the followed themes do not cover)."""
    if len(fresh) <= len(settled):
        return fresh[:0]
    rows, _ = linear_sum_assignment(-(fresh @ settled.T))
    return fresh[np.setdiff1d(np.arange(len(fresh)), rows)]


def emerging_centres(followed: np.ndarray, fresh: np.ndarray, fresh_sizes: np.ndarray,
                     n_items: float) -> np.ndarray:
    """The fresh centres that stand apart from every followed centre: farther (lower cosine)
    from their nearest followed centre than the median followed theme is from its nearest
    neighbour, and holding at least ``EMERGING_MIN_SHARE`` of the texts."""
    if len(followed) < 2 or not len(fresh):
        return fresh[:0]
    apart = apartness(followed)
    nearest = (fresh @ followed.T).max(axis=1)
    keep = (nearest < apart) & (fresh_sizes >= max(3.0, EMERGING_MIN_SHARE * n_items))
    return fresh[keep]


def sticky_assignment(sims: np.ndarray, best: np.ndarray, before: np.ndarray) -> np.ndarray:
    """``best`` (argmax of ``sims`` per row), except that a row whose previous centre
    ``before`` (-1: none) is within ``MOVE_MARGIN`` of its best stays where it was."""
    out = best.copy()
    rows = np.flatnonzero(before >= 0)
    if len(rows):
        gap = sims[rows, best[rows]] - sims[rows, before[rows]]
        stay = rows[gap <= MOVE_MARGIN]
        out[stay] = before[stay]
    return out
