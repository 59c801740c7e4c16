"""A Young Inspectors' report as an editable Word document (python-docx).

Contract: ``report_to_docx(section, prepared_on) -> bytes`` for one report
(``contracts.pack_types.InspectionSection``, as ``inspections.sections.section_of`` builds
it: redacted words, published "should change" items only); ``add_section(document, section,
level)`` writes the same section into another document (the review pack). Real headings and
a real table with a header row; every text through ``sanitise.file_text``. The same report
on the same day gives the same bytes (``stable.stable_office_file``).
"""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt
from flask_babel import gettext as _, ngettext

from ..contracts.pack_types import InspectionSection
from .sanitise import file_text
from .stable import stable_office_file


def _table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(file_text(text)).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = file_text(value)
    document.add_paragraph()


def title_of(section: InspectionSection) -> str:
    return _("%(service)s, visited %(date)s", service=section.service,
             date=f"{section.visit_date:%-d %B %Y}")


def add_section(document, section: InspectionSection, level: int = 1) -> None:
    """``section`` under a heading of ``level`` in a python-docx ``document``."""
    document.add_heading(file_text(title_of(section)), level=level)
    document.add_paragraph(file_text(ngettext(
        "Inspected by %(group)s: %(num)s young inspector.",
        "Inspected by %(group)s: %(num)s young inspectors.",
        section.inspectors, group=section.group)))
    document.add_heading(_("Scores"), level=level + 1)
    _table(document, [_("Standard"), _("Score")],
           [(s.standard, s.words) for s in section.scores] or [(_("No standards scored"), "")])
    document.add_heading(_("What was good"), level=level + 1)
    document.add_paragraph(file_text(section.good or _("Nothing recorded.")))
    document.add_heading(_("What should change"), level=level + 1)
    for item in section.changes:
        document.add_paragraph(file_text(item), style="List Bullet")
    if not section.changes:
        document.add_paragraph(_("No items have been published yet."))
    if section.waiting:
        document.add_paragraph(file_text(ngettext(
            "%(num)s more item is waiting to be checked before they are shown.",
            "%(num)s more items are waiting to be checked before they are shown.",
            section.waiting)))
    document.add_heading(_("The provider's response"), level=level + 1)
    if section.response:
        document.add_paragraph(file_text(section.response))
        if section.response_on:
            document.add_paragraph(file_text(_("Written on %(date)s.",
                                               date=f"{section.response_on:%-d %B %Y}")))
    else:
        document.add_paragraph(_("The provider has not responded yet."))


def report_to_docx(section: InspectionSection, prepared_on: date) -> bytes:
    word = Document()
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    word.core_properties.title = file_text(_("Young Inspectors' report: %(title)s",
                                             title=title_of(section)))
    word.add_heading(file_text(_("Young Inspectors' report")), level=0)
    word.add_paragraph(file_text(_("Prepared %(date)s. Personal details are removed; no young "
                                   "inspector is named.", date=f"{prepared_on:%-d %B %Y}")))
    add_section(word, section, level=1)
    buffer = io.BytesIO()
    word.save(buffer)
    return stable_office_file(buffer.getvalue(), prepared_on)
