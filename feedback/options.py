"""The option lists forms offer (services, areas, forums): one home, so every form lists the
same things in the same order. Plain ``(id, name)`` pairs; the forms add their blank choice."""
from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import Area, Organisation, Service


def active_services() -> list[tuple[int, str]]:
    """Services open to feedback, by name."""
    return [(i, n) for i, n in db.session.execute(
        select(Service.id, Service.name).where(Service.active.is_(True)).order_by(Service.name))]


def public_services() -> list[tuple[int, str, str | None]]:
    """Services open to feedback by the names young people and families see (the plain name,
    as the card journey and the track page show them, and its Welsh form when it has one), in
    that order: for public forms."""
    return [(i, n, cy) for i, n, cy in db.session.execute(
        select(Service.id, Service.plain_name, Service.plain_name_cy)
        .where(Service.active.is_(True)).order_by(Service.plain_name, Service.id))]


def local_areas() -> list[tuple[int, str]]:
    """Districts and boroughs, by name (the places a person says they live in)."""
    return [(i, n) for i, n in db.session.execute(
        select(Area.id, Area.name).where(Area.kind.in_(("district", "borough")))
        .order_by(Area.name))]


def forums() -> list[tuple[int, str]]:
    """Parent carer forums, by name."""
    return [(i, n) for i, n in db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.kind == "parent_carer_forum").order_by(Organisation.name))]


def organisation(organisation_id: int | None) -> Organisation | None:
    """One organisation by id (None for None or an unknown id)."""
    return db.session.get(Organisation, organisation_id) if organisation_id else None
