"""Growing delays after failed sign-ins, per email address and client pair.

Ten wrong passwords used to lock an account from everywhere, so anyone could
lock out the safeguarding lead. Now failures slow down only the pair that made
them: one email address (known or not, so the delay reveals nothing) from one
client (its address, as the rate limits see it). The owner at their own
device is never held back by someone else's guesses: there is no full lock.

- The first ``FREE_FAILURES`` (5) failures cost nothing. After that, the pair
  must wait 30 seconds after its last failure, then 1, 2, 4, 8 and at most
  ``MAX_DELAY`` (15) minutes, doubling with each further failure.
- Tries during the wait are refused without checking the password, and do not
  count. A correct password or code clears the pair.
- Wrong two-factor codes count towards the same pair as wrong passwords.
- Only a keyed hash of the pair is stored (HMAC-SHA256 with the app's secret
  key), never the email or the address; rows go a day after their last failure.

The per-client rate limit (``LOGIN_RATE_LIMIT``) still caps guesses from one
client across every email address.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask_babel import ngettext

from ..extensions import db
from ..models import SignInThrottle

FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)


def pair_key(secret: str | bytes, email: str, client: str | None) -> str:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    message = f"{(email or '').strip().lower()}\n{client or 'unknown'}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def delay_after(failures: int) -> timedelta:
    """How long a pair waits after its last failure, given its failures so far."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES, 16), MAX_DELAY)


def _row(pair: str) -> SignInThrottle | None:
    return db.session.execute(db.select(SignInThrottle).filter_by(pair=pair)).scalar_one_or_none()


def wait_left(pair: str, now: datetime) -> timedelta:
    """Zero when the pair may try now, else how long it must still wait."""
    row = _row(pair)
    if row is None:
        return timedelta(0)
    left = row.last_failed_at + delay_after(row.failures) - now
    return max(left, timedelta(0))


def record_failure(pair: str, now: datetime) -> None:
    """Count one failure for the pair (the caller commits); forget stale pairs."""
    db.session.execute(db.delete(SignInThrottle).where(
        SignInThrottle.last_failed_at < now - FORGET_AFTER))
    row = _row(pair)
    if row is None:
        row = SignInThrottle(pair=pair, failures=0)
        db.session.add(row)
    row.failures = (row.failures or 0) + 1
    row.last_failed_at = now


def clear(pair: str) -> None:
    db.session.execute(db.delete(SignInThrottle).where(SignInThrottle.pair == pair))


def wait_message(left: timedelta) -> str:
    seconds = max(int(left.total_seconds() + 0.999), 1)
    if seconds < 90:
        return ngettext(
            "Too many failed attempts from this device. Try again in %(seconds)s second",
            "Too many failed attempts from this device. Try again in %(seconds)s seconds",
            seconds, seconds=seconds)
    minutes = (seconds + 59) // 60
    return ngettext("Too many failed attempts from this device. Try again in %(minutes)s minute",
                    "Too many failed attempts from this device. Try again in %(minutes)s minutes",
                    minutes, minutes=minutes)
