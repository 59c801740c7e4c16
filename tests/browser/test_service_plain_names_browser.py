"""An administrator changes the names people see for a service in a real browser: from the
services list to the page, its error state, and the saved names back on the list; each page
meets WCAG 2.2 AA at 320 and 1280 px and nothing scrolls sideways."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser
from tests.helpers import TEST_PASSWORD


def test_an_admin_names_a_service_in_welsh(app, live_server, page, make_user):
    from feedback.extensions import db
    from tests.factories import make_service
    with app.app_context():
        service = make_service(db, name="Youth Counselling Service")
        service.plain_name = "Counselling for young people"
        db.session.commit()
        service_id = service.id
    admin = make_user("admin", email="names-admin@example.org")
    sign_in_browser(page, live_server, admin.email, TEST_PASSWORD)
    page.goto(live_server + "/admin/services")
    page.click("a:has-text('Counselling for young people')")
    expect(page).to_have_url(re.compile(rf"/admin/services/{service_id}/plain-name$"))
    expect(page.locator("#plain_name_cy")).to_have_attribute("lang", "cy")
    assert_fits(page, "names people see")
    page.fill("#plain_name", "   ")
    page.fill("#plain_name_cy", "Cwnsela i bobl ifanc")
    page.click("button:has-text('Save names')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the plain name")
    expect(page.locator("#plain_name_cy")).to_have_value("Cwnsela i bobl ifanc")
    assert_fits(page, "names people see, error state")
    page.fill("#plain_name", "Counselling for young people")
    page.click("button:has-text('Save names')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Saved the names people see for Youth Counselling Service.")
    expect(page.locator("table [lang=cy]")).to_have_text("Cwnsela i bobl ifanc")
    assert_fits(page, "services after saving")
