"""Young Inspectors' reports through the HTTP client, on SQLite and PostgreSQL: editing the
standards (a used one is retired, not deleted), recording a report and its validation, the
"should change" items moderated and then counted in the insight, the themes and the review
pack with the source "Young Inspectors", the provider's response (another provider: 404),
files checked by content and kept outside the web root, and the Word file."""
from __future__ import annotations

import importlib.util
import io
import re
from datetime import date, timedelta

import pytest

from feedback import clock
from tests.helpers import ROOT, approve_as_shown, post_form
from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GOOD = "The youth worker on reception smiled and said hello to everyone by name of the group."
CHANGES = ("- The waiting room needs posters that are not for little kids\n"
           "- Text us the appointment time instead of sending a letter to 07700 900123\n"
           "\n"
           "* Put a sign with the opening hours outside")


def _setup(app, provider_name="Surrey Youth Trust"):
    """Two providers, a service of each, a contract with a review this quarter, and the
    default standards. Returns plain ids."""
    from feedback.extensions import db
    from feedback.inspections import standards as inspection_standards
    with app.app_context():
        ours = make_provider(db, provider_name)
        theirs = make_provider(db, "Another Provider Ltd")
        service = make_service(db, ours, name="Epsom Youth Counselling")
        other = make_service(db, theirs, name="Woking Drop-in")
        today = clock.today()
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = (date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
               - timedelta(days=1))
        contract = make_contract(db, provider=ours, services=[service])
        review = make_review(db, contract, start=start, end=end)
        inspection_standards.add_default_standards()
        db.session.commit()
        standards = [s.id for s in inspection_standards.standards()]
        return {"org": ours.id, "other_org": theirs.id, "service": service.id,
                "other_service": other.id, "contract": contract.id, "review": review.id,
                "standards": standards, "today": today}


def _form(ids, token="t" * 32, **changes):
    visit = ids["today"]
    data = {"token": token, "service": str(ids["service"]),
            "visit_date": [str(visit.day), str(visit.month), str(visit.year)],
            "group_name": "Epsom and Ewell Young Inspectors", "inspectors": "6",
            "what_was_good": GOOD, "should_change": CHANGES}
    data.update({f"score_{sid}": str(n % 4 + 1) for n, sid in enumerate(ids["standards"])})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _record(client, ids, **changes):
    return post_form(client, "/inspections/new", _form(ids, **changes))


