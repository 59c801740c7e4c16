"""The contract review pack's underlying data as an XLSX workbook, one sheet per section.

Contract: ``pack_to_xlsx(pack, frozen_on=None, held_on=None) -> bytes``; a held review's
Summary sheet has a "Meeting held" row, and a frozen pack's a "Frozen on" row. The same arguments give the same bytes
(``stable.stable_office_file``, dated the day the pack was prepared). Every text cell passes through
``tables.safe_cell`` (formula-safe). Suppressed counts are the text "fewer
than 10", never a number. Numbers stay numbers with a number format: a
change of +29% is the number 0.29 shown as a percentage, and a change that
cannot be worked out ("new", "not shown (fewer than 10)") is its words.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..contracts.pack import ReviewPack, change_fraction
from .stable import stable_office_file
from .tables import _xlsx_value, sheet_title_for

CHANGE_FORMAT = "+0%;-0%;0%"
NUMBER_FORMAT = "#,##0.##"
RATING_FORMAT = "0.00"


@dataclass(frozen=True)
class Formatted:
    """A number cell with its Excel number format."""
    value: float
    number_format: str


def _count(value):
    return _("fewer than 10") if value is None else value


def _number(value, number_format: str = NUMBER_FORMAT):
    return None if value is None else Formatted(float(value), number_format)


def _change(now, before, words: str, compared: bool = True):
    fraction = change_fraction(now, before) if compared else None
    return words if fraction is None else Formatted(fraction, CHANGE_FORMAT)


def _sheets(pack: ReviewPack, frozen_on: date | None, held_on: date | None = None):
    frozen = [(_("Meeting held"), held_on)] if held_on is not None else []
    frozen += [(_("Frozen on"), frozen_on)] if frozen_on is not None else []
    yield _("Summary"), [_("Field"), _("Value")], [
        (_("Contract"), pack.reference), (_("Title"), pack.title), (_("Provider"), pack.provider),
        (_("Services"), "; ".join(pack.services)), (_("Period"), pack.period_label),
        (_("Period start"), pack.period.start), (_("Period end"), pack.period.end),
        (_("Prepared"), pack.generated_on)] + frozen + [
        *([(_("KPI values"), pack.return_note)] if pack.return_note else []),
        *([(_("Young people's check"), pack.panel)] if pack.panel else [])] + [
        (_("Discussion point"), p) for p in pack.discussion_points]
    yield _("KPIs"), [_("KPI"), _("Target"), _("Unit"), _("Direction"), _("Value"),
                      _("Rating"), _("Commentary")], [
        (k.name, _number(k.target), k.unit, k.direction, _number(k.value), k.rag_label,
         k.commentary)
        for k in pack.kpis]
    v = pack.volume
    yield _("Volume"), [_("Service"), _("Action cards"), _("Family feedback")], [
        (_("All services"), _count(v.cards), _count(v.feedback))] + [
        (s.service, _count(s.cards), _count(s.feedback)) for s in v.by_service] + [
        *([(_("Family feedback: independent"), None, _count(v.independent)),
           (_("Family feedback: collected by the provider"), None, _count(v.collected))]
          if v.split else []),
        (_("All voices this period"), _count(v.total), None),
        (_("All voices previous period"), _count(v.previous_total), None),
        (_("Change"), _change(v.total, v.previous_total, v.change, v.compared), None)]
    r = pack.ratings
    yield _("Ratings"), [_("Group"), _("Average rating"), _("Ratings")], [
        (_("This contract's services"), _number(r.average, RATING_FORMAT), _count(r.responses)),
        (_("Previous period"), _number(r.previous_average, RATING_FORMAT), None),
        (r.peer_label, _number(r.peer_average, RATING_FORMAT), _count(r.peer_responses))]
    yield _("Themes"), [_("Theme"), _("This period"), _("Previous period"), _("Change"),
                        _("Feeling"), _("Me too weight"), _("Young people's view")], [
        (t.name, _count(t.count), _count(t.previous), _change(t.count, t.previous, t.change, t.compared),
         t.feeling,
         None if t.count is None else _count(t.me_too), t.panel or None) for t in pack.themes]
    yield _("Quotes"), [_("Quote"), _("Source"), _("Service")], [
        (q.text, q.source, q.service) for q in pack.quotes]
    yield _("Cards"), [_("Open"), _("Waiting more than 28 days"), _("Action planned")], [
        (_count(pack.cards.open), _count(pack.cards.overdue), _count(pack.cards.action_planned))]
    for title, actions in ((_("Last review actions"), pack.previous_actions),
                           (_("This review actions"), pack.actions)):
        yield title, [_("Action"), _("Owner"), _("Due"), _("Status"), _("Overdue"),
                      _("Cards linked"), _("Themes")], [
            (a.description, a.owner, a.due_date, a.status_label, a.overdue, a.cards_linked,
             "; ".join(a.themes)) for a in actions]
    if pack.inspections:
        yield _("Young Inspectors"), [_("Service"), _("Visited"), _("Youth group"),
                                      _("Young inspectors"), _("Part"), _("Standard"),
                                      _("Words")], [
            (i.service, i.visit_date, i.group, i.inspectors, part, standard, words)
            for i in pack.inspections for part, standard, words in (
                [(_("Score"), s.standard, s.words) for s in i.scores]
                + [(_("What was good"), None, i.good)]
                + [(_("What should change"), None, c) for c in i.changes]
                + [(_("Provider's response"), None, i.response or _("Not yet"))])]


def pack_to_xlsx(pack: ReviewPack, frozen_on: date | None = None,
                 held_on: date | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for title, headers, rows in _sheets(pack, frozen_on, held_on):
        sheet = workbook.create_sheet(sheet_title_for(title))
        sheet.append([_xlsx_value(h) for h in headers])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([value.value if isinstance(value, Formatted) else _xlsx_value(value)
                          for value in row])
            for cell, value in zip(sheet[sheet.max_row], row):
                if isinstance(value, Formatted):
                    cell.number_format = value.number_format
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 80)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return stable_office_file(buffer.getvalue(), pack.generated_on)
