"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright.

``live_server`` serves the app (SQLite only: one database is enough for
what a browser sees) from a background thread. ``page`` opens a fresh
browser context; ``axe_check(page)`` runs axe-core from npm with the WCAG
2.0/2.1/2.2 A and AA rules and returns the violations.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM} (REQUIRE_BROWSER=1)")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@contextmanager
def serve(app):
    """Serve ``app`` (SQLite only) on a free 127.0.0.1 port from a background thread;
    yields the base URL. ``live_server`` serves the test's app; a test that needs other
    settings (``make_app(RATE_LIMITS=True)``) serves its own."""
    if app.config.get("TEST_DATABASE") != "sqlite":
        pytest.skip("browser journeys run against SQLite")
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture()
def live_server(app):
    """Serve ``app`` on a free 127.0.0.1 port; yields the base URL."""
    with serve(app) as base:
        yield base


@pytest.fixture()
def page(browser, request):
    """A fresh context (phone width unless the test resizes) with CSP bypass for axe only."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# GOV.UK Frontend's conditional reveal sets aria-expanded on the radio that reveals a question.
# ARIA 1.2 does not list it for a radio, so axe reports it; GOV.UK keeps it on purpose (screen
# readers announce it; a known issue: alphagov/govuk-frontend#979 and #1972). Only that
# attribute, on such a radio, is let through; any other aria-allowed-attr finding still fails.
GOVUK_REVEAL_RADIO = "input.govuk-radios__input[aria-controls^='conditional-']"
GOVUK_REVEAL_ONLY = r'^Fix all of the following:\s+ARIA attribute is not allowed: aria-expanded="(true|false)"$'


def _known_govuk_finding(page, violation: dict, node: dict) -> bool:
    return (violation["id"] == "aria-allowed-attr" and len(node["target"]) == 1
            and page.evaluate("([t, s]) => document.querySelector(t).matches(s)",
                              [node["target"][0], GOVUK_REVEAL_RADIO])
            and re.match(GOVUK_REVEAL_ONLY, (node.get("failureSummary") or "").strip()) is not None)


def axe_check(page) -> list[dict]:
    """Run axe-core on the current page; return violations as plain dicts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS)
    found = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if not _known_govuk_finding(page, v, n)]
        if nodes:
            found.append({"id": v["id"], "impact": v["impact"], "help": v["help"],
                          "nodes": [n["target"] for n in nodes][:5]})
    return found


def assert_accessible(page, label: str = "") -> None:
    violations = axe_check(page)
    assert violations == [], f"axe violations on {label or page.url}:\n" + json.dumps(violations, indent=2)


def sign_in_browser(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in'), input[type=submit]")
    page.wait_for_load_state()


WIDTHS = (1280, 320)


def assert_fits(page, label: str, widths=WIDTHS) -> None:
    """axe finds nothing at each width, and nothing scrolls sideways (WCAG 1.4.10 reflow);
    the page is left at 1280 px wide."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"{label} at {width}px")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, \
            f"{label} scrolls sideways at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_out(page) -> None:
    """Leave as a new visitor would arrive: no session cookie (signing out through the menu is
    tested elsewhere; its place in the header differs between widths).

    The page settles first: a request still in flight (the favicon, a script) would come back
    with the old session cookie after it was cleared, and the next sign-in would find someone
    already signed in."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()
