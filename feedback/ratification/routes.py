"""The youth panel pages: the periods, a period's themes and answers, recording a
session, what the panel said of one item, and a commissioner's reason when no panel
could check a period."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..errors import show_on_form
from ..permissions import PANEL_ROLES, Role, role_required
from . import services
from .blueprint import bp
from .forms import MAX_LENGTHS, SessionForm, VerdictForm, WaiverForm

PERIOD = "/youth-panel/<any(quarter,year):period_kind>/<period_start>"


def _actor():
    return current_user._get_current_object()


def _period(kind: str, start: str):
    try:
        return services.period_from(kind, start)
    except LookupError:
        abort(404)


def _status(form) -> int:
    return 400 if form.errors or getattr(form, "form_errors", None) else 200


@bp.route("/youth-panel")
@role_required(*PANEL_ROLES)
def home():
    return render_template("ratification/home.html",
                           periods=services.periods(_actor(), clock.today()))


@bp.route(PERIOD)
@role_required(*PANEL_ROLES)
def period(period_kind: str, period_start: str):
    found = _period(period_kind, period_start)
    return render_template("ratification/period.html",
                           page=services.period_page(_actor(), found, clock.today()))


@bp.route(PERIOD + "/sessions/new", methods=["GET", "POST"])
@role_required(*PANEL_ROLES)
def new_session(period_kind: str, period_start: str):
    found = _period(period_kind, period_start)
    form = SessionForm()
    if form.validate_on_submit():
        data = services.SessionInput(form.held_on.data, form.group_name.data,
                                     form.young_people.data)
        try:
            services.record_session(_actor(), found, data, clock.today())
        except services.PanelError as error:
            show_on_form(form, error)
        else:
            flash(_("The session is recorded. Now mark what the young people said of each "
                    "theme and answer."), "success")
            return redirect(url_for("ratification.period", period_kind=period_kind,
                                    period_start=period_start))
    return render_template("ratification/session_new.html", form=form, period=found), \
        _status(form)


@bp.route("/youth-panel/sessions/<int:session_id>/<any(theme,answer):subject>/<int:subject_id>",
          methods=["GET", "POST"])
@role_required(*PANEL_ROLES)
def verdict(session_id: int, subject: str, subject_id: int):
    try:
        session = services.get_session(_actor(), session_id)
        item = services.item_of(_actor(), session, subject, subject_id)
    except LookupError:
        abort(404)
    period = services.session_period(session)
    form = VerdictForm()
    if not form.is_submitted() and item.verdict is not None:
        form.verdict.data = item.verdict.verdict
        form.wording.data = item.verdict.wording
        form.reason.data = item.verdict.reason
    if form.validate_on_submit():
        data = services.VerdictInput(form.verdict.data, form.wording.data, form.reason.data)
        try:
            services.record_verdict(_actor(), session, item, data)
        except services.PanelError as error:
            show_on_form(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("ratification.period", period_kind=period.kind,
                                    period_start=period.start.isoformat())
                            + f"#{subject}-{subject_id}")
    return render_template("ratification/verdict.html", form=form, item=item, session=session,
                           period=period, max_lengths=MAX_LENGTHS), _status(form)


@bp.route(PERIOD + "/no-panel", methods=["GET", "POST"])
@role_required(Role.COMMISSIONER)
def waiver(period_kind: str, period_start: str):
    found = _period(period_kind, period_start)
    existing = services.waiver_of(found)
    form = WaiverForm()
    if not form.is_submitted() and existing is not None:
        form.reason.data = existing.reason
    if form.validate_on_submit():
        try:
            services.record_waiver(_actor(), found, form.reason.data, clock.today())
        except services.PanelError as error:
            show_on_form(form, error)
        else:
            flash(_("The reason is recorded."), "success")
            return redirect(url_for("ratification.period", period_kind=period_kind,
                                    period_start=period_start))
    return render_template("ratification/waiver.html", form=form, period=found,
                           existing=existing, max_reason=services.MAX_REASON), _status(form)
