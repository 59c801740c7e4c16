"""The one way to write the audit log.

``record`` adds an event to the current unit of work and flushes; the service
that owns the use case commits it together with the change it describes.
``record_now`` commits at once, for events with no other change (a page view,
an access denied, a failed sign-in).
"""
from __future__ import annotations

from .extensions import db
from .models import AuditEvent


def record(action: str, actor=None, obj=None, *, object_type: str | None = None,
           object_id: int | None = None, **detail) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor_ok else None,
        actor_email=actor.email if actor_ok else detail.pop("email", None),
        object_type=object_type,
        object_id=object_id,
        detail=detail or None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def record_now(action: str, actor=None, obj=None, **kwargs) -> AuditEvent:
    event = record(action, actor, obj, **kwargs)
    db.session.commit()
    return event
