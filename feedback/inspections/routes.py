"""Young Inspectors' pages: the reports, recording one, its files, the provider's response,
the Word file, and the standards. Routes parse, call one service, render."""
from __future__ import annotations

import secrets

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock, options
from ..downloads import send_bytes
from ..errors import FieldError, show_on_form
from ..permissions import (INSPECTION_READERS, INSPECTION_ROLES, STANDARDS_ROLES, Role,
                           can_edit_standards, can_record_inspections, role_required)
from . import files, sections, services
from . import standards as inspection_standards
from .blueprint import bp
from .forms import NOT_SCORED_VALUE, ActionForm, FileForm, ResponseForm, StandardForm, report_form

READERS = (*INSPECTION_READERS, Role.PROVIDER)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _actor():
    return current_user._get_current_object()


def _status(form) -> int:
    return 400 if form.errors or getattr(form, "form_errors", None) else 200


@bp.route("/inspections")
@role_required(*INSPECTION_READERS)
def index():
    return render_template("inspections/index.html", reports=services.listing(_actor()),
                           can_record=can_record_inspections(current_user),
                           can_edit=can_edit_standards(current_user))


def _score(value):
    if value in (None, "", NOT_SCORED_VALUE):
        return None
    return int(value)


@bp.route("/inspections/new", methods=["GET", "POST"])
@role_required(*INSPECTION_ROLES)
def new():
    standards = inspection_standards.standards(include_retired=False)
    form = report_form(standards, {"": _("Choose a service"),
                                   **{str(i): n for i, n in options.active_services()}})
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(32)
    if form.validate_on_submit():
        g.text_to_give_back = [(label, request.form.get(name, "")) for name, label in
                               (("what_was_good", _("What was good")),
                                ("should_change", _("What should change")))
                               if request.form.get(name, "").strip()]
        try:
            report = services.record(services.InspectionInput(
                token=form.token.data, service_id=int(form.service.data),
                visit_date=form.visit_date.data, group_name=form.group_name.data or "",
                inspectors=form.inspectors.data,
                scores={s.id: _score(form[f"score_{s.id}"].data) for s in standards},
                what_was_good=form.what_was_good.data or "",
                should_change=form.should_change.data or "",
                not_names=bool(form.not_names.data)), _actor(), clock.today())
        except FieldError as error:
            show_on_form(form, error)
        else:
            flash(_("Report saved. Each thing that should change waits for a moderator before "
                    "it is counted."), "success")
            return redirect(url_for("inspections.report", inspection_id=report.id))
    return render_template("inspections/new.html", form=form, standards=standards), _status(form)


def _report_or_404(inspection_id: int):
    try:
        return services.get_for(inspection_id, _actor())
    except LookupError:
        abort(404)


@bp.route("/inspections/<int:inspection_id>")
@role_required(*READERS)
def report(inspection_id: int):
    inspection = _report_or_404(inspection_id)
    return _report_page(inspection, FileForm(formdata=None))


def _report_page(inspection, file_form, status: int = 200):
    return render_template(
        "inspections/report.html", inspection=inspection, file_form=file_form,
        scores=sections.section_of(inspection).scores,
        published=sections.published_items(inspection),
        waiting=sections.waiting_items(inspection),
        can_record=can_record_inspections(current_user),
        is_provider=current_user.has_role(Role.PROVIDER)), status


@bp.route("/inspections/<int:inspection_id>/files", methods=["POST"])
@role_required(*INSPECTION_ROLES)
def add_file(inspection_id: int):
    inspection = _report_or_404(inspection_id)
    form = FileForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(files.MAX_FILE_BYTES + 1) if upload else b""
        if upload:
            upload.close()  # a large upload waits in a temporary file: let it go now
        try:
            files.add_file(inspection.id, getattr(upload, "filename", None), data, _actor(),
                              current_app.instance_path)
        except FieldError as error:
            show_on_form(form, error)
        else:
            flash(_("File added."), "success")
            return redirect(url_for("inspections.report", inspection_id=inspection.id))
    return _report_page(inspection, form, 400)


