"""API tokens: create (shown once), list, revoke, and check a bearer token.

A token reads ``yv_<prefix>_<secret>``: the prefix (8 hex characters) finds the
row, the secret is 32 random bytes, and only the SHA-256 of the whole token is
stored. Every token is read-only (scope ``read``). A use is audited at most
once a minute per token (``api.used``), when ``last_used_at`` is moved on, so a
busy system costs one write a minute, not one a request.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from .. import audit, clock
from ..errors import FieldError, NotAllowed
from ..extensions import db
from ..models import ApiToken
from ..permissions import can_administer

USE_AUDIT_EVERY = timedelta(minutes=1)
NAME_MAX = 100
_TOKEN = re.compile(r"yv_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")


class TokenRefused(FieldError):
    """A token cannot be created with this name."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _guard(actor) -> None:
    if not can_administer(actor):
        raise NotAllowed()


@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    token: str  # the only time the whole token exists outside the caller's system


def list_tokens(actor) -> list[ApiToken]:
    """Every token, live ones first, newest first."""
    _guard(actor)
    return list(db.session.execute(select(ApiToken).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()))
        .scalars())


def create_token(name: str, actor) -> NewToken:
    """A new read-only token for the system called ``name``; audited."""
    _guard(actor)
    name = " ".join((name or "").split())
    if not name:
        raise TokenRefused(_("Enter the name of the system that will use the token"), "name")
    if len(name) > NAME_MAX:
        raise TokenRefused(_("The name must be %(max)s characters or fewer", max=NAME_MAX),
                           "name")
    while True:
        prefix = secrets.token_hex(4)
        if db.session.execute(select(ApiToken.id).filter_by(prefix=prefix)).first() is None:
            break
    token = f"yv_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(name=name, prefix=prefix, token_hash=_digest(token), scope="read",
                   created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("api.token_created", actor, row, name=name, prefix=prefix, scope="read")
    db.session.commit()
    return NewToken(row, token)


def revoke_token(token_id: int, actor) -> ApiToken | None:
    """Revoke a token (None when there is no such token); revoking twice changes nothing."""
    _guard(actor)
    row = db.session.get(ApiToken, token_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        row.revoked_by_id = actor.id
        audit.record("api.token_revoked", actor, row, name=row.name, prefix=row.prefix)
        db.session.commit()
    return row


def limit_key(header: str | None) -> str | None:
    """What rate limits count a request by: a fingerprint of its bearer token (None
    without one that looks like a token)."""
    token = _bearer(header) or ""
    return _digest(token)[:32] if _TOKEN.fullmatch(token) else None


def _bearer(header: str | None) -> str | None:
    scheme, _, value = (header or "").strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authenticate(header: str | None, path: str) -> ApiToken | None:
    """The live token named by ``Authorization: Bearer <token>``, or None.

    Notes the use (``last_used_at`` and an ``api.used`` audit row) at most once a
    minute per token; the conditional update makes that hold across workers."""
    token = _bearer(header)
    match = _TOKEN.fullmatch(token or "")
    if match is None:
        return None
    row = db.session.execute(select(ApiToken).filter_by(prefix=match.group(1))).scalar_one_or_none()
    if row is None or not hmac.compare_digest(row.token_hash, _digest(token)):
        return None
    if row.revoked_at is not None or row.scope != "read":
        return None
    now = clock.now()
    last = row.last_used_at
    if last is None or now - last >= USE_AUDIT_EVERY:
        moved = db.session.execute(
            update(ApiToken).where(ApiToken.id == row.id, or_(
                ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_AUDIT_EVERY))
            .values(last_used_at=now).execution_options(synchronize_session=False))
        if moved.rowcount == 1:
            audit.record("api.used", None, row, name=row.name, prefix=row.prefix, path=path)
        db.session.commit()
    return row
