"""The retention policy and the purge that applies it.

The policy (docs/privacy.md; periods are settings, defaults in brackets):

- action cards and feedback entries are deleted when nothing has happened to
  them for ``RETENTION_SUBMISSION_DAYS`` (3 years): no edit, status change or
  answer. Their history, answers, theme assignments and "me too" marks go with
  them. A submission flagged by the safeguarding screen and not yet reviewed by
  a safeguarding lead is held until it is reviewed.
- contact details on a card are deleted ``RETENTION_CONTACT_DAYS`` (6 months)
  after the card is closed (status "done" or "not possible").
- audit events older than ``RETENTION_AUDIT_DAYS`` (2 years) are deleted.
- the trained classifier kept with an analysis run is dropped from finished
  runs older than ``RETENTION_CLASSIFIER_DAYS`` (90 days), except the newest one
  (still in use).
- forum import files left under ``instance/imports/`` are deleted after
  ``RETENTION_IMPORT_FILE_HOURS`` (24 hours).
- a card or entry its author erased with the receipt code while it awaited a
  safeguarding lead is deleted once the lead has recorded what was done.
- public journeys' answers and one-time receipt codes (``journey_state``) are
  deleted when they expire (2 hours after the last answer, 1 hour after sending).

``purge(policy, instance_path, apply=False)`` counts what would go; with
``apply=True`` it removes it, records one audit event with the counts, and commits.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, delete, exists, func, not_, or_, select, update

from .. import audit, clock
from ..cards import journey
from ..extensions import db
from ..models import ActionCard, AnalysisRun, AuditEvent, FeedbackEntry, Response, StatusChange

CLOSED_STATUSES = ("done", "not_possible")
ACTIVE_RUN_STATUSES = ("queued", "running")
BATCH = 500


@dataclass(frozen=True)
class RetentionPolicy:
    submission_days: int = 3 * 365
    contact_days: int = 183
    audit_days: int = 2 * 365
    classifier_days: int = 90
    import_file_hours: int = 24

    @classmethod
    def from_config(cls, config) -> "RetentionPolicy":
        return cls(submission_days=int(config["RETENTION_SUBMISSION_DAYS"]),
                   contact_days=int(config["RETENTION_CONTACT_DAYS"]),
                   audit_days=int(config["RETENTION_AUDIT_DAYS"]),
                   classifier_days=int(config["RETENTION_CLASSIFIER_DAYS"]),
                   import_file_hours=int(config["RETENTION_IMPORT_FILE_HOURS"]))

    def describe(self) -> list[str]:
        return [
            f"Action cards and feedback: deleted {self.submission_days} days after the last "
            "thing happened to them (held while a safeguarding flag awaits review)",
            f"Contact details on cards: deleted {self.contact_days} days after the card is closed",
            f"Audit events: deleted after {self.audit_days} days",
            f"Trained classifiers of finished analysis runs: dropped after "
            f"{self.classifier_days} days (the newest is kept)",
            f"Forum import files: deleted after {self.import_file_hours} hours",
            "Cards erased by their author while awaiting safeguarding review: deleted once "
            "the lead has recorded what was done",
            "Card journeys' answers and receipt codes kept between pages: deleted when they "
            "expire (2 hours after the last answer, 1 hour after sending)",
        ]


@dataclass
class PurgeReport:
    applied: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _expired_submissions(model, cutoff: datetime):
    """Ids of ``model`` rows with no activity since ``cutoff``."""
    subject = StatusChange.card_id if model is ActionCard else StatusChange.feedback_entry_id
    answered = Response.card_id if model is ActionCard else Response.feedback_entry_id
    expired = and_(
        model.updated_at < cutoff,
        func.coalesce(model.status_changed_at, model.created_at) < cutoff,
        not_(and_(model.safeguarding_flagged.is_(True),
                  model.safeguarding_reviewed_at.is_(None))),
        ~exists().where(subject == model.id, StatusChange.changed_at >= cutoff),
        ~exists().where(answered == model.id, Response.created_at >= cutoff),
    )
    # Erased by its author while awaiting the safeguarding lead: gone once the lead decided.
    erased = and_(model.erase_requested_at.is_not(None),
                  model.safeguarding_reviewed_at.is_not(None))
    return select(model.id).where(or_(expired, erased))


def _contact_details_due(cutoff: datetime):
    return and_(
        or_(ActionCard.contact_detail.is_not(None), ActionCard.contact_method.is_not(None)),
        ActionCard.status.in_(CLOSED_STATUSES),
        func.coalesce(ActionCard.status_changed_at, ActionCard.updated_at) < cutoff)


def _classifiers_due(cutoff: datetime):
    newest = select(func.max(AnalysisRun.id)).where(AnalysisRun.classifier.is_not(None),
                                                    AnalysisRun.status.not_in(ACTIVE_RUN_STATUSES))
    return and_(AnalysisRun.classifier.is_not(None),
                AnalysisRun.status.not_in(ACTIVE_RUN_STATUSES),
                func.coalesce(AnalysisRun.finished_at, AnalysisRun.created_at) < cutoff,
                AnalysisRun.id != newest.scalar_subquery())


def _old_import_files(instance_path: str | None, hours: int, now: float) -> list[Path]:
    if not instance_path:
        return []
    folder = Path(instance_path) / "imports"
    if not folder.is_dir():
        return []
    limit = hours * 3600
    old = []
    for path in folder.iterdir():
        try:
            if path.is_file() and now - path.stat().st_mtime > limit:
                old.append(path)
        except FileNotFoundError:
            continue
    return old


def _count(query) -> int:
    return db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def _delete_in_batches(model, ids_query) -> int:
    removed = 0
    while True:
        ids = list(db.session.execute(ids_query.limit(BATCH)).scalars())
        if not ids:
            return removed
        # Children (history, answers, theme assignments, me-too) go by ON DELETE CASCADE.
        db.session.execute(delete(model).where(model.id.in_(ids)),
                           execution_options={"synchronize_session": False})
        db.session.flush()
        removed += len(ids)


def purge(policy: RetentionPolicy, instance_path: str | None = None, *, apply: bool = False,
          now: datetime | None = None) -> PurgeReport:
    """Count (dry run) or remove (``apply=True``) everything past its retention period."""
    now = now or clock.now()
    submission_cutoff = now - timedelta(days=policy.submission_days)
    contact_cutoff = now - timedelta(days=policy.contact_days)
    audit_cutoff = now - timedelta(days=policy.audit_days)
    classifier_cutoff = now - timedelta(days=policy.classifier_days)
    cards = _expired_submissions(ActionCard, submission_cutoff)
    entries = _expired_submissions(FeedbackEntry, submission_cutoff)
    contacts = select(ActionCard.id).where(_contact_details_due(contact_cutoff))
    events = select(AuditEvent.id).where(AuditEvent.at < audit_cutoff)
    classifiers = select(AnalysisRun.id).where(_classifiers_due(classifier_cutoff))
    files = _old_import_files(instance_path, policy.import_file_hours, time.time())

    report = PurgeReport(applied=apply)
    if not apply:
        report.counts = {
            "action_cards": _count(cards), "feedback_entries": _count(entries),
            "card_contact_details": _count(contacts.except_(cards)),
            "audit_events": _count(events), "classifiers": _count(classifiers),
            "import_files": len(files),
            "journey_states": journey.purge_expired(now, apply=False)}
        return report

    report.counts["action_cards"] = _delete_in_batches(ActionCard, cards)
    report.counts["feedback_entries"] = _delete_in_batches(FeedbackEntry, entries)
    report.counts["card_contact_details"] = db.session.execute(
        update(ActionCard).where(_contact_details_due(contact_cutoff))
        .values(contact_detail=None, contact_method=None),
        execution_options={"synchronize_session": False}).rowcount
    report.counts["audit_events"] = db.session.execute(
        delete(AuditEvent).where(AuditEvent.at < audit_cutoff),
        execution_options={"synchronize_session": False}).rowcount
    report.counts["classifiers"] = db.session.execute(
        update(AnalysisRun).where(_classifiers_due(classifier_cutoff)).values(classifier=None),
        execution_options={"synchronize_session": False}).rowcount
    removed_files = 0
    for path in files:
        try:
            path.unlink()
            removed_files += 1
        except FileNotFoundError:
            continue
    report.counts["import_files"] = removed_files
    report.counts["journey_states"] = journey.purge_expired(now)
    audit.record("privacy.purge", None, object_type="retention", **report.counts)
    db.session.commit()
    return report
