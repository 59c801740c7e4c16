"""Faults with real services: the database stops taking writes mid-journey,
Redis goes away, a worker is killed mid-analysis, and /healthz says so.

No database is mocked. SQLite is made unwritable by another connection
holding an exclusive lock (the tests run as root, so file permissions would
not stop a write); PostgreSQL by making the database read-only and ending
the app's connections, as a fail-over to a read-only replica would.
"""
from __future__ import annotations

import html
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from feedback.config import engine_options
from tests.helpers import PG_ADMIN_URL, ROOT
from tests.web.test_cards import go_through, send
from tests.factories import build_card

TEXT = "Please keep the Friday club open 🎲 — ‫مرحبا‬ <b>not bold</b>"
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture()
def service(app):
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        s = Service(name="Riverside Youth Club", plain_name="Riverside youth club",
                    thematic_area="health_wellbeing", description="Evening club")
        db.session.add(s)
        db.session.commit()
        return s.id


def _count(app, model_name: str) -> int:
    from feedback import models
    from feedback.extensions import db
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(
            getattr(models, model_name))).scalar_one()


class Outage:
    """Stop and restore writes to the test database, SQLite or PostgreSQL."""

    def __init__(self, url: str):
        self.url = url
        self.lock: sqlite3.Connection | None = None

    def _pg_admin(self, sql: str) -> None:
        name = self.url.rsplit("/", 1)[1]
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(sql.format(name=name)))
            # End the app's pooled connections: new ones pick up the setting.
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        engine.dispose()

    def start(self) -> None:
        if self.url.startswith("sqlite"):
            self.lock = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=5,
                                        isolation_level=None)
            self.lock.execute("BEGIN EXCLUSIVE")
        else:
            self._pg_admin('ALTER DATABASE "{name}" SET default_transaction_read_only = on')

    def stop(self) -> None:
        if self.lock is not None:
            self.lock.execute("ROLLBACK")
            self.lock.close()
            self.lock = None
        elif not self.url.startswith("sqlite"):
            self._pg_admin('ALTER DATABASE "{name}" SET default_transaction_read_only = off')


@pytest.fixture()
def outage(database):
    made = Outage(database)
    yield made
    made.stop()


@pytest.fixture()
def quick_app(make_app, database):
    """An app that gives up on a locked SQLite database after 0.3 s, not 5 s."""
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=engine_options(database, sqlite_busy_ms=300))


def test_card_sent_while_database_refuses_writes_gives_text_back_then_recovers(
        quick_app, outage, service):
    client = quick_app.test_client()
    _, token = go_through(client, service, text=TEXT)
    outage.start()
    refused = send(client, token)
    assert refused.status_code == 503
    page = refused.get_data(as_text=True)
    assert "Here is what you wrote" in page
    assert html.escape(TEXT, quote=False) in page or html.escape(TEXT) in page
    assert "<b>not bold</b>" not in page
    assert refused.headers["Cache-Control"] == "no-store"
    outage.stop()
    # The same app (no restart) saves the same card once the database is back.
    sent = send(client, token)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/cards/new/done")
    assert _count(quick_app, "ActionCard") == 1
    from feedback.extensions import db
    from feedback.models import ActionCard
    with quick_app.app_context():
        assert db.session.execute(db.select(ActionCard.text)).scalar_one() == TEXT


def test_family_feedback_sent_while_database_refuses_writes_gives_both_answers_back(
        quick_app, outage, service):
    from tests.helpers import csrf_token
    import re
    client = quick_app.test_client()
    form = client.get("/feedback/new").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    data = {"csrf_token": csrf_token(client, "/feedback/new"), "token": token,
            "service": str(service), "respondent_type": "parent_carer", "rating": "4",
            "went_well": "The nurse listened 👂", "could_be_better": "Letters came late & lost"}
    outage.start()
    refused = client.post("/feedback/new", data=data)
    assert refused.status_code == 503
    page = refused.get_data(as_text=True)
    assert "The nurse listened 👂" in page and "Letters came late &amp; lost" in page
    outage.stop()
    assert client.post("/feedback/new", data=data).status_code == 302
    assert _count(quick_app, "FeedbackEntry") == 1


