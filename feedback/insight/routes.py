"""Insight pages: dashboard, themes, curation, runs, answering, and the public
"you said, we did" page. Routes parse, validate, call one service, render."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..form_helpers import choices
from ..ids import id_arg, page_arg
from ..security import safe_next
from ..errors import show_on_form
from . import answering, continuity, curation, public, services, subthemes
from .blueprint import bp, guard, today as _today
from .blueprint import filters_from_request as _filters, query_args as _query_args
from .forms import (AnswerForm, BulkAnswerForm, MergeForm, RenameForm, RunForm, SplitForm,
                    ToggleForm)

MIMETYPES = {"csv": "text/csv",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.route("/insight")
@guard
def dashboard():
    form, filters = _filters()
    view = services.dashboard(filters, current_user)
    return render_template("insight/dashboard.html", filter_form=form, view=view,
                           args=_query_args())


@bp.route("/insight/export.<fmt>")
@guard
def export(fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    _form, filters = _filters()
    data = services.export_themes(filters, fmt, current_user)
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=f"themes-{_today():%Y-%m-%d}.{fmt}")


@bp.route("/insight/themes/<int:theme_id>")
@guard
def theme(theme_id: int):
    _form, filters = _filters()
    try:
        page = services.theme_page(theme_id, filters, current_user)
    except LookupError:
        merged = continuity.merged_theme(theme_id)
        if merged is None:
            abort(404)
        # A link to a merged theme (a review action, a bookmark) says where it went.
        return render_template("insight/theme_merged.html", theme=merged[0], into=merged[1],
                               args=_query_args())
    levels = subthemes.theme_listing(theme_id, filters, current_user)
    return render_template("insight/theme.html", page=page, args=_query_args(),
                           toggle=ToggleForm(), levels=levels)


@bp.route("/insight/themes/<int:theme_id>/export.<fmt>")
@guard
def theme_export(theme_id: int, fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    _form, filters = _filters()
    try:
        data = services.export_theme(theme_id, filters, fmt, current_user)
    except LookupError:
        abort(404)
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=f"theme-{theme_id}-{_today():%Y-%m-%d}.{fmt}")


@bp.route("/insight/themes/<int:theme_id>/rename", methods=["GET", "POST"])
@guard
def rename(theme_id: int):
    theme = _live_theme(theme_id)
    form = RenameForm(data={"name": theme.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            curation.rename_theme(theme_id, form.name.data, current_user)
        except curation.CurationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Theme renamed to \u201c%(name)s\u201d", name=form.name.data.strip()))
            return redirect(url_for(".theme", theme_id=theme_id))
    return render_template("insight/rename.html", form=form, theme=theme)


@bp.route("/insight/themes/<int:theme_id>/merge", methods=["GET", "POST"])
@guard
def merge(theme_id: int):
    theme = _live_theme(theme_id)
    form = MergeForm()
    form.into.choices = choices([("", _("Select a theme"))] + [
        (t.id, t.name) for t in _themes_for_merge(theme_id)])
    if form.validate_on_submit():
        try:
            target = curation.merge_themes(theme_id, int(form.into.data), current_user)
        except curation.CurationError as exc:
            form.into.errors.append(str(exc))
        else:
            flash(_("\u201c%(name)s\u201d merged into \u201c%(into)s\u201d", name=theme.name,
                    into=target.name))
            return redirect(url_for(".theme", theme_id=target.id))
    return render_template("insight/merge.html", form=form, theme=theme)


@bp.route("/insight/themes/<int:theme_id>/split", methods=["GET", "POST"])
@guard
def split(theme_id: int):
    theme = _live_theme(theme_id)
    form = SplitForm()
    form.items.choices = choices(curation.theme_items(theme_id))
    if form.validate_on_submit():
        try:
            new = curation.split_theme(theme_id, form.items.data, form.name.data, current_user)
        except curation.CurationError as exc:
            show_on_form(form, exc)
        else:
            flash(_("Items moved to the new theme \u201c%(name)s\u201d", name=new.name))
            return redirect(url_for(".theme", theme_id=new.id))
    return render_template("insight/split.html", form=form, theme=theme)


@bp.route("/insight/themes/<int:theme_id>/hide", methods=["POST"])
@guard
def hide(theme_id: int):
    theme = _live_theme(theme_id)
    if ToggleForm().validate_on_submit():
        curation.set_hidden(theme_id, not theme.hidden, current_user)
        flash(_("Theme hidden from the dashboard") if theme.hidden
              else _("Theme shown on the dashboard"))
    return redirect(url_for(".theme", theme_id=theme_id))


@bp.route("/insight/themes/<int:theme_id>/review", methods=["POST"])
@guard
def review(theme_id: int):
    theme = _live_theme(theme_id)
    if ToggleForm().validate_on_submit():
        curation.set_reviewed(theme_id, not theme.reviewed, current_user)
        flash(_("Theme marked as reviewed") if theme.reviewed
              else _("Theme marked as not reviewed"))
    return redirect(url_for(".theme", theme_id=theme_id))


@bp.route("/insight/themes")
@guard
def themes():
    return render_template("insight/themes.html", themes=_themes_for_merge(None, hidden=True))


@bp.route("/insight/runs", methods=["GET", "POST"])
@guard
def runs():
    form = RunForm()
    if form.validate_on_submit():
        run = services.start_run(request.form.get("kind") == "classify" and "classify" or "full",
                                 current_user)
        flash(_("Analysis run %(id)s started", id=run.id))
        return redirect(url_for(".runs"))
    recent = services.recent_runs(current_user)
    busy = any(r.status in ("queued", "running") for r in recent)
    return render_template("insight/runs.html", form=form, runs=recent, busy=busy,
                           waiting=services.waiting_for_analysis(current_user))


@bp.route("/insight/cards/<int:card_id>/answer", methods=["GET", "POST"])
@guard
def answer(card_id: int):
    return _answer_page("card", card_id)


@bp.route("/insight/feedback/<int:entry_id>/answer", methods=["GET", "POST"])
@guard
def answer_feedback(entry_id: int):
    return _answer_page("feedback", entry_id)


def _answer_page(kind: str, item_id: int):
    """Answer one item, then go back to the list it came from (its ``next``, with
    its filters and page), or to the dashboard when there is none."""
    form = AnswerForm()
    back = safe_next(request.args.get("next")) or url_for(".dashboard")
    try:
        item = answering.view_item(kind, item_id, current_user)
    except LookupError:
        abort(404)
    if request.method == "GET" and item.status in {choice.data for choice in form.status}:
        form.status.data = item.status  # the form opens on where the item is now
    if form.validate_on_submit():
        _give_back([(_("Your answer"), form.response.data or ""),
                    (_("Reason"), form.reason.data or "")])
        try:
            answering.answer_item(kind, item_id, _answer(form), current_user)
        except answering.AnswerError as exc:
            show_on_form(form, exc)
        else:
            flash(_("Card %(id)s answered: they see it on the track page", id=item_id)
                  if kind == "card"
                  else _("Feedback %(id)s answered: they see it on their forum page or track "
                         "page", id=item_id))
            return redirect(back)
    return render_template("insight/answer.html", form=form, item=item, kind=kind,
                           back=back)


@bp.route("/insight/themes/<int:theme_id>/answer", methods=["GET", "POST"])
@guard
def answer_many(theme_id: int):
    theme = _live_theme(theme_id)
    form = BulkAnswerForm()
    _f, filters = _filters()
    if services.theme_is_suppressed(theme_id, filters):
        # Listing a small theme's cards would break it down: answer them one
        # by one from the list of items waiting for an answer instead.
        flash(_("This theme has fewer than 10 people, so its cards are not listed together. "
                "Answer them from the list of cards waiting for an answer."))
        return redirect(url_for(".to_answer"))
    cards = services.open_theme_cards(current_user, theme_id, filters)
    form.cards.choices = choices(
        (c.id, _("Card %(id)s: %(text)s", id=c.id,
                 text=c.text_redacted or _("(not yet redacted)"))) for c in cards)
    if form.validate_on_submit():
        _give_back([(_("Your answer"), form.response.data or ""),
                    (_("Reason"), form.reason.data or "")])
        try:
            count = answering.answer_many(theme_id, [int(i) for i in form.cards.data],
                                          _answer(form), current_user)
        except answering.AnswerError as exc:
            show_on_form(form, exc)
        else:
            flash(ngettext("%(count)s card answered", "%(count)s cards answered", count,
                           count=count))
            return redirect(url_for(".theme", theme_id=theme_id))
    return render_template("insight/answer_many.html", form=form, theme=theme)


@bp.route("/insight/to-answer")
@guard
def to_answer():
    service = id_arg("service")
    waiting = answering.waiting_list(current_user, page_arg(), service)
    return render_template("insight/to_answer.html", waiting=waiting,
                           services=services.filter_choices()["service"])


@bp.route("/you-said-we-did")
def you_said_we_did():
    view = public.public_page(request.args.to_dict())
    return render_template("insight/you_said_we_did.html", view=view)


def _answer(form) -> answering.Answer:
    return answering.Answer(form.status.data, (form.reason.data or "").strip() or None,
                            (form.response.data or "").strip() or None)


def _give_back(pairs) -> None:
    from flask import g
    g.text_to_give_back = [(label, text) for label, text in pairs if text]


def _live_theme(theme_id: int):
    return curation.live_theme(theme_id) or abort(404)


def _themes_for_merge(exclude: int | None, hidden: bool = False):
    return curation.themes_for_merge(exclude, hidden)


@bp.app_context_processor
def insight_panel():
    """``insight_attention(user)`` for the staff home's "what needs attention" panel."""
    def insight_attention(user):
        return services.attention(user, _today())
    return {"insight_attention": insight_attention, "theme_notice": continuity.theme_notice,
            "linked_theme_name": continuity.linked_name, "theme_retired": continuity.retired}
