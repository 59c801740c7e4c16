"""The safeguarding lead's queue: what reaches it, its order, what the lead
sees, and the lead's decision.

An item reaches the queue when the screen flagged it, the young person said
they do not feel safe, or a moderator referred it (``refer``, with a reason).
Undecided items come first: the priority kinds of harm
(``safeguarding_record.PRIORITY_CATEGORIES``: self-harm, sexual abuse and
exploitation) before the rest, each oldest in the queue first; then decided
items, most recently decided first.

After a "no concern" or "handled" decision the lead chooses to keep the words
private (the default) or release them to moderation: a released item is no
longer flagged and waits for moderation like any other, so once a moderator
approves it, it reaches commissioners' themes. A kept-private item never does.
Every referral, decision and choice is audited with who made it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import String, case, cast, func, or_, select

from .. import audit, redaction
from ..extensions import db
from ..i18n import N_
from ..family.forms import DISABILITY
from ..models.base import utcnow
from ..models.family import FEEDBACK_SOURCES, RESPONDENT_TYPES
from ..models.submissions import (AGE_BANDS, CHILD_AGE_BANDS, COHORTS, RELEASABLE_OUTCOMES,
                                  SAFEGUARDING_OUTCOMES, SAFEGUARDING_RELEASES)
from ..permissions import can_moderate, can_view_safeguarding
from ..safeguarding_record import PRIORITY_CATEGORIES, is_priority
from ..errors import NotAllowed
from .services import (KINDS, PER_PAGE, TEXT_FIELDS, ModerationError, QueuePage,
                       _page_of, load)

CARD_CONTACT = {"email": N_("Email"), "phone": N_("Phone or text")}


def _in_queue(model):
    """Flagged (or referred) now, or decided by a lead before (released items)."""
    return or_(model.safeguarding_flagged.is_(True), model.safeguarding_outcome.is_not(None))


def _priority(model):
    """0 for an item naming a priority kind of harm, else 1 (categories are a
    JSON list; its text is searched the same way on both databases)."""
    text = cast(model.safeguarding_categories, String)
    return case((or_(*(text.like(f'%"{c}"%') for c in PRIORITY_CATEGORIES)), 0), else_=1)


def safeguarding_queue(actor, page: int = 1, per_page: int = PER_PAGE) -> QueuePage:
    """The lead's queue, one page at a time, in the order the module docstring gives."""
    if not can_view_safeguarding(actor):
        raise NotAllowed
    keys = []
    for kind, model in KINDS.items():
        undecided = model.safeguarding_outcome.is_(None)
        keys.append((kind, select(
            model.id,
            case((undecided, 0), else_=1).label("decided"),
            case((undecided, _priority(model)), else_=0).label("priority"),
            case((undecided, func.coalesce(model.safeguarding_referred_at, model.created_at))
                 ).label("open_at"),
            case((model.safeguarding_outcome.is_not(None),
                  func.coalesce(model.safeguarding_reviewed_at, model.created_at))
                 ).label("decided_at"),
        ).where(_in_queue(model))))
    # Within each group one of the two time columns is NULL for every row, so
    # the databases' different NULL ordering cannot change the order.
    items, total, page, pages = _page_of(
        keys, lambda c: (c.decided, c.priority, c.open_at.asc(), c.decided_at.desc()),
        page, per_page)
    return QueuePage(items, total, page, pages, per_page)


def refer(kind: str, item_id: int, actor, reason: str):
    """A moderator sends an item to the lead's queue, with a reason: it is
    flagged (held from publishing) and undecided, as a screened item would be.
    Audited and committed; the lead is alerted after the commit."""
    if not can_moderate(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        raise LookupError(kind)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Enter why you are referring it to the safeguarding lead"),
                              "refer_reason")
    if len(reason) > 2000:
        raise ModerationError(_("The reason must be 2,000 characters or fewer"),
                              "refer_reason")
    item.safeguarding_flagged = True
    item.safeguarding_referral_reason = reason
    item.safeguarding_referred_at, item.safeguarding_referred_by_id = utcnow(), actor.id
    # A new referral is a new question for the lead, whatever was decided
    # before (the earlier decision stays in the audit log). Undecided, it is
    # also kept from the retention purge until a lead decides.
    item.safeguarding_outcome = item.safeguarding_release = None
    item.safeguarding_reviewed_at = item.safeguarding_reviewed_by_id = None
    audit.record("safeguarding.referred", actor, item, reason=reason)
    db.session.commit()
    from ..safeguarding import escalate
    escalate(item)
    return item


