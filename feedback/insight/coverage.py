"""Whether the platform holds data for the whole of the period a figure is compared with.

The one home of the rule every comparison follows (the insight dashboard, the provider
home and the contract review pack): when the earlier period starts before the first item
the platform holds for the same services (the first action card or feedback entry received,
whatever became of it: for every service, or for the services the filters name), part of
that period has no data, and a change against it would be a change against nothing. Such a
comparison is not made; the page says "No comparison: we hold no data for part of <period>".
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, Service, contract_service
from .filters import Filters, previous_label


def scope_conditions(model, f: Filters) -> list:
    """The services ``f`` covers (service, provider, thematic area, contract) as conditions
    on ``model``; none for every service."""
    conds = []
    if f.service_ids:
        conds.append(model.service_id.in_(f.service_ids))
    if f.provider_id is not None or f.thematic_area:
        services = select(Service.id)
        if f.provider_id is not None:
            services = services.where(Service.provider_id == f.provider_id)
        if f.thematic_area:
            services = services.where(Service.thematic_area == f.thematic_area)
        conds.append(model.service_id.in_(services))
    if f.contract_id is not None:
        conds.append(model.service_id.in_(select(contract_service.c.service_id).where(
            contract_service.c.contract_id == f.contract_id)))
    return conds


def held_from(f: Filters) -> date | None:
    """The UK date of the first item the platform holds for the services ``f`` covers
    (every item received, published or not); None when it holds none."""
    firsts = [db.session.execute(select(func.min(model.created_at))
                                 .where(*scope_conditions(model, f))).scalar_one()
              for model in (ActionCard, FeedbackEntry)]
    firsts = [moment for moment in firsts if moment is not None]
    return clock.uk_date_of(min(firsts)) if firsts else None


def fully_held(earlier: Filters) -> bool:
    """True when the platform holds data for all of ``earlier`` (a period with a start)."""
    first = held_from(earlier)
    return first is not None and earlier.start is not None and first <= earlier.start


def no_data_text(label: str) -> str:
    """What is said instead of a change against a period partly without data."""
    return _("No comparison: we hold no data for part of %(period)s", period=label)


def no_data_why() -> str:
    """The short reason beside one "No comparison" (a theme's change) for the same rule."""
    return _("We hold no data for part of the period before.")


def comparison_gap(f: Filters) -> str | None:
    """``no_data_text`` for the period ``f`` is compared with (``Filters.previous``) when the
    platform holds no data for part of it; None when it holds it all, or for all time."""
    earlier = f.previous()
    if earlier is None or fully_held(earlier):
        return None
    return no_data_text(previous_label(f))


__all__ = ["comparison_gap", "fully_held", "held_from", "no_data_text", "no_data_why",
           "scope_conditions"]
