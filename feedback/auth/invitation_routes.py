"""The page an invitation link opens: choose a password, then carry on to two-factor set-up.

A link that is unknown, used, revoked or expired shows a page that says so (404 for an
unknown link, 410 for the others), never an error.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from ..i18n import N_
from . import invitations, two_factor
from .blueprint import bp
from .forms import ChoosePasswordForm


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"],
               error_message=N_("Too many tries. Wait a minute and try again."))
def invitation(token: str):
    state = invitations.check(token)
    if not state.usable:
        return render_template("auth/invitation_unusable.html",
                               message=_(invitations.UNUSABLE[state.problem]),
                               problem=state.problem), 404 if state.problem == "unknown" else 410
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(token, form.new_password.data)
        except invitations.InvitationRefused as exc:
            form.new_password.errors = [*form.new_password.errors, str(exc)]
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            if user.totp_enabled:
                # A new link for someone who already has two-factor sign-in (a lost
                # password): the link alone never stands in for their security code.
                flash(_("Your password is saved. Sign in with it and your security code."),
                      "success")
                return redirect(url_for("auth.login"))
            login_user(user)
            session.permanent = True
            if two_factor.needs_enrolment(user, current_app.config["TWO_FACTOR_REQUIRED_ROLES"]):
                flash(_("Your password is saved. Your role needs two-factor sign-in: set it up "
                        "to continue."), "success")
                return redirect(url_for("account.two_factor_setup"))
            flash(_("Your password is saved. You can turn on two-factor sign-in from your "
                    "account."), "success")
            return redirect(url_for("main.staff_home"))
    status = 400 if form.errors else 200
    return render_template("auth/invitation.html", form=form,
                           person=state.invitation.user), status
