"""The contract review pack's underlying data as an XLSX workbook, one sheet per section.

Contract: ``pack_to_xlsx(pack) -> bytes``. Every text cell passes through
``tables.safe_cell`` (formula-safe). Suppressed counts are the text "fewer
than 10", never a number.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from ..contracts.pack import ReviewPack
from .tables import _xlsx_value, sheet_title_for


def _count(value):
    return "fewer than 10" if value is None else value


def _sheets(pack: ReviewPack):
    yield "Summary", ["Field", "Value"], [
        ("Contract", pack.reference), ("Title", pack.title), ("Provider", pack.provider),
        ("Services", "; ".join(pack.services)), ("Period", pack.period_label),
        ("Period start", pack.period.start), ("Period end", pack.period.end),
        ("Prepared", pack.generated_on)] + [("Discussion point", p) for p in pack.discussion_points]
    yield "KPIs", ["KPI", "Target", "Unit", "Direction", "Value", "Rating", "Commentary"], [
        (k.name, float(k.target), k.unit, k.direction,
         float(k.value) if k.value is not None else None, k.rag_label, k.commentary)
        for k in pack.kpis]
    v = pack.volume
    yield "Volume", ["Service", "Action cards", "Family feedback"], [
        ("All services", _count(v.cards), _count(v.feedback))] + [
        (s.service, _count(s.cards), _count(s.feedback)) for s in v.by_service] + [
        ("All voices this period", _count(v.total), None),
        ("All voices previous period", _count(v.previous_total), None),
        ("Change", v.change, None)]
    r = pack.ratings
    yield "Ratings", ["Group", "Average rating", "Ratings"], [
        ("This contract's services", r.average, _count(r.responses)),
        ("Previous period", r.previous_average, None),
        (r.peer_label, r.peer_average, _count(r.peer_responses))]
    yield "Themes", ["Theme", "This period", "Previous period", "Change", "Sentiment",
                     "Me too weight"], [
        (t.name, _count(t.count), _count(t.previous), t.change, t.sentiment,
         None if t.count is None else _count(t.me_too)) for t in pack.themes]
    yield "Quotes", ["Quote", "Source", "Service"], [(q.text, q.source, q.service)
                                                      for q in pack.quotes]
    yield "Cards", ["Open", "Waiting more than 28 days", "Action planned"], [
        (_count(pack.cards.open), _count(pack.cards.overdue), _count(pack.cards.action_planned))]
    for title, actions in (("Last review actions", pack.previous_actions),
                           ("This review actions", pack.actions)):
        yield title, ["Action", "Owner", "Due", "Status", "Overdue", "Cards linked", "Themes"], [
            (a.description, a.owner, a.due_date, a.status_label, a.overdue, a.cards_linked,
             "; ".join(a.themes)) for a in actions]


def pack_to_xlsx(pack: ReviewPack) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for title, headers, rows in _sheets(pack):
        sheet = workbook.create_sheet(sheet_title_for(title))
        sheet.append([_xlsx_value(h) for h in headers])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 80)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
