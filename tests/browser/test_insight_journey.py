"""A commissioner finds a service's top themes, reads quotes, curates and answers a card,
in a real browser; every page meets WCAG 2.2 AA (axe-core)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD
from tests.factories import make_cards, make_service, run_full


def _data(app):
    from feedback.extensions import db
    with app.app_context():
        service = make_service(db)
        make_service(db, name="Youth club")
        cards = make_cards(db, service)
        run_full(db)
        ids = service.id, cards[0].id
        db.session.remove()
    return ids


def test_commissioner_insight_journey_is_accessible(app, live_server, page, make_user):
    service_id, _card_id = _data(app)
    user = make_user("commissioner", email="insight-browser@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    assert "What needs attention" in page.content()
    assert_accessible(page, "staff home with attention panel")

    page.goto(live_server + "/insight")
    assert_accessible(page, "insight dashboard")
    page.select_option("#service", str(service_id))
    page.select_option("#period", "quarter")
    page.click("button:has-text('Apply filters')")
    expect(page.locator("main")).to_contain_text("People heard: 60")
    assert_accessible(page, "filtered dashboard")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, f"dashboard at {width}px")

    page.locator("table.govuk-table a.govuk-link").first.click()
    expect(page.locator(".app-quote").first).to_be_visible()
    assert_accessible(page, "theme page")

    page.click("a:has-text('Rename')")
    page.fill("#name", "")
    page.click("button:has-text('Save name')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "rename with an error")
    page.fill("#name", "Waiting for counselling")
    page.click("button:has-text('Save name')")
    expect(page.locator("h1")).to_have_text("Waiting for counselling")

    page.click("a:has-text('Split')")
    assert_accessible(page, "split page")
    page.go_back()
    page.click("a:has-text('Merge')")
    assert_accessible(page, "merge page")
    page.go_back()

    page.locator("a:has-text('Answer card')").first.click()
    assert_accessible(page, "answer page")
    page.check("input[value='not_possible']")
    page.click("button:has-text('Save answer')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "answer with an error")
    page.check("input[value='action_planned']")
    page.fill("#response", "We are adding evening counselling sessions from May.")
    page.click("button:has-text('Save answer')")
    expect(page.locator("main")).to_contain_text("answered")

    page.click("a:has-text('Answer several of these cards at once')")
    assert_accessible(page, "answer many page")

    page.goto(live_server + "/insight/to-answer")
    expect(page.locator("h1")).to_have_text("Cards and feedback waiting for an answer")
    assert_accessible(page, "waiting list")
    page.select_option("#service", index=1)
    page.click("button:has-text('Show')")
    expect(page).to_have_url(re.compile(r"service="))
    page.locator("a:has-text('Answer card')").first.click()
    page.check("input[value='being_looked_at']")
    page.fill("#response", "We are looking at this with the counselling team.")
    page.click("button:has-text('Save answer')")
    # Back to the list it came from, still filtered to that service.
    expect(page).to_have_url(re.compile(r"/insight/to-answer\?service=\d+$"))
    expect(page.locator("main")).to_contain_text("answered")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, "waiting list at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server + "/insight/runs")
    assert_accessible(page, "analysis runs page")
    page.goto(live_server + "/insight/themes")
    assert_accessible(page, "all themes page")


def test_you_said_we_did_is_accessible(app, live_server, page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + "/you-said-we-did")
    assert page.locator("h1").inner_text() == "You said, we did"
    assert_accessible(page, "you said, we did")