def _upload(client, report_id: int, data: bytes, name: str):
    """POST a file to the report, the multipart body built in memory (left to the test
    client, a large body is spooled to a temporary file that nothing closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from tests.helpers import csrf_token
    boundary, body = encode_multipart({
        "csrf_token": csrf_token(client, f"/inspections/{report_id}"),
        "file": FileStorage(io.BytesIO(data), filename=name,
                            content_type="application/octet-stream")})
    return client.post(f"/inspections/{report_id}/files", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _only_report(app):
    from feedback.extensions import db
    from feedback.models import Inspection
    with app.app_context():
        return db.session.execute(db.select(Inspection)).scalar_one()


def _count(app, model):
    from feedback.extensions import db
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def _items(app):
    from feedback.extensions import db
    from feedback.models import FeedbackEntry
    with app.app_context():
        return list(db.session.execute(db.select(FeedbackEntry).where(
            FeedbackEntry.source == "young_inspectors").order_by(FeedbackEntry.id)).scalars())


# --- standards -------------------------------------------------------------------------------

def test_the_migration_seeds_the_same_default_standards_as_the_model():
    from feedback.models.inspections import DEFAULT_STANDARDS
    path = ROOT / "migrations" / "versions" / "0017_inspections.py"
    spec = importlib.util.spec_from_file_location("m0017", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DEFAULT_STANDARDS == DEFAULT_STANDARDS
    assert [n for n, _ in DEFAULT_STANDARDS] == ["Welcome", "Information", "Being listened to",
                                                 "Environment", "Accessibility"]


@pytest.mark.parametrize("role", ["participation_worker", "admin"])
def test_standards_are_edited_and_a_used_one_is_retired_not_deleted(app, client, login_as,
                                                                    make_user, role):
    ids = _setup(app)
    login_as(role)
    page = client.get("/inspections/standards").get_data(as_text=True)
    for name in ("Welcome", "Information", "Being listened to", "Environment", "Accessibility"):
        assert name in page
    added = post_form(client, "/inspections/standards/new",
                      {"name": "  Safety   online ", "description": "Whether wifi is safe."})
    assert added.status_code == 302
    from feedback.extensions import db
    from feedback.models import InspectionStandard
    with app.app_context():
        new = db.session.execute(db.select(InspectionStandard).filter_by(
            name="Safety online")).scalar_one()
    changed = post_form(client, f"/inspections/standards/{new.id}",
                        {"name": "Being safe online", "description": "Wifi and apps."})
    assert changed.status_code == 302
    # Unused: deleted.
    assert post_form(client, f"/inspections/standards/{new.id}/remove", {},
                     form_url="/inspections/standards").status_code == 302
    assert _count(app, InspectionStandard) == 5

    # Used by a report: retired, kept for the report, not offered to a new one.
    client.post("/logout", data={"csrf_token": _token(client)})
    login_as("participation_worker")
    assert _record(client, ids).status_code == 302
    if role == "admin":
        client.post("/logout", data={"csrf_token": _token(client)})
        login_as("admin")
    welcome = ids["standards"][0]
    assert post_form(client, f"/inspections/standards/{welcome}/remove", {},
                     form_url="/inspections/standards").status_code == 302
    with app.app_context():
        kept = db.session.get(InspectionStandard, welcome)
        assert kept is not None and kept.retired_at is not None
    assert "Retired" in client.get("/inspections/standards").get_data(as_text=True)
    if role == "participation_worker":
        form = client.get("/inspections/new").get_data(as_text=True)
        assert f'name="score_{welcome}"' not in form and f'name="score_{ids["standards"][1]}"' in form
        report = client.get(f"/inspections/{_only_report(app).id}").get_data(as_text=True)
        assert "Welcome" in report  # the report keeps the standard it scored
    assert post_form(client, f"/inspections/standards/{welcome}/restore", {},
                     form_url="/inspections/standards").status_code == 302
    with app.app_context():
        assert db.session.get(InspectionStandard, welcome).retired_at is None


@pytest.mark.parametrize("data, message", [
    ({"name": "", "description": "x"}, "Enter the standard&#39;s name"),
    ({"name": "Welcome", "description": "again"}, "There is already a standard called"),
    ({"name": "welcome", "description": "again"}, "There is already a standard called"),
    ({"name": "x" * 81, "description": "x"}, "Name must be 80 characters or fewer"),
    ({"name": "Fine", "description": ""}, "Enter what the standard looks at"),
    ({"name": "Fine", "description": "y" * 301}, "Description must be 300 characters or fewer"),
    ({"name": "Bad\x00name", "description": "x"}, "control character"),
])
def test_standard_validation(app, client, login_as, data, message):
    _setup(app)
    login_as("participation_worker")
    page = post_form(client, "/inspections/standards/new", data)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html and "govuk-error-summary" in html
    from feedback.models import InspectionStandard
    assert _count(app, InspectionStandard) == 5


@pytest.mark.parametrize("role, code", [("commissioner", 403), ("provider", 403),
                                        ("moderator", 403)])
def test_only_participation_workers_and_admins_edit_standards(app, client, login_as, role, code):
    _setup(app)
    login_as(role)
    assert client.get("/inspections/standards").status_code == code
    assert client.get("/inspections/standards/new").status_code == code


# --- recording a report ----------------------------------------------------------------------

def _token(client):
    from tests.helpers import csrf_token
    return csrf_token(client, "/staff")


def test_a_report_is_recorded_with_scores_and_its_items_wait_for_moderation(app, client,
                                                                             login_as):
    ids = _setup(app)
    login_as("participation_worker")
    form = client.get("/inspections/new").get_data(as_text=True)
    assert 'id="visit_date-day"' in form and "4 - Excellent" in form
    assert "Not looked at this time" in form
    sent = _record(client, ids, **{f"score_{ids['standards'][4]}": "0"})
    assert sent.status_code == 302
    report = _only_report(app)
    assert sent.headers["Location"].endswith(f"/inspections/{report.id}")
    assert report.group_name == "Epsom and Ewell Young Inspectors" and report.inspectors == 6
    from feedback.extensions import db
    from feedback.models import Inspection
    with app.app_context():
        report = db.session.get(Inspection, report.id)
        assert sorted(s.score for s in report.scores) == [1, 2, 3, 4]  # the fifth: not looked at
    items = _items(app)
    assert [i.could_be_better for i in items] == [
        "The waiting room needs posters that are not for little kids",
        "Text us the appointment time instead of sending a letter to 07700 900123",
        "Put a sign with the opening hours outside"]
    assert all(i.moderation_state == "pending" and not i.safeguarding_flagged for i in items)
    assert "[phone number]" in items[1].could_be_better_redacted
    assert all(i.respondent_type == "young_person" and i.families_represented == 1
               for i in items)
    assert clock.uk_date_of(items[0].created_at) == ids["today"]
    page = client.get(f"/inspections/{report.id}").get_data(as_text=True)
    assert "Waiting for moderation" in page and "07700" not in page
    assert "Not looked at this time" in page and "4 - Excellent" in page
    # The same form sent again saves nothing more.
    again = _record(client, ids)
    assert again.status_code == 302 and _count(app, Inspection) == 1 and len(_items(app)) == 3


@pytest.mark.parametrize("changes, message", [
    ({"service": ""}, "Select the service that was inspected"),
    ({"visit_date": ["", "", ""]}, "Enter the date of the visit"),
    ({"visit_date": ["31", "2", "2026"]}, "Date of the visit must be a real date"),
    ({"visit_date": "future"}, "Date of the visit must be today or in the past"),
    ({"group_name": "  "}, "Enter the name of the youth group"),
    ({"group_name": "g" * 121}, "Youth group must be 120 characters or fewer"),
    ({"inspectors": ""}, "Enter how many young inspectors took part"),
    ({"inspectors": "six"}, "Enter how many young inspectors took part, as a number"),
    ({"inspectors": "0"}, "Number of young inspectors must be between 1 and 50"),
    ({"inspectors": "51"}, "Number of young inspectors must be between 1 and 50"),
    ({"score": None}, "Select a score for Welcome"),
    ({"score": "9"}, "Select a score for Welcome"),
    ({"what_was_good": "", "should_change": ""}, "Enter what was good or what should change"),
    ({"what_was_good": "g" * 2001}, "What was good must be 2,000 characters or fewer"),
    ({"should_change": "c" * 501}, "Item 1 of what should change must be 500 characters"),
    ({"should_change": "\n".join(f"Item {n}" for n in range(21))}, "up to 20 items"),
    ({"should_change": "Fix the lift\x07 please"}, "control character"),
    ({"what_was_good": "Jayden, Olivia, Ethan and Chloe came with me"},
     "This looks like a list of names (Jayden, Olivia, Ethan, Chloe)"),
    ({"group_name": "Amelia and Harry"}, "This looks like a list of names"),
])
def test_bad_input_gets_a_clear_message_and_keeps_the_words(app, client, login_as, changes,
                                                            message):
    ids = _setup(app)
    login_as("participation_worker")
    changes = dict(changes)
    if changes.get("visit_date") == "future":
        later = ids["today"] + timedelta(days=1)
        changes["visit_date"] = [str(later.day), str(later.month), str(later.year)]
    if "score" in changes:
        value = changes.pop("score")
        changes[f"score_{ids['standards'][0]}"] = value
    page = _record(client, ids, **changes)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html.replace("&#39;", "'"), html[:3000]
    assert "govuk-error-summary" in html
    if "should_change" not in changes:
        assert "Put a sign with the opening hours outside" in html  # nothing typed is lost
    from feedback.models import FeedbackEntry, Inspection
    assert _count(app, Inspection) == 0 and _count(app, FeedbackEntry) == 0


def test_a_name_warning_can_be_confirmed_when_the_words_are_not_names(app, client, login_as):
    ids = _setup(app)
    login_as("participation_worker")
    words = "We liked the Jack and Sophie murals in the hall (they are painted characters)"
    assert _record(client, ids, what_was_good=words).status_code == 400
    assert _record(client, ids, what_was_good=words, not_names="y").status_code == 302
    assert "[name]" in _only_report(app).what_was_good_redacted  # still redacted for display


@pytest.mark.parametrize("role", ["commissioner", "provider", "moderator", "admin"])
def test_only_participation_workers_record_reports(app, client, login_as, role):
    ids = _setup(app)
    login_as(role, organisation=None)
    assert client.get("/inspections/new").status_code == 403
    from tests.helpers import csrf_token
    token = csrf_token(client, "/staff")
    assert client.post("/inspections/new", data={**_form(ids), "csrf_token": token}
                       ).status_code == 403
    from feedback.models import Inspection
    assert _count(app, Inspection) == 0


def test_a_concerning_item_goes_to_the_safeguarding_lead_not_the_counts(app, client, login_as):
    ids = _setup(app)
    login_as("participation_worker")
    concern = "One of us said a staff member hits kids when nobody is looking"
    assert _record(client, ids, should_change=f"Cleaner toilets\n{concern}").status_code == 302
    flagged = [i for i in _items(app) if i.safeguarding_flagged]
    assert [i.could_be_better for i in flagged] == [concern]
    page = client.get(f"/inspections/{_only_report(app).id}").get_data(as_text=True)
    assert "With the safeguarding lead" in page


# --- counted in insight, themes and the pack -------------------------------------------------

def _approve_all(app, client, make_user):
    from tests.helpers import sign_in
    client.post("/logout", data={"csrf_token": _token(client)})
    assert sign_in(client, make_user("moderator")).status_code == 302
    for item in _items(app):
        if not item.safeguarding_flagged:
            assert approve_as_shown(client, "feedback", item.id).status_code == 302
    client.post("/logout", data={"csrf_token": _token(client)})


def test_published_items_count_in_insight_themes_and_the_pack(app, client, db, login_as,
                                                              make_user):
    from feedback.contracts.pack import build_pack
    from feedback.contracts.periods import Period
    from feedback.insight import queries
    from feedback.insight.filters import Filters
    from feedback.models import ContractReview, ThemeAssignment
    from tests.factories import make_cards, run_full

    ids = _setup(app)
    login_as("participation_worker")
    assert _record(client, ids).status_code == 302
    report_id = _only_report(app).id
    f = Filters(service_ids=(ids["service"],), source="young_inspectors")
    assert queries.total_people(f) == 0  # nothing counts before moderation
    review = db.session.get(ContractReview, ids["review"])
    period = Period("quarter", review.period_start, review.period_end)
    section = build_pack(ids["contract"], period, today=ids["today"]).inspections[0]
    assert section.changes == () and section.waiting == 3

    _approve_all(app, client, make_user)
    assert queries.total_people(f) == 3  # one voice per item
    by_source = {r.key: r.people for r in queries.breakdown(
        Filters(service_ids=(ids["service"],)), "source", threshold=0)}
    assert by_source == {"young_inspectors": 3}
    assert queries.SOURCES if hasattr(queries, "SOURCES") else True
    from feedback.insight.filters import SOURCES
    assert SOURCES["young_inspectors"] == "Young Inspectors"

    # Themes: the items are themed with everything else.
    from feedback.models import Service
    make_cards(db, db.session.get(Service, ids["service"]), per_topic=12)
    run = run_full(db)
    assert run.status == "succeeded", run.error
    item_ids = [i.id for i in _items(app)]
    themed = db.session.execute(db.select(ThemeAssignment.feedback_entry_id).where(
        ThemeAssignment.feedback_entry_id.in_(item_ids))).scalars().all()
    assert sorted(themed) == sorted(item_ids)
    themed_people = sum(r.people for r in queries.theme_summary(f, threshold=0))
    assert themed_people == 3

    pack = build_pack(ids["contract"], period, today=ids["today"])
    (section,) = pack.inspections
    assert section.group == "Epsom and Ewell Young Inspectors" and section.inspectors == 6
    assert section.waiting == 0 and len(section.changes) == 3
    assert any("[phone number]" in c for c in section.changes)
    assert not any("07700" in c for c in section.changes)
    assert [s.standard for s in section.scores][:2] == ["Welcome", "Information"]
    assert type(pack).from_dict(pack.to_dict()) == pack  # a held review's frozen pack keeps it

    login_as("commissioner")
    page = client.get(f"/contracts/reviews/{ids['review']}/pack").get_data(as_text=True)
    assert "Young Inspectors' reports" in page and "Put a sign with the opening hours outside" in page
    word = client.get(f"/contracts/reviews/{ids['review']}/pack.docx")
    assert word.status_code == 200
    import docx
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert "Young Inspectors' reports" in text and "Put a sign with the opening hours outside" in text
    import openpyxl
    sheet = client.get(f"/contracts/reviews/{ids['review']}/pack.xlsx")
    rows = [tuple(r) for r in openpyxl.load_workbook(io.BytesIO(sheet.data))[
        "Young Inspectors"].iter_rows(values_only=True)]
    assert ("Epsom Youth Counselling", "What should change",
            "Put a sign with the opening hours outside") in {(r[0], r[4], r[6]) for r in rows}
    dashboard = client.get(f"/insight?period=all&service={ids['service']}").get_data(as_text=True)
    assert f"/inspections/{report_id}" in dashboard and "Young Inspectors" in dashboard


# --- the provider's response and scoping -----------------------------------------------------

def test_the_provider_responds_from_its_home_and_other_providers_get_404(app, client, login_as,
                                                                        make_user):
    from feedback.extensions import db
    from feedback.models import Organisation
    ids = _setup(app)
    login_as("participation_worker")
    assert _record(client, ids).status_code == 302
    report = _only_report(app)
    assert _upload(client, report.id, PNG, "visit.png").status_code == 302
    with app.app_context():
        file_id = db.session.get(type(report), report.id).files[0].id
        ours = db.session.get(Organisation, ids["org"])
        theirs = db.session.get(Organisation, ids["other_org"])
    client.post("/logout", data={"csrf_token": _token(client)})

    login_as("provider", organisation=theirs)
    for url in (f"/inspections/{report.id}", f"/inspections/{report.id}/response",
                f"/inspections/{report.id}/report.docx",
                f"/inspections/{report.id}/files/{file_id}"):
        assert client.get(url).status_code == 404, url
    from tests.helpers import csrf_token
    refused = client.post(f"/inspections/{report.id}/response",
                          data={"response": "Not ours", "csrf_token": csrf_token(client, "/staff")})
    assert refused.status_code == 404
    assert f"/inspections/{report.id}" not in client.get("/provider").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": _token(client)})

    login_as("provider", organisation=ours, name="Priya Provider")
    home = client.get("/provider").get_data(as_text=True)
    assert f"/inspections/{report.id}/response" in home and "Young Inspectors" in home
    for body, message in (("", "Enter your response"), ("x" * 3001, "3,000 characters or fewer"),
                          ("Thanks\x1b[0m", "control character")):
        bad = post_form(client, f"/inspections/{report.id}/response", {"response": body})
        assert bad.status_code == 400 and message in bad.get_data(as_text=True)
    answer = "Thank you. We are ordering new posters with young people this month."
    sent = post_form(client, f"/inspections/{report.id}/response", {"response": answer})
    assert sent.status_code == 302
    page = client.get(f"/inspections/{report.id}").get_data(as_text=True)
    assert answer in page and "Priya Provider" in page
    got = client.get(f"/inspections/{report.id}/files/{file_id}")
    assert got.data == PNG
    got.close()
    client.post("/logout", data={"csrf_token": _token(client)})

    login_as("commissioner")
    assert answer in client.get(f"/inspections/{report.id}").get_data(as_text=True)
    assert client.get(f"/inspections/{report.id}/response").status_code == 403
    listing = client.get("/inspections").get_data(as_text=True)
    assert "Epsom Youth Counselling" in listing and "Record a report" not in listing


# --- files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("upload, message", [
    ((b"just some text pretending", "photo.png"), "must be a photo (JPEG or PNG) or a PDF"),
    ((b"MZ\x90\x00 an exe", "report.pdf"), "must be a photo (JPEG or PNG) or a PDF"),
    ((b"", "empty.png"), "Select a photo or PDF to add"),
    ((PNG + b"\x00" * (5 * 1024 * 1024), "big.png"), "must be smaller than 5 MB"),
])
def test_files_are_checked_by_content_and_bounded(app, client, login_as, upload, message):
    ids = _setup(app)
    login_as("participation_worker")
    assert _record(client, ids).status_code == 302
    report = _only_report(app)
    data, name = upload
    page = _upload(client, report.id, data, name)
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    from feedback.models import InspectionFile
    assert _count(app, InspectionFile) == 0


def test_a_file_is_kept_outside_the_web_root(app, client, login_as):
    from pathlib import Path
    ids = _setup(app)
    login_as("participation_worker")
    assert _record(client, ids).status_code == 302
    report = _only_report(app)
    pdf = b"%PDF-1.4\n% a visit\n"
    assert _upload(client, report.id, pdf, "../../static/evil.pdf").status_code == 302
    from feedback.extensions import db
    from feedback.models import InspectionFile
    with app.app_context():
        row = db.session.execute(db.select(InspectionFile)).scalar_one()
    stored = Path(app.instance_path) / "inspection_files" / row.stored_name
    assert stored.read_bytes() == pdf and row.filename == "evil.pdf"
    assert not stored.resolve().is_relative_to((ROOT / "static").resolve())
    got = client.get(f"/inspections/{report.id}/files/{row.id}")
    assert got.status_code == 200 and got.data == pdf
    assert "attachment" in got.headers["Content-Disposition"]
    got.close()
    stored.unlink()


# --- Word ------------------------------------------------------------------------------------

def test_the_word_export_opens_and_holds_the_report(app, client, login_as, make_user):
    import docx
    ids = _setup(app)
    login_as("participation_worker")
    assert _record(client, ids).status_code == 302
    report = _only_report(app)
    _approve_all(app, client, make_user)
    login_as("commissioner")
    got = client.get(f"/inspections/{report.id}/report.docx")
    assert got.status_code == 200
    assert re.search(r"young-inspectors-\d{4}-\d\d-\d\d-epsom-youth-counselling\.docx",
                     got.headers["Content-Disposition"])
    document = docx.Document(io.BytesIO(got.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Young Inspectors' report" in text and "Epsom and Ewell Young Inspectors" in text
    assert "Put a sign with the opening hours outside" in text and "[phone number]" in text
    assert "07700" not in text and "The provider has not responded yet." in text
    assert "Welcome" in cells and "1 - Not good enough" in cells
    assert [p.style.name for p in document.paragraphs if p.text == "What should change"] \
        == ["Heading 2"]
