"""The one disclosure rule (``feedback.disclosure.protect``) on random tables:
one-way tables with their total, several breakdowns of one total, two-way
tables with all or some margins. A reader with the shown cells and totals
(``tests.disclosure_reader``: matrix rank and linear programming, independent
of the rule's own check) can never work out a hidden cell."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback import disclosure
from tests.disclosure_reader import Table, leaks

# Counts as they come: many small ones, some zeros, some large.
COUNT = st.one_of(st.integers(0, 12), st.integers(0, 40), st.integers(0, 300))


def _check(values, sums, **options) -> disclosure.Protected:
    protected = disclosure.protect(values, sums, **options)
    table = Table("random")
    for key, value in values.items():
        table.cell(key, value, None if key in protected.unseen else protected.text(key, value))
    table.sums = [(t, list(p)) for t, p in sums]
    assert leaks(table) == []
    assert all(k in protected.hidden for k, v in values.items() if 0 < v < disclosure.THRESHOLD)
    return protected


@st.composite
def breakdowns(draw):
    """One total broken down one to three ways (the dashboard: sources and months)."""
    values, sums = {}, []
    parts = [draw(st.lists(COUNT, min_size=1, max_size=8)) for _ in range(draw(st.integers(1, 3)))]
    total = sum(parts[0])
    values["total"] = total
    for n, cells in enumerate(parts):
        if n:  # the other breakdowns share the same total: rescale the last cell
            cells = cells[:-1] + [max(0, total - sum(cells[:-1]))]
            if sum(cells) != total:
                continue
        keys = [(n, i) for i in range(len(cells))]
        values.update(zip(keys, cells))
        sums.append(("total", keys))
    return values, sums


@st.composite
def two_way(draw):
    """Rows by columns with column totals and a grand total; row totals shown or
    not (the review pack's volume: services by cards and feedback)."""
    n_rows, n_cols = draw(st.integers(1, 6)), draw(st.integers(2, 3))
    grid = [[draw(COUNT) for _ in range(n_cols)] for _ in range(n_rows)]
    values = {("cell", r, c): grid[r][c] for r in range(n_rows) for c in range(n_cols)}
    values.update({("col", c): sum(grid[r][c] for r in range(n_rows)) for c in range(n_cols)})
    values["total"] = sum(values[("col", c)] for c in range(n_cols))
    sums = [("total", [("col", c) for c in range(n_cols)])]
    sums += [(("col", c), [("cell", r, c) for r in range(n_rows)]) for c in range(n_cols)]
    if draw(st.booleans()):
        values.update({("row", r): sum(grid[r]) for r in range(n_rows)})
        sums += [(("row", r), [("cell", r, c) for c in range(n_cols)]) for r in range(n_rows)]
        sums.append(("total", [("row", r) for r in range(n_rows)]))
    return values, sums


@settings(max_examples=60, deadline=None)
@given(breakdowns())
def test_no_hidden_cell_of_a_breakdown_can_be_worked_out(table):
    values, sums = table
    protected = _check(values, sums, keep=["total"])
    if not disclosure.is_small(values["total"]):
        assert protected.shows("total") or len(values) > 1


@settings(max_examples=40, deadline=None)
@given(two_way())
def test_no_hidden_cell_of_a_two_way_table_can_be_worked_out(table):
    values, sums = table
    _check(values, sums, keep=["total"])


@settings(max_examples=40, deadline=None)
@given(st.lists(COUNT, min_size=1, max_size=10), st.data())
def test_unseen_and_preferred_cells_keep_the_rows(counts, data):
    """The dashboard's themes: themed total preferred, themes hidden from view unseen."""
    values = {("theme", i): n for i, n in enumerate(counts)}
    values["themed"] = sum(counts)
    unseen = data.draw(st.sets(st.sampled_from(list(range(len(counts))))))
    sums = [("themed", [("theme", i) for i in range(len(counts))])]
    protected = _check(values, sums, prefer=["themed"], unseen=[("theme", i) for i in unseen])
    assert not any(k[0] == "theme" for k in protected.withheld)  # only the total is given up


def test_the_outside_example_the_family_cell_is_no_longer_three():
    """57 people: 44 forum, 10 cards and "fewer than 10" family feedback (3)."""
    values = {"total": 57, "forum": 44, "card": 10, "family": 3}
    protected = _check(values, [("total", ["forum", "card", "family"])], keep=["total"])
    assert protected.small == {"family"} and protected.withheld == {"card"}
    assert protected.text("total", 57) == "57"
    assert protected.text("card", 10) == "not shown"


def test_bounds_that_would_pin_a_cell_hide_one_more():
    """11 = "not shown" (10 or more) + "fewer than 10": the small one must be 1."""
    values = {"total": 21, "a": 10, "b": 10, "c": 1}
    protected = _check(values, [("total", ["a", "b", "c"])], keep=["total"])
    assert protected.hidden >= {"a", "b", "c"}


def test_a_sum_that_does_not_add_up_is_refused():
    import pytest
    with pytest.raises(ValueError):
        disclosure.protect({"total": 5, "a": 3}, [("total", ["a"])])
