"""Young Inspectors' reports: the standards, recording a report, its files and the
provider's response, and what other pages show of reports (insight, provider home,
review pack).

Every function takes plain arguments (the acting user included), never reads the
request, and owns its commit. Refusals: ``NotAllowed`` for the wrong role (403),
``LookupError`` for a report the acting user may not see, another provider's included
(404), ``InspectionError`` (a ``FieldError``) for input to change.

Each "should change" item is stored as a ``FeedbackEntry`` with source
``young_inspectors``: screened and redacted like any family feedback
(``family.screening``), waiting for a moderator, held for the safeguarding lead when the
screen flags it, and counted by themes, insight and packs only once published
(``is_published``). An item counts as one voice, whatever the size of the group, so a
report never outweighs the young people who wrote their own cards.
"""
from __future__ import annotations

import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..contracts.pack_types import InspectionScoreLine, InspectionSection
from ..errors import FieldError, NotAllowed
from ..extensions import db
from ..family.screening import Screener
from ..family.uploads import folder_for
from ..i18n import N_
from ..models import (FeedbackEntry, Inspection, InspectionFile, InspectionItem, InspectionScore,
                      InspectionStandard, Service, StatusChange, contract_service)
from ..models.inspections import (DEFAULT_STANDARDS, MAX_FILES, MAX_INSPECTORS,
                                  MAX_STANDARD_DESCRIPTION, MAX_STANDARD_NAME, NOT_SCORED, SCORES)
from ..permissions import (Role, can_edit_standards, can_record_inspections, can_view_inspection,
                           has_role)
from ..redaction import AMBIGUOUS_NAMES, FIRST_NAMES

SOURCE = "young_inspectors"
MAX_GROUP_NAME = 120
MAX_GOOD = 2000
MAX_ITEMS = 20
MAX_ITEM = 500
MAX_RESPONSE = 3000
MAX_FILE_BYTES = 5 * 1024 * 1024
FILES_FOLDER = "inspection_files"
EARLIEST_VISIT = date(2000, 1, 1)
LISTED = 200
# What a file must start with to be what it says it is (checked by content, never by name).
FILE_KINDS = {
    "image/jpeg": ((b"\xff\xd8\xff",), ".jpg"),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), ".png"),
    "application/pdf": ((b"%PDF-",), ".pdf"),
}
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s*")
_WORD = re.compile(r"[A-Za-z][a-z'\u2019-]+")
_STORED = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class InspectionError(FieldError):
    """An inspection, standard, file or response that cannot be saved as given."""


# --- plain text ------------------------------------------------------------------------------

# What is said of each field that is too long or holds a control character: whole sentences
# naming the field (translated where the error is made).
_TOO_LONG = {
    "name": N_("Name must be %(count)s characters or fewer"),
    "description": N_("Description must be %(count)s characters or fewer"),
    "group_name": N_("Youth group must be %(count)s characters or fewer"),
    "what_was_good": N_("What was good must be %(count)s characters or fewer"),
    "should_change": N_("What should change must be %(count)s characters or fewer"),
    "response": N_("Your response must be %(count)s characters or fewer"),
    "file": N_("The file's name must be %(count)s characters or fewer"),
}
_CONTROL = {
    "name": N_("Name holds a character that cannot be shown (a control character). Type it "
               "again rather than pasting it"),
    "description": N_("Description holds a character that cannot be shown (a control "
                      "character). Type it again rather than pasting it"),
    "group_name": N_("Youth group holds a character that cannot be shown (a control "
                     "character). Type it again rather than pasting it"),
    "what_was_good": N_("What was good holds a character that cannot be shown (a control "
                        "character). Type it again rather than pasting it"),
    "should_change": N_("What should change holds a character that cannot be shown (a "
                        "control character). Type it again rather than pasting it"),
    "response": N_("Your response holds a character that cannot be shown (a control "
                   "character). Type it again rather than pasting it"),
    "file": N_("The file's name holds a character that cannot be shown (a control "
               "character). Type it again rather than pasting it"),
}


def clean_text(value: str | None, field_name: str, limit: int,
               required: str | None = None) -> str:
    """``value`` trimmed, with Windows line ends made plain; ``InspectionError`` when it is
    empty (and ``required`` gives the message), too long or holds a control character
    (``field_name`` is one of ``_TOO_LONG``'s, which names it in the message)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text and required:
        raise InspectionError(required, field_name)
    if len(text) > limit:
        raise InspectionError(_(_TOO_LONG[field_name], count=f"{limit:,}"), field_name)
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise InspectionError(_(_CONTROL[field_name]), field_name)
    return text


def names_in(text: str) -> list[str]:
    """Words of ``text`` that are common first names, written with a capital (``redaction``'s
    list, less the names that are also ordinary words): two or more look like a list of the
    young people's names."""
    found = []
    for word in _WORD.findall(text or ""):
        key = word.lower()
        if word[0].isupper() and key in FIRST_NAMES and key not in AMBIGUOUS_NAMES \
                and word not in found:
            found.append(word)
    return found


