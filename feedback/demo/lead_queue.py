"""Demo examples for the safeguarding lead's queue, made from items the demo
already holds (so the counts asked for stay exact): flagged entries of a forum
import (so the forum, file and row show), with a parent's words a lead may
release to moderation, and a moderator's referral of a card."""
from __future__ import annotations

from datetime import timedelta

from ..extensions import db
from ..models import ActionCard, FeedbackEntry
from ..safeguarding_record import trigger_of

PARENT_WORDS = (
    "my child is self-harming and we have had no help from CAMHS",
    "my son comes back with money and a new phone and older lads keep picking him up from school",
    "her foster carer hurt her and nobody listened when we told the social worker",
)
REFERRED = ("my mum has stopped getting up and i do all the cooking and my little brother "
            "is off school a lot",
            "Young carer doing a lot at home, and her brother is often off school: worth a look.")


def _newest(model, *where, limit: int):
    """The newest unflagged items of ``model``: those waiting for moderation
    first, then those nobody has answered yet."""
    return db.session.scalars(db.select(model).where(
        model.safeguarding_flagged.is_(False), *where).order_by(
        model.moderation_state != "pending", model.status != "received",
        model.created_at.desc(), model.id.desc()).limit(limit)).all()


def mark_lead_queue_examples(users, rng) -> None:
    from ..redaction import redact
    from ..safeguarding import screen
    for entry, words in zip(_newest(FeedbackEntry, FeedbackEntry.source == "forum_import",
                                    limit=len(PARENT_WORDS)), PARENT_WORDS):
        screening = screen(words)
        found = trigger_of(screening)
        entry.could_be_better, entry.could_be_better_redacted = words, redact(words)
        entry.respondent_type, entry.disability_send = "parent_carer", "yes"
        entry.safeguarding_flagged, entry.moderation_state = True, "pending"
        entry.safeguarding_categories = list(screening.categories) or None
        entry.safeguarding_trigger, entry.safeguarding_score = found.trigger, found.score
    for card in _newest(ActionCard, limit=1):
        text, reason = REFERRED
        card.text, card.text_redacted, card.kind = text, redact(text), "change"
        card.age_band, card.young_carer, card.me_too_count = "11-13", True, 0
        card.safeguarding_flagged, card.safeguarding_referral_reason = True, reason
        card.moderation_state = "pending"
        card.safeguarding_referred_by = users["moderator"]
        card.safeguarding_referred_at = card.created_at + timedelta(hours=rng.randint(2, 20))
