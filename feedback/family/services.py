"""Service feedback from families and forums: submit, list, view, export.

Every function takes plain arguments (the acting user included), never reads
the request, and owns its commit. Forum scoping is enforced here as well as
in the routes: a forum rep only ever gets their own forum's entries, and an
entry of another forum is reported as not found (``EntryNotFound`` -> 404),
so ids of other forums' entries reveal nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from .. import audit
from ..extensions import db
from ..i18n import N_
from ..models import FeedbackEntry, ImportBatch, Organisation, StatusChange
from ..models.family import FEEDBACK_SOURCES, FORUM_SOURCE_KINDS, RESPONDENT_TYPES
from ..models.submissions import MODERATION_STATES
from ..permissions import can_view_forum_entry, has_role
from ..receipts import new_receipt_code, receipt_hash
from ..language_screen import unscreened_reason
from .screening import Screener

PER_PAGE = 25


class EntryNotFound(LookupError):
    """No such entry, or not one this user may see (both are a 404)."""


class NotAForumMember(PermissionError):
    """The user is not a rep of a parent carer forum."""


@dataclass(frozen=True)
class FamilyFeedback:
    token: str
    service_id: int
    respondent_type: str
    rating: int
    went_well: str
    could_be_better: str
    quote_consent: bool
    ethnicity: str | None = None
    disability_send: str | None = None
    child_age_band: str | None = None
    area_id: int | None = None
    language: str = "en"  # the page's language when it was written (feedback/i18n.py)


@dataclass(frozen=True)
class ForumFeedback:
    token: str
    service_id: int
    respondent_type: str
    rating: int | None
    went_well: str
    could_be_better: str
    source_kind: str
    source_name: str | None
    source_date: date
    families_represented: int
    consent_collected: bool
    quote_consent: bool
    area_id: int | None = None
    child_age_band: str | None = None


@dataclass(frozen=True)
class Submitted:
    entry_id: int
    receipt_code: str | None  # None on a replay: the code was shown the first time
    replay: bool = False


def _by_token(token: str) -> FeedbackEntry | None:
    return db.session.execute(
        select(FeedbackEntry).filter_by(submission_token=token)).scalar_one_or_none()


def _save(entry: FeedbackEntry, token: str, actor=None,
          page_language: str | None = None) -> Submitted:
    """Screen, store with a receipt code and a first status, commit; escalate if flagged.
    A second use of ``token`` returns the first entry and saves nothing."""
    earlier = _by_token(token)
    if earlier is not None:
        return Submitted(earlier.id, None, replay=True)
    screened = Screener().entry(entry.went_well, entry.could_be_better)
    entry.went_well_redacted = screened.went_well_redacted
    entry.could_be_better_redacted = screened.could_be_better_redacted
    entry.safeguarding_flagged = screened.flagged
    entry.safeguarding_categories = list(screened.categories) or None
    entry.safeguarding_trigger, entry.safeguarding_score = screened.trigger, screened.score
    entry.status, entry.moderation_state = "received", "pending"
    # Held for a person with the reason when the screen cannot read the language.
    entry.moderation_reason = unscreened_reason(entry.went_well, entry.could_be_better,
                                                page_language=page_language)
    entry.submission_token = token
    code = new_receipt_code()
    entry.receipt_hash = receipt_hash(code)
    entry.history.append(StatusChange(to_status="received"))
    db.session.add(entry)
    try:
        db.session.flush()
        audit.record("feedback.submitted", actor, entry, source=entry.source,
                     flagged=entry.safeguarding_flagged)
        db.session.commit()
    except IntegrityError:
        # The same form sent twice at once: the other request saved it.
        db.session.rollback()
        earlier = _by_token(token)
        if earlier is None:
            raise
        return Submitted(earlier.id, None, replay=True)
    if entry.safeguarding_flagged:
        from ..safeguarding import escalate
        escalate(entry)
    return Submitted(entry.id, code)


def submit_family_feedback(feedback: FamilyFeedback) -> Submitted:
    """A family's (or young person's, or professional's) feedback from the public form."""
    entry = FeedbackEntry(
        source="family_form", service_id=feedback.service_id,
        respondent_type=feedback.respondent_type, rating=feedback.rating,
        went_well=feedback.went_well, could_be_better=feedback.could_be_better,
        quote_consent=feedback.quote_consent, ethnicity=feedback.ethnicity,
        disability_send=feedback.disability_send, child_age_band=feedback.child_age_band,
        area_id=feedback.area_id, families_represented=1)
    return _save(entry, feedback.token, page_language=feedback.language)


def forum_of(actor) -> Organisation:
    """The forum ``actor`` represents, or ``NotAForumMember``."""
    if not has_role(actor, "forum_rep") or actor.organisation_id is None:
        raise NotAForumMember(_("You are not a member of a parent carer forum"))
    forum = db.session.get(Organisation, actor.organisation_id)
    if forum is None or forum.kind != "parent_carer_forum":
        raise NotAForumMember(_("Your organisation is not a parent carer forum"))
    return forum


