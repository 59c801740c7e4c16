"""Helpers that tests import: settings for an app under test, passwords, forms with a real
CSRF token, signing in, the moderation page's redactions. Fixtures stay in conftest.py;
builders of data live in factories.py."""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
TEST_PASSWORD = "a-long-test-password-for-staff-2026"
_HASH_CACHE: dict[str, str] = {}


def pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"


def app_settings(database: str, **overrides) -> dict:
    """Settings for an app under test on ``database``."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database,
        "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
        "TESTING": True,
        "RATE_LIMITS": False,
        "API_CACHE_SECONDS": 0,  # every test sees its own data at once
        # login_as() signs in with a password only; two-factor tests turn this on.
        "TWO_FACTOR_REQUIRED_ROLES": (),
    }
    config.update(overrides)
    return config


def password_hash(password: str = TEST_PASSWORD) -> str:
    """A real scrypt hash with a lower work factor than production, cached per
    password: sign-in runs the same check, only faster."""
    if password not in _HASH_CACHE:
        from werkzeug.security import generate_password_hash
        _HASH_CACHE[password] = generate_password_hash(password, method="scrypt:4096:8:1")
    return _HASH_CACHE[password]


def csrf_token(client, url: str) -> str:
    """Fetch ``url`` and return the CSRF token in its first form."""
    page = client.get(url)
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data) or \
        re.search(rb'name="csrf_token" value="([^"]+)"', page.data) or \
        re.search(rb'value="([^"]+)" name="csrf_token"', page.data)
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1).decode()


def post_form(client, url: str, data: dict, *, form_url: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with a real CSRF token taken from ``form_url`` (default ``url``)."""
    data = dict(data)
    data["csrf_token"] = csrf_token(client, form_url or url)
    return client.post(url, data=data, **kwargs)


def shown_redactions(client, kind: str, item_id: int) -> dict:
    """The redacted text boxes of a moderation page, as the moderator sees them."""
    import html
    page = client.get(f"/moderation/{kind}/{item_id}").get_data(as_text=True)
    return {name: html.unescape(value.removeprefix("\n")) for name, value in re.findall(
        r'<textarea[^>]*name="([a-z_]+_redacted)"[^>]*>(.*?)</textarea>', page, re.S)}


def approve_as_shown(client, kind: str, item_id: int, **edits):
    """Press Approve on the moderation page, with the redacted text as shown
    (or with ``edits`` typed into the boxes first)."""
    url = f"/moderation/{kind}/{item_id}"
    texts = {**shown_redactions(client, kind, item_id), **edits}
    return post_form(client, url + "/decide", {"action": "approve", **texts}, form_url=url)


def sign_in(client, user, password: str = TEST_PASSWORD):
    return post_form(client, "/login", {"email": user.email, "password": password})


class LocalSmtpServer:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1 that keeps what it receives."""

    def __init__(self):
        self.messages: list = []
        self.port: int | None = None
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        from email import message_from_bytes, policy
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        """Listen on a free port (tried again with another if one is taken meanwhile, or
        the server is slow to start on a busy machine)."""
        import socket

        from aiosmtpd.controller import Controller
        for attempt in range(5):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
            controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                    ready_timeout=30)
            try:
                controller.start()
            except Exception:  # noqa: BLE001 - a port taken between the probe and the bind
                if attempt == 4:
                    raise
                continue
            self._controller = controller
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def bodies(self) -> list[str]:
        return [m.get_body(preferencelist=("plain",)).get_content() for m in self.messages]

    def to(self, address: str) -> list:
        return [m for m in self.messages if address.lower() in m["To"].lower()]
