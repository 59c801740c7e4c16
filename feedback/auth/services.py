"""Sign-in rules: password policy, hashing, authentication, delays, sign-out.

Functions take plain arguments and own their commits; none reads the request.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit, clock
from ..extensions import db
from ..i18n import N_
from ..models import User
from . import throttle

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
GENERIC_FAILURE = N_("Enter a correct email address and password")
# A hash to compare against whenever no real one is checked (unknown email, a
# pair still waiting), made like real ones, so every reply costs one hash check
# and timing does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000", method="scrypt")


class PasswordPolicyError(ValueError):
    """The password breaks the policy; the message says how, in plain English."""


def check_password_policy(password: str, email: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            _("Password must be %(least)s characters or more", least=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            _("Password must be %(most)s characters or fewer", most=MAX_PASSWORD_LENGTH))
    if email and email.split("@")[0].lower() in password.lower():
        raise PasswordPolicyError(_("Password must not contain your email address"))
    from .common_passwords import is_common
    if is_common(password):
        raise PasswordPolicyError(_("Password is too common. Choose a less predictable one"))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def set_password(user: User, password: str) -> None:
    """Apply the policy, store the hash and end the user's other sessions."""
    check_password_policy(password, user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.rotate_session_token()


@dataclass(frozen=True)
class SignInResult:
    """``user`` is set when the credentials were right. ``second_factor`` means
    the password was right but a code is still needed: the user is NOT signed in."""
    user: User | None
    error: str | None = None
    second_factor: bool = False


def authenticate(email: str, password: str, client: str | None = None) -> SignInResult:
    """Check credentials; record success or failure in the audit log; commit.

    ``client`` is the client's address (only its keyed hash with the email is
    stored, see ``throttle``). Every path checks exactly one password hash.
    """
    email = (email or "").strip().lower()
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    now = clock.now()
    pair = throttle.pair_key(current_app.secret_key, email, client)
    left = throttle.wait_left(pair, now)
    if left:
        check_password_hash(_DUMMY_HASH, password)
        audit.record("auth.login_failed", None, user, object_type="user", email=email[:254],
                     reason="waiting")
        db.session.commit()
        return SignInResult(None, throttle.wait_message(left))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return _failed(None, pair, now, email=email[:254], reason="unknown email")
    right = check_password_hash(user.password_hash, password)
    if not user.active or not right:
        return _failed(user, pair, now, email=user.email,
                       reason="inactive" if not user.active else "bad password")
    if user.totp_enabled:
        # Failures so far stay counted: a code guessed wrong still adds to the delay.
        audit.record("auth.password_accepted", None, user, email=user.email)
        db.session.commit()
        return SignInResult(user, second_factor=True)
    return _signed_in(user, pair, now, method="password")


def _failed(user: User | None, pair: str, now: datetime, message: str | None = None,
            action: str = "auth.login_failed", **detail) -> SignInResult:
    if user is not None:
        user.failed_logins = (user.failed_logins or 0) + 1
    throttle.record_failure(pair, now)
    audit.record(action, None, user, object_type="user", **detail)
    try:
        db.session.commit()
    except IntegrityError:  # the same pair failed at the same moment elsewhere: counted there
        db.session.rollback()
    return SignInResult(None, message or _(GENERIC_FAILURE))


def _signed_in(user: User, pair: str, now: datetime, method: str) -> SignInResult:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    throttle.clear(pair)
    audit.record("auth.login", user, user, method=method)
    db.session.commit()
    return SignInResult(user)


def complete_second_factor(user_id: int, session_token: str, code: str,
                           client: str | None = None) -> SignInResult:
    """The second step of sign-in: a TOTP code or a recovery code.

    ``session_token`` must still be the user's current one (set when the password
    was accepted), so a sign-out or password change elsewhere voids the pending
    step. Wrong codes count towards the same delays as wrong passwords. Commits.
    """
    from . import two_factor

    user = db.session.get(User, user_id)
    now = clock.now()
    if user is None or not user.active or user.session_token != session_token \
            or not user.totp_enabled:
        return SignInResult(None, "Sign in again")
    pair = throttle.pair_key(current_app.secret_key, user.email, client)
    left = throttle.wait_left(pair, now)
    if left:
        return SignInResult(None, throttle.wait_message(left))
    if two_factor.verify_code(user, code):
        return _signed_in(user, pair, now, method="totp")
    if two_factor.use_recovery_code(user, code):
        return _signed_in(user, pair, now, method="recovery_code")
    return _failed(user, pair, now, _("Enter a correct security code"),
                   action="auth.second_factor_failed", email=user.email)


def change_password(user: User, current_password: str, new_password: str) -> str | None:
    """Change ``user``'s password after checking the current one.

    Returns None on success, or a message for the field that is wrong (prefixed
    "current:" or "new:"). Success rotates the session token, which ends every
    other session; the caller signs the current browser in again. Commits.
    """
    if not check_password_hash(user.password_hash, current_password or ""):
        audit.record("account.password_change_failed", user, user)
        db.session.commit()
        return "current:" + _("Enter your current password correctly")
    if current_password == new_password:
        return "new:" + _("New password must be different from your current password")
    try:
        set_password(user, new_password)
    except PasswordPolicyError as exc:
        return f"new:{exc}"
    audit.record("account.password_changed", user, user)
    db.session.commit()
    return None


def end_idle_cookie(user: User) -> None:
    """Audit a cookie refused for idle time. Its session token is left alone: a
    stale cookie replayed must not sign the person out of the session they are using."""
    audit.record("auth.logout", user, user, reason="idle")
    db.session.commit()


def end_session(user: User, reason: str = "logout") -> None:
    """Make every cookie issued for ``user`` worthless, and audit it."""
    user.rotate_session_token()
    audit.record("auth.logout", user, user, reason=reason)
    db.session.commit()
