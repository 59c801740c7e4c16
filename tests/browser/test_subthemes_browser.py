"""A commissioner opens a theme's sub-themes, a sub-theme's page, its curation forms and a
merged theme's page in a real browser; every page meets WCAG 2.2 AA (axe-core) at 320 and
1280 px."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_browser
from tests.helpers import TEST_PASSWORD
from tests.web.test_subthemes import _build


def test_sub_theme_pages_are_accessible(app, live_server, page, make_user):
    from feedback.extensions import db
    with app.app_context():
        theme, subs, _cards, _other = _build(db)
        from feedback.models import Theme
        merged = Theme(key="T7", label="Waiting lists", merged_into_id=theme.id, hidden=True)
        db.session.add(merged)
        db.session.commit()
        theme_id, sub_id, merged_id = theme.id, subs["Waiting for counselling"].id, merged.id
        db.session.remove()
    user = make_user("commissioner", email="subthemes-browser@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    base = f"{live_server}/insight/themes/{theme_id}"
    for url, label in ((f"{base}?period=all", "theme page with sub-themes"),
                       (f"{base}/subthemes/{sub_id}?period=all", "sub-theme page"),
                       (f"{base}/subthemes/{sub_id}/rename", "rename a sub-theme"),
                       (f"{base}/subthemes/{sub_id}/merge", "merge a sub-theme"),
                       (f"{base}/subthemes/{sub_id}/split", "split a sub-theme"),
                       (f"{live_server}/insight/themes/{merged_id}", "a merged theme's page")):
        page.goto(url)
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page, f"{label} at {width}px")
    # The theme page's buttons line up: links and one-button forms share one row.
    page.set_viewport_size({"width": 1280, "height": 900})
    for url in (f"{base}?period=all", f"{base}/subthemes/{sub_id}?period=all"):
        page.goto(url)
        tops = page.eval_on_selector_all(".govuk-button-group .govuk-button",
                                         "els => els.map(e => e.getBoundingClientRect().top)")
        assert len(tops) >= 4 and max(tops) - min(tops) < 1, (url, tops)
    page.goto(f"{base}/subthemes/{sub_id}/rename")
    page.fill("#name", "")
    page.click("button:has-text('Save name')")
    # Wait for the answer to the click, never read the page at once (it may still be the old one).
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the sub-theme")
    assert_accessible(page, "rename a sub-theme with an error")
