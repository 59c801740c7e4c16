""""Me too" reachable and readable, through the HTTP client on SQLite and
PostgreSQL: the service list and page link to a service's cards, the track page
links to them, and the cards come 20 a page, filtered by stop, start or change;
a bad page or filter gives a clear page, never a 500."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import csrf_token, post_form
from tests.web.test_cards import _submit_and_code, service  # noqa: F401 (fixture)
from tests.factories import build_card

KINDS = ("stop", "start", "change")


@pytest.fixture()
def many_cards(app, service):  # noqa: F811
    """45 published cards (15 of each kind), a rejected and a flagged one; the
    n-th card has n supporters so the order is known. Returns (service id, ids by n)."""
    from feedback.extensions import db
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        cards = [build_card(kind=KINDS[n % 3], text=f"Card number {n}",
                            text_redacted=f"Card number {n}", service_id=service,
                            moderation_state="approved", safeguarding_flagged=False,
                            me_too_count=n, created_at=start + timedelta(days=n))
                 for n in range(45)]
        cards.append(build_card(kind="stop", text="Hidden rejected", text_redacted="Hidden rejected",
                                service_id=service, moderation_state="rejected",
                                safeguarding_flagged=False))
        cards.append(build_card(kind="stop", text="Hidden flagged", text_redacted="Hidden flagged",
                                service_id=service, moderation_state="approved",
                                safeguarding_flagged=True))
        db.session.add_all(cards)
        db.session.commit()
        return service, [card.id for card in cards[:45]]


def shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Card number (\d+)<", html)]


def test_cards_come_twenty_a_page_most_supported_first(client, many_cards):
    service_id, _ = many_cards
    first = client.get(f"/cards/service/{service_id}").get_data(as_text=True)
    assert shown(first) == list(range(44, 24, -1))
    assert "Page 1 of 3: 45 cards" in first and "Hidden" not in first
    assert 'class="govuk-pagination' in first
    assert f'href="/cards/service/{service_id}?page=2"' in first
    assert f'href="/cards/service/{service_id}?page=3"' in first
    last = client.get(f"/cards/service/{service_id}?page=3").get_data(as_text=True)
    assert shown(last) == [4, 3, 2, 1, 0]
    assert "(page 3 of 3)" in last  # in the title


def test_the_list_filters_by_stop_start_or_change(client, many_cards):
    service_id, _ = many_cards
    page = client.get(f"/cards/service/{service_id}?kind=change").get_data(as_text=True)
    assert shown(page) == [n for n in range(44, -1, -1) if n % 3 == 2]
    assert "15 cards asking to change something" in page
    assert "pagination" not in page  # 15 fit on one page
    assert "Stop something (15)" in page and "Stop, start or change (45)" in page
    assert '<strong aria-current="page">Change something (15)</strong>' in page
    for kind in KINDS:
        html = client.get(f"/cards/service/{service_id}?kind={kind.upper()}").get_data(as_text=True)
        assert len(shown(html)) == 15


def test_pages_keep_the_filter(app, client, service):  # noqa: F811
    from feedback.extensions import db
    with app.app_context():
        db.session.add_all(build_card(kind="start", text=f"Card number {n}",
                                      text_redacted=f"Card number {n}", service_id=service,
                                      moderation_state="approved", safeguarding_flagged=False)
                           for n in range(25))
        db.session.commit()
    page = client.get(f"/cards/service/{service}?kind=start").get_data(as_text=True)
    assert f'href="/cards/service/{service}?page=2&amp;kind=start"' in page or \
        f'href="/cards/service/{service}?kind=start&amp;page=2"' in page
    assert len(shown(client.get(f"/cards/service/{service}?kind=start&page=2")
                     .get_data(as_text=True))) == 5


@pytest.mark.parametrize("args, status, words", [
    ("page=abc", 400, "Page numbers are whole numbers from 1"),
    ("page=0", 400, "Page numbers are whole numbers from 1"),
    ("page=-2", 400, "Page numbers are whole numbers from 1"),
    ("page=1.5", 400, "Page numbers are whole numbers from 1"),
    ("page=99999999999999999999999", 400, "Page numbers are whole numbers from 1"),
    ("page=%00", 400, "Page numbers are whole numbers from 1"),
    ("page=4", 404, "There is no page 4. There are 3 pages of cards."),
    ("page=100000", 404, "There is no page 100000"),
    ("kind=banana", 400, "There is no choice called that"),
    ("kind=stop&page=2", 404, "There is no page 2. There is 1 page of cards."),
])
def test_bad_pages_and_filters_get_a_clear_page(client, many_cards, args, status, words):
    service_id, _ = many_cards
    response = client.get(f"/cards/service/{service_id}?{args}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert words in html and "We cannot show that page of cards" in html
    assert f'href="/cards/service/{service_id}"' in html


def test_an_empty_list_has_one_page(client, service):  # noqa: F811
    page = client.get(f"/cards/service/{service}")
    assert page.status_code == 200 and "There are no cards" in page.get_data(as_text=True)
    assert client.get(f"/cards/service/{service}?page=2").status_code == 404
    assert client.get("/cards/service/987654").status_code == 404


def test_me_too_returns_to_the_page_and_filter_it_was_pressed_on(app, client, many_cards):
    service_id, ids = many_cards
    url = f"/cards/service/{service_id}?kind=stop&page=1"
    html = client.get(f"/cards/service/{service_id}?page=2").get_data(as_text=True)
    assert f'action="/cards/{ids[20]}/me-too?page=2"' in html
    token = csrf_token(client, url)
    response = client.post(f"/cards/{ids[21]}/me-too?kind=stop&page=2",
                           data={"csrf_token": token})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"/cards/service/{service_id}?") and "kind=stop" in location
    assert "page=2" in location and "#" not in location
    # A made-up filter or page in the form's address is left out, not a 500.
    token = csrf_token(client, url)
    odd = client.post(f"/cards/{ids[3]}/me-too?kind=x&page=abc", data={"csrf_token": token})
    assert odd.status_code == 302
    assert odd.headers["Location"] == f"/cards/service/{service_id}"


def test_the_service_list_and_page_lead_to_the_cards(client, many_cards):
    service_id, _ = many_cards
    listing = client.get("/services").get_data(as_text=True)
    assert f'href="/services/{service_id}"' in listing and "Northgate youth club" in listing
    page = client.get(f"/services/{service_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Northgate youth club" in html and "45 cards about this service" in html
    assert "15 asking to stop something" in html
    assert f'href="/cards/service/{service_id}"' in html
    assert client.get("/services/987654").status_code == 404
    start = client.get("/cards").get_data(as_text=True)
    assert 'href="/services"' in start


def test_the_track_page_links_to_me_too_for_its_service(app, client, service):  # noqa: F811
    code = _submit_and_code(client, service, text="Please start a cooking club")
    html = post_form(client, "/cards/track", {"code": code}).get_data(as_text=True)
    assert f'href="/cards/service/{service}"' in html
    assert "say &ldquo;me too&rdquo;" in html or "say \u201cme too\u201d" in html


def test_each_me_too_button_has_its_own_id(client, many_cards):
    service_id, ids = many_cards
    html = client.get(f"/cards/service/{service_id}").get_data(as_text=True)
    buttons = re.findall(r'<button[^>]*id="([^"]+)"', html)
    assert len(buttons) == 20 and len(set(buttons)) == 20
    assert f"me-too-{ids[44]}" in buttons


def test_a_published_card_shows_the_state_it_is_in(app, client, many_cards):
    """A published card still "received" reads "Approved, waiting for an answer" (it was
    checked and published), not "Status: Received"; one being looked at says so; in Welsh
    and easy read too."""
    from feedback.extensions import db
    from feedback.models import ActionCard
    from tests.i18n_helpers import compile_catalogues
    compile_catalogues()
    service_id, ids = many_cards
    with app.app_context():
        db.session.get(ActionCard, ids[44]).status = "being_looked_at"
        db.session.commit()
    html = client.get(f"/cards/service/{service_id}").get_data(as_text=True)
    assert "Status: Received." not in html
    assert "44 people agree. Status: Being looked at." in html
    assert "43 people agree. Status: Approved, waiting for an answer." in html
    for lang in ("cy", "easy"):
        translated = client.get(f"/cards/service/{service_id}?lang={lang}").get_data(as_text=True)
        assert "Approved, waiting for an answer" not in translated, lang
