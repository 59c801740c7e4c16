"""Returns: finding one, saving it, moving it through its states (submitted, returned for
correction, accepted) and its supporting files. Which returns are due is in ``due``,
checking what was given in ``checks``.

Each public function is one use case and owns its commit; every change is audited.
State changes are made with a conditional UPDATE (``WHERE status IN ...``), so two
tabs submitting at once submit once: the second is told it was already submitted.
"""
from __future__ import annotations

from typing import Mapping

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..contracts.periods import Period
from ..errors import NotAllowed
from ..extensions import db
from ..messages import Message, send
from ..models import Contract, PerformanceReturn, ReturnFile, ReturnValue
from ..models.base import utcnow
from ..models.returns import EDITABLE, MAX_NARRATIVE
from ..permissions import Role, can_view_contract, has_role
from . import files
from .checks import Checked, ReturnError, ReturnInput, check
from .values import BadValue, TooLong, clean_text


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
