"""Contract reviews: starting one, KPI returns, holding the meeting, agreed actions.

Each public function is one use case and owns its commit. Linking an action
to cards and completing it go through the shared ``change_status`` (which
commits each card's move and audits it), so young people see the plan, and
later the "you said, we did" answer, on their track page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import FieldError
from ..cards.status import StatusError, change_status
from ..extensions import db
from ..models import ActionCard, Contract, ContractReview, KpiReturn, ReviewAction, Theme
from ..models.base import utcnow
from ..models.submissions import OPEN_STATUSES
from .periods import Period, next_review_after, period_of
from .rag import rate


class ReviewError(FieldError):
    """A review step that cannot be made as asked."""


@dataclass(frozen=True)
class KpiValue:
    kpi_id: int
    value: Decimal | None
    commentary: str | None


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_date: date | None
    theme_ids: tuple[int, ...] = ()
    card_ids: tuple[int, ...] = ()
    message_to_young_people: str | None = None


def get_review(review_id: int) -> ContractReview | None:
    return db.session.get(ContractReview, review_id)


def get_action(action_id: int) -> ReviewAction | None:
    return db.session.get(ReviewAction, action_id)


def start_review(contract_id: int, period: Period, actor) -> ContractReview:
    """The review of ``contract_id`` for ``period``: the existing one, or a new draft."""
    contract = db.session.get(Contract, contract_id)
    if contract is None:
        raise LookupError(contract_id)
    existing = db.session.execute(select(ContractReview).filter_by(
        contract_id=contract_id, period_kind=period.kind, period_start=period.start)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    review = ContractReview(contract=contract, period_kind=period.kind,
                            period_start=period.start, period_end=period.end, status="draft",
                            created_by_id=getattr(actor, "id", None))
    db.session.add(review)
    db.session.flush()
    audit.record("contract_review.started", actor, review, contract=contract.reference,
                 period=period.key)
    db.session.commit()
    return review


def save_kpi_returns(review_id: int, values: list[KpiValue], actor) -> ContractReview:
    """Store the value and commentary per KPI, rating each (RAG) against its target."""
    review = db.session.get(ContractReview, review_id)
    if review is None:
        raise LookupError(review_id)
    kpis = {kpi.id: kpi for kpi in review.contract.kpis}
    existing = {ret.kpi_id: ret for ret in review.kpi_returns}
    for item in values:
        kpi = kpis.get(item.kpi_id)
        if kpi is None:
            continue
        ret = existing.get(kpi.id)
        if ret is None:
            ret = KpiReturn(kpi=kpi)
            review.kpi_returns.append(ret)
        ret.value = item.value
        ret.commentary = (item.commentary or "").strip() or None
        ret.rag = rate(item.value, kpi.target, kpi.direction, kpi.amber_tolerance)
    db.session.flush()
    audit.record("contract_review.kpis_saved", actor, review, count=len(values))
    db.session.commit()
    return review


def hold_review(review_id: int, meeting_date: date, notes: str | None, actor,
                today: date) -> ContractReview:
    """Record the meeting. The first time (and after a re-opening) the pack is
    frozen as it stands ``today`` (``frozen.freeze``); changing the record of a
    held review changes its date and notes only, never its pack. The contract's
    next review date moves on by its frequency once, at the first recording.
    Two recordings at once freeze one pack: the second keeps the first's."""
    try:
        return _hold(review_id, meeting_date, notes, actor, today)
    except IntegrityError:  # the pack was frozen meanwhile: record date and notes only
        db.session.rollback()
        return _hold(review_id, meeting_date, notes, actor, today)


def _hold(review_id, meeting_date, notes, actor, today) -> ContractReview:
    from . import frozen

    review = db.session.get(ContractReview, review_id)
    if review is None:
        raise LookupError(review_id)
    if meeting_date < review.period_start:
        raise ReviewError(_("Meeting date must be after the start of the review period"),
                          "meeting_date")
    if meeting_date > today:
        raise ReviewError(_("Meeting date must be today or in the past"), "meeting_date")
    if review.frozen_pack is None:
        # The pack becomes final here: young people check a period first (or a
        # commissioner records why they could not), from when panels began.
        from ..ratification import state as panel
        if not panel.final_allowed(period_of(review)):
            raise ReviewError(panel.final_refusal(period_of(review)), "meeting_date")
    first_time = not review.is_held and review.meeting_date is None
    review.meeting_date = meeting_date
    review.notes = (notes or "").strip() or None
    if not review.is_held:
        review.status = "held"
    if review.frozen_pack is None:
        frozen.freeze(review, actor, today, "meeting")
    if first_time:
        contract = review.contract
        contract.next_review_date = next_review_after(contract.next_review_date, meeting_date,
                                                      contract.review_frequency)
    audit.record("contract_review.held", actor, review, meeting_date=meeting_date.isoformat())
    db.session.commit()
    return review


