"""Two-factor sign-in for staff: TOTP (RFC 6238, via pyotp) and recovery codes.

Contracts:

- ``new_secret()`` makes a secret; nothing is stored until ``enable`` is given a
  code that matches it, so a half-finished set-up changes nothing.
- ``verify_code(user, code)`` accepts a code from the current 30-second step or
  the one either side (clock drift), but never a step at or before the last one
  accepted: a code seen over someone's shoulder cannot be replayed.
- Recovery codes: 10, each single use, shown once; only their SHA-256 hashes
  are kept. They are random (60 bits each), so a fast hash is enough.
- Functions that change the user flush; the services in ``services`` and
  ``feedback.account`` own the commit.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

from .. import audit, clock
from ..extensions import db
from ..models import User

ISSUER = "Your Voice, Our Contracts"
RECOVERY_CODE_COUNT = 10
# No 0/O, 1/I/L: codes are read off paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_GROUPS = 3
_GROUP_LENGTH = 4


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The otpauth URI as an SVG QR code in a data: URI (an <img>; no inline script or style)."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#0b0c0c", light="#ffffff")


def required_for(user, required_roles) -> bool:
    """True when ``user`` holds a role that must use two-factor sign-in."""
    return bool(required_roles) and user.has_role(*required_roles)


def needs_enrolment(user, required_roles) -> bool:
    return required_for(user, required_roles) and not user.totp_enabled


_DIGITS = frozenset("0123456789")
_RECOVERY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _normalise_totp(code: str) -> str:
    """ASCII digits only: spaces and dashes people type are dropped (so are other scripts' digits)."""
    return "".join(ch for ch in (code or "") if ch in _DIGITS)


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in _RECOVERY_CHARS)


def _matching_step(secret: str, code: str, after_step: int | None,
                   now: datetime | None = None) -> int | None:
    """The time step (now-1, now, now+1) whose code equals ``code`` and is newer
    than ``after_step``, or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or clock.now())
    for step in (current - 1, current, current + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_secret_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step whose code ``code`` is, for a secret being set up (not yet stored);
    None when it matches none (spaces and dashes people type are ignored)."""
    code = _normalise_totp(code)
    return _matching_step(secret, code, None, now) if len(code) == 6 else None


def verify_code(user: User, code: str, now: datetime | None = None) -> bool:
    """Check a TOTP code for an enrolled user; remember its step so it cannot be reused."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    code = _normalise_totp(code)
    if len(code) != 6:
        return False
    step = _matching_step(user.totp_secret, code, user.totp_last_step, now)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode("ascii")).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len(_normalise_recovery(code)) == _CODE_GROUPS * _GROUP_LENGTH


def use_recovery_code(user: User, code: str) -> bool:
    """Accept one unused recovery code and strike it off; False otherwise."""
    if not user.totp_enabled or not looks_like_recovery_code(code):
        return False
    wanted = _hash_recovery(code)
    hashes = list(user.recovery_codes or [])
    for stored in hashes:
        if hmac.compare_digest(stored, wanted):
            hashes.remove(stored)
            user.recovery_codes = hashes  # a new list, so the JSON column is marked dirty
            db.session.flush()
            return True
    return False


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; returns the new codes (the only time they exist)."""
    codes = ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH))
                      for _ in range(_CODE_GROUPS)) for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes = [_hash_recovery(c) for c in codes]
    db.session.flush()
    return codes


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor sign-in on when ``code`` matches ``secret``; returns the
    recovery codes, or None when the code is wrong. Flushes; the caller commits."""
    step = new_secret_step(secret, code)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    codes = new_recovery_codes(user)
    audit.record("account.two_factor_enabled", user, user)
    return codes


def disable(user: User, actor, reason: str) -> None:
    """Forget the secret and the recovery codes. Flushes; the caller commits."""
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_step = None
    user.recovery_codes = None
    audit.record("account.two_factor_disabled", actor, user, reason=reason)


def recovery_codes_left(user: User) -> int:
    return len(user.recovery_codes or [])
