"""The contract review pack as an editable Word document (python-docx).

Contract: ``pack_to_docx(pack, frozen_on=None) -> bytes``; a frozen pack
(``frozen_on`` set) says "Frozen on <date>" under the title. The file depends on
nothing but its arguments: the same pack gives the same bytes
(``stable.stable_office_file``, dated the day the pack was prepared). Real headings (Heading 1/2, so
the navigation pane and screen readers can move by them), real tables with a
header row, and quotes in the "Quote" style. Suppressed counts read "fewer
than 10", exactly as on the page. Every piece of text, headings and table
cells included, goes through ``sanitise.file_text`` (no control characters,
which XML cannot hold; no leading formula trigger).
"""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt

from ..contracts.pack import ReviewPack, show
from ..contracts.units import amount
from .sanitise import file_text
from .stable import stable_office_file


class _Safe:
    """The document with every text it is given sanitised first."""

    def __init__(self, document):
        self.document = document

    def add_heading(self, text, level):
        return self.document.add_heading(file_text(text), level=level)

    def add_paragraph(self, text="", style=None):
        return self.document.add_paragraph(file_text(text), style=style)

    def add_table(self, rows, cols):
        return self.document.add_table(rows=rows, cols=cols)


def _table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(file_text(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = file_text(value)
    document.add_paragraph()


def _number(value, suffix="") -> str:
    return "not shown (fewer than 10)" if value is None else f"{value}{suffix}"


def pack_to_docx(pack: ReviewPack, frozen_on: date | None = None, at_meeting: bool = True) -> bytes:
    word = Document()
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    word.core_properties.title = file_text(f"Contract review pack: {pack.reference}")
    document = _Safe(word)
    document.add_heading(f"Contract review pack: {pack.title}", level=0)
    document.add_paragraph(f"Contract {pack.reference}, {pack.provider}. "
                           f"Period: {pack.period_label}. Prepared {pack.generated_on:%-d %B %Y}.")
    if frozen_on is not None and at_meeting:
        document.add_paragraph(f"Frozen on {frozen_on:%-d %B %Y}: this is the pack as it was "
                               "shown for the review meeting, and it does not change.")
    elif frozen_on is not None:  # frozen later (an older review): the same words as the page
        document.add_paragraph(f"Frozen on {frozen_on:%-d %B %Y}: this is the pack for the "
                               f"review meeting with the figures as they stood on "
                               f"{frozen_on:%-d %B %Y}, not as they were shown at the meeting, "
                               "and it does not change.")
    document.add_paragraph("Counts below 10 are shown as \"fewer than 10\" and not broken down, "
                           "and a count that would let one be worked out is \"not shown\", "
                           "to protect the young people and families who spoke up. Quotes are "
                           "redacted and published with consent.")

    document.add_heading("Discussion points", level=1)
    for point in pack.discussion_points or ("No discussion points were found.",):
        document.add_paragraph(point, style="List Bullet")

    document.add_heading("Key performance indicators", level=1)
    _table(document, ["KPI", "Target", "Value", "Rating", "Commentary"],
           [(k.name, f"{amount(k.target, k.unit)} ({k.direction.lower()})",
             amount(k.value, k.unit), k.rag_label,
             k.commentary or "") for k in pack.kpis] or [("No KPIs recorded", "", "", "", "")])

    document.add_heading("What young people and families told us", level=1)
    volume = pack.volume
    _table(document, ["Measure", "This period", pack.previous_label, "Change"],
           [("Action cards", show(volume.cards), "", ""),
            ("Family feedback", show(volume.feedback), "", ""),
            *([("of which independent", show(volume.independent), "", ""),
               ("of which collected by the provider", show(volume.collected), "", "")]
              if volume.split else []),
            ("All voices", show(volume.total), show(volume.previous_total), volume.change)])
    if volume.by_service:
        _table(document, ["Service", "Action cards", "Family feedback"],
               [(s.service, show(s.cards), show(s.feedback)) for s in volume.by_service])
    ratings = pack.ratings
    document.add_heading("Ratings", level=2)
    document.add_paragraph(
        f"Average rating: {_number(ratings.average, ' out of 5')} "
        f"({show(ratings.responses)} ratings); previous period: "
        f"{_number(ratings.previous_average)}; {ratings.peer_label}: "
        f"{_number(ratings.peer_average)} ({show(ratings.peer_responses)} ratings).")

    document.add_heading("Themes", level=2)
    _table(document, ["Theme", "This period", "Previous period", "Change", "Feeling",
                      "\"Me too\" weight"],
           [(t.name, show(t.count), show(t.previous), t.change,
             t.feeling or "",
             "" if t.me_too is None else show(t.me_too)) for t in pack.themes]
           or [("No themes for this period", "", "", "", "", "")])
    if pack.panel:
        document.add_paragraph(f"Young people's check: {pack.panel}.")
        for t in pack.themes:
            if t.panel:
                document.add_paragraph(f"{t.name}: {t.panel}", style="List Bullet")
    sentiment = pack.sentiment
    document.add_paragraph(
        "Feeling: " + (f"{sentiment.words} ({sentiment.scored} scored items)." if sentiment.words
                       else "not shown (fewer than 10 scored items)."))

    document.add_heading("In their words", level=2)
    if not pack.quotes:
        document.add_paragraph("No quotes can be shown for this period.")
    for quote in pack.quotes:
        document.add_paragraph(f"\u201c{quote.text}\u201d", style="Quote")
        document.add_paragraph(f"{quote.source}, {quote.service}")

    if pack.inspections:
        from .inspection_docx import add_section
        document.add_heading("Young Inspectors' reports", level=1)
        for section in pack.inspections:
            add_section(word, section, level=2)

    document.add_heading("Action cards today", level=1)
    _table(document, ["Open", "Waiting more than 28 days", "Action planned"],
           [(show(pack.cards.open), show(pack.cards.overdue), show(pack.cards.action_planned))])

    for heading, actions in (("Actions agreed at the last review", pack.previous_actions),
                             ("Actions agreed at this review", pack.actions)):
        document.add_heading(heading, level=1)
        _table(document, ["Action", "Owner", "Due", "Status"],
               [(a.description, a.owner, f"{a.due_date:%-d %B %Y}" if a.due_date else "",
                 a.status_label + (" (overdue)" if a.overdue else "")) for a in actions]
               or [("None recorded", "", "", "")])
    buffer = io.BytesIO()
    word.save(buffer)
    return stable_office_file(buffer.getvalue(), pack.generated_on)
