"""The public journeys in English, Welsh and easy read in a real browser at 320 px, with
axe-core (WCAG 2.2 AA) on the start page, each step of the card journey, the track page and
the feedback form; easy read's read-aloud button shown only where the browser can speak."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.i18n_helpers import compile_catalogues
from tests.fixtures.family_data import make_services

# The language and a few words its pages must show (the choice really took effect).
LANGUAGES = {
    "en": ("en", "Action cards", "Continue"),
    "cy": ("cy", "Cardiau gweithredu", "Parhau"),
    "easy": ("en", "Action cards", "Next"),
}


@pytest.fixture()
def club(app):
    compile_catalogues()
    from feedback.extensions import db
    from tests.factories import make_service
    make_services(app)
    with app.app_context():
        service = make_service(db, name="Northgate Youth Club", thematic_area="corporate_parenting")
        db.session.commit()
        return service.id


def _check(page, label: str, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"{label} at 320px")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, \
        f"{label} scrolls sideways at 320px"


def _continue(page, words: str) -> None:
    with page.expect_navigation():
        page.locator(f"button:text-is('{words}')").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_journeys_are_accessible_in_each_language(live_server, page, club, language):
    lang, heading, next_words = LANGUAGES[language]
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(f"{live_server}/?lang={language}")
    _check(page, f"home ({language})", lang)
    page.goto(live_server + "/cards")
    expect(page.locator("h1")).to_have_text(heading)  # the cookie kept the choice
    _check(page, f"start page ({language})", lang)

    page.goto(live_server + "/cards/new")
    _check(page, f"service step ({language})", lang)
    page.check(f"input[name=service][value='{club}']")
    _continue(page, next_words)
    page.wait_for_url(re.compile(r"/cards/new/kind$"))
    _check(page, f"kind step ({language})", lang)
    _continue(page, next_words)  # nothing chosen: the error in this language
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, f"kind step with an error ({language})", lang)
    page.check("input[name=kind][value=start]")
    _continue(page, next_words)
    page.wait_for_url(re.compile(r"/cards/new/text$"))
    _check(page, f"text step ({language})", lang)
    page.fill("#text", "A cooking club on Fridays, please")
    _continue(page, next_words)
    page.wait_for_url(re.compile(r"/cards/new/about$"))
    _check(page, f"about step ({language})", lang)
    _continue(page, next_words)
    page.wait_for_url(re.compile(r"/cards/new/contact$"))
    _check(page, f"contact step ({language})", lang)
    page.check("input[name=method][value=none]")
    _continue(page, next_words)
    page.wait_for_url(re.compile(r"/cards/new/check$"))
    _check(page, f"check step ({language})", lang)
    with page.expect_navigation():
        page.locator("form[action$='/cards/new/check'] button").click()
    page.wait_for_url(re.compile(r"/cards/new/done$"))
    _check(page, f"card sent ({language})", lang)
    code = page.inner_text(".app-receipt-code").strip()

    page.goto(live_server + "/cards/track")
    _check(page, f"track page ({language})", lang)
    page.fill("#code", code)
    with page.expect_navigation():
        page.locator("form button").last.click()
    expect(page.locator(".app-track-steps")).to_be_visible()
    _check(page, f"tracked card ({language})", lang)

    page.goto(live_server + "/feedback/new")
    _check(page, f"feedback form ({language})", lang)
    with page.expect_navigation():
        page.locator("form button").last.click()  # sent empty: errors in this language
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, f"feedback form with errors ({language})", lang)


def test_read_aloud_is_shown_only_where_the_browser_can_speak(live_server, browser, club):
    context = browser.new_context(viewport={"width": 320, "height": 740}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/cards?lang=easy")
        page.wait_for_load_state("load")
        speaks = page.evaluate("() => !!window.speechSynthesis")
        button = page.locator("[data-read-aloud]")
        if speaks:
            expect(button).to_be_visible()
        else:
            expect(button).to_be_hidden()
        _check(page, "easy read start page with read aloud", "en")
        page.goto(f"{live_server}/cards?lang=en")
        assert page.locator("[data-read-aloud]").count() == 0
    finally:
        context.close()
    quiet = browser.new_context(viewport={"width": 320, "height": 740}, bypass_csp=True)
    try:
        quiet.add_init_script("Object.defineProperty(window, 'speechSynthesis', {value: undefined});")
        page = quiet.new_page()
        page.goto(f"{live_server}/cards?lang=easy")
        page.wait_for_load_state("load")
        expect(page.locator("[data-read-aloud]")).to_be_hidden()
    finally:
        quiet.close()
