"""A member of staff signs in with a real browser; the page meets WCAG 2.2 AA."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD


def test_sign_in_and_staff_home_are_accessible(live_server, page, make_user):
    user = make_user("commissioner", email="browser-commissioner@example.org")
    page.goto(live_server + "/login")
    assert_accessible(page, "sign-in page")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    assert page.url.endswith("/staff")
    assert page.locator("h1").inner_text().startswith("Hello,")
    assert_accessible(page, "staff home")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, f"staff home at {width}px")


def test_sign_in_error_state_is_accessible(live_server, page):
    page.goto(live_server + "/login")
    page.click("button:has-text('Sign in')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "sign-in error state")
