"""Use cases for a member of staff's own account. Each owns its commit."""
from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from .. import audit
from ..errors import FieldError
from ..auth import two_factor
from ..extensions import db
from ..models import User


class TwoFactorError(FieldError):
    """A code or password was wrong; ``field`` names the form field to blame."""


def turn_on_two_factor(user: User, secret: str, code: str) -> list[str]:
    """Enable TOTP for ``user`` if ``code`` matches ``secret``; returns the recovery codes."""
    if user.totp_enabled:
        raise TwoFactorError(_("Two-factor sign-in is already on"), "code")
    codes = two_factor.enable(user, secret, code)
    if codes is None:
        raise TwoFactorError(_("Enter the code shown in your authenticator app now"), "code")
    db.session.commit()
    return codes


def replace_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a fresh TOTP code."""
    if not two_factor.verify_code(user, code):
        db.session.rollback()
        raise TwoFactorError(_("Enter a correct code from your authenticator app"), "code")
    codes = two_factor.new_recovery_codes(user)
    audit.record("account.recovery_codes_replaced", user, user)
    db.session.commit()
    return codes


def turn_off_two_factor(user: User, password: str, code: str, required_roles) -> None:
    """Disable TOTP after the password and a fresh code; refused when the role needs it."""
    if two_factor.required_for(user, required_roles):
        raise TwoFactorError(_("Your role needs two-factor sign-in, so it cannot be turned off"), "code")
    if not check_password_hash(user.password_hash, password or ""):
        raise TwoFactorError(_("Enter your password correctly"), "password")
    if not two_factor.verify_code(user, code):
        db.session.rollback()
        raise TwoFactorError(_("Enter a correct code from your authenticator app"), "code")
    two_factor.disable(user, user, reason="by the user")
    db.session.commit()


def set_digest(user: User, enabled: bool) -> None:
    """The daily digest on or off for ``user`` (``digest.set_enabled``: audited, commits)."""
    from ..digest import set_enabled
    set_enabled(user, enabled)
