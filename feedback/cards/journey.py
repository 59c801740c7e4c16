"""The card journey's state between pages, kept in the (signed) session.

Only small plain values are stored: ids, choices and the text (at most
1,000 characters). ``session`` is passed in, so this module stays testable.
"""
from __future__ import annotations

import secrets

KEY = "card_draft"
DONE = "card_done"
STEPS = ("service", "kind", "text", "about", "contact")


def draft(session) -> dict:
    """The current draft, started (with a fresh one-time token) when missing."""
    current = session.get(KEY)
    if not current or "token" not in current:
        current = {"token": secrets.token_urlsafe(32)}
        session[KEY] = current
    return current


def update(session, **values) -> dict:
    current = dict(draft(session))
    current.update(values)
    session[KEY] = current
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


def finish(session, token: str, code: str | None, flagged: bool, anonymous: bool) -> None:
    session.pop(KEY, None)
    session[DONE] = {"token": token, "code": code, "flagged": flagged, "anonymous": anonymous}
