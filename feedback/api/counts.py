"""The API's tables of counts, put through the one disclosure rule.

- ``themes``: the insight dashboard's themes table, suppressed exactly as the
  dashboard suppresses it (``insight.protection.dashboard``: the same cells, the
  same sums), so the API can never show a theme's people the dashboard hides.
- ``theme_cells``: each theme the themes table shows, broken down by month,
  service, area or cohort. Per theme and breakdown the table is the theme's
  people (kept: the same figure as in ``themes``) = the sum of its cells, and
  ``disclosure.protect`` hides each cell of 1 to 9 people and whatever cells
  would let one be worked out. Cohorts overlap and do not cover everyone, so
  each cohort is its own sum: the theme's people = the cohort's people + the
  people not in it (a cell never shown), given to ``protect`` when the people
  not in it are 1 to 9, so that the cohort's cell is withheld. A theme whose
  people are hidden is not broken down.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select, union_all

from .. import disclosure
from ..extensions import db
from ..insight import protection, queries
from ..insight.filters import Filters
from ..models import ActionCard, Area, FeedbackEntry, Service
from ..models.submissions import COHORTS

THRESHOLD = disclosure.THRESHOLD
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class Cell:
    theme_id: int
    theme: str
    by: str
    key: str | None
    label: str
    people: int
    hidden: bool
    text: str


def themes(f: Filters) -> list:
    """The dashboard's theme rows for ``f`` (``queries.ThemeRow``, ``suppressed`` set)."""
    split = queries.breakdowns(f, ("source", "month"))
    total = sum(r.people for r in split["source"])
    if total < THRESHOLD:
        return []  # as the dashboard: nothing is broken down under 10 people heard
    counts = queries.theme_counts(f)
    _, _, rows, _ = protection.dashboard(total, split["source"], split["month"],
                                         queries.theme_summary(f, counts=counts), counts)
    return rows


def _grouped(f: Filters, by: str) -> dict[int, dict]:
    """{theme id: {key: people}} for month or service, from one grouped query."""
    items = queries.items_subquery(f)
    column = queries._month(items.c.created_at) if by == "month" else items.c.service_id
    stmt = select(items.c.theme_id, column, func.sum(items.c.people)).group_by(
        items.c.theme_id, column)
    out: dict[int, dict] = {}
    for theme_id, key, people in db.session.execute(stmt):
        key = queries._month_key(key) if by == "month" else key
        cells = out.setdefault(theme_id, {})
        cells[key] = cells.get(key, 0) + int(people or 0)
    return out


def _areas(f: Filters, totals: dict[int, int]) -> dict[int, dict]:
    """{theme id: {area id or None: people}}: one count per area holding published items."""
    used = union_all(select(ActionCard.area_id).where(ActionCard.is_published),
                     select(FeedbackEntry.area_id).where(FeedbackEntry.is_published)).subquery()
    area_ids = sorted(a for a in db.session.execute(select(used.c.area_id).distinct()).scalars()
                      if a is not None)
    out: dict[int, dict] = {t: {} for t in totals}
    for area_id in area_ids:
        for theme_id, row in queries.theme_counts(replace(f, area_id=area_id)).items():
            if theme_id in out and row[0]:
                out[theme_id][area_id] = int(row[0])
    for theme_id, cells in out.items():
        rest = totals[theme_id] - sum(cells.values())
        if rest:
            cells[None] = rest
    return out


def _labels(by: str, keys) -> dict:
    ids = [k for k in keys if k is not None]
    if by == "service" and ids:
        return dict(db.session.execute(select(Service.id, Service.name).where(Service.id.in_(ids))).all())
    if by == "area" and ids:
        return dict(db.session.execute(select(Area.id, Area.name).where(Area.id.in_(ids))).all())
    if by == "cohort":
        return dict(COHORTS)
    if by == "month":
        from datetime import date
        return {k: f"{date(int(k[:4]), int(k[5:7]), 1):%B %Y}" for k in ids}
    return {}


def _partition(theme, total: int, cells: dict, by: str, labels: dict) -> list[Cell]:
    values = {("total",): total}
    values.update({("cell", k): n for k, n in cells.items()})
    protected = disclosure.protect(values, [(("total",), [("cell", k) for k in cells])],
                                   keep=[("total",)])
    if not protected.shows(("total",)):
        return []
    order = sorted(cells, key=lambda k: (k is None, str(k)))
    return [Cell(theme.theme_id, theme.name, by, None if k is None else str(k),
                 labels.get(k, NOT_KNOWN), cells[k], not protected.shows(("cell", k)),
                 protected.text(("cell", k), cells[k])) for k in order]


def _cohorts(theme, total: int, cells: dict) -> list[Cell]:
    values = {("total",): total}
    sums, unseen = [], []
    for c in COHORTS:
        values[("cell", c)] = cells.get(c, 0)
        if disclosure.is_small(total - cells.get(c, 0)):
            # Only a small "not in the cohort" group needs protecting: one of 0 or
            # 10 or more people may be worked out (zeros are shown anyway).
            values[("rest", c)] = total - cells.get(c, 0)
            sums.append((("total",), [("cell", c), ("rest", c)]))
            unseen.append(("rest", c))
    protected = disclosure.protect(values, sums, keep=[("total",)], unseen=unseen)
    if not protected.shows(("total",)):
        return []
    return [Cell(theme.theme_id, theme.name, "cohort", c, label, values[("cell", c)],
                 not protected.shows(("cell", c)), protected.text(("cell", c), values[("cell", c)]))
            for c, label in COHORTS.items()]


def theme_cells(f: Filters, by: str) -> list[Cell]:
    """Every shown theme's protected cells by ``by`` (month, service, area or cohort)."""
    shown = [t for t in themes(f) if not t.suppressed]
    if not shown:
        return []
    totals = {t.theme_id: t.people for t in shown}
    if by == "cohort":
        per_cohort = {c: queries.theme_counts(replace(f, cohort=c)) for c in COHORTS}
        return [cell for t in shown for cell in _cohorts(
            t, t.people, {c: int((rows.get(t.theme_id) or (0,))[0] or 0)
                          for c, rows in per_cohort.items()})]
    grouped = _areas(f, totals) if by == "area" else _grouped(f, by)
    keys = {k for cells in grouped.values() for k in cells}
    labels = _labels(by, keys)
    return [cell for t in shown
            for cell in _partition(t, t.people, grouped.get(t.theme_id, {}), by, labels)]
