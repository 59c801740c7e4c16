"""English, Welsh and easy read on the public pages, through the HTTP client on SQLite and
PostgreSQL: the choice kept in a cookie and shown, every page walked with no untranslated
string, caches never serving one language to another, staff pages English, and Welsh words
held for a person because the safeguarding screen reads English only."""
from __future__ import annotations

import re

import pytest

from tests.helpers import csrf_token, post_form
from tests.i18n_helpers import (LOCALES, MANY_CARDS, answered_card_with_reply, catalogue,
                                compile_catalogues, endpoint_of, fragments,
                                many_answered_cards, page_text, public_get_endpoints,
                                public_ids, text_pieces)
from tests.web.test_cards import cards, go_through, send
from tests.web.test_family_form import answers, entries, form_token
from tests.fixtures.family_data import make_services

WELSH_CARD = "Dw i ddim yn hoffi'r clwb ieuenctid achos mae'r athrawon yn gas efo fi bob nos"
WELSH_WORDS = ("Cardiau gweithredu", "Neidio i'r prif gynnwys", "Angen help nawr?",
               "Cyfieithiad heb ei adolygu eto")


@pytest.fixture(scope="module", autouse=True)
def compiled():
    compile_catalogues()


ANSWERED_CODE = "K7QF-29MD"
WORRYING = "I want to die, nobody at the club listens to me"


@pytest.fixture()
def world(app):
    """Two services (one with published cards to say "me too" to, answers on "you said, we
    did", enough of both for a second page, and a card of the visitor's own answered with a
    provider's reply, receipt code ``ANSWERED_CODE``) and the family form's."""
    from feedback.extensions import db
    from tests.factories import make_card, make_service
    family = make_services(app)
    with app.app_context():
        club = make_service(db, name="Northgate Youth Club", thematic_area="corporate_parenting")
        club.description = "Evening club for young people in care"
        agreed = make_card(db, service=club, text="Please keep the Friday session going",
                           kind="stop")
        make_card(db, service=club, text="Open on Saturdays", kind="start", status="done")
        make_card(db, service=club, text="Stop the trip fees", kind="stop",
                  status="not_possible", status_reason="The council sets the fees")
        make_card(db, text="More buses at night", kind="change", status="done")
        answered_card_with_reply(db, club, ANSWERED_CODE)
        many_answered_cards(db, club)
        db.session.commit()
        return {"club": club.id, "family": family, "card": agreed.id}


def visitor(app, language=None):
    client = app.test_client()
    if language:
        client.get(f"/?lang={language}")
    return client


def lang_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]


def html_of(response) -> str:
    assert response.status_code < 500
    return response.get_data(as_text=True)


def untranslated(locale: str, markup: str) -> list[str]:
    """English words of the catalogue the page shows although it has a translation."""
    po = catalogue(locale)
    translations = " ".join(" ".join(m.string) if isinstance(m.string, tuple) else m.string
                            for m in po if m.id)
    text = page_text(markup)
    found = []
    for message in po:
        if message.id not in public_ids():
            continue  # not shown on a public page
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if set(ids) <= set(strings):
            continue  # the same words in both (a name, "Beta")
        for english in ids:
            for part in fragments(english):
                if len(part) >= 12 and part not in translations and part in text:
                    found.append(part)
    return found


class Pages(dict):
    """Page name -> HTML, noting the endpoint that answered each (``endpoints``), so the walk
    can be checked against every public page."""

    def __init__(self, app):
        super().__init__()
        self.app = app
        self.endpoints: set[str] = set()
        self._last = None

    def _finished(self, sender, response, **extra):
        from flask import request
        self._last = request.endpoint or "404"

    def __enter__(self):
        from flask import request_finished
        request_finished.connect(self._finished, self.app)
        return self

    def __exit__(self, *exc):
        from flask import request_finished
        request_finished.disconnect(self._finished, self.app)

    def add(self, name: str, response) -> str:
        """Keep ``response`` (the last request made) as the page ``name``."""
        self[name] = html_of(response)
        self.endpoints.add(self._last)
        return self[name]


