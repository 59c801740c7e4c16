"""A reader with a calculator: what each view of counts shows, the sums that tie
its figures together, and which hidden figures could be worked out from them.

Independent of ``feedback.disclosure``: exact linear derivation by matrix rank
(numpy), and the bounds a reader knows ("fewer than 10" is 1 to 9, "not shown"
is 0 or at least 10) by linear programming over the whole table (scipy), so a
figure pinned by several sums at once is found too. Used by the property
tests and by ``benchmarks/disclosure_sweep.py`` (no tests here).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

SMALL, WITHHELD = "fewer than 10", "not shown"


@dataclass
class Table:
    """Cells as the reader sees them: ``shown`` text per cell, exact ``values``
    (known to the test, not to the reader) and the sums."""

    name: str
    values: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)  # key -> text ("12", SMALL, WITHHELD, or None: absent)
    sums: list = field(default_factory=list)

    def cell(self, key, value: int, text: str | None) -> None:
        self.values[key] = int(value)
        self.shown[key] = text

    def hidden(self) -> list:
        return [k for k, t in self.shown.items() if not _is_number(t)]


def _is_number(text) -> bool:
    return isinstance(text, str) and text.replace(",", "").isdigit()


def _bounds(text, value) -> tuple[float, float | None]:
    if text == SMALL:
        return 1, 9
    if text == WITHHELD:
        return (10 if value >= 10 else 0), None
    return 0, None


def leaks(table: Table) -> list[str]:
    """Every problem: a small figure shown, a figure shown wrongly, a sum that does
    not add up, or a hidden figure a reader can work out."""
    problems = []
    for key, text in table.shown.items():
        value = table.values[key]
        if _is_number(text) and int(text.replace(",", "")) != value:
            problems.append(f"{table.name}: {key} shows {text} but is {value}")
        if _is_number(text) and 0 < value < 10:
            problems.append(f"{table.name}: {key} shows a small figure {value}")
        if text == SMALL and not value < 10:  # 0 as "fewer than 10" is only cautious
            problems.append(f"{table.name}: {key} says fewer than 10 but is {value}")
    for total, parts in table.sums:
        if table.values[total] != sum(table.values[p] for p in parts):
            problems.append(f"{table.name}: the sum for {total} does not add up")
    hidden = table.hidden()
    if not hidden or problems:
        return problems
    column = {k: n for n, k in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in table.sums:
        row, known = np.zeros(len(hidden)), 0
        for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in column:
                row[column[key]] += sign
            else:
                known -= sign * table.values[key]
        if row.any():
            rows.append(row)
            rhs.append(known)
    matrix = np.array(rows) if rows else np.zeros((0, len(hidden)))
    rank = np.linalg.matrix_rank(matrix) if rows else 0
    bounds = [_bounds(table.shown[k], table.values[k]) for k in hidden]
    for key, n in column.items():
        if table.values[key] == 0:
            continue  # zeros are shown anyway: working one out tells nothing
        unit = np.zeros(len(hidden))
        unit[n] = 1
        if rows and np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            problems.append(f"{table.name}: {key} (= {table.values[key]}) can be worked out "
                            "by adding and subtracting")
            continue
        if not rows:
            continue
        low = linprog(unit, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        high = linprog(-unit, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
            problems.append(f"{table.name}: {key} (= {table.values[key]}) is pinned by the "
                            "bounds of what is shown")
    return problems


# --- the views --------------------------------------------------------------

def dashboard_table(view) -> Table:
    """The dashboard (and its theme export, which shows the same rows)."""
    table = Table("dashboard")
    if view.total_suppressed:
        table.cell("total", view.total, SMALL if view.total else "0")
        return table
    table.cell("total", view.total, f"{view.total:,}")
    for kind, rows in (("source", view.sources), ("month", view.months)):
        for row in rows:
            table.cell((kind, row.key), row.people, row.people_text)
        if rows:  # a breakdown left out shows no cells and no sum
            table.sums.append(("total", [(kind, r.key) for r in rows]))
    listed = 0
    for row in view.themes:
        table.cell(("theme", row.theme_id), row.people, row.people_text)
        listed += row.people
    # Themes hidden from the dashboard: never shown, one unknown to the reader.
    table.cell("other themes", view.themed - listed, None)
    shown = getattr(view, "themed_shown", True)  # older versions always showed it
    table.cell("themed", view.themed, f"{view.themed:,}" if shown else None)
    table.sums.append(("themed", [("theme", r.theme_id) for r in view.themes] + ["other themes"]))
    return table


def theme_table(page) -> Table:
    table = Table(f"theme {page.theme.id}")
    table.cell("total", page.people, page.people_text)
    if page.suppressed:
        return table
    for kind, rows in (("service", page.services), ("month", page.months)):
        for row in rows:
            table.cell((kind, row.key), row.people, row.people_text)
        if rows:  # a breakdown left out shows no cells and no sum
            table.sums.append(("total", [(kind, r.key) for r in rows]))
    return table


def pack_table(pack, cards, entries, services) -> Table:
    """The review pack's volume table; ``cards``/``entries`` are the items it counted."""
    from feedback.contracts.pack_types import show

    table = Table(f"pack {pack.reference}")
    v = pack.volume
    table.cell("cards", len(cards), show(v.cards))
    table.cell("feedback", len(entries), show(v.feedback))
    table.cell("total", len(cards) + len(entries), show(v.total))
    table.sums.append(("total", ["cards", "feedback"]))
    if v.split:  # family feedback by who collected it
        collected = sum(e.collected_by_id is not None for e in entries)
        table.cell("independent", len(entries) - collected, show(v.independent))
        table.cell("collected", collected, show(v.collected))
        table.sums.append(("feedback", ["independent", "collected"]))
    if v.by_service:
        for kind, items, attr in (("cards", cards, "cards"), ("feedback", entries, "feedback")):
            for service, row in zip(services, v.by_service):
                table.cell((kind, service.id), sum(i.service_id == service.id for i in items),
                           show(getattr(row, attr)))
            table.sums.append((kind, [(kind, s.id) for s in services]))
    return table
