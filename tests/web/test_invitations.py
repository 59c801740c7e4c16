"""Staff invitations: an administrator invites by email; the link is single-use, expires,
is stored only as a hash, and a newer one revokes the older. Received by a real SMTP server."""
from __future__ import annotations

import re
from datetime import timedelta

from feedback import clock
from feedback.models import AuditEvent, Invitation, User
from tests.helpers import post_form, sign_in

NEW_PASSWORD = "heron-quarry-lantern-2031"
PERSON = {"name": "Priya Patel", "email": "Priya.Patel@Council.example", "organisation": "none",
          "roles": ["commissioner"], "active": "yes"}


def _invite(client, login_as, **changes):
    login_as("admin")
    return post_form(client, "/admin/users/new", {**PERSON, **changes})


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://voice\.example\.org(/invitation/[A-Za-z0-9_-]+)", body).group(1)


def test_an_invitation_is_emailed_and_sets_a_password_once(mail_app, db, make_user):
    client = mail_app.test_client()
    admin = make_user("admin")
    sign_in(client, admin)
    sent = post_form(client, "/admin/users/new", PERSON)
    assert sent.status_code == 200 and b"Invitation sent" in sent.data
    assert b"app-break-all" not in sent.data, "no password is shown"
    [message] = mail_app.smtp.messages
    assert message["To"] == "priya.patel@council.example"
    assert message["From"] == "voice@council.example"
    path = _link(message)
    token = path.rsplit("/", 1)[1]
    stored = db.session.execute(db.select(Invitation)).scalar_one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    person = db.session.execute(db.select(User).filter_by(
        email="priya.patel@council.example")).scalar_one()
    assert not person.must_change_password

    theirs = mail_app.test_client()
    page = theirs.get(path)
    assert page.status_code == 200 and b"Choose your password" in page.data
    short = post_form(theirs, path, {"new_password": "short", "confirm_password": "short"})
    assert short.status_code == 400 and b"12 characters or more" in short.data
    differ = post_form(theirs, path, {"new_password": NEW_PASSWORD, "confirm_password": "x"})
    assert differ.status_code == 400 and b"Passwords must match" in differ.data
    done = post_form(theirs, path, {"new_password": NEW_PASSWORD,
                                    "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302
    assert theirs.get("/staff").status_code == 200, "signed in after choosing the password"

    again = mail_app.test_client().get(path)
    assert again.status_code == 410 and b"already been used" in again.data
    fresh = mail_app.test_client()
    assert sign_in(fresh, person, NEW_PASSWORD).status_code == 302
    actions = set(db.session.execute(db.select(AuditEvent.action)).scalars())
    assert {"admin.user_created", "admin.user_invited", "auth.invitation_accepted"} <= actions
    details = db.session.execute(db.select(AuditEvent).filter_by(
        action="admin.user_invited")).scalar_one().detail
    assert token not in str(details)


def test_a_role_that_needs_two_factor_goes_on_to_set_it_up(make_app, smtp_server, make_user):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                   TWO_FACTOR_REQUIRED_ROLES=("commissioner",))
    client = app.test_client()
    admin = make_user("admin")
    sign_in(client, admin)
    post_form(client, "/admin/users/new", PERSON)
    body = smtp_server.bodies()[0]
    path = re.search(r"(/invitation/[A-Za-z0-9_-]+)", body).group(1)
    assert "http://localhost/invitation/" in body, "without PUBLIC_URL the request's host"
    theirs = app.test_client()
    done = post_form(theirs, path, {"new_password": NEW_PASSWORD,
                                    "confirm_password": NEW_PASSWORD})
    assert done.headers["Location"] == "/account/two-factor/set-up"


def test_an_expired_link_and_an_unknown_one_say_so(mail_app, db, make_user, monkeypatch):
    client = mail_app.test_client()
    sign_in(client, make_user("admin"))
    post_form(client, "/admin/users/new", PERSON)
    path = _link(mail_app.smtp.messages[0])
    later = clock.now() + timedelta(hours=72, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    theirs = mail_app.test_client()
    expired = theirs.get(path)
    assert expired.status_code == 410 and b"This link has expired" in expired.data
    refused = post_form(theirs, path, {"new_password": NEW_PASSWORD,
                                       "confirm_password": NEW_PASSWORD}, form_url="/login")
    assert refused.status_code == 410
    assert theirs.get("/invitation/not-a-real-token").status_code == 404
    assert theirs.get("/invitation/" + "x" * 500).status_code == 404
    assert theirs.get("/invitation/%00%01").status_code == 404


def test_reinviting_revokes_the_old_link(mail_app, db, make_user):
    client = mail_app.test_client()
    admin = make_user("admin")
    sign_in(client, admin)
    post_form(client, "/admin/users/new", PERSON)
    first = _link(mail_app.smtp.messages[0])
    person = db.session.execute(db.select(User).filter_by(
        email="priya.patel@council.example")).scalar_one()
    page = client.get(f"/admin/users/{person.id}")
    assert b"has not been used" in page.data
    resent = post_form(client, f"/admin/users/{person.id}/invite", {},
                       form_url=f"/admin/users/{person.id}")
    assert resent.status_code == 200 and b"Invitation sent" in resent.data
    second = _link(mail_app.smtp.messages[1])
    assert first != second
    theirs = mail_app.test_client()
    old = theirs.get(first)
    assert old.status_code == 410 and b"newer invitation" in old.data
    assert theirs.get(second).status_code == 200


def test_no_mail_server_logs_the_invitation_without_the_link(app, client, login_as, caplog):
    login_as("admin")
    with caplog.at_level("WARNING"):
        sent = post_form(client, "/admin/users/new", PERSON)
    assert b"written to the server" in sent.data
    assert "staff_invitation" in caplog.text and "/invitation/" not in caplog.text


def test_a_refused_mail_server_is_reported_and_the_account_kept(make_app, make_user, db):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens there
    client = app.test_client()
    sign_in(client, make_user("admin"))
    sent = post_form(client, "/admin/users/new", PERSON)
    assert sent.status_code == 200 and b"Invitation not sent" in sent.data
    assert db.session.execute(db.select(User).filter_by(
        email="priya.patel@council.example")).scalar_one()


def test_only_administrators_invite(client, login_as, make_user):
    person = make_user("moderator")
    login_as("commissioner")
    assert client.get("/admin/users/new").status_code == 403
    assert post_form(client, f"/admin/users/{person.id}/invite", {},
                     form_url="/staff").status_code == 403


def test_erasing_an_invited_account_removes_its_links(mail_app, db, make_user):
    client = mail_app.test_client()
    sign_in(client, make_user("admin"))
    post_form(client, "/admin/users/new", PERSON)
    path = _link(mail_app.smtp.messages[0])
    person = db.session.execute(db.select(User).filter_by(
        email="priya.patel@council.example")).scalar_one()
    erased = post_form(client, f"/admin/users/{person.id}/erase", {})
    assert erased.status_code == 302
    assert db.session.execute(db.select(Invitation)).first() is None
    assert mail_app.test_client().get(path).status_code == 404


def test_a_new_link_never_stands_in_for_a_security_code(mail_app, db, make_user):
    person = make_user("commissioner", email="tess@council.example")
    stored = db.session.get(User, person.id)
    stored.totp_enabled, stored.totp_secret = True, "JBSWY3DPEHPK3PXP"
    db.session.commit()
    client = mail_app.test_client()
    sign_in(client, make_user("admin"))
    post_form(client, f"/admin/users/{person.id}/invite", {}, form_url=f"/admin/users/{person.id}")
    path = _link(mail_app.smtp.messages[0])
    theirs = mail_app.test_client()
    done = post_form(theirs, path, {"new_password": NEW_PASSWORD,
                                    "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert theirs.get("/staff").status_code == 302, "not signed in without the code"
    step = post_form(theirs, "/login", {"email": "tess@council.example",
                                        "password": NEW_PASSWORD})
    assert step.headers["Location"].startswith("/login/security-code")
