"""The return as a spreadsheet: the blank form to download, and reading a completed one.

The form's first sheet, "Return", has one row per KPI (its reference, name, unit,
target and direction, then the value and narrative the provider fills in), then one
row each for what they heard, what they changed, safeguarding referrals and
complaints. A second sheet says how to fill it in. Rows are recognised by the
reference in column A (``KPI-<id>``, ``HEARD`` ...), so moving rows does no harm.

Reading goes through ``family.workbook.sheet_records`` (the bounded, streaming
reader of the feedback import: first sheet only, read-only, zip-bomb checks). Every
row's problem is reported as "Row 4, KPI 'Waiting times': 'abc' is not a number", and
nothing is saved unless every row is right.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..contracts.periods import Period
from ..contracts.units import number
from ..exports.tables import safe_cell
from ..i18n import N_
from ..family.workbook import Limits, TooLarge, sheet_records
from ..models.contracts import KPI_DIRECTIONS
from ..models.returns import MAX_ACCOUNT, MAX_NARRATIVE
from .checks import ReturnInput
from .values import BadValue, TooLong, clean_text, parse_count, parse_value, unit_words

MAX_FORM_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
LIMITS = Limits(max_columns=20, max_cell_chars=MAX_ACCOUNT, max_part_bytes=16 * 1024 * 1024,
                max_total_bytes=32 * 1024 * 1024, max_parts=200, max_shared_strings=20_000)
# Headings and labels of the form (translated where the form is made); the references in
# column A (KPI-<id>, HEARD, ...) are what the upload reads, and are never translated.
HEADERS = (N_("Reference"), N_("Item"), N_("Unit"), N_("Target"), N_("Better when"),
           N_("Your value or text"), N_("Narrative (required when off target)"))
EXTRA_ROWS = (
    ("HEARD", N_("What we heard from children and families this period"), N_("Text"), ""),
    ("CHANGED", N_("What we changed"), N_("Text"), ""),
    ("SAFEGUARDING", N_("Safeguarding referrals made in the period"), N_("Whole number"), ""),
    ("COMPLAINTS", N_("Complaints received in the period"), N_("Whole number"), ""),
)


class FormProblems(ValueError):
    """The completed form could not be read, or rows are wrong: ``problems`` lists them."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if problems else _("The file could not be read"))
        self.problems = problems


