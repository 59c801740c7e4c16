"""Themes of fewer than 10 people are never broken down: theme page, bulk answer,
exports, per-service and per-month cells; their cards stay answerable from the
separate list of items waiting for an answer, which names no theme."""
from __future__ import annotations

from datetime import timedelta

from tests.helpers import post_form
from tests.factories import build_card, make_cards, make_service, now


def _theme(db, label, cards, key):
    from feedback.models import Theme, ThemeAssignment
    theme = Theme(key=key, label=label)
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id, confidence=0.9) for c in cards])
    db.session.commit()
    return theme


def test_small_theme_page_lists_no_cards_quotes_services_or_timeline(client, login_as, db):
    from feedback.models import AuditEvent
    service = make_service(db)
    cards = make_cards(db, service, per_topic=9, topics={"s": ["a very rare worry"]})
    small = _theme(db, "Rare worry", cards, "S1")
    login_as("commissioner")
    html = client.get(f"/insight/themes/{small.id}?period=all").get_data(as_text=True)
    assert "<strong>fewer than 10</strong> people" in html
    for absent in ("a very rare worry", "Answer card", "Action cards in this theme",
                   "Services it touches", "Timeline", "What people said", service.name,
                   "Answer several", f"/insight/cards/{cards[0].id}/answer"):
        assert absent not in html, absent
    assert "/insight/to-answer" in html
    event = db.session.execute(db.select(AuditEvent).filter_by(action="theme.viewed")).scalars().one()
    assert event.detail["cards_listed"] == 0 and event.detail["feedback_listed"] == 0


def test_ten_people_is_enough_to_break_a_theme_down(client, login_as, db):
    service = make_service(db)
    cards = make_cards(db, service, per_topic=10, topics={"s": ["the lift is broken"]})
    theme = _theme(db, "Broken lift", cards, "S2")
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert "<strong>10</strong> people" in html and "the lift is broken" in html
    assert "Action cards in this theme" in html and "Services it touches" in html


def test_a_filter_that_makes_a_theme_small_hides_its_breakdown(client, login_as, db):
    service = make_service(db)
    other = make_service(db, name="Youth club")
    cards = (make_cards(db, service, per_topic=12, topics={"a": ["bus fares are high"]})
             + make_cards(db, other, per_topic=4, topics={"b": ["bus fares are high too"]}))
    theme = _theme(db, "Bus fares", cards, "S3")
    login_as("commissioner")
    whole = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    assert "Youth club" in whole and "bus fares are high" in whole
    narrow = client.get(f"/insight/themes/{theme.id}?period=all&service={other.id}").get_data(as_text=True)
    assert "fewer than 10" in narrow and "bus fares are high too" not in narrow
    assert "Answer card" not in narrow


def test_small_cells_of_a_large_theme_say_fewer_than_10_on_screen_and_in_exports(client, login_as, db):
    service = make_service(db)
    other = make_service(db, name="Youth club")
    cards = (make_cards(db, service, per_topic=15, topics={"a": ["more activities"]})
             + make_cards(db, other, per_topic=3, topics={"b": ["more activities"]},
                          created=now() - timedelta(days=70)))
    theme = _theme(db, "Activities", cards, "S4")
    login_as("commissioner")
    html = client.get(f"/insight/themes/{theme.id}?period=all").get_data(as_text=True)
    services_table = html[html.index("People by service"):html.index("Timeline")]
    assert "Youth club" in services_table and "fewer than 10" in services_table
    # 15 beside the theme's 18 would give the 3 away: it is withheld too.
    assert ">3<" not in services_table and ">15<" not in services_table
    assert "not shown" in services_table
    timeline = html[html.index("People by month in this theme"):]
    assert "fewer than 10" in timeline.split("</table>")[0]
    csv = client.get(f"/insight/themes/{theme.id}/export.csv?period=all").get_data().decode("utf-8-sig")
    rows = [line.split(",") for line in csv.splitlines()]
    assert ["Service", "Youth club", "fewer than 10"] in rows
    assert not any(r[0] in ("Service", "Month") and r[-1] in ("3", "15") for r in rows)


def test_bulk_answer_of_a_small_theme_goes_to_the_list_instead(client, login_as, db):
    cards = make_cards(db, make_service(db), per_topic=5, topics={"s": ["please fix the wifi"]})
    small = _theme(db, "Wifi", cards, "S5")
    login_as("commissioner")
    response = client.get(f"/insight/themes/{small.id}/answer")
    assert response.status_code == 302 and response.headers["Location"].endswith("/insight/to-answer")
    posted = post_form(client, f"/insight/themes/{small.id}/answer",
                       {"cards": [str(cards[0].id)], "status": "done", "response": "Fixed."},
                       form_url="/insight/to-answer")
    assert posted.status_code == 302
    db.session.expire_all()
    assert cards[0].status == "received"  # nothing answered through the small theme


def test_waiting_list_names_no_theme_and_answers_go_back_to_it(client, login_as, db):
    from feedback.models import AuditEvent
    service = make_service(db)
    other = make_service(db, name="Youth club")
    cards = make_cards(db, service, per_topic=3, topics={"s": ["please fix the wifi"]})
    make_cards(db, other, per_topic=2, topics={"o": ["longer opening hours"]})
    _theme(db, "Wifi trouble", cards, "S6")
    login_as("commissioner")
    html = client.get("/insight/to-answer").get_data(as_text=True)
    assert "Waiting for an answer (5)" in html and "please fix the wifi" in html
    assert "Wifi trouble" not in html and "longer opening hours" in html
    only = client.get(f"/insight/to-answer?service={other.id}").get_data(as_text=True)
    assert "Waiting for an answer (2)" in only and "please fix the wifi" not in only
    assert f'href="/insight/cards/{cards[0].id}/answer?next=/insight/to-answer"' in html
    answer = post_form(client, f"/insight/cards/{cards[0].id}/answer?next=/insight/to-answer",
                       {"status": "being_looked_at", "response": "We are checking the router."})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/insight/to-answer")
    after = client.get("/insight/to-answer").get_data(as_text=True)
    assert "Being looked at" in after
    listed = db.session.execute(db.select(AuditEvent).filter_by(action="insight.waiting_listed")
                                .order_by(AuditEvent.id)).scalars().first()
    assert cards[0].id in listed.detail["cards"]


def test_waiting_list_pages_and_leaves_out_done_and_unpublished(client, login_as, db):
    from feedback.insight import answering
    from feedback.models import User
    service = make_service(db)
    make_cards(db, service, per_topic=7, topics={"s": ["x"]})
    db.session.add_all([build_card(kind="stop", text="p", text_redacted="pending one", service=service, moderation_state="pending"),
                        build_card(kind="stop", text="d", text_redacted="done one", service=service,
                                   moderation_state="approved", status="done")])
    db.session.commit()
    login_as("commissioner")
    html = client.get("/insight/to-answer").get_data(as_text=True)
    assert "Waiting for an answer (7)" in html
    assert "pending one" not in html and "done one" not in html
    user = db.session.execute(db.select(User)).scalars().first()
    page = answering.waiting_list(user, page=2, per_page=5)
    assert page.pages == 2 and len(page.items) == 2 and page.total == 7
    assert client.get("/insight/to-answer?page=99").status_code == 200
