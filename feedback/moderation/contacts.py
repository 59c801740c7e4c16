"""Young people who asked to hear back "through my worker": the participation team's list.

A card whose author chose that contact has no address: the participation team finds the
young person through their worker. The list shows what the team needs to do that (the card,
its service, when it was sent, its status) and the published (redacted) words only; a card
held for the safeguarding lead says so and shows no words. Moderators and participation
workers see it; each view is audited.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from .. import audit
from ..errors import NotAllowed
from ..extensions import db
from ..models import ActionCard
from ..permissions import Role, has_role

PER_PAGE = 50
ROLES = (Role.MODERATOR, Role.PARTICIPATION_WORKER)


@dataclass(frozen=True)
class ContactsPage:
    cards: list
    total: int
    page: int
    pages: int


def worker_contacts(actor, page: int = 1) -> ContactsPage:
    """One page of cards whose author asked to hear back through their worker, newest first."""
    if not has_role(actor, *ROLES):
        raise NotAllowed()
    query = select(ActionCard).where(ActionCard.contact_method == "worker",
                                     ActionCard.erase_requested_at.is_(None))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    cards = list(db.session.execute(query.order_by(ActionCard.created_at.desc(),
                                                   ActionCard.id.desc())
                                    .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).scalars())
    audit.record_now("cards.worker_contacts_viewed", actor, None, page=page, shown=len(cards))
    return ContactsPage(cards, total, page, pages)