def walk(app, world, language) -> Pages:
    """Every public page in ``language`` (None: English), by address or step."""
    client = visitor(app, language)
    club = world["club"]
    with Pages(app) as pages:
        for url in (
                "/", "/help", "/accessibility", "/privacy", "/cards", "/cards/new",
                "/cards/new?q=club", "/cards/track", "/services", "/services?q=club",
                "/services?q=zebra", f"/services/{club}", f"/cards/service/{club}",
                f"/cards/service/{club}?kind=stop", f"/cards/service/{club}?kind=other",
                f"/cards/service/{club}?page=2", f"/cards/service/{club}?page=9",
                "/services?category=corporate_parenting", "/you-said-we-did?page=2",
                "/feedback/new", "/no-such-page", "/you-said-we-did", "/you-said-we-did?q=zebra",
                f"/you-said-we-did?service={club}&kind=stop", "/you-said-we-did?page=9",
                "/you-said-we-did?service=999999&kind=other&page=x&q=" + "word " * 9):
            pages.add(url, client.get(url))
        for url in (f"/cards/service/{club}?page=2", "/you-said-we-did?page=2"):
            assert "govuk-pagination" in pages[url], url
        post_form(client, f"/cards/{world['card']}/me-too", {},
                  form_url=f"/cards/service/{club}")
        pages.add("me too: pressed", client.get(f"/cards/service/{club}"))
        pages.add("card: no service chosen", post_form(client, "/cards/new", {"service": ""}))
        check, token = go_through(client, club)
        pages.add("card: check", check)
        for step in ("kind", "text", "about", "contact"):
            pages.add(f"card: {step}", client.get(f"/cards/new/{step}"))
        pages.add("card: no kind chosen", post_form(client, "/cards/new/kind", {"kind": ""}))
        pages.add("card: empty text", post_form(client, "/cards/new/text", {"text": ""}))
        pages.add("card: no contact chosen", post_form(client, "/cards/new/contact", {}))
        pages.add("card: no email address",
                  post_form(client, "/cards/new/contact", {"method": "email", "detail": ""}))
        pages.add("card: a bad phone number",
                  post_form(client, "/cards/new/contact", {"method": "phone", "detail": "12"}))
        post_form(client, "/cards/new/contact", {"method": "none"})
        send(client, token)
        code = re.search(r'app-receipt-code">([^<]+)<',
                         pages.add("card: sent", client.get("/cards/new/done"))).group(1)
        pages.add("card: sent, seen again", client.get("/cards/new/done"))
        _, token = go_through(client, club, text=WORRYING)
        send(client, token)
        assert "tel:08001111" in pages.add("card: flagged, help now", client.get("/cards/new/done"))
        pages.add("track: empty", post_form(client, "/cards/track", {"code": ""}))
        pages.add("track: not found", post_form(client, "/cards/track", {"code": "ZZZZ-9999"}))
        assert "app-provider-reply" in pages.add(
            "track: answered", post_form(client, "/cards/track", {"code": ANSWERED_CODE}))
        pages.add("track: found", post_form(client, "/cards/track", {"code": code}))
        pages.add("track: delete?", post_form(client, "/cards/track/delete", {"code": code},
                                              form_url="/cards/track"))
        pages.add("track: deleted", post_form(client, "/cards/track/delete",
                                              {"code": code, "confirm": "yes"},
                                              form_url="/cards/track"))
        csrf, form = form_token(client)
        pages.add("feedback: errors", client.post("/feedback/new", data=answers(
            world["family"], form, csrf, went_well="", could_be_better="", rating=None)))
        csrf, form = form_token(client)
        client.post("/feedback/new", data=answers(world["family"], form, csrf))
        code = re.search(r'app-receipt-code">([^<]+)<',
                         pages.add("feedback: sent", client.get("/feedback/sent"))).group(1)
        pages.add("track: feedback", post_form(client, "/cards/track", {"code": code}))
    return pages


