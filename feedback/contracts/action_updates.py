"""A provider's updates to the actions agreed with it, and a commissioner's decision on a
provider's "completed". Each public function is one use case and owns its commit.

- ``provider_action(action_id, actor)``: the action, when it was agreed at a review of a
  contract the actor's organisation holds; ``LookupError`` otherwise (the page answers 404:
  another provider's ids are not revealed).
- ``provider_update(action_id, data, actor, instance_path, config)``: a progress note, a
  move between "open" and "in progress", a revised due date (the reason is required and the
  earlier date is kept), evidence (a link, or a file checked and kept by ``evidence``), or
  "completed", which asks a commissioner to accept it (``completion_claimed_at``; the
  contract manager is told by email). Audited; every update is kept.
- ``decide_completion(action_id, decision, actor, ...)``: a commissioner accepts (the action
  becomes done through ``reviews.update_action_status``, which offers to mark its linked
  cards done with a "you said, we did" answer, as before) or rejects with a required reason
  (the action goes back to "in progress"). The provider who claimed it is told by email.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock, messages
from ..errors import FieldError
from ..extensions import db
from ..i18n import N_
from ..models import ActionUpdate, Contract, ContractReview, ReviewAction, User
from ..permissions import Role, has_role
from . import evidence, reviews

MAX_NOTE = 2000
MAX_REASON = 1000
PROVIDER_STATUSES = {"open": N_("Not started"), "in_progress": N_("In progress"),
                     "completed": N_("Completed: ask the commissioner to accept it")}
_URL = re.compile(r"^https?://[^\s<>\"]+\.[^\s<>\"]+$", re.I)


class ActionUpdateError(FieldError):
    """An update that cannot be saved as asked; ``field`` names the input to blame."""


@dataclass(frozen=True)
class ProviderUpdate:
    status: str
    note: str = ""
    new_due_date: date | None = None
    due_reason: str = ""
    evidence_url: str = ""
    evidence_data: bytes | None = None
    evidence_filename: str | None = None


def provider_action(action_id: int, actor) -> ReviewAction:
    """The action if it is the actor's provider organisation's; else ``LookupError``."""
    if not has_role(actor, Role.PROVIDER) or actor.organisation_id is None:
        raise LookupError(action_id)
    action = db.session.execute(
        select(ReviewAction).join(ContractReview).join(Contract)
        .where(ReviewAction.id == action_id, Contract.provider_id == actor.organisation_id)
    ).scalar_one_or_none()
    if action is None:
        raise LookupError(action_id)
    return action


def _clean(text: str | None, limit: int, label: str, field: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise ActionUpdateError(_("%(label)s must not contain control characters", label=label),
                                field)
    if len(text) > limit:
        raise ActionUpdateError(_("%(label)s must be %(most)s characters or fewer", label=label,
                                  most=format(limit, ",")), field)
    return text


def _manager_message(action: ReviewAction, config: Mapping) -> messages.Message | None:
    contract = action.review.contract
    manager = contract.contract_manager
    if manager is None or not manager.active:
        return None
    url = messages.link(f"/contracts/actions/{action.id}", config)
    provider = contract.provider.name if contract.provider else _("The provider")
    body = "\n\n".join((
        _("%(provider)s says an action agreed at the review of %(contract)s is completed.",
          provider=provider, contract=contract.reference),
        _("Accept or reject it here:\n%(link)s", link=url))) + "\n"
    return messages.Message(to=(manager.email,),
                            subject=_("Action completed: %(contract)s",
                                      contract=contract.reference),
                            body=body, kind="action_completion_claimed",
                            personalisation={"provider": provider, "contract": contract.reference,
                                             "link": url})


def provider_update(action_id: int, data: ProviderUpdate, actor, instance_path: str,
                    config: Mapping) -> ActionUpdate:
    action = provider_action(action_id, actor)
    if action.status in ("done", "dropped"):
        raise ActionUpdateError(_("This action is closed: it cannot be updated"), "status")
    if data.status not in PROVIDER_STATUSES:
        raise ActionUpdateError(_("Select where the action is now"), "status")
    note = _clean(data.note, MAX_NOTE, _("Progress note"), "note")
    reason = _clean(data.due_reason, MAX_REASON, _("The reason for the new date"), "due_reason")
    url = _clean(data.evidence_url, 500, _("The link"), "evidence_url")
    if url and not _URL.match(url):
        raise ActionUpdateError(_("Enter a link that starts with https:// or http://"),
                                "evidence_url")
    new_date = data.new_due_date
    if new_date is not None and new_date == action.due_date:
        new_date = None
    if new_date is not None:
        if new_date < clock.today():
            raise ActionUpdateError(_("The new due date must be today or in the future"),
                                    "new_due_date")
        if not reason:
            raise ActionUpdateError(_("Enter why the due date has changed"), "due_reason")
    elif reason and data.new_due_date is None:
        raise ActionUpdateError(_("Enter the new due date, or leave the reason empty"),
                                "new_due_date")
    claimed = data.status == "completed"
    to_status = "in_progress" if claimed else data.status
    if claimed and action.completion_claimed_at is not None:
        raise ActionUpdateError(_("You have already said this action is completed: it waits "
                                  "for the commissioner"), "status")
    stored = None
    if data.evidence_data is not None:
        try:
            kind = evidence.check(data.evidence_data)
        except evidence.EvidenceRefused as exc:
            raise ActionUpdateError(str(exc), "evidence_file") from exc
    changed = (to_status != action.status or claimed or new_date is not None or url
               or data.evidence_data is not None)
    if not note and not changed:
        raise ActionUpdateError(_("Enter a progress note, or change the status, the due date "
                                  "or the evidence"), "note")
    if claimed and not note:
        raise ActionUpdateError(_("Enter what was done, so the commissioner can accept it"),
                                "note")
    if data.evidence_data is not None:
        stored = evidence.save(instance_path, data.evidence_data)
    update = ActionUpdate(
        action_id=action.id, author_id=actor.id,
        kind="completion_claimed" if claimed else "progress", note=note or None,
        from_status=action.status, to_status=to_status,
        previous_due_date=action.due_date if new_date is not None else None,
        new_due_date=new_date, reason=reason or None, evidence_url=url or None,
        evidence_file=stored,
        evidence_filename=evidence.safe_name(data.evidence_filename, kind) if stored else None)
    db.session.add(update)
    action.status = to_status
    if new_date is not None:
        action.due_date = new_date
    if claimed:
        action.completion_claimed_at = clock.now()
    db.session.flush()
    details = {"update_id": update.id, "from_status": update.from_status,
               "to_status": to_status}
    if new_date is not None:
        details.update(previous_due_date=str(update.previous_due_date or ""),
                       new_due_date=new_date.isoformat())
    if stored:
        details["evidence_file"] = True
    if url:
        details["evidence_link"] = True
    audit.record("review_action.completion_claimed" if claimed else "review_action.updated",
                 actor, action, **details)
    db.session.commit()
    if claimed:
        message = _manager_message(action, config)
        if message is not None:
            messages.send(message, config)
    return update


def decide_completion(action_id: int, accept: bool, actor, config: Mapping, *,
                      reason: str | None = None, mark_cards_done: bool = False,
                      response: str | None = None) -> ReviewAction:
    """Accept or reject the provider's "completed" (a commissioner only)."""
    action = reviews.get_action(action_id)
    if action is None:
        raise LookupError(action_id)
    if action.completion_claimed_at is None:
        raise ActionUpdateError(_("The provider has not said this action is completed"),
                                "decision")
    reason = _clean(reason, MAX_REASON, _("The reason"), "reason")
    if not accept and not reason:
        raise ActionUpdateError(_("Enter why the action is not completed yet"), "reason")
    claimant = db.session.execute(
        select(User).join(ActionUpdate, ActionUpdate.author_id == User.id)
        .where(ActionUpdate.action_id == action.id, ActionUpdate.kind == "completion_claimed")
        .order_by(ActionUpdate.id.desc()).limit(1)).scalar_one_or_none()
    if accept:
        # The same rule as marking an action done by hand (the answer is needed when the
        # cards are marked done); checked before anything is saved.
        if mark_cards_done and action.cards and not (response or "").strip():
            raise reviews.ReviewError(_("Enter the \"you said, we did\" answer young people "
                                        "will see"), "response")
    db.session.add(ActionUpdate(
        action_id=action.id, author_id=actor.id,
        kind="completion_accepted" if accept else "completion_rejected",
        from_status=action.status, to_status="done" if accept else "in_progress",
        reason=reason or None))
    action.completion_claimed_at = None
    audit.record("review_action.completion_accepted" if accept
                 else "review_action.completion_rejected", actor, action)
    if accept:
        db.session.flush()
        reviews.update_action_status(action.id, "done", actor, mark_cards_done=mark_cards_done,
                                     response=response)
    else:
        action.status = "in_progress"
        db.session.commit()
    if claimant is not None and claimant.active:
        url = messages.link(f"/provider/actions/{action.id}", config)
        outcome = "accepted" if accept else "not accepted yet"
        reference = action.review.contract.reference
        if accept:
            said = _("The commissioner has accepted your completion of an action agreed at the "
                     "review of %(contract)s.", contract=reference)
            subject = _("Action accepted: %(contract)s", contract=reference)
        else:
            said = _("The commissioner has not accepted yet your completion of an action agreed "
                     "at the review of %(contract)s.", contract=reference)
            subject = _("Action not accepted yet: %(contract)s", contract=reference)
        body = "\n\n".join((said, _("See the action and any reason given here:\n%(link)s",
                                     link=url))) + "\n"
        messages.send(messages.Message(
            to=(claimant.email,), subject=subject,
            body=body, kind="action_completion_decided",
            personalisation={"outcome": outcome, "contract": action.review.contract.reference,
                             "link": url}), config)
    return action


def evidence_download(update_id: int, actor, instance_path: str):
    """(bytes, download name, content type) of an update's evidence file, for a commissioner
    or the provider whose action it is; ``LookupError`` for anyone else or a missing file."""
    update = db.session.get(ActionUpdate, update_id)
    if update is None or not update.evidence_file:
        raise LookupError(update_id)
    if not has_role(actor, Role.COMMISSIONER):
        provider_action(update.action_id, actor)  # LookupError when not theirs
    data = evidence.read(instance_path, update.evidence_file)
    if data is None:
        raise LookupError(update_id)
    kind = evidence.kind_of(data) or "pdf"
    audit.record_now("review_action.evidence_downloaded", actor, update.action,
                     update_id=update.id)
    return data, update.evidence_filename or evidence.safe_name(None, kind), \
        evidence.KINDS[kind][0]
