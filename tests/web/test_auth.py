"""Sign-in, throttling, lock-out, sign-out that really ends the session, idle timeout."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback.security import safe_next
from feedback.auth.services import PasswordPolicyError, check_password_policy
from feedback.models import AuditEvent, User
from tests.helpers import TEST_PASSWORD, csrf_token, post_form, sign_in


def test_sign_in_and_out(client, make_user, db):
    user = make_user("commissioner")
    response = sign_in(client, user)
    assert response.status_code == 302 and response.headers["Location"] == "/staff"
    assert client.get("/staff").status_code == 200
    stored = db.session.get(User, user.id)
    assert stored.last_login_at is not None and stored.last_login_at.tzinfo is not None
    response = post_form(client, "/logout", {}, form_url="/staff")
    assert response.status_code == 302
    assert client.get("/staff").status_code == 302


def test_wrong_password_gives_one_generic_message(client, make_user):
    user = make_user("moderator")
    response = post_form(client, "/login", {"email": user.email, "password": "wrong-password-123456"})
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.data
    assert b"<title>Error:" in response.data
    response = post_form(client, "/login", {"email": "nobody@example.org", "password": "whatever-123456"})
    assert b"Enter a correct email address and password" in response.data


def test_empty_form_shows_error_summary(client):
    response = post_form(client, "/login", {"email": "", "password": ""})
    assert b"govuk-error-summary" in response.data
    assert b"Enter your email address" in response.data and b"Enter your password" in response.data


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user("commissioner", active=False)
    assert sign_in(client, user).status_code == 200
    assert client.get("/staff").status_code == 302


def test_session_cookie_replayed_after_logout_is_refused(app, make_user):
    user = make_user("commissioner")
    client = app.test_client()
    sign_in(client, user)
    cookie = client.get_cookie("vtc_session").value
    post_form(client, "/logout", {}, form_url="/staff")
    thief = app.test_client()
    thief.set_cookie("vtc_session", cookie)
    assert thief.get("/staff").status_code == 302, "an old cookie must not sign anyone in"


def test_session_cookie_flags(client, make_user):
    user = make_user("commissioner")
    response = sign_in(client, user)
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure = client.get("/staff", base_url="https://localhost")
    assert secure.status_code == 200


def test_cookie_is_secure_over_https(make_app, make_user):
    app = make_app()
    client = app.test_client()
    user = make_user("commissioner")
    token = csrf_token(client, "https://localhost/login")
    response = client.post("/login", base_url="https://localhost",
                           data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_idle_timeout_ends_staff_session(app, client, make_user):
    user = make_user("commissioner")
    sign_in(client, user)
    assert client.get("/staff").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = (datetime.now(timezone.utc) - timedelta(minutes=31)).timestamp()
    assert client.get("/staff").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session


@pytest.mark.parametrize("target, expected", [
    ("/insight?x=1", "/insight?x=1"), ("/staff", "/staff"),
    ("https://evil.example/", None), ("//evil.example/", None), ("/\\evil.example", None),
    ("javascript:alert(1)", None), ("", None), ("staff", None), ("/ok\r\nSet-Cookie:x", None),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_next_redirect_is_followed_only_when_local(client, make_user):
    user = make_user("commissioner")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=//evil.example/x",
                           data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/staff"
    post_form(client, "/logout", {}, form_url="/staff")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=/help",
                           data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/help"


def test_sign_in_is_throttled_per_client(make_app, make_user):
    app = make_app(RATE_LIMITS=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    user = make_user("commissioner")
    responses = [post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"})
                 for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    assert b"Too many sign-in attempts" in responses[-1].data


def test_repeated_failures_make_this_device_wait(client, make_user, db):
    user = make_user("commissioner")
    for _ in range(10):
        post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"})
    response = post_form(client, "/login", {"email": user.email, "password": TEST_PASSWORD})
    assert b"Too many failed attempts" in response.data
    assert client.get("/staff").status_code == 302


def test_sign_ins_and_failures_are_audited(client, make_user, db):
    user = make_user("commissioner")
    post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"})
    sign_in(client, user)
    actions = [e.action for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert actions == ["auth.login_failed", "auth.login"]


@pytest.mark.parametrize("password, message", [
    ("short-pass", "12 characters"),
    ("password1234", "too common"),
    ("aaaaaaaaaaaaaaaa", "too common"),
    ("jo.bloggs-secret-words", "email address"),
])
def test_password_policy(password, message):
    with pytest.raises(PasswordPolicyError, match=message):
        check_password_policy(password, "jo.bloggs@example.org")


def test_good_password_passes_policy():
    check_password_policy("lantern-orchard-velvet-42", "jo@example.org")


def test_sign_in_throttling_uses_redis_when_configured(make_app, make_user, redis_url):
    import redis

    app = make_app(RATE_LIMITS=True, LOGIN_RATE_LIMIT="2 per minute",
                   RATELIMIT_STORAGE_URI=redis_url, REDIS_URL=redis_url)
    client = app.test_client()
    user = make_user("commissioner")
    codes = [post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"}
                       ).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    keys = redis.Redis.from_url(redis_url).keys("LIMITS*")
    assert keys, "the limiter kept its counters in Redis"


@pytest.fixture
def limiter_revived():
    """Flask-Limiter keeps its "storage is dead" flag on the one Limiter that every app of a
    process shares (a real process has one app); put it back after a test that kills the
    storage, so the next test's apps count in their own storage again."""
    from feedback.extensions import limiter
    yield
    limiter._storage_dead = False  # noqa: SLF001  (no public way to reset it)


def test_rate_limits_fall_back_to_memory_when_redis_is_down(make_app, make_user, limiter_revived):
    # Nothing listens on this port: the limiter must keep working in-process.
    dead = "redis://127.0.0.1:6390/0"
    app = make_app(RATE_LIMITS=True, LOGIN_RATE_LIMIT="2 per minute",
                   RATELIMIT_STORAGE_URI=dead, REDIS_URL=dead)
    client = app.test_client()
    user = make_user("commissioner")
    codes = [post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"}
                       ).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/healthz").get_json()["redis"] == "unavailable"


def test_two_workers_on_one_redis_share_the_sign_in_limit(make_app, make_user, redis_url):
    """Two apps (two gunicorn workers) with the same Redis count one limit together."""
    settings = dict(RATE_LIMITS=True, LOGIN_RATE_LIMIT="3 per minute",
                    RATELIMIT_STORAGE_URI=redis_url, REDIS_URL=redis_url)
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()
    user = make_user("commissioner")
    codes = [post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"})
             .status_code for client in (first, second, first, second)]
    assert codes == [200, 200, 200, 429]
