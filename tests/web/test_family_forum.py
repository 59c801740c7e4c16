"""Forum reps: submit on behalf of families, see only their own forum, export safely."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.helpers import post_form
from tests.fixtures.family_data import make_services

FORUM_A, FORUM_B = "Shire Family Voice", "Vale Parent Carer Forum"


@pytest.fixture()
def services(app):
    return make_services(app)


def add_entry(app, forum_name: str, **fields) -> int:
    from feedback.extensions import db
    from feedback.models import FeedbackEntry, Organisation
    with app.app_context():
        forum = db.session.execute(db.select(Organisation).filter_by(name=forum_name)
                                   ).scalar_one_or_none() or Organisation(
            name=forum_name, kind="parent_carer_forum")
        values = dict(source="forum", respondent_type="parent_carer", went_well="Fine",
                      went_well_redacted="Fine", could_be_better="", could_be_better_redacted="",
                      families_represented=3, consent_collected=True)
        values.update(fields)
        entry = FeedbackEntry(forum=forum, **values)
        db.session.add(entry)
        db.session.commit()
        return entry.id


def forum_form(services, **overrides):
    today = date.today()
    data = {"token": "t" * 32, "service": str(services["Short Breaks Service"]),
            "respondent_type": "parent_carer", "rating": "2",
            "went_well": "Families valued the new key worker 💜",
            "could_be_better": "Eleven families said letters to jo@example.com came late",
            "source_kind": "coffee_morning", "source_name": "March coffee morning",
            "source_date": [str(today.day), str(today.month), str(today.year)],
            "families_represented": "11",
            "consent_collected": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_rep_submits_for_families_and_sees_status(app, client, login_as, services):
    login_as("forum_rep", organisation=FORUM_A)
    page = client.get("/forum/entries/new").get_data(as_text=True)
    assert 'id="source_date-day"' in page and 'name="families_represented"' in page
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page).group(1)
    sent = post_form(client, "/forum/entries/new", forum_form(services, token=token))
    assert sent.status_code == 302
    entry_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Feedback submitted" in entry_page
    assert "Coffee morning – March coffee morning" in entry_page
    assert re.search(r"Families\s*</dt>\s*<dd[^>]*>\s*11\s*<", entry_page)
    assert "[email]" in entry_page and "jo@example.com" not in entry_page  # redacted only
    # The same form again saves nothing more.
    post_form(client, "/forum/entries/new", forum_form(services, token=token),
              form_url="/forum/entries/new")
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    with app.app_context():
        [entry] = db.session.execute(db.select(FeedbackEntry)).scalars().all()
        assert entry.forum.name == FORUM_A and entry.families_represented == 11
        assert entry.consent_collected and entry.source_kind == "coffee_morning"
        assert entry.could_be_better == "Eleven families said letters to jo@example.com came late"
    home = client.get("/forum").get_data(as_text=True)
    assert f"Entry {entry.id}" in home and "speaking for 11 families" in home


@pytest.mark.parametrize("overrides, message", [
    ({"consent_collected": None}, "Confirm the families agreed"),
    ({"families_represented": "0"}, "Number of families must be between 1 and 10,000"),
    ({"families_represented": ""}, "Enter how many families this feedback speaks for"),
    ({"source_date": ["31", "2", "2026"]}, "Date it was gathered must be a real date"),
    ({"source_date": ["", "", ""]}, "Enter the date it was gathered"),
    ({"source_date": ["1", "1", str(date.today().year + 1)]}, "must be today or in the past"),
    ({"source_kind": None}, "Select where the feedback was gathered"),
    ({"went_well": "", "could_be_better": ""}, "Enter what went well or what could be better"),
])
def test_forum_form_errors(app, client, login_as, services, overrides, message):
    login_as("forum_rep", organisation=FORUM_A)
    page = post_form(client, "/forum/entries/new", forum_form(services, **overrides))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "govuk-error-summary" in html and message in html


def test_rep_of_forum_a_gets_404_on_forum_b_entries_pages_and_exports(app, client, login_as):
    mine = add_entry(app, FORUM_A, went_well_redacted="=HYPERLINK(\"http://x\",\"Ours\")")
    theirs = add_entry(app, FORUM_B, went_well_redacted="Vale secret words")
    login_as("forum_rep", organisation=FORUM_A)
    assert client.get(f"/forum/entries/{mine}").status_code == 200
    assert client.get(f"/forum/entries/{theirs}").status_code == 404
    assert client.get("/forum/entries/999999").status_code == 404
    home = client.get("/forum").get_data(as_text=True)
    assert f"Entry {mine}" in home and f"Entry {theirs}" not in home
    for fmt in ("csv", "xlsx"):
        body = client.get(f"/forum/export.{fmt}").data
        text = body.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(body)
        assert "Vale secret words" not in text
        assert "'=HYPERLINK" in text  # neutralised, not a live formula


def test_forum_b_batch_is_404_for_forum_a(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import ImportBatch, Organisation
    add_entry(app, FORUM_B)
    with app.app_context():
        forum_b = db.session.execute(db.select(Organisation).filter_by(name=FORUM_B)).scalar_one()
        batch = ImportBatch(forum=forum_b, filename="vale.xlsx", file_hash="1" * 64)
        db.session.add(batch)
        db.session.commit()
        batch_id = batch.id
    login_as("forum_rep", organisation=FORUM_A)
    assert client.get(f"/feedback/import/batches/{batch_id}").status_code == 404


def test_commissioner_cannot_use_forum_pages(client, login_as):
    login_as("commissioner")
    assert client.get("/forum").status_code == 403
    assert client.get("/forum/export.csv").status_code == 403


def test_rep_without_a_forum_is_refused(client, login_as):
    login_as("forum_rep")
    assert client.get("/forum").status_code == 403
    assert client.get("/feedback/import").status_code == 403


def test_flagged_entry_words_are_withheld_from_rep(app, client, login_as):
    entry = add_entry(app, FORUM_A, safeguarding_flagged=True, went_well_redacted="hidden words")
    login_as("forum_rep", organisation=FORUM_A)
    page = client.get(f"/forum/entries/{entry}").get_data(as_text=True)
    assert "hidden words" not in page and "safeguarding lead is looking" in page
    assert "hidden words" not in client.get("/forum/export.csv").data.decode("utf-8-sig")


def test_viewing_and_exporting_are_audited(app, client, login_as):
    entry = add_entry(app, FORUM_A)
    user = login_as("forum_rep", organisation=FORUM_A)
    client.get(f"/forum/entries/{entry}")
    client.get("/forum/export.xlsx")
    from feedback.extensions import db
    from feedback.models import AuditEvent
    with app.app_context():
        actions = db.session.execute(db.select(AuditEvent.action).where(
            AuditEvent.actor_id == user.id)).scalars().all()
    assert "feedback.viewed" in actions and "feedback.exported" in actions


def _xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


@pytest.mark.parametrize("fields, words", [
    ({"moderation_state": "pending"}, "Received, waiting to be checked"),
    ({"moderation_state": "approved"}, "Approved, waiting for an answer"),
    ({"moderation_state": "approved", "safeguarding_flagged": True},
     "Received, waiting to be checked"),
    ({"moderation_state": "approved", "status": "done"}, "Done"),
])
def test_rep_sees_where_an_entry_is_in_the_track_pages_words(app, client, login_as, fields, words):
    """The forum's list and an entry's page say where the entry is as the track page does
    (``current_label``), not the bare answer status."""
    login_as("forum_rep", organisation=FORUM_A)
    entry_id = add_entry(app, FORUM_A, **fields)
    for page in (client.get("/forum").get_data(as_text=True),
                 client.get(f"/forum/entries/{entry_id}").get_data(as_text=True)):
        assert words in page