def too_many_tries(make_app, world, language) -> Pages:
    """The "too many tries" pages of the family form, the card journey and the track page
    (limits of one a minute)."""
    app = make_app(RATE_LIMITS=True, SUBMIT_RATE_LIMIT="1 per minute",
                   TRACK_RATE_LIMIT="1 per minute", RATELIMIT_STORAGE_URI="memory://")
    client = visitor(app, language)
    with Pages(app) as pages:
        for attempt in range(2):
            csrf, form = form_token(client)
            response = client.post("/feedback/new", data=answers(
                world["family"], form, csrf, went_well=f"Visit {attempt}: the staff were kind"))
        assert response.status_code == 429
        pages.add("feedback: too many", response)
        for attempt in range(2):
            _, token = go_through(client, world["club"], text=f"A cooking club, try {attempt}")
            response = send(client, token)
        assert response.status_code == 429
        pages.add("card: too many", response)
        for attempt in range(2):
            response = post_form(client, "/cards/track", {"code": "ZZZZ-9999"})
        assert response.status_code == 429
        pages.add("track: too many", response)
    return pages


def test_the_walk_visits_every_public_page(app, world):
    """Every public GET endpoint (feedback/i18n.py's lists) is among the walk's pages, and a
    public page added to the app would be missed (the check can fail)."""
    pages = walk(app, world, "cy")
    public = public_get_endpoints(app)
    assert public - pages.endpoints == set()
    assert {"404", "cards.delete"} <= pages.endpoints
    assert {"main.index", "cards.track", "family.feedback_sent", "insight.you_said_we_did"} <= public
    assert not {"main.staff_home", "main.healthz", "cards.me_too"} & public
    assert endpoint_of(app, "http://localhost/cards/track/delete") == "cards.delete"
    from feedback import create_app
    from tests.helpers import app_settings
    bigger = create_app(app_settings("sqlite://"))
    bigger.add_url_rule("/cards/new-page", "cards.new_page", lambda: "")
    assert public_get_endpoints(bigger) - pages.endpoints == {"cards.new_page"}


# What a Welsh page shows as it was written: names (the platform's, the council's, services',
# areas', a helpline's, the other languages' own names) and what people wrote in ``world``
# and in the walk.
SHOWN_AS_WRITTEN = (
    "Your Voice, Our Contracts", "Shire County Council and partners", "Beta", "English",
    "Easy read", "Childline", "Northgate Youth Club", "Evening club for young people in care",
    "Short Breaks Service", "Portage Home Visiting", "SEND Transport", "Special needs Transport",
    "Northtown", "Southvale", "Please keep the Friday session going", "Open on Saturdays",
    "Stop the trip fees", "The council sets the fees", "More buses at night",
    "We are looking at cheaper trips",
    "We asked the council to keep the fees low for young people in care.",
    "Please start a cooking club 🍳", "On Fridays too", "Visit 1: the staff were kind",
    "Letters came late. Ring me on 07700 900123 if you want to know more",
    "Letters came late. Ring me on [phone number] if you want to know more",
    "Staff listened 👂 and rang back The Saturday club was brilliant — «merci» ☺", *MANY_CARDS)


def english_left(english: str, welsh: str) -> list[str]:
    """Pieces of text of the English page that its Welsh page shows unchanged, other than
    names and people's words (``SHOWN_AS_WRITTEN``): English the catalogue does not know of,
    such as a GOV.UK component's default words or a message made in code."""
    def written(piece: str) -> bool:
        for name in sorted(SHOWN_AS_WRITTEN, key=len, reverse=True):
            piece = piece.replace(name, "")
        return not re.search(r"[A-Za-z]{3}", piece)
    return sorted(piece for piece in text_pieces(english) & text_pieces(welsh)
                  if not written(piece))


@pytest.mark.parametrize("language", ["cy", "easy"])
def test_every_public_page_is_translated(app, world, language):
    pages = walk(app, world, language)
    problems = {name: found for name, markup in pages.items()
                if (found := untranslated(LOCALES[language], markup))}
    assert problems == {}
    lang = "cy" if language == "cy" else "en"
    assert all(f'<html lang="{lang}"' in markup for markup in pages.values())


