"""The contract register: listing, filters, due/ending views, create and edit.

Every function that needs "today" takes it as an argument (the route passes
the real date, tests pass a fixed one). ``save_contract`` owns its commit.
Providers see only their own organisation's contracts (``scope_org_id``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from .. import audit
from ..errors import FieldError
from ..extensions import db
from ..i18n import N_
from ..models import Contract, Kpi, KpiReturn, Organisation, Service, User, UserRole
from ..models.services import THEMATIC_AREAS
from .periods import add_months

VIEWS = {
    "all": N_("All contracts"),
    "due30": N_("Reviews due in the next 30 days"),
    "due90": N_("Reviews due in the next 90 days"),
    "ending": N_("Ending within 12 months"),
}


class ContractError(FieldError):
    """A contract that cannot be saved; ``field`` names the form field at fault."""


@dataclass(frozen=True)
class RegisterQuery:
    text: str = ""
    provider_id: int | None = None
    thematic_area: str | None = None
    view: str = "all"


@dataclass(frozen=True)
class ContractInput:
    reference: str
    title: str
    provider_id: int
    service_ids: tuple[int, ...]
    annual_value: Decimal
    start_date: date
    end_date: date
    extension_options: str | None
    review_frequency: str
    next_review_date: date | None
    contract_manager_id: int | None
    notes: str | None = None


@dataclass(frozen=True)
class KpiInput:
    name: str
    target: Decimal
    unit: str
    direction: str
    amber_tolerance: Decimal


@dataclass(frozen=True)
class DueSummary:
    overdue: list = field(default_factory=list)
    due30: list = field(default_factory=list)
    due90: list = field(default_factory=list)
    ending: list = field(default_factory=list)


def due_within(days: int, today: date):
    """SQL condition: next review on or before ``today + days`` (overdue ones included)."""
    return Contract.next_review_date <= today + timedelta(days=days)


def ending_within_year(today: date):
    """SQL condition: ends today or later, and no later than 12 months from today."""
    return Contract.end_date.between(today, add_months(today, 12))


def list_contracts(query: RegisterQuery, today: date, scope_org_id: int | None = None
                   ) -> list[Contract]:
    statement = select(Contract).join(Organisation, Contract.provider_id == Organisation.id)
    if scope_org_id is not None:
        statement = statement.where(Contract.provider_id == scope_org_id)
    if query.text:
        like = f"%{query.text.lower()}%"
        statement = statement.where(or_(func.lower(Contract.reference).like(like),
                                        func.lower(Contract.title).like(like),
                                        func.lower(Organisation.name).like(like)))
    if query.provider_id:
        statement = statement.where(Contract.provider_id == query.provider_id)
    if query.thematic_area:
        covered = select(Service.id).where(Service.thematic_area == query.thematic_area)
        statement = statement.where(Contract.services.any(Service.id.in_(covered)))
    if query.view in ("due30", "due90"):
        statement = statement.where(due_within(30 if query.view == "due30" else 90, today),
                                    Contract.end_date >= today)
        statement = statement.order_by(Contract.next_review_date, Contract.reference)
    elif query.view == "ending":
        statement = statement.where(ending_within_year(today)).order_by(Contract.end_date,
                                                                        Contract.reference)
    else:
        statement = statement.order_by(Contract.reference)
    return list(db.session.execute(statement).scalars().unique())


def due_summary(today: date, scope_org_id: int | None = None) -> DueSummary:
    """What the commissioner's home page shows: overdue, due in 30 and 90 days, ending."""
    live = select(Contract).where(Contract.end_date >= today)
    if scope_org_id is not None:
        live = live.where(Contract.provider_id == scope_org_id)
    due = list(db.session.execute(live.where(due_within(90, today))
                                  .order_by(Contract.next_review_date)).scalars())
    ending = list(db.session.execute(live.where(ending_within_year(today))
                                     .order_by(Contract.end_date)).scalars())
    return DueSummary(
        overdue=[c for c in due if c.next_review_date < today],
        due30=[c for c in due if today <= c.next_review_date <= today + timedelta(days=30)],
        due90=[c for c in due if today + timedelta(days=30) < c.next_review_date],
        ending=ending)


