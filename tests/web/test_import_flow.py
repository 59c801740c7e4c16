"""Bulk import through the web: upload, map columns with a preview, an exact
row-level report, one-transaction import, and no duplicates on re-upload."""
from __future__ import annotations

import html
import io
import re

import pytest

from tests.helpers import csrf_token
from tests.fixtures.family_data import (HEADERS, make_services, messy_csv, messy_xlsx,
                                        sheet_row_of)

FORUM = "Shire Family Voice"


@pytest.fixture()
def services(app):
    return make_services(app)


def upload(client, data: bytes, filename: str, **extra):
    """A real multipart upload. The body is encoded in memory: werkzeug's test
    client would spool large bodies to a temporary file it never closes."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import stream_encode_multipart
    token = csrf_token(client, "/feedback/import")
    fields = {"csrf_token": token, **extra,
              "file": FileStorage(io.BytesIO(data), filename=filename)}
    stream, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post("/feedback/import", data=stream.read(),
                       content_type=f"multipart/form-data; boundary={boundary}")


def map_columns(client, mapping: dict[str, int] | None = None):
    page = client.get("/feedback/import/columns").get_data(as_text=True)
    fields = re.findall(r'<select class="govuk-select[^"]*" id="(col_\w+)" name="col_\w+"', page)
    chosen = {}
    for name in fields:
        option = re.search(rf'name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
        selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                             option)
        chosen[name] = next((g for g in selected.groups() if g is not None), "") if selected else ""
    chosen.update({f"col_{k}": str(v) for k, v in (mapping or {}).items()})
    chosen["csrf_token"] = csrf_token(client, "/feedback/import/columns")
    return page, client.post("/feedback/import/columns", data=chosen)


def report(client) -> str:
    return client.get("/feedback/import/check").get_data(as_text=True)


def confirm(client):
    """Confirm the import; without Redis it runs inline, so the progress page it
    redirects to answers with the outcome (returned here)."""
    token = csrf_token(client, "/feedback/import/check")
    response = client.post("/feedback/import/check", data={"csrf_token": token,
                                                           "consent_collected": "y"})
    if response.status_code == 302 and response.headers["Location"].endswith("/progress"):
        return client.get("/feedback/import/progress")
    return response


def problems_in(page: str) -> dict[int, str]:
    rows = re.findall(r'<th scope="row" class="govuk-table__header">Row (\d+)</th>\s*'
                      r'<td class="govuk-table__cell"><ul[^>]*>(.*?)</ul>', page, re.S)
    return {int(n): html.unescape(re.sub(r"<[^>]+>", " ", body).strip()) for n, body in rows}


def imported(app):
    from feedback.extensions import db
    from feedback.models import FeedbackEntry, ImportBatch
    with app.app_context():
        entries = db.session.execute(db.select(FeedbackEntry).order_by(
            FeedbackEntry.import_row_number)).scalars().all()
        batches = db.session.execute(db.select(ImportBatch)).scalars().all()
        for obj in (*entries, *batches):
            db.session.expunge(obj)
        return entries, batches


@pytest.mark.slow
def test_messy_csv_of_5000_rows(app, client, login_as, services):
    login_as("forum_rep", organisation=FORUM)
    data, blanks = messy_csv(5000)
    sent = upload(client, data, "coffee mornings.csv")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/feedback/import/columns")
    page, mapped = map_columns(client)
    # Preview of the first rows and the guessed columns.
    assert "Spring coffee morning, table 0" in page and "First 5 rows" in page
    assert "4 blank rows were skipped" in page
    assert mapped.status_code == 302
    check = report(client)
    # Exact row-level report: the person's row numbers (header is row 1; blank rows count).
    assert problems_in(check) == {
        12: "Service 'Nowhere Clinic' is not a service we know. Use a name from the Services "
            "sheet of the template",
        22: "Rating must be a whole number from 1 to 5 (it is 7)",
        32: "Enter what went well or what could be better",
        42: "Date must be a real date, like 14/03/2026 (it is '31/02/2026')",
        52: "What went well must be 2,000 characters or fewer (it has 2,001)",
    }
    assert re.search(r"Ready to import\s*</dt>\s*<dd[^>]*>\s*4,995\s*<", check)
    assert blanks == [1002, 2003, 3004, 4005]
    assert "Blank rows skipped: 1002, 2003, 3004, 4005" in check
    done = confirm(client)
    assert done.status_code == 302 and "/feedback/import/batches/" in done.headers["Location"]
    entries, [batch] = imported(app)
    assert len(entries) == 4995
    assert (batch.rows_total, batch.rows_imported, batch.rows_invalid, batch.rows_duplicate) == \
        (5000, 4995, 5, 0)
    first = entries[0]
    assert first.import_row_number == 2 and first.import_batch_id == batch.id
    assert first.went_well == "Theme 0: the Saturday club staff knew my daughter's needs 😊"
    assert first.could_be_better == "Theme 0: letters arrive late; «Ω» accents é stay exact"
    assert first.source == "forum_import" and first.forum_id is not None
    assert first.moderation_state == "pending" and first.consent_collected
    assert first.went_well_redacted is not None
    # After a blank row, numbers still match the spreadsheet.
    assert {e.import_row_number for e in entries} >= {1001, 1003, 5004}
    assert 1002 not in {e.import_row_number for e in entries}

    # The same file again: nothing new, every row reported as a duplicate.
    upload(client, data, "coffee mornings (copy).csv")
    map_columns(client)
    again = report(client)
    assert "This file was imported before" in again
    assert re.search(r"Duplicates \(skipped\)\s*</dt>\s*<dd[^>]*>\s*4,995\s*<", again)
    assert "There are no new rows to import" in again
    assert len(imported(app)[0]) == 4995


def test_messy_xlsx_with_merged_headers_and_formulas(app, client, login_as, services):
    login_as("forum_rep", organisation=FORUM)
    upload(client, messy_xlsx(400), "survey.xlsx")
    page, _ = map_columns(client, {"went_well": 3, "could_be_better": 4})
    # The title row is skipped; the merged "Comments" header names both its columns.
    assert ">Comments<" in page and ">Comments (2)<" in page
    assert "under the headings in row 2" in page and "2 blank rows were skipped" in page
    check = report(client)
    found = problems_in(check)
    assert found[305] == ("Cell C305 holds a formula with no saved result. Replace the formula "
                          "with its value and upload the file again")
    assert found[13].startswith("Service 'Nowhere Clinic'")   # data row 10: title, header, then 3..
    assert sorted(found) == [13, 23, 33, 43, 53, 305]
    assert 205 not in found  # its formula has a saved result (4)
    confirm(client)
    entries, [batch] = imported(app)
    by_row = {e.import_row_number: e for e in entries}
    assert by_row[205].rating == 4
    assert 103 not in by_row and 104 not in by_row and 305 not in by_row
    assert batch.rows_invalid == 6 and batch.rows_imported == 394


def test_rows_already_imported_from_another_file_are_duplicates(app, client, login_as, services):
    login_as("forum_rep", organisation=FORUM)
    data, _ = messy_csv(60)
    upload(client, data, "first.csv")
    map_columns(client)
    confirm(client)
    # A new file holding 10 of the same rows plus a new one, in another order.
    lines = data.decode("utf-8-sig").split("\r\n")
    newer = [lines[0], *reversed(lines[1:11]),
             "Portage Home Visiting;Parent or carer;5;Brand new;;Event;New day;01/03/2026;;2"]
    upload(client, "\r\n".join(newer).encode("utf-8"), "second.csv")
    map_columns(client)
    check = report(client)
    assert re.search(r"Duplicates \(skipped\)\s*</dt>\s*<dd[^>]*>\s*10\s*<", check)
    assert "Already imported" in check
    confirm(client)
    entries, batches = imported(app)
    assert len(batches) == 2 and sum(e.went_well == "Brand new" for e in entries) == 1


@pytest.mark.parametrize("data, filename, message", [
    (b"", "empty.csv", "The file is empty"),
    (b"Service,What went well\r\n", "header-only.csv", "header row but no feedback rows"),
    (b"PK\x03\x04not really a zip", "broken.xlsx", "could not be opened"),
    (b"\xd0\xcf\x11\xe0", "old.xls", "must be a CSV or an Excel .xlsx file"),
])
def test_unreadable_files_get_a_clear_message(client, login_as, data, filename, message):
    login_as("forum_rep", organisation=FORUM)
    page = upload(client, data, filename).get_data(as_text=True)
    assert "govuk-error-summary" in page and message in page


def test_row_cap_is_explained(app, client, login_as, services, monkeypatch):
    from feedback.family import imports
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 50)
    login_as("forum_rep", organisation=FORUM)
    data, _ = messy_csv(51, blank_every=10_000)
    page = upload(client, data, "big.csv").get_data(as_text=True)
    assert "The file has more than 50 rows" in page


def test_mapping_errors_are_clear(client, login_as, services):
    login_as("forum_rep", organisation=FORUM)
    data, _ = messy_csv(5)
    upload(client, data, "x.csv")
    token = csrf_token(client, "/feedback/import/columns")
    page = client.post("/feedback/import/columns", data={
        "csrf_token": token, "col_service": "", "col_went_well": "3",
        "col_could_be_better": "3"}).get_data(as_text=True)
    assert "Select the column for Service" in page
    assert "Each column can be used once" in page


def test_template_downloads_and_error_report(app, client, login_as, services):
    login_as("commissioner")
    csv_template = client.get("/feedback/import/template.csv")
    assert csv_template.data.decode("utf-8-sig").strip().split(",")[:3] == [
        "Service", "Who gave the feedback", "Rating"]
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get("/feedback/import/template.xlsx").data))
    assert book.sheetnames == ["Feedback", "How to fill in", "Services", "Areas"]
    assert [c.value for c in book["Services"]["A"]][1:] == sorted(services)
    guide = " ".join(str(c.value) for c in book["How to fill in"]["A"])
    assert "up to 50,000 rows of feedback and 200 columns" in guide
    # A commissioner imports for a chosen forum; the row report downloads as CSV.
    from feedback.extensions import db
    from feedback.models import Organisation
    with app.app_context():
        forum = Organisation(name=FORUM, kind="parent_carer_forum")
        db.session.add(forum)
        db.session.commit()
        forum_id = forum.id
    data, _ = messy_csv(30)
    upload(client, data, "c.csv", forum=str(forum_id))
    map_columns(client)
    rows = client.get("/feedback/import/errors.csv").data.decode("utf-8-sig").split("\r\n")
    assert rows[0] == "Row,Outcome,Why"
    assert rows[1].startswith("12,Problem,Service 'Nowhere Clinic'")
    confirm(client)
    entries, [batch] = imported(app)
    assert batch.forum_id == forum_id and all(e.forum_id == forum_id for e in entries)
    assert client.get(f"/feedback/import/batches/{batch.id}").status_code == 200


def test_upload_of_another_person_is_not_reachable(app, client, login_as, services, make_user):
    from tests.helpers import sign_in
    login_as("forum_rep", organisation=FORUM)
    data, _ = messy_csv(5)
    upload(client, data, "mine.csv")
    cookie = client.get_cookie("vtc_session")
    other = make_user("forum_rep", organisation=FORUM)
    thief = app.test_client()
    thief.set_cookie("vtc_session", cookie.value)
    thief.post("/logout", data={"csrf_token": csrf_token(thief, "/staff")})
    sign_in(thief, other)
    assert thief.get("/feedback/import/columns").status_code == 302
    assert HEADERS[0] == "Service"


def test_with_redis_the_check_and_the_import_run_in_the_worker(make_app, make_user, services,
                                                                redis_url):
    """No web request reads, checks or imports the file: each step queues an RQ job, the page
    says it is working (and reloads), and the worker's result is shown when it is done."""
    import uuid

    from redis import Redis
    from rq import Queue, SimpleWorker

    from tests.helpers import sign_in

    queue_name = f"imports-test-{uuid.uuid4().hex[:8]}"
    rq_app = make_app(REDIS_URL=redis_url, IMPORT_QUEUE=queue_name)
    client = rq_app.test_client()
    assert sign_in(client, make_user("forum_rep", organisation=FORUM)).status_code == 302
    queue = Queue(queue_name, connection=Redis.from_url(redis_url))

    def work():
        with rq_app.app_context():
            SimpleWorker([queue], connection=queue.connection).work(burst=True)

    data, _ = messy_csv(40)
    assert upload(client, data, "queued.csv").headers["Location"].endswith("/columns")
    assert queue.count == 1
    reading = client.get("/feedback/import/columns").get_data(as_text=True)
    assert "Reading your file" in reading and 'http-equiv="refresh"' in reading
    work()
    map_columns(client)
    assert queue.count == 1
    waiting = report(client)
    assert "Checking your file" in waiting and 'http-equiv="refresh"' in waiting
    work()
    check = report(client)
    assert re.search(r"Ready to import\s*</dt>\s*<dd[^>]*>\s*\d+\s*<", check), check[:2000]
    token = csrf_token(client, "/feedback/import/check")
    response = client.post("/feedback/import/check", data={"csrf_token": token,
                                                           "consent_collected": "y"})
    assert response.headers["Location"].endswith("/feedback/import/progress")
    progress = client.get("/feedback/import/progress").get_data(as_text=True)
    assert "Importing your file" in progress
    entries, batches = imported(rq_app)
    assert not entries and not batches  # nothing imported by the web request
    work()
    done = client.get("/feedback/import/progress")
    assert "/feedback/import/batches/" in done.headers["Location"]
    entries, [batch] = imported(rq_app)
    assert len(entries) == batch.rows_imported > 0


def test_a_failed_background_check_says_so(app, client, login_as, services, monkeypatch):
    from feedback.family import imports
    login_as("forum_rep", organisation=FORUM)
    data, _ = messy_csv(10)
    upload(client, data, "x.csv")

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")
    monkeypatch.setattr(imports, "check_file", broken)
    _, response = map_columns(client)
    page = client.get(client.get("/feedback/import/check").headers["Location"])
    assert "could not be checked or imported" in page.get_data(as_text=True)
