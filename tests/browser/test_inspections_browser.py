"""Young Inspectors' reports in a real browser at 1280 and 320 px, with axe-core (WCAG 2.2
AA): the participation worker records a report (errors first, then a clean save), the report
page, the standards page, and the provider's response from its home."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser, sign_out
from tests.helpers import TEST_PASSWORD

RESPONSE = "Thank you. New posters go up next week, chosen with the youth council."


def test_the_inspection_form_report_and_response_are_accessible(app, live_server, page,
                                                                make_user):
    from feedback import clock
    from feedback.extensions import db
    from feedback.inspections.standards import add_default_standards, standards
    from tests.web.contracts_factories import make_provider, make_service
    with app.app_context():
        org = make_provider(db, "Browser Youth Trust")
        service = make_service(db, org, name="Browser Youth Club")
        add_default_standards()
        db.session.commit()
        standard_ids = [s.id for s in standards()]
        service_id = service.id
    worker = make_user("participation_worker", email="browser-participation@example.org")
    provider = make_user("provider", organisation="Browser Youth Trust",
                         email="browser-inspection-provider@example.org")

    sign_in_browser(page, live_server, worker.email, TEST_PASSWORD)
    page.goto(live_server + "/inspections")
    expect(page.locator("h1")).to_have_text("Young Inspectors' reports")
    assert_fits(page, "the reports")
    page.click("text=Record a report")
    page.wait_for_url(re.compile(r"/inspections/new$"))
    expect(page.locator("h1")).to_have_text("Record a Young Inspectors' report")
    assert_fits(page, "the inspection form")

    page.fill("#group_name", "Jayden, Olivia and Ethan")
    page.click("button:has-text('Save the report')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the service")
    assert_fits(page, "the inspection form with errors")

    page.select_option("#service", str(service_id))
    today = clock.today()
    page.fill("#visit_date-day", str(today.day))
    page.fill("#visit_date-month", str(today.month))
    page.fill("#visit_date-year", str(today.year))
    page.fill("#inspectors", "6")
    for n, sid in enumerate(standard_ids):
        page.check(f"input[name='score_{sid}'][value='{n % 4 + 1}']")
    page.fill("#what_was_good", "Staff said hello and the room felt calm.")
    page.fill("#should_change", "Put a sign with the opening hours outside\nMore posters for teenagers")
    page.click("button:has-text('Save the report')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("This looks like a list of names")
    page.fill("#group_name", "Browser Young Inspectors")
    page.click("button:has-text('Save the report')")
    page.wait_for_url(re.compile(r"/inspections/\d+$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report saved")
    expect(page.locator("#items")).to_contain_text("Waiting for moderation")
    assert_fits(page, "the report")
    report_url = page.url

    page.goto(live_server + "/inspections")
    expect(page.locator("table")).to_contain_text("Browser Youth Club")
    assert_fits(page, "the reports with one")
    page.goto(live_server + "/inspections/standards")
    expect(page.locator("h1")).to_have_text("Inspection standards")
    assert_fits(page, "the standards")
    page.click("text=Add a standard")
    page.wait_for_url(re.compile(r"/inspections/standards/new$"))
    assert_fits(page, "the standard form")
    page.click("button:has-text('Save the standard')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the standard")
    assert_fits(page, "the standard form with errors")
    page.fill("#name", "Being safe online")
    page.fill("#description", "Whether wifi, apps and screens are safe for young people.")
    page.click("button:has-text('Save the standard')")
    page.wait_for_url(re.compile(r"/inspections/standards$"))
    expect(page.locator("main")).to_contain_text("Being safe online")
    sign_out(page)

    sign_in_browser(page, live_server, provider.email, TEST_PASSWORD)
    page.goto(live_server + "/provider")
    expect(page.locator("#young-inspectors")).to_be_visible()
    assert_fits(page, "the provider home with a report")
    page.locator("a:has-text('Write your response')").first.click()
    page.wait_for_url(re.compile(r"/inspections/\d+/response$"))
    assert_fits(page, "the response form")
    page.click("button:has-text('Save your response')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your response")
    page.fill("#response", RESPONSE)
    page.click("button:has-text('Save your response')")
    page.wait_for_url(report_url)
    expect(page.locator("#response")).to_have_text(RESPONSE)
    assert_fits(page, "the report with the provider's response")
