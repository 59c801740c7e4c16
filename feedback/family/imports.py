"""Bulk import of forum feedback: check every row, then import the valid ones.

Two use cases, both taking the uploaded bytes and plain arguments:

- ``check_file(...) -> CheckResult``: reads the file, applies the column
  mapping and validates every row (no writes). Each failing row is named with
  its row number as the person sees it in their spreadsheet, and why.
- ``import_file(...) -> ImportOutcome``: checks again (the database may have
  changed), screens and redacts the valid rows, and inserts them with their
  ``ImportBatch`` and a first "received" ``StatusChange`` each in ONE
  transaction, with bulk inserts. Flagged rows raise ONE safeguarding alert
  for the batch after the commit, never one per row.

Duplicates: each row gets ``row_hash``, the SHA-256 of its forum, service
and content (not its position), and ``feedback_entry.row_hash`` is UNIQUE;
rows already in the database, or repeated within the file, are reported as
duplicates and never inserted twice. ``ImportBatch.file_hash`` recognises a
file uploaded before, so the report can say when.

Provider-collected voice: a provider imports the feedback it gathered itself
(its exit questionnaires, its surveys) through the same two use cases with
``collected_by`` set to its organisation. Every row must name one of that
organisation's own services (any other is a row problem); the entries are
stored with ``source = "provider_import"`` and ``collected_by_id``, the
provenance every count and list shows ("Collected by <provider>").
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import insert, literal, select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, services_search
from ..extensions import db
from ..models import Area, FeedbackEntry, ImportBatch, Organisation, Service, StatusChange
from ..models.base import UTCDateTime
from . import fields as F
from .reading import Table, read_table
from .screening import Screener

MAX_IMPORT_ROWS = 50_000
INSERT_CHUNK = 2_000
HASH_LOOKUP_CHUNK = 900  # under SQLite's 999 bound parameters


class ImportConflict(RuntimeError):
    """Rows were imported by someone else between the check and the import."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Duplicate:
    row: int
    reason: str


@dataclass
class CheckResult:
    table: Table
    valid: list[dict] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    earlier_batch: ImportBatch | None = None

    @property
    def rows_total(self) -> int:
        return len(self.table.rows)

    @property
    def blank_rows(self) -> list[int]:
        return self.table.blank_rows


@dataclass(frozen=True)
class CheckView:
    """A finished check as the pages show it (rebuilt from ``import_jobs.summary``)."""
    rows_total: int
    ready: int
    problems: list[RowProblem]
    duplicates: list[Duplicate]
    blank_rows: list[int]
    earlier_batch_at: datetime | None = None

    @classmethod
    def from_summary(cls, data: dict) -> "CheckView":
        earlier = data.get("earlier_batch_at")
        return cls(rows_total=data["rows_total"], ready=data["ready"],
                   problems=[RowProblem(row, tuple(p)) for row, p in data["problems"]],
                   duplicates=[Duplicate(row, reason) for row, reason in data["duplicates"]],
                   blank_rows=list(data["blank_rows"]),
                   earlier_batch_at=datetime.fromisoformat(earlier) if earlier else None)


@dataclass(frozen=True)
class ImportOutcome:
    batch_id: int | None
    imported: int
    duplicates: int
    invalid: int
    flagged: int


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row_hash(forum_id: int | None, values: dict, collected_by: int | None = None) -> str:
    """Same forum (or collecting provider), service and words (whitespace aside) -> same
    hash, wherever the row sits."""
    key = [forum_id, values["service_id"], values["respondent_type"], values["rating"],
           " ".join(values["went_well"].split()), " ".join(values["could_be_better"].split()),
           values["source_kind"], values["source_name"],
           values["source_date"].isoformat() if values["source_date"] else None,
           values["area_id"], values["families_represented"], values["child_age_band"]]
    if collected_by is not None:  # appended: the hashes of independent rows stay as they were
        key.append(["collected_by", collected_by])
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def _lookups() -> tuple[services_search.ServiceMatcher, dict[str, int]]:
    """The matcher that reads the service column (``services_search``, the same
    as the cards' search) and the areas by name."""
    matcher = services_search.load_matcher()
    areas = {F.squash(name): aid for aid, name in db.session.execute(select(Area.id, Area.name))}
    return matcher, areas


def _existing_hashes(hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), HASH_LOOKUP_CHUNK):
        chunk = hashes[start:start + HASH_LOOKUP_CHUNK]
        found.update(db.session.execute(
            select(FeedbackEntry.row_hash).where(FeedbackEntry.row_hash.in_(chunk))).scalars())
    return found


