"""An administrator changes the names young people and families see for a service (its plain
name and Welsh name) through the HTTP client, on SQLite and PostgreSQL: the public pages
follow at once, in English and in Welsh; bad names get a clear message and nothing typed is
lost; every change is audited; only administrators reach the page (docs/i18n.md)."""
from __future__ import annotations

import html
import re

import pytest

from tests.helpers import post_form
from tests.i18n_helpers import compile_catalogues


@pytest.fixture(scope="module", autouse=True)
def compiled():
    compile_catalogues()


@pytest.fixture()
def service_id(app):
    from feedback.extensions import db
    from tests.factories import make_service
    with app.app_context():
        service = make_service(db, name="Youth Counselling Service")
        service.plain_name = "Counselling for young people"
        db.session.commit()
        return service.id


def url_of(service_id: int) -> str:
    return f"/admin/services/{service_id}/plain-name"


def public_page(app, service_id: int, lang: str = "en") -> str:
    """The public service page, as a visitor who is not signed in sees it."""
    response = app.test_client().get(f"/services/{service_id}", query_string={"lang": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stored(app, service_id: int) -> tuple[str, str | None]:
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        service = db.session.get(Service, service_id)
        return service.plain_name, service.plain_name_cy


def audit_rows(app) -> list:
    from feedback.extensions import db
    from feedback.models import AuditEvent
    with app.app_context():
        return [(e.object_id, e.actor_email, e.detail) for e in db.session.execute(
            db.select(AuditEvent).filter_by(action="admin.service_plain_names_changed")
            .order_by(AuditEvent.id)).scalars()]


def test_the_list_and_the_other_names_page_link_to_the_page(client, login_as, service_id):
    login_as("admin")
    for page in ("/admin/services", f"/admin/services/{service_id}"):
        assert f'href="{url_of(service_id)}"' in client.get(page).get_data(as_text=True), page
    form = client.get(url_of(service_id)).get_data(as_text=True)
    assert 'value="Counselling for young people"' in form
    assert re.search(r'<input[^>]*name="plain_name_cy"[^>]*lang="cy"|'
                     r'<input[^>]*lang="cy"[^>]*name="plain_name_cy"', form)
    assert "fluent Welsh speaker" in form and "Welsh pages" in form


def test_an_admin_names_a_service_in_both_languages_and_the_public_pages_follow(
        app, client, login_as, service_id):
    admin = login_as("admin")
    saved = post_form(client, url_of(service_id), {
        "plain_name": "  Talking   to a counsellor ", "plain_name_cy": "Siarad \u00e2 chwnselydd"},
        follow_redirects=True)
    assert saved.status_code == 200
    page = saved.get_data(as_text=True)
    assert "govuk-notification-banner--success" in page
    assert "Saved the names people see for Youth Counselling Service." in page
    assert '<span lang="cy">Siarad \u00e2 chwnselydd</span>' in html.unescape(page)
    assert stored(app, service_id) == ("Talking to a counsellor", "Siarad \u00e2 chwnselydd")
    welsh = html.unescape(public_page(app, service_id, "cy"))
    assert "<title>Siarad \u00e2 chwnselydd - " in welsh
    assert "Counselling for young people" not in welsh
    english = public_page(app, service_id)
    assert "<title>Talking to a counsellor - " in english and "Siarad" not in english
    assert audit_rows(app) == [(service_id, admin.email, {
        "before": {"plain_name": "Counselling for young people", "plain_name_cy": None},
        "after": {"plain_name": "Talking to a counsellor",
                  "plain_name_cy": "Siarad \u00e2 chwnselydd"}})]
    # saving the same names again changes nothing, so nothing more is audited
    again = post_form(client, url_of(service_id), {
        "plain_name": "Talking to a counsellor", "plain_name_cy": "Siarad \u00e2 chwnselydd"})
    assert again.status_code == 302 and len(audit_rows(app)) == 1


def test_an_empty_welsh_name_clears_it(app, client, login_as, service_id):
    login_as("admin")
    post_form(client, url_of(service_id), {"plain_name": "Counselling for young people",
                                           "plain_name_cy": "Cwnsela i bobl ifanc"})
    assert "<title>Cwnsela i bobl ifanc - " in public_page(app, service_id, "cy")
    cleared = post_form(client, url_of(service_id), {"plain_name": "Counselling for young people",
                                                     "plain_name_cy": "   "})
    assert cleared.status_code == 302
    assert stored(app, service_id) == ("Counselling for young people", None)
    welsh = public_page(app, service_id, "cy")
    assert "Cwnsela" not in welsh and "<title>Counselling for young people - " in welsh
    assert audit_rows(app)[-1][2] == {
        "before": {"plain_name": "Counselling for young people",
                   "plain_name_cy": "Cwnsela i bobl ifanc"},
        "after": {"plain_name": "Counselling for young people", "plain_name_cy": None}}


@pytest.mark.parametrize("plain, welsh, messages", [
    ("", "Cwnsela i bobl ifanc", ["Enter the plain name"]),
    (" \u00a0  ", "", ["Enter the plain name"]),
    ("x" * 201, "Cwnsela", ["The plain name must be 200 characters or fewer"]),
    ("Counselling\x07", "", ["The plain name holds a character that cannot be shown"]),
    ("Counselling\tfor you", "", ["The plain name holds a character that cannot be shown"]),
    ("Counselling", "y" * 201, ["The Welsh name must be 200 characters or fewer"]),
    ("Counselling", "Cwnsela\x00", ["The Welsh name holds a character that cannot be shown"]),
    ("", "y" * 201, ["Enter the plain name", "The Welsh name must be 200 characters or fewer"]),
])
def test_bad_names_get_a_clear_message_and_nothing_is_lost(app, client, login_as, service_id,
                                                           plain, welsh, messages):
    login_as("admin")
    response = post_form(client, url_of(service_id), {"plain_name": plain, "plain_name_cy": welsh})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "<title>Error: " in page
    for message in messages:
        assert page.count(message) == 2, message  # in the summary and by the field
    for typed in (plain, welsh):  # what was typed is shown again (a control character aside)
        visible = typed.replace("\x07", "").replace("\x00", "").replace("\t", "")
        if visible.strip():
            assert visible[:20] in html.unescape(page).replace("\t", "")
    assert stored(app, service_id) == ("Counselling for young people", None)
    assert audit_rows(app) == []


def test_exactly_200_characters_is_kept(app, client, login_as, service_id):
    login_as("admin")
    name = "Counselling " + "x" * 188
    assert post_form(client, url_of(service_id), {"plain_name": name,
                                                  "plain_name_cy": ""}).status_code == 302
    assert stored(app, service_id) == (name, None)


def test_only_admins_reach_the_page(app, client, login_as, service_id):
    assert client.get(url_of(service_id)).status_code == 302  # to sign in
    login_as("commissioner")
    assert client.get(url_of(service_id)).status_code == 403
    refused = client.post(url_of(service_id), data={"plain_name": "Hacked"})
    assert refused.status_code in (400, 403)
    assert stored(app, service_id) == ("Counselling for young people", None)
    assert client.get(url_of(987654)).status_code == 403


@pytest.mark.parametrize("service", ["987654", "99999999999999999999", "0"])
def test_an_unknown_service_is_not_found(client, login_as, service):
    login_as("admin")
    assert client.get(f"/admin/services/{service}/plain-name").status_code == 404