def _check_names(text: str, field_name: str, not_names: bool) -> None:
    found = names_in(text)
    if len(found) >= 2 and not not_names:
        raise InspectionError(_(
            "This looks like a list of names (%(names)s). Do not name the young "
            "inspectors: remove the names, or tick \u201cThese are not the names of young "
            "people\u201d", names=", ".join(found[:4])), field_name)


def split_items(text: str) -> list[str]:
    """One "should change" item per line; list marks (-, *, 1.) and blank lines dropped."""
    items = []
    for line in (text or "").split("\n"):
        line = _BULLET.sub("", line).strip()
        if line:
            items.append(line)
    return items


# --- standards -------------------------------------------------------------------------------

def standards(include_retired: bool = True) -> list[InspectionStandard]:
    stmt = select(InspectionStandard).order_by(InspectionStandard.retired_at.is_not(None),
                                               InspectionStandard.position,
                                               InspectionStandard.id)
    if not include_retired:
        stmt = stmt.where(InspectionStandard.retired_at.is_(None))
    return list(db.session.execute(stmt).scalars())


def standards_in_use() -> set[int]:
    return set(db.session.execute(select(InspectionScore.standard_id).distinct()).scalars())


def add_default_standards() -> int:
    """The five default standards, when there are none at all (a new or reset database);
    returns how many were added. Flushes only."""
    if db.session.execute(select(InspectionStandard.id).limit(1)).first() is not None:
        return 0
    for n, (name, description) in enumerate(DEFAULT_STANDARDS):
        db.session.add(InspectionStandard(name=name, description=description, position=n))
    db.session.flush()
    return len(DEFAULT_STANDARDS)


def _standards_guard(actor) -> None:
    if not can_edit_standards(actor):
        raise NotAllowed()


def _standard(standard_id: int) -> InspectionStandard:
    found = db.session.get(InspectionStandard, standard_id)
    if found is None:
        raise LookupError(standard_id)
    return found


def get_standard(standard_id: int, actor) -> InspectionStandard:
    _standards_guard(actor)
    return _standard(standard_id)


def save_standard(actor, name: str | None, description: str | None,
                  standard_id: int | None = None) -> InspectionStandard:
    """Add a standard (``standard_id`` None) or change one's name and description."""
    _standards_guard(actor)
    name = " ".join(clean_text(name, "name", MAX_STANDARD_NAME,
                               _("Enter the standard's name")).split())
    description = clean_text(description, "description", MAX_STANDARD_DESCRIPTION,
                             _("Enter what the standard looks at"))
    standard = _standard(standard_id) if standard_id is not None else None
    clash = db.session.execute(select(InspectionStandard.id).where(
        func.lower(InspectionStandard.name) == name.lower())).scalars().first()
    if clash is not None and (standard is None or clash != standard.id):
        raise InspectionError(_("There is already a standard called \u201c%(name)s\u201d",
                                name=name), "name")
    if standard is None:
        last = db.session.execute(select(func.max(InspectionStandard.position))).scalar()
        standard = InspectionStandard(name=name, description=description,
                                      position=(last or 0) + 1)
        db.session.add(standard)
        db.session.flush()
        audit.record("inspection_standard.added", actor, standard, name=name)
    else:
        standard.name, standard.description = name, description
        db.session.flush()
        audit.record("inspection_standard.changed", actor, standard, name=name)
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved at the same moment by someone else
        db.session.rollback()
        raise InspectionError(_("There is already a standard called \u201c%(name)s\u201d",
                                name=name), "name") from None
    return standard


def remove_standard(actor, standard_id: int) -> str:
    """Delete a standard no report has used; retire one that is in use (kept for the reports
    that scored it, offered to no new report). Returns "deleted" or "retired"."""
    _standards_guard(actor)
    standard = _standard(standard_id)
    if standard.id in standards_in_use():
        standard.retired_at = standard.retired_at or clock.now()
        audit.record("inspection_standard.retired", actor, standard, name=standard.name)
        outcome = "retired"
    else:
        audit.record("inspection_standard.deleted", actor, standard, name=standard.name)
        db.session.delete(standard)
        outcome = "deleted"
    db.session.commit()
    return outcome


