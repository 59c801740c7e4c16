"""At 320 px in Debian chromium: a young person finds a service by what they
call it ("taxi" finds school transport), checks their card with its receipt
code, and reaches "me too" from the service's page and from the track page.
Every page is checked with axe-core (WCAG 2.0/2.1/2.2 A and AA)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import build_card

TRANSPORT = "SEND Transport"


@pytest.fixture()
def demo(app):
    """The 30 demo services with their other names, 25 published cards about school
    transport, and one card of the young person's own with a receipt code."""
    from feedback import receipts
    from feedback.admin.service_names import add_default_names
    from feedback.demo.partnership import SERVICES
    from feedback.demo.service_names import OTHER_NAMES
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        services = {name: Service(name=name, plain_name=plain, thematic_area=area, min_age=lo,
                                  max_age=hi, description=desc)
                    for name, plain, area, _, lo, hi, desc in SERVICES}
        db.session.add_all(services.values())
        db.session.flush()
        transport = services[TRANSPORT]
        kinds = ("stop", "start", "change")
        db.session.add_all(build_card(
            kind=kinds[n % 3], text=f"The taxi was late {n} times", service_id=transport.id,
            text_redacted=f"The taxi was late {n} times", moderation_state="approved",
            safeguarding_flagged=False, me_too_count=n) for n in range(25))
        code = receipts.new_receipt_code()
        db.session.add(build_card(
            kind="change", text="Please let the driver wait for me", service_id=transport.id,
            text_redacted="Please let the driver wait for me", moderation_state="approved",
            safeguarding_flagged=False, receipt_hash=receipts.receipt_hash(code)))
        db.session.commit()
        add_default_names(OTHER_NAMES)
        return {"transport": transport.id, "code": code}


@pytest.fixture()
def phone(page):
    page.set_viewport_size({"width": 320, "height": 740})
    return page


def test_search_track_and_me_too_at_320px(phone, live_server, demo):
    page = phone
    # Search with what a young person calls it.
    page.goto(live_server + "/cards/new")
    assert_accessible(page, "the service question")
    page.fill("#q", "taxi")
    with page.expect_navigation():
        page.press("#q", "Enter")
    radios = page.locator("input[name=service]")
    expect(page.get_by_label("School transport")).to_be_visible()
    expect(radios).to_have_count(2)  # school transport and "I'm not sure"
    expect(page.get_by_text("Groups for children after domestic abuse")).to_have_count(0)
    assert_accessible(page, "search results for taxi")

    # "bus" is a whole word: the domestic abuse groups are not found.
    page.fill("#q", "bus")
    with page.expect_navigation():
        page.press("#q", "Enter")
    expect(page.get_by_label("School transport")).to_be_visible()
    expect(page.get_by_text("Groups for children after domestic abuse")).to_have_count(0)

    # From the results to the service's page, then to its cards.
    page.locator(f'a[href="/services/{demo["transport"]}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School transport")
    expect(page.get_by_text("26 cards about this service")).to_be_visible()
    assert_accessible(page, "the service page")
    page.get_by_role("link", name="Read the cards about School transport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cards about School transport")
    expect(page.locator(".govuk-summary-card")).to_have_count(20)
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page, "me too, page 1")

    # Me too on the first card; the page says so and stays where it was.
    page.get_by_role("button", name="Me too: Stop card 1", exact=True).click()
    expect(page.get_by_text("Thanks. We have added your support.")).to_be_visible()
    expect(page.get_by_text("You said me too.")).to_have_count(1)
    assert_accessible(page, "me too, after pressing")

    # The filter and the second page.
    page.get_by_role("link", name="Change something (9)").click()
    expect(page.locator(".govuk-summary-card")).to_have_count(9)
    expect(page.locator(".govuk-pagination")).to_have_count(0)
    assert_accessible(page, "me too, change only")
    page.get_by_role("link", name="Stop, start or change (26)").click()
    page.locator(".govuk-pagination").get_by_role("link", name="Next").click()
    expect(page).to_have_url(f"{live_server}/cards/service/{demo['transport']}?page=2")
    expect(page.locator(".govuk-summary-card")).to_have_count(6)
    assert_accessible(page, "me too, page 2")

    # A page that does not exist says so.
    page.goto(f"{live_server}/cards/service/{demo['transport']}?page=9")
    expect(page.get_by_text("There is no page 9. There are 2 pages of cards.")).to_be_visible()
    assert_accessible(page, "no such page")

    # The track page, with the receipt code, leads to the same cards.
    page.goto(live_server + "/cards/track")
    page.fill("#code", demo["code"].lower())
    with page.expect_navigation():
        page.press("#code", "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your card")
    expect(page.get_by_text("Please let the driver wait for me")).to_be_visible()
    assert_accessible(page, "the track page")
    page.get_by_role("link", name="See what other young people said about School transport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cards about School transport")
    assert_accessible(page, "me too from the track page")
