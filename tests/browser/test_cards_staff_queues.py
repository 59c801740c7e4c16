"""The moderation and safeguarding queues in a real browser, for their roles.

Desktop and 320 px wide; axe-core (WCAG 2.2 AA) on the queues, an item, the
error states of their forms, and a paged queue. Staff move with the keyboard
too: the decisions are made with Tab, arrow keys, typing and Enter.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser, sign_out
from tests.browser.test_cards_journey import assert_error_state, choose_radio, submit_page, tab_to
from tests.helpers import TEST_PASSWORD
from tests.factories import build_card


@pytest.fixture()
def queue_items(app):
    """60 pending cards (two pages), and two flagged ones (one decided)."""
    from feedback.extensions import db
    from feedback.models import Service
    start = datetime(2026, 2, 1, tzinfo=timezone.utc)
    with app.app_context():
        service = Service(name="Eastfield Children's Centre", plain_name="Eastfield children's centre",
                          thematic_area="early_years")
        pending = [build_card(kind="change", text=f"Ring Jo on 07700 900{i:03d} about the bus",
                              service=service, created_at=start + timedelta(minutes=i),
                              moderation_state="pending", text_redacted=None)
                   for i in range(60)]
        flagged = build_card(kind="stop", text="my carer hits me when i am late", service=service,
                             safeguarding_flagged=True, safeguarding_categories=["abuse"],
                             contact_method="worker",
                             moderation_state="pending", text_redacted=None)
        decided = build_card(kind="stop", text="i feel unsafe at home", service=service,
                             safeguarding_flagged=True, safeguarding_categories=["unsafe_home"],
                             safeguarding_outcome="referred", safeguarding_note="Referred to MASH",
                             safeguarding_reviewed_at=start,
                             moderation_state="pending", text_redacted=None)
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


def test_approve_refer_and_release_with_the_keyboard(live_server, page, make_user, app):
    """A moderator fixes a redaction and presses Approve at once: the edited text is
    published. Another item is referred (the missing reason is an accessible error);
    the lead sees it, decides no concern and releases a parent's words to moderation."""
    from feedback.extensions import db
    from feedback.models import ActionCard, FeedbackEntry
    with app.app_context():
        card = build_card(kind="change", text="Ring Jo on 07700 900123",
                          text_redacted="Ring [name] on 07700 900123",
                          moderation_state="pending")
        worry = build_card(kind="change", text="i stay at my mates most nights now",
                           text_redacted="i stay at my mates most nights now",
                           moderation_state="pending")
        parent = FeedbackEntry(respondent_type="parent_carer", went_well="",
                               could_be_better="my child is self-harming and CAMHS never rang",
                               safeguarding_flagged=True, safeguarding_categories=["self_harm"],
                               safeguarding_trigger={"phrases": [{"category": "self_harm",
                                                                  "phrase": "self harm*",
                                                                  "words": "self harming"}],
                                                     "reasons": []})
        db.session.add_all([card, worry, parent])
        db.session.commit()
        ids = card.id, worry.id, parent.id
    moderator = make_user("moderator", email="moderator-keys@example.org")
    sign_in_browser(page, live_server, moderator.email, TEST_PASSWORD)
    page.goto(f"{live_server}/moderation/card/{ids[0]}")
    tab_to(page, "#text_redacted")
    page.keyboard.press("Control+A")
    page.keyboard.type("Ring [name] on [phone number]")
    submit_page(page, "Approve")
    assert page.url.endswith("/moderation") and "Approved." in page.inner_text("main")
    with app.app_context():
        assert db.session.get(ActionCard, ids[0]).text_redacted == "Ring [name] on [phone number]"

    page.goto(f"{live_server}/moderation/card/{ids[1]}")
    submit_page(page, "Refer to safeguarding lead")
    assert_error_state(page, "Enter why you are referring it to the safeguarding lead",
                       "refer error")
    tab_to(page, "#refer_reason")
    page.keyboard.type("Not going home at night")
    submit_page(page, "Refer to safeguarding lead")
    assert "Referred to the safeguarding lead" in page.inner_text("main")

    sign_out(page)
    lead = make_user("safeguarding_lead", email="lead-keys@example.org")
    sign_in_browser(page, live_server, lead.email, TEST_PASSWORD)
    page.goto(live_server + "/safeguarding")
    assert "Referred by a moderator" in page.inner_text("main")
    page.goto(f"{live_server}/safeguarding/feedback/{ids[2]}")
    assert "self harming" in page.inner_text("main")
    assert page.is_checked("input[name='release'][value='private']")  # the default
    choose_radio(page, "outcome", "no_concern")
    tab_to(page, "#note")
    page.keyboard.type("Family already known to CAMHS; no new risk.")
    choose_radio(page, "release", "released")
    submit_page(page, "Save decision")
    assert "It is released to moderation." in page.inner_text("main")
    assert_accessible(page, "safeguarding queue after a release")
    with app.app_context():
        entry = db.session.get(FeedbackEntry, ids[2])
        assert not entry.safeguarding_flagged and entry.moderation_state == "pending"
