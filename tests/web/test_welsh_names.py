"""Welsh that reads right, through the HTTP client on SQLite and PostgreSQL: ranges of months
with the soft mutation after "i", the platform's and the services' names in Welsh when they
have a Welsh form, and English shown on a Welsh page marked lang="en" (docs/i18n.md)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.i18n_helpers import compile_catalogues

WELSH_AFTER_I = {3: "Fawrth", 6: "Fehefin", 9: "Fedi", 12: "Ragfyr"}  # quarters' last months
WELSH_MONTHS = {1: "Ionawr", 4: "Ebrill", 7: "Gorffennaf", 10: "Hydref"}  # their first


@pytest.fixture(scope="module", autouse=True)
def compiled():
    compile_catalogues()


def welsh(app, url: str) -> str:
    client = app.test_client()
    response = client.get(url + ("&" if "?" in url else "?") + "lang=cy")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def english(app, url: str) -> str:
    response = app.test_client().get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture()
def services(app):
    """One service with a Welsh name and one without, each with an answered card."""
    from feedback.extensions import db
    from tests.factories import make_card, make_service
    with app.app_context():
        named = make_service(db, name="Youth Counselling Service")
        named.plain_name, named.plain_name_cy = "Counselling for young people", \
            "Cwnsela i bobl ifanc"
        plain = make_service(db, name="Portage Home Visiting")
        plain.plain_name = "Portage home visits"
        for service in (named, plain):
            make_card(db, service=service, text=f"More time with {service.name}", kind="start",
                      status="done")
        db.session.commit()
        return {"named": named.id, "plain": plain.id}


def test_welsh_quarters_take_the_soft_mutation_after_i(app, services):
    """The public answers page lists the quarters youth panels check: "Hydref i Ragfyr 2026",
    "Gorffennaf i Fedi 2026" in Welsh, never "i Rhagfyr" or "i Medi"."""
    from feedback import clock
    from feedback.contracts.periods import period_containing
    from feedback.extensions import db
    from feedback.models import PanelSession
    now = period_containing("quarter", clock.today())
    first = now.previous().previous().previous()
    with app.app_context():
        db.session.add(PanelSession(period_kind="quarter", period_start=first.start,
                                    period_end=first.end, held_on=first.end + timedelta(days=5),
                                    group_name="Shire Youth Council", young_people=9))
        db.session.commit()
    page = welsh(app, "/you-said-we-did")
    shown = []
    period = now
    for _ in range(4):
        label = (f"{WELSH_MONTHS[period.start.month]} i {WELSH_AFTER_I[period.end.month]} "
                 f"{period.end.year}")
        assert label in page
        shown.append(label)
        period = period.previous()
    assert not re.search(r" i (Mawrth|Mehefin|Medi|Rhagfyr) \d{4}", page)
    assert "Hydref i Ragfyr" in " ".join(shown)
    assert "October to December" in english(app, "/you-said-we-did")


def test_welsh_pages_say_cy_and_mark_english_names(app, services):
    """A Welsh page says lang="cy"; a service name with a Welsh form is shown in Welsh, one
    without is shown in English inside lang="en" (so a screen reader speaks it in English);
    English and easy read pages show the English names, unmarked."""
    named, plain = services["named"], services["plain"]
    for url in ("/services", f"/services/{named}", f"/services/{plain}",
                f"/cards/service/{plain}", "/cards/new", "/you-said-we-did"):
        page = welsh(app, url)
        assert re.search(r'<html[^>]* lang="cy"', page), url
        if url != f"/services/{named}":
            assert '<span lang="en">Portage home visits</span>' in page or \
                '<option value="%s" lang="en">Portage home visits</option>' % plain in page, url
        if url not in (f"/services/{plain}", f"/cards/service/{plain}"):
            assert "Cwnsela i bobl ifanc" in page and "Counselling for young people" not in page
        assert '<span lang="en">Cwnsela' not in page
        for other in (english(app, url), english(app, url + "?lang=easy")):
            assert 'lang="en">Portage' not in other and "Cwnsela" not in other
    page = welsh(app, "/you-said-we-did")
    assert re.search(r'<h3 class="govuk-summary-card__title">\s*<span lang="en">Portage home visits'
                     r'</span>', page)
    assert re.search(r'<h3 class="govuk-summary-card__title">\s*Cwnsela i bobl ifanc', page)
    assert f'<option value="{plain}" lang="en">Portage home visits</option>' in page
    assert f'<option value="{named}">Cwnsela i bobl ifanc</option>' in page
    page = welsh(app, f"/services/{named}")
    assert "<title>Cwnsela i bobl ifanc - " in page
    # after "am" ("about") and "i" ("to") the Welsh name takes the soft mutation
    assert "Darllenwch y cardiau am Gwnsela i bobl ifanc" in page
    cards_page = welsh(app, f"/cards/service/{named}")
    assert "<title>Cardiau am Gwnsela i bobl ifanc - " in cards_page
    assert "Yn ôl i Gwnsela i bobl ifanc" in cards_page
    assert "Cards about Counselling for young people" in english(app, f"/cards/service/{named}")
    # the full name (and a description) are English as staff wrote them: marked
    assert '<dd class="govuk-summary-list__value" lang="en">Youth Counselling Service</dd>' in page
    assert '<dd class="govuk-summary-list__value">Youth Counselling Service</dd>' in \
        english(app, f"/services/{named}")
    assert "<title>Portage home visits - " in welsh(app, f"/services/{plain}")  # no markup


def test_the_card_journey_in_welsh_names_the_service(app, services):
    """The service's radio button and the check page: English in lang="en"."""
    from tests.web.test_cards import go_through
    client = app.test_client()
    choose = client.get("/cards/new?lang=cy").get_data(as_text=True)
    assert re.search(r'<label[^>]*>\s*<span lang="en">Portage home visits</span>', choose)
    assert re.search(r'<label[^>]*>\s*Cwnsela i bobl ifanc', choose)
    page, _token = go_through(client, services["plain"])
    assert '<span lang="en">Portage home visits</span>' in page.get_data(as_text=True)
    page, _token = go_through(client, services["named"])
    assert "Cwnsela i bobl ifanc" in page.get_data(as_text=True)


