"""The provider's pages: the provider home and the reply form."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import clock
from ..errors import show_on_form
from ..models.replies import MAX_REPLY
from ..permissions import role_required
from ..returns import services as returns
from . import replies, services
from .blueprint import bp
from .forms import ReplyForm


def _actor():
    return current_user._get_current_object()


@bp.route("/provider")
@role_required("provider")
def home():
    page = services.home(_actor(), clock.today())
    due = returns.for_provider(_actor(), clock.today(),
                              returns.working_days_of(current_app.config))
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
            flash("Your reply has been sent. A moderator checks it before it is published.",
                  "success")
            return redirect(url_for("provider.home"))
    status = 400 if form.errors or getattr(form, "form_errors", None) else 200
    return render_template("provider/reply.html", form=form, item=item, kind=kind,
                           max_reply=MAX_REPLY), status
