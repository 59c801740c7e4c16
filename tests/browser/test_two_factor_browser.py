"""In a real browser: a safeguarding lead sets up two-factor sign-in from their
account, saves recovery codes, signs out and in again with a code;
an administrator's people pages. axe-core WCAG 2.2 AA at 320 px on each page."""
from __future__ import annotations

import re
import time

import pyotp

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD


def test_enrol_and_sign_in_with_a_code(live_server, page, make_user):
    user = make_user("safeguarding_lead")
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server + "/account")
    page.click("a:has-text('Set up')")
    assert page.url.endswith("/account/two-factor/set-up")
    assert page.locator("img.app-qr-code").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page, "two-factor set-up")
    page.click("text=Turn on two-factor sign-in")  # empty: an error, nothing lost
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "two-factor set-up with an error")
    secret = page.locator(".app-secret-key code").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("text=Turn on two-factor sign-in")
    # Wait for the next page: reading the old one while it loads would find no codes.
    expect(page.locator(".app-recovery-codes code")).to_have_count(10)
    assert_accessible(page, "recovery codes")
    page.click("text=I have saved my codes: continue")
    page.click("button:has-text('Sign out')")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/security-code$"))
    assert_accessible(page, "security code")
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("text=Continue")
    expect(page).to_have_url(re.compile(r"/staff$"))


def test_people_pages(live_server, page, make_user):
    make_user("moderator", name="Mo Derator")
    admin = make_user("admin")
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_browser(page, live_server, admin.email, TEST_PASSWORD)
    page.goto(live_server + "/admin/users")
    assert_accessible(page, "people")
    page.click("text=Mo Derator")
    assert_accessible(page, "edit person")
    page.goto(live_server + "/admin/users/new")
    page.click("button:has-text('Send invitation')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "add a person with errors")
    page.goto(live_server + "/account")
    assert_accessible(page, "your account")
    page.goto(live_server + "/account/password")
    assert_accessible(page, "change password")
    assert re.search(r"Your account", page.content())
