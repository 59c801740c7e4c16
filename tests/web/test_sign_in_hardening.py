"""Accounts after the outside test: wrong passwords slow down one email and
client pair with growing delays and never lock the owner out; every reply
costs one password hash check, so known, unknown and delayed emails answer
alike; a password an administrator chose must be changed at first sign-in;
a stale cookie replayed never ends the live session."""
from __future__ import annotations

import re
import statistics
import time
from datetime import datetime, timedelta, timezone

import pytest

from feedback.auth import throttle
from feedback.models import SignInThrottle, User
from tests.helpers import TEST_PASSWORD, csrf_token, post_form, sign_in

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _try(client, email, password, where=ATTACKER):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email,
                                        "password": password}, environ_base=where)


def test_wrong_passwords_from_anywhere_never_lock_the_owner_out(app, make_user):
    lead = make_user("safeguarding_lead", email="lead@example.org")
    attacker = app.test_client()
    for _ in range(20):
        _try(attacker, lead.email, "wrong-password-123")
    owner = app.test_client()
    response = _try(owner, lead.email, TEST_PASSWORD, where=OWNER)
    assert response.status_code == 302 and owner.get("/staff").status_code == 200


def test_delays_grow_per_pair_and_a_success_clears_it(app, client, make_user, db):
    user = make_user("commissioner")
    for _ in range(throttle.FREE_FAILURES):
        assert b"Enter a correct email address and password" in \
            _try(client, user.email, "wrong-password-123").data
    waiting = _try(client, user.email, TEST_PASSWORD)  # even the right password waits
    assert waiting.status_code == 200
    assert b"Too many failed attempts from this device. Try again in 30 seconds" in waiting.data
    row = db.session.execute(db.select(SignInThrottle)).scalar_one()
    assert row.failures == throttle.FREE_FAILURES  # tries while waiting do not count
    row.last_failed_at = datetime.now(timezone.utc) - timedelta(seconds=31)
    db.session.commit()
    assert _try(client, user.email, TEST_PASSWORD).status_code == 302
    assert db.session.execute(db.select(SignInThrottle)).first() is None


def test_the_delays_double_up_to_fifteen_minutes():
    delays = [throttle.delay_after(n).total_seconds() for n in range(12)]
    assert delays == [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert throttle.delay_after(10**6) == throttle.MAX_DELAY


def test_an_unknown_email_is_delayed_exactly_like_a_known_one(app, make_user):
    user = make_user("commissioner")
    replies = {}
    for email in (user.email, "nobody-here@example.org"):
        client = app.test_client()
        for _ in range(throttle.FREE_FAILURES):
            _try(client, email, "wrong-password-123")
        page = _try(client, email, "x" * 12).get_data(as_text=True)
        replies[email] = re.findall(r"Too many failed attempts[^<]*|Enter a correct[^<]*", page)
    known, unknown = replies.values()
    assert known == unknown and known and "Too many failed attempts from this device" in known[0]


def test_the_throttle_stores_no_email_or_address(app, client, make_user, db):
    user = make_user("commissioner")
    _try(client, user.email, "wrong-password-123")
    row = db.session.execute(db.select(SignInThrottle)).scalar_one()
    assert re.fullmatch(r"[0-9a-f]{64}", row.pair)
    assert user.email not in row.pair and "203.0.113.9" not in row.pair


@pytest.mark.parametrize("case", ["unknown", "wrong", "inactive", "waiting", "right"])
def test_every_reply_checks_exactly_one_password_hash(app, client, make_user, db, monkeypatch,
                                                      case):
    from feedback.auth import services
    user = make_user("commissioner", active=case != "inactive")
    if case == "waiting":
        for _ in range(10):  # ten: the old lock-out's count too
            _try(client, user.email, "wrong-password-123")
    checks = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash",
                        lambda *a: checks.append(1) or real(*a))
    email = "nobody-here@example.org" if case == "unknown" else user.email
    _try(client, email, TEST_PASSWORD if case in ("right", "waiting", "inactive")
         else "wrong-password-123")
    assert len(checks) == 1


def test_replies_take_as_long_for_known_unknown_and_delayed_emails(app, make_user, db):
    """With production password hashes, a delayed reply is no longer the fast one
    (the outside test measured 11-13 ms against 150-390 ms)."""
    from feedback.auth.services import hash_password
    user = make_user("commissioner")
    delayed = make_user("moderator")
    for person in (user, delayed):
        db.session.get(User, person.id).password_hash = hash_password(TEST_PASSWORD)
    db.session.commit()
    slow_client = app.test_client()
    for _ in range(10):  # ten: the old lock-out's count too
        _try(slow_client, delayed.email, "wrong-password-123")
    client = app.test_client()

    def timed(c, email):
        started = time.perf_counter()
        _try(c, email, "wrong-password-123")
        return time.perf_counter() - started
    rounds = [(timed(client, user.email), timed(client, "nobody-here@example.org"),
               timed(slow_client, delayed.email)) for _ in range(3)]
    known, unknown, waiting = (statistics.median(r[i] for r in rounds) for i in range(3))
    assert min(known, unknown, waiting) > 0.5 * max(known, unknown, waiting), \
        (known, unknown, waiting)


def test_a_password_chosen_by_an_administrator_must_be_changed_first(app, client, make_user, db):
    """Accounts made before invitations (an administrator chose the password) still must
    change it at first sign-in."""
    made = make_user("commissioner", email="nia@example.org", password=TEST_PASSWORD)
    stored = db.session.get(User, made.id)
    stored.must_change_password = True
    db.session.commit()
    password = TEST_PASSWORD.encode()
    person = db.session.execute(db.select(User).filter_by(email="nia@example.org")).scalar_one()
    assert person.must_change_password
    theirs = app.test_client()
    signed_in = sign_in(theirs, person, password.decode())
    assert signed_in.headers["Location"] == "/account/password"
    for url in ("/staff", "/insight", "/account", "/account/two-factor/set-up"):
        response = theirs.get(url)
        assert response.status_code == 302 and response.headers["Location"] == \
            "/account/password", url
    new = "violet kettle harbour 2026"
    changed = post_form(theirs, "/account/password", {
        "current_password": password.decode(), "new_password": new, "confirm_password": new})
    assert changed.status_code == 302
    assert theirs.get("/staff").status_code == 200
    db.session.expire_all()
    assert not db.session.get(User, person.id).must_change_password


def test_a_stale_cookie_replayed_never_ends_the_live_session(app, make_user):
    user = make_user("commissioner")
    live = app.test_client()
    sign_in(live, user)
    stale = app.test_client()
    stale.set_cookie("vtc_session", live.get_cookie("vtc_session").value)
    with stale.session_transaction() as session:  # the same cookie, 31 minutes old
        session["last_seen"] = (datetime.now(timezone.utc) - timedelta(minutes=31)).timestamp()
    assert stale.get("/staff").status_code == 302  # the stale cookie is refused ...
    assert live.get("/staff").status_code == 200  # ... and the live session goes on
    assert stale.get("/staff").status_code == 302