def get_contract(contract_id: int) -> Contract | None:
    return db.session.get(Contract, contract_id)


def provider_choices() -> list[Organisation]:
    return list(db.session.execute(select(Organisation).where(Organisation.kind == "provider")
                                   .order_by(Organisation.name)).scalars())


def service_choices() -> list[Service]:
    return list(db.session.execute(select(Service).order_by(Service.name)).scalars())


def manager_choices() -> list[User]:
    statement = (select(User).join(UserRole).where(UserRole.role == "commissioner",
                                                   User.active.is_(True)).order_by(User.name))
    return list(db.session.execute(statement).scalars().unique())


def area_choices() -> dict[str, str]:
    return dict(THEMATIC_AREAS)


def _check(data: ContractInput, contract_id: int | None) -> None:
    if data.end_date <= data.start_date:
        raise ContractError(_("End date must be after the start date"), "end_date")
    if data.annual_value < 0:
        raise ContractError(_("Annual value must be £0 or more"), "annual_value")
    clash = db.session.execute(select(Contract.id).where(
        func.lower(Contract.reference) == data.reference.lower())).scalar_one_or_none()
    if clash is not None and clash != contract_id:
        raise ContractError(_("A contract with this reference already exists"), "reference")
    if db.session.get(Organisation, data.provider_id) is None:
        raise ContractError(_("Select the provider"), "provider_id")
    if data.next_review_date and not (data.start_date <= data.next_review_date
                                      <= add_months(data.end_date, 3)):
        raise ContractError(_("Next review date must be during the contract "
                              "(or up to 3 months after it ends)"), "next_review_date")


def save_contract(data: ContractInput, actor, contract_id: int | None = None) -> Contract:
    """Create (``contract_id`` None) or update a contract; raises ``ContractError``."""
    _check(data, contract_id)
    contract = Contract() if contract_id is None else db.session.get(Contract, contract_id)
    if contract is None:
        raise LookupError(contract_id)
    contract.reference = data.reference
    contract.title = data.title
    contract.provider_id = data.provider_id
    contract.services = list(db.session.execute(
        select(Service).where(Service.id.in_(data.service_ids or (-1,)))).scalars())
    contract.annual_value = data.annual_value
    contract.start_date = data.start_date
    contract.end_date = data.end_date
    contract.extension_options = data.extension_options
    contract.review_frequency = data.review_frequency
    contract.next_review_date = data.next_review_date
    contract.contract_manager_id = data.contract_manager_id
    contract.notes = data.notes
    if contract_id is None:
        db.session.add(contract)
    db.session.flush()
    audit.record("contract.created" if contract_id is None else "contract.updated", actor,
                 contract, reference=contract.reference)
    db.session.commit()
    return contract


def add_kpi(contract_id: int, data: KpiInput, actor) -> Kpi:
    contract = db.session.get(Contract, contract_id)
    if contract is None:
        raise LookupError(contract_id)
    kpi = Kpi(contract=contract, name=data.name, target=data.target, unit=data.unit,
              direction=data.direction, amber_tolerance=data.amber_tolerance)
    db.session.add(kpi)
    db.session.flush()
    audit.record("contract.kpi_added", actor, contract, kpi_id=kpi.id, name=kpi.name)
    db.session.commit()
    return kpi


def remove_kpi(contract_id: int, kpi_id: int, actor) -> bool:
    """Remove a KPI that has no returns yet (returns are history and stay)."""
    kpi = db.session.get(Kpi, kpi_id)
    if kpi is None or kpi.contract_id != contract_id:
        return False
    if db.session.execute(select(KpiReturn.id).filter_by(kpi_id=kpi_id).limit(1)).first():
        raise ContractError(_("This KPI has returns in past reviews, so it cannot be removed"),
                            "kpi")
    audit.record("contract.kpi_removed", actor, kpi.contract, kpi_id=kpi.id, name=kpi.name)
    db.session.delete(kpi)
    db.session.commit()
    return True
