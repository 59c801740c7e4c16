""""Me too" counts only a browser holding the signed id the cards page issued:
25 clients that keep no cookie add nothing (the outside test added 25)."""
from __future__ import annotations

from tests.helpers import csrf_token
from tests.web.test_cards_robustness import _published_card, service  # noqa: F401 (fixture)

COOKIE = "vtc_browser"


def _count(app, card_id) -> int:
    from feedback.extensions import db
    from feedback.models import ActionCard
    with app.app_context():
        return db.session.get(ActionCard, card_id).me_too_count


def test_the_cards_page_issues_the_signed_browser_id_once(app, client, service):
    first = client.get(f"/cards/service/{service}")
    cookie = next(c for c in first.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    again = client.get(f"/cards/service/{service}")
    assert not any(c.startswith(COOKIE + "=") for c in again.headers.getlist("Set-Cookie"))


def test_clients_without_the_browser_cookie_add_nothing(app, service):
    card_id = _published_card(app, service)
    for _ in range(25):
        client = app.test_client()
        token = csrf_token(client, f"/cards/service/{service}")
        client.delete_cookie(COOKIE)  # a client that keeps the session but not our id
        response = client.post(f"/cards/{card_id}/me-too", data={"csrf_token": token})
        assert response.status_code == 302
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "your browser did not keep our cookie" in page
    assert _count(app, card_id) == 0


def test_a_forged_browser_id_adds_nothing(app, client, service):
    card_id = _published_card(app, service)
    token = csrf_token(client, f"/cards/service/{service}")
    client.set_cookie(COOKIE, "made-up-value")
    assert client.post(f"/cards/{card_id}/me-too", data={"csrf_token": token}).status_code == 302
    assert _count(app, card_id) == 0


def test_a_browser_from_the_page_counts_once(app, client, service):
    card_id = _published_card(app, service)
    token = csrf_token(client, f"/cards/service/{service}")
    for _ in range(3):
        assert client.post(f"/cards/{card_id}/me-too", data={"csrf_token": token}).status_code == 302
    assert _count(app, card_id) == 1
    assert "You said me too" in client.get(f"/cards/service/{service}").get_data(as_text=True)


def test_no_cookie_on_a_missing_card_is_still_not_found(app, client, service):
    _published_card(app, service)  # the page shows a form (and its token) only with a card
    token = csrf_token(client, f"/cards/service/{service}")
    client.delete_cookie(COOKIE)
    assert client.post("/cards/987654/me-too", data={"csrf_token": token}).status_code == 404
