"""A parent's journey and where help is shown: the feedback form lists services by the names
families know (as the card journey does), a parent's track page offers help meant for adults
and does not invite "me too" on young people's cards, and "Need help now?" (Childline) is on
public pages, not staff pages."""
from __future__ import annotations

import re

import pytest

from tests.factories import build_card
from tests.helpers import csrf_token, post_form
from tests.web.test_family_form import answers, form_token

NEED_HELP = re.compile(r'<a class="govuk-(?:footer__)?link" href="/help">Need help now\?</a>')


@pytest.fixture()
def transport(app):
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        service = Service(name="SEND Transport", plain_name="School transport",
                          thematic_area="additional_needs")
        db.session.add(service)
        db.session.commit()
        return service.id


def _options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="service".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.mark.parametrize("lang", ["en", "easy", "cy"])
def test_feedback_form_lists_services_by_their_public_names(client, transport, lang):
    options = _options(client.get(f"/feedback/new?lang={lang}").get_data(as_text=True))
    assert "School transport" in options
    assert "SEND Transport" not in options


def test_a_forum_lists_services_by_their_formal_names(client, login_as, transport):
    login_as("forum_rep", organisation="Shire Parent Carer Forum")
    assert "SEND Transport" in _options(client.get("/forum/entries/new").get_data(as_text=True))


def _track(client, code: str) -> str:
    return post_form(client, "/cards/track", {"code": code}).get_data(as_text=True)


def test_a_parent_tracking_feedback_gets_help_for_adults(app, client, transport):
    csrf, token = form_token(client)
    client.post("/feedback/new", data=answers({"Portage Home Visiting": transport}, token, csrf))
    done = client.get("/feedback/sent").get_data(as_text=True)
    code = re.search(r'app-receipt-code">([^<]+)<', done).group(1)
    html = _track(client, code)
    assert "Your feedback" in html and "School transport" in html
    assert "me too" not in html and "me&nbsp;too" not in html
    assert "Childline" not in html
    assert "If you are worried about a child" in html
    assert 'href="tel:08088005000"' in html and "NSPCC" in html
    assert "contact its children&#39;s services" in html or "contact its children's services" in html


def test_the_council_front_door_number_is_shown_when_set(make_app, db):
    app = make_app(CHILDREN_SERVICES_PHONE="01234 567 890")
    with app.test_request_context():
        from flask import render_template
        html = render_template("cards/_help_adults.html")
    assert 'href="tel:01234567890">01234 567 890</a>' in html


def test_a_young_person_tracking_a_card_gets_childline_and_me_too(client, db, transport):
    from feedback import receipts
    db.session.add(build_card(kind="start", text="a club", text_redacted="a club",
                              service_id=transport, receipt_hash=receipts.receipt_hash("K7QF29MD"),
                              moderation_state="approved", safeguarding_flagged=False))
    db.session.commit()
    html = _track(client, "K7QF-29MD")
    assert "Your card" in html and "Childline" in html and "me too" in html
    assert "NSPCC" not in html


@pytest.mark.parametrize("staff_first", [True, False])
def test_need_help_now_is_on_public_pages_only(client, login_as, staff_first):
    """Either order: the cached phase banner and footer keep the two apart."""
    def anonymous_home():
        return client.get("/").get_data(as_text=True)

    if not staff_first:
        assert len(NEED_HELP.findall(anonymous_home())) == 2
    login_as("commissioner")
    for path in ("/staff", "/contracts", "/returns"):
        html = client.get(path).get_data(as_text=True)
        assert "Signed in as" in html and "/help" not in html, path
    # A public journey looked at by someone signed in keeps its help.
    assert len(NEED_HELP.findall(client.get("/cards/new").get_data(as_text=True))) == 2
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    assert len(NEED_HELP.findall(anonymous_home())) == 2
    assert len(NEED_HELP.findall(client.get("/login").get_data(as_text=True))) == 2
