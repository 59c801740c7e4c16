"""A provider's Performance Monitoring Form return in a real browser at 1280 and 320 px,
with axe-core (WCAG 2.2 AA): the provider opens the return from their home, submits it
with a value that is not a number (an error summary), saves a draft, submits it in full,
and sees it locked; the contract manager sees it waiting for a decision."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser, sign_out
from tests.helpers import TEST_PASSWORD
from tests.web.returns_factories import contract_with_manager



def test_provider_fills_in_and_submits_a_return(app, live_server, page, make_user):
    made = contract_with_manager(app, provider_name="Browser returns provider")
    a, b, c = made["kpis"]
    provider = make_user("provider", organisation=made["org"],
                         email="browser-returns@example.org")
    sign_in_browser(page, live_server, provider.email, TEST_PASSWORD)
    page.goto(live_server + "/provider")
    expect(page.locator("#returns-due")).to_contain_text(made["period"].label)
    page.locator("#returns-due a", has_text=made["period"].label).click()
    page.wait_for_url(re.compile(r"/returns/\d+/\d{4}-\d{2}-\d{2}$"))
    expect(page.locator("#status")).to_have_text("Not started")
    assert_fits(page, "a new return")

    page.fill(f"#value_{a}", "abc")
    page.click("button:has-text('Submit return')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("'abc' is not a number")
    assert_fits(page, "a return with errors")

    page.fill(f"#value_{a}", "86")
    page.fill(f"#value_{b}", "5")
    page.click("button:has-text('Save as draft')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft saved")
    expect(page.locator("#status")).to_have_text("Draft")

    page.fill(f"#value_{c}", "2")
    page.fill(f"#narrative_{a}", "Two clinicians left in August; both posts are now filled.")
    page.fill("#heard", "Young people asked for appointments after school.")
    page.fill("#changed", "We opened two evening clinics a week.")
    page.fill("#safeguarding_referrals", "1")
    page.fill("#complaints", "0")
    page.click("button:has-text('Submit return')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return submitted")
    expect(page.locator("#status")).to_have_text("Submitted")
    expect(page.locator("#return-form")).to_have_count(0)
    expect(page.locator("#return-kpis")).to_contain_text("Amber")
    assert_fits(page, "a submitted return")

    sign_out(page)
    manager = make_user("commissioner", email="browser-returns-manager@example.org")
    sign_in_browser(page, live_server, manager.email, TEST_PASSWORD)
    page.goto(live_server + "/returns")
    expect(page.locator("#waiting-returns")).to_contain_text(made["reference"])
    assert_fits(page, "returns for a commissioner")
    page.locator("#waiting-returns a").first.click()
    page.wait_for_url(re.compile(r"/returns/\d+/\d{4}-\d{2}-\d{2}$"))
    assert_fits(page, "a return to decide")
    page.click("button:has-text('Accept return')")
    expect(page.locator("#status")).to_have_text("Accepted")