def submit_forum_feedback(actor, feedback: ForumFeedback) -> Submitted:
    """Feedback a forum gathered on behalf of one or more families."""
    forum = forum_of(actor)
    entry = FeedbackEntry(
        source="forum", forum_id=forum.id, submitted_by_id=actor.id,
        service_id=feedback.service_id, respondent_type=feedback.respondent_type,
        rating=feedback.rating, went_well=feedback.went_well,
        could_be_better=feedback.could_be_better, quote_consent=feedback.quote_consent,
        source_kind=feedback.source_kind, source_name=feedback.source_name,
        source_date=feedback.source_date, families_represented=feedback.families_represented,
        consent_collected=feedback.consent_collected, area_id=feedback.area_id,
        child_age_band=feedback.child_age_band)
    return _save(entry, feedback.token, actor)


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    pages: int
    families: int


def _forum_query(forum_id: int, status: str | None, source: str | None,
                 batch_id: int | None = None):
    query = select(FeedbackEntry).where(FeedbackEntry.forum_id == forum_id)
    if status:
        query = query.where(FeedbackEntry.status == status)
    if source:
        query = query.where(FeedbackEntry.source == source)
    if batch_id:
        query = query.where(FeedbackEntry.import_batch_id == batch_id)
    return query


def forum_entries(actor, page: int = 1, status: str | None = None, source: str | None = None,
                  batch_id: int | None = None) -> Page:
    """One page of the actor's forum's entries, newest first."""
    forum = forum_of(actor)
    query = _forum_query(forum.id, status, source, batch_id)
    sub = query.subquery()
    counts = db.session.execute(
        select(func.count(), func.coalesce(func.sum(sub.c.families_represented), 0))).one()
    total, families = int(counts[0]), int(counts[1])
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    items = db.session.execute(
        query.order_by(FeedbackEntry.created_at.desc(), FeedbackEntry.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    return Page(items, total, page, pages, families)


def forum_batches(actor, limit: int = 20) -> list[ImportBatch]:
    forum = forum_of(actor)
    return db.session.execute(
        select(ImportBatch).where(ImportBatch.forum_id == forum.id)
        .order_by(ImportBatch.created_at.desc()).limit(limit)).scalars().all()


def view_entry(actor, entry_id: int) -> FeedbackEntry:
    """The entry, if ``actor`` may see it; audited. Otherwise ``EntryNotFound``."""
    entry = db.session.get(FeedbackEntry, entry_id)
    if entry is None or not has_role(actor, "forum_rep") or not can_view_forum_entry(actor, entry):
        raise EntryNotFound(entry_id)
    audit.record_now("feedback.viewed", actor, entry, via="forum")
    return entry


def view_batch(actor, batch_id: int) -> ImportBatch:
    """An import batch of the actor's forum (forum reps), of the feedback the actor's
    organisation collected (providers), or any (commissioners)."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise EntryNotFound(batch_id)
    if not has_role(actor, "commissioner"):
        owner = batch.forum_id if has_role(actor, "forum_rep") else (
            batch.collected_by_id if has_role(actor, "provider") else None)
        if owner is None or owner != actor.organisation_id:
            raise EntryNotFound(batch_id)
    return batch


# Column headings of the download (translated where it is made).
EXPORT_HEADERS = (N_("Entry"), N_("Received"), N_("Source"), N_("Where gathered"),
                  N_("Event or survey"), N_("Date gathered"), N_("Families"), N_("Service"),
                  N_("Who gave the feedback"), N_("Rating"), N_("What went well"),
                  N_("What could be better"), N_("Status"), N_("Moderation"),
                  N_("Import file"), N_("Import row"), N_("Latest response"))


def export_rows(actor) -> tuple[tuple[str, ...], list[list]]:
    """The actor's forum's entries as a table, with the redacted texts; audited.

    Only the redacted words leave the platform: the original text is for
    moderators and safeguarding leads. Entries held for safeguarding are
    listed without their words.
    """
    forum = forum_of(actor)
    entries = db.session.execute(
        _forum_query(forum.id, None, None)
        .options(joinedload(FeedbackEntry.service), joinedload(FeedbackEntry.import_batch),
                 selectinload(FeedbackEntry.responses))
        .order_by(FeedbackEntry.created_at, FeedbackEntry.id)).scalars().all()
    rows = []
    held_words = _("[held for safeguarding review]")
    for e in entries:
        held = e.safeguarding_flagged
        rows.append([
            e.id, e.created_at, _(FEEDBACK_SOURCES[e.source]) if e.source in FEEDBACK_SOURCES
            else e.source, _(FORUM_SOURCE_KINDS[e.source_kind])
            if e.source_kind in FORUM_SOURCE_KINDS else e.source_kind or "", e.source_name,
            e.source_date, e.families_represented, e.service.name if e.service else "",
            RESPONDENT_TYPES.get(e.respondent_type, e.respondent_type), e.rating,
            held_words if held else (e.went_well_redacted or ""),
            held_words if held else (e.could_be_better_redacted or ""),
            e.status_label, _(MODERATION_STATES[e.moderation_state])
            if e.moderation_state in MODERATION_STATES else e.moderation_state,
            e.import_batch.filename if e.import_batch else "", e.import_row_number,
            e.responses[-1].body if e.responses else ""])
    audit.record_now("feedback.exported", actor, forum, rows=len(rows))
    return tuple(_(header) for header in EXPORT_HEADERS), rows

