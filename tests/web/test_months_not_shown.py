"""A month without a number on the insight timeline says why, beside the timeline, in plain
words (a small month, a small month still running, or a month hidden so that a small one
cannot be worked out by subtraction), without giving the hidden count away. The reason is
the disclosure rule's own (``disclosure.Protected.why``)."""
from __future__ import annotations

from datetime import datetime, timezone

from feedback import clock
from feedback.insight.filters import Filters
from feedback.insight.services import running_month
from tests.factories import make_cards, make_service


def _month_start(months_back: int) -> datetime:
    today = clock.today()
    year, month = today.year, today.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 15, 12, tzinfo=timezone.utc)


def _why(html: str) -> str:
    start = html.index('id="months-not-shown"')
    return html[start:html.index("</div>", start)]


def test_a_hidden_month_on_the_dashboard_says_why(client, login_as, db):
    service = make_service(db)
    make_cards(db, service, per_topic=20, topics={"a": ["more clubs"]}, created=_month_start(2))
    make_cards(db, service, per_topic=12, topics={"b": ["later buses"]}, created=_month_start(1))
    make_cards(db, service, per_topic=3, topics={"c": ["quieter rooms"]},
               created=clock.now())
    login_as("commissioner")
    html = client.get("/insight?period=all").get_data(as_text=True)
    assert "People heard: 35" in html
    this_month, last_month = (f"{_month_start(n):%B %Y}" for n in (0, 1))
    why = _why(html)
    assert f"{this_month}: fewer than 10 people so far. This month is still running" in why
    assert f"{last_month}: not empty. Its number is hidden only so that a smaller group" in why
    # Neither count is given away, on the table or beside it.
    assert ">3<" not in html and ">12<" not in html and " 3 " not in why and "12" not in why
    assert f"{_month_start(2):%B %Y}" not in why  # a month with its number needs no reason


def test_a_small_month_that_is_over_and_a_theme_timeline_say_why(client, login_as, db):
    from feedback.models import Theme, ThemeAssignment
    service = make_service(db)
    cards = (make_cards(db, service, per_topic=15, topics={"a": ["more clubs"]},
                        created=_month_start(3))
             + make_cards(db, service, per_topic=4, topics={"b": ["more clubs too"]},
                          created=_month_start(2)))
    theme = Theme(key="clubs", label="Clubs")
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards])
    db.session.commit()
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    why = _why(html)
    assert f"{_month_start(2):%B %Y}: fewer than 10 people. A group this small" in why
    assert "still running" not in why
    assert f"{_month_start(3):%B %Y}: not empty." in why


def test_the_running_month_is_todays_month_only_while_the_period_takes_in_today():
    from datetime import date
    today = date(2026, 12, 7)
    assert running_month(Filters(), today) == "2026-12"
    assert running_month(Filters(start=date(2026, 10, 1), end=date(2027, 1, 1)), today) == "2026-12"
    assert running_month(Filters(start=date(2026, 7, 1), end=date(2026, 10, 1)), today) is None
    assert running_month(Filters(start=date(2026, 12, 7), end=date(2026, 12, 8)), today) == "2026-12"
    assert running_month(Filters(start=date(2026, 12, 8), end=date(2027, 1, 1)), today) is None
