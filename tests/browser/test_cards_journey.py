"""A young person sends an action card on a phone, keyboard only, in Debian chromium.

Every page of the journey, and every error state, is checked with axe-core
(WCAG 2.0/2.1/2.2 A and AA) at 320 px and 375 px wide. Nothing is clicked:
focus moves with Tab (and Shift+Tab), choices with the arrow keys and Space,
and buttons and links are pressed with Enter. Each stop checks that the
focused element shows the GOV.UK focus style.
"""
from __future__ import annotations

import re

import pytest

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import build_card

LONG_TEXT = "a" * 1001


@pytest.fixture()
def services(app):
    """Two services in different categories, one approved card to support."""
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        club = Service(name="Northgate Youth Club", plain_name="Northgate youth club",
                       thematic_area="health_wellbeing", description="Evening club")
        care = Service(name="Leaving Care Team", plain_name="Leaving care team",
                       thematic_area="corporate_parenting", description="Help after care")
        published = build_card(kind="change", text="More trips please, says Sam",
                               text_redacted="More trips please, says [name]", service=club,
                               moderation_state="approved", safeguarding_flagged=False)
        db.session.add_all([club, care, published])
        db.session.commit()
        return {"club": club.id, "care": care.id, "published": published.id}


# --- keyboard helpers ---------------------------------------------------------

FOCUS_STYLE = """(el) => {
  const target = (el.type === 'radio' || el.type === 'checkbox') && el.nextElementSibling
    ? [el.nextElementSibling, '::before'] : [el, null];
  const style = getComputedStyle(target[0], target[1]);
  const shown = (style.outlineStyle !== 'none' && style.outlineWidth !== '0px')
    || (style.boxShadow && style.boxShadow !== 'none');
  const visible = el.type === 'radio' || el.type === 'checkbox' || el.type === 'hidden'
    ? true : el.getBoundingClientRect().width > 0;
  return shown && visible;
}"""


def focused(page) -> dict:
    return page.evaluate("""() => { const el = document.activeElement;
      return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
              type: el.getAttribute('type'), text: (el.innerText || el.value || '').trim(),
              href: el.getAttribute('href')}; }""")


def tab_to(page, selector: str, text: str | None = None, limit: int = 80,
           backwards: bool = False) -> None:
    """Press Tab until ``selector`` (with ``text``, if given) has focus; fail if
    it never does, or if it shows no focus style."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("""([s, t]) => { const el = document.activeElement;
              return !!el && el.matches(s) && (t === null || el.innerText.trim() === t); }""",
                         [selector, text]):
            assert page.evaluate(f"({FOCUS_STYLE})(document.activeElement)"), \
                f"no visible focus on {selector}: {focused(page)}"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def press(page, selector: str, key: str = "Enter", text: str | None = None) -> None:
    """Tab to ``selector`` and press ``key`` (Enter for links and buttons)."""
    tab_to(page, selector, text)
    with page.expect_navigation():
        page.keyboard.press(key)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then move with the arrow keys to ``value``."""
    tab_to(page, f"input[type=radio][name='{name}']")
    values = page.eval_on_selector_all(f"input[type=radio][name='{name}']",
                                       "els => els.map(e => e.value)")
    for _ in range(len(values)):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == value
    if not page.evaluate("() => document.activeElement.checked"):
        page.keyboard.press("Space")
    assert page.is_checked(f"input[name='{name}'][value='{value}']")


def submit_page(page, label: str = "Continue") -> None:
    press(page, "button.govuk-button", text=label)


def assert_error_state(page, message: str, label: str) -> None:
    expect(page).to_have_title(re.compile(r"^Error:")), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert message in summary.inner_text()
    assert message in page.locator(".govuk-error-message").first.inner_text()
    # govuk-frontend moves focus to the summary so screen readers hear it first.
    assert page.evaluate("() => document.activeElement.closest('.govuk-error-summary') !== null")
    assert_accessible(page, label)


# --- the journey ----------------------------------------------------------------

