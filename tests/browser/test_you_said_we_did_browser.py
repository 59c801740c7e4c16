"""The public "you said, we did" page in a real browser at 320 px: paging, a filter
and a search, each page meeting WCAG 2.2 AA (axe-core)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import build_card, make_service


def _answers(app) -> tuple[int, int]:
    """40 answered cards at one service (one still open, so "me too" is offered), 5 at another."""
    from feedback.extensions import db
    base = datetime(2026, 2, 1, 12, tzinfo=timezone.utc)
    with app.app_context():
        buses = make_service(db, name="Youth buses")
        clubs = make_service(db, name="Youth clubs")
        for n in range(40):
            db.session.add(build_card(
                kind=("stop", "start", "change")[n % 3], text="o", service=buses,
                text_redacted=f"Bus request number {n}", moderation_state="approved",
                status="done" if n % 4 else "not_possible",
                status_reason=None if n % 4 else "The route is run by another council",
                status_changed_at=base + timedelta(hours=n)))
        for n in range(5):
            db.session.add(build_card(
                kind="start", text="o", service=clubs, moderation_state="approved",
                text_redacted=f"A Saturday club session {n}", status="done",
                status_changed_at=base + timedelta(days=5, hours=n)))
        db.session.add(build_card(kind="change", text="o", text_redacted="Still open",
                                  service=buses, moderation_state="approved"))
        db.session.commit()
        ids = buses.id, clubs.id
        db.session.remove()
    return ids


def test_public_page_pages_filters_and_searches_at_320px(app, live_server, page):
    buses_id, clubs_id = _answers(app)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + "/you-said-we-did")
    expect(page.locator("h1")).to_have_text("You said, we did")
    expect(page.locator("#answers")).to_have_text("Answers 1 to 25 of 45")
    assert_accessible(page, "you said, we did, first page at 320 px")

    page.locator(".govuk-pagination__next a").click()
    expect(page.locator("#answers")).to_have_text("Answers 26 to 45 of 45")
    assert_accessible(page, "you said, we did, page 2 at 320 px")

    page.select_option("#service", str(clubs_id))
    page.click("button:has-text('Show answers')")
    expect(page.locator("#answers")).to_have_text("5 answers")
    expect(page.locator("main")).not_to_contain_text("Bus request")
    assert_accessible(page, "you said, we did, one service at 320 px")

    page.goto(live_server + "/you-said-we-did")
    page.fill("#q", "NUMBER 3")
    page.select_option("#kind", "stop")
    page.click("button:has-text('Show answers')")
    # "number 3", "number 30" ... "number 39" that are stop cards: 3, 30, 33, 36, 39.
    expect(page.locator("#answers")).to_have_text("5 answers")
    link = page.locator(f'a[href="/cards/service/{buses_id}"]').first
    expect(link).to_contain_text("me too")
    assert_accessible(page, "you said, we did, search at 320 px")

    page.goto(live_server + "/you-said-we-did?page=nope")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The page number must be")
    assert_accessible(page, "you said, we did, bad page number at 320 px")

    link = page.locator(f'a[href="/cards/service/{buses_id}"]').first
    link.click()
    expect(page.locator("main")).to_contain_text("Still open")
