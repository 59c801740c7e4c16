"""Review periods and the date arithmetic contracts need.

Quarters are calendar quarters (January, April, July, October), which are
also the financial quarters; years are financial years (1 April to 31 March),
as councils and integrated care boards report. Every function takes the day
it works from: nothing here reads the clock. Days are UK calendar days: a
period's instants (``Period.bounds``) are midnight in London, from
``feedback.clock``.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from .. import clock

FREQUENCY_MONTHS = {"quarterly": 3, "annual": 12}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    kind: str  # "quarter" | "year"
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Financial year %(start)s to %(end)s", start=self.start.year,
                     end=self.end.year)
        return _("%(start)s to %(end)s", start=self.start.strftime("%B"),
                 end=self.end.strftime("%B %Y"))

    @property
    def key(self) -> str:
        """A stable text form, used in forms and URLs: ``quarter:2026-01-01``."""
        return f"{self.kind}:{self.start.isoformat()}"

    def previous(self) -> "Period":
        return period_containing(self.kind, self.start - timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC instants, half-open: midnight in the UK on its first
        day, and on the day after its last (a card sent 23:30 UTC on 31 March,
        00:30 BST on 1 April, is in the quarter that starts on 1 April)."""
        return (clock.start_of_uk_day(self.start),
                clock.start_of_uk_day(self.end + timedelta(days=1)))


def quarter_containing(day: date) -> Period:
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period("quarter", start, add_months(start, 3) - timedelta(days=1))


def year_containing(day: date) -> Period:
    start_year = day.year if day.month >= 4 else day.year - 1
    start = date(start_year, 4, 1)
    return Period("year", start, date(start_year + 1, 3, 31))


def period_containing(kind: str, day: date) -> Period:
    if kind == "year":
        return year_containing(day)
    if kind == "quarter":
        return quarter_containing(day)
    raise ValueError(f"unknown period kind {kind!r}")


def last_complete(kind: str, today: date) -> Period:
    """The latest period of ``kind`` that ended before ``today``."""
    return period_containing(kind, today).previous()


def parse_key(key: str) -> Period | None:
    """``Period`` for a ``Period.key``, or None when the text is not one."""
    try:
        kind, start_text = (key or "").split(":", 1)
        start = date.fromisoformat(start_text)
        period = period_containing(kind, start)
    except ValueError:
        return None
    return period if period.start == start else None


def recent_choices(today: date, quarters: int = 4) -> list[Period]:
    """Periods a review may be started for: the last complete quarters, newest
    first, then the last complete financial year."""
    choices = [last_complete("quarter", today)]
    while len(choices) < quarters:
        choices.append(choices[-1].previous())
    choices.append(last_complete("year", today))
    return choices


def next_review_after(current: date | None, held_on: date, frequency: str) -> date:
    """The next review date once a review is held on ``held_on``: the current
    date moved on by the frequency until it is after the meeting."""
    months = FREQUENCY_MONTHS.get(frequency, 3)
    following = add_months(current or held_on, months)
    while following <= held_on:
        following = add_months(following, months)
    return following


def period_of(review) -> Period:
    """The period a contract review covers."""
    return Period(review.period_kind, review.period_start, review.period_end)
