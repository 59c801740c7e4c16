"""Who may use which URL: the single table the role x URL test checks.

Every endpoint of the app must have an entry (the test fails on a new route
without one). An entry says:

- ``url``: a path, or a callable ``(app) -> path`` that creates what the page
  needs (for example a card) inside an app context and returns its path;
- ``method``: "GET" or "POST";
- ``allowed``: ``PUBLIC`` (anyone, no sign-in), ``ANY_STAFF`` (any signed-in
  user), or a tuple of roles.

Expected: public -> 200 (or the ``ok`` codes given) for everyone; staff
routes -> 302 to sign-in when anonymous, ``ok`` for allowed roles, 403 for
the others. POSTs are sent with a valid CSRF token and empty data, so an
allowed role gets the form back (200), a redirect, or a 400/422 refusal, but
never a 500.
"""
from __future__ import annotations

PUBLIC = "public"
ANY_STAFF = "any_staff"

# Codes that count as "let in" for each method.
OK_GET = (200,)
OK_POST = (200, 302, 303, 400, 422)

MATRIX: dict[str, dict] = {
    "main.index": {"url": "/", "allowed": PUBLIC},
    "main.help_now": {"url": "/help", "allowed": PUBLIC},
    "main.accessibility": {"url": "/accessibility", "allowed": PUBLIC},
    "main.privacy": {"url": "/privacy", "allowed": PUBLIC},
    "main.healthz": {"url": "/healthz", "allowed": PUBLIC},
    "main.staff_home": {"url": "/staff", "allowed": ANY_STAFF},
    "auth.login": {"url": "/login", "allowed": PUBLIC, "signed_in_ok": (302,)},
    "auth.logout": {"url": "/logout", "method": "POST", "allowed": ANY_STAFF},
}


def register(endpoint: str, **entry) -> None:
    """Add an entry (feature test modules may call this; keep entries here when possible)."""
    MATRIX[endpoint] = entry
