"""The standards a Young Inspectors' report scores a service against: the list (retired ones
last), the defaults for a new database, and adding, changing, removing (retiring one in use)
and restoring a standard (admins only, ``NotAllowed`` for anyone else). Each change is
audited and owns its commit."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..errors import NotAllowed
from ..extensions import db
from ..models import InspectionScore, InspectionStandard
from ..models.inspections import DEFAULT_STANDARDS, MAX_STANDARD_DESCRIPTION, MAX_STANDARD_NAME
from ..permissions import can_edit_standards
from .checks import InspectionError, clean_text


def standards(include_retired: bool = True) -> list[InspectionStandard]:
    stmt = select(InspectionStandard).order_by(InspectionStandard.retired_at.is_not(None),
                                               InspectionStandard.position,
                                               InspectionStandard.id)
    if not include_retired:
        stmt = stmt.where(InspectionStandard.retired_at.is_(None))
    return list(db.session.execute(stmt).scalars())


def standards_in_use() -> set[int]:
    return set(db.session.execute(select(InspectionScore.standard_id).distinct()).scalars())


def add_default_standards() -> int:
    """The five default standards, when there are none at all (a new or reset database);
    returns how many were added. Flushes only."""
    if db.session.execute(select(InspectionStandard.id).limit(1)).first() is not None:
        return 0
    for n, (name, description) in enumerate(DEFAULT_STANDARDS):
        db.session.add(InspectionStandard(name=name, description=description, position=n))
    db.session.flush()
    return len(DEFAULT_STANDARDS)


def _standards_guard(actor) -> None:
    if not can_edit_standards(actor):
        raise NotAllowed()


def _standard(standard_id: int) -> InspectionStandard:
    found = db.session.get(InspectionStandard, standard_id)
    if found is None:
        raise LookupError(standard_id)
    return found


def get_standard(standard_id: int, actor) -> InspectionStandard:
    _standards_guard(actor)
    return _standard(standard_id)


def save_standard(actor, name: str | None, description: str | None,
                  standard_id: int | None = None) -> InspectionStandard:
    """Add a standard (``standard_id`` None) or change one's name and description."""
    _standards_guard(actor)
    name = " ".join(clean_text(name, "name", MAX_STANDARD_NAME,
                               _("Enter the standard's name")).split())
    description = clean_text(description, "description", MAX_STANDARD_DESCRIPTION,
                             _("Enter what the standard looks at"))
    standard = _standard(standard_id) if standard_id is not None else None
    clash = db.session.execute(select(InspectionStandard.id).where(
        func.lower(InspectionStandard.name) == name.lower())).scalars().first()
    if clash is not None and (standard is None or clash != standard.id):
        raise InspectionError(_("There is already a standard called \u201c%(name)s\u201d",
                                name=name), "name")
    if standard is None:
        last = db.session.execute(select(func.max(InspectionStandard.position))).scalar()
        standard = InspectionStandard(name=name, description=description,
                                      position=(last or 0) + 1)
        db.session.add(standard)
        db.session.flush()
        audit.record("inspection_standard.added", actor, standard, name=name)
    else:
        standard.name, standard.description = name, description
        db.session.flush()
        audit.record("inspection_standard.changed", actor, standard, name=name)
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved at the same moment by someone else
        db.session.rollback()
        raise InspectionError(_("There is already a standard called \u201c%(name)s\u201d",
                                name=name), "name") from None
    return standard


def remove_standard(actor, standard_id: int) -> str:
    """Delete a standard no report has used; retire one that is in use (kept for the reports
    that scored it, offered to no new report). Returns "deleted" or "retired"."""
    _standards_guard(actor)
    standard = _standard(standard_id)
    if standard.id in standards_in_use():
        standard.retired_at = standard.retired_at or clock.now()
        audit.record("inspection_standard.retired", actor, standard, name=standard.name)
        outcome = "retired"
    else:
        audit.record("inspection_standard.deleted", actor, standard, name=standard.name)
        db.session.delete(standard)
        outcome = "deleted"
    db.session.commit()
    return outcome


def restore_standard(actor, standard_id: int) -> InspectionStandard:
    _standards_guard(actor)
    standard = _standard(standard_id)
    standard.retired_at = None
    audit.record("inspection_standard.restored", actor, standard, name=standard.name)
    db.session.commit()
    return standard