def test_the_platform_has_welsh_names(app):
    """The demo's service and organisation names have Welsh forms, shown on Welsh pages."""
    page = welsh(app, "/")
    assert "Eich Llais, Ein Contractau" in page and "Your Voice, Our Contracts" not in page
    assert "Cyngor Sir Shire a\u2019i bartneriaid</span>" in page  # the header
    # "run by" is "gan" in Welsh, which takes the soft mutation: Cyngor -> Gyngor
    assert "Yn cael ei redeg gan Gyngor Sir Shire a\u2019i bartneriaid." in page
    assert "Shire County Council and partners" not in page
    assert "cael ei redeg gan Gyngor Sir Shire" in welsh(app, "/accessibility")
    assert "Run by Shire County Council and partners." in english(app, "/")
    page = english(app, "/")
    assert "Your Voice, Our Contracts" in page and "Eich Llais" not in page


def test_a_platform_name_without_welsh_is_marked_english(make_app):
    """A deployment that names itself without a Welsh form: English on Welsh pages, marked."""
    other = make_app(SERVICE_NAME="Tell Us", SERVICE_NAME_CY=None,
                     ORGANISATION_NAME="Northshire Council", ORGANISATION_NAME_CY=None)
    page = welsh(other, "/accessibility")
    assert '<span lang="en">Tell Us</span>' in page
    assert '<span lang="en">Northshire Council</span>' in page
    assert "<title>" in page and "- Tell Us</title>" in page
    with_welsh = make_app(SERVICE_NAME="Tell Us", SERVICE_NAME_CY="Dywedwch Wrthym")
    page = welsh(with_welsh, "/accessibility")
    assert "Dywedwch Wrthym" in page and "Tell Us" not in page


def test_welsh_names_in_config(tmp_path):
    from feedback.config import load_config
    demo = load_config({}, str(tmp_path))
    assert demo["SERVICE_NAME_CY"] == "Eich Llais, Ein Contractau"
    own = load_config({"SERVICE_NAME": "Tell Us", "ORGANISATION_NAME": "Northshire"},
                      str(tmp_path))
    assert own["SERVICE_NAME_CY"] is None and own["ORGANISATION_NAME_CY"] is None
    both = load_config({"SERVICE_NAME": "Tell Us", "SERVICE_NAME_CY": "Dywedwch Wrthym"},
                       str(tmp_path))
    assert both["SERVICE_NAME_CY"] == "Dywedwch Wrthym"


def test_the_demo_names_every_service_in_welsh():
    """The demo seed gives each service its Welsh name (feedback/demo/welsh.py)."""
    from feedback.demo import partnership
    from feedback.demo.welsh import PLAIN_NAMES_CY
    assert set(PLAIN_NAMES_CY) == {name for name, *_ in partnership.SERVICES}
    assert all(welsh.strip() and len(welsh) <= 200 for welsh in PLAIN_NAMES_CY.values())


def test_the_family_form_names_services_in_welsh_or_marks_them_english(app, services):
    """The feedback form lists services by their plain names: on a Welsh page the Welsh name
    when there is one, else the English with lang="en" on its option; "Choose a service"
    (Welsh) is not marked, and nothing is marked on an English page."""
    page = welsh(app, "/feedback/new")
    assert f'<option value="{services["plain"]}" lang="en">Portage home visits</option>' in page
    assert f'<option value="{services["named"]}">Cwnsela i bobl ifanc</option>' in page
    blank = re.search(r'<option value=""[^>]*>([^<]+)</option>', page)
    assert blank.group(1) == "Dewiswch wasanaeth" and "lang" not in blank.group(0)
    page = english(app, "/feedback/new")
    assert 'lang="en">Portage' not in page and "Cwnsela" not in page
    assert f'<option value="{services["named"]}">Counselling for young people</option>' in page


def test_a_welsh_name_finds_its_service(app, services):
    """A search from a Welsh page for the Welsh name finds the service; English searches (and
    imports) do not read Welsh names, whose words ("help") would change what they find."""
    page = welsh(app, "/services?q=cwnsela")
    assert f'href="/services/{services["named"]}"' in page
    assert f'href="/services/{services["plain"]}"' not in page
    page = welsh(app, "/cards/new?q=Cwnsela+i+bobl+ifanc")
    assert f'value="{services["named"]}"' in page and f'value="{services["plain"]}"' not in page
    assert f'href="/services/{services["named"]}"' not in english(app, "/services?q=cwnsela")
    from feedback.services_search import load_matcher
    with app.app_context():
        assert load_matcher().search("cwnsela") == []
        assert load_matcher(welsh=True).search("cwnsela") == [services["named"]]
