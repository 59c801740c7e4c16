"""The dashboard's filters as a plain, frozen value, and the periods it offers.

``Filters`` is what every query in ``insight.queries`` takes, so other
features (the contract review pack) can ask the same questions with a list of
service ids and a period of their own. Periods are half-open: ``start`` is
included, ``end`` is not.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from ..models.submissions import AGE_BANDS, CHILD_AGE_BANDS, COHORTS

SOURCES = {"card": "Action card", "family_form": "Family feedback",
           "forum": "Forum submission", "forum_import": "Forum import"}
PERIODS = {"quarter": "This quarter", "last_quarter": "Last quarter",
           "year": "This financial year", "last_year": "Last financial year",
           "12m": "Last 12 months", "all": "All time"}
# How far back "the previous period" starts, in months, for the named periods.
MONTHS_BACK = {"quarter": 3, "last_quarter": 3, "year": 12, "last_year": 12, "12m": 12}
AGE_BAND_CHOICES = {**{k: f"{v} (action cards)" for k, v in AGE_BANDS.items()},
                    **{k: f"Child {v} (family feedback)" for k, v in CHILD_AGE_BANDS.items()}}


@dataclass(frozen=True)
class Filters:
    """What to count. Empty values mean "everything"."""

    start: date | None = None
    end: date | None = None
    service_ids: tuple[int, ...] = ()
    provider_id: int | None = None
    contract_id: int | None = None
    thematic_area: str | None = None
    area_id: int | None = None
    source: str | None = None
    cohort: str | None = None
    age_band: str | None = None
    rating: int | None = None
    period: str = "custom"

    @property
    def start_at(self) -> datetime | None:
        return datetime.combine(self.start, time.min, timezone.utc) if self.start else None

    @property
    def end_at(self) -> datetime | None:
        return datetime.combine(self.end, time.min, timezone.utc) if self.end else None

    def previous(self) -> "Filters | None":
        """The same filters over the period just before, or None for all time.

        Calendar periods compare like with like: a quarter with the calendar
        quarter before, a financial year with the year before, the last 12
        months with the 12 months before them, and any period of whole months
        with the same number of months before. Other periods compare with the
        same number of days just before.
        """
        if not (self.start and self.end):
            return None
        months = MONTHS_BACK.get(self.period) or _whole_months(self.start, self.end)
        if months:
            return replace(self, start=add_months(self.start, -months), end=self.start,
                           period="previous")
        length = self.end - self.start
        return replace(self, start=self.start - length, end=self.start, period="previous")

    @property
    def includes_cards(self) -> bool:
        return (self.source in (None, "card") and self.rating is None
                and self.age_band not in CHILD_AGE_BANDS)

    @property
    def includes_feedback(self) -> bool:
        return (self.source != "card" and self.age_band not in AGE_BANDS
                and self.cohort in (None, "send"))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _whole_months(start: date, end: date) -> int | None:
    """Months from ``start`` to ``end`` when both are the first of a month."""
    if start.day != 1 or end.day != 1 or end <= start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month


def period_dates(period: str, today: date) -> tuple[date | None, date | None]:
    """(start, end) for a named period relative to ``today``. Quarters are
    calendar quarters; years are financial years (1 April), as in contract reviews."""
    if period in ("year", "last_year"):
        from ..contracts.periods import year_containing
        year = year_containing(today)
        if period == "last_year":
            year = year.previous()
        return year.start, year.end + timedelta(days=1)
    if period == "quarter":
        start = quarter_start(today)
        return start, add_months(start, 3)
    if period == "last_quarter":
        end = quarter_start(today)
        return add_months(end, -3), end
    if period == "12m":
        end = today + timedelta(days=1)
        return add_months(date(today.year, today.month, 1), -11), end
    return None, None


def previous_label(filters: Filters) -> str | None:
    """The dates the dashboard compares with, in words, or None for all time."""
    previous = filters.previous()
    if previous is None:
        return None
    return f"{previous.start:%-d %B %Y} to {previous.end - timedelta(days=1):%-d %B %Y}"


def period_label(filters: Filters) -> str:
    if filters.period in PERIODS:
        return PERIODS[filters.period]
    if filters.start and filters.end:
        return f"{filters.start:%-d %B %Y} to {filters.end - timedelta(days=1):%-d %B %Y}"
    return "All time"


__all__ = ["AGE_BAND_CHOICES", "COHORTS", "Filters", "PERIODS", "SOURCES", "period_dates",
           "period_label", "previous_label"]