@bp.route("/inspections/<int:inspection_id>/files/<int:file_id>")
@role_required(*READERS)
def download_file(inspection_id: int, file_id: int):
    try:
        row, data = files.file_for(inspection_id, file_id, _actor(), current_app.instance_path)
    except LookupError:
        abort(404)
    return send_bytes(data, row.filename, row.content_type)


@bp.route("/inspections/<int:inspection_id>/response", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def response(inspection_id: int):
    inspection = _report_or_404(inspection_id)
    form = ResponseForm(data={"response": inspection.response or ""})
    if form.validate_on_submit():
        try:
            services.respond(inspection.id, form.response.data, _actor())
        except FieldError as error:
            show_on_form(form, error)
        else:
            flash(_("Your response has been saved."), "success")
            return redirect(url_for("inspections.report", inspection_id=inspection.id))
    return render_template("inspections/response.html", form=form, inspection=inspection,
                           max_response=services.MAX_RESPONSE), _status(form)


@bp.route("/inspections/<int:inspection_id>/report.docx")
@role_required(*READERS)
def report_docx(inspection_id: int):
    from ..exports.inspection_docx import report_to_docx
    inspection = _report_or_404(inspection_id)
    stem = "".join(c if c.isalnum() else "-" for c in (inspection.service.name or "").lower())
    stem = "-".join(part for part in stem.split("-") if part)[:60] or "service"
    return send_bytes(report_to_docx(sections.section_of(inspection), clock.today()),
                      f"young-inspectors-{inspection.visit_date:%Y-%m-%d}-{stem}.docx", DOCX)


# --- standards -------------------------------------------------------------------------------

@bp.route("/inspections/standards")
@role_required(*STANDARDS_ROLES)
def standards():
    return render_template("inspections/standards.html", standards=inspection_standards.standards(),
                           in_use=inspection_standards.standards_in_use(), form=ActionForm())


@bp.route("/inspections/standards/new", methods=["GET", "POST"])
@role_required(*STANDARDS_ROLES)
def new_standard():
    return _standard_page(None)


@bp.route("/inspections/standards/<int:standard_id>", methods=["GET", "POST"])
@role_required(*STANDARDS_ROLES)
def edit_standard(standard_id: int):
    try:
        standard = inspection_standards.get_standard(standard_id, _actor())
    except LookupError:
        abort(404)
    return _standard_page(standard)


def _standard_page(standard):
    form = StandardForm(data={"name": standard.name, "description": standard.description}
                        if standard is not None else None)
    if form.validate_on_submit():
        try:
            inspection_standards.save_standard(_actor(), form.name.data, form.description.data,
                                   standard.id if standard is not None else None)
        except FieldError as error:
            show_on_form(form, error)
        else:
            flash(_("Standard saved."), "success")
            return redirect(url_for("inspections.standards"))
    return render_template("inspections/standard_form.html", form=form,
                           standard=standard), _status(form)


@bp.route("/inspections/standards/<int:standard_id>/remove", methods=["POST"])
@role_required(*STANDARDS_ROLES)
def remove_standard(standard_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outcome = inspection_standards.remove_standard(_actor(), standard_id)
    except LookupError:
        abort(404)
    flash(_("Standard retired: reports that scored it keep it, new reports do not offer it.")
          if outcome == "retired" else _("Standard deleted."), "success")
    return redirect(url_for("inspections.standards"))


@bp.route("/inspections/standards/<int:standard_id>/restore", methods=["POST"])
@role_required(*STANDARDS_ROLES)
def restore_standard(standard_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        inspection_standards.restore_standard(_actor(), standard_id)
    except LookupError:
        abort(404)
    flash(_("Standard brought back: new reports offer it again."), "success")
    return redirect(url_for("inspections.standards"))


# --- what other pages show -------------------------------------------------------------------

@bp.app_context_processor
def inspection_panels():
    """``inspection_reports(filters)`` for the insight dashboard and
    ``provider_inspections(user)`` for the provider home."""
    return {"inspection_reports": services.for_filters,
            "provider_inspections": services.for_provider}
