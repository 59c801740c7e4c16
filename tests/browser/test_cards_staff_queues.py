"""The moderation and safeguarding queues in a real browser, for their roles.

Desktop and 320 px wide; axe-core (WCAG 2.2 AA) on the queues, an item, the
error states of their forms, and a paged queue. Staff move with the keyboard
too: the decisions are made with Tab, arrow keys, typing and Enter.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.browser.test_cards_journey import assert_error_state, choose_radio, submit_page, tab_to
from tests.conftest import TEST_PASSWORD


@pytest.fixture()
def queue_items(app):
    """60 pending cards (two pages), and two flagged ones (one decided)."""
    from feedback.extensions import db
    from feedback.models import ActionCard, Service
    start = datetime(2026, 2, 1, tzinfo=timezone.utc)
    with app.app_context():
        service = Service(name="Eastfield Children's Centre", plain_name="Eastfield children's centre",
                          thematic_area="early_years")
        pending = [ActionCard(kind="change", text=f"Ring Jo on 07700 900{i:03d} about the bus",
                              service=service, created_at=start + timedelta(minutes=i))
                   for i in range(60)]
        flagged = ActionCard(kind="stop", text="my carer hits me when i am late", service=service,
                             safeguarding_flagged=True, safeguarding_categories=["abuse"],
                             contact_method="worker")
        decided = ActionCard(kind="stop", text="i feel unsafe at home", service=service,
                             safeguarding_flagged=True, safeguarding_categories=["unsafe_home"],
                             safeguarding_outcome="referred", safeguarding_note="Referred to MASH",
                             safeguarding_reviewed_at=start)
        db.session.add_all([*pending, flagged, decided])
        db.session.commit()
        return {"first": pending[0].id, "flagged": flagged.id}


@pytest.mark.parametrize("width", [1280, 320])
def test_moderation_queue_is_accessible(live_server, page, make_user, queue_items, width):
    page.set_viewport_size({"width": width, "height": 900})
    user = make_user("moderator", email=f"moderator-{width}@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server + "/moderation")
    assert "Waiting for moderation (60)" in page.inner_text("main")
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page, f"moderation queue {width}px")
    tab_to(page, ".govuk-pagination__next a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/moderation?page=2") and page.title().startswith("Moderation (page 2 of 2)")
    assert_accessible(page, f"moderation queue page 2 {width}px")

    page.goto(f"{live_server}/moderation/card/{queue_items['first']}")
    assert "Ring Jo on 07700 900000" in page.inner_text("main")  # the original, for moderators
    assert_accessible(page, f"moderation item {width}px")
    submit_page(page, "Reject")
    assert_error_state(page, "Enter why you are rejecting it", f"reject error {width}px")
    tab_to(page, "#reason")
    page.keyboard.type("Not about a service we commission")
    submit_page(page, "Reject")
    assert page.url.endswith("/moderation")
    assert "Rejected. It will not be published." in page.inner_text("main")
    assert_accessible(page, f"moderation queue after a decision {width}px")


@pytest.mark.parametrize("width", [1280, 320])
def test_safeguarding_queue_is_accessible(live_server, page, make_user, queue_items, width):
    page.set_viewport_size({"width": width, "height": 900})
    user = make_user("safeguarding_lead", email=f"lead-{width}@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server + "/safeguarding")
    rows = page.locator("tbody tr")
    assert rows.count() == 2 and "Not decided" in rows.first.inner_text()
    assert_accessible(page, f"safeguarding queue {width}px")
    tab_to(page, f"a[href$='/safeguarding/card/{queue_items['flagged']}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "my carer hits me when i am late" in page.inner_text("main")
    assert_accessible(page, f"safeguarding item {width}px")
    submit_page(page, "Save decision")
    assert_error_state(page, "Select what was done", f"safeguarding error {width}px")
    choose_radio(page, "outcome", "referred")
    tab_to(page, "#note")
    page.keyboard.type("Rang the duty team; referral made.")
    submit_page(page, "Save decision")
    assert page.url.endswith("/safeguarding") and "Decision recorded." in page.inner_text("main")
    assert_accessible(page, f"safeguarding queue after a decision {width}px")