def restore_standard(actor, standard_id: int) -> InspectionStandard:
    _standards_guard(actor)
    standard = _standard(standard_id)
    standard.retired_at = None
    audit.record("inspection_standard.restored", actor, standard, name=standard.name)
    db.session.commit()
    return standard


# --- recording a report ----------------------------------------------------------------------

@dataclass(frozen=True)
class InspectionInput:
    token: str
    service_id: int | None
    visit_date: date | None
    group_name: str
    inspectors: int | None
    scores: dict = field(default_factory=dict)  # standard id -> 1..4, or None: not looked at
    what_was_good: str = ""
    should_change: str = ""
    not_names: bool = False


def _visit_at(visit: date):
    """When the report's items count: midday (UK) on the visit day, or now if that is later
    than now, so an item falls in the period of the visit."""
    return min(clock.start_of_uk_day(visit) + timedelta(hours=12), clock.now())


def new_item(inspection: Inspection, text: str, actor_id: int | None,
             screener: Screener) -> FeedbackEntry:
    """One "should change" item of ``inspection`` as a feedback entry (source
    ``young_inspectors``): screened, redacted, received, waiting for moderation, dated
    on the day of the visit. Not added to the session."""
    screened = screener.entry("", text)
    at = _visit_at(inspection.visit_date)
    entry = FeedbackEntry(
        source=SOURCE, service_id=inspection.service_id, respondent_type="young_person",
        went_well="", could_be_better=text, went_well_redacted="",
        could_be_better_redacted=screened.could_be_better_redacted, quote_consent=False,
        source_name=inspection.group_name, source_date=inspection.visit_date,
        families_represented=1, consent_collected=True, submitted_by_id=actor_id,
        created_at=at, updated_at=at, safeguarding_flagged=screened.flagged,
        safeguarding_categories=list(screened.categories) or None,
        safeguarding_trigger=screened.trigger, safeguarding_score=screened.score,
        status="received", moderation_state="pending")
    entry.history.append(StatusChange(to_status="received", changed_by_id=actor_id,
                                      changed_at=at))
    return entry


def record(data: InspectionInput, actor, today: date) -> Inspection:
    """Check and store a report with its scores and "should change" items (each screened,
    redacted and waiting for moderation). A second use of the form's token returns the
    first report and saves nothing."""
    if not can_record_inspections(actor):
        raise NotAllowed()
    earlier = db.session.execute(select(Inspection).filter_by(
        submission_token=data.token)).scalar_one_or_none()
    if earlier is not None:
        return earlier
    service = db.session.get(Service, data.service_id) if data.service_id else None
    if service is None or not service.active:
        raise InspectionError(_("Select the service that was inspected"), "service")
    if data.visit_date is None:
        raise InspectionError(_("Enter the date of the visit, like 27 3 2026"), "visit_date")
    if data.visit_date > today:
        raise InspectionError(_("Date of the visit must be today or in the past"),
                              "visit_date")
    if data.visit_date < EARLIEST_VISIT:
        raise InspectionError(_("Date of the visit must be after 1 January 2000"),
                              "visit_date")
    group = " ".join(clean_text(data.group_name, "group_name", MAX_GROUP_NAME,
                                _("Enter the name of the youth group")).split())
    _check_names(group, "group_name", data.not_names)
    if data.inspectors is None or not 1 <= data.inspectors <= MAX_INSPECTORS:
        raise InspectionError(_("Number of young inspectors must be between 1 and %(most)s",
                                most=MAX_INSPECTORS), "inspectors")
    active = standards(include_retired=False)
    scores = {}
    for standard in active:
        if standard.id not in data.scores:
            raise InspectionError(_("Select a score for %(standard)s", standard=standard.name),
                                  f"score_{standard.id}")
        value = data.scores[standard.id]
        if value is not None and value not in SCORES:
            raise InspectionError(_("Select a score for %(standard)s", standard=standard.name),
                                  f"score_{standard.id}")
        scores[standard.id] = value
    good = clean_text(data.what_was_good, "what_was_good", MAX_GOOD)
    _check_names(good, "what_was_good", data.not_names)
    changes_text = clean_text(data.should_change, "should_change", MAX_ITEMS * (MAX_ITEM + 2))
    items = split_items(changes_text)
    if not good and not items:
        raise InspectionError(_("Enter what was good or what should change"), "should_change")
    if len(items) > MAX_ITEMS:
        raise InspectionError(_("What should change can have up to %(count)s items, one a "
                                "line", count=MAX_ITEMS), "should_change")
    for n, item in enumerate(items, start=1):
        if len(item) > MAX_ITEM:
            raise InspectionError(_("Item %(number)s of what should change must be %(count)s "
                                    "characters or fewer", number=n, count=MAX_ITEM),
                                  "should_change")
    _check_names(changes_text, "should_change", data.not_names)

    screener = Screener()
    inspection = Inspection(service_id=service.id, visit_date=data.visit_date, group_name=group,
                            inspectors=data.inspectors, what_was_good=good,
                            what_was_good_redacted=screener.redact(good),
                            submission_token=data.token, recorded_by_id=actor.id)
    for standard_id, value in scores.items():
        if value is not None:
            inspection.scores.append(InspectionScore(standard_id=standard_id, score=value))
    flagged = []
    for n, text in enumerate(items):
        entry = new_item(inspection, text, actor.id, screener)
        inspection.items.append(InspectionItem(entry=entry, position=n))
        if entry.safeguarding_flagged:
            flagged.append(entry)
    db.session.add(inspection)
    try:
        db.session.flush()
        audit.record("inspection.recorded", actor, inspection, service=service.id,
                     items=len(items), flagged=len(flagged))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same form sent twice at once: the other request saved it
        earlier = db.session.execute(select(Inspection).filter_by(
            submission_token=data.token)).scalar_one_or_none()
        if earlier is None:
            raise
        return earlier
    if flagged:
        from ..safeguarding import escalate
        for entry in flagged:
            escalate(entry)
    return inspection


