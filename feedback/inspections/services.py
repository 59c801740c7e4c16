"""Young Inspectors' reports: recording one, reading them (the list, a provider's own, an
insight view's) and the provider's response. The standards are in ``standards``, the
report as other pages show it in ``sections``, its files in ``files``.

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

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..errors import NotAllowed
from ..extensions import db
from ..family.screening import Screener
from ..models import (FeedbackEntry, Inspection, InspectionItem, InspectionScore, Service,
                      StatusChange, contract_service)
from ..models.inspections import MAX_INSPECTORS, SCORES
from ..permissions import Role, can_record_inspections, can_view_inspection, has_role
from .checks import InspectionError, check_names, clean_text, split_items
from .standards import standards

SOURCE = "young_inspectors"
MAX_GROUP_NAME = 120
MAX_GOOD = 2000
MAX_ITEMS = 20
MAX_ITEM = 500
MAX_RESPONSE = 3000
EARLIEST_VISIT = date(2000, 1, 1)
LISTED = 200


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
    check_names(group, "group_name", data.not_names)
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
    check_names(good, "what_was_good", data.not_names)
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
    check_names(changes_text, "should_change", data.not_names)

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