def reopen_review(review_id: int, reason: str, actor) -> ContractReview:
    """Re-open a held review: back to draft, its frozen pack discarded (the
    audit entry keeps the reason, when it was frozen and its digest). Its pack is
    live again until the meeting is recorded again, which freezes a new one."""
    from .. import clock

    review = db.session.get(ContractReview, review_id)
    if review is None:
        raise LookupError(review_id)
    if not review.is_held:
        raise ReviewError(_("This review's meeting has not been recorded, so it is already open"),
                          "reason")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Enter why you are re-opening this review"), "reason")
    kept = review.frozen_pack
    detail = {"reason": reason, "from_status": review.status}
    if kept is not None:
        detail.update(frozen_on=clock.uk_date_of(kept.frozen_at).isoformat(),
                      digest=kept.digest)
        review.frozen_pack = None
    review.status = "draft"
    db.session.flush()
    audit.record("contract_review.reopened", actor, review, **detail)
    db.session.commit()
    return review


def linkable_cards(contract: Contract) -> list[ActionCard]:
    """Cards about the contract's services that an action may answer: open,
    approved and not held back by safeguarding (their redacted text is shown)."""
    service_ids = [s.id for s in contract.services] or [-1]
    statement = (select(ActionCard).where(ActionCard.service_id.in_(service_ids),
                                          ActionCard.status.in_(OPEN_STATUSES),
                                          ActionCard.is_published)
                 .order_by(ActionCard.me_too_count.desc(), ActionCard.created_at.desc())
                 .limit(200))
    return list(db.session.execute(statement).scalars())


def linkable_themes() -> list[Theme]:
    statement = (select(Theme).where(Theme.hidden.is_(False), Theme.merged_into_id.is_(None))
                 .order_by(Theme.curated_name, Theme.label))
    return list(db.session.execute(statement).scalars())


def add_action(review_id: int, data: ActionInput, actor) -> ReviewAction:
    """Record an agreed action; linked cards move to "action planned" and get
    ``message_to_young_people`` as their answer."""
    review = db.session.get(ContractReview, review_id)
    if review is None:
        raise LookupError(review_id)
    allowed = {card.id: card for card in linkable_cards(review.contract)}
    cards = [allowed[i] for i in data.card_ids if i in allowed]
    if len(cards) != len(set(data.card_ids)):
        raise ReviewError(_("Select only open cards about this contract's services"), "card_ids")
    if cards and not (data.message_to_young_people or "").strip():
        raise ReviewError(_("Enter what young people will be told about this action"),
                          "message_to_young_people")
    themes = list(db.session.execute(select(Theme).where(
        Theme.id.in_(data.theme_ids or (-1,)))).scalars())
    action = ReviewAction(review=review, description=data.description.strip(),
                          owner=data.owner.strip(), due_date=data.due_date, status="open",
                          created_by_id=getattr(actor, "id", None), themes=themes, cards=cards)
    db.session.add(action)
    db.session.flush()
    audit.record("review_action.created", actor, action, review_id=review.id,
                 cards=[c.id for c in cards], themes=[t.id for t in themes])
    db.session.commit()
    for card in cards:
        if card.status != "action_planned":
            change_status(card, "action_planned", actor,
                          response=data.message_to_young_people, review_action_id=action.id)
    return action


def update_action_status(action_id: int, status: str, actor, *, mark_cards_done: bool = False,
                         response: str | None = None) -> ReviewAction:
    """Move an action on; when it is done, optionally mark its cards done with a
    "you said, we did" answer. Cards already done are left as they are."""
    action = db.session.get(ReviewAction, action_id)
    if action is None:
        raise LookupError(action_id)
    if mark_cards_done and status == "done" and action.cards and not (response or "").strip():
        raise ReviewError(_("Enter the \"you said, we did\" answer young people will see"),
                          "response")
    previous = action.status
    action.status = status
    action.completed_at = utcnow() if status == "done" else None
    if status in ("done", "dropped"):
        action.completion_claimed_at = None  # a provider's claim is answered by closing it
    audit.record("review_action.status", actor, action, from_status=previous, to_status=status)
    db.session.commit()
    if status == "done" and mark_cards_done:
        for card in action.cards:
            if card.status == "done":
                continue
            try:
                change_status(card, "done", actor, response=response,
                              review_action_id=action.id)
            except StatusError:
                db.session.rollback()
    return action
