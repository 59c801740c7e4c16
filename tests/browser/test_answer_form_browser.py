"""The answer form in a browser: "Why is it not possible?" appears only once "Not possible" is
chosen (GOV.UK conditional reveal), is always there without JavaScript, and the page meets
WCAG 2.2 AA without scrolling sideways at 390 and 320 px."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser
from tests.helpers import TEST_PASSWORD


def _card(app) -> int:
    from feedback.extensions import db
    from tests.factories import build_card, make_service
    with app.app_context():
        card = build_card(kind="start", text="a disco", text_redacted="a disco for kids at the centre",
                          service=make_service(db), moderation_state="approved",
                          safeguarding_flagged=False, status="being_looked_at")
        db.session.add(card)
        db.session.commit()
        return card.id


def test_why_not_possible_shows_only_for_not_possible(app, live_server, page, make_user, browser):
    card_id = _card(app)
    user = make_user("commissioner", email="browser-answer-form@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    url = f"{live_server}/insight/cards/{card_id}/answer"
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(url)
    question = page.get_by_role("group", name="What is happening now?")
    expect(question.get_by_role("radio", name="Being looked at", exact=True)).to_be_checked()
    reason = page.get_by_label("Why is it not possible?")
    expect(reason).to_be_hidden()
    assert_fits(page, "the answer form", widths=(390, 320))
    question.get_by_role("radio", name="Not possible", exact=True).check()
    expect(reason).to_be_visible()
    assert_fits(page, "the answer form with its reason", widths=(390,))
    question.get_by_role("radio", name="Done", exact=True).check()
    expect(reason).to_be_hidden()

    # Without JavaScript the question is there under its choice.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        plain = context.new_page()
        sign_in_browser(plain, live_server, user.email, TEST_PASSWORD)
        plain.goto(url)
        expect(plain.get_by_label("Why is it not possible?")).to_be_visible()
    finally:
        context.close()
