"""The dashboard's previous period: the calendar quarter or financial year before,
not merely the same number of days (a period still running: its days so far against the
same days of the period before, tests/web/test_periods_like_for_like.py)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from feedback.insight.filters import Filters, period_dates, previous_label
from feedback.insight.services import filters_from


@pytest.mark.parametrize("period, today, current, previous", [
    ("quarter", date(2026, 2, 14), (date(2026, 1, 1), date(2026, 4, 1)),
     (date(2025, 10, 1), date(2025, 11, 15))),  # the first 45 days of each
    ("quarter", date(2026, 6, 30), (date(2026, 4, 1), date(2026, 7, 1)),
     (date(2026, 1, 1), date(2026, 4, 1))),  # 91 days against a 90-day quarter
    ("last_quarter", date(2026, 4, 2), (date(2026, 1, 1), date(2026, 4, 1)),
     (date(2025, 10, 1), date(2026, 1, 1))),
    ("year", date(2026, 3, 31), (date(2025, 4, 1), date(2026, 4, 1)),
     (date(2024, 4, 1), date(2025, 4, 1))),  # 2024-25 has a 29 February
    ("last_year", date(2026, 4, 1), (date(2025, 4, 1), date(2026, 4, 1)),
     (date(2024, 4, 1), date(2025, 4, 1))),
    ("12m", date(2026, 3, 10), (date(2025, 4, 1), date(2026, 3, 11)),
     (date(2024, 4, 1), date(2025, 3, 11))),  # the same dates a year before, not 12 whole months
])
def test_previous_period_is_the_calendar_period_before(period, today, current, previous):
    f = filters_from({"period": period}, today)
    assert (f.start, f.end) == current
    before = f.previous()
    assert (before.start, before.end) == previous
    assert before.service_ids == f.service_ids and before.period == "previous"


def test_custom_whole_months_and_odd_day_ranges():
    months = Filters(start=date(2026, 1, 1), end=date(2026, 3, 1))
    assert (months.previous().start, months.previous().end) == (date(2025, 11, 1), date(2026, 1, 1))
    days = Filters(start=date(2026, 1, 10), end=date(2026, 1, 20))
    assert (days.previous().start, days.previous().end) == (date(2025, 12, 31), date(2026, 1, 10))
    assert Filters().previous() is None and previous_label(Filters()) is None
    assert period_dates("all", date(2026, 1, 1)) == (None, None)


def test_quarter_change_counts_the_whole_previous_quarter(db):
    """Items on 1 October fall in the quarter before January to March, though a
    same-length window (90 days back from 1 January) would leave them out."""
    from feedback.insight.queries import theme_summary
    from feedback.models import Theme, ThemeAssignment
    from tests.factories import make_cards, make_service
    service = make_service(db)
    now_cards = make_cards(db, service, per_topic=12, topics={"a": ["x"]},
                           created=datetime(2026, 2, 1, 12, tzinfo=timezone.utc))
    before = make_cards(db, service, per_topic=11, topics={"a": ["y"]},
                        created=datetime(2025, 10, 1, 9, tzinfo=timezone.utc))
    theme = Theme(key="P1", label="Periods")
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in now_cards + before])
    db.session.commit()
    row = theme_summary(filters_from({"period": "quarter"}, date(2026, 2, 14)))[0]
    assert row.people == 12 and row.previous_people == 11 and row.change == 1


def test_dashboard_names_the_period_it_compares_with(client, login_as, db, monkeypatch):
    from feedback import clock
    from tests.factories import make_cards, make_history, make_service
    service = make_service(db)
    make_history(db, service)
    make_cards(db, service, per_topic=12, topics={"a": ["x"]},
               created=datetime(2026, 8, 1, 12, tzinfo=timezone.utc))
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 8, 20, 12, tzinfo=timezone.utc))
    login_as("commissioner")
    html = client.get("/insight?period=year").get_data(as_text=True)
    assert "This financial year" in html and "compared with the first" in html
    all_time = client.get("/insight?period=all").get_data(as_text=True)
    assert "Changes are against" not in all_time and "compared with" not in all_time
