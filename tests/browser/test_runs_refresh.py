"""The runs page refreshes itself while a run is busy, and the refresh can be
stopped (WCAG 2.2.1); the page is checked by axe in that state."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_busy_runs_page_refreshes_until_stopped(app, live_server, page, make_user):
    from feedback.extensions import db
    from feedback.models import AnalysisRun
    from feedback.models.base import utcnow
    with app.app_context():
        db.session.add(AnalysisRun(kind="full", status="running", stage="Finding themes",
                                   progress=30, params={}, started_at=utcnow()))
        db.session.commit()
    user = make_user("commissioner")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(live_server + "/insight/runs")
    stop = page.get_by_role("button", name="Stop refreshing this page")
    stop.wait_for()
    assert "refreshes every 5 seconds" in page.inner_text("main")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"busy runs page {width}px")
    page.wait_for_event("load", timeout=9_000)  # it reloads by itself
    page.get_by_role("button", name="Stop refreshing this page").click()
    expect(page.locator("main")).to_contain_text("no longer refreshes")
    seen = len(loads)
    page.wait_for_timeout(6_500)
    assert len(loads) == seen, "the page reloaded after refreshing was stopped"
