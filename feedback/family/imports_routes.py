"""Import routes: upload -> choose columns (with a preview) -> check every row -> import.

The uploaded file waits on the server (``uploads``); the session holds only
its random id. Reading the file (bounded: ``reading``), checking every row and importing
each run as a background job (``import_jobs``: RQ with Redis, inline
without), and the pages show progress until it is done, so no web worker
waits on a large file.

A provider (role ``provider``) imports the feedback it collected itself through the
same pages: no forum to choose, every row must be about one of its own services,
and every entry keeps "collected by <provider>" (``imports``).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import options
from ..provider.services import organisation_of
from ..exports import to_csv
from ..ids import page_arg
from ..permissions import IMPORT_ROLES, has_role, role_required
from . import import_jobs, imports, services, uploads
from ..downloads import send_bytes
from .blueprint import bp
from .fields import FIELDS, guess_mapping
from .staff_forms import ImportConfirmForm, UploadForm, mapping_form
from .reading import MAX_BLANK_RUN, Outline, UnreadableFile, read_table
from .template_file import template_csv, template_xlsx

UPLOAD_KEY = "family_import"
PREVIEW_ROWS = import_jobs.PREVIEW_ROWS
REPORT_ROWS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def forum_choices() -> dict[str, str]:
    return {"": _("No forum (the council's own feedback)"),
            **{str(i): n for i, n in options.forums()}}


def collecting_provider(user):
    """The organisation a provider imports its own collected feedback for, or None when
    ``user`` imports independent voice (a forum representative or a commissioner)."""
    if has_role(user, "forum_rep", "commissioner") or not has_role(user, "provider"):
        return None
    return options.organisation(organisation_of(user))


def _current_upload(read: bool = True):
    """The signed-in person's upload and its bytes (``read=False``: the upload only)."""
    found = uploads.load(current_app.instance_path, session.get(UPLOAD_KEY), current_user.id)
    if found is None:
        session.pop(UPLOAD_KEY, None)
        return None
    return found if read else found[0]


@bp.route("/feedback/import", methods=["GET", "POST"])
@role_required(*IMPORT_ROLES)
def import_upload():
    form = UploadForm()
    is_rep = has_role(current_user, "forum_rep")
    forum = None
    collector = collecting_provider(current_user)
    if is_rep:
        try:
            forum = services.forum_of(current_user)
        except services.NotAForumMember:
            abort(403)
        del form.forum
    elif collector is not None:
        del form.forum
    else:
        form.forum.choices = forum_choices()
    if form.validate_on_submit():
        with form.file.data.stream as stream:  # spooled to a temporary file when large
            data = stream.read()
        forum_id = forum.id if forum else (
            int(form.forum.data) if collector is None and form.forum.data else None)
        upload = uploads.save(current_app.instance_path, data, form.file.data.filename,
                              current_user.id, forum_id,
                              collected_by_id=collector.id if collector else None)
        import_jobs.start("read", current_app.instance_path, upload)
        if upload.job["status"] == "failed":  # read inline (no Redis): say why on this page
            uploads.delete(current_app.instance_path, upload.id)
            form.file.errors.append(upload.job.get("message") or import_jobs.FAILED)
        else:
            uploads.delete(current_app.instance_path, session.get(UPLOAD_KEY))
            session[UPLOAD_KEY] = upload.id
            return redirect(url_for("family.import_columns"))
    return render_template("family/import_upload.html", form=form, forum=forum,
                           collector=collector, fields=FIELDS, max_rows=imports.MAX_IMPORT_ROWS)


@bp.route("/feedback/import/template.<any(csv, xlsx):fmt>")
@role_required(*IMPORT_ROLES)
def import_template(fmt: str):
    if fmt == "csv":
        return send_bytes(template_csv(), "feedback-import-template.csv", "text/csv")
    collector = collecting_provider(current_user)
    return send_bytes(template_xlsx(collector.id if collector else None),
                      "feedback-import-template.xlsx", XLSX)


@bp.route("/feedback/import/columns", methods=["GET", "POST"])
@role_required(*IMPORT_ROLES)
def import_columns():
    found = _current_upload()
    if found is None:
        flash(_("Upload a file to start an import."), "info")
        return redirect(url_for("family.import_upload"))
    upload, data = found
    job = upload.job or {}
    if job.get("kind") == "read" and not import_jobs.is_stale(job):
        if job["status"] in ("queued", "running"):
            return _waiting(upload, "read")
        if job["status"] == "failed":
            return _failed(upload, job)
    if upload.outline:
        table = Outline(**upload.outline)
    else:  # an upload saved before outlines were kept, or whose reading job died
        try:
            table = Outline.of(read_table(data, upload.filename, imports.MAX_IMPORT_ROWS),
                               PREVIEW_ROWS)
        except UnreadableFile:
            return redirect(url_for("family.import_upload"))
    guessed = upload.mapping or guess_mapping(table.headers)
    form = mapping_form(table.headers, FIELDS, guessed)()
    if form.validate_on_submit():
        mapping = {f.key: (int(form[f"col_{f.key}"].data) if form[f"col_{f.key}"].data else None)
                   for f in FIELDS}
        uploads.set_mapping(current_app.instance_path, upload, mapping)
        import_jobs.start("check", current_app.instance_path, upload)
        return redirect(url_for("family.import_check"))
    return render_template("family/import_columns.html", form=form, upload=upload, table=table,
                           preview=table.preview, fields=FIELDS,
                           max_blank_run=MAX_BLANK_RUN)


