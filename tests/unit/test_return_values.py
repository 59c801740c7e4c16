"""The rules for what a provider types in a return (``feedback.returns.values``), without a
database: values by unit, counts, free text, off target by the KPI's direction, and the
working-day due date."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from feedback.contracts.periods import Period
from feedback.returns.due import add_working_days, due_date
from feedback.returns.values import (BadValue, clean_text, off_target, parse_count,
                                     parse_value, unit_words)


@pytest.mark.parametrize("raw, unit, expected", [
    ("80", "%", Decimal("80.00")), ("80%", "%", Decimal("80.00")), (" 99.5 ", "%", Decimal("99.50")),
    ("0", "%", Decimal("0.00")), ("100", "%", Decimal("100.00")), (72.25, "%", Decimal("72.25")),
    ("1,200", "count", Decimal("1200")), ("3", "", Decimal("3")), (4, "number", Decimal("4")),
    ("6.25", "weeks", Decimal("6.25")), ("0", "days", Decimal("0.00")),
    ("", "%", None), (None, "weeks", None), ("   ", "count", None),
])
def test_values_read_by_unit(raw, unit, expected):
    assert parse_value(raw, unit) == expected


@pytest.mark.parametrize("raw, unit, message", [
    ("abc", "%", "'abc' is not a number"), ("100.01", "%", "between 0 and 100"),
    ("-1", "weeks", "0 or more"), ("2.5", "count", "'2.5' is not a whole number"),
    ("1.005", "weeks", "at most 2 decimal places"), ("NaN", "%", "is not a number"),
    ("Infinity", "weeks", "is not a number"), ("1e400", "weeks", "too large"),
    ("2000000", "count", "1,000,000 or less"), ("5\u202e", "%", "control character"),
    (True, "count", "is not a number"), ("12 weeks", "weeks", "is not a number"),
])
def test_bad_values_say_why(raw, unit, message):
    with pytest.raises(BadValue, match=message):
        parse_value(raw, unit)


def test_long_bad_text_is_shortened_in_the_message():
    with pytest.raises(BadValue) as caught:
        parse_value("x" * 500, "%")
    assert len(str(caught.value)) < 60


def test_counts_are_whole_and_not_negative():
    assert parse_count("0") == 0 and parse_count(" 12 ") == 12 and parse_count("") is None
    for bad in ("1.5", "-2", "two"):
        with pytest.raises(BadValue):
            parse_count(bad)


def test_free_text_is_trimmed_bounded_and_clean():
    assert clean_text("  We listened.\r\nThen acted. ", 100) == "We listened.\nThen acted."
    assert clean_text("   ", 100) is None and clean_text(None, 100) is None
    with pytest.raises(BadValue, match="100 characters or fewer"):
        clean_text("x" * 101, 100)
    with pytest.raises(BadValue, match="control character"):
        clean_text("bell\x07", 100)


def test_off_target_follows_the_rag_rule_in_both_directions():
    higher = SimpleNamespace(target=Decimal("90"), direction="higher",
                             amber_tolerance=Decimal("0.1"))
    lower = SimpleNamespace(target=Decimal("6"), direction="lower",
                            amber_tolerance=Decimal("0.1"))
    assert not off_target(higher, Decimal("90")) and off_target(higher, Decimal("89.99"))
    assert not off_target(lower, Decimal("6")) and off_target(lower, Decimal("6.1"))
    assert not off_target(higher, None)


def test_unit_words():
    assert unit_words("%") == "per cent, from 0 to 100"
    assert unit_words("count") == "a whole number" and unit_words("weeks") == "weeks"


def test_due_date_counts_working_days_after_the_period():
    quarter = Period("quarter", date(2026, 1, 1), date(2026, 3, 31))  # a Tuesday
    assert add_working_days(date(2026, 3, 31), 1) == date(2026, 4, 1)
    assert add_working_days(date(2026, 4, 10), 1) == date(2026, 4, 13)  # Friday -> Monday
    # Good Friday and Easter Monday (England and Wales) are not working days.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert due_date(quarter, 20) == date(2026, 4, 30)
    assert due_date(quarter, 20, "scotland") == date(2026, 4, 29)  # Good Friday only
    # 0: the first working day after the period ends (never the period's own last day).
    assert due_date(quarter, 0) == date(2026, 4, 1)
    assert due_date(Period("quarter", date(2026, 1, 1), date(2026, 4, 2)), 0) == date(2026, 4, 7)
