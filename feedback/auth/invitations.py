"""Staff invitations: a single-use link, sent by email, to choose a password.

``issue(user, actor, config)`` revokes any earlier link of the person, stores the hash of a
new random token, emails the link (``messages.send``) and audits; it returns the delivery
result (SENT, LOGGED or FAILED). ``check(token)`` says whether a link can be used
(``LinkState``); ``accept(token, password)`` applies the password rules, stores the
password, uses up the link and audits. Nothing here reads the request.

The token is never stored and never logged: only its SHA-256 hash is kept, so a copy of the
database cannot be used to take over an invited account.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Mapping

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from .. import audit, clock, messages
from ..extensions import db
from ..i18n import N_
from ..models import Invitation, User
from .services import PasswordPolicyError, check_password_policy, set_password

# What a link that cannot be used says, by reason.
# Marked here, translated where shown (``gettext(UNUSABLE[problem])``).
UNUSABLE = {
    "unknown": N_("This link is not recognised. Check you used the whole link from the email."),
    "used": N_("This link has already been used to set a password. Sign in with that password."),
    "expired": N_("This link has expired."),
    "revoked": N_("A newer invitation was sent to you, so this link no longer works. "
                  "Use the link in the newest email."),
    "inactive": N_("This account cannot be used. Ask your administrator."),
}


class InvitationRefused(ValueError):
    """The password cannot be set: the message says why, in plain English."""


@dataclass(frozen=True)
class LinkState:
    invitation: Invitation | None
    problem: str | None = None  # a key of UNUSABLE, or None when the link can be used

    @property
    def usable(self) -> bool:
        return self.problem is None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _message(user: User, url: str, hours: int, config: Mapping) -> messages.Message:
    service = config.get("SERVICE_NAME") or "Your Voice"
    body = "\n\n".join((
        _("Hello %(name)s,", name=user.name),
        _("You have been given an account on %(service)s.", service=service),
        _("Choose your password here:\n%(link)s", link=url),
        ngettext("This link works once and for %(hours)s hour. After choosing your password "
                 "you will be asked to set up two-factor sign-in if your role needs it.",
                 "This link works once and for %(hours)s hours. After choosing your password "
                 "you will be asked to set up two-factor sign-in if your role needs it.",
                 hours, hours=hours),
        _("If you were not expecting this email, you can ignore it: nothing happens "
          "unless the link is used."))) + "\n"
    return messages.Message(to=(user.email,), subject=_("Your account on %(service)s",
                                                         service=service), body=body,
                            kind="staff_invitation",
                            personalisation={"name": user.name, "link": url,
                                             "hours": str(hours), "service": service})


def issue(user: User, actor, config: Mapping) -> str:
    """A new invitation link for ``user`` (earlier ones revoked), emailed; commits."""
    now = clock.now()
    for old in db.session.execute(select(Invitation).where(
            Invitation.user_id == user.id, Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None))).scalars():
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    hours = int(config.get("INVITATION_HOURS") or 72)
    invitation = Invitation(user_id=user.id, token_hash=token_hash(token),
                            invited_by_id=getattr(actor, "id", None), created_at=now,
                            expires_at=now + timedelta(hours=hours))
    db.session.add(invitation)
    db.session.flush()
    url = messages.link(f"/invitation/{token}", config)
    result = messages.send(_message(user, url, hours, config), config)
    audit.record("admin.user_invited", actor, user, invitation_id=invitation.id,
                 expires_hours=hours, delivery=result)
    db.session.commit()
    return result


def check(token: str) -> LinkState:
    """Whether the link with ``token`` can be used now."""
    if not token or len(token) > 100:
        return LinkState(None, "unknown")
    invitation = db.session.execute(select(Invitation).where(
        Invitation.token_hash == token_hash(token))).scalar_one_or_none()
    if invitation is None:
        return LinkState(None, "unknown")
    if invitation.used_at is not None:
        return LinkState(invitation, "used")
    if invitation.revoked_at is not None:
        return LinkState(invitation, "revoked")
    if clock.now() >= invitation.expires_at:
        return LinkState(invitation, "expired")
    if not invitation.user.active:
        return LinkState(invitation, "inactive")
    return LinkState(invitation)


def accept(token: str, password: str) -> User:
    """Set the invited person's password and use up the link; commits. Raises
    ``InvitationRefused`` (the link or the password) without changing anything."""
    state = check(token)
    if not state.usable:
        raise InvitationRefused(_(UNUSABLE[state.problem]))
    invitation = state.invitation
    user = invitation.user
    try:
        check_password_policy(password, user.email)
    except PasswordPolicyError as exc:
        raise InvitationRefused(str(exc)) from exc
    set_password(user, password)
    invitation.used_at = clock.now()
    audit.record("auth.invitation_accepted", user, user, invitation_id=invitation.id)
    db.session.commit()
    return user


def pending_invitation(user_id: int) -> Invitation | None:
    """The person's newest invitation that is neither used nor revoked (it may have expired)."""
    return db.session.execute(select(Invitation).where(
        Invitation.user_id == user_id, Invitation.used_at.is_(None),
        Invitation.revoked_at.is_(None)).order_by(Invitation.id.desc()).limit(1)
    ).scalar_one_or_none()
