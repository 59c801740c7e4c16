"""The youth panel pages in a real browser at 1280 and 320 px, with axe-core (WCAG 2.2 AA):
a participation worker records a session (an error first), marks a theme changed in the
young people's words (an error first), and the public page says the period was checked;
then the population baselines and who we are not hearing from."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser, sign_out
from tests.helpers import TEST_PASSWORD

Q3 = "/youth-panel/quarter/2026-07-01"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def _period(app) -> int:
    """12 cards in August 2026 on "Waiting times" and two answers given in August; the theme id."""
    from feedback.extensions import db
    from feedback.models import ActionCard, Area, Theme, ThemeAssignment
    from tests.factories import make_service
    with app.app_context():
        service = make_service(db, name="Browser Panel Service")
        area = Area(name="Runnymoor", kind="district")
        db.session.add(area)
        db.session.flush()
        cards = [ActionCard(kind="change", text="original", text_redacted=f"The wait was long {i}",
                            service_id=service.id, moderation_state="approved", area_id=area.id,
                            age_band="14-15", created_at=_at(date(2026, 8, 3))) for i in range(12)]
        for text, answer_day in (("Open on Saturdays please", date(2026, 8, 10)),
                                 ("A quiet room at the drop-in", date(2026, 8, 21))):
            cards.append(ActionCard(kind="start", text="original", text_redacted=text,
                                    service_id=service.id, moderation_state="approved",
                                    status="done", status_changed_at=_at(answer_day),
                                    created_at=_at(date(2026, 8, 1))))
        db.session.add_all(cards)
        theme = Theme(key="browser-waiting", label="waiting", curated_name="Waiting times",
                      reviewed=True)
        db.session.add(theme)
        db.session.flush()
        db.session.add_all(ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in cards[:12])
        db.session.commit()
        return theme.id


def test_the_youth_panel_pages_are_accessible_and_record_what_young_people_said(
        app, live_server, page, make_user):
    theme_id = _period(app)
    worker = make_user("participation_worker", email="browser-worker@example.org")
    sign_in_browser(page, live_server, worker.email, TEST_PASSWORD)

    page.goto(live_server + "/youth-panel")
    expect(page.locator("h1")).to_have_text("Youth panel")
    assert_fits(page, "youth panel periods")
    page.locator("a:has-text('July to September 2026')").click()
    expect(page.locator("h1")).to_have_text("July to September 2026")
    assert_fits(page, "a period before any session")

    page.locator("a:has-text('Record a session')").click()
    expect(page.locator("h1")).to_have_text("Record a youth panel session")
    assert_fits(page, "session form")
    page.click("button:has-text('Record the session')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_fits(page, "session form with errors")
    page.fill("#held_on-day", "14")
    page.fill("#held_on-month", "10")
    page.fill("#held_on-year", "2026")
    page.fill("#group_name", "Shire Youth Council")
    page.fill("#young_people", "11")
    page.click("button:has-text('Record the session')")
    page.wait_for_url(re.compile(Q3 + "$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("session is recorded")
    assert_fits(page, "a period with a session")

    page.locator(f"#theme-{theme_id} a:has-text('Mark')").click()
    expect(page.locator("h1")).to_have_text("What the panel said of this theme")
    assert_fits(page, "a theme's verdict form")
    page.check("input[name=verdict][value=changed]")
    page.click("button:has-text('Save')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the young people")
    assert_fits(page, "a verdict form with an error")
    page.check("input[name=verdict][value=changed]")
    page.fill("#wording", "Waiting far too long for help")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(Q3 + r"#theme-\d+$"))
    expect(page.locator(f"#theme-{theme_id}")).to_contain_text("Waiting far too long for help")
    assert_fits(page, "a period with a verdict")

    sign_out(page)
    page.goto(live_server + "/you-said-we-did")
    expect(page.locator("#checked")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Checked by young people on 14 October 2026")
    assert_fits(page, "you said, we did with the panel's check")


def test_baselines_and_who_we_are_not_hearing_from_are_accessible(app, live_server, page,
                                                                  make_user, tmp_path):
    _period(app)
    admin = make_user("admin", email="browser-admin@example.org")
    sign_in_browser(page, live_server, admin.email, TEST_PASSWORD)
    page.goto(live_server + "/admin/baselines")
    expect(page.locator("h1")).to_have_text("Population baselines")
    assert_fits(page, "baseline upload")
    bad = tmp_path / "baselines.csv"
    bad.write_text("Area,Cohort,Population\nRunnymoor,Aged 14 to 15,-3\nNowhere,SEND,10\n")
    page.set_input_files("#file", str(bad))
    page.click("button:has-text('Upload and check')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was loaded")
    assert_fits(page, "baseline upload with row errors")
    good = tmp_path / "good.csv"
    good.write_text("Area,Cohort,Population\nRunnymoor,Aged 14 to 15,2000\n")
    page.set_input_files("#file", str(good))
    page.click("button:has-text('Upload and check')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 baseline loaded")
    assert_fits(page, "baselines loaded")

    sign_out(page)
    commissioner = make_user("commissioner", email="browser-heard@example.org")
    sign_in_browser(page, live_server, commissioner.email, TEST_PASSWORD)
    page.goto(live_server + "/insight/who-we-are-not-hearing-from?period=all")
    expect(page.locator("h1")).to_have_text("Who we are not hearing from")
    expect(page.locator("th:has-text('Runnymoor')").first).to_be_visible()
    assert_fits(page, "who we are not hearing from")
    # At 1280 px both tables (by age, by cohort) fit: no column is cut off behind a scroll.
    regions = page.locator(".app-table-wrapper")
    assert regions.count() == 2
    for n in range(2):
        assert regions.nth(n).evaluate("e => e.scrollWidth <= e.clientWidth"), n
    expect(page.locator("th:has-text('Young carers')")).to_be_visible()
