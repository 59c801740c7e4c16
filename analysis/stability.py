"""Stable themes over time: match this run's themes to a previous run's.

Each theme is described by its weighted distinctive terms (stems, so spelling variants agree).
Themes are paired by the Hungarian algorithm on the cosine similarity of these term vectors;
a pair counts only above ``min_similarity``. A matched theme keeps the previous id and curated
name and reports its growth; an unmatched new theme is "emerging" and gets a fresh id that no
previous theme used; unmatched previous themes are reported as retired.
"""

from __future__ import annotations

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
