"""Answering cards and feedback: one item, or many cards of one theme at once.

Status moves, reasons, responses and their audit go through the shared
``feedback.cards.status.change_status`` (which commits per card). For many
cards every move is checked first, so either all of them are answered or
none is and the commissioner sees which card could not move.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import audit
from ..errors import FieldError, NotAllowed
from ..cards.status import StatusError, change_status
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, ThemeAssignment
from ..models.submissions import STATUS_MOVES, STATUSES
from ..permissions import can_view_insight


@dataclass(frozen=True)
class Answer:
    status: str
    reason: str | None
    response: str | None


class AnswerError(FieldError):
    """An answer that cannot be given as asked."""


KINDS = {"card": ActionCard, "feedback": FeedbackEntry}


def _load(kind: str, item_id: int, actor):
    if not can_view_insight(actor):
        raise NotAllowed()
    item = db.session.get(KINDS[kind], item_id) if kind in KINDS else None
    if item is None or not item.is_published:
        raise LookupError(item_id)
    return item


def view_item(kind: str, item_id: int, actor):
    """A published card or feedback entry for the answer page; the view is audited."""
    item = _load(kind, item_id, actor)
    audit.record_now("card.viewed" if kind == "card" else "feedback.viewed", actor, item,
                     purpose="answer")
    return item


def view_card(card_id: int, actor) -> ActionCard:
    return view_item("card", card_id, actor)




def _check(card, answer: Answer) -> None:
    if answer.status not in STATUSES:
        raise AnswerError(_("Select what is happening now"), "status")
    if answer.status == "not_possible" and not (answer.reason or "").strip():
        raise AnswerError(_("Enter why it is not possible"), "reason")
    if answer.status != card.status and answer.status not in STATUS_MOVES.get(card.status, ()):
        values = {"id": card.id, "now": card.status_label.lower(),
                  "wanted": _(STATUSES[answer.status]).lower()}
        raise AnswerError(_("Card %(id)s is %(now)s and cannot move to %(wanted)s", **values)
                          if isinstance(card, ActionCard)
                          else _("Feedback %(id)s is %(now)s and cannot move to %(wanted)s",
                                 **values), "status")
    if answer.status == card.status and not (answer.response or "").strip():
        values = {"id": card.id, "now": card.status_label.lower()}
        raise AnswerError(_("Card %(id)s is already %(now)s: choose another status or write "
                            "an answer", **values) if isinstance(card, ActionCard)
                          else _("Feedback %(id)s is already %(now)s: choose another status "
                                 "or write an answer", **values), "status")


def _apply(card, answer: Answer, actor) -> None:
    if answer.status == card.status:
        # Same status, new words: a response without a move.
        from ..models import Response
        subject = ({"card_id": card.id} if isinstance(card, ActionCard)
                   else {"feedback_entry_id": card.id})
        db.session.add(Response(body=answer.response.strip(), author_id=actor.id, **subject))
        audit.record("status.answered", actor, card, status=card.status)
        db.session.commit()
        from ..cards.notify import tell_young_person
        tell_young_person(card, "answered")
        return
    try:
        change_status(card, answer.status, actor, reason=answer.reason, response=answer.response)
    except StatusError as exc:
        db.session.rollback()
        raise AnswerError(str(exc), "reason" if exc.field == "reason" else "status") from exc


def answer_item(kind: str, item_id: int, answer: Answer, actor):
    """Answer one published card ("card") or feedback entry ("feedback")."""
    card = _load(kind, item_id, actor)
    _check(card, answer)
    _apply(card, answer, actor)
    return card


def answer_card(card_id: int, answer: Answer, actor) -> ActionCard:
    return answer_item("card", card_id, answer, actor)


def answer_many(theme_id: int, card_ids: list[int], answer: Answer, actor) -> int:
    """Answer every chosen card of the theme the same way; returns how many."""
    if not can_view_insight(actor):
        raise NotAllowed()
    ids = sorted({int(i) for i in card_ids})
    if not ids:
        raise AnswerError(_("Select at least one card to answer"), "cards")
    cards = list(db.session.execute(
        db.select(ActionCard).join(ThemeAssignment, ThemeAssignment.card_id == ActionCard.id)
        .where(ThemeAssignment.theme_id == theme_id, ActionCard.id.in_(ids))
        .order_by(ActionCard.id)).scalars())
    cards = [c for c in cards if c.is_published]
    if len(cards) != len(ids):
        raise AnswerError(_("Select cards from this theme only"), "cards")
    for card in cards:
        _check(card, answer)
    for card in cards:
        _apply(card, answer, actor)
    audit.record_now("theme.cards_answered", actor, object_type="theme", object_id=theme_id,
                     cards=ids, status=answer.status)
    return len(cards)


# --- the list of items waiting for an answer ----------------------------------

PER_PAGE = 50


@dataclass(frozen=True)
class Waiting:
    """One page of open, published items, oldest first. A work list, kept apart
    from the aggregates on purpose: it names no theme and counts nothing per
    theme, so it cannot break a theme of fewer than 10 people down."""
    items: list  # [(kind, item)]
    total: int
    page: int
    pages: int
    service_id: int | None


def waiting_list(actor, page: int = 1, service_id: int | None = None,
                 per_page: int = PER_PAGE) -> Waiting:
    """Published cards and feedback still open (received, being looked at, action planned)."""
    from sqlalchemy import func, literal, select, union_all

    from ..models.submissions import OPEN_STATUSES
    if not can_view_insight(actor):
        raise NotAllowed()
    branches = []
    for kind, model in KINDS.items():
        stmt = select(literal(kind).label("kind"), model.id.label("id"),
                      model.created_at.label("created_at")).where(
            model.is_published,
            model.status.in_(OPEN_STATUSES))
        if service_id is not None:
            stmt = stmt.where(model.service_id == service_id)
        branches.append(stmt)
    union = union_all(*branches).subquery()
    total = db.session.execute(select(func.count()).select_from(union)).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(select(union.c.kind, union.c.id)
                              .order_by(union.c.created_at, union.c.kind, union.c.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    loaded = {}
    for kind, model in KINDS.items():
        ids = [r.id for r in rows if r.kind == kind]
        if ids:
            loaded.update({(kind, i.id): i for i in db.session.execute(
                select(model).where(model.id.in_(ids))).scalars()})
    items = [(r.kind, loaded[(r.kind, r.id)]) for r in rows]
    audit.record_now("insight.waiting_listed", actor, object_type="card", object_id=None,
                     page=page, service_id=service_id,
                     cards=[i.id for k, i in items if k == "card"],
                     feedback=[i.id for k, i in items if k == "feedback"])
    return Waiting(items, total, page, pages, service_id)
