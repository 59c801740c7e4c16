"""Use cases for young people's action cards. Each public function owns its commit.
("Me too" and the public service pages: ``me_too.py``.)

Services take plain values (no request, session or current_user).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import audit, receipts, redaction, safeguarding, services_search
from ..extensions import db
from ..i18n import welsh_page
from ..models import ActionCard, FeedbackEntry, MeToo, Service, ThemeAssignment
from ..models.base import utcnow
from ..models.contracts import review_action_card
from ..language_screen import unscreened_reason
from ..safeguarding_record import trigger_of
from . import tracking

log = logging.getLogger("feedback.cards")


@dataclass(frozen=True)
class CardDraft:
    token: str
    kind: str
    text: str
    service_id: int | None = None
    service_unsure: bool = False
    feels_unsafe: bool = False
    age_band: str | None = None
    cohorts: tuple[str, ...] = ()
    contact_method: str | None = None
    contact_detail: str | None = None
    language: str = "en"  # the page's language when it was written (feedback/i18n.py)


@dataclass(frozen=True)
class Submitted:
    """``code`` is None when the token had already been used (a replay)."""
    card_id: int
    code: str | None
    flagged: bool
    anonymous: bool
    already: bool = False
    # The young person asked to hear back through their worker (no contact details given).
    through_worker: bool = False


def services_for_choice(query: str | None = None, category: str | None = None) -> list:
    """Active services a search finds (best first, ``services_search``) or all of them
    by plain name, within a category when given: rows with ``id``, ``plain_name`` and
    ``plain_name_cy`` only (the page needs no more, so no areas are loaded)."""
    stmt = (select(Service.id, Service.plain_name, Service.plain_name_cy)
            .where(Service.active.is_(True)))
    if category:
        stmt = stmt.where(Service.thematic_area == category)
    if not query:
        return list(db.session.execute(stmt.order_by(Service.plain_name)).all())
    found = services_search.load_matcher(welsh=welsh_page()).search(query[:100])
    rows = {row.id: row for row in db.session.execute(stmt.where(Service.id.in_(found)))} \
        if found else {}
    return [rows[service_id] for service_id in found if service_id in rows]


def get_service(service_id) -> Service | None:
    try:
        return db.session.get(Service, int(service_id))
    except (TypeError, ValueError):
        return None


def _existing(token: str) -> ActionCard | None:
    return db.session.execute(select(ActionCard).filter_by(submission_token=token)).scalar_one_or_none()


def already_submitted(token: str) -> Submitted | None:
    """The card saved with this one-time token, if any (the code is not known)."""
    first = _existing(token) if token else None
    if first is None:
        return None
    return Submitted(first.id, None, first.safeguarding_flagged, first.is_anonymous, True)


def submit_card(draft: CardDraft) -> Submitted:
    """Save a card once per token: redact, screen, store, and alert when flagged.

    A second submit with the same token (double click, back and resubmit,
    replay) saves nothing and returns the first card with ``already=True``.
    """
    first = _existing(draft.token)
    if first is not None:
        return Submitted(first.id, None, first.safeguarding_flagged, first.is_anonymous, True)
    screening = safeguarding.screen(draft.text)
    categories = list(screening.categories)
    if draft.feels_unsafe:
        categories.append("said_unsafe")
    found = trigger_of(screening)
    code = receipts.new_receipt_code()
    card = ActionCard(
        kind=draft.kind, text=draft.text, text_redacted=redaction.redact(draft.text),
        service_id=draft.service_id, service_unsure=draft.service_unsure,
        feels_unsafe=draft.feels_unsafe, age_band=draft.age_band,
        in_care="in_care" in draft.cohorts, care_leaver="care_leaver" in draft.cohorts,
        send="send" in draft.cohorts, young_carer="young_carer" in draft.cohorts,
        contact_method=draft.contact_method, contact_detail=draft.contact_detail or None,
        receipt_hash=receipts.receipt_hash(code), submission_token=draft.token,
        safeguarding_flagged=screening.flagged or bool(categories),
        safeguarding_categories=categories or None,
        safeguarding_trigger=found.trigger, safeguarding_score=found.score,
        # Held for a person with the reason when the screen cannot read the language.
        moderation_state="pending",
        moderation_reason=unscreened_reason(draft.text, page_language=draft.language),
    )
    db.session.add(card)
    try:
        db.session.flush()
        audit.record("card.submitted", None, card, flagged=card.safeguarding_flagged)
        db.session.commit()
    except IntegrityError:
        # The same token arrived twice at once: the other request saved it.
        db.session.rollback()
        first = _existing(draft.token)
        if first is None:
            raise
        return Submitted(first.id, None, first.safeguarding_flagged, first.is_anonymous, True)
    if card.safeguarding_flagged:
        safeguarding.escalate(card)
    return Submitted(card.id, code, card.safeguarding_flagged, card.is_anonymous,
                     through_worker=card.contact_method == "worker")


def find_by_code(code: str) -> tracking.Tracked | None:
    """What the track page shows for the card or feedback entry a receipt code
    belongs to (``tracking.Tracked``), or None."""
    if receipts.normalise(code) is None:
        return None
    digest = receipts.receipt_hash(code)
    for kind, model in (("card", ActionCard), ("feedback", FeedbackEntry)):
        item = db.session.execute(select(model).filter_by(receipt_hash=digest)).scalar_one_or_none()
        if item is not None:
            return tracking.describe(kind, item)
    return None


ERASED_REASON = ("Deleted by its author with the receipt code while awaiting safeguarding "
                 "review; kept for the safeguarding lead until they record what was done")


def erase_by_code(code: str) -> str | None:
    """Delete the card or feedback entry for ``code`` everywhere: its history,
    responses, theme assignments, me too rows and review links. Returns the
    kind erased, or None when no item has that code.

    An item flagged by the safeguarding screen that no lead has decided on
    yet is not deleted: a child's words that made us worry must still reach
    the lead. It leaves everything else at once (the code no longer finds
    it; it is out of publication, analysis, support and review packs) and is
    marked ``erase_requested_at``; the retention purge deletes it once the
    lead has recorded what was done."""
    found = find_by_code(code)
    if found is None:
        return None
    item = found.item
    if found.kind == "card":
        db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.card_id == item.id))
        db.session.execute(delete(MeToo).where(MeToo.card_id == item.id))
        db.session.execute(delete(review_action_card).where(review_action_card.c.card_id == item.id))
    else:
        db.session.execute(delete(ThemeAssignment).where(
            ThemeAssignment.feedback_entry_id == item.id))
    awaiting_lead = item.safeguarding_flagged and item.safeguarding_reviewed_at is None
    audit.record("card.erased" if found.kind == "card" else "feedback_entry.erased", None,
                 object_type=item.__tablename__, object_id=item.id,
                 kept_for_safeguarding=awaiting_lead)
    if awaiting_lead:
        item.receipt_hash = None
        item.erase_requested_at = utcnow()
        item.moderation_state, item.moderation_reason = "rejected", ERASED_REASON
        item.sentiment = None
        if found.kind == "card":
            item.me_too_count = 0
    else:
        db.session.delete(item)
    db.session.commit()
    return found.kind
