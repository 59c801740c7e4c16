"""A provider updates the actions agreed with it (note, status, evidence, a revised date
with a reason); a commissioner accepts or rejects its "completed". Another provider's
action ids answer 404. Emails are received by the local SMTP server."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from feedback import clock
from feedback.models import ActionCard, ActionUpdate, AuditEvent, ReviewAction
from tests.helpers import csrf_token, post_form, sign_in
from tests.web.contracts_factories import make_contract, make_provider, make_review

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture()
def agreed(db, make_user):
    """Two providers, each with a contract, a review and an open action; the first's
    contract is managed by a commissioner and its action answers one card."""
    manager = make_user("commissioner", email="manager@council.example", name="Mel Manager")
    ours = make_provider(db, "Brightside Youth Services")
    theirs = make_provider(db, "Other Provider Ltd")
    contract = make_contract(db, provider=ours, reference="BYS-01")
    contract.contract_manager_id = manager.id
    other_contract = make_contract(db, provider=theirs, reference="OPL-01")
    review, other_review = make_review(db, contract), make_review(db, other_contract)
    card = ActionCard(kind="change", text="original", text_redacted="More evening sessions",
                      service_id=contract.services[0].id, moderation_state="approved",
                      status="action_planned")
    db.session.add(card)
    action = ReviewAction(review=review, description="Run evening drop-in sessions",
                          owner="Brightside", due_date=clock.today() + timedelta(days=30),
                          status="open", cards=[card])
    other = ReviewAction(review=other_review, description="Their action", owner="Them",
                         status="open")
    db.session.add_all([action, other])
    db.session.commit()
    return {"action": action.id, "other": other.id, "ours": ours.id, "theirs": theirs.id,
            "manager": manager, "card": card.id}


def _provider(make_user, org_id, email="pat@brightside.example"):
    from feedback.extensions import db
    from feedback.models import Organisation
    return make_user("provider", email=email, name="Pat Provider",
                     organisation=db.session.get(Organisation, org_id).name)


def test_the_provider_home_links_each_open_action_to_its_page(client, make_user, agreed):
    sign_in(client, _provider(make_user, agreed["ours"]))
    home = client.get("/provider").get_data(as_text=True)
    assert f'/provider/actions/{agreed["action"]}' in home
    assert f'/provider/actions/{agreed["other"]}' not in home


def test_another_providers_action_answers_404_everywhere(client, make_user, agreed, db):
    sign_in(client, _provider(make_user, agreed["ours"]))
    assert client.get(f"/provider/actions/{agreed['other']}").status_code == 404
    assert post_form(client, f"/provider/actions/{agreed['other']}",
                     {"status": "in_progress", "note": "Sneaky"},
                     form_url="/staff").status_code == 404
    assert client.get("/provider/actions/999999").status_code == 404
    # Evidence of another provider's action: 404 as well.
    update = ActionUpdate(action_id=agreed["other"], kind="progress", evidence_file="a" * 24,
                          evidence_filename="theirs.pdf")
    db.session.add(update)
    db.session.commit()
    assert client.get(f"/contracts/action-updates/{update.id}/evidence").status_code == 404
    assert db.session.get(ReviewAction, agreed["other"]).status == "open"


def test_a_commissioner_cannot_use_the_provider_page(client, login_as, agreed):
    login_as("commissioner")
    assert client.get(f"/provider/actions/{agreed['action']}").status_code == 403


def test_progress_a_revised_date_and_evidence_are_kept_with_their_history(
        client, make_user, agreed, db, tmp_path):
    sign_in(client, _provider(make_user, agreed["ours"]))
    url = f"/provider/actions/{agreed['action']}"
    before = db.session.get(ReviewAction, agreed["action"]).due_date
    new_date = before + timedelta(days=45)
    day = {"new_due_date": [str(new_date.day), str(new_date.month), str(new_date.year)]}
    no_reason = post_form(client, url, {"status": "in_progress", "note": "Venue booked",
                                        **day})
    assert no_reason.status_code == 400 and b"Enter why the due date has changed" in no_reason.data
    assert b"Venue booked" in no_reason.data, "what was typed is kept"
    saved = post_form(client, url, {
        "status": "in_progress", "note": "Venue booked at the library for Tuesdays",
        "due_reason": "The library can only start in the new term", **day,
        "evidence_url": "https://brightside.example/evening-sessions",
        "evidence_file": (io.BytesIO(PDF), "timetable.pdf")},
        content_type="multipart/form-data")
    assert saved.status_code == 302, saved.data[:800]
    action = db.session.get(ReviewAction, agreed["action"])
    assert action.status == "in_progress" and action.due_date == new_date
    [update] = action.updates
    assert update.previous_due_date == before and update.new_due_date == new_date
    assert update.reason.startswith("The library") and update.evidence_filename == "timetable.pdf"
    page = client.get(url).get_data(as_text=True)
    assert "Due date changed from" in page and "The library can only start" in page
    download = client.get(f"/contracts/action-updates/{update.id}/evidence")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    events = set(db.session.execute(db.select(AuditEvent.action)).scalars())
    assert {"review_action.updated", "review_action.evidence_downloaded"} <= events


@pytest.mark.parametrize("fields, message", [
    ({"status": "open", "note": ""}, b"Enter a progress note"),
    ({"status": "in_progress", "note": "x" * 2001}, b"2,000 characters or fewer"),
    ({"status": "in_progress", "note": "bad \x07 bell"}, b"must not contain control characters"),
    ({"status": "finished", "note": "Done"}, b"Select where the action is now"),
    ({"status": "in_progress", "note": "Link", "evidence_url": "javascript:alert(1)"},
     b"starts with https://"),
    ({"status": "in_progress", "note": "Date", "new_due_date": ["31", "2", "2030"], "due_reason": "r"},
     b"must be a real date"),
    ({"status": "in_progress", "note": "Past", "new_due_date": ["1", "1", "2020"], "due_reason": "r"},
     b"today or in the future"),
    ({"status": "completed", "note": ""}, b"Enter what was done"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, make_user, agreed, db,
                                                            fields, message):
    sign_in(client, _provider(make_user, agreed["ours"]))
    response = post_form(client, f"/provider/actions/{agreed['action']}", fields)
    assert response.status_code == 400 and message in response.data, response.data[-3000:]
    assert b"govuk-error-summary" in response.data
    assert db.session.execute(db.select(ActionUpdate)).first() is None


@pytest.mark.parametrize("name, data, message", [
    ("empty.pdf", b"", b"is empty"),
    ("script.pdf", b"<script>alert(1)</script>", b"must be a PDF, Word"),
    ("big.pdf", PDF + b"0" * (5 * 1024 * 1024), b"smaller than 5 MB"),
])
def test_an_evidence_file_is_checked_by_content_and_size(client, make_user, agreed, db, name,
                                                         data, message):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import stream_encode_multipart
    sign_in(client, _provider(make_user, agreed["ours"]))
    url = f"/provider/actions/{agreed['action']}"
    # The body built in memory: left to the test client, a large one is spooled to a
    # temporary file nothing closes (see tests/web/test_fuzz_uploads.py).
    stream, _, boundary = stream_encode_multipart({
        "csrf_token": csrf_token(client, url), "status": "in_progress", "note": "With a file",
        "evidence_file": FileStorage(io.BytesIO(data), filename=name)}, use_tempfile=False)
    response = client.post(url, data=stream.read(),
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400 and message in response.data
    assert db.session.execute(db.select(ActionUpdate)).first() is None


def test_a_word_file_is_kept_under_its_real_kind(client, make_user, agreed, db):
    sign_in(client, _provider(make_user, agreed["ours"]))
    response = post_form(client, f"/provider/actions/{agreed['action']}", {
        "status": "in_progress", "note": "Minutes", "evidence_file": (io.BytesIO(_docx()),
                                                                      "minutes.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    update = db.session.execute(db.select(ActionUpdate)).scalar_one()
    assert update.evidence_filename == "minutes.docx"


def test_completion_is_accepted_and_the_linked_card_marked_done(mail_app, make_user, agreed,
                                                               db):
    provider = mail_app.test_client()
    sign_in(provider, _provider(make_user, agreed["ours"]))
    url = f"/provider/actions/{agreed['action']}"
    claimed = post_form(provider, url, {"status": "completed",
                                        "note": "Sessions run every Tuesday since March"})
    assert claimed.status_code == 302
    action = db.session.get(ReviewAction, agreed["action"])
    assert action.completion_claimed_at is not None and action.status == "in_progress"
    again = post_form(provider, url, {"status": "completed", "note": "Again"})
    assert b"already said this action is completed" in again.data
    [told] = mail_app.smtp.to("manager@council.example")
    assert "BYS-01" in told["Subject"]
    assert f"https://voice.example.org/contracts/actions/{agreed['action']}" in \
        told.get_body().get_content()

    commissioner = mail_app.test_client()
    sign_in(commissioner, agreed["manager"])
    page = commissioner.get(f"/contracts/actions/{agreed['action']}").get_data(as_text=True)
    assert "The provider says this action is completed" in page
    decide = f"/contracts/actions/{agreed['action']}/completion"
    form = f"/contracts/actions/{agreed['action']}"
    no_answer = post_form(commissioner, decide, {"completion-decision": "accept",
                                                 "completion-mark_cards_done": "yes"},
                          form_url=form)
    assert no_answer.status_code == 400 and b"you said, we did" in no_answer.data
    assert db.session.get(ReviewAction, agreed["action"]).completion_claimed_at is not None
    accepted = post_form(commissioner, decide, {
        "completion-decision": "accept", "completion-mark_cards_done": "yes",
        "completion-response": "You asked for evening sessions. They run every Tuesday."},
        form_url=form)
    assert accepted.status_code == 302
    db.session.expire_all()
    action = db.session.get(ReviewAction, agreed["action"])
    assert action.status == "done" and action.completion_claimed_at is None
    assert db.session.get(ActionCard, agreed["card"]).status == "done"
    assert [u.kind for u in action.updates] == ["completion_claimed", "completion_accepted"]
    assert mail_app.smtp.to("pat@brightside.example"), "the provider hears the decision"


def test_a_rejection_needs_a_reason_and_goes_back_to_the_provider(client, make_user, agreed,
                                                                  db):
    sign_in(client, _provider(make_user, agreed["ours"]))
    post_form(client, f"/provider/actions/{agreed['action']}",
              {"status": "completed", "note": "All done"})
    commissioner = client.application.test_client()
    sign_in(commissioner, agreed["manager"])
    decide = f"/contracts/actions/{agreed['action']}/completion"
    form = f"/contracts/actions/{agreed['action']}"
    no_reason = post_form(commissioner, decide, {"completion-decision": "reject"},
                          form_url=form)
    assert no_reason.status_code == 400 and b"Enter why the action is not completed" in \
        no_reason.data
    assert b'href="#completion-reason"' in no_reason.data, "the error summary links the field"
    rejected = post_form(commissioner, decide, {
        "completion-decision": "reject",
        "completion-reason": "Attendance figures for April are still missing"}, form_url=form)
    assert rejected.status_code == 302
    action = db.session.get(ReviewAction, agreed["action"])
    assert action.status == "in_progress" and action.completion_claimed_at is None
    page = client.get(f"/provider/actions/{agreed['action']}").get_data(as_text=True)
    assert "Attendance figures for April are still missing" in page
    nothing = post_form(commissioner, decide, {"completion-decision": "accept"}, form_url=form)
    assert nothing.status_code == 302
    assert b"the provider has not said this action is completed" in \
        commissioner.get(nothing.headers["Location"]).data
    assert db.session.get(ReviewAction, agreed["action"]).status == "in_progress"
    assert client.get(f"/contracts/actions/{agreed['action']}/completion").status_code == 403


# --- any input ----------------------------------------------------------------------------

from hypothesis import given, strategies as st  # noqa: E402

from tests.web.test_fuzz_forms import HOSTILE, MARKERS, _no_raw_markers  # noqa: E402

MARKED = st.tuples(HOSTILE, st.sampled_from(MARKERS)).map(lambda t: t[0] + " " + t[1])
ANY_TEXT = st.one_of(HOSTILE, MARKED, st.just(""), st.just("   "))


@pytest.fixture()
def provider_client(app, make_user, agreed):
    """One signed-in provider for every example of a test."""
    client = app.test_client()
    sign_in(client, _provider(make_user, agreed["ours"]))
    return client


@pytest.mark.sqlite_only
@given(note=ANY_TEXT, reason=ANY_TEXT, link=ANY_TEXT,
       status=st.sampled_from(["open", "in_progress", "completed", "bogus", ""]),
       day=st.sampled_from([[], ["", "", ""], ["1", "1", "2099"], ["31", "2", "2099"],
                            ["x", "y", "z"]]))
def test_any_provider_update_is_stored_as_typed_or_refused_clearly(
        db, provider_client, agreed, note, reason, link, status, day):
    """No 500; a refusal names the field in the error summary and saves nothing; a saved note
    is what was typed (line endings made \\n, surrounding spaces trimmed); nothing is
    shown unescaped."""
    client = provider_client
    url = f"/provider/actions/{agreed['action']}"
    before = db.session.execute(db.select(db.func.count()).select_from(ActionUpdate)).scalar_one()
    data = {"status": status, "note": note[:3000], "due_reason": reason[:1500],
            "evidence_url": link[:600]}
    if day:
        data["new_due_date"] = day
    response = post_form(client, url, data)
    assert response.status_code in (302, 400), response.status_code
    _no_raw_markers(response.data, url)
    db.session.expire_all()
    after = db.session.execute(db.select(db.func.count()).select_from(ActionUpdate)).scalar_one()
    if response.status_code == 400:
        assert b"govuk-error-summary" in response.data
        assert after == before
        return
    assert after == before + 1
    update = db.session.execute(db.select(ActionUpdate).order_by(ActionUpdate.id.desc())
                                .limit(1)).scalar_one()
    typed = note[:3000].replace("\r\n", "\n").strip()
    assert (update.note or "") == typed
    _no_raw_markers(client.get(url).data, url)
