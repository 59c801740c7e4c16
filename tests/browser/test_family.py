"""Family feedback and a forum import in a real browser: 0 WCAG 2.2 AA
violations (axe-core) on every page, at desktop width and at 320 px."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD
from tests.fixtures.family_data import make_services, messy_csv

WIDTHS = (1280, 320)


def check_both_widths(page, label: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{label} at {width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_feedback_form_journey_is_accessible(live_server, page, app):
    make_services(app)
    page.goto(live_server + "/feedback/new")
    assert page.locator("h1").inner_text() == "Give feedback about a service"
    check_both_widths(page, "feedback form")
    page.click("button:has-text('Send feedback')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_both_widths(page, "feedback form with errors")
    page.select_option("#service", label="Portage Home Visiting")
    page.check("input[name=respondent_type][value=parent_carer]")
    page.check("input[name=rating][value='4']")
    page.fill("#went_well", "The nurse explained everything 😊")
    page.fill("#could_be_better", "Letters came late")
    page.click("button:has-text('Send feedback')")
    page.wait_for_url("**/feedback/sent")
    expect(page.locator(".app-receipt-code")).to_be_visible()
    check_both_widths(page, "feedback sent")


def test_import_flow_is_accessible(live_server, page, app, make_user, tmp_path):
    make_services(app)
    user = make_user("forum_rep", organisation="Shire Family Voice")
    data, _ = messy_csv(25)
    upload = tmp_path / "coffee-mornings.csv"
    upload.write_bytes(data)
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server + "/feedback/import")
    check_both_widths(page, "import upload")
    page.click("button:has-text('Upload and check')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_both_widths(page, "import upload with error")
    page.set_input_files("#file", str(upload))
    page.click("button:has-text('Upload and check')")
    page.wait_for_url("**/feedback/import/columns")
    expect(page.locator("table").first).to_be_visible()
    check_both_widths(page, "column mapping with preview")
    page.click("button:has-text('Check every row')")
    page.wait_for_url("**/feedback/import/check")
    assert "Row 12" in page.content()
    check_both_widths(page, "row report")
    page.check("#consent_collected")
    page.click("button:has-text('Import the valid rows')")
    page.wait_for_url("**/feedback/import/batches/*")
    check_both_widths(page, "imported batch")
    page.goto(live_server + "/forum")
    check_both_widths(page, "forum home")
    page.click("a:has-text('Entry ')")
    check_both_widths(page, "forum entry")
    page.goto(live_server + "/forum/entries/new")
    check_both_widths(page, "forum submission form")
