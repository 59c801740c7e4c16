"""Security defaults in one place: headers, cookies, idle timeout, error pages.

Every response, errors included, gets the security headers. Error pages are
generic, carry a reference id that is also logged, and never show a trace.
"""
from __future__ import annotations

import logging
import secrets
import uuid
from urllib.parse import urlsplit

from flask import Flask, g, render_template, request, session
from flask_babel import gettext
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, logout_user
from sqlalchemy.exc import OperationalError, InterfaceError
from sqlalchemy.exc import DatabaseError as SQLDatabaseError
from werkzeug.exceptions import Forbidden, HTTPException, RequestEntityTooLarge

from .api.blueprint import is_api_request, json_error
from . import clock
from .errors import NotAllowed

log = logging.getLogger("feedback.errors")

STAFF_PREFIXES = ("/staff", "/insight", "/contracts", "/moderation", "/safeguarding",
                  "/forum", "/admin", "/feedback/import", "/account", "/login", "/logout")


def safe_next(target: str | None) -> str | None:
    """Accept only this site's own relative path (no scheme, host, protocol-relative
    //, backslash or control character) for a ``next`` redirect; else None."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ])


class SecureWhenHttpsSessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https."""

    def get_cookie_secure(self, app):
        try:
            return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)
        except RuntimeError:  # outside a request
            return bool(app.config["SESSION_COOKIE_SECURE"])


ERROR_TITLES = {
    400: "There is a problem with your request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Page not found",
    413: "That file or text is too large",
    429: "Too many tries",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def error_reference() -> str:
    return uuid.uuid4().hex[:10].upper()


def configure_security(app: Flask) -> None:
    app.session_interface = SecureWhenHttpsSessionInterface()
    if app.config.get("TRUST_PROXY_HEADERS"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.before_request
    def make_nonce_and_check_idle():
        g.csp_nonce = secrets.token_urlsafe(16)
        if current_user.is_authenticated:
            now = clock.now().timestamp()
            last = session.get("last_seen")
            limit = app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
            if last is not None and now - last > limit:
                # Only this cookie is refused: the person's other, live session goes on.
                from .auth.services import end_idle_cookie
                end_idle_cookie(current_user._get_current_object())
                logout_user()
                session.clear()
                g.idle_timed_out = True
            else:
                session["last_seen"] = now
                session.permanent = True

    @app.before_request
    def refuse_oversized_forms():
        # Werkzeug bounds multipart text fields by MAX_FORM_MEMORY_SIZE but reads a
        # URL-encoded body whole, bounded only by MAX_CONTENT_LENGTH (sized for
        # uploads): no form here needs more text than MAX_FORM_MEMORY_SIZE.
        limit = app.config.get("MAX_FORM_MEMORY_SIZE")
        if limit and request.mimetype != "multipart/form-data" \
                and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()

    @app.after_request
    def set_security_headers(response):
        nonce = getattr(g, "csp_nonce", None) or secrets.token_urlsafe(16)
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(nonce)
        headers["Strict-Transport-Security"] = (
            f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.path.startswith("/static/"):
            # Children's words and staff pages must never sit in a shared cache.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        ref = error_reference()
        if code == 403:
            _audit_access_denied(ref)
        log.info("HTTP %s on %s %s ref=%s", code, request.method, request.path, ref)
        return _render_error(code, ref, error), code

    @app.errorhandler(NotAllowed)
    def not_allowed(error: NotAllowed):
        # A service's refusal is the same 403 as a guard's: the page and the audit row.
        return http_error(Forbidden())

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        ref = error_reference()
        log.error("database unavailable ref=%s: %s", ref, error.__class__.__name__)
        _rollback_quietly()
        return _render_error(503, ref, None), 503

    @app.errorhandler(SQLDatabaseError)
    def database_error(error):
        ref = error_reference()
        log.error("database error ref=%s: %s", ref, error.__class__.__name__)
        _rollback_quietly()
        return _render_error(503, ref, None), 503

    @app.errorhandler(Exception)
    def unexpected_error(error):
        ref = error_reference()
        log.exception("unhandled error ref=%s", ref)
        _rollback_quietly()
        return _render_error(500, ref, None), 500


def _rollback_quietly() -> None:
    from .extensions import db
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database may be gone; the page must still render
        log.warning("rollback failed after a database error")


def _audit_access_denied(ref: str) -> None:
    from . import audit
    from .extensions import db
    try:
        audit.record_now("access.denied", current_user if current_user.is_authenticated else None,
                         object_type="url", path=request.path, reference=ref)
    except Exception:  # noqa: BLE001 - never turn a 403 into a 500
        db.session.rollback()
        log.warning("could not audit access denied ref=%s", ref)


def _render_error(code: int, ref: str, error):
    title = ERROR_TITLES.get(code, ERROR_TITLES[500])
    if is_api_request(request.path):
        return json_error(code, ref, error)
    description = getattr(error, "description", None) if code in (400, 413, 429) else None
    if description:
        description = gettext(description)  # a marked message (N_) in the page's language
    template = "errors/503.html" if code == 503 else "errors/error.html"
    try:
        return render_template(template, code=code, title=title, reference=ref,
                               description=description,
                               given_back=getattr(g, "text_to_give_back", None))
    except Exception:  # noqa: BLE001 - last resort: a plain page, still no trace
        log.exception("error page failed ref=%s", ref)
        return (f"<!DOCTYPE html><html lang='en'><title>{title}</title><main><h1>{title}</h1>"
                f"<p>Reference: {ref}</p></main></html>")
