"""Review, KPI return, agreed action and review pack routes (blueprint ``contracts``)."""
from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import clock
from ..exports.docx import pack_to_docx
from ..exports.pack_xlsx import pack_to_xlsx
from ..models.contracts import ACTION_STATUSES
from ..permissions import can_manage_contracts, can_view_contract, role_required
from ..errors import show_on_form
from . import action_updates, downloads, reviews
from .periods import period_of
from .blueprint import VIEW_ROLES, bp, contract_or_404
from .forms import (ActionForm, ActionStatusForm, CompletionDecisionForm, HoldForm, ReopenForm,
                    StartReviewForm, choices, kpi_returns_form)
from .frozen import FrozenPackDamaged
from .pack import show
from .periods import parse_key, period_of, recent_choices
from ..returns import due as return_due
from ..returns import services as returns

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DECISION = "completion"  # the prefix of the decision form's fields (two forms on one page)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def review_or_404(review_id: int):
    """The review, or 404 when it does not exist or belongs to a contract the
    reader may not see (another provider's reviews are not revealed)."""
    review = reviews.get_review(review_id)
    if review is None or not can_view_contract(current_user, review.contract):
        abort(404)
    return review


@bp.errorhandler(FrozenPackDamaged)
def frozen_pack_damaged(error: FrozenPackDamaged):
    found = reviews.get_review(error.review_id)
    return render_template("contracts/pack_damaged.html", review=found, reason=error.reason,
                           can_manage=can_manage_contracts(current_user)), 409


@bp.route("/contracts/<int:contract_id>/reviews/new", methods=["GET", "POST"])
@role_required("commissioner")
def start_review(contract_id: int):
    contract = contract_or_404(contract_id)
    periods = recent_choices(clock.today())
    form = StartReviewForm(period=periods[0].key)
    form.period.choices = choices((p.key, p.label) for p in periods)
    if form.validate_on_submit():
        review = reviews.start_review(contract.id, parse_key(form.period.data), current_user)
        return redirect(url_for("contracts.review", review_id=review.id))
    return render_template("contracts/start_review.html", form=form, contract=contract)


@bp.route("/contracts/reviews/<int:review_id>")
@role_required(*VIEW_ROLES)
def review(review_id: int):
    found = review_or_404(review_id)
    # The provider's return for the review's period, when the contract returns by that period.
    returned_by_period = return_due.period_kind(found.contract) == found.period_kind
    provider_return = returns.find(found.contract_id, period_of(found)) \
        if returned_by_period else None
    return render_template("contracts/review.html", review=found, contract=found.contract,
                           today=clock.today(), can_manage=can_manage_contracts(current_user),
                           provider_return=provider_return,
                           returned_by_period=returned_by_period)


@bp.route("/contracts/reviews/<int:review_id>/kpis", methods=["GET", "POST"])
@role_required("commissioner")
def kpi_returns(review_id: int):
    found = review_or_404(review_id)
    kpis = found.contract.kpis
    form = kpi_returns_form(kpis, {r.kpi_id: r for r in found.kpi_returns})
    if form.validate_on_submit():
        values = [reviews.KpiValue(k.id, form[f"value_{k.id}"].data,
                                   form[f"commentary_{k.id}"].data) for k in kpis]
        reviews.save_kpi_returns(found.id, values, current_user)
        flash(_("KPI returns saved."), "success")
        return redirect(url_for("contracts.review", review_id=found.id))
    return render_template("contracts/kpi_returns.html", form=form, review=found, kpis=kpis)


@bp.route("/contracts/reviews/<int:review_id>/hold", methods=["GET", "POST"])
@role_required("commissioner")
def hold(review_id: int):
    found = review_or_404(review_id)
    form = HoldForm(obj=found)
    if form.validate_on_submit():
        try:
            reviews.hold_review(found.id, form.meeting_date.data, form.notes.data, current_user,
                                today=clock.today())
        except reviews.ReviewError as error:
            show_on_form(form, error)
        else:
            flash(_("Meeting recorded. The review pack is frozen as it was shown when the "
                    "meeting was first recorded."), "success")
            return redirect(url_for("contracts.review", review_id=found.id))
    return render_template("contracts/hold.html", form=form, review=found,
                           panel_refusal=_panel_refusal(found))


def _panel_refusal(review) -> str | None:
    """Why the meeting cannot be recorded yet: young people have not checked the period."""
    from ..ratification import state
    if review.frozen_pack is not None or state.final_allowed(period_of(review)):
        return None
    return state.final_refusal(period_of(review))


@bp.route("/contracts/reviews/<int:review_id>/reopen", methods=["GET", "POST"])
@role_required("commissioner")
def reopen(review_id: int):
    found = review_or_404(review_id)
    form = ReopenForm()
    if found.is_held and form.validate_on_submit():
        try:
            reviews.reopen_review(found.id, form.reason.data, current_user)
        except reviews.ReviewError as error:
            show_on_form(form, error)
        else:
            flash(_("Review re-opened. Its pack shows today's figures until you record the "
                    "meeting again."), "success")
            return redirect(url_for("contracts.review", review_id=found.id))
    return render_template("contracts/reopen.html", form=form, review=found)