def own_service_ids(collected_by: int | None) -> frozenset[int] | None:
    """The services a collecting provider may import for (None: any service)."""
    if collected_by is None:
        return None
    return frozenset(db.session.execute(
        select(Service.id).where(Service.provider_id == collected_by)).scalars())


def _validate_row(cells: list, mapping: dict[str, int | None], services, areas,
                  today: date, own: frozenset[int] | None = None) -> tuple[dict, list[str]]:
    def cell(key):
        index = mapping.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    problems: list[str] = []
    values: dict = {}

    def take(key, parsed):
        value, error = parsed
        values[key] = value
        if error:
            problems.append(error)

    service_text = F.text_of(cell("service"))
    found = services.recognise(service_text)
    values["service_id"] = found.service_id
    if own is not None and found.service_id is None and len(found.candidates) > 1:
        mine = [sid for sid in found.candidates if sid in own]
        if len(mine) == 1:  # several services have the name, one of them is this provider's
            found = services_search.Recognised(mine[0], (mine[0],))
            values["service_id"] = mine[0]
    if not service_text:
        problems.append(_("Enter the service"))
    elif len(found.candidates) > 1:
        problems.append(_("Service '%(service)s' could be more than one service (%(names)s). "
                          "Use a name from the Services sheet of the template",
                          service=service_text[:80],
                          names="; ".join(services.name_of(sid)
                                          for sid in found.candidates[:4])))
    elif values["service_id"] is None:
        problems.append(_("Service '%(service)s' is not a service we know. Use a name from "
                          "the Services sheet of the template", service=service_text[:80]))
    elif own is not None and values["service_id"] not in own:
        problems.append(_("Service '%(service)s' is not one of your organisation's services. "
                          "You can only import feedback about the services you provide",
                          service=service_text[:80]))
    take("respondent_type", F.parse_respondent(cell("respondent_type")))
    take("rating", F.parse_rating(cell("rating")))
    take("went_well", F.parse_text(cell("went_well"), "went_well"))
    take("could_be_better", F.parse_text(cell("could_be_better"), "could_be_better"))
    if not values["went_well"] and not values["could_be_better"]:
        problems.append(_("Enter what went well or what could be better"))
    take("source_kind", F.parse_source_kind(cell("source_kind")))
    source_name = F.text_of(cell("source_name"))
    if len(source_name) > 200:
        problems.append(_("Event or survey name must be 200 characters or fewer"))
    values["source_name"] = source_name or None
    take("source_date", F.parse_date(cell("source_date"), today))
    area_text = F.text_of(cell("area"))
    values["area_id"] = areas.get(F.squash(area_text)) if area_text else None
    if area_text and values["area_id"] is None:
        problems.append(_("Area '%(area)s' is not an area we know, or leave it blank",
                          area=area_text[:60]))
    take("families_represented", F.parse_families(cell("families_represented")))
    take("child_age_band", F.parse_age_band(cell("child_age_band")))
    take("quote_consent", F.parse_quote_consent(cell("quote_consent")))
    return values, problems


def check_table(table: Table, mapping: dict[str, int | None], forum_id: int | None,
                today: date, collected_by: int | None = None) -> CheckResult:
    """Validate every row of ``table``; no writes. ``collected_by``: the provider
    importing its own feedback (rows about other services are problems)."""
    services, areas = _lookups()
    own = own_service_ids(collected_by)
    result = CheckResult(table=table)
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        values, problems = _validate_row(cells, mapping, services, areas, today, own)
        for ref in table.formula_cells.get(number, ()):
            problems.append(_("Cell %(cell)s holds a formula with no saved result. Replace the "
                              "formula with its value and upload the file again", cell=ref))
        if problems:
            result.problems.append(RowProblem(number, tuple(problems)))
            continue
        values["row_hash"] = row_hash(forum_id, values, collected_by)
        values["import_row_number"] = number
        if values["row_hash"] in seen:
            result.duplicates.append(Duplicate(number, _("Same as row %(row)s",
                                                         row=seen[values["row_hash"]])))
            continue
        seen[values["row_hash"]] = number
        result.valid.append(values)
    existing = _existing_hashes([v["row_hash"] for v in result.valid])
    if existing:
        kept = []
        for values in result.valid:
            if values["row_hash"] in existing:
                result.duplicates.append(Duplicate(values["import_row_number"],
                                                   _("Already imported")))
            else:
                kept.append(values)
        result.valid = kept
        result.duplicates.sort(key=lambda d: d.row)
    return result


