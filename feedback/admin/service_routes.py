"""Administrators' pages for services: the list, and each service's other names
(what young people and families call it, for search and imports)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..permissions import role_required
from . import service_names
from .blueprint import bp
from .forms import OtherNamesForm


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
