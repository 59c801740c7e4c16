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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..contracts.periods import Period
from ..contracts.units import number
from ..exports.tables import safe_cell
from ..family.workbook import Limits, TooLarge, sheet_records
from ..models.contracts import KPI_DIRECTIONS
from ..models.returns import MAX_ACCOUNT, MAX_NARRATIVE
from .services import ReturnInput
from .values import BadValue, clean_text, parse_count, parse_value, unit_words

MAX_FORM_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
LIMITS = Limits(max_columns=20, max_cell_chars=MAX_ACCOUNT, max_part_bytes=16 * 1024 * 1024,
                max_total_bytes=32 * 1024 * 1024, max_parts=200, max_shared_strings=20_000)
HEADERS = ("Reference", "Item", "Unit", "Target", "Better when", "Your value or text",
           "Narrative (required when off target)")
EXTRA_ROWS = (
    ("HEARD", "What we heard from children and families this period", "Text", ""),
    ("CHANGED", "What we changed", "Text", ""),
    ("SAFEGUARDING", "Safeguarding referrals made in the period", "Whole number", ""),
    ("COMPLAINTS", "Complaints received in the period", "Whole number", ""),
)


class FormProblems(ValueError):
    """The completed form could not be read, or rows are wrong: ``problems`` lists them."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if problems else "The file could not be read")
        self.problems = problems


def blank_form(contract, period: Period, found=None) -> bytes:
    """The form for ``contract`` and ``period`` (filled with ``found``'s values, if any)."""
    saved = {v.kpi_id: v for v in (found.values if found else [])}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    sheet.append(list(HEADERS))
    for kpi in contract.kpis:
        row = saved.get(kpi.id)
        sheet.append([f"KPI-{kpi.id}", safe_cell(kpi.name), safe_cell(kpi.unit or ""),
                      float(kpi.target),
                      "Higher" if kpi.direction == "higher" else "Lower",
                      float(row.value) if row and row.value is not None else None,
                      safe_cell(row.narrative) if row and row.narrative else None])
    extra = {"HEARD": found.heard if found else None,
             "CHANGED": found.changed if found else None,
             "SAFEGUARDING": found.safeguarding_referrals if found else None,
             "COMPLAINTS": found.complaints if found else None}
    for ref, label, unit, target in EXTRA_ROWS:
        value = extra[ref]
        sheet.append([ref, label, unit, target, "", safe_cell(value) if value is not None
                      else None, None])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (14, 50, 12, 10, 12, 40, 60)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row[5:7]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "F2"

    guide = workbook.create_sheet("How to fill in")
    for line in (
        [f"Performance Monitoring Form: {contract.reference} {contract.title}"],
        [f"Period: {period.label} ({period.start.strftime('%d/%m/%Y')} to "
         f"{period.end.strftime('%d/%m/%Y')})"],
        [],
        ["Fill in column F (Your value or text) on the Return sheet, and column G when a "
         "KPI misses its target."],
        ["Do not change column A (Reference): it tells us which row is which."],
        ["Percentages: a number from 0 to 100 (80 or 80%). Counts: a whole number, 0 or "
         "more. Other units (weeks, days): a number, 0 or more, up to 2 decimal places."],
        ["Better when: Higher means the value should be at or above the target; Lower means "
         "at or below it."],
        [f"Narratives can be up to {MAX_NARRATIVE:,} characters; what you heard and what "
         f"you changed up to {MAX_ACCOUNT:,}."],
        ["Do not put children's or families' names, or anything that identifies them, in "
         "this form."],
        ["Upload the completed file on the return's page. It fills in your draft; you can "
         "check it there before you submit. If any row has a problem, nothing is saved and "
         "every problem is listed."],
    ):
        guide.append(line)
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    kpis = workbook.create_sheet("KPIs")
    kpis.append(["KPI", "Unit", "Target", "Direction"])
    for kpi in contract.kpis:
        kpis.append([safe_cell(kpi.name), unit_words(kpi.unit), number(kpi.target),
                     KPI_DIRECTIONS.get(kpi.direction, kpi.direction)])
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
        raise FormProblems([f"The file must be smaller than {MAX_FORM_BYTES // (1024 * 1024)} MB"])
    try:
        records, _merges = sheet_records(data, LIMITS)
        rows = []
        for number_, cells, _formulas in records:
            if len(rows) > MAX_ROWS:
                raise FormProblems([f"The file has more than {MAX_ROWS} rows: use the form "
                                    "downloaded from this page"])
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
        raise FormProblems(["The file could not be read as an Excel workbook (.xlsx). Use "
                            "the form downloaded from this page"]) from error
    except Exception as error:  # noqa: BLE001 - any parser failure is one clear message
        raise FormProblems(["The file could not be read as an Excel workbook (.xlsx). Use "
                            "the form downloaded from this page"]) from error


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
            problems.append(f"Row {row.number}: reference {row.ref} appears twice")
            continue
        seen.add(row.ref)
        kpi = kpis.get(row.ref)
        if kpi is not None:
            where = f"Row {row.number}, KPI '{kpi.name}'"
            try:
                parse_value(row.value, kpi.unit)
            except BadValue as error:
                problems.append(f"{where}: {error}")
            try:
                clean_text(row.narrative, MAX_NARRATIVE)
            except BadValue as error:
                problems.append(f"{where}: the narrative {error}")
            result.values[kpi.id] = (row.value, row.narrative)
        elif row.ref in ("HEARD", "CHANGED"):
            try:
                clean_text(row.value, MAX_ACCOUNT)
            except BadValue as error:
                problems.append(f"Row {row.number}, {row.ref.title()}: the text {error}")
            setattr(result, row.ref.lower() if row.ref == "HEARD" else "changed", row.value)
        elif row.ref in ("SAFEGUARDING", "COMPLAINTS"):
            label = "Safeguarding referrals" if row.ref == "SAFEGUARDING" else "Complaints"
            try:
                parse_count(row.value)
            except BadValue as error:
                problems.append(f"Row {row.number}, {label}: {error}")
            setattr(result, "safeguarding_referrals" if row.ref == "SAFEGUARDING"
                    else "complaints", row.value)
        else:
            problems.append(f"Row {row.number}: '{row.ref[:30]}' is not a reference on this "
                            "contract's form. Use the form downloaded from this page")
    missing = [k.name for ref, k in kpis.items() if ref not in seen]
    if missing:
        problems.append("The file has no row for: " + ", ".join(missing) + ". Use the form "
                        "downloaded from this page")
    if problems:
        raise FormProblems(problems)
    return result
