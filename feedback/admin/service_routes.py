"""Administrators' pages for services: the list, each service's other names (what young
people and families call it, for search and imports), and the names they see (its plain
name and Welsh name)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import show_on_form
from ..permissions import role_required
from . import plain_names, service_names
from .blueprint import bp
from .forms import OtherNamesForm, PlainNamesForm


@bp.route("/services")
@role_required("admin")
def services():
    return render_template("admin/services.html", services=service_names.list_services())


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_service_names(service_id: int):
    service = service_names.get_service(service_id) or abort(404)
    form = OtherNamesForm()
    if form.validate_on_submit():
        try:
            service_names.update_other_names(service, form.names.data, current_user)
        except service_names.NamesRefused as exc:
            form.names.errors.append(str(exc))
        else:
            flash(_("Saved the other names of %(name)s.", name=service.name), "success")
            return redirect(url_for("admin.services"))
    elif not form.is_submitted():
        form.names.data = "\n".join(other.name for other in service.other_names)
    return render_template("admin/service_names.html", service=service, form=form)


@bp.route("/services/<int:service_id>/plain-name", methods=["GET", "POST"])
@role_required("admin")
def edit_service_plain_name(service_id: int):
    service = service_names.get_service(service_id) or abort(404)
    form = PlainNamesForm()
    if form.validate_on_submit():
        try:
            plain_names.update_plain_names(service, form.plain_name.data,
                                           form.plain_name_cy.data, current_user)
        except plain_names.PlainNamesRefused as refused:
            for error in refused.errors:
                show_on_form(form, error)
        else:
            flash(_("Saved the names people see for %(name)s.", name=service.name), "success")
            return redirect(url_for("admin.services"))
    elif not form.is_submitted():
        form.plain_name.data, form.plain_name_cy.data = service.plain_name, service.plain_name_cy
    return render_template("admin/service_plain_name.html", service=service, form=form)
