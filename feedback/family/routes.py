"""Routes: parse the request, validate a form, call one service, render or redirect."""
from __future__ import annotations

import secrets

from flask import (abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext
from flask_login import current_user

from .. import options
from ..downloads import send_bytes
from ..extensions import limiter
from ..i18n import current_choice, name_lang, pick_name
from ..ids import page_arg
from ..models.family import FORUM_SOURCE_KINDS, RESPONDENT_TYPES
from ..models.submissions import MODERATION_STATES, STATUSES
from ..permissions import role_required
from . import services
from .blueprint import bp
from .forms import FeedbackForm
from .staff_forms import ForumEntryForm

__all__ = ["bp"]
RECEIPT_KEY = "family_receipt"


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


@bp.errorhandler(429)
def too_many(_error):
    """A kind 429 that gives the person their words back (the limiter refuses
    before the view runs, so the words are taken from the refused request)."""
    return render_template("family/too_many.html", given_back=_words_from(request.form)), 429


def _words_from(data) -> list[tuple[str, str]]:
    return [(label, data.get(name, "")) for name, label in
            (("went_well", "What went well"), ("could_be_better", "What could be better"))
            if data.get(name, "").strip()]


def service_choices(public: bool = False) -> list[tuple[str, str, dict]]:
    """The service list: the public form (and its Welsh and easy-read versions) shows the
    names families know (the plain names the card journey uses; on a Welsh page the Welsh
    name when there is one, else the English marked ``lang="en"``); a forum's staff form the
    services' formal names."""
    blank = ("", gettext("Choose a service"), {})
    if not public:
        return [blank, *((str(i), n, {}) for i, n in options.active_services())]
    return [blank, *((str(i), pick_name(n, cy), {"lang": "en"} if name_lang(n, cy) else {})
                     for i, n, cy in options.public_services())]


def area_choices(blank: str) -> dict[str, str]:
    return {"": blank, **{str(i): n for i, n in options.local_areas()}}


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


@bp.route("/feedback/new", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def feedback_start():
    form = FeedbackForm()
    form.service.choices = service_choices(public=True)
    form.area.choices = area_choices(gettext("Prefer not to say"))
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(32)
    if form.validate_on_submit():
        g.text_to_give_back = _words_from(request.form)
        result = services.submit_family_feedback(services.FamilyFeedback(
            token=form.token.data, service_id=int(form.service.data),
            respondent_type=form.respondent_type.data, rating=int(form.rating.data),
            went_well=form.went_well.data or "", could_be_better=form.could_be_better.data or "",
            quote_consent=bool(form.quote_consent.data), ethnicity=form.ethnicity.data or None,
            disability_send=form.disability_send.data or None,
            child_age_band=form.child_age_band.data or None,
            area_id=_int_or_none(form.area.data), language=current_choice()))
        if not result.replay:
            session[RECEIPT_KEY] = {"id": result.entry_id, "code": result.receipt_code}
        elif (session.get(RECEIPT_KEY) or {}).get("id") != result.entry_id:
            session[RECEIPT_KEY] = {"id": result.entry_id, "code": None}
        return redirect(url_for("family.feedback_sent"))
    if request.method == "POST" and not form.token.data:
        form.token.data = secrets.token_urlsafe(32)
    return render_template("family/feedback_new.html", form=form)


@bp.route("/feedback/sent")
def feedback_sent():
    receipt = session.get(RECEIPT_KEY)
    if not receipt:
        return redirect(url_for("family.feedback_start"))
    return render_template("family/feedback_sent.html", code=receipt.get("code"))


# --- forum -------------------------------------------------------------------

def _forum_or_403():
    try:
        return services.forum_of(current_user)
    except services.NotAForumMember:
        abort(403)


@bp.route("/forum")
@role_required("forum_rep")
def forum_home():
    forum = _forum_or_403()
    status = request.args.get("status") or None
    source = request.args.get("source") or None
    page = services.forum_entries(current_user, page=page_arg(),
                                  status=status, source=source)
    return render_template("family/forum_home.html", forum=forum, page=page, status=status,
                           source=source, statuses=STATUSES,
                           batches=services.forum_batches(current_user))


@bp.route("/forum/entries/new", methods=["GET", "POST"])
@role_required("forum_rep")
def forum_entry_new():
    forum = _forum_or_403()
    form = ForumEntryForm()
    form.service.choices = service_choices()
    form.area.choices = area_choices(gettext("Not given"))
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(32)
    if form.validate_on_submit():
        g.text_to_give_back = _words_from(request.form)
        result = services.submit_forum_feedback(current_user, services.ForumFeedback(
            token=form.token.data, service_id=int(form.service.data),
            respondent_type=form.respondent_type.data, rating=_int_or_none(form.rating.data),
            went_well=form.went_well.data or "", could_be_better=form.could_be_better.data or "",
            source_kind=form.source_kind.data, source_name=form.source_name.data or None,
            source_date=form.source_date.data,
            families_represented=form.families_represented.data,
            consent_collected=bool(form.consent_collected.data),
            quote_consent=bool(form.quote_consent.data), area_id=_int_or_none(form.area.data),
            child_age_band=form.child_age_band.data or None))
        if not result.replay:
            flash(gettext("Feedback submitted. It will be checked before anything is quoted."), "success")
        return redirect(url_for("family.forum_entry", entry_id=result.entry_id))
    return render_template("family/forum_entry_new.html", form=form, forum=forum)


@bp.route("/forum/entries/<int:entry_id>")
@role_required("forum_rep")
def forum_entry(entry_id: int):
    try:
        entry = services.view_entry(current_user, entry_id)
    except services.EntryNotFound:
        abort(404)
    return render_template("family/forum_entry.html", entry=entry, statuses=STATUSES,
                           moderation_states=MODERATION_STATES, source_kinds=FORUM_SOURCE_KINDS,
                           respondent_types=RESPONDENT_TYPES)


@bp.route("/forum/export.<any(csv, xlsx):fmt>")
@role_required("forum_rep")
def forum_export(fmt: str):
    forum = _forum_or_403()
    headers, rows = services.export_rows(current_user)
    from ..exports import to_csv, to_xlsx
    stem = "".join(c if c.isalnum() else "-" for c in forum.name.lower()).strip("-")
    if fmt == "csv":
        return send_bytes(to_csv(headers, rows), f"{stem}-feedback.csv", "text/csv")
    return send_bytes(to_xlsx(headers, rows, "Feedback"), f"{stem}-feedback.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