def test_healthz_reports_database_down_then_ok_without_restart(quick_app, outage, database):
    client = quick_app.test_client()
    assert client.get("/healthz").get_json()["database"] == "ok"
    if database.startswith("sqlite"):
        # A lock still lets SQLite read; a missing file cannot be read at all.
        broken = make_broken_sqlite_app(quick_app)
        state = broken.test_client().get("/healthz")
        assert state.status_code == 503
        assert state.get_json() == {"status": "degraded", "database": "unavailable",
                                    "redis": "not configured", "safeguarding_model": "ok"}
        return
    name = database.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        down = client.get("/healthz")
        assert down.status_code == 503 and down.get_json()["database"] == "unavailable"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    up = client.get("/healthz")
    assert up.status_code == 200 and up.get_json()["status"] == "ok"


def make_broken_sqlite_app(app):
    from feedback import create_app
    from tests.helpers import app_settings
    broken = create_app(app_settings("sqlite:////nonexistent-folder/feedback.db"))
    return broken


def test_healthz_reports_redis_down_and_stays_ok(make_app, redis_url):
    up = make_app(REDIS_URL=redis_url).test_client().get("/healthz")
    assert up.get_json() == {"status": "ok", "database": "ok", "redis": "ok",
                             "safeguarding_model": "ok"}
    down = make_app(REDIS_URL=DEAD_REDIS).test_client().get("/healthz")
    assert down.status_code == 200
    assert down.get_json() == {"status": "ok", "database": "ok", "redis": "unavailable",
                               "safeguarding_model": "ok"}


def test_redis_down_rate_limits_fall_back_to_memory_and_cards_are_saved(make_app, service):
    limited = make_app(REDIS_URL=DEAD_REDIS, RATELIMIT_STORAGE_URI=DEAD_REDIS, RATE_LIMITS=True,
                       SUBMIT_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    for n in range(2):
        _, token = go_through(client, service, text=f"card {n}")
        assert send(client, token).status_code == 302
    _, token = go_through(client, service, text="card 3")
    assert send(client, token).status_code == 429  # the in-memory limit still counts
    assert _count(limited, "ActionCard") == 2


def _approved_cards(app, n: int) -> None:
    from feedback.extensions import db
    topics = ["the bus to college is late every morning", "more youth club nights please",
              "my social worker keeps changing", "the waiting list for CAMHS is too long",
              "free swimming in the holidays", "help with money for care leavers"]
    with app.app_context():
        for i in range(n):
            db.session.add(build_card(kind="start", text=f"{topics[i % len(topics)]} ({i})",
                                      moderation_state="approved",
                                      text_redacted=None))
        db.session.commit()


def _run(app, run_id):
    from feedback.extensions import db
    from feedback.models import AnalysisRun
    with app.app_context():
        db.session.expire_all()
        return db.session.get(AnalysisRun, run_id)


def test_redis_down_analysis_runs_in_process_without_loss(make_app):
    from feedback import tasks
    app = make_app(REDIS_URL=DEAD_REDIS)
    _approved_cards(app, 30)
    with app.app_context():
        run = tasks.start_run("full", None)
        run_id = run.id
        assert run.job_id is None
        tasks.wait(run_id, timeout=120)
    finished = _run(app, run_id)
    assert finished.status == "succeeded", finished.error
    assert finished.n_items == 30


def _worker(database: str, redis_url: str, queue: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database, SECRET_KEY="worker-test", REDIS_URL=redis_url,
               PYTHONPATH=str(ROOT))
    return subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url,
                             queue],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


@pytest.mark.slow
def test_worker_killed_mid_analysis_marks_run_failed_and_it_can_be_restarted(
        make_app, redis_url, database):
    from feedback import tasks
    queue = "analysis-fault-test"
    app = make_app(REDIS_URL=redis_url, ANALYSIS_QUEUE=queue)
    _approved_cards(app, 600)
    worker = _worker(database, redis_url, queue)
    try:
        with app.app_context():
            run_id = tasks.start_run("full", None).id
        deadline = time.monotonic() + 120
        while _run(app, run_id).status != "running":
            assert time.monotonic() < deadline, "the worker never started the run"
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and the job's work horse
        worker.wait(10)
        assert _run(app, run_id).status == "running"  # nothing else knows yet
        with app.app_context():
            assert tasks.reap_dead_runs() == [run_id]
        failed = _run(app, run_id)
        assert failed.status == "failed" and "Start the run again" in failed.error
        # Restart: a new worker, a new run, which finishes.
        worker = _worker(database, redis_url, queue)
        with app.app_context():
            again = tasks.start_run("full", None).id
        assert again != run_id
        deadline = time.monotonic() + 180
        while _run(app, again).status in ("queued", "running"):
            assert time.monotonic() < deadline, "the restarted run did not finish"
            time.sleep(0.2)
        assert _run(app, again).status == "succeeded", _run(app, again).error
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