def _same_owner(column, value):
    return column.is_(None) if value is None else column == value


def check_file(data: bytes, filename: str, mapping: dict[str, int | None],
               forum_id: int | None, today: date | None = None,
               collected_by: int | None = None) -> CheckResult:
    """Read and validate the upload. Raises ``reading.UnreadableFile``."""
    table = read_table(data, filename, MAX_IMPORT_ROWS)
    result = check_table(table, mapping, forum_id, today or clock.today(), collected_by)
    result.earlier_batch = db.session.execute(
        select(ImportBatch).where(ImportBatch.file_hash == file_hash(data),
                                  _same_owner(ImportBatch.forum_id, forum_id),
                                  _same_owner(ImportBatch.collected_by_id, collected_by))
        .order_by(ImportBatch.created_at.desc()).limit(1)).scalar_one_or_none()
    return result


def import_file(actor, data: bytes, filename: str, mapping: dict[str, int | None],
                forum_id: int | None, today: date | None = None,
                screener: Screener | None = None,
                collected_by: int | None = None) -> ImportOutcome:
    """Import the valid, new rows of the upload in one transaction; commit.

    Every entry gets its first "received" history row, as form entries do.
    Flagged rows are stored flagged (never published) and raise one grouped
    alert for the batch after the commit. Raises ``ImportConflict`` if another
    import inserted some of the same rows meanwhile (nothing is saved then).
    """
    if collected_by is not None:
        forum_id = None  # a provider's own feedback is never a forum's
        if db.session.get(Organisation, collected_by) is None:
            raise ValueError(collected_by)
    result = check_file(data, filename, mapping, forum_id, today, collected_by)
    if not result.valid:
        return ImportOutcome(None, 0, len(result.duplicates), len(result.problems), 0)
    screener = screener or Screener()
    now = clock.now()
    batch = ImportBatch(forum_id=forum_id, collected_by_id=collected_by,
                        uploaded_by_id=actor.id, filename=filename[:255],
                        file_hash=file_hash(data), created_at=now,
                        column_mapping={k: v for k, v in mapping.items() if v is not None},
                        rows_total=result.rows_total, rows_imported=len(result.valid),
                        rows_duplicate=len(result.duplicates), rows_invalid=len(result.problems))
    db.session.add(batch)
    db.session.flush()
    rows, flagged, categories = [], 0, {}
    for values in result.valid:
        screened = screener.entry(values["went_well"], values["could_be_better"])
        flagged += screened.flagged
        for category in screened.categories:
            categories[category] = categories.get(category, 0) + 1
        rows.append({
            **values, "source": "forum_import" if collected_by is None else "provider_import",
            "forum_id": forum_id, "collected_by_id": collected_by,
            "submitted_by_id": actor.id, "import_batch_id": batch.id, "consent_collected": True,
            "went_well_redacted": screened.went_well_redacted,
            "could_be_better_redacted": screened.could_be_better_redacted,
            "safeguarding_flagged": screened.flagged,
            "safeguarding_categories": list(screened.categories) or None,
            "safeguarding_trigger": screened.trigger, "safeguarding_score": screened.score,
            "status": "received", "moderation_state": "pending",
            "created_at": now, "updated_at": now})
    try:
        for start in range(0, len(rows), INSERT_CHUNK):
            db.session.execute(insert(FeedbackEntry), rows[start:start + INSERT_CHUNK])
        _record_received(batch.id, actor, now)
        audit.record("feedback.imported", actor, batch, filename=batch.filename,
                     collected_by=collected_by,
                     imported=batch.rows_imported, duplicates=batch.rows_duplicate,
                     invalid=batch.rows_invalid, flagged=flagged)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ImportConflict(_("Some of these rows were imported by someone else a moment "
                               "ago. Check the file again")) from None
    if flagged:
        from ..safeguarding import escalate_batch
        escalate_batch(batch, flagged, categories)
    return ImportOutcome(batch.id, batch.rows_imported, batch.rows_duplicate,
                         batch.rows_invalid, flagged)


def _record_received(batch_id: int, actor, when: datetime) -> None:
    """The first history row of every entry of the batch, in one INSERT ... SELECT
    (the bulk insert does not hand back the new ids)."""
    db.session.execute(insert(StatusChange).from_select(
        ["feedback_entry_id", "to_status", "changed_by_id", "changed_at"],
        select(FeedbackEntry.id, literal("received"), literal(actor.id),
               literal(when, UTCDateTime)).where(FeedbackEntry.import_batch_id == batch_id)))
