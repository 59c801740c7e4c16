"""Disclosure control for every table of counts the platform shows: one rule,
decided here, for the insight dashboard, theme pages, their CSV/XLSX exports
and the contract review pack (page, Word, Excel).

The rule is the one UK official statistics use for tables of counts (GSS/ONS
guidance on disclosure control; docs/privacy.md cites it):

1. *Primary suppression*: a cell of 1 to ``THRESHOLD - 1`` (9) people is not
   shown ("fewer than 10"). Zero is shown: an empty group identifies nobody.
2. *Secondary (complementary) suppression*: when the cells and totals that are
   shown would let a suppressed cell be worked out, by one subtraction or by
   any combination of the table's sums, the next smallest cell of that sum is
   suppressed as well ("not shown"). Totals are kept where a part can go
   instead, so the headline figures stay.

A table is given as its exact cells (totals included) and the sums that tie
them (``total = part + part + ...``). ``protect`` is pure (no database, no
request) and deterministic; ``determined`` is the check it relies on: which
hidden cells a reader could still solve for from the shown ones, by solving
the linear equations exactly (rational Gaussian elimination), plus the bounds
a reader knows (1 to 9 for "fewer than 10", at least 10 for "not shown"), sum by
sum and over all the sums at once (a linear programme per hidden cell, scipy).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .i18n import N_

THRESHOLD = 10
# Marked (``N_``), kept in English: the open data API gives them as data; staff pages
# translate them where they show them.
SMALL_TEXT = N_("fewer than 10")
WITHHELD_TEXT = N_("not shown")
# Why a cell has no number, in plain words, for the page to say beside the table
# (``Protected.why``). None of them gives away more than "fewer than 10" or "not shown" does.
SMALL_WHY = N_("%(what)s: fewer than 10 people. A group this small is never shown as a number, "
               "so that no one in it can be recognised.")
SMALL_RUNNING_WHY = N_("%(what)s: fewer than 10 people so far. This month is still running, and "
                       "a group this small is never shown as a number, so that no one in it can "
                       "be recognised.")
WITHHELD_WHY = N_("%(what)s: not empty. Its number is hidden only so that a smaller group "
                  "(fewer than 10 people) cannot be worked out by taking the other figures away "
                  "from the total.")

Sum = tuple[Hashable, Sequence[Hashable]]  # (total, parts): total == sum(parts)


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    """Primary suppression: 1 to ``threshold - 1`` people."""
    return 0 < value < threshold


@dataclass(frozen=True)
class Protected:
    """What a table may show: ``small`` cells (primary), ``withheld`` ones
    (secondary, so no small cell can be derived) and cells the view never
    shows at all (``unseen``)."""

    small: frozenset
    withheld: frozenset
    unseen: frozenset = frozenset()

    @property
    def hidden(self) -> frozenset:
        return self.small | self.withheld | self.unseen

    def shows(self, key) -> bool:
        return key not in self.hidden

    def text(self, key, value: int) -> str:
        if key in self.small:
            return SMALL_TEXT
        if key in self.hidden:
            return WITHHELD_TEXT
        return f"{value:,}"

    def why(self, key, *, still_running: bool = False) -> str | None:
        """Why a shown cell has no number (an untranslated message with ``%(what)s``, the
        cell's name), or None when it has one. ``still_running``: the cell is a period not
        over yet (a small month so far). A cell the view never shows needs no reason. For
        the rows of a grouped count (months, sources), which have one person or more."""
        if key in self.small:
            return SMALL_RUNNING_WHY if still_running else SMALL_WHY
        if key in self.withheld:
            return WITHHELD_WHY
        return None


def protect(values: Mapping[Hashable, int], sums: Iterable[Sum] = (), *,
            threshold: int = THRESHOLD, keep: Iterable[Hashable] = (),
            prefer: Iterable[Hashable] = (), forced: Iterable[Hashable] = (), unseen: Iterable[Hashable] = ()) -> Protected:
    """Decide which cells of one table are shown.

    ``values``: every cell of the table, totals included, exact. ``sums``: the
    relations a reader can use. ``keep``: cells (headline totals) hidden only
    when no other cell of a sum will do; ``prefer``: cells given up first
    (a minor total rather than a row). ``forced``: cells that must not be
    shown (withheld elsewhere, so they must stay hidden here too). ``unseen``:
    cells the view never shows (they count as unknown, and are protected too
    when small). Raises ``ValueError`` when a sum does not add up.
    """
    sums = [(total, tuple(parts)) for total, parts in sums]
    for total, parts in sums:
        if values[total] != sum(values[p] for p in parts):
            raise ValueError(f"the sum for {total!r} does not add up")
    order = {key: n for n, key in enumerate(values)}
    keep, prefer, unseen = set(keep), set(prefer), frozenset(unseen)
    small = frozenset(k for k, v in values.items() if is_small(v, threshold))
    hidden = set(small) | set(forced) | unseen

    def cost(key):
        return (values[key] == 0, key in keep, key not in prefer, values[key], order[key])

    def hide_one_of(cells) -> bool:
        shown = [c for c in cells if c not in hidden]
        if not shown:
            return False
        hidden.add(min(shown, key=cost))
        return True

    while True:
        changed = False
        for total, parts in sums:
            cells = (total, *parts)
            n_hidden = sum(c in hidden for c in cells)
            pinned = _pinned(values, total, parts, hidden, small, threshold) if n_hidden else ()
            if n_hidden == 1 or any(values[k] for k in pinned):
                changed |= hide_one_of(cells)
        if changed:
            continue
        # A zero worked out tells nothing (zeros are shown anyway).
        found = {k for k in determined(values, sums, hidden, small, threshold) if values[k]}
        for key in sorted(found, key=order.get):
            cells = {c for total, parts in sums if key in (total, *parts) for c in (total, *parts)}
            if hide_one_of(sorted(cells, key=order.get)):
                changed = True
                break
        if not changed:
            break
    return Protected(small, frozenset(hidden - small - unseen), unseen)


def _bounds(key, values, small, threshold) -> tuple[float, float]:
    """What a reader knows of a hidden cell from how it is shown."""
    if key in small:
        return 1, threshold - 1
    return (threshold if values[key] >= threshold else 0), float("inf")


def _pinned(values, total, parts, hidden, small, threshold) -> set:
    """The hidden parts of one sum (with its total shown) whose bounds leave one value."""
    if total in hidden:
        return set()
    rest = values[total] - sum(values[p] for p in parts if p not in hidden)
    bounds = {p: _bounds(p, values, small, threshold) for p in parts if p in hidden}
    out = set()
    for key, (lb, ub) in bounds.items():
        others = [b for k, b in bounds.items() if k != key]
        if max(lb, rest - sum(b[1] for b in others)) >= min(ub, rest - sum(b[0] for b in others)):
            out.add(key)
    return out


def determined(values: Mapping[Hashable, int], sums: Iterable[Sum], hidden: Iterable[Hashable],
               small: Iterable[Hashable] = (), threshold: int = THRESHOLD) -> set:
    """The hidden cells a reader can work out from the shown cells and the sums.

    Exact: x is determined when its unit vector lies in the row space of the
    sums restricted to the hidden cells (reduced row echelon form over the
    rationals); and when the bounds a reader knows leave it one value, sum by
    sum and then over all the sums at once (a linear programme per cell).
    """
    hidden = [k for k in dict.fromkeys(hidden) if k in values]
    column = {k: n for n, k in enumerate(hidden)}
    rows = []
    sums = [(total, tuple(parts)) for total, parts in sums]
    for total, parts in sums:
        row = [Fraction(0)] * len(hidden)
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in column:
                row[column[key]] += sign
        if any(row):
            rows.append(row)
    pivots = _rref(rows, len(hidden))
    out = set()
    for r, c in pivots:
        free = [j for j in range(len(hidden)) if j != c and rows[r][j] != 0]
        if not free:
            out.add(hidden[c])
    small, hidden_set = set(small), set(hidden)
    for total, parts in sums:
        out |= _pinned(values, total, parts, hidden_set, small, threshold)
    for component in _linked(sums, hidden_set):
        out |= _pinned_by_all(values, component, [k for k in hidden if k in
                                                   {c for t, p in component for c in (t, *p)}],
                              small, threshold, out)
    return out


def _linked(sums, hidden: set) -> list[list]:
    """Groups of two or more sums that share a hidden cell: only there can the
    sums together pin a cell that no one sum pins (one sum alone is exact)."""
    groups: list[tuple[set, list]] = []
    for total, parts in sums:
        cells = {c for c in (total, *parts) if c in hidden}
        if not cells:
            continue
        touching = [g for g in groups if g[0] & cells]
        merged = (cells.union(*(g[0] for g in touching)),
                  [s for g in touching for s in g[1]] + [(total, parts)])
        groups = [g for g in groups if not any(g is t for t in touching)] + [merged]
    return [g[1] for g in groups if len(g[1]) > 1]


def _pinned_by_all(values, sums, hidden, small, threshold, known) -> set:
    """Hidden cells that the bounds and all the sums together leave one value
    (a linear programme per cell: its least and greatest value)."""
    from scipy.optimize import linprog
    column = {k: n for n, k in enumerate(hidden)}
    matrix, rhs = [], []
    for total, parts in sums:
        row, rest = [0.0] * len(hidden), 0.0
        for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in column:
                row[column[key]] += sign
            else:
                rest -= sign * values[key]
        if any(row):
            matrix.append(row)
            rhs.append(rest)
    bounds = [(lb, None if ub == float("inf") else ub)
              for lb, ub in (_bounds(k, values, small, threshold) for k in hidden)]
    out = set()
    for key in hidden:
        if key in known:
            continue
        unit = [0.0] * len(hidden)
        unit[column[key]] = 1.0
        low = linprog(unit, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        if low.status != 0:
            continue
        high = linprog([-x for x in unit], A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        if high.status == 0 and -high.fun - low.fun < 0.5:
            out.add(key)
    return out


def _rref(rows: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduce ``rows`` in place; the (row, column) of each pivot."""
    pivots, r = [], 0
    for c in range(width):
        found = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if found is None:
            continue
        rows[r], rows[found] = rows[found], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r])]
        pivots.append((r, c))
        r += 1
    return pivots
