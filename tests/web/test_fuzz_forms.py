"""Hostile and unusual input to every public form, and to the staff pages that show it.

Hypothesis sends any Unicode (emoji, right-to-left text, combining marks,
control characters other than NUL) to each form. Whatever arrives, the page
answers without a 500, a valid answer is stored exactly as typed (line breaks
as LF), and a marker of HTML never appears unescaped on a later page,
staff pages included. Profiles: tests/web/conftest.py.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from tests.helpers import csrf_token, post_form, sign_in
from tests.web.test_cards import go_through, send

MARKERS = ("<script>x</script>", '"><img src=x onerror=1>', "'><svg onload=1>")
# Any character but NUL and lone surrogates (neither can travel in a form), and
# no CR: browsers send line breaks as CR LF, which the forms store as LF.
ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r")
HOSTILE = st.one_of(
    st.text(ANY_CHAR, min_size=1, max_size=400),
    st.sampled_from(["‫مرحبا بالعالم‬", "Zalgo: z̷̢͉a̶̰͐l̸̜̔g̵̣͝ő̴̜", "👩🏽‍🦱👨‍👩‍👧 🍳", "\t tab \x0b\x1f\x7f",
                     "Robert'); DROP TABLE action_card;--", "%s %n {0} {{7*7}} ${x}",
                     "a" * 1000]))


@pytest.fixture()
def service(app):
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        s = Service(name="Fuzz Youth Club", plain_name="Fuzz youth club",
                    thematic_area="health_wellbeing", description="Club")
        db.session.add(s)
        db.session.commit()
        return s.id


def _no_raw_markers(body: bytes, where: str) -> None:
    for marker in MARKERS:
        assert marker.encode() not in body, f"unescaped {marker!r} on {where}"


def _latest(app, model_name: str):
    from feedback import models
    from feedback.extensions import db
    model = getattr(models, model_name)
    with app.app_context():
        row = db.session.execute(db.select(model).order_by(model.id.desc()).limit(1)).scalar_one()
        db.session.expunge(row)
        return row


@given(text=HOSTILE, marker=st.sampled_from(MARKERS))
def test_card_text_round_trips_and_is_escaped(app, service, text, marker):
    client = app.test_client()
    typed = (text + " " + marker)[:1000]
    response = post_form(client, "/cards/new", {"service": str(service)})
    assert response.status_code == 302
    post_form(client, "/cards/new/kind", {"kind": "change"})
    response = post_form(client, "/cards/new/text", {"text": typed})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # e.g. only spaces: a clear message, nothing lost
        assert b"govuk-error-summary" in response.data
        _no_raw_markers(response.data, "/cards/new/text (error)")
        return
    page, token = go_through(client, service, text=typed)
    _no_raw_markers(page.data, "/cards/new/check")
    done = send(client, token)
    assert done.status_code == 302
    confirmation = client.get("/cards/new/done")
    assert confirmation.status_code == 200
    _no_raw_markers(confirmation.data, "/cards/new/done")
    assert _latest(app, "ActionCard").text == typed


@given(detail=HOSTILE)
def test_contact_detail_never_500s(app, service, detail):
    client = app.test_client()
    post_form(client, "/cards/new", {"service": str(service)})
    post_form(client, "/cards/new/kind", {"kind": "stop"})
    post_form(client, "/cards/new/text", {"text": "Fine"})
    post_form(client, "/cards/new/about", {})
    response = post_form(client, "/cards/new/contact", {"method": "email", "detail": detail})
    assert response.status_code in (200, 302)
    _no_raw_markers(response.data, "/cards/new/contact")
    if response.status_code == 200:
        assert b"govuk-error-summary" in response.data


@given(went_well=HOSTILE, could_be_better=HOSTILE, marker=st.sampled_from(MARKERS),
       rating=st.sampled_from(["1", "5", "0", "6", "x", ""]))
def test_family_feedback_round_trips_and_is_escaped(app, service, went_well, could_be_better,
                                                   marker, rating):
    client = app.test_client()
    form = client.get("/feedback/new")
    token = re.search(rb'name="token" type="hidden" value="([^"]+)"', form.data).group(1).decode()
    went_well = (went_well + marker)[:1000]
    could_be_better = could_be_better[:1000]
    response = client.post("/feedback/new", data={
        "csrf_token": csrf_token(client, "/feedback/new"), "token": token,
        "service": str(service), "respondent_type": "young_person", "rating": rating,
        "went_well": went_well, "could_be_better": could_be_better})
    assert response.status_code in (200, 302)
    _no_raw_markers(response.data, "/feedback/new")
    if rating not in ("1", "5"):
        assert response.status_code == 200 and b"govuk-error-summary" in response.data
        return
    assert response.status_code == 302, response.data[:2000]
    sent = client.get("/feedback/sent")
    _no_raw_markers(sent.data, "/feedback/sent")
    entry = _latest(app, "FeedbackEntry")
    assert (entry.went_well, entry.could_be_better) == (went_well, could_be_better)


@given(code=HOSTILE)
def test_track_any_code_gets_a_clear_answer(app, code):
    client = app.test_client()
    response = post_form(client, "/cards/track", {"code": code})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.data
    _no_raw_markers(response.data, "/cards/track")


@given(email=HOSTILE, password=HOSTILE)
def test_login_any_input_is_refused_clearly(app, email, password):
    client = app.test_client()
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.data
    _no_raw_markers(response.data, "/login")


def test_staff_pages_escape_what_children_and_families_wrote(app, client, service, make_user):
    """Markers sent through both public forms never appear raw on any staff page."""
    text = " ".join(MARKERS)
    _, token = go_through(client, service, text="Please help " + text)
    assert send(client, token).status_code == 302
    fresh = app.test_client()
    form = fresh.get("/feedback/new")
    token = re.search(rb'name="token" type="hidden" value="([^"]+)"', form.data).group(1).decode()
    assert fresh.post("/feedback/new", data={
        "csrf_token": csrf_token(fresh, "/feedback/new"), "token": token, "service": str(service),
        "respondent_type": "parent_carer", "rating": "3", "went_well": text,
        "could_be_better": text}).status_code == 302
    card, entry = _latest(app, "ActionCard"), _latest(app, "FeedbackEntry")
    seen = 0
    for role in ("moderator", "safeguarding_lead", "commissioner", "admin"):
        staff = app.test_client()
        assert sign_in(staff, make_user(role)).status_code == 302
        for url in _staff_get_urls(app, card.id, entry.id, service):
            page = staff.get(url)
            assert page.status_code < 500, f"{url} as {role}: {page.status_code}"
            if page.status_code == 200:
                _no_raw_markers(page.data, f"{url} as {role}")
                seen += 1
    assert seen > 10


def _staff_get_urls(app, card_id: int, entry_id: int, service_id: int) -> list[str]:
    """Every GET page whose arguments we can fill from the rows just made."""
    values = {"card_id": card_id, "entry_id": entry_id, "feedback_id": entry_id,
              "service_id": service_id, "item_id": card_id, "id": card_id}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or "export" in rule.rule \
                or rule.rule.endswith((".csv", ".xlsx", ".docx")) or "download" in rule.rule:
            continue
        args = {}
        for name in rule.arguments:
            if name in values:
                args[name] = values[name]
            elif name == "kind":
                args[name] = "card"
        if set(args) != set(rule.arguments):
            continue
        try:
            with app.test_request_context():
                from flask import url_for
                urls.append(url_for(rule.endpoint, **args))
        except Exception:  # noqa: BLE001 - converters we cannot fill (e.g. any(...))
            continue
    return sorted(set(urls))
