"""A member of staff's own account: overview, password, two-factor sign-in, their data."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..auth import two_factor
from ..auth.services import change_password as change_password_service
from ..downloads import json_download
from ..permissions import staff_required
from ..privacy import staff_data
from ..errors import show_on_form
from . import services
from .forms import (ChangePasswordForm, ConfirmCodeForm, DigestForm, DisableTwoFactorForm,
                    RecoveryCodesForm)
from .blueprint import bp


# A secret being set up lives in the (signed, HttpOnly) session until confirmed.
SETUP_KEY = "totp_setup_secret"


def _required_roles():
    return current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


@bp.route("")
@staff_required
def home():
    user = current_user
    return render_template("account/home.html", user=user,
                           codes_left=two_factor.recovery_codes_left(user),
                           required=two_factor.required_for(user, _required_roles()),
                           digest_form=DigestForm(digest="on" if user.digest_enabled else "off"))


@bp.route("/digest", methods=["POST"])
@staff_required
def digest():
    """Turn the daily digest on or off."""
    form = DigestForm()
    if form.validate_on_submit():
        services.set_digest(current_user._get_current_object(), form.digest.data == "on")
        flash(_("Daily digest turned on.") if form.digest.data == "on"
              else _("Daily digest turned off."), "success")
    else:
        flash(_("Select whether you want the daily digest."), "error")
    return redirect(url_for("account.home"))


@bp.route("/password", methods=["GET", "POST"])
@staff_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        problem = change_password_service(user, form.current_password.data,
                                          form.new_password.data)
        if problem is None:
            # The token rotated: every other session is over; keep this one.
            login_user(user)
            session.permanent = True
            flash(_("Your password has been changed. You have been signed out everywhere else."),
                  "success")
            return redirect(url_for("account.home"))
        field, _sep, message = problem.partition(":")
        (form.current_password if field == "current" else form.new_password).errors.append(message)
    return render_template("account/password.html", form=form)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@staff_required
def two_factor_setup():
    user = current_user._get_current_object()
    if user.totp_enabled:
        return redirect(url_for("account.home"))
    secret = session.get(SETUP_KEY) or two_factor.new_secret()
    session[SETUP_KEY] = secret
    form = ConfirmCodeForm()
    if form.validate_on_submit():
        try:
            codes = services.turn_on_two_factor(user, secret, form.code.data)
        except services.TwoFactorError as exc:
            form.code.errors.append(str(exc))
        else:
            session.pop(SETUP_KEY, None)
            return render_template("account/recovery_codes.html", codes=codes, first_time=True)
    uri = two_factor.provisioning_uri(secret, user.email, current_app.config["SERVICE_NAME"])
    return render_template("account/two_factor_setup.html", form=form, secret=secret, uri=uri,
                           qr=two_factor.qr_code_data_uri(uri),
                           required=two_factor.required_for(user, _required_roles()))


@bp.route("/two-factor/recovery-codes", methods=["GET", "POST"])
@staff_required
def recovery_codes():
    user = current_user._get_current_object()
    if not user.totp_enabled:
        return redirect(url_for("account.two_factor_setup"))
    form = RecoveryCodesForm()
    if form.validate_on_submit():
        try:
            codes = services.replace_recovery_codes(user, form.code.data)
        except services.TwoFactorError as exc:
            form.code.errors.append(str(exc))
        else:
            return render_template("account/recovery_codes.html", codes=codes, first_time=False)
    return render_template("account/recovery_codes_new.html", form=form,
                           codes_left=two_factor.recovery_codes_left(user))


@bp.route("/two-factor/turn-off", methods=["GET", "POST"])
@staff_required
def two_factor_disable():
    user = current_user._get_current_object()
    if not user.totp_enabled:
        return redirect(url_for("account.home"))
    form = DisableTwoFactorForm()
    required = two_factor.required_for(user, _required_roles())
    if form.validate_on_submit():
        try:
            services.turn_off_two_factor(user, form.password.data, form.code.data,
                                         _required_roles())
        except services.TwoFactorError as exc:
            show_on_form(form, exc)
        else:
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("account.home"))
    return render_template("account/two_factor_disable.html", form=form, required=required)


@bp.route("/your-data")
@staff_required
def download_data():
    """The member of staff's own subject access export, as a JSON download."""
    user = current_user._get_current_object()
    return json_download(staff_data.export_staff_data_json(user, user), "your-data.json")
