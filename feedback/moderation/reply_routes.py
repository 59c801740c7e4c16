"""Staff pages for providers' replies: the moderators' list and decision, and the
safeguarding lead's held replies. They join the ``cards`` blueprint, as the other queues."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .blueprint import bp
from ..errors import show_on_form
from ..permissions import role_required
from . import replies
from .forms import ReplyDecisionForm, ReplyLeadForm


def _actor():
    return current_user._get_current_object()


@bp.route("/moderation/replies")
@role_required("moderator")
def reply_queue():
    waiting, held = replies.reply_queue(_actor())
    return render_template("moderation/replies.html", replies=waiting, held=held)


@bp.route("/moderation/replies/<int:reply_id>", methods=["GET", "POST"])
@role_required("moderator")
def moderate_reply(reply_id: int):
    try:
        reply = replies.view_reply(reply_id, _actor())
    except LookupError:
        abort(404)
    form = ReplyDecisionForm(body_redacted=reply.body_redacted)
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "reject":
                replies.reject_reply(reply_id, _actor(), form.reason.data)
                flash(_("Reply rejected. It will not be published."), "success")
            else:
                replies.approve_reply(reply_id, _actor(), form.body_redacted.data)
                flash(_("Reply approved and published."), "success")
        except replies.ModerationError as error:
            show_on_form(form, error)
        else:
            return redirect(url_for("moderation.reply_queue"))
    status = 400 if form.errors else 200
    return render_template("moderation/reply.html", reply=reply, form=form), status


@bp.route("/safeguarding/replies", methods=["GET", "POST"])
@role_required("safeguarding_lead")
def held_replies():
    form = ReplyLeadForm()
    if request.method == "POST":
        reply_id = request.form.get("reply_id", "")
        if form.validate_on_submit() and reply_id.isdigit() and len(reply_id) < 10:
            try:
                replies.decide_held_reply(int(reply_id), _actor(), form.decision.data)
            except LookupError:
                abort(404)
            flash(_("Released to moderation.") if form.decision.data == "release"
                  else _("Kept private: it will not be published."), "success")
            return redirect(url_for("moderation.held_replies"))
        if not form.errors:
            form.decision.errors = [_("Choose a reply to decide on")]
    status = 400 if form.errors else 200
    return render_template("moderation/held_replies.html", replies=replies.held_replies(_actor()),
                           form=form), status
