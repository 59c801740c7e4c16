"""Returns: which are due, reading and saving one, and moving it through its states.

A contract asks for a return for each of its periods (quarters for a quarterly
contract, financial years for an annual one; ``contracts.periods``) that overlap the
contract. A return is due ``RETURN_DUE_WORKING_DAYS`` working days after its period
ends, 20 by default, and overdue after that day until it is submitted. A working day is
Monday to Friday and not a bank holiday of ``RETURN_BANK_HOLIDAYS`` (England and Wales by
default; Scotland or Northern Ireland; the ``holidays`` package knows them), so a due date
never falls on a weekend or a bank holiday. The lists show the last ``PERIODS_LISTED``
complete periods of each live contract.

Each public function is one use case and owns its commit; every change is audited.
State changes are made with a conditional UPDATE (``WHERE status IN ...``), so two
tabs submitting at once submit once: the second is told it was already submitted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Mapping

import holidays

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..contracts.periods import Period, last_complete, period_containing
from ..errors import FieldError, NotAllowed
from ..extensions import db
from ..messages import Message, send
from ..models import Contract, PerformanceReturn, ReturnFile, ReturnValue
from ..models.base import utcnow
from ..models.returns import EDITABLE, MAX_ACCOUNT, MAX_NARRATIVE
from ..permissions import Role, can_view_contract, has_role
from . import files
from .values import BadValue, TooLong, clean_text, off_target, parse_count, parse_value

PERIODS_LISTED = {"quarter": 2, "year": 1}
DEFAULT_WORKING_DAYS = 20


class ReturnError(FieldError):
    """A return that cannot be saved or moved on as asked. ``problems`` lists every
    (field, message) found, so the form shows them all at once."""

    def __init__(self, message: str, field: str | None = None,
                 problems: list[tuple[str | None, str]] | None = None):
        super().__init__(message, field)
        self.problems = problems or [(field, message)]


@dataclass
class ReturnInput:
    """What the provider gave, as text: ``values`` maps a KPI id to (value, narrative)."""

    values: dict[int, tuple[object, object]] = field(default_factory=dict)
    heard: object = None
    changed: object = None
    safeguarding_referrals: object = None
    complaints: object = None


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
    return add_working_days(period.end, working_days, region)


def working_days_of(config: Mapping) -> int:
    return int(config.get("RETURN_DUE_WORKING_DAYS") or DEFAULT_WORKING_DAYS)


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


def contract_for(actor, contract_id: int) -> Contract:
    """The contract, when ``actor`` may see it (providers: their own); else ``LookupError``."""
    contract = db.session.get(Contract, contract_id)
    if contract is None or not can_view_contract(actor, contract):
        raise LookupError(contract_id)
    return contract


def find(contract_id: int, period: Period) -> PerformanceReturn | None:
    return db.session.execute(select(PerformanceReturn).filter_by(
        contract_id=contract_id, period_kind=period.kind, period_start=period.start)
    ).scalar_one_or_none()


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


# --- checking what was given ---------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    values: dict[int, tuple[Decimal | None, str | None]]
    heard: str | None
    changed: str | None
    safeguarding_referrals: int | None
    complaints: int | None


def check(contract: Contract, data: ReturnInput, submitting: bool) -> Checked:
    """``data`` read by the rules of ``values``; raises ``ReturnError`` with every problem.
    A draft may leave things empty; a submission needs every KPI's value, a narrative for
    each KPI off target, what was heard and changed, and both counts."""
    problems: list[tuple[str | None, str]] = []
    values = {}
    for kpi in contract.kpis:
        raw_value, raw_narrative = data.values.get(kpi.id, (None, None))
        value = narrative = None
        try:
            value = parse_value(raw_value, kpi.unit)
        except BadValue as error:
            problems.append((f"value_{kpi.id}", f"{kpi.name}: {error}"))
        try:
            narrative = clean_text(raw_narrative, MAX_NARRATIVE)
        except TooLong as error:
            problems.append((f"narrative_{kpi.id}", _(
                "The narrative for %(kpi)s must be %(count)s characters or fewer",
                kpi=kpi.name, count=f"{error.limit:,}")))
        except BadValue:
            problems.append((f"narrative_{kpi.id}", _(
                "The narrative for %(kpi)s holds a character that cannot be shown (a control "
                "character). Type it again rather than pasting it", kpi=kpi.name)))
        if submitting and value is None and not any(f == f"value_{kpi.id}" for f, _m in problems):
            problems.append((f"value_{kpi.id}", _("Enter the value for %(kpi)s", kpi=kpi.name)))
        if submitting and off_target(kpi, value) and narrative is None:
            problems.append((f"narrative_{kpi.id}", _(
                "Explain why %(kpi)s is off target, and what you are doing about it",
                kpi=kpi.name)))
        values[kpi.id] = (value, narrative)
    texts = {}
    for name in ("heard", "changed"):
        try:
            texts[name] = clean_text(getattr(data, name), MAX_ACCOUNT)
        except BadValue as error:
            texts[name] = None
            problems.append((name, _account_problem(name, error)))
        else:
            if submitting and texts[name] is None:
                problems.append((name, _("Enter what you heard from children and families "
                                         "this period") if name == "heard"
                                 else _("Enter what you changed this period")))
    counts = {}
    for name in ("safeguarding_referrals", "complaints"):
        try:
            counts[name] = parse_count(getattr(data, name))
        except BadValue as error:
            counts[name] = None
            problems.append((name, _("Number of safeguarding referrals: %(problem)s",
                                     problem=error) if name == "safeguarding_referrals"
                             else _("Number of complaints: %(problem)s", problem=error)))
        else:
            if submitting and counts[name] is None:
                problems.append((name, _(
                    "Enter the number of safeguarding referrals (0 if there were none)")
                    if name == "safeguarding_referrals"
                    else _("Enter the number of complaints (0 if there were none)")))
    if problems:
        raise ReturnError(problems[0][1], problems[0][0], problems)
    return Checked(values, texts["heard"], texts["changed"], counts["safeguarding_referrals"],
                   counts["complaints"])


# --- saving and moving on ------------------------------------------------------------------

def _provider_of(actor, contract: Contract) -> None:
    if not has_role(actor, Role.PROVIDER) or actor.organisation_id != contract.provider_id:
        raise NotAllowed()


def _get_or_start(contract: Contract, period: Period, actor) -> PerformanceReturn:
    found = find(contract.id, period)
    if found is not None:
        return found
    found = PerformanceReturn(contract_id=contract.id, period_kind=period.kind,
                              period_start=period.start, period_end=period.end, status="draft")
    db.session.add(found)
    try:
        db.session.flush()
    except IntegrityError:  # started at the same moment in another tab
        db.session.rollback()
        found = find(contract.id, period)
        if found is None:
            raise
        return found
    audit.record("return.started", actor, found, contract=contract.reference, period=period.key)
    return found


def _account_problem(name: str, error: BadValue) -> str:
    """What is wrong with what was heard (``heard``) or changed (``changed``), in a sentence
    naming it."""
    if isinstance(error, TooLong):
        count = f"{error.limit:,}"
        return (_("What you heard from children and families must be %(count)s characters "
                  "or fewer", count=count) if name == "heard"
                else _("What you changed must be %(count)s characters or fewer", count=count))
    return (_("What you heard from children and families holds a character that cannot be "
              "shown (a control character). Type it again rather than pasting it")
            if name == "heard"
            else _("What you changed holds a character that cannot be shown (a control "
                   "character). Type it again rather than pasting it"))


def _locked() -> ReturnError:
    return ReturnError(_("This return has been submitted, so it cannot be changed. Ask the "
                         "contract manager to return it for correction if something is "
                         "wrong"), None)


def _apply(found: PerformanceReturn, contract: Contract, checked: Checked) -> None:
    existing = {v.kpi_id: v for v in found.values}
    for kpi in contract.kpis:
        value, narrative = checked.values.get(kpi.id, (None, None))
        row = existing.get(kpi.id)
        if row is None:
            row = ReturnValue(kpi_id=kpi.id)
            found.values.append(row)
        row.value, row.narrative = value, narrative
    found.heard, found.changed = checked.heard, checked.changed
    found.safeguarding_referrals = checked.safeguarding_referrals
    found.complaints = checked.complaints


def save(contract: Contract, period: Period, data: ReturnInput, actor, *,
         source: str = "form") -> PerformanceReturn:
    """Save the return as a draft (or keep it returned-for-correction), whatever is missing;
    a value that is not acceptable is refused, and nothing is saved."""
    _provider_of(actor, contract)
    checked = check(contract, data, submitting=False)
    found = _get_or_start(contract, period, actor)
    if not found.editable:
        raise _locked()
    _apply(found, contract, checked)
    db.session.flush()
    audit.record("return.saved", actor, found, contract=contract.reference, period=period.key,
                 source=source)
    db.session.commit()
    return found


def submit(contract: Contract, period: Period, data: ReturnInput, actor, *, config: Mapping,
           link: str) -> PerformanceReturn:
    """Save and submit: checked in full, locked, and the contract manager told by email
    (the contract, the period and a link; none of the return's words)."""
    _provider_of(actor, contract)
    checked = check(contract, data, submitting=True)
    found = _get_or_start(contract, period, actor)
    if not found.editable:
        raise _locked()
    _apply(found, contract, checked)
    db.session.flush()
    moved = db.session.execute(
        update(PerformanceReturn)
        .where(PerformanceReturn.id == found.id, PerformanceReturn.status.in_(EDITABLE))
        .values(status="submitted", submitted_at=utcnow(), submitted_by_id=actor.id)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        raise _locked()
    audit.record("return.submitted", actor, found, contract=contract.reference,
                 period=period.key)
    db.session.commit()
    db.session.refresh(found)
    notify_submitted(found, config, link)
    return found


def notify_submitted(found: PerformanceReturn, config: Mapping, link: str) -> str:
    contract = found.contract
    manager = contract.contract_manager
    period = Period(found.period_kind, found.period_start, found.period_end)
    provider = contract.provider.name if contract.provider else _("The provider")
    body = _("%(provider)s has submitted its Performance Monitoring Form return for "
             "%(reference)s %(title)s, %(period)s.\n\n"
             "Read it, and accept it or return it for correction, here:\n%(link)s\n",
             provider=provider, reference=contract.reference, title=contract.title,
             period=period.label, link=link)
    message = Message(to=(manager.email,) if manager and manager.email else (),
                      subject=_("Return submitted: %(reference)s, %(period)s",
                                reference=contract.reference, period=period.label),
                      body=body, kind="return_submitted")
    return send(message, config)


def _decide(found: PerformanceReturn, actor, status: str, action: str, **values) -> None:
    moved = db.session.execute(
        update(PerformanceReturn)
        .where(PerformanceReturn.id == found.id, PerformanceReturn.status == "submitted")
        .values(status=status, decided_at=utcnow(), decided_by_id=actor.id, **values)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        raise ReturnError(_("This return is no longer waiting for a decision: someone has "
                            "already accepted it or returned it"), None)
    audit.record(action, actor, found, contract=found.contract.reference,
                 period=found.period_start.isoformat(), **{k: v for k, v in values.items()
                                                           if k == "correction_reason"})
    db.session.commit()
    db.session.refresh(found)


def return_for_correction(found: PerformanceReturn, reason, actor) -> PerformanceReturn:
    if not has_role(actor, Role.COMMISSIONER):
        raise NotAllowed()
    try:
        reason = clean_text(reason, MAX_NARRATIVE)
    except TooLong as error:
        raise ReturnError(_("The reason must be %(count)s characters or fewer",
                            count=f"{error.limit:,}"), "reason") from None
    except BadValue:
        raise ReturnError(_("The reason holds a character that cannot be shown (a control "
                            "character). Type it again rather than pasting it"),
                          "reason") from None
    if reason is None:
        raise ReturnError(_("Enter what the provider needs to correct"), "reason")
    _decide(found, actor, "returned", "return.returned_for_correction", correction_reason=reason)
    return found


def accept(found: PerformanceReturn, actor) -> PerformanceReturn:
    if not has_role(actor, Role.COMMISSIONER):
        raise NotAllowed()
    _decide(found, actor, "accepted", "return.accepted")
    return found


# --- supporting files ----------------------------------------------------------------------

def add_file(contract: Contract, period: Period, data: bytes, filename: str, actor, *,
             config: Mapping, instance_path: str) -> ReturnFile:
    _provider_of(actor, contract)
    found = _get_or_start(contract, period, actor)
    if not found.editable:
        raise _locked()
    if len(found.files) >= files.MAX_FILES:
        raise ReturnError(_("A return can have up to %(count)s supporting files. Remove one "
                            "first", count=files.MAX_FILES), "file")
    try:
        stored = files.store(data, filename, config, instance_path)
    except files.FileRefused as error:
        db.session.rollback()
        raise ReturnError(str(error), "file") from None
    name = "".join(ch for ch in (filename or "file").replace("\\", "/").rsplit("/", 1)[-1]
                   if ch.isprintable())[:255] or "file"
    row = ReturnFile(filename=name, stored_name=stored.stored_name, kind=stored.kind,
                     size=stored.size, sha256=stored.sha256, uploaded_by_id=actor.id)
    found.files.append(row)
    db.session.flush()
    audit.record("return.file_added", actor, row, return_id=found.id, kind=stored.kind,
                 size=stored.size, sha256=stored.sha256)
    db.session.commit()
    return row


def remove_file(found: PerformanceReturn, file_id: int, actor, *, config: Mapping,
                instance_path: str) -> None:
    _provider_of(actor, found.contract)
    row = next((f for f in found.files if f.id == file_id), None)
    if row is None:
        raise LookupError(file_id)
    if not found.editable:
        raise _locked()
    audit.record("return.file_removed", actor, row, return_id=found.id, filename=row.filename)
    stored = row.stored_name
    found.files.remove(row)
    db.session.commit()
    files.remove(stored, config, instance_path)


def file_for(found: PerformanceReturn, file_id: int, actor, *, config: Mapping,
             instance_path: str) -> tuple[ReturnFile, bytes]:
    row = next((f for f in found.files if f.id == file_id), None)
    data = files.read(row.stored_name, config, instance_path) if row else None
    if row is None or data is None:
        raise LookupError(file_id)
    audit.record_now("return.file_downloaded", actor, row, return_id=found.id)
    return row, data
