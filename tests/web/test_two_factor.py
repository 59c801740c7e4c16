"""Two-factor sign-in for staff: enrolment, the second step, replay, recovery
codes, required roles, rate limit, lock-out, turning off."""
from __future__ import annotations

import re
import time

import pyotp
import pytest

from feedback.models import AuditEvent, User
from tests.helpers import TEST_PASSWORD, post_form, sign_in

SETUP = "/account/two-factor/set-up"
CODE_PAGE = "/login/security-code"


def code_at(secret: str, steps_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


def enrol(client) -> tuple[str, list[str]]:
    """Set up two-factor for the signed-in user; returns (secret, recovery codes)."""
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = re.search(rb"<code>([A-Z2-7 ]+)</code>", page.data).group(1).decode().replace(" ", "")
    response = post_form(client, SETUP, {"code": code_at(secret)})
    assert response.status_code == 200, response.data[:300]
    codes = re.findall(rb"<li><code>([A-Z0-9-]+)</code></li>", response.data)
    return secret, [c.decode() for c in codes]


@pytest.fixture()
def enrolled(app, client, make_user):
    """A commissioner with two-factor on, signed out again."""
    user = make_user("commissioner")
    sign_in(client, user)
    secret, codes = enrol(client)
    post_form(client, "/logout", {}, form_url="/account")
    return user, secret, codes


def test_enrolment_shows_secret_qr_and_ten_recovery_codes_stores_hashes(client, make_user, db):
    user = make_user("commissioner")
    sign_in(client, user)
    page = client.get(SETUP)
    assert b'src="data:image/svg+xml' in page.data and b"otpauth://totp/" in page.data
    assert b"style=" not in page.data
    wrong = post_form(client, SETUP, {"code": "000000"})
    assert b"Enter the code shown in your authenticator app now" in wrong.data
    assert b"<title>Error:" in wrong.data
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.get(User, user.id)
    assert stored.totp_enabled and stored.totp_secret == secret
    assert len(stored.recovery_codes) == 10
    assert not any(c in str(stored.recovery_codes) for c in codes), "only hashes are stored"
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="account.two_factor_enabled")).scalar_one()


def test_empty_code_gives_a_clear_message(client, make_user):
    sign_in(client, make_user("commissioner"))
    response = post_form(client, SETUP, {"code": ""})
    assert b"Enter the 6-digit code from your authenticator app" in response.data
    assert b"govuk-error-summary" in response.data


def test_sign_in_asks_for_the_code_and_half_signed_in_grants_nothing(client, enrolled, db):
    user, secret, _ = enrolled
    response = sign_in(client, user)
    assert response.status_code == 302 and response.headers["Location"] == CODE_PAGE
    for url in ("/staff", "/account", "/account/your-data", SETUP):
        assert client.get(url).status_code == 302, f"{url} opened before the code was given"
    wrong = post_form(client, CODE_PAGE, {"code": "123456"})
    assert b"Enter a correct security code" in wrong.data and b"<title>Error:" in wrong.data
    empty = post_form(client, CODE_PAGE, {"code": ""})
    assert b"Enter the security code from your authenticator app" in empty.data
    response = post_form(client, CODE_PAGE, {"code": code_at(secret, 1)})
    assert response.status_code == 302 and response.headers["Location"] == "/staff"
    assert client.get("/staff").status_code == 200
    event = db.session.execute(db.select(AuditEvent).filter_by(action="auth.login")
                               .order_by(AuditEvent.id.desc())).scalars().first()
    assert event.detail["method"] == "totp"


def test_a_used_code_is_refused_the_second_time(app, enrolled):
    user, secret, _ = enrolled
    code = code_at(secret, 1)
    first = app.test_client()
    sign_in(first, user)
    assert post_form(first, CODE_PAGE, {"code": code}).status_code == 302
    second = app.test_client()
    sign_in(second, user)
    replay = post_form(second, CODE_PAGE, {"code": code})
    assert replay.status_code == 200 and b"Enter a correct security code" in replay.data
    # The enrolment code's step was used too: it cannot sign anyone in.
    assert post_form(second, CODE_PAGE, {"code": code_at(secret, 0)}).status_code == 200


def test_recovery_code_works_once(app, enrolled, db):
    user, _, codes = enrolled
    client = app.test_client()
    sign_in(client, user)
    assert post_form(client, CODE_PAGE, {"code": codes[0].lower()}).status_code == 302
    assert len(db.session.get(User, user.id).recovery_codes) == 9
    other = app.test_client()
    sign_in(other, user)
    assert post_form(other, CODE_PAGE, {"code": codes[0]}).status_code == 200


def test_new_recovery_codes_replace_the_old(app, client, enrolled):
    user, secret, codes = enrolled
    sign_in(client, user)
    post_form(client, CODE_PAGE, {"code": codes[1]})
    wrong = post_form(client, "/account/two-factor/recovery-codes", {"code": "999999"})
    assert b"Enter a correct code from your authenticator app" in wrong.data
    response = post_form(client, "/account/two-factor/recovery-codes", {"code": code_at(secret, 1)})
    new_codes = re.findall(rb"<li><code>([A-Z0-9-]+)</code></li>", response.data)
    assert len(new_codes) == 10
    other = app.test_client()
    sign_in(other, user)
    assert post_form(other, CODE_PAGE, {"code": codes[2]}).status_code == 200
    assert post_form(other, CODE_PAGE, {"code": new_codes[0].decode()}).status_code == 302


