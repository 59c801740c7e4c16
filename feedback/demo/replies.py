"""Demo data: providers' public replies to what was said about their services.

Called once from ``seed.seed_demo`` after the cards and feedback are made. A reply only makes
sense beside the words it answers, so each one is written for a subject ("waiting",
"transport", ...) and given to a published card or feedback entry about that provider's own
services whose words are about that subject. Most replies are approved and shown; the newest
of each provider waits for a moderator, so the reply queue has something in it. Replies are
signed "The provider" unless the writer chose to give a name.
"""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, ProviderReply, Service

# (subject, words that show a text is about it, the reply, a name the writer chose or None)
REPLIES = [
    ("waiting", r"\bwait(ed|ing)? (list|for|time)|\b\d+ (weeks|months) (wait|to wait)|\blong wait\b|\bwaited (\w+ )?\d+ (weeks|months)",
     "Thank you for telling us, and we are sorry the wait has been so long. Since the autumn we "
     "have added a Saturday clinic and a worker who rings everyone waiting more than 12 weeks, "
     "so nobody waits without hearing from us.", None),
    ("transport", r"\b(bus|taxi|transport|driver)\b.{0,60}\b(late|never|cancel|wait)",
     "We have shared this with the transport team. Drivers now text when they are running more "
     "than ten minutes late, and the same driver does the same route each week where we can.",
     None),
    ("staff changes", r"turnover|\b\d+ (therapists|workers|social workers|key workers)\b|\b(worker|therapist|social worker)s? (keeps?|kept) (changing|leaving)|\bchang(e|ing) (my |our )?(worker|therapist)s?\b",
     "You are right that too many changes of worker make things harder. We now tell families "
     "before a change happens and the old worker comes to the first meeting with the new one.",
     "Amira Khan, team manager"),
    ("the room", r"\b(too noisy|so noisy|too loud|so loud|too busy)\b|\bnoisy (waiting )?room\b|\ba quiet (room|space|place)\b",
     "Thank you. The small room next to reception is now a quiet room on session days, with "
     "ear defenders and fidget things to borrow. Ask any member of staff.", None),
    ("holidays", r"(stops|closed|nothing|shuts|closes)\b.{0,40}\b(holidays|summer|half term|weekends?)\b|\b(holidays|summer|half term|weekends?)\b.{0,40}\b(stops|closed|nothing on|worst|shut)",
     "We heard this from a lot of young people. From next term there will be sessions on "
     "Saturdays and in the school holidays; the dates go on the website each half term.", None),
    ("being told", r"\b(nobody|no one|never) (told|explained)|\b(wasn'?t|weren'?t|not) told\b|\bdidn'?t explain",
     "We are sorry nobody explained what was happening. Every family now gets a named contact "
     "and a short letter after each appointment saying what happens next.",
     "Tom Reilly, service lead"),
]
PER_PROVIDER = len(REPLIES)


def _items(model, service_ids):
    return db.session.execute(
        select(model).where(model.service_id.in_(service_ids), model.is_published)
        .order_by(model.created_at.desc(), model.id)).scalars().all()


def add_replies(users: dict) -> int:
    """Providers' replies on their own services' published items; returns how many."""
    count = 0
    for key in ("provider", "provider_2"):
        user = users.get(key)
        if user is None or user.organisation_id is None:
            continue
        services = [s.id for s in db.session.execute(
            select(Service).where(Service.provider_id == user.organisation_id)).scalars()]
        if not services:
            continue
        items = _items(ActionCard, services) + _items(FeedbackEntry, services)
        used: set[int] = set()
        made = []
        for _, words, body, name in REPLIES:
            pattern = re.compile(words, re.IGNORECASE)
            for item in items:
                text = getattr(item, "text_redacted", None) or " ".join(
                    t for t in (getattr(item, "went_well_redacted", None),
                                getattr(item, "could_be_better_redacted", None)) if t)
                if id(item) in used or not text or not pattern.search(text):
                    continue
                used.add(id(item))
                now = clock.now()
                when = min(max(item.created_at, now - timedelta(days=60)) + timedelta(days=3),
                           now - timedelta(hours=6))
                reply = ProviderReply(provider_id=user.organisation_id, author_id=user.id,
                                      body=body, body_redacted=body, signed_name=name,
                                      moderation_state="approved", created_at=when,
                                      moderated_at=when + timedelta(hours=4))
                if isinstance(item, ActionCard):
                    reply.card = item
                else:
                    reply.feedback_entry = item
                made.append(reply)
                break
        if made:  # the newest waits for a moderator
            newest = max(made, key=lambda r: r.created_at)
            newest.moderation_state, newest.moderated_at = "pending", None
        db.session.add_all(made)
        count += len(made)
    return count
