"""Moderation of providers' replies, and the safeguarding lead's decision on a held one.

A reply waits for a moderator unless the screen flagged it: then it is held for the
safeguarding lead, who releases it to moderation or keeps it private. A moderator
approves (with the redacted words they saw, which are what is published) or rejects with
a reason. Every view and decision is audited with who made it.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..errors import NotAllowed
from ..extensions import db
from ..i18n import N_
from ..models import ProviderReply
from ..models.base import utcnow
from ..models.replies import MAX_REPLY
from ..permissions import can_moderate, can_view_safeguarding
from .services import ModerationError

LEAD_DECISIONS = {"release": N_("Release to moderation"), "private": N_("Keep private")}


def _pending():
    return select(ProviderReply).where(ProviderReply.moderation_state == "pending",
                                       ProviderReply.safeguarding_flagged.is_(False))


def _held():
    return select(ProviderReply).where(ProviderReply.safeguarding_flagged.is_(True),
                                       ProviderReply.safeguarding_outcome.is_(None))


def reply_queue(actor) -> tuple[list[ProviderReply], int]:
    """Replies waiting for moderation, oldest first, and how many are held for the lead."""
    if not can_moderate(actor):
        raise NotAllowed()
    replies = list(db.session.execute(_pending().order_by(ProviderReply.created_at,
                                                          ProviderReply.id)).scalars())
    held = db.session.execute(select(func.count()).select_from(_held().subquery())).scalar_one()
    return replies, held


def pending_count() -> int:
    return db.session.execute(select(func.count()).select_from(_pending().subquery())).scalar_one()


def view_reply(reply_id: int, actor) -> ProviderReply:
    """A reply waiting for moderation, for a moderator (audited); ``LookupError`` otherwise."""
    if not can_moderate(actor):
        raise NotAllowed()
    reply = db.session.get(ProviderReply, reply_id)
    if reply is None or reply.moderation_state != "pending" or reply.safeguarding_flagged:
        raise LookupError(reply_id)
    audit.record("provider_reply.viewed", actor, reply, purpose="moderation")
    db.session.commit()
    return reply


def approve_reply(reply_id: int, actor, body_redacted: str) -> ProviderReply:
    """Publish the reply with ``body_redacted`` (the redacted words the moderator saw)."""
    reply = _target(reply_id, actor)
    words = (body_redacted or "").replace("\r\n", "\n").strip()
    if not words:
        raise ModerationError(_("There is nothing to publish: enter the redacted reply, or "
                                "reject it"), "body_redacted")
    if len(words) > MAX_REPLY:
        raise ModerationError(_("The redacted reply must be %(most)s characters or fewer",
                                most=format(MAX_REPLY, ",")),
                              "body_redacted")
    edited = words != reply.body_redacted
    reply.body_redacted = words
    reply.moderation_state, reply.moderation_reason = "approved", None
    reply.moderated_at, reply.moderated_by_id = utcnow(), actor.id
    audit.record("provider_reply.approved", actor, reply, redaction_edited=edited)
    db.session.commit()
    return reply


def reject_reply(reply_id: int, actor, reason: str) -> ProviderReply:
    reply = _target(reply_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Enter why you are rejecting it"), "reason")
    reply.moderation_state, reply.moderation_reason = "rejected", reason[:2000]
    reply.moderated_at, reply.moderated_by_id = utcnow(), actor.id
    audit.record("provider_reply.rejected", actor, reply)
    db.session.commit()
    return reply


def _target(reply_id: int, actor) -> ProviderReply:
    if not can_moderate(actor):
        raise NotAllowed()
    reply = db.session.get(ProviderReply, reply_id)
    if reply is None or reply.moderation_state != "pending" or reply.safeguarding_flagged:
        raise LookupError(reply_id)
    return reply


def held_replies(actor) -> list[ProviderReply]:
    """Flagged replies the safeguarding lead has not decided on, oldest first."""
    if not can_view_safeguarding(actor):
        raise NotAllowed()
    replies = list(db.session.execute(_held().order_by(ProviderReply.created_at,
                                                       ProviderReply.id)).scalars())
    for reply in replies:
        audit.record("provider_reply.viewed", actor, reply, purpose="safeguarding")
    db.session.commit()
    return replies


def decide_held_reply(reply_id: int, actor, decision: str) -> ProviderReply:
    """``release``: no longer flagged, it waits for moderation; ``private``: never published."""
    if not can_view_safeguarding(actor):
        raise NotAllowed()
    reply = db.session.get(ProviderReply, reply_id)
    if reply is None or not reply.safeguarding_flagged or reply.safeguarding_outcome is not None:
        raise LookupError(reply_id)
    if decision not in LEAD_DECISIONS:
        raise ModerationError(_("Choose whether to release the reply to moderation or keep "
                                "it private"), "decision")
    reply.safeguarding_outcome = "released" if decision == "release" else "private"
    reply.safeguarding_reviewed_at, reply.safeguarding_reviewed_by_id = utcnow(), actor.id
    if decision == "release":
        reply.safeguarding_flagged = False
    audit.record("provider_reply.safeguarding_decided", actor, reply, decision=decision)
    db.session.commit()
    return reply
