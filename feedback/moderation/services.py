"""Moderation and safeguarding use cases, generic over both kinds of item.

A ``kind`` is "card" (ActionCard) or "feedback" (FeedbackEntry). Every staff
view of an item is audited (who viewed it, when); every decision is audited
with the change it describes, in one commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select

from .. import audit, redaction
from ..extensions import db
from ..models import ActionCard, FeedbackEntry
from ..models.base import utcnow
from ..models.submissions import SAFEGUARDING_OUTCOMES
from ..permissions import can_moderate, can_read_original_text, can_view_safeguarding

KINDS = {"card": ActionCard, "feedback": FeedbackEntry}
# (label, original field, redacted field) for each kind.
TEXT_FIELDS = {
    "card": (("What they wrote", "text", "text_redacted"),),
    "feedback": (("What went well", "went_well", "went_well_redacted"),
                 ("What could be better", "could_be_better", "could_be_better_redacted")),
}


class ModerationError(ValueError):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


class NotAllowed(Exception):
    """The acting user may not do this (the route turns it into a 403)."""


@dataclass(frozen=True)
class QueueItem:
    kind: str
    item: object

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item.id}"


def kind_of(item) -> str:
    return "card" if isinstance(item, ActionCard) else "feedback"


def load(kind: str, item_id: int):
    model = KINDS.get(kind)
    return db.session.get(model, item_id) if model else None


def _merged(stmts) -> list[QueueItem]:
    items = []
    for kind, stmt in stmts:
        items.extend(QueueItem(kind, row) for row in db.session.execute(stmt).scalars())
    return items


def moderation_queue(actor, limit: int = 200) -> tuple[list[QueueItem], int]:
    """Pending, unflagged items, oldest first; plus how many flagged items are
    held for the safeguarding lead (never published)."""
    if not can_moderate(actor):
        raise NotAllowed
    stmts = [(kind, select(model).where(model.moderation_state == "pending",
                                        model.safeguarding_flagged.is_(False))
              .order_by(model.created_at).limit(limit)) for kind, model in KINDS.items()]
    items = sorted(_merged(stmts), key=lambda q: q.item.created_at)[:limit]
    held = sum(db.session.execute(select(db.func.count()).select_from(model).where(
        model.safeguarding_flagged.is_(True), model.safeguarding_outcome.is_(None))).scalar_one()
        for model in KINDS.values())
    return items, held


def safeguarding_queue(actor, limit: int = 200) -> list[QueueItem]:
    """Flagged items: those nobody has decided on first (oldest first), then
    decided ones (newest first)."""
    if not can_view_safeguarding(actor):
        raise NotAllowed
    stmts = [(kind, select(model).where(model.safeguarding_flagged.is_(True)).order_by(
        case((model.safeguarding_outcome.is_(None), 0), else_=1), model.created_at.desc())
        .limit(limit)) for kind, model in KINDS.items()]
    items = _merged(stmts)
    open_items = sorted((q for q in items if q.item.safeguarding_outcome is None),
                        key=lambda q: q.item.created_at)
    decided = sorted((q for q in items if q.item.safeguarding_outcome is not None),
                     key=lambda q: q.item.safeguarding_reviewed_at or q.item.created_at,
                     reverse=True)
    return (open_items + decided)[:limit]


def view_item(kind: str, item_id: int, actor, purpose: str):
    """Load an item for a moderator or safeguarding lead and audit the view."""
    if not can_read_original_text(actor):
        raise NotAllowed
    if purpose == "safeguarding" and not can_view_safeguarding(actor):
        raise NotAllowed
    if purpose == "moderation" and not can_moderate(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        return None
    audit.record(f"{item.__tablename__}.viewed", actor, item, purpose=purpose)
    db.session.commit()
    return item


def _moderation_target(kind: str, item_id: int, actor):
    if not can_moderate(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        raise LookupError(kind)
    return item


def approve(kind: str, item_id: int, actor):
    """Approve for publishing. A flagged item stays unpublished (``is_published``)."""
    item = _moderation_target(kind, item_id, actor)
    for _, original, redacted in TEXT_FIELDS[kind]:
        if getattr(item, redacted) is None:
            setattr(item, redacted, redaction.redact(getattr(item, original) or ""))
    item.moderation_state, item.moderation_reason = "approved", None
    item.moderated_at, item.moderated_by_id = utcnow(), actor.id
    audit.record("moderation.approved", actor, item)
    db.session.commit()
    return item


def reject(kind: str, item_id: int, actor, reason: str):
    item = _moderation_target(kind, item_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Enter why you are rejecting it", "reason")
    item.moderation_state, item.moderation_reason = "rejected", reason
    item.moderated_at, item.moderated_by_id = utcnow(), actor.id
    audit.record("moderation.rejected", actor, item)
    db.session.commit()
    return item


def save_redaction(kind: str, item_id: int, actor, texts: dict[str, str]):
    """Replace the redacted text(s): ``texts`` maps a redacted field name to its new value."""
    item = _moderation_target(kind, item_id, actor)
    changed = []
    for _, _original, redacted in TEXT_FIELDS[kind]:
        if redacted in texts:
            value = (texts[redacted] or "").replace("\r\n", "\n")
            if len(value) > 5000:
                raise ModerationError("The redacted text must be 5,000 characters or fewer", redacted)
            if value != getattr(item, redacted):
                setattr(item, redacted, value)
                changed.append(redacted)
    audit.record("moderation.redaction_edited", actor, item, fields=changed)
    db.session.commit()
    return item


def record_safeguarding(kind: str, item_id: int, actor, outcome: str, note: str):
    """The lead's decision: referred / no concern / other, with a note. The
    item stays flagged (never published) whatever the outcome."""
    if not can_view_safeguarding(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        raise LookupError(kind)
    if outcome not in SAFEGUARDING_OUTCOMES:
        raise ModerationError("Select what was done", "outcome")
    note = (note or "").strip()
    if not note:
        raise ModerationError("Enter a note about what was done", "note")
    item.safeguarding_outcome, item.safeguarding_note = outcome, note
    item.safeguarding_reviewed_at, item.safeguarding_reviewed_by_id = utcnow(), actor.id
    audit.record("safeguarding.recorded", actor, item, outcome=outcome)
    db.session.commit()
    return item
