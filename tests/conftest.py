"""Fixtures: database -> app -> client, users per role, and helpers.

Every test that asks for ``app`` runs twice: on SQLite and on PostgreSQL.
PostgreSQL is found at TEST_POSTGRES_URL (default: the local server); when it
is unreachable those runs are skipped, unless REQUIRE_POSTGRES=1 (as in CI),
which turns that into a failure. Each run migrates a fresh database once and
empties every table after each test.
"""
from __future__ import annotations

import contextvars
import os
import re
import uuid
from collections import Counter

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from tests.helpers import (PG_ADMIN_URL, REQUIRE_POSTGRES, ROOT, TEST_PASSWORD, app_settings,
                           password_hash, pg_available, sign_in)

_RESULTS: Counter = Counter()


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from feedback import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        from feedback.extensions import db
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    """A migrated, empty database for the whole run: yields its URL."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        url = f"sqlite:///{path}"
        _migrate(url)
        yield url
        return
    problem = pg_available()
    if problem:
        if REQUIRE_POSTGRES:
            pytest.fail(problem + " (REQUIRE_POSTGRES=1)")
        pytest.skip(problem)
    name = f"feedback_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_all_tables(db) -> None:
    """Delete every row, children first. (DELETE, not TRUNCATE: on PostgreSQL a
    TRUNCATE of every table costs 1-2 s per test; deleting the few rows a test
    made costs a few milliseconds. Tests never rely on id values.)"""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    Without this, a test holding an app context (the ``db`` fixture) would share
    ``g`` (the signed-in user, the CSRF token) and the database session between
    requests. After each request the test's own session is expired, so it sees
    what the request committed.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        from flask import has_app_context
        if has_app_context():
            from feedback.extensions import db
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def shared_app(database):
    """One app per database for the run (Jinja compiles templates once per app)."""
    from feedback import create_app
    from feedback.extensions import db

    app = create_app(app_settings(database))
    app.test_client_class = IsolatedClient
    app.config["TEST_DATABASE"] = "sqlite" if database.startswith("sqlite") else "postgresql"
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def app(shared_app):
    """The shared app with every table emptied first. Do not change its config:
    use ``make_app(**overrides)`` for an app with other settings."""
    from feedback.extensions import db

    with shared_app.app_context():
        _empty_all_tables(db)
    yield shared_app
    with shared_app.app_context():
        db.session.remove()


@pytest.fixture()
def make_app(app, database):
    """``make_app(RATE_LIMITS=True)``: a separate app on the same (emptied) database."""
    from feedback import create_app
    from feedback.extensions import db

    made = []

    def make(**overrides):
        new = create_app(app_settings(database, **overrides))
        new.test_client_class = IsolatedClient
        new.config["TEST_DATABASE"] = app.config["TEST_DATABASE"]
        made.append(new)
        return new
    yield make
    for new in made:
        with new.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture()
def db(app):
    from feedback.extensions import db as _db

    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def redis_url():
    """A Redis database for one test (TEST_REDIS_URL, default db 15), emptied after.

    Skipped when Redis is unreachable, unless REQUIRE_REDIS=1 (as in CI)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis not reachable at {url}: {exc} (REQUIRE_REDIS=1)")
        pytest.skip(f"Redis not reachable at {url}")
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


# --- mail -------------------------------------------------------------------


@pytest.fixture()
def smtp_server():
    """A real SMTP server on 127.0.0.1 (aiosmtpd) for one test: ``.messages`` holds every
    message it received (``email.message.EmailMessage``), ``.port`` its port."""
    from tests.helpers import LocalSmtpServer

    server = LocalSmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def mail_app(make_app, smtp_server):
    """An app (on the test's database) whose MAIL_SERVER is the local SMTP server."""
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                   MAIL_FROM="voice@council.example", PUBLIC_URL="https://voice.example.org")
    app.smtp = smtp_server
    return app


# --- people -----------------------------------------------------------------


@pytest.fixture()
def make_user(app):
    """``make_user("commissioner", email=..., organisation=...)`` -> User (committed)."""
    from feedback.extensions import db
    from tests import factories

    def make(*roles, email=None, name=None, organisation=None, password=TEST_PASSWORD, active=True):
        with app.app_context():
            user = factories.make_user(db, *roles, email=email, name=name,
                                       organisation=organisation,
                                       password_hash=password_hash(password), active=active)
            db.session.refresh(user)
            db.session.expunge(user)
            return user
    return make


@pytest.fixture()
def login_as(client, make_user):
    """``login_as("moderator")`` creates a user with that role and signs in through /login."""
    def login(*roles, **kwargs):
        user = make_user(*roles, **kwargs)
        response = sign_in(client, user)
        assert response.status_code == 302, response.data[:500]
        return user
    return login


def pytest_collection_modifyitems(config, items):
    """Browser and sqlite_only tests run once, on SQLite; drop their PostgreSQL twins."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        once = "browser" in item.nodeid.split("::")[0] or item.get_closest_marker("sqlite_only")
        (drop if once and params.get("database") == "postgresql" else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --- reporting ---------------------------------------------------------------

def pytest_runtest_logreport(report):
    if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    match = re.search(r"[\[-](sqlite|postgresql)[-\]]", report.nodeid)
    if match:
        _RESULTS[(match.group(1), report.outcome)] += 1


def pytest_terminal_summary(terminalreporter):
    if not _RESULTS:
        return
    terminalreporter.section("tests per database")
    for name in ("sqlite", "postgresql"):
        counts = {o: _RESULTS[(name, o)] for o in ("passed", "failed", "skipped")}
        terminalreporter.write_line(
            f"{name}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped")
