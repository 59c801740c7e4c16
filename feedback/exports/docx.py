"""The contract review pack as an editable Word document (python-docx).

Contract: ``pack_to_docx(pack, frozen_on=None, at_meeting=True, held_on=None) -> bytes``;
a held review's pack (``held_on`` set) says "Meeting held: <date>" under the title, and a
frozen pack (``frozen_on`` set) says "Frozen on <date>". The file depends on
nothing but its arguments: the same pack gives the same bytes
(``stable.stable_office_file``, dated the day the pack was prepared). Real headings (Heading 1/2, so
the navigation pane and screen readers can move by them), real tables with a
header row, and quotes in the "Quote" style. Suppressed counts read "fewer
than 10", exactly as on the page. Every piece of text, headings and table
cells included, goes through ``sanitise.file_text`` (no control characters,
which XML cannot hold; no leading formula trigger). Its words are marked for translation
and made in the language of the request (English for staff, whose pages are English).
"""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from flask_babel import gettext as _
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
    return _("not shown (fewer than 10)") if value is None else f"{value}{suffix}"


def _average(value) -> str:
    """An average rating, or "not shown": the count of ratings beside it gives the reason
    ("not shown (fewer than 10 ratings)"), so it is not said twice."""
    return _("not shown") if value is None else _("%(average)s out of 5", average=value)


def pack_to_docx(pack: ReviewPack, frozen_on: date | None = None, at_meeting: bool = True,
                 held_on: date | None = None) -> bytes:
    word = Document()
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    word.core_properties.title = file_text(_("Contract review pack: %(name)s",
                                             name=pack.reference))
    document = _Safe(word)
    document.add_heading(_("Contract review pack: %(name)s", name=pack.title), level=0)
    document.add_paragraph(_("Contract %(reference)s, %(provider)s. Period: %(period)s. "
                             "Prepared %(date)s.", reference=pack.reference,
                             provider=pack.provider, period=pack.period_label,
                             date=f"{pack.generated_on:%-d %B %Y}"))
    if held_on is not None:
        document.add_paragraph(_("Meeting held: %(date)s.", date=f"{held_on:%-d %B %Y}"))
    if frozen_on is not None and at_meeting:
        document.add_paragraph(_("Frozen on %(date)s: this is the pack as it was shown for the "
                                 "review meeting, and it does not change.",
                                 date=f"{frozen_on:%-d %B %Y}"))
    elif frozen_on is not None:  # frozen later (an older review): the same words as the page
        document.add_paragraph(_("Frozen on %(date)s: this is the pack for the review meeting "
                                 "with the figures as they stood on %(date)s, not as they were "
                                 "shown at the meeting, and it does not change.",
                                 date=f"{frozen_on:%-d %B %Y}"))
    document.add_paragraph(_("Counts below 10 are shown as \"fewer than 10\" and not broken "
                             "down, and a count that would let one be worked out is \"not "
                             "shown\", to protect the young people and families who spoke up. "
                             "Quotes are redacted and published with consent."))

    document.add_heading(_("Discussion points"), level=1)
    for point in pack.discussion_points or (_("No discussion points were found."),):
        document.add_paragraph(point, style="List Bullet")

    document.add_heading(_("Key performance indicators"), level=1)
    _table(document, [_("KPI"), _("Target"), _("Value"), _("Rating"), _("Commentary")],
           [(k.name, f"{amount(k.target, k.unit)} ({k.direction.lower()})",
             amount(k.value, k.unit), k.rag_label,
             k.commentary or "") for k in pack.kpis]
           or [(_("No KPIs recorded"), "", "", "", "")])

    document.add_heading(_("What young people and families told us"), level=1)
    volume = pack.volume
    _table(document, [_("Measure"), _("This period"), pack.previous_label, _("Change")],
           [(_("Action cards"), show(volume.cards), "", ""),
            (_("Family feedback"), show(volume.feedback), "", ""),
            *([(_("of which independent"), show(volume.independent), "", ""),
               (_("of which collected by the provider"), show(volume.collected), "", "")]
              if volume.split else []),
            (_("All voices"), show(volume.total), show(volume.previous_total), volume.change)])
    if volume.by_service:
        _table(document, [_("Service"), _("Action cards"), _("Family feedback")],
               [(s.service, show(s.cards), show(s.feedback)) for s in volume.by_service])
    ratings = pack.ratings
    document.add_heading(_("Ratings"), level=2)
    document.add_paragraph(_(
        "Average rating: %(average)s (%(responses)s ratings); previous period: %(previous)s; "
        "%(peers)s: %(peer_average)s (%(peer_responses)s ratings).",
        average=_average(ratings.average), responses=show(ratings.responses),
        previous=_number(ratings.previous_average), peers=ratings.peer_label,
        peer_average=_average(ratings.peer_average),
        peer_responses=show(ratings.peer_responses)))

    document.add_heading(_("Themes"), level=2)
    _table(document, [_("Theme"), _("This period"), _("Previous period"), _("Change"),
                      _("Feeling"), _("\"Me too\" weight")],
           [(t.name, show(t.count), show(t.previous), t.change,
             t.feeling or "",
             "" if t.me_too is None else show(t.me_too)) for t in pack.themes]
           or [(_("No themes for this period"), "", "", "", "", "")])
    if pack.panel:
        document.add_paragraph(_("Young people's check: %(panel)s.", panel=pack.panel))
        for t in pack.themes:
            if t.panel:
                document.add_paragraph(f"{t.name}: {t.panel}", style="List Bullet")
    sentiment = pack.sentiment
    document.add_paragraph(
        _("Feeling: %(words)s (%(scored)s scored items).", words=sentiment.words,
          scored=sentiment.scored) if sentiment.words
        else _("Feeling: not shown (fewer than 10 scored items)."))
    if sentiment.words and sentiment.unread:
        document.add_paragraph(sentiment.unread)

    document.add_heading(_("In their words"), level=2)
    if not pack.quotes:
        document.add_paragraph(_("No quotes can be shown for this period."))
    for quote in pack.quotes:
        document.add_paragraph(f"\u201c{quote.text}\u201d", style="Quote")
        document.add_paragraph(f"{quote.source}, {quote.service}")

    if pack.inspections:
        from .inspection_docx import add_section
        document.add_heading(_("Young Inspectors' reports"), level=1)
        for section in pack.inspections:
            add_section(word, section, level=2)

    document.add_heading(_("Action cards today"), level=1)
    _table(document, [_("Open"), _("Waiting more than 28 days"), _("Action planned")],
           [(show(pack.cards.open), show(pack.cards.overdue), show(pack.cards.action_planned))])

    for heading, actions in ((_("Actions agreed at the last review"), pack.previous_actions),
                             (_("Actions agreed at this review"), pack.actions)):
        document.add_heading(heading, level=1)
        _table(document, [_("Action"), _("Owner"), _("Due"), _("Status")],
               [(a.description, a.owner, f"{a.due_date:%-d %B %Y}" if a.due_date else "",
                 _("%(status)s (overdue)", status=a.status_label) if a.overdue
                 else a.status_label) for a in actions]
               or [(_("None recorded"), "", "", "")])
    buffer = io.BytesIO()
    word.save(buffer)
    return stable_office_file(buffer.getvalue(), pack.generated_on)
