"""Staff queues: moderation (moderators) and safeguarding (safeguarding leads), on the
``moderation`` blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models.submissions import (MODERATION_STATES, RELEASABLE_OUTCOMES, SAFEGUARDING_OUTCOMES,
                                  SAFEGUARDING_RELEASES)
from ..permissions import role_required
from ..safeguarding import CATEGORIES
from ..errors import show_on_form
from . import lead, services
from .blueprint import bp
from .forms import ReferForm, RejectForm, SafeguardingForm, redaction_form

KIND_PATH = "<any(card,feedback):kind>/<int:item_id>"


def _actor():
    return current_user._get_current_object()


def _outcomes() -> dict:
    """The safeguarding lead's decisions, by key, in the page's language."""
    return {key: _(label) for key, label in SAFEGUARDING_OUTCOMES.items()}


@bp.route("/moderation")
@role_required("moderator")
def moderation_queue():
    queue = services.moderation_queue(_actor(), page=_page_number())
    return render_template("moderation/queue.html", queue=queue)


def _page_number() -> int:
    """``?page=`` as a positive int; anything else is the first page."""
    value = request.args.get("page", "")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


def _moderation_page(kind, item, reject_form=None, redact_form=None, refer_form=None,
                     status=200):
    failed = next((f for f in (reject_form, refer_form, redact_form) if f and f.errors), None)
    return render_template(
        "moderation/item.html", kind=kind, item=item, fields=services.TEXT_FIELDS[kind],
        reject_form=reject_form or RejectForm(), refer_form=refer_form or ReferForm(),
        redact_form=redact_form or redaction_form(services.TEXT_FIELDS[kind], item),
        categories=CATEGORIES, outcomes=_outcomes(), form=failed,
        moderation_states=MODERATION_STATES, page=_page_or_none()), status


@bp.route(f"/moderation/{KIND_PATH}")
@role_required("moderator")
def moderate(kind: str, item_id: int):
    item = services.view_item(kind, item_id, _actor(), "moderation")
    if item is None:
        abort(404)
    return _moderation_page(kind, item)


def _queue_page():
    """Back to the queue page the item was opened from (``?page=``, kept by the
    item page's forms); the service clamps a page that has emptied."""
    return redirect(url_for("moderation.moderation_queue", page=_page_or_none()))


@bp.route(f"/moderation/{KIND_PATH}/decide", methods=["POST"])
@role_required("moderator")
def moderation_decide(kind: str, item_id: int):
    item = services.load(kind, item_id)
    if item is None:
        abort(404)
    action = request.form.get("action")
    fields = services.TEXT_FIELDS[kind]
    if action in ("approve", "redact"):
        # Both buttons send the redacted text in the box: Approve publishes that text.
        form = redaction_form(fields, item)
        if action == "approve" and not all(name in request.form for _label, _o, name in fields):
            form.validate_on_submit()
            form[fields[0][2]].errors = list(form[fields[0][2]].errors) + [
                _("Save your redactions first, then approve")]
            return _moderation_page(kind, item, redact_form=form, status=422)
        if form.validate_on_submit():
            texts = {name: form[name].data for _label, _o, name in fields}
            if action == "redact":
                services.save_redaction(kind, item_id, _actor(), texts)
                flash(_("Redactions saved."), "success")
                return redirect(url_for("moderation.moderate", kind=kind, item_id=item_id,
                                        page=_page_or_none()))
            try:
                services.approve(kind, item_id, _actor(), texts)
            except services.ModerationError as exc:
                show_on_form(form, exc)
                return _moderation_page(kind, item, redact_form=form, status=422)
            flash(_("Approved. It stays unpublished because it was flagged for safeguarding.")
                  if item.safeguarding_flagged else _("Approved."), "success")
            return _queue_page()
        return _moderation_page(kind, item, redact_form=form, status=422)
    if action == "reject":
        form = RejectForm()
        if form.validate_on_submit():
            services.reject(kind, item_id, _actor(), form.reason.data)
            flash(_("Rejected. It will not be published."), "success")
            return _queue_page()
        return _moderation_page(kind, item, reject_form=form, status=422)
    if action == "refer":
        form = ReferForm()
        if form.validate_on_submit():
            lead.refer(kind, item_id, _actor(), form.refer_reason.data)
            flash(_("Referred to the safeguarding lead. It will not be published unless the "
                    "lead releases it back to moderation."), "success")
            return _queue_page()
        return _moderation_page(kind, item, refer_form=form, status=422)
    return redirect(url_for("moderation.moderate", kind=kind, item_id=item_id, page=_page_or_none()))


def _page_or_none() -> int | None:
    page = _page_number()
    return page if page > 1 else None


@bp.route("/safeguarding")
@role_required("safeguarding_lead")
def safeguarding_queue():
    queue = lead.safeguarding_queue(_actor(), page=_page_number())
    return render_template("moderation/safeguarding_queue.html", queue=queue,
                           categories=CATEGORIES, outcomes=_outcomes(),
                           is_priority=lead.is_priority)


@bp.route(f"/safeguarding/{KIND_PATH}", methods=["GET", "POST"])
@role_required("safeguarding_lead")
def safeguarding_item(kind: str, item_id: int):
    form = SafeguardingForm()
    if form.validate_on_submit():
        try:
            done = lead.record_safeguarding(kind, item_id, _actor(), form.outcome.data,
                                            form.note.data, form.release.data)
        except LookupError:
            abort(404)
        except services.ModerationError as exc:
            show_on_form(form, exc)
        else:
            flash(_("Decision recorded. It is released to moderation.")
                  if done.safeguarding_release == "released"
                  else _("Decision recorded. The words are kept private: they will not be "
                         "published."), "success")
            return redirect(url_for("moderation.safeguarding_queue"))
    item = services.view_item(kind, item_id, _actor(), "safeguarding")
    if item is None:
        abort(404)
    if request.method == "GET" and item.safeguarding_outcome:
        form.outcome.data, form.note.data = item.safeguarding_outcome, item.safeguarding_note
        form.release.data = item.safeguarding_release or "private"
    return render_template("moderation/safeguarding_item.html", kind=kind, item=item, form=form,
                           fields=services.TEXT_FIELDS[kind], categories=CATEGORIES,
                           outcomes=_outcomes(), view=lead.lead_view(kind, item),
                           releasable=RELEASABLE_OUTCOMES, releases=SAFEGUARDING_RELEASES
                           ), (422 if form.errors else 200)
