"""Privacy operations: the retention purge (dry run and apply), subject access
export and erasure of staff accounts, and no IP address stored anywhere."""
from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import String, Text, select

from feedback.models import (ActionCard, AnalysisRun, AuditEvent, FeedbackEntry, Response,
                             StatusChange, User)
from feedback.privacy.retention import RetentionPolicy, purge
from feedback.privacy.staff_data import FORMER_STAFF_NAME
from tests.helpers import TEST_PASSWORD, post_form, sign_in
from tests.factories import build_card

NOW = datetime.now(timezone.utc)
LONG_AGO = NOW - timedelta(days=4 * 365)


def _card(db, when, **kw) -> ActionCard:
    values = dict(kind="change", text="words", text_redacted="words", created_at=when,
                  updated_at=when, moderation_state="pending")
    values.update(kw)
    card = build_card(**values)
    db.session.add(card)
    db.session.flush()
    return card


def _old_data(db):
    old = _card(db, LONG_AGO)
    answered_lately = _card(db, LONG_AGO)
    db.session.add(Response(card_id=answered_lately.id, body="We changed it", created_at=NOW))
    held = _card(db, LONG_AGO, safeguarding_flagged=True)
    recent = _card(db, NOW)
    closed = _card(db, NOW - timedelta(days=300), status="done",
                   status_changed_at=NOW - timedelta(days=200),
                   contact_method="email", contact_detail="me@example.org")
    open_card = _card(db, NOW - timedelta(days=300), contact_method="email",
                      contact_detail="open@example.org")
    entry = FeedbackEntry(respondent_type="parent_carer", went_well="ok", created_at=LONG_AGO,
                          updated_at=LONG_AGO)
    db.session.add(entry)
    db.session.add(StatusChange(card_id=old.id, to_status="done", changed_at=LONG_AGO))
    db.session.add(AuditEvent(action="old.event", at=LONG_AGO))
    db.session.add(AuditEvent(action="new.event", at=NOW))
    db.session.add(AnalysisRun(status="succeeded", classifier=b"old", created_at=LONG_AGO))
    db.session.add(AnalysisRun(status="succeeded", classifier=b"newest", created_at=LONG_AGO))
    db.session.commit()
    return dict(old=old.id, answered=answered_lately.id, held=held.id, recent=recent.id,
                closed=closed.id, open=open_card.id, entry=entry.id)


def test_purge_dry_run_counts_and_changes_nothing(app, db, tmp_path):
    _old_data(db)
    imports = tmp_path / "imports"
    imports.mkdir()
    stale = imports / "abc.bin"
    stale.write_bytes(b"x")
    os.utime(stale, (time.time() - 3 * 24 * 3600,) * 2)
    (imports / "fresh.bin").write_bytes(b"y")
    report = purge(RetentionPolicy(), str(tmp_path), apply=False)
    assert report.counts == {"action_cards": 1, "feedback_entries": 1,
                             "card_contact_details": 1, "audit_events": 1, "classifiers": 1,
                             "import_files": 1, "journey_states": 0}
    assert db.session.query(ActionCard).count() == 6 and stale.exists()


def test_purge_applies_the_policy(app, db, tmp_path):
    ids = _old_data(db)
    (tmp_path / "imports").mkdir()
    stale = tmp_path / "imports" / "abc.bin"
    stale.write_bytes(b"x")
    os.utime(stale, (time.time() - 3 * 24 * 3600,) * 2)
    report = purge(RetentionPolicy(), str(tmp_path), apply=True)
    assert report.counts["action_cards"] == 1 and report.counts["feedback_entries"] == 1
    db.session.expire_all()
    assert db.session.get(ActionCard, ids["old"]) is None
    assert db.session.query(StatusChange).count() == 0, "history goes with the card"
    for kept in ("answered", "held", "recent", "closed", "open"):
        assert db.session.get(ActionCard, ids[kept]) is not None, kept
    closed = db.session.get(ActionCard, ids["closed"])
    assert closed.contact_detail is None and closed.contact_method is None
    assert db.session.get(ActionCard, ids["open"]).contact_detail == "open@example.org"
    assert db.session.get(FeedbackEntry, ids["entry"]) is None
    actions = {e.action for e in db.session.query(AuditEvent)}
    assert "old.event" not in actions and {"new.event", "privacy.purge"} <= actions
    blobs = [r.classifier for r in db.session.query(AnalysisRun).order_by(AnalysisRun.id)]
    assert blobs == [None, b"newest"]
    assert not stale.exists()
    assert purge(RetentionPolicy(), str(tmp_path), apply=True).total == 0


def test_purge_command_is_a_dry_run_by_default(app, db, runner):
    ids = _old_data(db)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Would delete: 1 action cards" in result.output and "Dry run" in result.output
    assert db.session.get(ActionCard, ids["old"]) is not None
    result = runner.invoke(args=["purge", "--apply"])
    assert "Deleted: 1 action cards" in result.output
    db.session.expire_all()
    assert db.session.get(ActionCard, ids["old"]) is None


def test_periods_are_settings(make_app):
    app = make_app(RETENTION_SUBMISSION_DAYS=30, RETENTION_CONTACT_DAYS=7)
    policy = RetentionPolicy.from_config(app.config)
    assert policy.submission_days == 30 and policy.contact_days == 7