def test_turning_off_needs_password_and_code(client, enrolled, db):
    user, secret, codes = enrolled
    sign_in(client, user)
    post_form(client, CODE_PAGE, {"code": codes[0]})
    url = "/account/two-factor/turn-off"
    bad = post_form(client, url, {"password": "not-my-password-at-all", "code": code_at(secret, 1)})
    assert b"Enter your password correctly" in bad.data
    missing = post_form(client, url, {"password": "", "code": ""})
    assert b"Enter your password" in missing.data
    assert b"Enter the 6-digit code from your authenticator app" in missing.data
    ok = post_form(client, url, {"password": TEST_PASSWORD, "code": code_at(secret, 1)})
    assert ok.status_code == 302
    stored = db.session.get(User, user.id)
    assert not stored.totp_enabled and stored.totp_secret is None and not stored.recovery_codes


def test_required_role_must_enrol_before_anything_else(make_app, make_user):
    app = make_app(TWO_FACTOR_REQUIRED_ROLES=("admin", "safeguarding_lead"))
    client = app.test_client()
    user = make_user("admin")
    response = sign_in(client, user)
    assert response.headers["Location"] == SETUP
    for url in ("/staff", "/admin/users", "/account"):
        assert client.get(url).headers.get("Location") == SETUP, url
    assert b"Your role needs two-factor sign-in" in client.get(SETUP).data
    secret, _ = enrol(client)
    assert client.get("/admin/users").status_code == 200
    # ... and cannot turn it off again.
    response = post_form(client, "/account/two-factor/turn-off",
                         {"password": TEST_PASSWORD, "code": code_at(secret, 1)})
    assert b"Your role needs two-factor sign-in, so it cannot be turned off" in response.data
    # Roles that are not listed stay optional.
    other = app.test_client()
    sign_in(other, make_user("commissioner"))
    assert other.get("/staff").status_code == 200


def test_code_step_is_rate_limited(make_app, make_user):
    app = make_app(RATE_LIMITS=True, TWO_FACTOR_RATE_LIMIT="3 per minute")
    client = app.test_client()
    user = make_user("commissioner")
    sign_in(client, user)
    enrol(client)
    post_form(client, "/logout", {}, form_url="/account")
    sign_in(client, user)
    statuses = [post_form(client, CODE_PAGE, {"code": "111111"}).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429


def test_wrong_codes_delay_this_device_only(app, enrolled, db):
    user, secret, _ = enrolled
    client = app.test_client()
    sign_in(client, user)
    for _ in range(10):
        post_form(client, CODE_PAGE, {"code": "000001"})
    stored = db.session.get(User, user.id)
    assert stored.locked_until is None and stored.failed_logins == 5  # then it waits; no lock
    response = post_form(client, CODE_PAGE, {"code": code_at(secret, 1)})
    assert b"Too many failed attempts from this device" in response.data


def test_pending_step_expires_and_dies_with_a_password_change(app, enrolled, db, monkeypatch):
    user, secret, _ = enrolled
    client = app.test_client()
    sign_in(client, user)
    stored = db.session.get(User, user.id)
    stored.rotate_session_token()  # as a password change or sign-out elsewhere does
    db.session.commit()
    response = post_form(client, CODE_PAGE, {"code": code_at(secret, 1)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    sign_in(client, user)
    from feedback.auth import routes
    monkeypatch.setattr(routes, "PENDING_SECONDS", -1)
    assert client.get(CODE_PAGE).headers["Location"] == "/login"


NASTY = ["١٢٣٤٥٦", "ÉÉÉÉ-ÉÉÉÉ-ÉÉÉÉ", "<script>alert(1)</script>", "12 34 56", "\x00" * 6,
         "ǅǅǅǅ-ǅǅǅǅ-ǅǅǅǅ", "9" * 20]


def test_odd_codes_get_a_message_never_a_500(app, enrolled):
    user, _, _ = enrolled
    client = app.test_client()
    sign_in(client, user)
    for code in NASTY:
        response = post_form(client, CODE_PAGE, {"code": code})
        assert response.status_code == 200, (code, response.status_code)
        assert b"<script>alert(1)</script>" not in response.data


def test_code_normalising_never_fails():
    """What ``enable`` and the sign-in page run on any text typed: never an error, and a
    set-up code is accepted only when its six digits are the code of a step around now."""
    import pyotp
    from hypothesis import example, given, settings, strategies as st

    from feedback import clock
    from feedback.auth import two_factor

    secret = two_factor.new_secret()
    moment = clock.now()
    totp = pyotp.TOTP(secret)
    current = totp.timecode(moment)
    spaced = " ".join(totp.at(moment)[:3]) + "-" + totp.at(moment)[3:]

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=30))
    @example(totp.at(moment))
    @example(spaced)
    def check(text):
        step = two_factor.new_secret_step(secret, text, now=moment)
        digits = "".join(c for c in text if c in "0123456789")
        if step is None:
            assert all(digits != totp.generate_otp(s) for s in (current - 1, current,
                                                                 current + 1))
        else:
            assert step in (current - 1, current, current + 1)
            assert digits == totp.generate_otp(step)
        if two_factor.looks_like_recovery_code(text):
            assert len(two_factor._hash_recovery(text)) == 64

    check()
    assert two_factor.new_secret_step(secret, spaced, now=moment) == current