@pytest.mark.parametrize("width", [320, 375])
def test_card_journey_keyboard_only_is_accessible(live_server, browser, services, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, bypass_csp=True,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    flagged = width == 375  # one run ticks "I don't feel safe" and leaves an email
    try:
        _journey(page, live_server, services, width, flagged)
    finally:
        context.close()


def _journey(page, base, services, width, flagged):
    tag = f"{width}px"
    page.goto(base + "/cards")
    # The first Tab stop is the skip link; Shift+Tab goes back to the page itself.
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#main-content"
    assert "Need help now?" in page.inner_text("body")
    assert "We cannot keep that a secret" in page.inner_text("main")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "page scrolls sideways"
    assert_accessible(page, f"start page {tag}")
    press(page, "a.govuk-button--start")

    # Service: empty submit, browse by category, search by name, choose.
    assert page.url.endswith("/cards/new")
    assert_accessible(page, f"service page {tag}")
    submit_page(page)
    assert_error_state(page, "Select the service, or select I'm not sure", f"service error {tag}")
    press(page, "a[href$='category=corporate_parenting']")
    assert page.locator("input[name=service]").count() == 2  # the care team and I'm not sure
    assert "Leaving care team" in page.inner_text("main")
    assert_accessible(page, f"service browse {tag}")
    tab_to(page, "#q")
    page.keyboard.type("youth")
    press(page, "form[role=search] button")
    assert "q=youth" in page.url and "Northgate youth club" in page.inner_text("main")
    assert_accessible(page, f"service search {tag}")
    choose_radio(page, "service", str(services["club"]))
    submit_page(page)

    # Stop / start / change.
    assert page.url.endswith("/cards/new/kind")
    assert_accessible(page, f"kind page {tag}")
    submit_page(page)
    assert_error_state(page, "Select stop, start or change", f"kind error {tag}")
    choose_radio(page, "kind", "start")
    submit_page(page)

    # What and why: empty, too long (with the live count), then the real text.
    assert page.url.endswith("/cards/new/text")
    assert_accessible(page, f"text page {tag}")
    submit_page(page)
    assert_error_state(page, "Enter what you want the service to do", f"text empty error {tag}")
    tab_to(page, "#text")
    page.keyboard.insert_text(LONG_TEXT)
    page.wait_for_function("() => /too many/.test(document.querySelector("
                           "'.govuk-character-count__status').innerText)")
    assert "1 character too many" in page.inner_text(".govuk-character-count__status")
    submit_page(page)
    assert_error_state(page, "Your card must be 1,000 characters or fewer", f"text too long {tag}")
    assert page.input_value("#text") == LONG_TEXT  # nothing lost
    tab_to(page, "#text")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("Please start a cooking club ")
    page.keyboard.insert_text("🍳")
    page.keyboard.press("Enter")
    page.keyboard.type("On Fridays too")
    page.wait_for_function("() => /You have 9[0-9]{2} characters remaining/.test("
                           "document.querySelector('.govuk-character-count__status').innerText)")
    if flagged:
        tab_to(page, "input[type=checkbox][name=unsafe]")
        page.keyboard.press("Space")
        assert page.is_checked("input[name=unsafe]")
    submit_page(page)

    # About you: optional; an age band and a cohort.
    assert page.url.endswith("/cards/new/about")
    assert_accessible(page, f"about page {tag}")
    choose_radio(page, "age_band", "14-15")
    tab_to(page, "input[type=checkbox][value=young_carer]")
    page.keyboard.press("Space")
    # Focus order runs backwards too: Shift+Tab reaches the box above.
    tab_to(page, "input[type=checkbox][value=send]", backwards=True, limit=1)
    assert not page.is_checked("input[value=send]")
    submit_page(page)

    # Contact: empty, email chosen but missing, then done.
    assert page.url.endswith("/cards/new/contact")
    assert_accessible(page, f"contact page {tag}")
    submit_page(page)
    assert_error_state(page, "Select if you want someone to contact you", f"contact error {tag}")
    if flagged:
        choose_radio(page, "method", "email")
        submit_page(page)
        assert_error_state(page, "Enter your email address", f"contact detail error {tag}")
        tab_to(page, "#detail")
        page.keyboard.type("sam@example.org")
    else:
        choose_radio(page, "method", "none")
    submit_page(page)

    # Check answers, with a Change link that comes back here.
    assert page.url.endswith("/cards/new/check")
    main = page.inner_text("main")
    assert "Please start a cooking club 🍳" in main and "14 to 15, I am a young carer" in main
    assert_accessible(page, f"check answers {tag}")
    press(page, "a[href*='/cards/new/kind?change=1']")
    choose_radio(page, "kind", "change")
    submit_page(page)
    assert page.url.endswith("/cards/new/check") and "Change something" in page.inner_text("main")
    submit_page(page, "Send my card")

    # Confirmation with the receipt code.
    assert page.url.endswith("/cards/new/done")
    code = page.inner_text(".app-receipt-code").strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code), code
    assert "Save this code" in page.inner_text("main")
    if flagged:
        assert "0800 1111" in page.inner_text("main") and "999" in page.inner_text("main")
    assert_accessible(page, f"confirmation {tag}")

    # Track: empty, wrong code, then the real code.
    press(page, "main a[href$='/cards/track']")
    assert_accessible(page, f"track page {tag}")
    submit_page(page, "Check")
    assert_error_state(page, "Enter your code", f"track empty error {tag}")
    tab_to(page, "#code")
    page.keyboard.type("ABCD-EFGH")
    submit_page(page, "Check")
    assert_error_state(page, "We could not find that code", f"track wrong code {tag}")
    tab_to(page, "#code")
    page.keyboard.press("Control+a")
    page.keyboard.type(code.lower().replace("-", ""))
    submit_page(page, "Check")
    assert page.locator("h1").inner_text() == "Your card"
    assert "Where it is now: Received" in page.inner_text("main")
    assert_accessible(page, f"tracked card {tag}")

    # Me too on a published card (the link comes from the browser's address bar).
    page.goto(f"{base}/cards/service/{services['club']}")
    assert "More trips please, says [name]" in page.inner_text("main")
    assert "Sam" not in page.inner_text("main")
    assert_accessible(page, f"service cards {tag}")
    press(page, f"#card-{services['published']} button")
    assert "Thanks. We have added your support." in page.inner_text("main")
    assert "You said me too." in page.inner_text("main")
    assert_accessible(page, f"me too done {tag}")

    # Delete by code: the card's page, are you sure, deleted.
    page.goto(base + "/cards/track")
    tab_to(page, "#code")
    page.keyboard.type(code)
    submit_page(page, "Check")
    submit_page(page, "Delete my card")
    assert page.locator("h1").inner_text() == "Are you sure you want to delete your card?"
    assert_accessible(page, f"delete confirm {tag}")
    submit_page(page, "Yes, delete it")
    assert "Your card has been deleted" in page.inner_text("main")
    assert_accessible(page, f"deleted {tag}")
    # The code no longer works.
    page.goto(base + "/cards/track")
    tab_to(page, "#code")
    page.keyboard.type(code)
    submit_page(page, "Check")
    assert_error_state(page, "We could not find that code", f"track after delete {tag}")


