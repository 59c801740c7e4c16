"""The one clock: "now" in UTC and "today" in UK time (Europe/London).

Every module that needs the current time or date asks here, so period boundaries, "dated in
the future" checks and file names agree, and tests can see one place to reason about. Stored
timestamps are UTC; dates a person reads (periods, "today") are UK dates.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current instant, timezone-aware, in UTC (use as a column default)."""
    return datetime.now(timezone.utc)


def today() -> date:
    """Today's date in the UK (a card sent at 00:30 BST on 1 April belongs to 1 April)."""
    return now().astimezone(LONDON).date()


def uk_date_of(moment: datetime) -> date:
    """The UK calendar date of an aware instant."""
    return moment.astimezone(LONDON).date()


def start_of_uk_day(day: date) -> datetime:
    """The UTC instant at which a UK calendar day begins (midnight in London)."""
    return datetime.combine(day, time.min, LONDON).astimezone(timezone.utc)
