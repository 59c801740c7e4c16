"""Staff sign-in and sign-out.

Sign-in is one step (password) or, with two-factor on, two: the password page
stores a short-lived pending step in the session and the security code page
completes it. Staff whose role needs two-factor and who have not set it up are
kept on the set-up page (``require_two_factor_enrolment``).
"""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..i18n import N_
from ..security import safe_next
from . import services, two_factor
from .forms import LoginForm, SecondFactorForm
from .blueprint import bp


# Half-signed-in (password right, code not yet given): only this is in the
# session, and Flask-Login knows nothing of it, so no guarded page opens.
PENDING_KEY = "pending_second_factor"
PENDING_SECONDS = 300
# While a required enrolment is outstanding, only these endpoints answer.
ENROLMENT_ENDPOINTS = frozenset({
    "account.two_factor_setup", "auth.logout", "static", "main.healthz", "main.help_now",
    "main.privacy", "main.accessibility"})
# While a password chosen by an administrator is unchanged, only these answer.
PASSWORD_CHANGE_ENDPOINTS = frozenset({
    "account.change_password", "auth.logout", "static", "main.healthz", "main.help_now",
    "main.privacy", "main.accessibility"})


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"],
               error_message=N_("Too many sign-in attempts. Wait a minute and try again."))
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.staff_home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        if result.user is not None:
            next_url = safe_next(request.args.get("next"))
            session.clear()  # a fresh session at sign-in: no fixation
            if result.second_factor:
                session[PENDING_KEY] = {"user_id": result.user.id,
                                        "token": result.user.session_token,
                                        "at": time.time(), "next": next_url}
                return redirect(url_for("auth.second_factor"))
            return _finish_sign_in(result.user, next_url)
        form.email.errors.append(result.error)
    return render_template("auth/login.html", form=form)


def _finish_sign_in(user, next_url: str | None):
    login_user(user)
    session.permanent = True
    if user.must_change_password:
        flash(_("An administrator chose your password. Choose your own to continue."), "info")
        return redirect(url_for("account.change_password"))
    if two_factor.needs_enrolment(user, current_app.config["TWO_FACTOR_REQUIRED_ROLES"]):
        flash(_("Your role needs two-factor sign-in. Set it up to continue."), "info")
        return redirect(url_for("account.two_factor_setup"))
    return redirect(next_url or url_for("main.staff_home"))


def _second_factor_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


@bp.route("/login/security-code", methods=["GET", "POST"])
@limiter.limit(_second_factor_limit, methods=["POST"],
               error_message=N_("Too many security codes tried. Wait a minute and try again."))
def second_factor():
    """The second step of sign-in. Without a fresh pending step, back to the first."""
    if current_user.is_authenticated:
        return redirect(url_for("main.staff_home"))
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash(_("Sign in again: the security code step timed out."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        result = services.complete_second_factor(pending["user_id"], pending["token"],
                                                 form.code.data, request.remote_addr)
        if result.user is not None:
            session.clear()
            return _finish_sign_in(result.user, pending.get("next"))
        if result.error == "Sign in again":
            session.pop(PENDING_KEY, None)
            return redirect(url_for("auth.login"))
        form.code.errors.append(result.error)
    return render_template("auth/second_factor.html", form=form)


@bp.before_app_request
def require_two_factor_enrolment():
    """Staff whose role needs two-factor sign-in see only the set-up page until enrolled;
    staff whose password an administrator chose see only the password page until changed."""
    if not current_user.is_authenticated:
        return None
    if current_user.must_change_password:
        if request.endpoint in PASSWORD_CHANGE_ENDPOINTS:
            return None
        return redirect(url_for("account.change_password"))
    if request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    if two_factor.needs_enrolment(current_user, current_app.config["TWO_FACTOR_REQUIRED_ROLES"]):
        return redirect(url_for("account.two_factor_setup"))
    return None


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_session(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))
