"""The baselines pages: the administrator's upload (with its template) and the
commissioners' "who we are not hearing from" table."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from .. import clock
from ..errors import show_on_form
from ..permissions import INSIGHT_ROLES, Role, role_required
from . import services
from .blueprint import bp
from .forms import BaselineUploadForm


def _actor():
    return current_user._get_current_object()


@bp.route("/admin/baselines", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def upload():
    form = BaselineUploadForm()
    result = None
    if form.validate_on_submit():
        with form.file.data.stream as stream:
            data = stream.read(services.MAX_BYTES + 1)
        try:
            result = services.load(_actor(), data, form.file.data.filename,
                                   (form.source.data or "").strip() or None)
        except services.BaselineError as error:
            show_on_form(form, error)
        else:
            if not result.errors:
                flash(ngettext("%(count)s baseline loaded.", "%(count)s baselines loaded.",
                               result.loaded, count=format(result.loaded, ",")), "success")
                return redirect(url_for("baselines.upload"))
    status = 400 if form.errors or getattr(form, "form_errors", None) or \
        (result and result.errors) else 200
    return render_template("baselines/upload.html", form=form, result=result,
                           rows=services.loaded(_actor())), status


@bp.route("/admin/baselines/template.csv")
@role_required(Role.ADMIN)
def template():
    return Response(services.template_csv(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=population-baselines-template.csv"})


@bp.route("/insight/who-we-are-not-hearing-from")
@role_required(*INSIGHT_ROLES)
def heard():
    query, problems = services.read_query(request.args)
    return render_template("baselines/heard.html", view=services.heard(_actor(), query,
                                                                       clock.today()),
                           query=query, problems=problems, choices=services.choices())
