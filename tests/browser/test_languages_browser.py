"""Every public page in English, Welsh and easy read in a real browser at 320 px: axe-core
(WCAG 2.2 AA) finds nothing and no page scrolls sideways.

The walk visits the home, help, accessibility and privacy pages, the service list (with and
without a search), a service page, its "me too" cards (and after pressing "me too"), every
step of the card journey and its error, the confirmation (and the flagged card's "help now"
panel, and the page seen again), the track page (its errors, a new card, an answered card
with a provider's reply), deleting (the question and the deleted page), the family feedback
form (its errors and receipt), "you said, we did" (with a search) and the 404 page. Each page
it checks is matched to its endpoint; ``test_..._each_language`` fails when a public GET
endpoint (``PUBLIC_BLUEPRINTS`` and ``PUBLIC_ENDPOINTS`` in feedback/i18n.py) was not
visited, so a new public page cannot be missed. The "too many tries" pages need a rate limit
and have their own test; easy read's read-aloud button is shown only where the browser can
speak."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, serve
from tests.i18n_helpers import (answered_card_with_reply, compile_catalogues, endpoint_of,
                                many_answered_cards, public_get_endpoints)
from tests.fixtures.family_data import make_services

# The language and a few words its pages must show (the choice really took effect).
LANGUAGES = {
    "en": ("en", "Action cards", "Continue"),
    "cy": ("cy", "Cardiau gweithredu", "Parhau"),
    "easy": ("en", "Action cards", "Next"),
}
# A card of the young person's own, answered "not possible" with a provider's reply.
ANSWERED_CODE = "K7QF-29MD"
# Words the safeguarding screen holds for a lead: the confirmation shows "help now".
WORRYING = "I want to die, nobody at the club listens to me"


@pytest.fixture()
def club(app):
    """The family form's services and a youth club with published cards (two pages of them,
    and of answers), one answered with a provider's reply and the receipt code
    ``ANSWERED_CODE``."""
    compile_catalogues()
    from feedback.extensions import db
    from tests.factories import make_card, make_service
    make_services(app)
    with app.app_context():
        service = make_service(db, name="Northgate Youth Club", thematic_area="corporate_parenting")
        service.description = "Evening club for young people in care"
        make_card(db, service=service, text="Please keep the Friday session going", kind="stop")
        make_card(db, service=service, text="Open on Saturdays", kind="start", me_too_count=3)
        answered_card_with_reply(db, service, ANSWERED_CODE)
        many_answered_cards(db, service)
        db.session.commit()
        return service.id


class Walk:
    """Checks each page at 320 px in one language and notes the endpoint that showed it."""

    def __init__(self, app, page, language: str):
        self.app, self.page, self.language = app, page, language
        self.lang = LANGUAGES[language][0]
        self.visited: set[str] = set()
        self.checked = 0

    def check(self, label: str) -> None:
        page = self.page
        label = f"{label} ({self.language})"
        expect(page.locator("html")).to_have_attribute("lang", self.lang)
        assert_accessible(page, f"{label} at 320px")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, \
            f"{label} scrolls sideways at 320px"
        self.visited.add(endpoint_of(self.app, page.url))
        self.checked += 1

    def go(self, base: str, path: str, label: str) -> None:
        self.page.goto(base + path)
        self.check(label)

    def press(self, words: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(f"button:text-is('{words}')").click()

    def send_form(self, selector: str = "form button") -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).last.click()


def _card_journey(walk: Walk, base: str, club: int, text: str, check_steps: bool,
                  sent: bool = True) -> None:
    """Through every step and send (to the confirmation when ``sent``); with ``check_steps``
    each step and its errors are checked on the way."""
    page, next_words = walk.page, LANGUAGES[walk.language][2]
    check = walk.check if check_steps else (lambda label: None)
    page.goto(base + "/cards/new")
    check("service step")
    if check_steps:
        walk.press(next_words)  # nothing chosen
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check("service step with an error")
        page.goto(base + "/cards/new?q=club")
        check("service step with a search")
    page.check(f"input[name=service][value='{club}']")
    walk.press(next_words)
    page.wait_for_url(re.compile(r"/cards/new/kind$"))
    check("kind step")
    if check_steps:
        walk.press(next_words)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check("kind step with an error")
    page.check("input[name=kind][value=start]")
    walk.press(next_words)
    page.wait_for_url(re.compile(r"/cards/new/text$"))
    check("text step")
    if check_steps:
        walk.press(next_words)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check("text step with an error")
    page.fill("#text", text)
    walk.press(next_words)
    page.wait_for_url(re.compile(r"/cards/new/about$"))
    check("about step")
    walk.press(next_words)
    page.wait_for_url(re.compile(r"/cards/new/contact$"))
    check("contact step")
    if check_steps:
        walk.press(next_words)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check("contact step with an error")
        page.check("input[name=method][value=email]")
        walk.press(next_words)  # email chosen, no address
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check("contact step without an email address")
    page.check("input[name=method][value=none]")
    walk.press(next_words)
    page.wait_for_url(re.compile(r"/cards/new/check$"))
    check("check step")
    with page.expect_navigation():
        page.locator("form[action$='/cards/new/check'] button").click()
    if sent:
        page.wait_for_url(re.compile(r"/cards/new/done$"))


def walk_public_pages(walk: Walk, base: str, club: int) -> None:
    page = walk.page
    walk.go(base, f"/?lang={walk.language}", "home")
    page.goto(base + "/cards")
    expect(page.locator("h1")).to_have_text(LANGUAGES[walk.language][1])  # the cookie kept it
    walk.check("start page")
    for path, label in (("/help", "help"), ("/accessibility", "accessibility statement"),
                        ("/privacy", "privacy notice"), ("/services", "service list"),
                        ("/services?q=club", "service list searched"),
                        ("/services?q=zebra", "service list searched, nothing found"),
                        ("/services?category=corporate_parenting", "service list by type"),
                        (f"/services/{club}", "service page"),
                        (f"/cards/service/{club}", "me too cards"),
                        (f"/cards/service/{club}?kind=stop", "me too cards to stop"),
                        (f"/cards/service/{club}?kind=change", "me too cards, none to change"),
                        (f"/cards/service/{club}?page=2", "me too cards, page 2"),
                        (f"/cards/service/{club}?page=9", "me too cards past the last page"),
                        ("/you-said-we-did", "you said, we did"),
                        ("/you-said-we-did?q=trip", "you said, we did searched"),
                        ("/you-said-we-did?q=zebra", "you said, we did, nothing found"),
                        ("/you-said-we-did?page=2", "you said, we did, page 2"),
                        ("/no-such-page", "page not found")):
        walk.go(base, path, label)
    for path in (f"/cards/service/{club}?page=2", "/you-said-we-did?page=2"):
        page.goto(base + path)  # checked above: they have a second page
        expect(page.locator(".govuk-pagination")).to_be_visible()
    page.goto(f"{base}/cards/service/{club}")
    with page.expect_navigation():
        page.locator("form[action*='/me-too'] button").first.click()
    expect(page.locator(".govuk-summary-card strong").first).to_be_visible()
    walk.check("me too cards after pressing me too")

    _card_journey(walk, base, club, "A cooking club on Fridays, please", check_steps=True)
    walk.check("card sent")
    code = page.inner_text(".app-receipt-code").strip()
    page.reload()
    walk.check("card sent, seen again")
    _card_journey(walk, base, club, WORRYING, check_steps=False)
    expect(page.locator("a[href='tel:08001111']")).to_be_visible()
    walk.check("flagged card sent, with help now")

    page.goto(base + "/cards/track")
    walk.check("track page")
    walk.send_form()  # no code
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    walk.check("track page with an error")
    page.fill("#code", "ZZZZ-9999")
    walk.send_form()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    walk.check("track page, code not found")
    page.fill("#code", ANSWERED_CODE)
    walk.send_form("main form button")
    expect(page.locator(".app-provider-reply")).to_be_visible()
    walk.check("answered card tracked")
    page.goto(base + "/cards/track")
    page.fill("#code", code)
    walk.send_form("main form button")
    expect(page.locator(".app-track-steps")).to_be_visible()
    walk.check("new card tracked")
    walk.send_form("form[action$='/cards/track/delete'] button")
    walk.check("delete question")
    walk.send_form("form[action$='/cards/track/delete'] button")
    walk.check("card deleted")

    page.goto(base + "/feedback/new")
    walk.check("feedback form")
    walk.send_form("main form button")  # sent empty: errors in this language
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    walk.check("feedback form with errors")
    page.select_option("#service", label="Portage Home Visiting")
    page.check("input[name=respondent_type][value=parent_carer]")
    page.check("input[name=rating][value='4']")
    page.fill("#went_well", "The nurse explained everything")
    walk.send_form("main form button")
    page.wait_for_url(re.compile(r"/feedback/sent$"))
    expect(page.locator(".app-receipt-code")).to_be_visible()
    walk.check("feedback sent")
    code = page.inner_text(".app-receipt-code").strip()
    page.goto(base + "/cards/track")
    page.fill("#code", code)
    walk.send_form("main form button")
    expect(page.locator(".app-track-steps")).to_be_visible()
    walk.check("feedback tracked")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_is_accessible_in_each_language(app, live_server, page, club,
                                                          language):
    page.set_viewport_size({"width": 320, "height": 740})
    walk = Walk(app, page, language)
    started = time.monotonic()
    walk_public_pages(walk, live_server, club)
    print(f"\n{language}: {walk.checked} pages checked at 320px in "
          f"{time.monotonic() - started:.0f} s")
    missed = public_get_endpoints(app) - walk.visited
    assert missed == set(), f"public pages the walk does not visit: {sorted(missed)}"
    assert "404" in walk.visited


def test_the_walk_knows_every_public_page(app):
    """The endpoints the coverage check asks for are the public ones, and a public page
    added to the app is asked for too (the check can fail)."""
    found = public_get_endpoints(app)
    assert {"main.index", "main.privacy", "cards.track", "cards.service_cards",
            "family.feedback_sent", "insight.you_said_we_did"} <= found
    assert not {"main.staff_home", "main.healthz", "cards.delete", "cards.me_too"} & found
    assert endpoint_of(app, "http://127.0.0.1:5000/cards/track/delete") == "cards.delete"
    assert endpoint_of(app, "http://127.0.0.1:5000/nothing-here?lang=cy") == "404"
    from feedback import create_app
    from tests.helpers import app_settings
    bigger = create_app(app_settings("sqlite://"))
    bigger.add_url_rule("/cards/new-page", "cards.new_page", lambda: "")
    assert public_get_endpoints(bigger) - found == {"cards.new_page"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_tries_pages_are_accessible_in_each_language(app, make_app, page, club,
                                                              language):
    """The family form's kind refusal (its words given back), and the card journey's and the
    track page's "too many tries" pages, with limits of one a minute."""
    limited = make_app(RATE_LIMITS=True, SUBMIT_RATE_LIMIT="1 per minute",
                       TRACK_RATE_LIMIT="1 per minute", RATELIMIT_STORAGE_URI="memory://")
    page.set_viewport_size({"width": 320, "height": 740})
    walk = Walk(limited, page, language)
    with serve(limited) as base:
        page.goto(f"{base}/?lang={language}")
        for attempt in range(2):
            page.goto(base + "/feedback/new")
            page.select_option("#service", label="Portage Home Visiting")
            page.check("input[name=respondent_type][value=parent_carer]")
            page.check("input[name=rating][value='4']")
            page.fill("#went_well", f"Visit {attempt}: the staff were kind")
            walk.send_form("main form button")
        expect(page.locator("text=Visit 1: the staff were kind")).to_be_visible()
        walk.check("feedback form, too many tries")
        for attempt in range(2):
            _card_journey(walk, base, club, f"A cooking club, try {attempt}", check_steps=False,
                          sent=attempt == 0)
        assert page.url.endswith("/cards/new/check")
        walk.check("card journey, too many tries")
        for attempt in range(2):
            page.goto(base + "/cards/track")
            page.fill("#code", "ZZZZ-9999")
            walk.send_form("main form button")
        walk.check("track page, too many tries")


def test_read_aloud_is_shown_only_where_the_browser_can_speak(app, live_server, browser, club):
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
        Walk(app, page, "easy").check("easy read start page with read aloud")
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