def test_no_english_is_left_on_a_welsh_page(app, make_app, world):
    """Compared with the same page in English: no piece of the page's own text is left in
    English (the catalogue check above sees only the strings the catalogue holds)."""
    english, welsh = walk(app, world, None), walk(app, world, "cy")
    english.update(too_many_tries(make_app, world, None))
    welsh.update(too_many_tries(make_app, world, "cy"))
    assert set(english) == set(welsh)
    problems = {name: found for name, markup in welsh.items()
                if (found := english_left(english[name], markup))}
    assert problems == {}


def test_the_english_left_check_can_fail():
    english = ('<section aria-label="Service information"><p>Northgate Youth Club</p>'
               '<p>Your Voice, Our Contracts - Cards</p><span>Error</span></section>')
    welsh = ('<section aria-label="Service information"><p>Northgate Youth Club</p>'
             '<p>Your Voice, Our Contracts - Cardiau</p><span>Error</span></section>')
    assert english_left(english, welsh) == ["Error", "Service information"]


@pytest.mark.parametrize("language", ["cy", "easy"])
def test_too_many_tries_pages_are_translated(make_app, world, language):
    pages = too_many_tries(make_app, world, language)
    problems = {name: found for name, markup in pages.items()
                if (found := untranslated(LOCALES[language], markup))}
    assert problems == {}
    assert "Visit 1: the staff were kind" in pages["feedback: too many"]  # given back


@pytest.mark.parametrize("language", ["cy", "easy"])
def test_you_said_we_did_with_youth_panel_checks_is_translated(app, world, language):
    """The public answers page once youth panels check answers: the periods, "checked by
    young people on <date>", "not discussed" and "not yet checked" in the page's language."""
    from datetime import timedelta

    from feedback import clock
    from feedback.contracts.periods import period_containing
    from feedback.extensions import db
    from feedback.models import PanelSession, PanelVerdict, Service
    from tests.factories import make_card
    last = period_containing("quarter", clock.today()).previous()
    answered_at = clock.start_of_uk_day(last.start + timedelta(days=10))
    with app.app_context():
        club = db.session.get(Service, world["club"])
        agreed, _unmarked = (make_card(db, service=club, text=text, kind="start",
                                       status="done", status_changed_at=answered_at)
                             for text in ("A quiet room please", "Longer opening hours"))
        session = PanelSession(period_kind="quarter", period_start=last.start,
                               period_end=last.end, held_on=last.end + timedelta(days=5),
                               group_name="Shire Youth Council", young_people=9)
        db.session.add(session)
        db.session.flush()
        db.session.add(PanelVerdict(session_id=session.id, subject="answer",
                                    subject_id=agreed.id, original=agreed.text_redacted,
                                    verdict="agreed"))
        db.session.commit()
    english = visitor(app).get("/you-said-we-did").get_data(as_text=True)
    assert "Not discussed by the youth panel" in english and "Checked by young people on" in english
    assert "Not yet checked by young people" in english and last.label in english
    page = html_of(visitor(app, language).get("/you-said-we-did"))
    assert untranslated(LOCALES[language], page) == []
    assert "A quiet room please" in page and "Longer opening hours" in page
    if language == "cy":
        assert "Gwiriwyd gan bobl ifanc ar" in page and "Heb ei wirio gan bobl ifanc eto" in page
        assert "Ni thrafodwyd gan y panel ieuenctid" in page
        assert "Checked by young people" not in page and last.label not in page
    else:
        assert "Young people checked this on" in page and last.label in page


def test_the_untranslated_check_can_fail(app, world):
    english = visitor(app).get("/cards").get_data(as_text=True)
    assert "Tell a service you use what you want it to stop, start or change." in \
        untranslated("cy", english)


def test_english_pages_show_no_welsh(app, world):
    pages = walk(app, world, None)
    for name, markup in pages.items():
        assert not any(word in markup for word in WELSH_WORDS), name
        assert '<html lang="en"' in markup


