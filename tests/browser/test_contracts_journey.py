"""A commissioner goes from the register to the review pack and downloads the
Word file; every page on the way meets WCAG 2.2 AA (axe-core), at phone and
desktop widths."""
from __future__ import annotations

import re

import time
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD
from tests.factories import build_card


def _contract(app):
    from feedback.extensions import db
    from tests.web.contracts_factories import make_contract
    with app.app_context():
        contract = make_contract(db, reference="BROWSER-1",
                                 next_review=date.today() + timedelta(days=5))
        db.session.add(build_card(kind="stop", text="x", text_redacted="Stop the long waits",
                                  service_id=contract.services[0].id,
                                  moderation_state="approved"))
        db.session.commit()
        return contract.id


def test_register_to_review_pack_and_word_download(live_server, page, make_user, app):
    contract_id = _contract(app)
    user = make_user("commissioner", email="browser-contracts@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    started = time.monotonic()
    page.goto(live_server + "/contracts")
    assert_accessible(page, "contract register")
    page.click("a:has-text('BROWSER-1')")
    assert_accessible(page, "contract page")
    page.click("a:has-text('Start a review')")
    assert_accessible(page, "start review")
    page.click("button:has-text('Start review')")
    expect(page).to_have_url(re.compile(r"/contracts/reviews/"))
    assert_accessible(page, "review page")
    page.click("a:has-text('View the review pack')")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Review pack"))
    assert_accessible(page, "review pack")
    with page.expect_download() as download:
        page.click("a:has-text('Download Word')")
    assert download.value.suggested_filename.startswith("review-pack-BROWSER-1-")
    assert time.monotonic() - started < 60
    review_url = page.url.rsplit("/pack", 1)[0]
    for path, label in (("/pack/print", "printable pack"), ("/kpis", "KPI returns"),
                        ("/actions/new", "record an action"), ("/hold", "record the meeting")):
        page.goto(review_url + path)
        assert_accessible(page, label)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(review_url + "/pack")
    assert_accessible(page, "review pack at 320px")
    # Wide tables scroll inside their own region: the page itself never cuts text off.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(live_server + f"/contracts/{contract_id}")
    assert_accessible(page, "contract page at 320px")


def test_contract_form_error_state_is_accessible(live_server, page, make_user):
    user = make_user("commissioner", email="browser-contracts-form@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server + "/contracts/new")
    assert_accessible(page, "add a contract")
    page.click("button:has-text('Save contract')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "add a contract with errors")


def test_frozen_pack_reopen_and_damaged_pages_are_accessible(live_server, page, make_user, app):
    """Record the meeting, read the frozen pack, the re-open page (and its error
    state), and the page a damaged pack gives, each at phone width too."""
    from feedback.extensions import db
    from feedback.models import ContractReview
    from tests.web.contracts_factories import make_review
    contract_id = _contract(app)
    with app.app_context():
        from feedback.models import Contract
        start = date.today().replace(day=1) - timedelta(days=100)
        review = make_review(db, db.session.get(Contract, contract_id), start,
                             start + timedelta(days=60))
        db.session.commit()
        review_id = review.id
    user = make_user("commissioner", email="browser-frozen@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    review_url = f"{live_server}/contracts/reviews/{review_id}"
    page.goto(review_url + "/hold")
    today = date.today()
    page.fill("#meeting_date-day", str(today.day))
    page.fill("#meeting_date-month", str(today.month))
    page.fill("#meeting_date-year", str(today.year))
    page.click("button:has-text('Record meeting as held')")
    expect(page.locator(".govuk-inset-text").first).to_contain_text("frozen on")
    assert_accessible(page, "held review")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(review_url + "/pack")
        expect(page.locator("#frozen-notice")).to_contain_text("Frozen on")
        assert_accessible(page, f"frozen pack at {width}px")
        page.goto(review_url + "/reopen")
        assert_accessible(page, f"re-open at {width}px")
    page.click("button:has-text('Re-open the review')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "re-open with errors")
    with app.app_context():
        held = db.session.get(ContractReview, review_id)
        held.frozen_pack.pack = {"volume": "damaged"}
        db.session.commit()
    page.goto(review_url + "/pack")
    expect(page.locator("h1")).to_have_text("This review pack cannot be shown")
    assert_accessible(page, "damaged pack at 320px")
