"""Which returns are due: each contract's periods, working days and due dates, and the
lists of returns (a provider's own, every live contract's for commissioners, the overdue
ones).

A contract asks for a return for each of its periods (quarters for a quarterly
contract, financial years for an annual one; ``contracts.periods``) that overlap the
contract. A return is due ``RETURN_DUE_WORKING_DAYS`` working days after its period
ends, 20 by default (0: the first working day after it ends), and overdue after that day
until it is submitted. A working day is
Monday to Friday and not a bank holiday of ``RETURN_BANK_HOLIDAYS`` (England and Wales by
default; Scotland or Northern Ireland; the ``holidays`` package knows them), so a due date
never falls on a weekend or a bank holiday. The lists show the last ``PERIODS_LISTED``
complete periods of each live contract.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Mapping

import holidays

from flask_babel import gettext as _
from sqlalchemy import select

from ..contracts.periods import Period, last_complete, period_containing
from ..errors import NotAllowed
from ..extensions import db
from ..models import Contract, PerformanceReturn
from ..permissions import Role, has_role

PERIODS_LISTED = {"quarter": 2, "year": 1}
DEFAULT_WORKING_DAYS = 20


@dataclass(frozen=True)
class DueReturn:
    contract: Contract
    period: Period
    due_date: date
    found: PerformanceReturn | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return self.found.status_label if self.found else _("Not started")

    @property
    def status(self) -> str:
        return self.found.status if self.found else "not_started"


# --- periods and due dates ---------------------------------------------------------------

def period_kind(contract: Contract) -> str:
    return "year" if contract.review_frequency == "annual" else "quarter"


# RETURN_BANK_HOLIDAYS (``config.BANK_HOLIDAY_REGIONS``) -> the ``holidays`` package's
# subdivision of the UK whose bank holidays are not working days.
BANK_HOLIDAYS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
DEFAULT_BANK_HOLIDAYS = "england-and-wales"


@lru_cache(maxsize=16)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=BANK_HOLIDAYS[region], years=year))


def is_working_day(day: date, region: str = DEFAULT_BANK_HOLIDAYS) -> bool:
    """Monday to Friday and not a bank holiday in ``region`` (a key of ``BANK_HOLIDAYS``)."""
    return day.weekday() < 5 and day not in _bank_holidays(region, day.year)


def add_working_days(day: date, days: int, region: str = DEFAULT_BANK_HOLIDAYS) -> date:
    """``day`` moved on by ``days`` working days; with 0 days, the first working day from
    ``day`` (``day`` itself when it is one)."""
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, region):
            days -= 1
    while not is_working_day(day, region):
        day += timedelta(days=1)
    return day


def due_date(period: Period, working_days: int, region: str = DEFAULT_BANK_HOLIDAYS) -> date:
    """The ``working_days``-th working day after the period ends; with 0, the first working
    day after it ends (the period's own last day is never the due date)."""
    if working_days == 0:
        return add_working_days(period.end + timedelta(days=1), 0, region)
    return add_working_days(period.end, working_days, region)


def working_days_of(config: Mapping) -> int:
    """``RETURN_DUE_WORKING_DAYS`` (checked when the app starts, ``feedback.config``); 0 is a
    setting, only a missing one means the default."""
    days = config.get("RETURN_DUE_WORKING_DAYS")
    return DEFAULT_WORKING_DAYS if days is None else int(days)


def bank_holidays_of(config: Mapping) -> str:
    """Whose bank holidays are not working days (``RETURN_BANK_HOLIDAYS``); the setting is
    checked when the app starts (``feedback.config``)."""
    return config.get("RETURN_BANK_HOLIDAYS") or DEFAULT_BANK_HOLIDAYS


def recent_periods(contract: Contract, today: date) -> list[Period]:
    """The contract's last complete periods (newest first) that overlap it."""
    kind = period_kind(contract)
    found, period = [], last_complete(kind, today)
    while len(found) < PERIODS_LISTED[kind] and period.end >= contract.start_date:
        if period.start <= contract.end_date:
            found.append(period)
        period = period.previous()
    return found


def period_for(contract: Contract, start_text: str, today: date) -> Period:
    """The contract's period starting on ``start_text`` (ISO date): one of its own kind,
    overlapping the contract and begun by ``today``; ``LookupError`` otherwise."""
    try:
        start = date.fromisoformat(start_text)
    except (TypeError, ValueError):
        raise LookupError(start_text) from None
    period = period_containing(period_kind(contract), start)
    if period.start != start or start > today or period.end < contract.start_date \
            or period.start > contract.end_date:
        raise LookupError(start_text)
    return period


def _rows(contracts, today: date, working_days: int, region: str) -> list[DueReturn]:
    ids = [c.id for c in contracts] or [-1]
    existing = {(r.contract_id, r.period_kind, r.period_start): r
                for r in db.session.execute(select(PerformanceReturn).where(
                    PerformanceReturn.contract_id.in_(ids))).scalars()}
    rows = []
    for contract in contracts:
        for period in recent_periods(contract, today):
            found = existing.get((contract.id, period.kind, period.start))
            due = due_date(period, working_days, region)
            submitted = found is not None and not found.editable
            rows.append(DueReturn(contract, period, due, found, not submitted and due < today))
    rows.sort(key=lambda r: (not r.overdue, r.due_date, r.contract.reference))
    return rows


def _live_contracts(today: date, provider_id: int | None = None):
    statement = select(Contract).where(Contract.end_date >= today - timedelta(days=366))
    if provider_id is not None:
        statement = statement.where(Contract.provider_id == provider_id)
    return list(db.session.execute(statement.order_by(Contract.reference)).scalars())


def for_provider(actor, today: date, working_days: int,
                 region: str = DEFAULT_BANK_HOLIDAYS) -> list[DueReturn]:
    """Returns of the acting provider's own contracts, overdue first (none when the
    account belongs to no organisation)."""
    if not has_role(actor, Role.PROVIDER):
        raise NotAllowed()
    if actor.organisation_id is None:
        return []
    return _rows(_live_contracts(today, actor.organisation_id), today, working_days, region)


def for_commissioner(today: date, working_days: int,
                     region: str = DEFAULT_BANK_HOLIDAYS) -> list[DueReturn]:
    return _rows(_live_contracts(today), today, working_days, region)


def overdue(rows: list[DueReturn]) -> list[DueReturn]:
    return [r for r in rows if r.overdue]