# --- reading reports -------------------------------------------------------------------------

def get_for(inspection_id: int, actor) -> Inspection:
    """The report, when ``actor`` may read it; ``LookupError`` (a 404) otherwise, so another
    provider's ids reveal nothing."""
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None or not can_view_inspection(actor, inspection):
        raise LookupError(inspection_id)
    return inspection


def listing(actor) -> list[Inspection]:
    """Every report, newest visit first (participation workers and commissioners)."""
    if not has_role(actor, Role.PARTICIPATION_WORKER, Role.COMMISSIONER):
        raise NotAllowed()
    return list(db.session.execute(select(Inspection).order_by(
        Inspection.visit_date.desc(), Inspection.id.desc()).limit(LISTED)).scalars())


def for_provider(actor) -> list[Inspection]:
    """Reports on the acting provider's own services, newest visit first."""
    if not has_role(actor, Role.PROVIDER) or actor.organisation_id is None:
        return []
    return list(db.session.execute(
        select(Inspection).join(Service, Inspection.service_id == Service.id)
        .where(Service.provider_id == actor.organisation_id)
        .order_by(Inspection.visit_date.desc(), Inspection.id.desc()).limit(LISTED)).scalars())


def published_items(inspection: Inspection) -> list[FeedbackEntry]:
    return [i.entry for i in inspection.items if i.entry is not None and i.entry.is_published]


def waiting_items(inspection: Inspection) -> int:
    """Items not (yet) published: waiting for moderation or held for safeguarding."""
    return sum(1 for i in inspection.items if i.entry is not None and not i.entry.is_published
               and i.entry.moderation_state != "rejected")


@dataclass(frozen=True)
class ScoreRow:
    standard: InspectionStandard
    score: int | None

    @property
    def words(self) -> str:
        return f"{self.score} - {_(SCORES[self.score])}" if self.score else _(NOT_SCORED)


def score_rows(inspection: Inspection) -> list[ScoreRow]:
    """One row per standard the report scored, and per standard then in use that it did not."""
    given = {s.standard_id: s.score for s in inspection.scores}
    rows = [ScoreRow(s.standard, s.score) for s in inspection.scores if s.standard is not None]
    for standard in standards(include_retired=False):
        if standard.id not in given:
            rows.append(ScoreRow(standard, None))
    rows.sort(key=lambda r: (r.standard.position, r.standard.id))
    return rows


def section_of(inspection: Inspection) -> InspectionSection:
    """The report as the review pack and the Word file show it: redacted, published items
    only."""
    return InspectionSection(
        service=inspection.service.name if inspection.service else "",
        visit_date=inspection.visit_date, group=inspection.group_name,
        inspectors=inspection.inspectors,
        scores=tuple(InspectionScoreLine(r.standard.name, r.score, r.words)
                     for r in score_rows(inspection)),
        good=inspection.what_was_good_redacted or "",
        changes=tuple((e.could_be_better_redacted or "").strip()
                      for e in published_items(inspection)),
        waiting=waiting_items(inspection), response=inspection.response,
        response_on=clock.uk_date_of(inspection.response_at) if inspection.response_at else None)


