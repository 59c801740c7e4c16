"""Use cases behind the public service pages and "me too": a service's published
cards a page at a time (filtered by stop, start or change) and one browser's
support for a card. ``add_me_too`` owns its commit; the rest only read.

Services take plain values (no request, session or current_user).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ActionCard, MeToo, Service
from ..models.cards import CARD_KINDS

PER_PAGE = 20


class NoSuchPage(LookupError):
    """A page number past the last page; ``pages`` says how many there are."""

    def __init__(self, page: int, pages: int):
        super().__init__(f"There is no page {page}")
        self.page, self.pages = page, pages


@dataclass(frozen=True)
class CardsPage:
    """One page of a service's published cards, most supported first."""
    service: Service
    cards: list
    kind: str | None
    page: int
    pages: int
    total: int
    per_page: int = PER_PAGE
    counts: dict = field(default_factory=dict)  # kind -> published cards; "all" -> every kind
    replies: dict = field(default_factory=dict)  # card id -> its published providers' replies


def get_service(service_id: int) -> Service | None:
    return db.session.get(Service, service_id)


def published_counts(service_id: int) -> dict[str, int]:
    """How many published cards the service has, by kind, and "all"."""
    rows = db.session.execute(
        select(ActionCard.kind, func.count()).where(ActionCard.service_id == service_id,
                                                   ActionCard.is_published)
        .group_by(ActionCard.kind)).all()
    counts = {kind: 0 for kind in CARD_KINDS}
    counts.update({kind: number for kind, number in rows})
    counts["all"] = sum(number for _, number in rows)
    return counts


def cards_page(service: Service, kind: str | None = None, page: int = 1,
               per_page: int = PER_PAGE) -> CardsPage:
    """Page ``page`` of ``service``'s published cards of ``kind`` (every kind when None).
    Raises ``NoSuchPage`` past the last page; an empty list has one (empty) page."""
    if kind is not None and kind not in CARD_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    counts = published_counts(service.id)
    total = counts[kind or "all"]
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise NoSuchPage(page, pages)
    stmt = select(ActionCard).where(ActionCard.service_id == service.id, ActionCard.is_published)
    if kind is not None:
        stmt = stmt.where(ActionCard.kind == kind)
    stmt = (stmt.order_by(ActionCard.me_too_count.desc(), ActionCard.created_at.desc(),
                          ActionCard.id.desc())
            .limit(per_page).offset((page - 1) * per_page))
    from ..provider.replies import published_replies
    cards = list(db.session.execute(stmt).scalars())
    return CardsPage(service, cards, kind, page, pages, total, per_page, counts,
                     published_replies("card", [card.id for card in cards]))


def card_service(card_id: int) -> int | None:
    card = db.session.get(ActionCard, card_id)
    return card.service_id if card is not None else None


def supporter_hash(browser_id: str) -> str:
    return hashlib.sha256(("me-too:" + browser_id).encode("utf-8")).hexdigest()


def add_me_too(card_id: int, browser_id: str | None) -> str:
    """One browser's support for a published card: "added", "already",
    "not_found", or "no_browser" when the browser has no id from the cards page
    (nothing is counted). ``me_too_count`` moves in the same transaction as the row."""
    card = db.session.get(ActionCard, card_id)
    if card is None or not card.is_published:
        return "not_found"
    if not browser_id:
        return "no_browser"
    supporter = supporter_hash(browser_id)
    try:
        db.session.add(MeToo(card_id=card.id, supporter=supporter))
        db.session.flush()
        db.session.execute(update(ActionCard).where(ActionCard.id == card.id)
                           .values(me_too_count=ActionCard.me_too_count + 1))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return "already"
    return "added"


def supported_ids(browser_id: str | None, card_ids: list[int]) -> set[int]:
    if not browser_id or not card_ids:
        return set()
    rows = db.session.execute(select(MeToo.card_id).where(
        MeToo.supporter == supporter_hash(browser_id), MeToo.card_id.in_(card_ids))).scalars()
    return set(rows)
