"""The review pack from crafted data: exact counts, changes, suppression below
10, quotes rules, ratings against peers, discussion points, and the exports."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from feedback.contracts.pack import build_pack
from feedback.contracts.periods import Period
from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service
from tests.factories import build_card

Q1 = Period("quarter", date(2026, 1, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 15)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def _card(db, service, day, **extra):
    values = dict(kind="change", text="original words", text_redacted="redacted words",
                  service_id=service.id, moderation_state="approved", created_at=_at(day),
                  me_too_count=2, sentiment=-0.5)
    values.update(extra)
    card = build_card(**values)
    db.session.add(card)
    return card


def _feedback(db, service, day, rating, **extra):
    from feedback.models import FeedbackEntry
    values = dict(respondent_type="parent_carer", rating=rating, could_be_better="original",
                  service_id=service.id, moderation_state="approved", created_at=_at(day))
    values.update(extra)
    entry = FeedbackEntry(**values)
    db.session.add(entry)
    return entry


def _assign(db, theme, items):
    from feedback.models import ActionCard, ThemeAssignment
    db.session.flush()
    for item in items:
        key = "card_id" if isinstance(item, ActionCard) else "feedback_entry_id"
        db.session.add(ThemeAssignment(theme=theme, **{key: item.id}))


@pytest.fixture()
def crafted(db):
    """Q1 2026: 12 cards on service A (one safeguarding-flagged), 10 rated
    feedback on B (+1 rejected), a peer service C; Q4 2025: 8 cards, 10 feedback."""
    from feedback.models import ReviewAction, Theme
    provider = make_provider(db, "Crafted Provider")
    a = make_service(db, provider, name="Service A", area="health_wellbeing")
    b = make_service(db, provider, name="Service B", area="health_wellbeing")
    c = make_service(db, None, name="Peer C", area="health_wellbeing")
    make_service(db, None, name="Other area D", area="early_years")
    contract = make_contract(db, provider=provider, services=[a, b], reference="CRAFT-1")
    cards = [_card(db, a, date(2026, 2, 1), text_redacted=f"Quote {i}", me_too_count=i)
             for i in range(11)]
    flagged = _card(db, a, date(2026, 2, 2), text_redacted="FLAGGED QUOTE",
                    safeguarding_flagged=True, me_too_count=50)
    feedback = [_feedback(db, b, date(2026, 3, 31), 2) for _ in range(8)]
    feedback.append(_feedback(db, b, date(2026, 1, 1), 2, quote_consent=True,
                              could_be_better_redacted="CONSENTED QUOTE"))
    feedback.append(_feedback(db, b, date(2026, 1, 2), 2, quote_consent=False,
                              could_be_better_redacted="NO CONSENT QUOTE"))
    _feedback(db, b, date(2026, 2, 1), 1, moderation_state="rejected")
    previous_cards = [_card(db, a, date(2025, 11, 1)) for _ in range(8)]
    # The platform holds data from before Q4 2025 (a rejected card, counted nowhere), so
    # Q1 2026 can be compared with it (``insight.coverage``).
    _card(db, a, date(2025, 9, 1), moderation_state="rejected", text_redacted="early")
    for _ in range(10):
        _feedback(db, b, date(2025, 12, 31), 4)
        _feedback(db, c, date(2026, 2, 1), 5)
    _feedback(db, a, date(2026, 4, 1), 1)  # after the period: not counted
    waiting = Theme(key="waiting", label="waiting list", curated_name="Waiting times")
    staff = Theme(key="staff", label="staff")
    hidden = Theme(key="hidden", label="hidden theme", hidden=True)
    _assign(db, waiting, cards + previous_cards[:5])
    _assign(db, staff, feedback[:4])
    _assign(db, hidden, cards[:10])
    review = make_review(db, contract, Q1.start, Q1.end)
    from feedback.models import KpiReturn
    review.kpi_returns.append(KpiReturn(kpi=contract.kpis[0], value=Decimal("81"), rag="amber"))
    last = make_review(db, contract, date(2025, 10, 1), date(2025, 12, 31), status="held")
    last.actions.append(ReviewAction(description="Publish waiting times", owner="Provider",
                                     due_date=date(2026, 3, 1), status="open"))
    last.actions.append(ReviewAction(description="Done already", owner="Provider",
                                     due_date=date(2026, 3, 1), status="done"))
    db.session.commit()
    return {"contract": contract, "review": review, "flagged": flagged}


def test_pack_has_exactly_the_expected_numbers(db, crafted):
    pack = build_pack(crafted["contract"].id, Q1, today=TODAY)
    assert (pack.volume.cards, pack.volume.feedback, pack.volume.total) == (12, 10, 22)
    assert pack.volume.previous_total == 18
    assert pack.volume.change == "+22%"
    by_service = {row.service: row for row in pack.volume.by_service}
    assert (by_service["Service A"].cards, by_service["Service A"].feedback) == (12, 0)
    assert (by_service["Service B"].cards, by_service["Service B"].feedback) == (0, 10)
    assert pack.ratings.average == 2.0 and pack.ratings.responses == 10
    assert pack.ratings.previous_average == 4.0
    assert pack.ratings.peer_average == 5.0 and pack.ratings.peer_responses == 10
    themes = {t.name: t for t in pack.themes}
    assert set(themes) == {"Waiting times", "staff"}  # hidden themes never appear
    waiting = themes["Waiting times"]
    assert (waiting.count, waiting.previous, waiting.change) == (11, None, "up from fewer than 10")
    assert waiting.rising and waiting.me_too == 55
    assert waiting.feeling.startswith("Mostly negative: 10 in 10 negative")
    staff = themes["staff"]
    assert staff.count is None and staff.feeling is None and staff.me_too is None
    assert pack.sentiment.scored == 12 and pack.sentiment.negative_share == 100  # feedback unscored
    assert pack.sentiment.words.startswith("Mostly negative") and pack.sentiment.average is None
    assert pack.cards.open == 20 and pack.cards.overdue == 20 and pack.cards.action_planned == 0
    assert [a.description for a in pack.previous_actions] == ["Publish waiting times",
                                                              "Done already"]
    assert [a.overdue for a in pack.previous_actions] == [True, False]
    assert pack.kpis[0].rag == "amber" and pack.kpis[0].value == "81"
    points = " | ".join(pack.discussion_points)
    assert "Rising theme: Waiting times" in points
    assert "Falling rating: average 2.0 out of 5, down from 4.0" in points
    assert "Rated below similar services" in points
    assert "Overdue actions from the last review: 1" in points


def test_a_pack_as_at_an_earlier_day_counts_no_card_sent_after_it(db, crafted):
    """A pack built as at a past day (the demo's, frozen as at its meeting) does not count
    cards sent after that day among the open cards."""
    service = crafted["contract"].services[0]
    before = build_pack(crafted["contract"].id, Q1, today=TODAY).cards
    for _ in range(12):
        _card(db, service, date(2026, 6, 1))
    db.session.flush()
    assert build_pack(crafted["contract"].id, Q1, today=TODAY).cards == before
    later = build_pack(crafted["contract"].id, Q1, today=date(2026, 6, 2)).cards
    assert later.open == before.open + 12


def test_no_change_against_a_period_the_platform_holds_only_part_of(db, crafted):
    """Without the card of September 2025 the platform's data for these services starts on
    1 November, a month into Q4 2025: no change, rising theme or falling rating against it,
    on the page, in the Word file or in the workbook."""
    import docx
    import openpyxl
    from feedback.exports.docx import pack_to_docx
    from feedback.exports.pack_xlsx import pack_to_xlsx
    from feedback.models import ActionCard
    db.session.execute(db.delete(ActionCard).where(ActionCard.text_redacted == "early"))
    db.session.commit()
    pack = build_pack(crafted["contract"].id, Q1, today=TODAY)
    gap = "No comparison: we hold no data for part of October to December 2025"
    assert pack.volume.change == gap and not pack.volume.compared
    assert pack.volume.previous_total == 18  # what the platform holds of it is still shown
    waiting = {t.name: t for t in pack.themes}["Waiting times"]
    assert waiting.change == gap and not waiting.rising and not waiting.compared
    assert pack.ratings.previous_average is None
    points = " | ".join(pack.discussion_points)
    assert "Rising theme" not in points and "Falling rating" not in points
    document = docx.Document(io.BytesIO(pack_to_docx(pack)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert gap in cells
    workbook = openpyxl.load_workbook(io.BytesIO(pack_to_xlsx(pack)))
    themes = {row[0]: row for row in workbook["Themes"].iter_rows(min_row=2, values_only=True)}
    assert themes["Waiting times"][3] == gap
    volume = [row for row in workbook["Volume"].iter_rows(values_only=True)]
    assert any(gap in row for row in volume)


def test_quotes_are_redacted_published_and_consented_only(db, crafted):
    pack = build_pack(crafted["contract"].id, Q1, today=TODAY)
    texts = [q.text for q in pack.quotes]
    assert "FLAGGED QUOTE" not in texts and "NO CONSENT QUOTE" not in texts
    assert "CONSENTED QUOTE" in texts
    assert texts[:4] == ["Quote 10", "Quote 9", "Quote 8", "Quote 7"]  # most "me too" first
    assert not any("original" in t for t in texts)


def test_small_groups_are_suppressed_everywhere(db, crafted):
    from feedback.models import ActionCard, FeedbackEntry
    # Remove enough to leave 3 cards and 2 feedback entries in the period.
    for card in db.session.execute(db.select(ActionCard).where(
            ActionCard.created_at >= _at(Q1.start))).scalars().all()[3:]:
        db.session.delete(card)
    for entry in db.session.execute(db.select(FeedbackEntry).where(
            FeedbackEntry.service_id.in_([s.id for s in crafted["contract"].services]),
            FeedbackEntry.created_at >= _at(Q1.start))).scalars().all()[2:]:
        db.session.delete(entry)
    db.session.commit()
    pack = build_pack(crafted["contract"].id, Q1, today=TODAY)
    assert (pack.volume.cards, pack.volume.feedback, pack.volume.total) == (None, None, None)
    assert pack.volume.by_service == ()  # never broken down further
    assert pack.volume.change == "not shown (fewer than 10)"
    assert pack.ratings.average is None and pack.ratings.responses is None
    assert pack.quotes == ()
    assert all(t.count is None for t in pack.themes)
    snapshot = str(pack.to_dict())
    assert "'cards': 3" not in snapshot and "'total': 5" not in snapshot
    import docx
    from feedback.exports.docx import pack_to_docx
    document = docx.Document(io.BytesIO(pack_to_docx(pack)))
    [line] = [p.text for p in document.paragraphs if p.text.startswith("Average rating:")]
    # The reason is given once, by the count beside it.
    assert line.startswith("Average rating: not shown (fewer than 10 ratings); "), line
    assert "(fewer than 10) (" not in line, line


def test_exports_open_and_hold_the_tables(db, crafted):
    import docx
    import openpyxl
    from feedback.exports.docx import pack_to_docx
    from feedback.exports.pack_xlsx import pack_to_xlsx
    from feedback.models import Theme
    db.session.execute(db.select(Theme).filter_by(key="staff")).scalar_one().curated_name = \
        "=HYPERLINK(\"http://x\")"
    db.session.commit()
    pack = build_pack(crafted["contract"].id, Q1, today=TODAY)
    document = docx.Document(io.BytesIO(pack_to_docx(pack)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Themes" in headings and "Key performance indicators" in headings
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    theme_table = next(t for t in tables if t[0][0] == "Theme")
    assert ["Waiting times", "11", "fewer than 10", "up from fewer than 10",
            "Mostly negative: 10 in 10 negative",
            "55"] in theme_table
    assert not any(re.fullmatch(r"[+-]\d\.\d\d", cell) for row in theme_table for cell in row)
    kpi_table = next(t for t in tables if t[0][0] == "KPI")
    assert kpi_table[1][0] == "Seen within 18 weeks" and kpi_table[1][3] == "Amber"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "CONSENTED QUOTE" in text and "FLAGGED QUOTE" not in text
    workbook = openpyxl.load_workbook(io.BytesIO(pack_to_xlsx(pack)))
    assert {"Summary", "KPIs", "Volume", "Themes", "Quotes"} <= set(workbook.sheetnames)
    themes = {row[0]: row for row in workbook["Themes"].iter_rows(min_row=2, values_only=True)}
    assert themes["Waiting times"][1] == 11 and themes["Waiting times"][2] == "fewer than 10"
    assert "'=HYPERLINK(\"http://x\")" in themes  # formula-safe
    assert themes["'=HYPERLINK(\"http://x\")"][1] == "fewer than 10"


def test_pack_pages_and_downloads_over_http(db, client, login_as, crafted):
    from feedback.models import AuditEvent
    review = crafted["review"]
    login_as("commissioner")
    page = client.get(f"/contracts/reviews/{review.id}/pack")
    assert page.status_code == 200
    assert b"Waiting times" in page.data and b"fewer than 10" in page.data
    assert b"FLAGGED QUOTE" not in page.data and b"original words" not in page.data
    printable = client.get(f"/contracts/reviews/{review.id}/pack/print")
    assert b"app-print-pack" in printable.data
    word = client.get(f"/contracts/reviews/{review.id}/pack.docx")
    assert word.status_code == 200 and word.data[:2] == b"PK"
    assert "attachment" in word.headers["Content-Disposition"]
    assert "review-pack-CRAFT-1-2026-01-01.docx" in word.headers["Content-Disposition"]
    sheet = client.get(f"/contracts/reviews/{review.id}/pack.xlsx")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"
    formats = [e.detail["format"] for e in db.session.execute(db.select(AuditEvent).filter_by(
        action="contract_pack.viewed")).scalars()]
    assert sorted(formats) == ["docx", "page", "print", "xlsx"]


def test_held_review_keeps_the_pack_it_was_shown(db, crafted):
    """The frozen pack is the pack built on the day of the meeting, field for field
    (its round trip through plain data loses nothing); tests/web/test_frozen_pack.py
    covers what readers see after the data changes."""
    from feedback.contracts.pack import ReviewPack
    from feedback.contracts.reviews import hold_review
    review = crafted["review"]
    hold_review(review.id, date(2026, 4, 10), None, None, today=TODAY)
    db.session.refresh(review)
    kept = ReviewPack.from_dict(review.frozen_pack.pack)
    assert kept == build_pack(crafted["contract"].id, Q1, today=TODAY)
    assert review.frozen_pack.source == "meeting" and len(review.frozen_pack.digest) == 64


def test_every_pack_table_scrolls_in_its_own_region(db, client, login_as, crafted):
    """At 375 px the KPI, volume and theme tables are wider than the screen: each sits in a
    focusable region that scrolls sideways, so the page never cuts a column off."""
    login_as("commissioner")
    review = crafted["review"]
    for url in (f"/contracts/reviews/{review.id}/pack", f"/contracts/reviews/{review.id}/pack/print"):
        html = client.get(url).get_data(as_text=True)
        tables = html.count("<table")
        wrapped = re.findall(r'<div class="app-table-wrapper" tabindex="0" role="region" '
                             r'aria-label="[^"]+">\s*<table', html)
        assert tables >= 4 and len(wrapped) == tables, url
