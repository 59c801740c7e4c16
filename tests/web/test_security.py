"""Security headers on every response, CSRF, generic error pages."""
from __future__ import annotations

import pytest

from tests.helpers import sign_in

HEADERS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
           "Referrer-Policy", "X-Frame-Options")


def assert_security_headers(response):
    for name in HEADERS:
        assert name in response.headers, f"{name} missing on {response.status_code}"
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url, status", [("/", 200), ("/help", 200), ("/login", 200),
                                         ("/no-such-page", 404), ("/staff", 302),
                                         ("/healthz", 200)])
def test_headers_on_pages_and_errors(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_400_and_405(client, login_as):
    login_as("forum_rep")
    response = client.post("/login")  # no CSRF token
    assert response.status_code == 400
    assert_security_headers(response)
    response = client.delete("/help")
    assert response.status_code == 405
    assert_security_headers(response)


def test_headers_on_403(make_app, make_user):
    from feedback.permissions import role_required
    from tests.helpers import sign_in

    app = make_app()

    @app.route("/commissioners-only-for-test")
    @role_required("commissioner")
    def only():
        return "ok"

    client = app.test_client()
    sign_in(client, make_user("provider"))
    response = client.get("/commissioners-only-for-test")
    assert response.status_code == 403
    assert_security_headers(response)
    assert b"You do not have permission" in response.data


def test_csp_nonce_matches_the_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.data
    assert b"<script>" not in response.data


def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user("commissioner")
    response = client.post("/login", data={"email": user.email, "password": "x" * 20})
    assert response.status_code == 400
    assert_security_headers(response)
    assert b"Traceback" not in response.data
    assert client.get("/staff").status_code == 302


def test_server_error_is_generic_with_a_reference(make_app):
    app = make_app()

    @app.route("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert_security_headers(response)
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert b"reference" in response.data


def test_staff_pages_are_not_cached(client, login_as):
    login_as("commissioner")
    response = client.get("/staff")
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    with client.get("/static/js/app.js") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
        assert_security_headers(response)


def test_access_denied_is_audited(make_app, make_user, db):
    from feedback.models import AuditEvent
    from feedback.permissions import role_required
    from tests.helpers import sign_in

    app = make_app()

    @app.route("/moderators-only-for-test")
    @role_required("moderator")
    def only():
        return "ok"

    client = app.test_client()
    user = make_user("provider")
    sign_in(client, user)
    assert client.get("/moderators-only-for-test").status_code == 403
    events = db.session.execute(db.select(AuditEvent).filter_by(action="access.denied")).scalars().all()
    assert [(e.actor_id, e.detail["path"]) for e in events] == [(user.id, "/moderators-only-for-test")]


def test_healthz_reports_database_and_redis(client):
    body = client.get("/healthz").get_json()
    assert body["database"] == "ok"
    assert body["redis"] in ("not configured", "ok", "unavailable")


def test_header_shows_the_organisation_as_markup_not_escaped_text(client):
    page = client.get("/").get_data(as_text=True)
    assert '<span class="govuk-header__product-name">' in page
    assert "&lt;span" not in page and "&lt;p" not in page and "&lt;a" not in page
