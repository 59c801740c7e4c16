"""The insight views' tables, put through the one disclosure rule
(``feedback.disclosure.protect``): which sums each view shows, and so which
cells must be withheld so that no group of fewer than 10 can be worked out.

- Dashboard: people heard = sum of sources = sum of months; "N of them are in
  a theme" = sum of every theme's people (themes hidden from the dashboard
  included: they are cells the reader never sees).
- Theme page (and its export): the theme's people = sum of services = sum of
  months.

Rows come back with ``suppressed`` set for every hidden cell; a row's
``people_text`` says "fewer than 10" for a small group and "not shown" for a
cell withheld to protect one. Months (the timeline) also carry ``why``: the
plain-words reason the disclosure rule gives for a month without a number, so
that a hidden month is not taken for an empty one (a small month still running
says so). When only the view's own total (people heard, or
the theme's people) could protect a small group, the breakdowns are left out
instead (empty lists): the total stays the same on every page.
"""
from __future__ import annotations

import dataclasses

from .. import disclosure


def _withhold(rows: list, prefix: str, protected: disclosure.Protected, key_of) -> list:
    return [dataclasses.replace(r, suppressed=True) if (prefix, key_of(r)) in protected.hidden
            else r for r in rows]


def _withhold_months(rows: list, protected: disclosure.Protected,
                     running: str | None = None) -> list:
    """The months, each hidden one also with the rule's reason (``why``)."""
    return [dataclasses.replace(r, why=protected.why(
                ("month", r.key), still_running=r.key is not None and r.key == running))
            if r.suppressed else r
            for r in _withhold(rows, "month", protected, lambda r: r.key)]


def _resort(rows: list, name_of) -> list:
    """Shown rows by size, hidden rows last by name (their place hints nothing)."""
    return sorted(rows, key=lambda r: (r.suppressed, -r.people if not r.suppressed else 0,
                                       name_of(r).lower()))


def dashboard(total: int, sources: list, months: list, themes: list,
              counts: dict, running: str | None = None) -> tuple[list, list, list, bool]:
    """(sources, months, themes, whether the themed total may be shown). ``running``: the
    key ("YYYY-MM") of a month still running in the period, if any."""
    values = {("total",): total,
              ("themed",): sum(int(c[0] or 0) for c in counts.values())}
    values.update({("source", r.key): r.people for r in sources})
    values.update({("month", r.key): r.people for r in months})
    values.update({("theme", theme_id): int(c[0] or 0) for theme_id, c in counts.items()})
    listed = {r.theme_id for r in themes}
    sums = [(("total",), [("source", r.key) for r in sources]),
            (("total",), [("month", r.key) for r in months]),
            (("themed",), [("theme", t) for t in counts])]
    # "N of them are in a theme" is the first cell given up: it is the one
    # sum that ties the themes together, so no theme need be withheld.
    protected = disclosure.protect(
        values, sums, keep=[("total",)], prefer=[("themed",)],
        unseen=[("theme", t) for t in counts if t not in listed])
    if not protected.shows(("total",)):
        # Only giving up the headline itself would protect a small group:
        # the breakdowns are left out instead (the themes do not depend on it).
        sources, months = [], []
    sources = _resort(_withhold(sources, "source", protected, lambda r: r.key), lambda r: r.label)
    months = _withhold_months(months, protected, running)
    themes = _resort(_withhold(themes, "theme", protected, lambda r: r.theme_id),
                     lambda r: r.name)
    return sources, months, themes, protected.shows(("themed",))


def theme(people: int, services: list, months: list,
          running: str | None = None) -> tuple[list, list]:
    """(services, months) of one theme whose people are shown (``running`` as above)."""
    values = {("total",): people}
    values.update({("service", r.key): r.people for r in services})
    values.update({("month", r.key): r.people for r in months})
    sums = [(("total",), [("service", r.key) for r in services]),
            (("total",), [("month", r.key) for r in months])]
    protected = disclosure.protect(values, sums, keep=[("total",)])
    if not protected.shows(("total",)):
        return [], []  # not broken down: only the theme's own total would protect it
    return (_resort(_withhold(services, "service", protected, lambda r: r.key),
                    lambda r: r.label),
            _withhold_months(months, protected, running))
