"""Use cases for administrators managing staff accounts. Each owns its commit.

Guards against locking everyone out: an administrator cannot deactivate
themselves or take away their own admin role.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _

from .. import audit
from ..errors import FieldError
from ..auth import invitations, two_factor
from ..auth.services import PasswordPolicyError, check_password_policy, hash_password
from ..extensions import db
from ..models import Organisation, User
from ..permissions import ROLES


def user_by_id(user_id: int) -> User | None:
    """One member of staff by id (None when there is no such account)."""
    return db.session.get(User, user_id)


class UserChangeRefused(FieldError):
    """The change cannot be made; ``field`` names the form field to blame."""


@dataclass(frozen=True)
class UserDetails:
    name: str
    email: str
    organisation_id: int | None
    roles: tuple[str, ...]
    active: bool


def list_staff() -> list[User]:
    return list(db.session.execute(db.select(User).order_by(User.active.desc(), User.name))
                .scalars())


def organisations() -> list[Organisation]:
    return list(db.session.execute(db.select(Organisation).order_by(Organisation.name)).scalars())


def _check(details: UserDetails, user_id: int | None) -> str:
    email = details.email.strip().lower()
    clash = db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one_or_none()
    if clash is not None and clash != user_id:
        raise UserChangeRefused(_("There is already an account with this email address"), "email")
    unknown = set(details.roles) - set(ROLES)
    if unknown or not details.roles:
        raise UserChangeRefused(_("Select at least one role"), "roles")
    if details.organisation_id is not None and \
            db.session.get(Organisation, details.organisation_id) is None:
        raise UserChangeRefused(_("Select an organisation from the list"), "organisation")
    return email


def organisation_id_named(name: str) -> int | None:
    """The id of the organisation called ``name`` (exactly), or None."""
    return db.session.execute(db.select(Organisation.id).filter_by(name=name)).scalar_one_or_none()


def create_user(details: UserDetails, actor: User | None,
                password: str) -> tuple[User, str]:
    """Create an account with a password chosen by the person (``flask create-user``, which
    asked for it twice, ``actor`` None: the first administrator). It must meet the password
    policy. Everyone else is invited (``invite_user``). Raises ``UserChangeRefused`` naming
    the field."""
    email = _check(details, None)
    try:
        check_password_policy(password, email)
    except PasswordPolicyError as exc:
        raise UserChangeRefused(str(exc), "password") from exc
    user = User(email=email, name=details.name.strip(), password_hash=hash_password(password),
                organisation_id=details.organisation_id, active=details.active,
                must_change_password=False)
    user.set_roles(details.roles)
    db.session.add(user)
    db.session.flush()
    via = {"via": "command line"} if actor is None else {}
    audit.record("admin.user_created", actor, user, roles=sorted(details.roles), **via)
    db.session.commit()
    return user, password


def invite_user(details: UserDetails, actor: User, config) -> tuple[User, str]:
    """Create an account that has no usable password yet and email the person a single-use
    link to choose one (``auth.invitations``). No password is ever shown or sent. Returns
    the account and the delivery result (SENT, LOGGED or FAILED)."""
    email = _check(details, None)
    # A random password nobody knows, only so the column is never empty: the person
    # chooses theirs through the link.
    user = User(email=email, name=details.name.strip(),
                password_hash=hash_password(secrets.token_urlsafe(32)),
                organisation_id=details.organisation_id, active=details.active,
                must_change_password=False)
    user.set_roles(details.roles)
    db.session.add(user)
    db.session.flush()
    audit.record("admin.user_created", actor, user, roles=sorted(details.roles),
                 via="invitation")
    db.session.commit()
    return user, invitations.issue(user, actor, config)


def reinvite_user(user: User, actor: User, config) -> str:
    """A new invitation link for ``user``; any earlier one stops working."""
    return invitations.issue(user, actor, config)


def pending_invitation(user: User):
    return invitations.pending_invitation(user.id)


def update_user(user: User, details: UserDetails, actor: User) -> None:
    """Change an account. Deactivating or changing roles ends the person's sessions."""
    email = _check(details, user.id)
    if user.id == actor.id and not details.active:
        raise UserChangeRefused(_("You cannot deactivate your own account"), "active")
    if user.id == actor.id and "admin" not in details.roles:
        raise UserChangeRefused(_("You cannot remove your own administrator role"), "roles")
    before = {"roles": sorted(user.roles), "active": bool(user.active),
              "organisation_id": user.organisation_id}
    # Which personal details changed, not their values (the audit log is kept for years).
    renamed = {"name_changed": True} if user.name != details.name.strip() else {}
    if user.email != email:
        renamed["email_changed"] = True
    user.name = details.name.strip()
    user.email = email
    user.organisation_id = details.organisation_id
    user.set_roles(details.roles)
    user.active = details.active
    after = {"roles": sorted(details.roles), "active": details.active,
             "organisation_id": details.organisation_id}
    if (before["roles"] != after["roles"] or before["active"] != after["active"]) \
            and user.id != actor.id:
        user.rotate_session_token()  # takes effect now, not at their next sign-in
    changed = {k: after[k] for k in after if after[k] != before[k]}
    action = "admin.user_deactivated" if before["active"] and not details.active \
        else "admin.user_updated"
    audit.record(action, actor, user, **changed, **renamed)
    db.session.commit()


def reset_two_factor(user: User, actor: User) -> None:
    """For a lost phone: turn two-factor off; a required role re-enrols at next sign-in."""
    two_factor.disable(user, actor, reason="reset by an administrator")
    user.rotate_session_token()
    db.session.commit()
