"""Cards written in Welsh for the demo. The safeguarding screen reads English only, so they
are held for a moderator with the reason the live rule gives (feedback/language_screen.py),
as a Welsh card sent today would be (docs/i18n.md, docs/safeguarding.md)."""
from __future__ import annotations

from ..extensions import db
from ..language_screen import unscreened_reason
from ..models import ActionCard
from ..redaction import redact

# (kind, what the young person wrote, words in the name of a service it fits): written for the
# demo, varied, not templated.
WELSH_CARDS = (
    ("stop", "Plîs stopiwch newid fy ngweithiwr cymdeithasol bob chwe mis. Dw i wedi cael "
             "pedwar mewn dwy flynedd a dw i wedi blino dweud fy stori eto.",
     ("leaving care", "fostering", "children in care", "independent visitors")),
    ("start", "Hoffwn i weld y clwb ieuenctid yn agor ar nos Sadwrn. Does dim byd i'w wneud yn "
              "y pentref ar ôl chwech o'r gloch a does dim bws adref.",
     ("youth",)),
    ("change", "Mae'r ystafell aros yn y clinig yn rhy swnllyd. Byddai'n well gen i aros mewn "
               "lle tawel gyda rhywun dw i'n ei nabod cyn y sesiwn.",
     ("camhs", "mental health", "speech", "occupational", "school nursing")),
)


def mark_welsh_examples() -> int:
    """Give cards still waiting for a moderator (unflagged, unanswered, not referred) Welsh
    words, each on a card about a service its words fit, held with the reason; the demo's
    counts stay as they are. A small demo may have too few cards waiting: the newest approved
    cards nobody has answered yet are then taken back to the moderator's queue, as a Welsh
    card would never have been approved by the screen's English rules."""
    waiting = db.session.scalars(db.select(ActionCard).where(
        ActionCard.moderation_state == "pending", ActionCard.safeguarding_flagged.is_(False),
        ActionCard.safeguarding_referred_at.is_(None), ActionCard.status == "received",
    ).order_by(ActionCard.created_at.desc(), ActionCard.id.desc())).all()
    if len(waiting) < len(WELSH_CARDS):
        waiting += [c for c in db.session.scalars(db.select(ActionCard).where(
            ActionCard.is_published, ActionCard.safeguarding_referred_at.is_(None),
            ActionCard.status == "received",
        ).order_by(ActionCard.created_at.desc(), ActionCard.id.desc())) if not c.responses]
    done = 0
    for kind, text, fits in WELSH_CARDS:
        card = next((c for c in waiting if c.service is not None
                     and any(f in c.service.name.lower() for f in fits)),
                    waiting[0] if waiting else None)
        if card is None:
            continue
        waiting.remove(card)
        card.kind, card.text, card.text_redacted = kind, text, redact(text)
        card.me_too_count = 0
        card.moderation_state, card.moderated_at, card.moderated_by = "pending", None, None
        card.moderation_reason = unscreened_reason(text)
        done += 1
    return done