def sections_in(service_ids, start: date, end: date) -> list[InspectionSection]:
    """Reports on ``service_ids`` visited from ``start`` to ``end`` (both included)."""
    ids = list(service_ids) or [-1]
    found = db.session.execute(select(Inspection).where(
        Inspection.service_id.in_(ids), Inspection.visit_date >= start,
        Inspection.visit_date <= end).order_by(Inspection.visit_date, Inspection.id)).scalars()
    return [section_of(i) for i in found]


def for_filters(f) -> list[Inspection]:
    """Reports in an insight view (``insight.filters.Filters``): visited in its period, on its
    services, provider, contract or thematic area. None when the view is narrowed to another
    source or to a group a report does not record (cohort, age, rating)."""
    if (f.source not in (None, SOURCE)) or f.cohort or f.age_band or f.rating is not None:
        return []
    stmt = select(Inspection).join(Service, Inspection.service_id == Service.id)
    if f.start is not None:
        stmt = stmt.where(Inspection.visit_date >= f.start)
    if f.end is not None:
        stmt = stmt.where(Inspection.visit_date < f.end)
    if f.service_ids:
        stmt = stmt.where(Inspection.service_id.in_(f.service_ids))
    if f.provider_id is not None:
        stmt = stmt.where(Service.provider_id == f.provider_id)
    if f.thematic_area:
        stmt = stmt.where(Service.thematic_area == f.thematic_area)
    if f.contract_id is not None:
        stmt = stmt.where(Inspection.service_id.in_(select(contract_service.c.service_id).where(
            contract_service.c.contract_id == f.contract_id)))
    return list(db.session.execute(stmt.order_by(Inspection.visit_date.desc(), Inspection.id.desc())
                                   .limit(LISTED)).scalars())


# --- the provider's response -----------------------------------------------------------------

def respond(inspection_id: int, text: str | None, actor) -> Inspection:
    """The provider's response to a report on one of its own services (``LookupError`` for
    any other report). Writing it again replaces it."""
    if not has_role(actor, Role.PROVIDER):
        raise NotAllowed()
    inspection = get_for(inspection_id, actor)
    inspection.response = clean_text(text, "response", MAX_RESPONSE, _("Enter your response"))
    inspection.response_by_id, inspection.response_at = actor.id, clock.now()
    audit.record("inspection.response", actor, inspection)
    db.session.commit()
    return inspection


# --- files -----------------------------------------------------------------------------------

def kind_of(data: bytes) -> str | None:
    """The content type ``data`` really is (of ``FILE_KINDS``), or None."""
    for kind, (starts, _suffix) in FILE_KINDS.items():
        if any(data.startswith(s) for s in starts):
            return kind
    return None


def add_file(inspection_id: int, filename: str | None, data: bytes, actor,
             instance_path: str) -> InspectionFile:
    """Keep a photo (JPEG, PNG) or PDF of the visit outside the web root."""
    if not can_record_inspections(actor):
        raise NotAllowed()
    inspection = get_for(inspection_id, actor)
    if len(inspection.files) >= MAX_FILES:
        raise InspectionError(_("A report can have up to %(count)s files", count=MAX_FILES),
                              "file")
    if not data:
        raise InspectionError(_("Select a photo or PDF to add"), "file")
    if len(data) > MAX_FILE_BYTES:
        raise InspectionError(_("The selected file must be smaller than 5 MB"), "file")
    kind = kind_of(data)
    if kind is None:
        raise InspectionError(_("The selected file must be a photo (JPEG or PNG) or a PDF"),
                              "file")
    name = clean_text(os.path.basename((filename or "").replace("\\", "/")), "file",
                      255) or f"file{FILE_KINDS[kind][1]}"
    stored = secrets.token_urlsafe(24)
    folder = folder_for(instance_path, FILES_FOLDER)
    fd = os.open(folder / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    row = InspectionFile(inspection_id=inspection.id, stored_name=stored, filename=name,
                         content_type=kind, size=len(data), uploaded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("inspection.file_added", actor, inspection, file=row.id, size=len(data))
    db.session.commit()
    return row


def file_for(inspection_id: int, file_id: int, actor, instance_path: str) -> tuple[InspectionFile, bytes]:
    """A report's file and its bytes (5 MB at most), for one who may read the report."""
    inspection = get_for(inspection_id, actor)
    row = db.session.get(InspectionFile, file_id)
    if row is None or row.inspection_id != inspection.id or not _STORED.match(row.stored_name):
        raise LookupError(file_id)
    try:
        return row, (folder_for(instance_path, FILES_FOLDER) / row.stored_name).read_bytes()
    except OSError:
        raise LookupError(file_id) from None
