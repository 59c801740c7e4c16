"""Return pages (blueprint ``returns``): the list of returns due, one return (the
provider's form, or a read-only view), the commissioner's decisions, the blank XLSX form
and its upload, and supporting files. Every id of a contract the reader may not see
answers 404."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..downloads import send_bytes
from ..errors import FieldError, show_on_form
from ..permissions import Role, has_role, role_required
from . import checks, due, services, workbook
from .blueprint import bp
from .files import KINDS, MAX_FILES
from .forms import AcceptForm, CorrectionForm, FileForm, RemoveFileForm, UploadForm, return_form

VIEW_ROLES = (Role.COMMISSIONER, Role.PROVIDER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {"pdf": "application/pdf", "xlsx": XLSX,
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _actor():
    return current_user._get_current_object()


def _load(contract_id: int, period: str):
    """(contract, period, return or None), or 404."""
    try:
        contract = services.contract_for(_actor(), contract_id)
        found_period = due.period_for(contract, period, clock.today())
    except LookupError:
        abort(404)
    return contract, found_period, services.find(contract.id, found_period)


def _here(contract, period, endpoint="returns.view", **kwargs):
    return url_for(endpoint, contract_id=contract.id, period=period.start.isoformat(), **kwargs)


def _show(form, error: checks.ReturnError) -> None:
    for field, message in error.problems:
        show_on_form(form, FieldError(message, field))


@bp.route("/returns")
@role_required(*VIEW_ROLES)
def index():
    today = clock.today()
    days = due.working_days_of(current_app.config)
    region = due.bank_holidays_of(current_app.config)
    if has_role(current_user, Role.PROVIDER) and not has_role(current_user, Role.COMMISSIONER):
        rows = due.for_provider(_actor(), today, days, region)
    else:
        rows = due.for_commissioner(today, days, region)
    return render_template("returns/index.html", rows=rows, today=today, working_days=days,
                           overdue=due.overdue(rows),
                           waiting=[r for r in rows if r.status == "submitted"])


@bp.route("/returns/<int:contract_id>/<period>", methods=["GET", "POST"])
@role_required(*VIEW_ROLES)
def view(contract_id: int, period: str):
    contract, found_period, found = _load(contract_id, period)
    is_provider = has_role(current_user, Role.PROVIDER)
    editable = is_provider and (found is None or found.editable)
    if request.method == "POST" and not editable:
        if not is_provider:
            abort(403)
        flash(_("This return has already been submitted, so it cannot be changed."), "important")
        return redirect(_here(contract, found_period))
    form = return_form(contract, found) if editable else None
    status = 200
    if form is not None and form.validate_on_submit():
        data = checks.ReturnInput(
            values={k.id: (form[f"value_{k.id}"].data, form[f"narrative_{k.id}"].data)
                    for k in contract.kpis},
            heard=form.heard.data, changed=form.changed.data,
            safeguarding_referrals=form.safeguarding_referrals.data,
            complaints=form.complaints.data)
        try:
            if form.submit_return.data:
                services.submit(contract, found_period, data, _actor(), config=current_app.config,
                                link=_here(contract, found_period, _external=True))
                flash(_("Return submitted. The contract manager has been told."), "success")
            else:
                services.save(contract, found_period, data, _actor())
                flash(_("Draft saved. You can come back to it before you submit."), "success")
        except checks.ReturnError as error:
            if error.field is None:  # submitted meanwhile (another tab): say so on the return
                flash(str(error), "important")
                return redirect(_here(contract, found_period))
            _show(form, error)
            status = 400
        else:
            return redirect(_here(contract, found_period))
    elif form is not None and request.method == "POST":
        status = 400
    days = due.working_days_of(current_app.config)
    return render_template(
        "returns/view.html", contract=contract, period=found_period, found=found, form=form,
        due=due.due_date(found_period, days, due.bank_holidays_of(current_app.config)),
        today=clock.today(),
        is_provider=is_provider, can_decide=has_role(current_user, Role.COMMISSIONER),
        accept_form=AcceptForm(), kinds=KINDS, max_files=MAX_FILES), status


@bp.route("/returns/<int:contract_id>/<period>/correction", methods=["GET", "POST"])
@role_required(Role.COMMISSIONER)
def correct(contract_id: int, period: str):
    contract, found_period, found = _load(contract_id, period)
    if found is None or found.status != "submitted":
        flash(_("Only a submitted return can be returned for correction."), "important")
        return redirect(_here(contract, found_period))
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            services.return_for_correction(found, form.reason.data, _actor())
        except checks.ReturnError as error:
            show_on_form(form, error)
        else:
            flash(_("Return sent back to the provider for correction."), "success")
            return redirect(_here(contract, found_period))
    status = 400 if form.errors else 200
    return render_template("returns/correct.html", form=form, contract=contract,
                           period=found_period, found=found), status


@bp.route("/returns/<int:contract_id>/<period>/accept", methods=["POST"])
@role_required(Role.COMMISSIONER)
def accept(contract_id: int, period: str):
    contract, found_period, found = _load(contract_id, period)
    form = AcceptForm()
    if found is None or found.status != "submitted":
        flash(_("Only a submitted return can be accepted."), "important")
    elif form.validate_on_submit():
        try:
            services.accept(found, _actor())
        except checks.ReturnError as error:
            flash(str(error), "important")
        else:
            flash(_("Return accepted."), "success")
    return redirect(_here(contract, found_period))


@bp.route("/returns/<int:contract_id>/<period>/form.xlsx")
@role_required(*VIEW_ROLES)
def form_xlsx(contract_id: int, period: str):
    contract, found_period, found = _load(contract_id, period)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in contract.reference)
    return send_bytes(workbook.blank_form(contract, found_period, found),
                      f"return-{safe}-{found_period.start.isoformat()}.xlsx", XLSX)


@bp.route("/returns/<int:contract_id>/<period>/upload", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def upload(contract_id: int, period: str):
    contract, found_period, found = _load(contract_id, period)
    if found is not None and not found.editable:
        flash(_("This return has been submitted, so it cannot be changed."), "important")
        return redirect(_here(contract, found_period))
    form = UploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        with form.file.data.stream as stream:
            data = stream.read(workbook.MAX_FORM_BYTES + 1)
        try:
            values = workbook.read_form(data, contract)
            services.save(contract, found_period, values, _actor(), source="xlsx")
        except workbook.FormProblems as error:
            problems = error.problems
            form.file.errors = [*form.file.errors, _(
                "The form has %(count)s problems, listed below. Nothing was saved",
                count=len(problems)) if len(problems) > 1
                else _("%(problem)s. Nothing was saved", problem=problems[0])]
        except checks.ReturnError as error:
            show_on_form(form, FieldError(str(error), "file"))
        else:
            flash(_("Your completed form filled in the draft. Check it, then submit it."),
                  "success")
            return redirect(_here(contract, found_period))
    status = 400 if form.errors else 200
    return render_template("returns/upload.html", form=form, contract=contract,
                           period=found_period, problems=problems), status


@bp.route("/returns/<int:contract_id>/<period>/files", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def add_file(contract_id: int, period: str):
    contract, found_period, found = _load(contract_id, period)
    if found is not None and not found.editable:
        flash(_("This return has been submitted, so its files cannot be changed."), "important")
        return redirect(_here(contract, found_period))
    form = FileForm()
    if form.validate_on_submit():
        from .files import MAX_FILE_BYTES
        with form.file.data.stream as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        try:
            services.add_file(contract, found_period, data, form.file.data.filename, _actor(),
                              config=current_app.config,
                              instance_path=current_app.instance_path)
        except checks.ReturnError as error:
            show_on_form(form, FieldError(str(error), "file"))
        else:
            flash(_("File added to the return."), "success")
            return redirect(_here(contract, found_period))
    status = 400 if form.errors else 200
    return render_template("returns/files.html", form=form, contract=contract,
                           period=found_period, found=found, max_files=MAX_FILES), status


@bp.route("/returns/<int:contract_id>/<period>/files/<int:file_id>")
@role_required(*VIEW_ROLES)
def download_file(contract_id: int, period: str, file_id: int):
    _contract, _period, found = _load(contract_id, period)
    if found is None:
        abort(404)
    try:
        row, data = services.file_for(found, file_id, _actor(), config=current_app.config,
                                      instance_path=current_app.instance_path)
    except LookupError:
        abort(404)
    return send_bytes(data, row.filename, MIMETYPES.get(row.kind, "application/octet-stream"))


@bp.route("/returns/<int:contract_id>/<period>/files/<int:file_id>/remove", methods=["POST"])
@role_required(Role.PROVIDER)
def remove_file(contract_id: int, period: str, file_id: int):
    contract, found_period, found = _load(contract_id, period)
    if found is None:
        abort(404)
    if RemoveFileForm().validate_on_submit():
        try:
            services.remove_file(found, file_id, _actor(), config=current_app.config,
                                 instance_path=current_app.instance_path)
        except LookupError:
            abort(404)
        except checks.ReturnError as error:
            flash(str(error), "important")
        else:
            flash(_("File removed."), "success")
    return redirect(_here(contract, found_period))