def _check_view(job: dict) -> imports.CheckView:
    return imports.CheckView.from_summary(job["result"])


def _waiting(upload, doing: str):
    """The page shown while the background job works: it reloads itself."""
    return render_template("family/import_waiting.html", upload=upload, doing=doing)


def _failed(upload, job):
    uploads.delete(current_app.instance_path, upload.id)
    session.pop(UPLOAD_KEY, None)
    flash(job.get("message") or _(import_jobs.FAILED), "error")
    return redirect(url_for("family.import_upload"))


@bp.route("/feedback/import/check", methods=["GET", "POST"])
@role_required(*IMPORT_ROLES)
def import_check():
    found = _current_upload(read=False)
    if found is None:
        flash(_("Upload a file to start an import."), "info")
        return redirect(url_for("family.import_upload"))
    upload = found
    if upload.mapping is None:
        return redirect(url_for("family.import_columns"))
    job = upload.job or {}
    if job.get("kind") == "import" and not import_jobs.is_stale(job):
        return redirect(url_for("family.import_progress"))
    if job.get("kind") != "check" or import_jobs.is_stale(job):
        import_jobs.start("check", current_app.instance_path, upload)
        job = upload.job
    if job["status"] in ("queued", "running"):
        return _waiting(upload, "check")
    if job["status"] == "failed":
        return _failed(upload, job)
    form = ImportConfirmForm()
    if form.validate_on_submit():
        import_jobs.start("import", current_app.instance_path, upload)
        return redirect(url_for("family.import_progress"))
    result = _check_view(job)
    forum = options.organisation(upload.forum_id)
    collector = options.organisation(upload.collected_by_id)
    return render_template("family/import_check.html", form=form, upload=upload, result=result,
                           problems=result.problems[:REPORT_ROWS], report_rows=REPORT_ROWS,
                           conflict=job.get("conflict"), forum=forum, collector=collector)


@bp.route("/feedback/import/progress")
@role_required(*IMPORT_ROLES)
def import_progress():
    upload = _current_upload(read=False)
    if upload is None:
        flash(_("Upload a file to start an import."), "info")
        return redirect(url_for("family.import_upload"))
    job = upload.job or {}
    if job.get("kind") != "import" or import_jobs.is_stale(job):
        return redirect(url_for("family.import_check"))
    if job["status"] in ("queued", "running"):
        return _waiting(upload, "import")
    if job["status"] == "conflict":
        # Someone imported some of these rows meanwhile: check the file again, and say why.
        import_jobs.start("check", current_app.instance_path, upload, conflict=job.get("message"))
        return redirect(url_for("family.import_check"))
    if job["status"] == "failed":
        return _failed(upload, job)
    outcome = job["result"]
    uploads.delete(current_app.instance_path, upload.id)
    session.pop(UPLOAD_KEY, None)
    if outcome["batch_id"] is None:
        flash(_("Nothing was imported: every row was a duplicate or had a problem."), "info")
        return redirect(url_for("family.import_upload"))
    flash(ngettext("%(count)s row imported.", "%(count)s rows imported.", outcome["imported"],
                   count=f"{outcome['imported']:,}"), "success")
    return redirect(url_for("family.import_batch", batch_id=outcome["batch_id"]))


@bp.route("/feedback/import/errors.csv")
@role_required(*IMPORT_ROLES)
def import_errors():
    upload = _current_upload(read=False)
    job = (upload.job or {}) if upload is not None else {}
    if job.get("kind") != "check" or job.get("status") != "done":
        return redirect(url_for("family.import_check" if upload else "family.import_upload"))
    result = _check_view(job)
    rows = [[p.row, _("Problem"), "; ".join(p.problems)] for p in result.problems]
    rows += [[d.row, _("Duplicate"), d.reason] for d in result.duplicates]
    rows += [[n, _("Blank row"), _("Skipped")] for n in result.blank_rows]
    rows.sort(key=lambda r: r[0])
    stem = upload.filename.rsplit(".", 1)[0][:60] or "import"
    return send_bytes(to_csv([_("Row"), _("Outcome"), _("Why")], rows), f"{stem}-row-report.csv",
                      "text/csv")


@bp.route("/feedback/import/batches/<int:batch_id>")
@role_required(*IMPORT_ROLES)
def import_batch(batch_id: int):
    try:
        batch = services.view_batch(current_user, batch_id)
    except services.EntryNotFound:
        abort(404)
    page = None
    if has_role(current_user, "forum_rep"):
        page = services.forum_entries(current_user, page=page_arg(),
                                      batch_id=batch.id)
    return render_template("family/import_batch.html", batch=batch, page=page)
