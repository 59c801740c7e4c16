"""Staff tables on a phone (390 px): the contract register, a contract, a review, the
returns list, the insight dashboard and "who we are not hearing from" hold tables wider than
the screen (a theme's page too, with longer names). Each scrolls inside its own labelled,
focusable region (templates/_macros/table.html), which shades the edge with more columns and
shows a focus box; the page itself never scrolls sideways."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser
from tests.helpers import TEST_PASSWORD

PHONE = 390

LONG_ACTION = ("Provider to tell families about any cancelled session at least 24 hours ahead, "
               "and report how often it could not.")


def _wide_tables(app) -> dict:
    """A contract whose register row, KPIs, review actions and returns are as wide as the
    demo's: long names, money, overdue tags, an action the provider says is done."""
    from feedback import clock
    from feedback.extensions import db
    from feedback.models import ReviewAction
    from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service
    with app.app_context():
        provider = make_provider(db, "Shire Children and Family Health Trust")
        service = make_service(db, provider, name="Autism and ADHD Assessment Pathway and "
                                                  "related services")
        contract = make_contract(
            db, provider=provider, services=[service], reference="SCC-CYP-2024-004",
            start=date(2024, 4, 1), end=date(2030, 3, 31),
            next_review=clock.today() - timedelta(days=3),
            kpis=(("Assessments completed within 12 weeks", 90, "%", "higher"),
                  ("Families satisfied with the service", 80, "%", "higher"),
                  ("Complaints per quarter", 5, "count", "lower")))
        contract.title = "Autism and ADHD Assessment Pathway and related services"
        contract.annual_value = Decimal("3965000")
        review = make_review(db, contract, status="held")
        review.meeting_date = clock.today() - timedelta(days=30)
        db.session.add(ReviewAction(
            review=review, description=LONG_ACTION, owner="Shire Passenger Transport",
            due_date=clock.today() - timedelta(days=10), status="in_progress",
            completion_claimed_at=datetime.now(timezone.utc)))
        db.session.commit()
        return {"contract": contract.id, "review": review.id}


def _fits_on_a_phone(page, label: str, wide: bool = True) -> None:
    """At 390 px the page is no wider than the screen; every table sits in a scrolling
    region with a name, in the tab order, with a focus box and a shadow at the edge that has
    more. ``wide``: at least one of them is wider than the screen (the page shows the problem)."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE, \
        f"{label} scrolls sideways at {PHONE}px"
    tables = page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => {
        const region = t.parentElement;
        return {wide: t.scrollWidth > region.clientWidth, scrolls: region.scrollWidth > region.clientWidth,
                cls: region.className, role: region.getAttribute('role'),
                label: region.getAttribute('aria-label'), tabindex: region.getAttribute('tabindex'),
                overflow: getComputedStyle(region).overflowX,
                shade: getComputedStyle(region).backgroundImage};
    })""")
    assert tables, f"{label}: no tables"
    for table in tables:
        assert table["cls"] == "app-table-wrapper" and table["role"] == "region" \
            and table["label"] and table["tabindex"] == "0" and table["overflow"] == "auto", \
            f"{label}: a table outside the shared scrolling region: {table}"
        assert "radial-gradient" in table["shade"], f"{label}: no sign the table scrolls"
    assert not wide or any(t["wide"] and t["scrolls"] for t in tables), \
        f"{label}: expected a table wider than {PHONE}px (the test no longer shows the problem)"
    squeezed = page.evaluate("""() => {
        const ctx = document.createElement('canvas').getContext('2d');
        return [...document.querySelectorAll('main .app-table-wrapper table')].flatMap(t =>
            [...t.querySelectorAll('th, td')].map(cell => {
                const style = getComputedStyle(cell);
                ctx.font = style.font;
                const text = cell.innerText.trim();
                const width = cell.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                // A column of words narrower than six ems (about a dozen characters), or than
                // its text on one line when that is shorter, reads a word or less a line; a
                // column of numbers may wrap its heading, but never within a word.
                const numeric = /--numeric/.test(cell.className);
                const longest = Math.max(...text.split(' ').map(w => ctx.measureText(w).width));
                const least = numeric ? longest
                    : Math.min(6 * parseFloat(style.fontSize), ctx.measureText(text).width);
                return {text, width: Math.round(width), least: Math.round(least)};
            }).filter(c => c.text && c.width + 1 < c.least));
    }""")
    assert not squeezed, f"{label}: table cells squeezed narrower than a few characters: {squeezed[:3]}"
    region = page.locator("main .app-table-wrapper").first
    page.keyboard.press("Tab")  # a keyboard user: focus shows as GOV.UK's focus box
    region.focus()
    expect(region).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement).boxShadow") != "none", \
        f"{label}: the focused region shows no focus style"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_wide_staff_tables_scroll_in_their_own_region_on_a_phone(app, live_server, page, make_user):
    made = _wide_tables(app)
    user = make_user("commissioner", email="browser-wide-tables@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    for path, label in (("/contracts", "the contract register"),
                        (f"/contracts/{made['contract']}", "a contract"),
                        (f"/contracts/reviews/{made['review']}", "a review"),
                        ("/returns", "returns")):
        page.goto(live_server + path)
        _fits_on_a_phone(page, label)
        assert_fits(page, label, widths=(PHONE,))


def _voices(app) -> None:
    """Cards enough for themes on the dashboard, from young people who gave their area and
    age, so "who we are not hearing from" has a row per area."""
    from feedback.extensions import db
    from feedback.models import Area
    from tests.factories import make_cards, make_service, run_full
    with app.app_context():
        area = Area(name="Runnymoor and Lower Shirebrook", kind="district")
        db.session.add(area)
        db.session.flush()
        make_cards(db, make_service(db, name="Child and Adolescent Mental Health Service"),
                   area_id=area.id, age_band="14-15")
        run_full(db)
        db.session.remove()


def test_wide_insight_tables_scroll_in_their_own_region_on_a_phone(app, live_server, page,
                                                                    make_user):
    _voices(app)
    user = make_user("commissioner", email="browser-wide-insight@example.org")
    sign_in_browser(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server + "/insight?period=all")
    expect(page.locator("main")).to_contain_text("People heard: 60")
    _fits_on_a_phone(page, "the insight dashboard")
    assert_fits(page, "the insight dashboard", widths=(PHONE,))
    page.locator("main table a.govuk-link").first.click()
    expect(page.locator("h2:has-text('Action cards in this theme')")).to_be_visible()
    _fits_on_a_phone(page, "a theme", wide=False)  # its tables wrap, yet sit in regions
    assert_fits(page, "a theme", widths=(PHONE,))
    page.goto(live_server + "/insight/who-we-are-not-hearing-from?period=all")
    expect(page.locator("th:has-text('Runnymoor')").first).to_be_visible()
    _fits_on_a_phone(page, "who we are not hearing from")
    assert_fits(page, "who we are not hearing from", widths=(PHONE,))
