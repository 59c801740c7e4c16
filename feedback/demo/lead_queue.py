"""The demo's moderator referral for the safeguarding lead's queue: a young
carer's card that the screen did not flag, which a moderator thought worth a
look (the rest of the lead's queue comes from the corpus, screened as live
submissions are)."""
from __future__ import annotations

from datetime import timedelta

from ..extensions import db
from ..models import ActionCard, Service, StatusChange

SERVICE = "Young Carers Service"
REFERRED = ("my mum has stopped getting up and i do all the cooking and my little brother "
            "is off school a lot",
            "Young carer doing a lot at home, and her brother is often off school: worth a look.")


def mark_lead_queue_examples(users, rng, limit) -> None:
    """Refer the newest unflagged card waiting for moderation (a Young Carers
    Service card when there is one; the card then belongs to that service),
    referred before ``limit`` (the demo's "now") and not yet answered."""
    from ..redaction import redact
    service = db.session.scalar(db.select(Service).where(Service.name == SERVICE))
    card = db.session.scalars(db.select(ActionCard).where(
        ActionCard.safeguarding_flagged.is_(False)).order_by(
        ActionCard.service_id != service.id, ActionCard.moderation_state != "pending",
        ActionCard.status != "received", ActionCard.created_at.desc(),
        ActionCard.id.desc()).limit(1)).first()
    if card is None:
        return
    text, reason = REFERRED
    card.service, card.text, card.text_redacted, card.kind = service, text, redact(text), "change"
    card.age_band, card.young_carer, card.me_too_count = "11-13", True, 0
    card.safeguarding_flagged, card.safeguarding_referral_reason = True, reason
    card.moderation_state, card.moderated_at, card.moderated_by = "pending", None, None
    card.status, card.status_reason, card.responses = "received", None, []
    card.history = [StatusChange(to_status="received", changed_at=card.created_at)]
    card.status_changed_at = card.created_at
    card.safeguarding_referred_by = users["moderator"]
    wait = min(timedelta(hours=rng.randint(2, 20)), (limit - card.created_at) / 2)
    card.safeguarding_referred_at = card.created_at + wait
