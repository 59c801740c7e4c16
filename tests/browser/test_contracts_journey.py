"""A commissioner goes from the register to the review pack and downloads the
Word file; every page on the way meets WCAG 2.2 AA (axe-core), at phone and
desktop widths."""
from __future__ import annotations

import re

import time
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.conftest import TEST_PASSWORD


def _contract(app):
    from feedback.extensions import db
    from feedback.models import ActionCard
    from tests.web.contracts_factories import make_contract
    with app.app_context():
        contract = make_contract(db, reference="BROWSER-1",
                                 next_review=date.today() + timedelta(days=5))
        db.session.add(ActionCard(kind="stop", text="x", text_redacted="Stop the long waits",
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