@bp.route("/contracts/reviews/<int:review_id>/actions/new", methods=["GET", "POST"])
@role_required("commissioner")
def add_action(review_id: int):
    found = review_or_404(review_id)
    cards = reviews.linkable_cards(found.contract)
    form = ActionForm(owner=found.contract.provider.name if found.contract.provider else None)
    form.theme_ids.choices = choices((t.id, t.name) for t in reviews.linkable_themes())
    form.card_ids.choices = choices(
        (c.id, f"{c.kind_label}: {c.text_redacted or 'No published text'}") for c in cards)
    if form.validate_on_submit():
        data = reviews.ActionInput(
            description=form.description.data, owner=form.owner.data,
            due_date=form.due_date.data, theme_ids=tuple(form.theme_ids.data or ()),
            card_ids=tuple(form.card_ids.data or ()),
            message_to_young_people=(form.message_to_young_people.data or "").strip() or None)
        try:
            reviews.add_action(found.id, data, current_user)
        except reviews.ReviewError as error:
            show_on_form(form, error)
        else:
            moved = len(data.card_ids)
            flash(ngettext("Action saved. %(count)s card moved to action planned.",
                           "Action saved. %(count)s cards moved to action planned.",
                           moved, count=moved) if moved else _("Action saved."),
                  "success")
            return redirect(url_for("contracts.review", review_id=found.id))
    return render_template("contracts/action.html", form=form, review=found)


@bp.route("/contracts/actions/<int:action_id>", methods=["GET", "POST"])
@role_required("commissioner")
def action_status(action_id: int):
    action = reviews.get_action(action_id)
    if action is None:
        abort(404)
    review_or_404(action.review_id)
    form = ActionStatusForm(status=action.status)
    if form.validate_on_submit():
        try:
            reviews.update_action_status(action.id, form.status.data, current_user,
                                         mark_cards_done=form.mark_cards_done.data == "yes",
                                         response=form.response.data)
        except reviews.ReviewError as error:
            show_on_form(form, error)
        else:
            flash(_("Action updated."), "success")
            return redirect(url_for("contracts.review", review_id=action.review_id))
    return render_template("contracts/action_status.html", form=form, status_form=form,
                           action=action, decision=CompletionDecisionForm(prefix=DECISION),
                           statuses=ACTION_STATUSES)


@bp.route("/contracts/actions/<int:action_id>/completion", methods=["GET", "POST"])
@role_required("commissioner")
def completion(action_id: int):
    """Accept or reject a provider's "completed"."""
    action = reviews.get_action(action_id)
    if action is None:
        abort(404)
    review_or_404(action.review_id)
    form = CompletionDecisionForm(prefix=DECISION)
    if action.completion_claimed_at is None:
        flash(_("There is nothing to decide: the provider has not said this action is "
                "completed."),
              "info")
        return redirect(url_for("contracts.action_status", action_id=action.id))
    if form.validate_on_submit():
        try:
            action_updates.decide_completion(
                action.id, form.decision.data == "accept", current_user, current_app.config,
                reason=form.reason.data, mark_cards_done=form.mark_cards_done.data == "yes",
                response=form.response.data)
        except (action_updates.ActionUpdateError, reviews.ReviewError) as error:
            show_on_form(form, error)
        else:
            flash(_("Completion accepted: the action is done.") if form.decision.data == "accept"
                  else _("Completion not accepted: the action is back with the provider."),
                  "success")
            return redirect(url_for("contracts.action_status", action_id=action.id))
    elif request.method == "GET":
        return redirect(url_for("contracts.action_status", action_id=action.id))
    return render_template("contracts/action_status.html", form=form, status_form=ActionStatusForm(
        status=action.status), action=action, decision=form, statuses=ACTION_STATUSES), 400


@bp.route("/contracts/action-updates/<int:update_id>/evidence")
@role_required("commissioner", "provider")
def action_evidence(update_id: int):
    """An evidence file, as a download (commissioners, and the provider whose action it is)."""
    try:
        data, name, mimetype = action_updates.evidence_download(
            update_id, current_user, current_app.instance_path)
    except LookupError:
        abort(404)
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=name)


def _render_pack(review_id: int, kind: str, template: str):
    """The pack page and its printable version differ only in template and audit kind."""
    found = review_or_404(review_id)
    view = downloads.pack_for_review(found, current_user, clock.today(), kind)
    return render_template(template, pack=view.pack, frozen=view.frozen, review=found,
                           show=show)


@bp.route("/contracts/reviews/<int:review_id>/pack")
@role_required(*VIEW_ROLES)
def pack(review_id: int):
    return _render_pack(review_id, "page", "contracts/pack.html")


@bp.route("/contracts/reviews/<int:review_id>/pack/print")
@role_required(*VIEW_ROLES)
def pack_print(review_id: int):
    return _render_pack(review_id, "print", "contracts/pack_print.html")


@bp.route("/contracts/reviews/<int:review_id>/pack.docx")
@role_required(*VIEW_ROLES)
def pack_docx(review_id: int):
    found = review_or_404(review_id)
    view = downloads.pack_for_review(found, current_user, clock.today(), "docx")
    frozen_on = view.frozen.on if view.frozen else None
    at_meeting = view.frozen.at_meeting if view.frozen else True
    return send_file(io.BytesIO(pack_to_docx(view.pack, frozen_on=frozen_on, at_meeting=at_meeting,
                                             held_on=downloads.held_on(found))),
                     mimetype=DOCX,
                     as_attachment=True, download_name=downloads.filename(view.pack, "docx"))


@bp.route("/contracts/reviews/<int:review_id>/pack.xlsx")
@role_required(*VIEW_ROLES)
def pack_xlsx(review_id: int):
    found = review_or_404(review_id)
    view = downloads.pack_for_review(found, current_user, clock.today(), "xlsx")
    frozen_on = view.frozen.on if view.frozen else None
    return send_file(io.BytesIO(pack_to_xlsx(view.pack, frozen_on=frozen_on,
                                             held_on=downloads.held_on(found))), mimetype=XLSX,
                     as_attachment=True, download_name=downloads.filename(view.pack, "xlsx"))
