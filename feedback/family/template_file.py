"""The downloadable import template, as CSV or XLSX bytes.

The column headings are the fields' labels as the import matches them, so they are not
translated; the sheets' other words are.

The CSV holds the header row only (so no example row is ever imported by
mistake). The XLSX adds a "How to fill in" sheet (with the file's limits:
rows, columns, characters in a cell) and a "Services" sheet listing every
active service by the names the import accepts.
"""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from ..exports import to_csv
from ..exports.tables import safe_cell
from ..extensions import db
from ..models import Area, Service
from .fields import FIELDS
from .imports import MAX_IMPORT_ROWS
from .reading import MAX_CELL_CHARS, MAX_COLUMNS


def template_csv() -> bytes:
    return to_csv([f.label for f in FIELDS], [])


def template_xlsx(provider_id: int | None = None) -> bytes:
    """``provider_id``: a provider importing what it collected: its own services only."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Feedback")
    sheet.append([f.label for f in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, f in enumerate(FIELDS, start=1):
        sheet.column_dimensions[_letter(index)].width = max(
            14, min(40, len(f.label) + 4))
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("How to fill in"))
    guide.append([_("Column"), _("Required"), _("What to put")])
    for f in FIELDS:
        guide.append([f.label, _("Yes") if f.required else _("No"), _(f.hint)])
    guide.append([])
    guide.append([_("Each row is one family's feedback, or the common view of several "
                    "families (put how many in Number of families). Enter at least one of "
                    "What went well and What could be better.")])
    guide.append([_("A file can have up to %(rows)s rows of feedback and %(columns)s columns, "
                    "and a cell up to %(characters)s characters. Split a bigger file into "
                    "several.", rows=f"{MAX_IMPORT_ROWS:,}", columns=MAX_COLUMNS,
                    characters=f"{MAX_CELL_CHARS:,}")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["C"].width = 70

    services = workbook.create_sheet(_("Services"))
    services.append([_("Service"), _("Also known as")])
    services["A1"].font = services["B1"].font = Font(bold=True)
    listed = select(Service.name, Service.plain_name).where(Service.active.is_(True))
    if provider_id is not None:
        listed = listed.where(Service.provider_id == provider_id)
    for name, plain in db.session.execute(listed.order_by(Service.name)):
        services.append([safe_cell(name), safe_cell(plain if plain != name else "")])
    services.column_dimensions["A"].width = 50
    services.column_dimensions["B"].width = 50

    areas = workbook.create_sheet(_("Areas"))
    areas.append([_("Area")])
    areas["A1"].font = Font(bold=True)
    for (name,) in db.session.execute(select(Area.name).order_by(Area.name)):
        areas.append([safe_cell(name)])
    areas.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index)
