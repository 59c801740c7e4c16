"""Like-for-like periods: a period still running is compared with the same number
of days at the start of the period before; changes read as a count and a share;
boundaries and "today" are UK time (a card sent 23:30 UTC on 31 March is 1 April)."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from feedback import clock
from feedback.insight.filters import Filters, comparison_note
from feedback.insight.services import filters_from
from tests.factories import make_cards, make_history, make_service


def _at(monkeypatch, moment: datetime) -> None:
    """Stop the clock at ``moment`` (UTC) for the pages and services."""
    monkeypatch.setattr(clock, "now", lambda: moment)


def _theme(db, cards, key="L1", label="Buses home"):
    from feedback.models import Theme, ThemeAssignment
    theme = Theme(key=key, label=label)
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards])
    db.session.commit()
    return theme


def _change_cell(html: str, name: str) -> str:
    row = html.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="govuk-table__cell">([^<]*)(?:</td>|<span)', row)[0].strip()


def _change_why(html: str, name: str) -> str | None:
    """The short reason under a theme's "No comparison" (after a hidden colon)."""
    row = html.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]
    found = re.search(r'<span class="govuk-visually-hidden">:</span> <span class="[^"]*'
                      r'app-change-why">([^<]*)</span>', row)
    return found.group(1) if found else None


@pytest.mark.parametrize("today, days, previous", [
    (date(2026, 4, 1), 1, (date(2026, 1, 1), date(2026, 1, 2))),
    (date(2026, 4, 5), 5, (date(2026, 1, 1), date(2026, 1, 6))),
    (date(2026, 6, 30), None, (date(2026, 1, 1), date(2026, 4, 1))),  # the last day: whole
])
def test_a_running_quarter_is_compared_with_the_same_days_of_the_last(today, days, previous):
    f = filters_from({"period": "quarter"}, today)
    assert f.days_so_far == days
    before = f.previous()
    assert (before.start, before.end) == previous and before.as_of is None


def test_whole_periods_are_compared_whole_and_the_note_says_which():
    last = filters_from({"period": "last_quarter"}, date(2026, 4, 5))
    assert last.days_so_far is None
    assert (last.previous().start, last.previous().end) == (date(2025, 10, 1), date(2026, 1, 1))
    assert comparison_note(last) == "Changes are against 1 October 2025 to 31 December 2025."
    running = filters_from({"period": "year"}, date(2026, 4, 5))
    assert comparison_note(running) == (
        "This period is still running, so its first 5 days (1 April to 5 April 2026) are "
        "compared with the first 5 days of the period before (1 April 2025 to 5 April 2025).")
    assert comparison_note(Filters()) is None


def test_a_quarter_five_days_old_shows_no_large_down(client, login_as, db, monkeypatch):
    """12 people in the first 5 days against 11 in the first 5 days of the last
    quarter (and 100 more later in it): "Up 1 (+9%)", not "Down 99"."""
    service = make_service(db)
    make_history(db, service)
    now = make_cards(db, service, per_topic=12, topics={"a": ["buses stop early"]},
                     created=datetime(2026, 4, 3, 12, tzinfo=timezone.utc))
    early = make_cards(db, service, per_topic=11, topics={"a": ["buses stop too early"]},
                       created=datetime(2026, 1, 2, 12, tzinfo=timezone.utc))
    later = make_cards(db, service, per_topic=100, topics={"a": ["the bus is late"]},
                       created=datetime(2026, 2, 10, 12, tzinfo=timezone.utc))
    _theme(db, now + early + later)
    _at(monkeypatch, datetime(2026, 4, 5, 9, tzinfo=timezone.utc))
    login_as("commissioner")
    html = client.get("/insight?period=quarter").get_data(as_text=True)
    assert _change_cell(html, "Buses home") == "Up 1 (+9%)"
    assert not re.search(r">Down \d", html)
    assert "its first 5 days (1 April to 5 April 2026) are compared with the first 5 days" in html
    # The export carries the same words.
    csv = client.get("/insight/export.csv?period=quarter").get_data(as_text=True)
    assert "Up 1 (+9%)" in csv


def test_a_whole_quarter_shows_the_change_as_a_count_and_a_share(client, login_as, db,
                                                                  monkeypatch):
    service = make_service(db)
    make_history(db, service)
    now = make_cards(db, service, per_topic=30, topics={"a": ["x"]},
                     created=datetime(2026, 2, 3, 12, tzinfo=timezone.utc))
    before = make_cards(db, service, per_topic=40, topics={"a": ["y"]},
                        created=datetime(2025, 11, 20, 12, tzinfo=timezone.utc))
    _theme(db, now + before)
    _at(monkeypatch, datetime(2026, 4, 20, 9, tzinfo=timezone.utc))
    login_as("commissioner")
    html = client.get("/insight?period=last_quarter").get_data(as_text=True)
    assert _change_cell(html, "Buses home") == "Down 10 (-25%)"
    assert "Changes are against 1 October 2025 to 31 December 2025." in html


