"""Answering returns to the list it came from, with its filters; a ``next`` that
is not this site's own relative path is refused; the to-answer page speaks
plainly. Through the HTTP client, on SQLite and PostgreSQL."""
from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.helpers import post_form
from tests.factories import make_cards, make_service


def _answer_link(page: str, card_id: int) -> str:
    href = re.search(rf'href="(/insight/cards/{card_id}/answer[^"]*)"', page).group(1)
    return html_lib.unescape(href)


def test_answer_from_the_filtered_list_goes_back_to_it(client, login_as, db):
    service = make_service(db)
    other = make_service(db, name="Youth club")
    make_cards(db, service, per_topic=2, topics={"s": ["please fix the wifi"]})
    [mine] = make_cards(db, other, per_topic=1, topics={"o": ["longer opening hours"]})
    db.session.commit()
    login_as("commissioner")
    listed = client.get(f"/insight/to-answer?service={other.id}").get_data(as_text=True)
    link = _answer_link(listed, mine.id)
    assert "next=" in link
    form = client.get(link).get_data(as_text=True)
    assert f'href="/insight/to-answer?service={other.id}"' in form  # the back link
    done = post_form(client, link, {"status": "being_looked_at", "response": "We are on it."})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/insight/to-answer?service={other.id}")


def test_answer_from_a_theme_keeps_the_theme_filters(client, login_as, db):
    from tests.web.test_insight_suppression import _theme
    service = make_service(db)
    cards = make_cards(db, service, per_topic=12, topics={"s": ["please fix the wifi"]})
    theme = _theme(db, "Wifi trouble", cards, "W1")
    login_as("commissioner")
    where = f"/insight/themes/{theme.id}?service={service.id}"
    page = client.get(where)
    assert page.status_code == 200
    link = _answer_link(page.get_data(as_text=True), cards[0].id)
    done = post_form(client, link, {"status": "being_looked_at", "response": "Looking."})
    assert done.status_code == 302 and done.headers["Location"].endswith(where)


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", "insight/to-answer"])
def test_a_next_off_this_site_goes_to_the_dashboard(client, login_as, db, unsafe):
    service = make_service(db)
    [card] = make_cards(db, service, per_topic=1, topics={"s": ["please fix the wifi"]})
    db.session.commit()
    login_as("commissioner")
    url = f"/insight/cards/{card.id}/answer"
    assert client.get(url, query_string={"next": unsafe}).status_code == 200
    done = post_form(client, f"{url}?next={unsafe}", {"status": "being_looked_at",
                                                    "response": "Looking."})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/insight"), done.headers["Location"]


def test_to_answer_page_speaks_plainly(client, login_as, db):
    login_as("commissioner")
    page = client.get("/insight/to-answer").get_data(as_text=True)
    assert "a list to work through, not a count" not in page
    assert "still need an answer" in page