def test_the_choice_is_kept_in_a_cookie_and_shown(app, world):
    client = app.test_client()
    first = client.get("/cards?lang=cy")
    [cookie] = lang_cookies(first)
    assert cookie.startswith("lang=cy") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/cards/track").get_data(as_text=True)  # no parameter: the cookie
    assert '<html lang="cy"' in page and "Gwirio eich cerdyn neu adborth" in page
    assert "Cyfieithiad heb ei adolygu eto" in page  # the footer says it awaits review
    assert 'hreflang="en" lang="en">English</a>' in page and ">Easy read</a>" in page
    assert lang_cookies(client.get("/cards/track")) == []  # set once
    back = client.get("/cards/track?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in back and "Check your card or feedback" in back
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_language_links_keep_the_page_and_its_search(app, world):
    page = visitor(app).get("/services?q=club").get_data(as_text=True)
    assert 'href="/services?q=club&amp;lang=cy"' in page
    assert 'href="/services?q=club&amp;lang=easy"' in page


@pytest.mark.parametrize("asked", ["fr", "", "CY", "cy<script>", "x" * 500])
def test_an_unknown_language_is_english_and_not_kept(app, world, asked):
    client = app.test_client()
    response = client.get("/cards", query_string={"lang": asked})
    assert response.status_code == 200 and lang_cookies(response) == []
    assert '<html lang="en"' in response.get_data(as_text=True)
    client.set_cookie("lang", asked or "zz")
    assert '<html lang="en"' in client.get("/cards").get_data(as_text=True)


def test_staff_pages_stay_english(app, world, make_user):
    from tests.helpers import sign_in
    client = app.test_client()
    client.get("/?lang=cy")
    sign_in(client, make_user("moderator"))
    page = client.get("/staff").get_data(as_text=True)
    assert '<html lang="en"' in page and "Cardiau" not in page and "Neidio" not in page
    login = app.test_client()
    login.get("/?lang=cy")
    assert '<html lang="en"' in login.get("/login").get_data(as_text=True)


def test_a_cached_page_part_is_never_served_in_another_language(app, world):
    from feedback import widgets
    widgets.clear_cache()
    welsh, english, easy = visitor(app, "cy"), visitor(app), visitor(app, "easy")
    for url in ("/cards", "/cards/track", "/help"):
        cy_page = welsh.get(url).get_data(as_text=True)      # fills the caches in Welsh
        en_page = english.get(url).get_data(as_text=True)    # then English asks
        easy_page = easy.get(url).get_data(as_text=True)
        assert "Neidio i'r prif gynnwys" in cy_page and "Gadael y dudalen hon" in cy_page
        assert "Skip to main content" in en_page and "Exit this page" in en_page
        assert not any(word in en_page for word in WELSH_WORDS), url
        assert "Skip to the main part" in easy_page and "Leave this page" in easy_page
    # The radios of the kind step are cached widgets: Welsh first, then English.
    for client in (welsh, english):
        post_form(client, "/cards/new", {"service": str(world["club"])})
    assert "Stopio gwneud rhywbeth" in welsh.get("/cards/new/kind").get_data(as_text=True)
    kind = english.get("/cards/new/kind").get_data(as_text=True)
    assert "Stop doing something" in kind and "Stopio" not in kind


def test_the_fragment_cache_key_names_the_language(app):
    from feedback.templating import FragmentCache
    cache = FragmentCache()
    with app.test_request_context("/cards?lang=cy"):
        assert cache("footer", caller=lambda: "Cymraeg") == "Cymraeg"
    with app.test_request_context("/cards"):
        assert cache("footer", caller=lambda: "English") == "English"
    keys = {key[1] for key in cache._rendered}
    assert keys == {"cy", "en"}


def test_dates_and_numbers_follow_the_language(app, world):
    from datetime import datetime, timezone
    from feedback.templating import number, uk_date, uk_datetime
    when = datetime(2026, 3, 3, 14, 5, tzinfo=timezone.utc)
    with app.test_request_context("/cards?lang=cy"):
        assert uk_date(when) == "3 Mawrth 2026" and uk_datetime(when) == "3 Mawrth 2026, 14:05"
        assert number(12345) == "12,345"
    with app.test_request_context("/cards"):
        assert uk_date(when) == "3 March 2026" and uk_datetime(when) == "3 March 2026, 2:05pm"


def test_a_card_sent_from_a_welsh_page_is_held_for_a_person(app, world):
    client = visitor(app, "cy")
    _, token = go_through(client, world["club"], text="The youth club needs more trips")
    send(client, token)
    [card] = [c for c in cards(app) if c.text == "The youth club needs more trips"]
    assert card.moderation_state == "pending"
    assert card.moderation_reason == "written in Welsh: the screen reads English only"


def test_a_card_written_in_welsh_on_an_english_page_is_held_for_a_person(app, world):
    client = visitor(app)
    _, token = go_through(client, world["club"], text=WELSH_CARD)
    send(client, token)
    [card] = [c for c in cards(app) if c.text == WELSH_CARD]
    assert card.moderation_reason == "written in Welsh: the screen reads English only"
    english = visitor(app)
    _, token = go_through(english, world["club"], text="Please open the club on Sundays too")
    send(english, token)
    [card] = [c for c in cards(app) if c.text == "Please open the club on Sundays too"]
    assert card.moderation_reason is None and card.moderation_state == "pending"


def test_feedback_written_in_welsh_is_held_for_a_person(app, world):
    client = visitor(app)
    csrf, form = form_token(client)
    client.post("/feedback/new", data=answers(
        world["family"], form, csrf, went_well="Mae'r gweithiwr cymdeithasol yn dda iawn efo ni",
        could_be_better="Mae angen mwy o help yn yr ysgol gyda fy ngwaith cartref"))
    [entry] = entries(app)
    assert entry.moderation_state == "pending"
    assert entry.moderation_reason == "written in Welsh: the screen reads English only"


def test_a_welsh_form_error_keeps_what_was_typed(app, world):
    client = visitor(app, "cy")
    csrf, form = form_token(client)
    page = client.post("/feedback/new", data=answers(
        world["family"], form, csrf, went_well="Roedd y staff yn garedig", rating=None))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Roedd y staff yn garedig" in html
    assert "Dewiswch sut oedd y gwasanaeth at ei gilydd" in html
    assert entries(app) == []


def test_easy_read_shows_pictures_and_a_read_aloud_button(app, world):
    client = visitor(app, "easy")
    post_form(client, "/cards/new", {"service": str(world["club"])})
    kind = client.get("/cards/new/kind").get_data(as_text=True)
    for icon in ("stop", "start", "change"):
        assert f'src="/static/icons/{icon}.svg" alt=""' in kind
    assert "Stop: ask a service to stop doing something." in kind
    assert "data-read-aloud" in kind and 'class="govuk-body app-read-aloud" hidden' in kind
    services = client.get("/services").get_data(as_text=True)
    assert 'src="/static/icons/corporate_parenting.svg" alt=""' in services
    english = visitor(app).get("/services").get_data(as_text=True)
    assert "/static/icons/" not in english and "data-read-aloud" not in english
    icon = client.get("/static/icons/stop.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()



def test_the_demo_holds_a_few_welsh_cards_for_a_moderator(runner, db):
    from feedback.demo.welsh import WELSH_CARDS
    from feedback.models import ActionCard
    result = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42",
                                 "--cards", "120", "--feedback", "40"])
    assert result.exit_code == 0, result.output
    held = db.session.scalars(db.select(ActionCard).where(
        ActionCard.moderation_reason == "written in Welsh: the screen reads English only")).all()
    assert sorted(c.text for c in held) == sorted(text for _, text, _ in WELSH_CARDS)
    assert all(c.moderation_state == "pending" and not c.is_published for c in held)
    assert db.session.scalar(db.select(db.func.count()).select_from(ActionCard)) == 120


def test_a_code_not_found_says_so_in_welsh(client):
    client.get("/cards/track?lang=cy")
    response = post_form(client, "/cards/track", {"code": "ZZZZ-9999"})
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert "Mae problem" in page and "There is a problem" not in page
    assert "Doedden ni ddim yn gallu dod o hyd i'r cod hwnnw" in page
    assert "We could not find that code" not in page