def test_character_count_without_javascript(live_server, browser, services):
    """No JavaScript: the count is a plain hint and the server gives the message."""
    context = browser.new_context(viewport={"width": 320, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/cards/new")
        page.check(f"input[name=service][value='{services['club']}']")
        page.locator("button:text-is('Continue')").press("Enter")
        page.check("input[name=kind][value=stop]")
        page.locator("button:text-is('Continue')").press("Enter")
        assert "You can enter up to 1,000 characters" in page.inner_text(".govuk-character-count")
        page.fill("#text", LONG_TEXT)
        page.locator("button:text-is('Continue')").press("Enter")
        page.wait_for_load_state()
        expect(page).to_have_title(re.compile(r"^Error:"))
        assert "Your card must be 1,000 characters or fewer" in page.inner_text(".govuk-error-message")
        assert page.input_value("#text") == LONG_TEXT
        page.fill("#text", "Stop closing early")
        page.locator("button:text-is('Continue')").press("Enter")
        page.wait_for_load_state()
        assert page.url.endswith("/cards/new/about")
    finally:
        context.close()


def test_database_failure_page_gives_the_text_back_accessibly(live_server, browser, services, app):
    """A real lock on the database while sending: the 503 page, at 320 px, with the text."""
    import sqlite3
    context = browser.new_context(viewport={"width": 320, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server + "/cards/new")
        choose_radio(page, "service", str(services["club"]))
        submit_page(page)
        choose_radio(page, "kind", "stop")
        submit_page(page)
        tab_to(page, "#text")
        page.keyboard.insert_text("Stop <moving> us 🏠\nwithout asking")
        submit_page(page)
        submit_page(page)  # about you: skipped
        choose_radio(page, "method", "none")
        submit_page(page)
        lock = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].split("///", 1)[1],
                               isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            submit_page(page, "Send my card")  # waits out the app's busy timeout
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert page.locator("h1").inner_text() == "Sorry, the service is unavailable"
        given = page.inner_text(".app-text-given-back")
        assert given == "Stop <moving> us 🏠\nwithout asking"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        assert_accessible(page, "503 page with the text given back")
        page.go_back()
        submit_page(page, "Send my card")  # the database is back: the same card is saved
        assert page.url.endswith("/cards/new/done")
        from feedback.extensions import db
        from feedback.models import ActionCard
        with app.app_context():
            saved = db.session.execute(db.select(ActionCard).filter(
                ActionCard.text.like("Stop <moving>%"))).scalars().all()
            assert [c.text for c in saved] == ["Stop <moving> us 🏠\nwithout asking"]
    finally:
        context.close()