def _subject_with_history(db, make_user, client):
    subject = make_user("commissioner", name="Sam Subject", email="sam@example.org")
    sign_in(client, subject)
    post_form(client, "/logout", {}, form_url="/staff")
    card = _card(db, NOW)
    db.session.add(Response(card_id=card.id, body="We did it", author_id=subject.id))
    db.session.commit()
    return subject


def test_admin_exports_everything_held_about_a_member_of_staff(app, client, db, make_user,
                                                               login_as):
    subject = _subject_with_history(db, make_user, client)
    admin = login_as("admin")
    response = client.get(f"/admin/users/{subject.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"]["email"] == "sam@example.org" and data["profile"]["roles"] == ["commissioner"]
    assert {e["action"] for e in data["audit_events_made"]} >= {"auth.login", "auth.logout"}
    assert len(data["authored"]["answers"]) == 1
    text = response.data.decode()
    stored = db.session.get(User, subject.id)
    assert stored.password_hash not in text and stored.session_token not in text
    event = db.session.execute(select(AuditEvent).filter_by(
        action="privacy.staff_data_exported")).scalar_one()
    assert event.actor_id == admin.id and event.object_id == subject.id


def test_staff_download_their_own_data(client, login_as):
    user = login_as("provider")
    response = client.get("/account/your-data")
    assert json.loads(response.data)["profile"]["id"] == user.id
    assert client.get("/account").status_code == 200


def test_erasure_anonymises_but_keeps_the_trail_and_answers(app, client, db, make_user, login_as):
    subject = _subject_with_history(db, make_user, client)
    admin = login_as("admin")
    assert b"Erase Sam Subject" in client.get(f"/admin/users/{subject.id}/erase").data
    response = post_form(client, f"/admin/users/{subject.id}/erase", {})
    assert response.status_code == 302
    stored = db.session.get(User, subject.id)
    assert stored.name == FORMER_STAFF_NAME and "sam" not in stored.email
    assert not stored.active and not stored.roles
    made = db.session.execute(select(AuditEvent).filter_by(actor_id=subject.id)).scalars().all()
    assert {e.action for e in made} >= {"auth.login", "auth.logout"}
    everything = json.dumps([[e.actor_email, e.detail] for e in db.session.query(AuditEvent)])
    assert "sam@example.org" not in everything
    answer = db.session.query(Response).one()
    assert answer.author.name == FORMER_STAFF_NAME
    assert sign_in(app.test_client(), User(email="sam@example.org")).status_code == 200
    # An administrator cannot erase themselves.
    refused = post_form(client, f"/admin/users/{admin.id}/erase", {})
    assert b"You cannot erase your own account" in refused.data


IP = "203.0.113.77"
FORWARDED = "198.51.100.23"


def test_no_ip_address_is_stored_or_logged(app, client, db, make_user, caplog):
    """Sign-ins, failures, lock-out, two-factor and a 404/403 from a distinctive
    address: no table and no log line holds it."""
    caplog.set_level(logging.DEBUG)
    env = {"REMOTE_ADDR": IP}
    headers = {"X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED}
    user = make_user("commissioner")
    from tests.helpers import csrf_token
    for password in ("wrong-password-000000", TEST_PASSWORD):
        token = csrf_token(client, "/login")
        client.post("/login", data={"email": user.email, "password": password,
                                    "csrf_token": token}, environ_base=env, headers=headers)
    client.get("/no-such-page", environ_base=env, headers=headers)
    client.get("/admin/users", environ_base=env, headers=headers)
    client.get("/account/your-data", environ_base=env, headers=headers)
    db.session.expire_all()
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))
                   or c.type.__class__.__name__ == "JSON"]
        for row in db.session.execute(table.select()).mappings():
            for column in columns:
                value = json.dumps(row[column.name], default=str)
                if IP in value or FORWARDED in value:
                    found.append(f"{table.name}.{column.name}")
    assert not found, f"IP address stored in {found}"
    assert db.session.query(AuditEvent).count() >= 3, "the requests above were audited"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert IP not in logged and FORWARDED not in logged


def test_access_log_format_has_no_client_address():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    formats = [line for line in makefile.splitlines() if "access-logformat" in line]
    assert formats and all("%(h)s" not in f and "%({x-forwarded-for}i)s" not in f.lower()
                           for f in formats)


def test_staff_export_lists_the_safeguarding_referrals_they_made(app, client, db, make_user):
    referrer = make_user("moderator")
    card = build_card(kind="change", text="worrying words", text_redacted="worrying words", moderation_state="pending")
    db.session.add(card)
    db.session.commit()
    assert sign_in(client, referrer).status_code == 302
    url = f"/moderation/card/{card.id}"
    assert post_form(client, url + "/decide", {"action": "refer", "refer_reason": "Worried"},
                     form_url=url).status_code == 302
    data = json.loads(client.get("/account/your-data").data)
    assert [r["id"] for r in data["authored"]["safeguarding_referrals_cards"]] == [card.id]
    assert data["authored"]["safeguarding_referrals_feedback"] == []
