"""Administrators' pages for people: list, create, edit, deactivate, reset
two-factor, export (subject access) and erase staff accounts."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..downloads import json_download
from ..models import User
from ..permissions import ROLES, role_required
from ..privacy import staff_data
from ..errors import show_on_form
from . import services
from .blueprint import bp
from ..form_helpers import choices
from .forms import ConfirmForm, UserForm

NO_ORGANISATION = "none"


def _user_or_404(user_id: int) -> User:
    return services.user_by_id(user_id) or abort(404)


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=None)
    form.organisation.choices = choices([(NO_ORGANISATION, _("None"))] + [
        (o.id, o.name) for o in services.organisations()])
    if user is not None and not form.is_submitted():
        form.name.data = user.name
        form.email.data = user.email
        form.organisation.data = str(user.organisation_id or NO_ORGANISATION)
        form.roles.data = sorted(user.roles)
        form.active.data = "yes" if user.active else "no"
    return form


def _details(form: UserForm) -> services.UserDetails:
    return services.UserDetails(
        name=form.name.data, email=form.email.data,
        organisation_id=None if form.organisation.data == NO_ORGANISATION
        else int(form.organisation.data),
        roles=tuple(form.roles.data or ()), active=form.active.data == "yes")


@bp.route("/users")
@role_required("admin")
def users():
    return render_template("admin/users.html", users=services.list_staff(), roles=ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = _form()
    if form.validate_on_submit():
        try:
            user, delivery = services.invite_user(_details(form), current_user,
                                                  current_app.config)
        except services.UserChangeRefused as exc:
            show_on_form(form, exc)
        else:
            return render_template("admin/invitation_sent.html", user=user, delivery=delivery,
                                   hours=current_app.config["INVITATION_HOURS"])
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@role_required("admin")
def reinvite_user(user_id: int):
    """Send a new invitation link; the earlier one stops working."""
    user = _user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        delivery = services.reinvite_user(user, current_user, current_app.config)
        return render_template("admin/invitation_sent.html", user=user, delivery=delivery,
                               hours=current_app.config["INVITATION_HOURS"])
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = _form(user)
    if form.validate_on_submit():
        try:
            services.update_user(user, _details(form), current_user)
        except services.UserChangeRefused as exc:
            show_on_form(form, exc)
        else:
            flash(_("Saved the changes to %(name)s's account.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user,
                           confirm=ConfirmForm(), roles=ROLES,
                           invitation=services.pending_invitation(user))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@role_required("admin")
def reset_two_factor(user_id: int):
    user = _user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        services.reset_two_factor(user, current_user)
        flash(_("Two-factor sign-in reset for %(name)s.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/export")
@role_required("admin")
def export_user(user_id: int):
    """Subject access: everything held about one member of staff, as JSON."""
    user = _user_or_404(user_id)
    return json_download(staff_data.export_staff_data_json(user, current_user),
                         f"staff-data-{user.id}.json")


@bp.route("/users/<int:user_id>/erase", methods=["GET", "POST"])
@role_required("admin")
def erase_user(user_id: int):
    user = _user_or_404(user_id)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            staff_data.erase_staff_account(user, current_user)
        except staff_data.ErasureRefused as exc:
            error = str(exc)
        else:
            flash(_("The account has been erased. Its audit events and answers now say "
                    "'former member of staff'."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/erase.html", user=user, form=form, error=error)
