"""The public "you said, we did" page at scale: every done or not-possible answer,
newest first, 25 a page, filtered by service and by stop/start/change, searchable,
with a "me too" link where the service has cards still open; bad input is a clear page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest

from tests.helpers import csrf_token, post_form
from tests.factories import build_card, make_card, make_service

BASE = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def _said(html: str) -> list[str]:
    """The "You said" texts on a page, in order (without the Stop/Start/Change prefix)."""
    return [unescape(t).split(": ", 1)[1].strip() for t in re.findall(
        r'You said\s*</dt>\s*<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>', html, re.S)]


def _answered(db, service, n, kind="change", status="done", text=None, minutes=0, **extra):
    values = dict(kind=kind, text="original", text_redacted=text or f"Answered card {n:03d}",
                  service=service, moderation_state="approved", status=status,
                  status_changed_at=BASE + timedelta(hours=n, minutes=minutes),
                  status_reason="Not in the budget" if status == "not_possible" else None)
    card = build_card(**{**values, **extra})
    db.session.add(card)
    return card


def test_an_answer_given_without_words_still_appears(client, login_as, db):
    """The answering page lets a commissioner mark a card done with no written answer,
    or not possible with a reason only: those answers reached the young person's track
    page but never the public page (it joined on a written answer). Both appear now."""
    service = make_service(db)
    done = build_card(kind="start", text="orig", text_redacted="A Saturday session please",
                      service=service, moderation_state="approved")
    refused = build_card(kind="stop", text="orig", text_redacted="Stop the fees for trips",
                         service=service, moderation_state="approved")
    db.session.add_all([done, refused])
    db.session.commit()
    login_as("commissioner")
    for card, data in ((done, {"status": "done", "response": ""}),
                       (refused, {"status": "not_possible", "reason": "The council sets the fees"})):
        url = f"/insight/cards/{card.id}/answer"
        assert post_form(client, url, data).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    html = client.get("/you-said-we-did").get_data(as_text=True)
    assert _said(html) == ["Stop the fees for trips", "A Saturday session please"]
    assert "We have done this." in html
    assert "We could not do this." in html and "The council sets the fees" in html
    assert "orig" not in html and "2 answers" in html


def test_a_reason_that_repeats_the_answer_is_shown_once(client, login_as, db):
    """The demo answers "not possible" with the same words as answer and reason: the
    public page showed them twice ("We could not do it" and "Why not")."""
    service = make_service(db)
    same = build_card(kind="change", text="orig", text_redacted="More therapists please",
                      service=service, moderation_state="approved")
    other = build_card(kind="stop", text="orig", text_redacted="Stop the trip fees",
                       service=service, moderation_state="approved")
    db.session.add_all([same, other])
    db.session.commit()
    login_as("commissioner")
    because = "There are not enough therapists, so families get a course while they wait."
    for card, data in ((same, {"response": because, "reason": " " + because.upper()}),
                       (other, {"response": "Trips stay at cost price.",
                                "reason": "The council sets the fees"})):
        data["status"] = "not_possible"
        assert post_form(client, f"/insight/cards/{card.id}/answer", data).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    html = unescape(client.get("/you-said-we-did").get_data(as_text=True))
    assert html.lower().count(because.lower()) == 1 and html.count("Why not") == 1
    assert "Trips stay at cost price." in html and "The council sets the fees" in html


def test_a_theme_is_named_in_public_only_once_a_person_has_reviewed_or_named_it(client, db,
                                                                                 login_as):
    """The demo's public page said "Theme: Son" under a care leaver's card: an engine label
    no one had read. An answer whose theme may not be named has no theme line at all (the
    walk found "Theme: Other things you told us" on all 69 answers); nor is a theme of fewer
    than 10 people named (the small-group rule)."""
    from feedback.models import Theme, ThemeAssignment
    service = make_service(db)
    card = _answered(db, service, 1, text="My PA's work phone is disconnected")
    theme = Theme(key="T1", label="Son")
    db.session.add(theme)
    db.session.flush()
    db.session.add(ThemeAssignment(theme_id=theme.id, card_id=card.id, confidence=0.9))
    db.session.commit()

    def theme_row():
        html = client.get("/you-said-we-did").get_data(as_text=True)
        assert "Other things you told us" not in html and "Answered" in html
        found = re.search(r'Theme\s*</dt>\s*<dd class="govuk-summary-list__value">\s*(.*?)\s*'
                          r'</dd>', html, re.S)
        return found.group(1) if found else None
    assert theme_row() is None
    login_as("commissioner")
    url = f"/insight/themes/{theme.id}"
    assert post_form(client, url + "/review", {}, form_url=url).status_code == 302
    assert theme_row() is None  # reviewed, but 1 person: a small group
    others = [make_card(db, service, text=f"Phone {n}") for n in range(9)]
    db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=c.id) for c in others])
    db.session.commit()
    assert theme_row() == "Son"
    db.session.get(Theme, theme.id).reviewed = False
    db.session.get(Theme, theme.id).curated_name = "Keeping in touch with care leavers"
    db.session.commit()
    assert theme_row() == "Keeping in touch with care leavers"


def test_paged_newest_first_with_govuk_pagination(client, db):
    service = make_service(db)
    for n in range(60):
        _answered(db, service, n)
    db.session.commit()
    first = client.get("/you-said-we-did").get_data(as_text=True)
    assert _said(first) == [f"Answered card {n:03d}" for n in range(59, 34, -1)]
    assert "Answers 1 to 25 of 60" in first and 'class="govuk-pagination' in first
    assert 'href="/you-said-we-did?page=2"' in first
    last = client.get("/you-said-we-did?page=3").get_data(as_text=True)
    assert _said(last) == [f"Answered card {n:03d}" for n in range(9, -1, -1)]
    assert "Answers 51 to 60 of 60" in last and "(page 3 of 3)" in last
    # Each card once across the pages.
    middle = client.get("/you-said-we-did?page=2").get_data(as_text=True)
    assert len(set(_said(first) + _said(middle) + _said(last))) == 60


@pytest.mark.parametrize("page, message", [
    ("abc", "The page number must be a whole number"),
    ("0", "The page number must be a whole number"),
    ("-2", "The page number must be a whole number"),
    ("1e3", "The page number must be a whole number"),
    ("99999999999999999999999", "The page number must be a whole number"),
    ("9", "There is no page 9: the last page, page 1, is shown."),
])
def test_bad_page_numbers_give_a_clear_page(client, db, page, message):
    service = make_service(db)
    _answered(db, service, 1)
    db.session.commit()
    response = client.get(f"/you-said-we-did?page={page}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html and "There is a problem" in html and "<title>Error:" in html
    assert _said(html) == ["Answered card 001"]


def test_filters_by_service_and_kind(client, db):
    buses = make_service(db, name="Youth buses")
    clubs = make_service(db, name="Youth clubs")
    _answered(db, buses, 1, kind="stop", text="Stop the bus leaving early")
    _answered(db, buses, 2, kind="start", text="Start a night bus")
    _answered(db, clubs, 3, kind="stop", text="Stop closing the club on Fridays")
    db.session.commit()
    html = client.get(f"/you-said-we-did?service={buses.id}").get_data(as_text=True)
    assert _said(html) == ["Start a night bus", "Stop the bus leaving early"]
    html = client.get("/you-said-we-did?kind=stop").get_data(as_text=True)
    assert _said(html) == ["Stop closing the club on Fridays", "Stop the bus leaving early"]
    html = client.get(f"/you-said-we-did?kind=stop&service={clubs.id}").get_data(as_text=True)
    assert _said(html) == ["Stop closing the club on Fridays"]
    assert "Clear the filters and search" in html
    # Filters are kept by the paging links.
    for n in range(30):
        _answered(db, clubs, 10 + n, kind="stop")
    db.session.commit()
    html = client.get(f"/you-said-we-did?kind=stop&service={clubs.id}").get_data(as_text=True)
    assert f'href="/you-said-we-did?service={clubs.id}&amp;kind=stop&amp;page=2"' in html


@pytest.mark.parametrize("query, field, message", [
    ("service=999999", "service", "Select a service from the list"),
    ("service=abc", "service", "Select a service from the list"),
    ("kind=maybe", "kind", "Select stop, start or change"),
    ("q=" + "+".join(["word"] * 9), "q", "Search for 8 words or fewer"),
])
def test_bad_filters_give_a_clear_page(client, db, query, field, message):
    service = make_service(db)
    _answered(db, service, 1)
    db.session.commit()
    response = client.get(f"/you-said-we-did?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert f'href="#{field}"' in html and f'id="{field}"' in html
    assert _said(html) == ["Answered card 001"]  # the rest of the request still answered


def test_search_is_case_insensitive_and_takes_special_characters_literally(client, db):
    service = make_service(db)
    _answered(db, service, 1, text="The BUS home is late")
    _answered(db, service, 2, text="Fees went up 50% this year")
    _answered(db, service, 3, text="My user_name was shown")
    _answered(db, service, 4, text="Backslash \\ in my card")
    card = _answered(db, service, 5, text="Nothing about travel")
    db.session.flush()
    from feedback.models import Response
    db.session.add(Response(card_id=card.id, body="We added a later Bus on Fridays"))
    db.session.commit()

    def found(q):
        response = client.get("/you-said-we-did", query_string={"q": q})
        assert response.status_code == 200
        return _said(response.get_data(as_text=True))
    assert found("bus") == ["Nothing about travel", "The BUS home is late"]  # said or did
    assert found("BUS home") == ["The BUS home is late"]  # every word
    assert found("bus later") == ["Nothing about travel"]
    assert found("%") == ["Fees went up 50% this year"]
    assert found("_") == ["My user_name was shown"]
    assert found("\\") == ["Backslash \\ in my card"]
    assert found("50%\x00") == ["Fees went up 50% this year"]  # control characters dropped
    assert found("\x1b[31m") == []
    assert found("bus\u200b") == ["Nothing about travel", "The BUS home is late"]
    html = client.get("/you-said-we-did?q=zzz").get_data(as_text=True)
    assert "No answers match" in html


def test_only_published_answered_cards_and_me_too_links(client, db):
    open_service = make_service(db, name="Has open cards")
    closed_service = make_service(db, name="All answered")
    _answered(db, open_service, 1, text="Shown with a link")
    _answered(db, closed_service, 2, text="Shown without a link")
    _answered(db, open_service, 3, status="not_possible", text="Refused but shown")
    _answered(db, open_service, 4, text="Pending words", moderation_state="pending")
    _answered(db, open_service, 5, text="Flagged words", safeguarding_flagged=True)
    _answered(db, open_service, 6, status="action_planned", text="Planned words")
    # Open cards: a published one on the first service; only an unpublished one on the second.
    db.session.add_all([
        build_card(kind="start", text="o", text_redacted="open", service=open_service,
                   moderation_state="approved"),
        build_card(kind="start", text="o", text_redacted="open", service=closed_service,
                   moderation_state="pending")])
    db.session.commit()
    html = client.get("/you-said-we-did").get_data(as_text=True)
    assert _said(html) == ["Refused but shown", "Shown without a link", "Shown with a link"]
    for hidden in ("Pending words", "Flagged words", "Planned words"):
        assert hidden not in html
    assert html.count(f'href="/cards/service/{open_service.id}"') == 2
    # The link names its service once for a screen reader: the card adds its title itself.
    assert "for Has open cards" not in html
    assert 'open cards<span class="govuk-visually-hidden"> (Has open cards)</span>' in html
    assert f'href="/cards/service/{closed_service.id}"' not in html
    assert "Exit this page" in html
    assert client.get(f"/cards/service/{open_service.id}").status_code == 200


def test_any_query_string_gives_a_page_never_an_error(app, db):
    """Hypothesis: any text in any of the page's parameters is a 200 with the page."""
    from hypothesis import given
    from hypothesis import strategies as st
    service = make_service(db)
    _answered(db, service, 1)
    db.session.commit()
    text = st.text(st.characters(codec="utf-8"), max_size=120)

    @given(page=text, service=text, kind=text, q=text)
    def check(page, service, kind, q):
        response = app.test_client().get("/you-said-we-did", query_string={
            "page": page, "service": service, "kind": kind, "q": q})
        assert response.status_code == 200
        assert b"You said, we did" in response.data
    check()
