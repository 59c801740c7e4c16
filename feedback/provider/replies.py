"""A provider's right of reply: writing one, and the published replies pages show.

A provider replies to a published card or feedback entry about one of its own
organisation's services (anything else is "not found"). The reply goes through the
safeguarding screen and the redaction like any text, then waits for a moderator
(``feedback.moderation.replies``); a reply the screen flags is held for the
safeguarding lead first. Nothing is published before approval (``is_published``).
A reply never changes the item's answer status: that stays the commissioner's.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, redaction, safeguarding
from ..errors import FieldError
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, ProviderReply
from ..models.replies import MAX_REPLY
from .services import organisation_of

KINDS = {"card": ActionCard, "feedback": FeedbackEntry}
SUBJECT_COLUMN = {"card": ProviderReply.card_id, "feedback": ProviderReply.feedback_entry_id}


class ReplyError(FieldError):
    """A reply that cannot be sent as written."""


@dataclass(frozen=True)
class ReplyInput:
    body: str
    sign: bool = False


def reply_target(kind: str, item_id: int, actor):
    """The published item ``actor``'s organisation may reply to; ``LookupError`` when the
    item does not exist, is not published, or is about another organisation's service."""
    organisation = organisation_of(actor)
    model = KINDS.get(kind)
    item = db.session.get(model, item_id) if model else None
    if item is None or not item.is_published or item.service is None \
            or item.service.provider_id != organisation:
        raise LookupError(kind)
    return item


def clean_body(body: str | None) -> str:
    """The reply's words, or ``ReplyError`` saying what to change."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise ReplyError(_("Enter your reply"), "body")
    if len(body) > MAX_REPLY:
        raise ReplyError(_("Your reply must be %(count)s characters or fewer",
                           count=f"{MAX_REPLY:,}"), "body")
    if any(unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t" for char in body):
        raise ReplyError(_("Your reply holds a character that cannot be shown (a control "
                           "character). Type it again rather than pasting it"), "body")
    return body


def submit_reply(kind: str, item_id: int, data: ReplyInput, actor) -> ProviderReply:
    """Screen, redact and store a reply; it waits for moderation (or the safeguarding lead)."""
    item = reply_target(kind, item_id, actor)
    body = clean_body(data.body)
    screening = safeguarding.screen(body)
    reply = ProviderReply(provider_id=actor.organisation_id, author_id=actor.id, body=body,
                          body_redacted=redaction.redact(body),
                          signed_name=(actor.name if data.sign else None),
                          safeguarding_flagged=screening.flagged,
                          safeguarding_categories=list(screening.categories) or None)
    if kind == "card":
        reply.card = item
    else:
        reply.feedback_entry = item
    db.session.add(reply)
    db.session.flush()
    audit.record("provider_reply.sent", actor, reply, subject=f"{kind}-{item.id}",
                 flagged=screening.flagged)
    db.session.commit()
    return reply


def published_replies(kind: str, item_ids) -> dict[int, list[ProviderReply]]:
    """{item id: its published replies, oldest first} for items of one kind, in one query."""
    ids = list(item_ids)
    if not ids:
        return {}
    column = SUBJECT_COLUMN[kind]
    found: dict[int, list[ProviderReply]] = {}
    for reply in db.session.execute(select(ProviderReply).where(
            column.in_(ids), ProviderReply.is_published)
            .order_by(ProviderReply.created_at, ProviderReply.id)).scalars():
        found.setdefault(reply.card_id if kind == "card" else reply.feedback_entry_id,
                         []).append(reply)
    return found