def record_safeguarding(kind: str, item_id: int, actor, outcome: str, note: str,
                        release: str | None = "private"):
    """The lead's decision (a key of SAFEGUARDING_OUTCOMES) with a note, and
    for a no-concern or handled decision the choice: "private" (the default:
    the item stays flagged and is never published) or "released" (it goes
    back to moderation, unflagged). Audited with the choice; committed."""
    if not can_view_safeguarding(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        raise LookupError(kind)
    if outcome not in SAFEGUARDING_OUTCOMES:
        raise ModerationError(_("Select what was done"), "outcome")
    note = (note or "").strip()
    if not note:
        raise ModerationError(_("Enter a note about what was done"), "note")
    release = release or "private"
    if release not in SAFEGUARDING_RELEASES:
        raise ModerationError(_("Select whether to keep it private or release it to "
                                "moderation"), "release")
    if release == "released" and outcome not in RELEASABLE_OUTCOMES:
        raise ModerationError(_("Only an item with no concern, or handled, can be released "
                                "to moderation: choose keep private"), "release")
    was_released = item.safeguarding_release == "released"
    item.safeguarding_outcome, item.safeguarding_note = outcome, note
    item.safeguarding_reviewed_at, item.safeguarding_reviewed_by_id = utcnow(), actor.id
    item.safeguarding_release = release
    if release == "released" and item.safeguarding_flagged:
        _release(kind, item)
    elif release == "private":
        item.safeguarding_flagged = True  # held again if it had been released before
    audit.record("safeguarding.recorded", actor, item, outcome=outcome, release=release)
    if release == "released" and not was_released:
        audit.record("safeguarding.released", actor, item, outcome=outcome)
    elif release == "private" and was_released:
        audit.record("safeguarding.kept_private", actor, item, outcome=outcome, withdrawn=True)
    elif release == "private":
        audit.record("safeguarding.kept_private", actor, item, outcome=outcome)
    db.session.commit()
    return item


def _release(kind: str, item) -> None:
    """Back to moderation like a new item: unflagged, waiting, redacted afresh
    where nothing was redacted yet (a moderator checks it before approval)."""
    item.safeguarding_flagged = False
    item.moderation_state, item.moderation_reason = "pending", None
    item.moderated_at = item.moderated_by_id = None
    for _label, original, redacted in TEXT_FIELDS[kind]:
        if getattr(item, redacted) is None:
            setattr(item, redacted, redaction.redact(getattr(item, original) or ""))


# --- what the lead sees ----------------------------------------------------------

@dataclass(frozen=True)
class LeadView:
    """What the lead's page shows besides the words: ``rows`` of (label,
    value) about who wrote it and where it came from, what triggered it
    (``phrases`` with the words they matched, the model's ``reasons`` and
    ``score``), the referral if a moderator made one, and ``priority``."""
    rows: list[tuple[str, str]]
    phrases: list[dict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    score: float | None = None
    referral: tuple[str, object, str] | None = None  # (who, when, reason)
    priority: bool = False


def _cohorts(card) -> str:
    ticked = [_(label) for key, label in COHORTS.items() if getattr(card, key)]
    return ", ".join(ticked) or _("None given")


def _card_rows(card) -> list[tuple[str, str]]:
    if card.contact_method == "worker":
        contact = _("Through their worker")
    elif card.contact_detail:
        how = _(CARD_CONTACT[card.contact_method]) if card.contact_method in CARD_CONTACT \
            else card.contact_method or _("Contact")
        contact = f"{how}: {card.contact_detail}"
    else:
        contact = _("Anonymous: no way to contact them")
    return [(_("Age band"), _(AGE_BANDS.get(card.age_band, N_("Not given"))) if card.age_band
             else _("Not given")),
            (_("Cohort"), _cohorts(card)),
            (_("Contact preference"), contact)]


def _entry_rows(entry) -> list[tuple[str, str]]:
    respondent = entry.respondent_type
    rows = [(_("Who wrote it"), _(RESPONDENT_TYPES[respondent]) if respondent in RESPONDENT_TYPES
             else respondent),
            (_("Child's age band"), _(CHILD_AGE_BANDS.get(entry.child_age_band, N_("Not given")))
             if entry.child_age_band else _("Not given")),
            (_("Disability or SEND"), DISABILITY.get(entry.disability_send, _("Not given"))
             if entry.disability_send else _("Not given")),
            (_("Source"), FEEDBACK_SOURCES.get(entry.source, entry.source))]
    if entry.forum is not None:
        rows.append((_("Forum"), entry.forum.name))
    rows.append((_("Who collected it"), entry.provenance))
    if entry.import_batch is not None:
        rows.append((_("File"), _("%(file)s (import %(id)s)", file=entry.import_batch.filename,
                                  id=entry.import_batch.id)))
    if entry.import_row_number is not None:
        rows.append((_("Row"), str(entry.import_row_number)))
    if entry.source != "family_form" and entry.families_represented > 1:
        rows.append((_("Families represented"), f"{entry.families_represented:,}"))
    rows.append((_("Contact preference"), _("Feedback entries carry no contact details")))
    return rows


def lead_view(kind: str, item) -> LeadView:
    service = item.service.plain_name if item.service else _("Not sure")
    rows = [(_("Service"), service)] + (_card_rows(item) if kind == "card" else _entry_rows(item))
    trigger = item.safeguarding_trigger or {}
    referral = None
    if item.safeguarding_referral_reason:
        who = item.safeguarding_referred_by.name if item.safeguarding_referred_by \
            else _("A moderator")
        referral = (who, item.safeguarding_referred_at, item.safeguarding_referral_reason)
    return LeadView(rows, list(trigger.get("phrases") or []), list(trigger.get("reasons") or []),
                    item.safeguarding_score, referral, is_priority(item.safeguarding_categories))
