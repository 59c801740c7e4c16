"""The provider's pages: the provider home, the reply form and updating agreed actions."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..contracts import action_updates, evidence
from ..models.contracts import ACTION_STATUSES
from ..errors import show_on_form
from ..models.replies import MAX_REPLY
from ..permissions import role_required
from ..returns import due as returns
from . import replies, services
from .blueprint import bp
from .forms import ActionUpdateForm, ReplyForm


def _actor():
    return current_user._get_current_object()


@bp.route("/provider")
@role_required("provider")
def home():
    page = services.home(_actor(), clock.today())
    due = returns.for_provider(_actor(), clock.today(),
                              returns.working_days_of(current_app.config),
                              returns.bank_holidays_of(current_app.config))
    return render_template("provider/home.html", page=page, returns=due)


@bp.route("/provider/<any(card,feedback):kind>/<int:item_id>/reply", methods=["GET", "POST"])
@role_required("provider")
def reply(kind: str, item_id: int):
    try:
        item = replies.reply_target(kind, item_id, _actor())
    except LookupError:
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            replies.submit_reply(kind, item_id, replies.ReplyInput(form.body.data or "",
                                                                   bool(form.sign.data)), _actor())
        except replies.ReplyError as error:
            show_on_form(form, error)
        else:
            flash(_("Your reply has been sent. A moderator checks it before it is published."),
                  "success")
            return redirect(url_for("provider.home"))
    status = 400 if form.errors or getattr(form, "form_errors", None) else 200
    return render_template("provider/reply.html", form=form, item=item, kind=kind,
                           max_reply=MAX_REPLY), status


@bp.route("/provider/actions/<int:action_id>", methods=["GET", "POST"])
@role_required("provider")
def action(action_id: int):
    """Update an action agreed with the provider's organisation (another's: 404)."""
    try:
        found = action_updates.provider_action(action_id, _actor())
    except LookupError:
        abort(404)
    form = ActionUpdateForm(status="in_progress" if found.status == "in_progress" else "open")
    if form.validate_on_submit():
        upload = form.evidence_file.data
        data = upload.read(evidence.MAX_BYTES + 1) if upload and upload.filename else None
        try:
            action_updates.provider_update(found.id, action_updates.ProviderUpdate(
                status=form.status.data, note=form.note.data or "",
                new_due_date=form.new_due_date.data, due_reason=form.due_reason.data or "",
                evidence_url=form.evidence_url.data or "", evidence_data=data,
                evidence_filename=upload.filename if data is not None else None),
                _actor(), current_app.instance_path, current_app.config)
        except action_updates.ActionUpdateError as error:
            show_on_form(form, error)
        else:
            flash(_("Your update has been saved. The commissioner has been asked to accept "
                    "the action as completed.") if form.status.data == "completed"
                  else _("Your update has been saved."), "success")
            return redirect(url_for("provider.action", action_id=found.id))
    status = 400 if form.errors or getattr(form, "form_errors", None) else 200
    return render_template("provider/action.html", form=form, action=found,
                           statuses=ACTION_STATUSES), status
