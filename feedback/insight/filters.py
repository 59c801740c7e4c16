"""The dashboard's filters as a plain, frozen value, and the periods it offers.

``Filters`` is what every query in ``insight.queries`` takes, so other
features (the contract review pack) can ask the same questions with a list of
service ids and a period of their own. Periods are half-open: ``start`` is
included, ``end`` is not. Dates are UK calendar dates: a period starts at
midnight in London (``feedback.clock.start_of_uk_day``), so a card sent at
23:30 UTC on 31 March (00:30 BST on 1 April) belongs to 1 April.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask_babel import gettext as _, ngettext

from .. import clock

from ..i18n import N_
from ..models.submissions import AGE_BANDS, CHILD_AGE_BANDS, COHORTS

# Labels are marked for translation (N_) and translated where they are shown.
SOURCES = {"card": N_("Action card"), "family_form": N_("Family feedback"),
           "forum": N_("Forum submission"), "forum_import": N_("Forum import"),
           "provider_import": N_("Collected by a provider")}
# "Who collected it": independent voice (cards, family and forum feedback) or the feedback
# providers collected themselves and imported (``FeedbackEntry.collected_by_id``).
COLLECTED_CHOICES = {"independent": N_("Independent"), "provider": N_("Collected by providers")}
SOURCES["young_inspectors"] = N_("Young Inspectors")  # "should change" items of inspections
PERIODS = {"quarter": N_("This quarter"), "last_quarter": N_("Last quarter"),
           "year": N_("This financial year"), "last_year": N_("Last financial year"),
           "12m": N_("Last 12 months"), "all": N_("All time")}
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
    collected: str | None = None  # "independent", "provider" or None for all
    period: str = "custom"
    # The UK day the period was chosen on ("today"): a period still running on
    # that day is compared like for like (see ``previous``). None: a whole period.
    as_of: date | None = None

    @property
    def start_at(self) -> datetime | None:
        """The instant the period starts: midnight in the UK on ``start``."""
        return clock.start_of_uk_day(self.start) if self.start else None

    @property
    def end_at(self) -> datetime | None:
        """The instant the period ends (excluded): midnight in the UK on ``end``."""
        return clock.start_of_uk_day(self.end) if self.end else None

    @property
    def days_so_far(self) -> int | None:
        """Days of a period still running on ``as_of`` (today included); None when whole."""
        if not (self.start and self.end and self.as_of):
            return None
        if not self.start <= self.as_of < self.end - timedelta(days=1):
            return None
        return (self.as_of - self.start).days + 1

    def previous(self) -> "Filters | None":
        """The same filters over the period just before, or None for all time.

        Calendar periods compare like with like: a quarter with the calendar
        quarter before, a financial year with the year before, the last 12
        months (from the first of the month 11 months ago to today) with the same
        dates a year before, and any period of whole months
        with the same number of months before. Other periods compare with the
        same number of days just before. A period still running (``days_so_far``)
        is compared with the same number of days at the start of the period
        before: 5 days into a quarter, the first 5 days of the quarter before.
        """
        if not (self.start and self.end):
            return None
        months = MONTHS_BACK.get(self.period) or _whole_months(self.start, self.end)
        if months:
            start = add_months(self.start, -months)
        else:
            start = self.start - (self.end - self.start)
        end = self.start
        if self.days_so_far is not None:
            end = min(self.start, start + timedelta(days=self.days_so_far))
        if self.period == "12m":  # up to today: the same dates a year before, like for like
            end = _year_before(self.end)
        return replace(self, start=start, end=end, period="previous", as_of=None)

    @property
    def includes_cards(self) -> bool:
        return (self.source in (None, "card") and self.rating is None
                and self.age_band not in CHILD_AGE_BANDS and self.collected != "provider")

    @property
    def includes_feedback(self) -> bool:
        return (self.source != "card" and self.age_band not in AGE_BANDS
                and self.cohort in (None, "send"))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


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


def comparison_note(filters: Filters) -> str | None:
    """What "change on previous period" compares, in one plain sentence (None for all time)."""
    dates = previous_label(filters)
    if dates is None:
        return None
    days = filters.days_so_far
    if days is None:
        return _("Changes are against %(dates)s.", dates=dates)
    so_far = f"{filters.start:%-d %B} to {filters.as_of:%-d %B %Y}"
    return ngettext("This period is still running, so its first %(num)s day (%(so_far)s) are "
                    "compared with the first %(num)s day of the period before (%(dates)s).",
                    "This period is still running, so its first %(num)s days (%(so_far)s) are "
                    "compared with the first %(num)s days of the period before (%(dates)s).",
                    days, so_far=so_far, dates=dates)


def period_label(filters: Filters) -> str:
    if filters.period in PERIODS:
        return _(PERIODS[filters.period])
    if filters.start and filters.end:
        return f"{filters.start:%-d %B %Y} to {filters.end - timedelta(days=1):%-d %B %Y}"
    return _("All time")


__all__ = ["AGE_BAND_CHOICES", "COHORTS", "COLLECTED_CHOICES", "Filters", "PERIODS", "SOURCES", "period_dates",
           "comparison_note", "period_label", "previous_label"]