def test_midnight_in_summer_time_belongs_to_the_uk_day(client, login_as, db, monkeypatch):
    """23:30 UTC on 31 March 2026 is 00:30 BST on 1 April: this quarter, April.
    22:30 UTC the same evening is 23:30 BST on 31 March: the quarter before."""
    service = make_service(db)
    april = make_cards(db, service, per_topic=12, topics={"a": ["x"]},
                       created=datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))
    march = make_cards(db, service, per_topic=10, topics={"a": ["y"]},
                       created=datetime(2026, 3, 31, 22, 30, tzinfo=timezone.utc))
    _theme(db, april + march)
    _at(monkeypatch, datetime(2026, 4, 1, 0, 10, tzinfo=timezone.utc))  # 01:10 BST, 1 April
    assert clock.today() == date(2026, 4, 1)
    login_as("commissioner")
    html = client.get("/insight?period=quarter").get_data(as_text=True)
    assert "People heard: 12" in html
    months = client.get("/insight?period=all").get_data(as_text=True)
    assert re.search(r"April 2026</t[hd]>\s*<td[^>]*>12<", months)
    assert re.search(r"March 2026</t[hd]>\s*<td[^>]*>10<", months)
    last = client.get("/insight?period=last_quarter").get_data(as_text=True)
    assert "People heard: 10" in last


def test_filters_start_and_end_at_uk_midnight():
    f = Filters(start=date(2026, 4, 1), end=date(2026, 11, 1))
    assert f.start_at == datetime(2026, 3, 31, 23, tzinfo=timezone.utc)
    assert f.end_at == datetime(2026, 11, 1, 0, tzinfo=timezone.utc)


def test_no_change_against_a_period_the_platform_holds_only_part_of(client, login_as, db,
                                                                     monkeypatch):
    """The last 12 months to 7 December 2026 are compared with 1 January to 7 December 2025,
    but the platform's first item is from June 2025: "No comparison", not "Up 13 (+130%)".
    For a service whose data goes back further, the change is given."""
    late, early = make_service(db, name="Late service"), make_service(db, name="Early service")
    for service, label, key in ((late, "Late theme", "L1"), (early, "Early theme", "L2")):
        now = make_cards(db, service, per_topic=23, topics={"a": [f"{label} now"]},
                         created=datetime(2026, 3, 2, 12, tzinfo=timezone.utc))
        before = make_cards(db, service, per_topic=10, topics={"a": [f"{label} before"]},
                            created=datetime(2025, 6, 20, 12, tzinfo=timezone.utc))
        _theme(db, now + before, key=key, label=label)
    make_history(db, early, since=datetime(2024, 11, 5, 12, tzinfo=timezone.utc))
    _at(monkeypatch, datetime(2026, 12, 7, 12, tzinfo=timezone.utc))
    login_as("commissioner")
    html = client.get(f"/insight?period=12m&service={late.id}").get_data(as_text=True)
    assert _change_cell(html, "Late theme") == "No comparison"
    assert _change_why(html, "Late theme") == "We hold no data for part of the period before."
    assert ("No comparison: we hold no data for part of 1 January 2025 to 7 December 2025."
            in html)
    assert "Up 13" not in html and "Changes are against" not in html
    html = client.get(f"/insight?period=12m&service={early.id}").get_data(as_text=True)
    assert _change_cell(html, "Early theme") == "Up 13 (+130%)"
    assert "Changes are against 1 January 2025 to 7 December 2025." in html
    # All services: the platform's first item (November 2024) is before the period before.
    html = client.get("/insight?period=12m").get_data(as_text=True)
    assert _change_cell(html, "Late theme") == "Up 13 (+130%)"


def test_no_comparison_says_why_when_the_period_before_had_fewer_than_10(client, login_as, db,
                                                                          monkeypatch):
    """12 people this quarter, 4 the quarter before (a period the platform holds whole):
    "No comparison", with its reason; a theme with a change, or for all time, has none."""
    service = make_service(db)
    make_history(db, service)
    now = make_cards(db, service, per_topic=12, topics={"a": ["buses stop early"]},
                     created=datetime(2026, 2, 3, 12, tzinfo=timezone.utc))
    before = make_cards(db, service, per_topic=4, topics={"a": ["buses stop too early"]},
                        created=datetime(2025, 11, 20, 12, tzinfo=timezone.utc))
    _theme(db, now + before)
    steady = make_cards(db, service, per_topic=10, topics={"b": ["no youth club"]},
                        created=datetime(2026, 2, 4, 12, tzinfo=timezone.utc)) + make_cards(
        db, service, per_topic=10, topics={"b": ["no youth club at all"]},
        created=datetime(2025, 11, 21, 12, tzinfo=timezone.utc))
    _theme(db, steady, key="L2", label="Youth club")
    _at(monkeypatch, datetime(2026, 4, 20, 9, tzinfo=timezone.utc))
    login_as("commissioner")
    html = client.get("/insight?period=last_quarter").get_data(as_text=True)
    assert _change_cell(html, "Buses home") == "No comparison"
    assert _change_why(html, "Buses home") == "Fewer than 10 people in the period before."
    assert _change_cell(html, "Youth club") == "No change"
    assert _change_why(html, "Youth club") is None
    html = client.get("/insight?period=all").get_data(as_text=True)
    assert _change_cell(html, "Buses home") == "No comparison"
    assert _change_why(html, "Buses home") is None
