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
           "12m": "Last 12 months", "all": "All time"}
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
        """The same filters over the period of equal length just before, or None."""
        if not (self.start and self.end):
            return None
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


def period_dates(period: str, today: date) -> tuple[date | None, date | None]:
    """(start, end) for a named period relative to ``today``."""
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


def period_label(filters: Filters) -> str:
    if filters.period in PERIODS:
        return PERIODS[filters.period]
    if filters.start and filters.end:
        return f"{filters.start:%-d %B %Y} to {filters.end - timedelta(days=1):%-d %B %Y}"
    return "All time"


__all__ = ["AGE_BAND_CHOICES", "COHORTS", "Filters", "PERIODS", "SOURCES", "period_dates",
           "period_label"]
