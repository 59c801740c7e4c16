"""The one way to change the answer status of a card or feedback entry.

``change_status(item, to_status, actor, reason=None, response=None)`` checks
the move against ``STATUS_MOVES``, requires a reason for "not possible",
appends a ``StatusChange`` (and a ``Response`` when ``response`` is given),
audits, and commits; then a young person who left an email address hears of it
(``notify.tell_young_person``). The commissioner's answering screens reuse it.
"""
from __future__ import annotations

from .. import audit
from ..errors import FieldError
from ..extensions import db
from ..models import ActionCard, FeedbackEntry, Response, StatusChange
from ..models.base import utcnow
from ..models.submissions import STATUS_MOVES, STATUSES


class StatusError(FieldError):
    """A move that is not allowed; ``field`` says which input is wrong."""

    def __init__(self, message: str, field: str = "to_status"):
        super().__init__(message, field)


def _subject(item) -> dict:
    if isinstance(item, ActionCard):
        return {"card_id": item.id}
    if isinstance(item, FeedbackEntry):
        return {"feedback_entry_id": item.id}
    raise TypeError("status changes apply to action cards and feedback entries")


def change_status(item, to_status: str, actor, reason: str | None = None,
                  response: str | None = None, review_action_id: int | None = None):
    """Move ``item`` to ``to_status``; raises ``StatusError`` when not allowed."""
    if to_status not in STATUSES:
        raise StatusError("Select a status")
    if to_status not in STATUS_MOVES.get(item.status, set()):
        raise StatusError(f"A card that is {STATUSES[item.status].lower()} cannot move to "
                          f"{STATUSES[to_status].lower()}")
    reason = (reason or "").strip() or None
    if to_status == "not_possible" and not reason:
        raise StatusError("Enter why this is not possible", field="reason")
    subject = _subject(item)
    change = StatusChange(from_status=item.status, to_status=to_status, reason=reason,
                          changed_by_id=getattr(actor, "id", None), **subject)
    db.session.add(change)
    from_status = item.status
    item.status = to_status
    item.status_reason = reason
    item.status_changed_at = utcnow()
    if response and response.strip():
        db.session.add(Response(body=response.strip(), author_id=getattr(actor, "id", None),
                                review_action_id=review_action_id, **subject))
    audit.record("status.changed", actor, item, from_status=from_status, to_status=to_status)
    db.session.commit()
    from .notify import tell_young_person
    tell_young_person(item, "answered" if response and response.strip() else "status")
    return change
