"""The card journey's state between pages, kept on the server.

The session cookie is signed, not encrypted: anyone holding it can read it.
So it holds only a random key (``KEY``); the answers (the card's words,
contact details) and, after sending, the receipt code and whether the card
was flagged live in a ``JourneyState`` row found by the key's SHA-256. The
row expires (``DRAFT_TTL`` after the last answer, ``DONE_TTL`` after
sending) and is deleted by the retention purge (``purge_expired``), and
expired rows are deleted whenever a journey starts.

The confirmation is shown once: ``show_once`` hands back the code and the
flag the first time and then forgets both, so a second visit (or anyone who
opens the browser later) sees only that the card was sent.

``session`` is passed in, so this module stays testable without a request.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import has_app_context
from sqlalchemy import delete, insert, select
from sqlalchemy import update as sql_update

from ..extensions import db
from ..models import JourneyState
from ..models.base import utcnow

KEY = "card_journey"
STEPS = ("service", "kind", "text", "about", "contact")
DRAFT_TTL = timedelta(hours=2)
DONE_TTL = timedelta(hours=1)
LEGACY_KEYS = ("card_draft", "card_done")  # where older releases kept the answers, in the cookie


def _row_id(key: str) -> str:
    return hashlib.sha256(("card-journey:" + key).encode("ascii", "replace")).hexdigest()


def _cache():
    """This request's copy of the journey row (one SELECT a request at most), kept with the
    database session, which lasts as long as the request's app context."""
    return db.session.info.setdefault("card_journey", {}) if has_app_context() else {}


def _state(session) -> dict:
    for legacy in LEGACY_KEYS:
        session.pop(legacy, None)
    key = session.get(KEY)
    if not isinstance(key, str) or not key:
        return {}
    row_id = _row_id(key)
    cache = _cache()
    if row_id not in cache:
        found = db.session.execute(select(JourneyState.data, JourneyState.expires_at)
                                   .where(JourneyState.id == row_id)).first()
        cache[row_id] = found.data if found is not None and found.expires_at > utcnow() \
            else None
    return dict(cache[row_id] or {})


def _save(session, state: dict, ttl: timedelta) -> None:
    now = utcnow()
    key = session.get(KEY)
    row_id = _row_id(key) if isinstance(key, str) and key else None
    updated = 0
    if row_id is not None and _cache().get(row_id) is not None:
        updated = db.session.execute(
            sql_update(JourneyState).where(JourneyState.id == row_id)
            .values(data=state, expires_at=now + ttl),
            execution_options={"synchronize_session": False}).rowcount
    if not updated:  # a new journey (or its row expired): a new key, a new row
        db.session.execute(delete(JourneyState).where(JourneyState.expires_at <= now),
                           execution_options={"synchronize_session": False})
        key = secrets.token_urlsafe(32)
        session[KEY] = key
        row_id = _row_id(key)
        db.session.execute(insert(JourneyState).values(id=row_id, data=state, created_at=now,
                                                       expires_at=now + ttl))
    db.session.commit()
    _cache()[row_id] = state


def draft(session) -> dict:
    """The current draft; a fresh one (with a new one-time token) when there is none.
    A fresh draft is saved by the first ``update``, so visits that answer nothing
    write nothing."""
    current = _state(session).get("draft")
    if not current or "token" not in current:
        current = {"token": secrets.token_urlsafe(32)}
    return current


def update(session, **values) -> dict:
    state = _state(session)
    current = dict(draft(session))
    current.update(values)
    state["draft"] = current
    _save(session, state, DRAFT_TTL)
    return current


def missing_step(current: dict) -> str | None:
    """The first page not yet answered (about and contact are optional but visited)."""
    if "service_id" not in current and not current.get("service_unsure"):
        return "service"
    for step, key in (("kind", "kind"), ("text", "text"), ("about", "about_done"),
                      ("contact", "contact_method")):
        if key not in current:
            return step
    return None


def finish(session, token: str, code: str | None, flagged: bool, anonymous: bool,
           through_worker: bool = False) -> None:
    """The card is saved: forget the answers, keep what the confirmation shows once
    (``through_worker``: the young person asked to hear back through their worker)."""
    _save(session, {"done": {"token": token, "code": code, "flagged": flagged,
                             "anonymous": anonymous, "through_worker": through_worker,
                             "shown": False}}, DONE_TTL)


def done(session) -> dict | None:
    """What the confirmation page will show (or showed), without using it up."""
    return _state(session).get("done")


def show_once(session) -> dict | None:
    """The confirmation to show now: the first time with the code and the flag,
    after that only ``{"shown": True, ...}`` (both are deleted on the first showing)."""
    state = _state(session)
    current = state.get("done")
    if not current:
        return None
    if not current.get("shown"):
        state["done"] = {"token": current.get("token"), "anonymous": current.get("anonymous"),
                         "shown": True}
        _save(session, state, DONE_TTL)
    return current


def purge_expired(now=None, apply: bool = True) -> int:
    """Delete (or with ``apply=False`` count) expired journey rows; the caller commits."""
    from sqlalchemy import func

    cutoff = now or utcnow()
    if not apply:
        return db.session.execute(select(func.count()).select_from(JourneyState)
                                  .where(JourneyState.expires_at <= cutoff)).scalar_one()
    return db.session.execute(delete(JourneyState)
                              .where(JourneyState.expires_at <= cutoff)).rowcount or 0
