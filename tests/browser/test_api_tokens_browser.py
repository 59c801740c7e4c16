"""An administrator makes and revokes an open data API token in a real browser; the
pages (list, error state, the token shown once) meet WCAG 2.2 AA at 320 and 1280 px."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD


def _both_widths(page, label: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, f"{label} at {width}px")


def test_make_and_revoke_a_token(live_server, page, make_user):
    admin = make_user("admin", email="browser-admin@example.org")
    sign_in_browser(page, live_server, admin.email, TEST_PASSWORD)
    page.goto(live_server + "/admin/api-tokens")
    _both_widths(page, "API tokens")
    page.click("button:has-text('Create token')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the system")
    _both_widths(page, "API tokens, error state")
    page.fill("#name", "Power BI, commissioning")
    page.click("button:has-text('Create token')")
    expect(page.locator("h1")).to_contain_text("Token created")
    assert re.search(r"yv_[0-9a-f]{8}_", page.locator("code.app-break-all").inner_text())
    _both_widths(page, "token created")
    page.click("a:has-text('Back to API tokens')")
    page.click("button:has-text('Revoke')")
    expect(page.locator("table")).to_contain_text("Revoked")
    _both_widths(page, "API tokens after revoking")
