"""Subject access export and erasure for staff accounts.

Young people and families have no accounts (their own cards are deleted with
their receipt code); these functions are about members of staff.

- ``export_staff_data(subject, actor)`` returns everything held about a member
  of staff as plain JSON-ready data: profile, roles, organisation, sign-in
  state, two-factor state (never the secret or code hashes), the audit events
  they made or that are about them, and what they authored (answers, moderation
  and safeguarding decisions, status changes, imports) by id and date.
- ``erase_staff_account(subject, actor)`` anonymises the account: name, email,
  password, two-factor secret, roles and organisation go; the row stays so the
  audit trail and authored answers keep their shape, attributed to
  "former member of staff".

Both audit themselves and commit.
"""
from __future__ import annotations

import json
import secrets

from sqlalchemy import or_

from .. import audit, clock
from ..extensions import db
from ..models import (ActionCard, AuditEvent, FeedbackEntry, ImportBatch, Invitation, Response,
                      StatusChange, User)

FORMER_STAFF_NAME = "Former member of staff"
ERASED_DOMAIN = "erased.invalid"


class ErasureRefused(ValueError):
    """The account cannot be erased (the message says why)."""


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _event(e: AuditEvent) -> dict:
    return {"id": e.id, "at": _iso(e.at), "action": e.action, "object_type": e.object_type,
            "object_id": e.object_id, "detail": e.detail}


def export_staff_data(subject: User, actor: User) -> dict:
    """Everything held about ``subject``, as plain data. Audited; commits."""
    events = db.session.execute(
        db.select(AuditEvent).where(or_(
            AuditEvent.actor_id == subject.id,
            (AuditEvent.object_type == "user") & (AuditEvent.object_id == subject.id)))
        .order_by(AuditEvent.at, AuditEvent.id)).scalars().all()
    made = [_event(e) for e in events if e.actor_id == subject.id]
    about = [_event(e) for e in events if e.actor_id != subject.id]

    def ids(query) -> list[dict]:
        return [{"id": row[0], "at": _iso(row[1])} for row in db.session.execute(query)]

    authored = {
        "answers": ids(db.select(Response.id, Response.created_at)
                       .where(Response.author_id == subject.id)),
        "status_changes": ids(db.select(StatusChange.id, StatusChange.changed_at)
                              .where(StatusChange.changed_by_id == subject.id)),
        "cards_moderated": ids(db.select(ActionCard.id, ActionCard.moderated_at)
                               .where(ActionCard.moderated_by_id == subject.id)),
        "feedback_moderated": ids(db.select(FeedbackEntry.id, FeedbackEntry.moderated_at)
                                  .where(FeedbackEntry.moderated_by_id == subject.id)),
        "safeguarding_reviews_cards": ids(
            db.select(ActionCard.id, ActionCard.safeguarding_reviewed_at)
            .where(ActionCard.safeguarding_reviewed_by_id == subject.id)),
        "safeguarding_reviews_feedback": ids(
            db.select(FeedbackEntry.id, FeedbackEntry.safeguarding_reviewed_at)
            .where(FeedbackEntry.safeguarding_reviewed_by_id == subject.id)),
        "safeguarding_referrals_cards": ids(
            db.select(ActionCard.id, ActionCard.safeguarding_referred_at)
            .where(ActionCard.safeguarding_referred_by_id == subject.id)),
        "safeguarding_referrals_feedback": ids(
            db.select(FeedbackEntry.id, FeedbackEntry.safeguarding_referred_at)
            .where(FeedbackEntry.safeguarding_referred_by_id == subject.id)),
        "feedback_submitted_for_forum": ids(
            db.select(FeedbackEntry.id, FeedbackEntry.created_at)
            .where(FeedbackEntry.submitted_by_id == subject.id)),
        "imports": ids(db.select(ImportBatch.id, ImportBatch.created_at)
                       .where(ImportBatch.uploaded_by_id == subject.id)),
    }
    data = {
        "exported_at": _iso(clock.now()),
        "profile": {
            "id": subject.id, "name": subject.name, "email": subject.email,
            "organisation": subject.organisation.name if subject.organisation else None,
            "roles": sorted(subject.roles), "active": bool(subject.active),
            "created_at": _iso(subject.created_at), "last_login_at": _iso(subject.last_login_at),
            "failed_sign_ins_since_last_success": subject.failed_logins or 0,
            "locked_until": _iso(subject.locked_until),
        },
        "two_factor": {"enabled": bool(subject.totp_enabled),
                       "recovery_codes_left": len(subject.recovery_codes or [])},
        "daily_digest": {"enabled": bool(subject.digest_enabled),
                         "last_sent_on": subject.digest_sent_on.isoformat()
                         if subject.digest_sent_on else None},
        "not_included": ["password hash", "two-factor secret", "recovery code hashes",
                         "session token", "invitation link hashes"],
        "audit_events_made": made,
        "audit_events_about": about,
        "authored": authored,
    }
    audit.record("privacy.staff_data_exported", actor, subject,
                 self_service=actor.id == subject.id)
    db.session.commit()
    return data


def export_staff_data_json(subject: User, actor: User) -> bytes:
    """``export_staff_data`` as an indented UTF-8 JSON document (audited; commits)."""
    data = export_staff_data(subject, actor)
    return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def erase_staff_account(subject: User, actor: User) -> None:
    """Anonymise ``subject``; keep the row, the audit trail and authored answers. Commits."""
    if subject.id == actor.id:
        raise ErasureRefused("You cannot erase your own account. Ask another administrator")
    if subject.email.endswith("@" + ERASED_DOMAIN):
        raise ErasureRefused("This account has already been erased")
    old_email = subject.email
    subject.name = FORMER_STAFF_NAME
    subject.email = f"erased-{subject.id}@{ERASED_DOMAIN}"
    # An unusable password: no hash of any password matches a random non-hash.
    subject.password_hash = "erased:" + secrets.token_hex(16)
    subject.active = False
    subject.organisation_id = None
    subject.set_roles(())
    subject.totp_secret = None
    subject.totp_enabled = False
    subject.totp_last_step = None
    subject.recovery_codes = None
    subject.last_login_at = None
    subject.locked_until = None
    subject.failed_logins = 0
    subject.rotate_session_token()
    subject.digest_enabled, subject.digest_sent_on = False, None
    # Invitation links (only their hashes are kept) go: none can be used again.
    db.session.execute(db.delete(Invitation).where(Invitation.user_id == subject.id))
    # The trail keeps every event (the id links to the anonymised row) but no
    # longer names the person: emails in the actor column or the detail go.
    events = db.session.execute(db.select(AuditEvent).where(or_(
        AuditEvent.actor_id == subject.id, AuditEvent.actor_email == old_email,
        (AuditEvent.object_type == "user") & (AuditEvent.object_id == subject.id)))).scalars()
    for event in events:
        if event.actor_email == old_email:
            event.actor_email = None
        if event.detail and any(v == old_email for v in event.detail.values()):
            event.detail = {k: (None if v == old_email else v) for k, v in event.detail.items()}
    audit.record("privacy.staff_account_erased", actor, subject)
    db.session.commit()
