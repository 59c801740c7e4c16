"""A Young Inspectors' report as other pages show it: its score rows, its published and
waiting "should change" items, and the ``InspectionSection`` the report page, the Word file
and the review pack use (redacted text, published items only)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..contracts.pack_types import InspectionScoreLine, InspectionSection
from ..extensions import db
from ..models import FeedbackEntry, Inspection, InspectionStandard
from ..models.inspections import NOT_SCORED, SCORES
from .standards import standards


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