def blank_form(contract, period: Period, found=None) -> bytes:
    """The form for ``contract`` and ``period`` (filled with ``found``'s values, if any)."""
    saved = {v.kpi_id: v for v in (found.values if found else [])}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Return")
    sheet.append([_(header) for header in HEADERS])
    for kpi in contract.kpis:
        row = saved.get(kpi.id)
        sheet.append([f"KPI-{kpi.id}", safe_cell(kpi.name), safe_cell(kpi.unit or ""),
                      float(kpi.target),
                      _("Higher") if kpi.direction == "higher" else _("Lower"),
                      float(row.value) if row and row.value is not None else None,
                      safe_cell(row.narrative) if row and row.narrative else None])
    extra = {"HEARD": found.heard if found else None,
             "CHANGED": found.changed if found else None,
             "SAFEGUARDING": found.safeguarding_referrals if found else None,
             "COMPLAINTS": found.complaints if found else None}
    for ref, label, unit, target in EXTRA_ROWS:
        value = extra[ref]
        sheet.append([ref, _(label), _(unit), target, "", safe_cell(value)
                      if value is not None else None, None])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (14, 50, 12, 10, 12, 40, 60)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row[5:7]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "F2"

    guide = workbook.create_sheet(_("How to fill in"))
    for line in (
        [_("Performance Monitoring Form: %(reference)s %(title)s",
           reference=contract.reference, title=contract.title)],
        [_("Period: %(period)s (%(start)s to %(end)s)", period=period.label,
           start=period.start.strftime('%d/%m/%Y'), end=period.end.strftime('%d/%m/%Y'))],
        [],
        [_("Fill in column F (Your value or text) on the Return sheet, and column G when a "
           "KPI misses its target.")],
        [_("Do not change column A (Reference): it tells us which row is which.")],
        [_("Percentages: a number from 0 to 100 (80 or 80%). Counts: a whole number, 0 or "
           "more. Other units (weeks, days): a number, 0 or more, up to 2 decimal places.")],
        [_("Better when: Higher means the value should be at or above the target; Lower "
           "means at or below it.")],
        [_("Narratives can be up to %(narrative)s characters; what you heard and what you "
           "changed up to %(account)s.", narrative=f"{MAX_NARRATIVE:,}",
           account=f"{MAX_ACCOUNT:,}")],
        [_("Do not put children's or families' names, or anything that identifies them, in "
           "this form.")],
        [_("Upload the completed file on the return's page. It fills in your draft; you can "
           "check it there before you submit. If any row has a problem, nothing is saved and "
           "every problem is listed.")],
    ):
        guide.append(line)
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    kpis = workbook.create_sheet(_("KPIs"))
    kpis.append([_("KPI"), _("Unit"), _("Target"), _("Direction")])
    for kpi in contract.kpis:
        kpis.append([safe_cell(kpi.name), unit_words(kpi.unit), number(kpi.target),
                     _(KPI_DIRECTIONS[kpi.direction]) if kpi.direction in KPI_DIRECTIONS
                     else kpi.direction])
    for cell in kpis[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Row:
    number: int
    ref: str
    value: object
    narrative: object


def _rows(data: bytes) -> list[_Row]:
    if len(data) > MAX_FORM_BYTES:
        raise FormProblems([_("The file must be smaller than %(size)s MB",
                                size=MAX_FORM_BYTES // (1024 * 1024))])
    try:
        records, _merges = sheet_records(data, LIMITS)
        rows = []
        for number_, cells, _formulas in records:
            if len(rows) > MAX_ROWS:
                raise FormProblems([_("The file has more than %(count)s rows: use the form "
                                      "downloaded from this page", count=MAX_ROWS)])
            cells = list(cells) + [None] * (7 - len(cells))
            ref = str(cells[0] or "").strip().upper()
            if number_ == 1 or not ref:
                continue
            rows.append(_Row(number_, ref, cells[5], cells[6]))
        return rows
    except TooLarge as error:
        raise FormProblems([str(error)]) from None
    except FormProblems:
        raise
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, OSError,
            EOFError) as error:
        raise FormProblems([_("The file could not be read as an Excel workbook (.xlsx). Use "
                              "the form downloaded from this page")]) from error
    except Exception as error:  # noqa: BLE001 - any parser failure is one clear message
        raise FormProblems([_("The file could not be read as an Excel workbook (.xlsx). Use "
                              "the form downloaded from this page")]) from error


def read_form(data: bytes, contract) -> ReturnInput:
    """The values in a completed form, as ``ReturnInput`` for ``services.save``; raises
    ``FormProblems`` listing every row that is wrong (so nothing is saved)."""
    rows = _rows(data)
    kpis = {f"KPI-{k.id}": k for k in contract.kpis}
    problems: list[str] = []
    result = ReturnInput()
    seen: set[str] = set()
    for row in rows:
        if row.ref in seen:
            problems.append(_("Row %(row)s: reference %(reference)s appears twice",
                              row=row.number, reference=row.ref))
            continue
        seen.add(row.ref)
        kpi = kpis.get(row.ref)
        if kpi is not None:
            try:
                parse_value(row.value, kpi.unit)
            except BadValue as error:
                problems.append(_("Row %(row)s, KPI '%(kpi)s': %(problem)s", row=row.number,
                                  kpi=kpi.name, problem=error))
            try:
                clean_text(row.narrative, MAX_NARRATIVE)
            except TooLong as error:
                problems.append(_("Row %(row)s, KPI '%(kpi)s': the narrative must be "
                                  "%(count)s characters or fewer", row=row.number,
                                  kpi=kpi.name, count=f"{error.limit:,}"))
            except BadValue:
                problems.append(_("Row %(row)s, KPI '%(kpi)s': the narrative holds a "
                                  "character that cannot be shown (a control character). "
                                  "Type it again rather than pasting it", row=row.number,
                                  kpi=kpi.name))
            result.values[kpi.id] = (row.value, row.narrative)
        elif row.ref in ("HEARD", "CHANGED"):
            try:
                clean_text(row.value, MAX_ACCOUNT)
            except TooLong as error:
                problems.append(_("Row %(row)s, %(reference)s: the text must be %(count)s "
                                  "characters or fewer", row=row.number,
                                  reference=row.ref.title(), count=f"{error.limit:,}"))
            except BadValue:
                problems.append(_("Row %(row)s, %(reference)s: the text holds a character "
                                  "that cannot be shown (a control character). Type it again "
                                  "rather than pasting it", row=row.number,
                                  reference=row.ref.title()))
            setattr(result, row.ref.lower() if row.ref == "HEARD" else "changed", row.value)
        elif row.ref in ("SAFEGUARDING", "COMPLAINTS"):
            try:
                parse_count(row.value)
            except BadValue as error:
                problems.append(
                    _("Row %(row)s, Safeguarding referrals: %(problem)s", row=row.number,
                      problem=error) if row.ref == "SAFEGUARDING"
                    else _("Row %(row)s, Complaints: %(problem)s", row=row.number,
                           problem=error))
            setattr(result, "safeguarding_referrals" if row.ref == "SAFEGUARDING"
                    else "complaints", row.value)
        else:
            problems.append(_("Row %(row)s: '%(reference)s' is not a reference on this "
                              "contract's form. Use the form downloaded from this page",
                              row=row.number, reference=row.ref[:30]))
    missing = [k.name for ref, k in kpis.items() if ref not in seen]
    if missing:
        problems.append(_("The file has no row for: %(names)s. Use the form downloaded from "
                          "this page", names=", ".join(missing)))
    if problems:
        raise FormProblems(problems)
    return result
