"""Performance Monitoring Form returns through the HTTP client, on SQLite and PostgreSQL:
scoping (another provider's ids answer 404), draft, submit and lock, return for correction,
accept, validation messages, the XLSX form round trip and its row errors, supporting
files, the email to the contract manager, overdue lists and the review pack."""
from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import csrf_token, post_form, sign_in
from tests.web.returns_factories import contract_with_manager, good_answers


def _upload(client, url: str, data: bytes, name: str):
    """POST a file with the multipart body built in memory (the test client would spool a
    large one to a temporary file that nothing closes: see test_fuzz_uploads._upload)."""
    boundary, body = encode_multipart({
        "csrf_token": csrf_token(client, url),
        "file": FileStorage(io.BytesIO(data), filename=name,
                            content_type="application/octet-stream")})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _logout(client):
    assert post_form(client, "/logout", {}, form_url="/staff").status_code == 302


def _return(app, made):
    from feedback.extensions import db
    from feedback.models import PerformanceReturn
    with app.app_context():
        found = db.session.execute(db.select(PerformanceReturn).filter_by(
            contract_id=made["contract"])).scalar_one_or_none()
        if found is None:
            return None
        return {"status": found.status, "heard": found.heard,
                "values": {v.kpi_id: v.value for v in found.values},
                "narratives": {v.kpi_id: v.narrative for v in found.values},
                "reason": found.correction_reason, "complaints": found.complaints,
                "files": [(f.filename, f.kind, f.stored_name) for f in found.files]}


def _submit(client, made, **changes):
    data = good_answers(made, **changes)
    data["submit_return"] = "Submit return"
    return post_form(client, made["url"], data)


def _save(client, made, data):
    data = dict(data, save="Save as draft")
    return post_form(client, made["url"], data)


def _audit(app, action):
    from feedback.extensions import db
    from feedback.models import AuditEvent
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action)).scalar_one()


def test_another_providers_return_answers_404_everywhere(app, client, login_as):
    ours = contract_with_manager(app)
    theirs = contract_with_manager(app)
    login_as("provider", organisation=ours["org"])
    assert client.get(ours["url"]).status_code == 200
    for suffix in ("", "/form.xlsx", "/upload", "/files", "/files/1"):
        assert client.get(theirs["url"] + suffix).status_code == 404, suffix
    assert post_form(client, theirs["url"], good_answers(theirs, save="Save"),
                     form_url=ours["url"]).status_code == 404
    assert post_form(client, theirs["url"] + "/files/1/remove", {},
                     form_url=ours["url"]).status_code == 404
    assert _return(app, theirs) is None
    page = client.get("/returns").get_data(as_text=True)
    assert ours["reference"] in page and theirs["reference"] not in page
    # A period that is not one of the contract's quarters, or a date that is no date: 404.
    for bad in ("2026-02-01", "not-a-date", "2099-01-01", "1990-01-01"):
        assert client.get(f"/returns/{ours['contract']}/{bad}").status_code == 404, bad


def test_wrong_roles_are_refused(app, client, login_as):
    made = contract_with_manager(app)
    login_as("moderator")
    assert client.get("/returns").status_code == 403
    assert client.get(made["url"]).status_code == 403
    _logout(client)
    login_as("commissioner")
    assert client.get(made["url"] + "/upload").status_code == 403
    assert client.get(made["url"] + "/files").status_code == 403


def test_draft_saves_incomplete_then_submit_locks_and_emails_the_manager(app, client,
                                                                         login_as, caplog):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    a = made["kpis"][0]
    response = _save(client, made, {f"value_{a}": "70", "heard": "Some of what we heard"})
    assert response.status_code == 302
    saved = _return(app, made)
    assert saved["status"] == "draft" and saved["values"][a] == 70
    assert saved["heard"] == "Some of what we heard"
    page = client.get(made["url"]).get_data(as_text=True)
    assert 'value="70"' in page and "Draft" in page
    caplog.set_level(logging.WARNING, logger="feedback.messages")
    response = _submit(client, made)
    assert response.status_code == 302
    assert _return(app, made)["status"] == "submitted"
    sent = [r.getMessage() for r in caplog.records if "[return_submitted]" in r.getMessage()]
    assert len(sent) == 1 and made["manager"] in sent[0] and made["reference"] in sent[0]
    assert made["period"].label in sent[0]
    assert "evening clinics" not in sent[0]
    # Locked: read-only for the provider, and a second submission (another tab) changes nothing.
    page = client.get(made["url"]).get_data(as_text=True)
    assert 'id="return-form"' not in page and "We opened two evening clinics" in page
    again = post_form(client, made["url"], dict(good_answers(made, complaints="9"),
                                                submit_return="Submit return"),
                      form_url="/returns")
    assert again.status_code == 302
    assert _return(app, made)["complaints"] == 0
    assert _audit(app, "return.submitted") == 1 and _audit(app, "return.saved") == 1


def test_two_tabs_submitting_submit_once(app, client, login_as):
    """The second tab read the return as a draft before the first submitted it: its
    submission finds the state changed in the database (the UPDATE checks it) and stops."""
    from feedback.extensions import db
    from feedback.models import Contract, PerformanceReturn, User
    from feedback.returns import checks, services
    from sqlalchemy.orm.attributes import set_committed_value
    made = contract_with_manager(app)
    user = login_as("provider", organisation=made["org"])
    with app.app_context():
        contract = db.session.get(Contract, made["contract"])
        actor = db.session.get(User, user.id)
        data = checks.ReturnInput(values={k: (v, None) for k, v in zip(
            made["kpis"], ("95", "4", "0"))}, heard="h", changed="c",
            safeguarding_referrals="0", complaints="0")
        services.save(contract, made["period"], data, actor)
        db.session.execute(db.update(PerformanceReturn).values(status="submitted"))
        db.session.commit()  # the first tab's submission
        found = services.find(contract.id, made["period"])
        set_committed_value(found, "status", "draft")  # what the second tab read before it
        with pytest.raises(checks.ReturnError, match="submitted"):
            services.submit(contract, made["period"], data, actor, config=app.config,
                            link="x")
    assert _audit(app, "return.submitted") == 0
    assert _return(app, made)["status"] == "submitted"


def test_submission_needs_everything_and_narratives_off_target(app, client, login_as):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    a, b, c = made["kpis"]
    response = _submit(client, made, **{f"value_{a}": "", f"value_{b}": "9",
                                        "heard": "", "complaints": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the value for Seen within 18 weeks" in page
    assert "Explain why Waiting times is off target" in page  # 9 weeks against 6, lower is better
    assert "Enter what you heard from children and families this period" in page
    assert "Enter the number of complaints (0 if there were none)" in page
    assert f'href="#value_{a}"' in page and f'href="#narrative_{b}"' in page
    assert _return(app, made) is None  # nothing saved


@pytest.mark.parametrize("field_kpi, raw, message", [
    (0, "abc", "Seen within 18 weeks: &#39;abc&#39; is not a number"),
    (0, "101", "A percentage must be between 0 and 100"),
    (0, "-1", "The value must be 0 or more"),
    (2, "1.5", "&#39;1.5&#39; is not a whole number"),
    (1, "2.555", "at most 2 decimal places"),
    (1, "4\x07", "control character"),
    (1, "9" * 40, "is too large"),
])
def test_bad_values_are_refused_with_a_clear_message_and_nothing_saved(
        app, client, login_as, field_kpi, raw, message):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    kpi = made["kpis"][field_kpi]
    response = _save(client, made, good_answers(made, **{f"value_{kpi}": raw}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _return(app, made) is None


def test_too_long_text_and_bad_counts_are_refused(app, client, login_as):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    response = _save(client, made, good_answers(made, heard="x" * 8001,
                                                complaints="two", safeguarding_referrals="-3"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "must be 8,000 characters or fewer" in page
    assert "Number of complaints: &#39;two&#39; is not a number" in page
    assert "Number of safeguarding referrals: The value must be 0 or more" in page
    assert _return(app, made) is None


def test_return_for_correction_needs_a_reason_then_provider_edits_and_resubmits(
        app, client, login_as, make_user):
    made = contract_with_manager(app)
    provider = login_as("provider", organisation=made["org"])
    assert _submit(client, made).status_code == 302
    _logout(client)
    commissioner = make_user("commissioner")
    sign_in(client, commissioner)
    page = client.get(made["url"]).get_data(as_text=True)
    assert "Accept return" in page and "Return for correction" in page
    assert 'id="return-form"' not in page
    # A commissioner cannot change the provider's return.
    assert post_form(client, made["url"], good_answers(made, save="Save"),
                     form_url=made["url"] + "/correction").status_code == 403
    empty = post_form(client, made["url"] + "/correction", {"reason": "  "})
    assert empty.status_code == 400 and "Enter what the provider needs to correct" in \
        empty.get_data(as_text=True)
    assert _return(app, made)["status"] == "submitted"
    done = post_form(client, made["url"] + "/correction",
                     {"reason": "Waiting times look like days, not weeks."})
    assert done.status_code == 302
    assert _return(app, made)["status"] == "returned"
    _logout(client)
    sign_in(client, provider)
    page = client.get(made["url"]).get_data(as_text=True)
    assert "Waiting times look like days, not weeks." in page and 'id="return-form"' in page
    b = made["kpis"][1]
    assert _submit(client, made, **{f"value_{b}": "4"}).status_code == 302
    assert _return(app, made)["status"] == "submitted"
    _logout(client)
    sign_in(client, commissioner)
    assert post_form(client, made["url"] + "/accept", {}, form_url=made["url"]).status_code == 302
    assert _return(app, made)["status"] == "accepted"
    # Accepted: no more decisions.
    assert "Accept return" not in client.get(made["url"]).get_data(as_text=True)
    assert _audit(app, "return.returned_for_correction") == 1
    assert _audit(app, "return.accepted") == 1 and _audit(app, "return.submitted") == 2


def test_pack_takes_the_submitted_returns_values_and_says_when_none_was(app, client, login_as,
                                                                        make_user):
    from feedback.extensions import db
    from feedback.models import Contract
    from tests.web.contracts_factories import make_review
    made = contract_with_manager(app)
    with app.app_context():
        contract = db.session.get(Contract, made["contract"])
        review = make_review(db, contract, start=made["period"].start, end=made["period"].end)
        db.session.commit()
        review_id = review.id
    commissioner = make_user("commissioner")
    sign_in(client, commissioner)
    pack = client.get(f"/contracts/reviews/{review_id}/pack").get_data(as_text=True)
    assert "return for this period was not submitted" in pack
    _logout(client)
    login_as("provider", organisation=made["org"])
    b = made["kpis"][1]
    assert _submit(client, made, **{f"value_{b}": "6.5",
                                    f"narrative_{b}": "Two staff left in the summer."}
                   ).status_code == 302
    _logout(client)
    sign_in(client, commissioner)
    pack = client.get(f"/contracts/reviews/{review_id}/pack").get_data(as_text=True)
    table = pack.split('id="kpi-table"', 1)[1].split("</table>", 1)[0]
    assert "92%" in table and "6.5 weeks" in table and "Two staff left in the summer." in table
    assert "Amber" in table  # 6.5 weeks against 6, within the 10% tolerance
    assert "submitted on" in pack and "not yet accepted" in pack


def test_blank_form_downloads_with_kpis_and_round_trips(app, client, login_as):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    response = client.get(made["url"] + "/form.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Return"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == (f"KPI-{made['kpis'][0]}", "Seen within 18 weeks", "%", 90, "Higher")
    assert rows[2][1] == "Waiting times" and rows[2][2] == "weeks"
    assert "How to fill in" in book.sheetnames
    # Fill it in and upload it: the draft holds the values.
    refs = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    sheet.cell(refs[f"KPI-{made['kpis'][0]}"], 6, 88)
    sheet.cell(refs[f"KPI-{made['kpis'][0]}"], 7, "Two clinicians were off sick.")
    sheet.cell(refs[f"KPI-{made['kpis'][1]}"], 6, "5.25")
    sheet.cell(refs[f"KPI-{made['kpis'][2]}"], 6, 2)
    sheet.cell(refs["HEARD"], 6, "Young people want text reminders.")
    sheet.cell(refs["COMPLAINTS"], 6, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, made["url"] + "/upload", buffer.getvalue(), "return.xlsx")
    assert response.status_code == 302
    saved = _return(app, made)
    assert saved["status"] == "draft" and saved["complaints"] == 1
    assert saved["values"][made["kpis"][0]] == 88 and str(saved["values"][made["kpis"][1]]) \
        == "5.25"
    assert saved["narratives"][made["kpis"][0]] == "Two clinicians were off sick."
    # The form downloaded again carries the draft.
    again = load_workbook(io.BytesIO(client.get(made["url"] + "/form.xlsx").data))["Return"]
    assert [r for r in again.iter_rows(values_only=True) if r[0] == "HEARD"][0][5] == \
        "Young people want text reminders."


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Reference", "Item", "Unit", "Target", "Better when", "Value", "Narrative"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upload_with_row_errors_lists_each_and_saves_nothing(app, client, login_as):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    a, b, c = made["kpis"]
    data = _workbook([[f"KPI-{a}", "Seen", "%", 90, "Higher", 95],
                      [f"KPI-{b}", "Waiting times", "weeks", 6, "Lower", "abc"],
                      [f"KPI-{c}", "Moves", "count", 3, "Lower", 2.5],
                      ["COMPLAINTS", "Complaints", "", "", "", -1],
                      ["KPI-999999", "Not ours", "", "", "", 1]])
    response = _upload(client, made["url"] + "/upload", data, "return.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Row 3, KPI &#39;Waiting times&#39;: &#39;abc&#39; is not a number" in page
    assert "Row 4, KPI &#39;Placement moves&#39;: &#39;2.5&#39; is not a whole number" in page
    assert "Row 5, Complaints: The value must be 0 or more" in page
    assert "Row 6: &#39;KPI-999999&#39; is not a reference" in page
    assert _return(app, made) is None


@pytest.mark.parametrize("payload, name, message", [
    (b"not a spreadsheet at all", "return.xlsx", "could not be read as an Excel workbook"),
    (b"PK\x03\x04" + b"\x00" * 3 * 1024 * 1024, "return.xlsx", "must be smaller than 2 MB"),
])
def test_upload_of_a_broken_or_huge_file_is_refused(app, client, login_as, payload, name,
                                                    message):
    made = contract_with_manager(app)
    login_as("provider", organisation=made["org"])
    response = _upload(client, made["url"] + "/upload", payload, name)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _return(app, made) is None


def test_supporting_files_are_checked_stored_outside_the_web_root_and_scoped(
        app, client, login_as, make_user, tmp_path):
    made = contract_with_manager(app)
    app.config["RETURN_FILES_FOLDER"] = str(tmp_path)
    try:
        login_as("provider", organisation=made["org"])
        fake = _upload(client, made["url"] + "/files", b"MZ this is a program", "report.pdf")
        assert fake.status_code == 400 and "is not a PDF" in fake.get_data(as_text=True)
        wrong = _upload(client, made["url"] + "/files", b"%PDF-1.7", "report.exe")
        assert wrong.status_code == 400 and "must be a PDF, a Word document" in \
            wrong.get_data(as_text=True)
        big = _upload(client, made["url"] + "/files", b"%PDF-" + b"0" * (9 * 1024 * 1024),
                      "big.pdf")
        assert big.status_code == 400 and "must be smaller than 8 MB" in \
            big.get_data(as_text=True)
        ok = _upload(client, made["url"] + "/files", b"%PDF-1.7 quarterly report",
                     "Q report.pdf")
        assert ok.status_code == 302
        saved = _return(app, made)
        assert [(f[0], f[1]) for f in saved["files"]] == [("Q report.pdf", "pdf")]
        stored = tmp_path / saved["files"][0][2]
        assert stored.read_bytes() == b"%PDF-1.7 quarterly report"
        assert oct(stored.stat().st_mode & 0o777) == "0o600"
        page = client.get(made["url"]).get_data(as_text=True)
        link = page.split('id="return-files"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
        download = client.get(link)
        assert download.status_code == 200 and download.data == b"%PDF-1.7 quarterly report"
        _logout(client)
        other = contract_with_manager(app)
        login_as("provider", organisation=other["org"])
        assert client.get(link).status_code == 404
    finally:
        app.config.pop("RETURN_FILES_FOLDER", None)


def test_the_virus_scan_hook_refuses_a_file_and_keeps_nothing(app, client, login_as, tmp_path):
    made = contract_with_manager(app)
    app.config["RETURN_FILES_FOLDER"] = str(tmp_path)
    app.config["RETURN_FILE_SCANNER"] = lambda path: b"EICAR" not in Path(path).read_bytes()
    try:
        login_as("provider", organisation=made["org"])
        response = _upload(client, made["url"] + "/files", b"%PDF-1.4 EICAR", "bad.pdf")
        assert response.status_code == 400
        assert "did not pass the virus check" in response.get_data(as_text=True)
        assert list(tmp_path.iterdir()) == []
        # The command form of the hook: exit status 0 is clean, anything else refuses.
        app.config.pop("RETURN_FILE_SCANNER")
        for command, status in (("false", 400), ("true", 302)):
            app.config["RETURN_FILE_SCAN_COMMAND"] = command
            response = _upload(client, made["url"] + "/files", b"%PDF-1.4 report", "ok.pdf")
            assert response.status_code == status, command
        assert len(list(tmp_path.iterdir())) == 1
    finally:
        app.config.pop("RETURN_FILES_FOLDER", None)
        app.config.pop("RETURN_FILE_SCANNER", None)
        app.config.pop("RETURN_FILE_SCAN_COMMAND", None)


def test_overdue_returns_are_listed_for_commissioners_and_on_the_provider_home(
        app, client, login_as, make_user):
    from feedback import clock
    from feedback.returns.due import due_date
    made = contract_with_manager(app)
    period = made["period"].previous()  # due long ago whatever today is
    assert due_date(period, 20) < clock.today() - timedelta(days=1)
    commissioner = make_user("commissioner")
    sign_in(client, commissioner)
    page = client.get("/returns").get_data(as_text=True)
    overdue = page.split('id="overdue-returns"', 1)[1].split("</table>", 1)[0]
    assert made["reference"] in overdue and period.label in overdue
    _logout(client)
    login_as("provider", organisation=made["org"])
    home = client.get("/provider").get_data(as_text=True)
    panel = home.split('id="returns-due"', 1)[1].split("</ul>", 1)[0]
    assert period.label in panel and "Overdue" in panel


def test_the_review_page_links_to_the_providers_return(app, client, login_as):
    from feedback.extensions import db
    from feedback.models import Contract
    from tests.web.contracts_factories import make_review
    made = contract_with_manager(app)
    with app.app_context():
        contract = db.session.get(Contract, made["contract"])
        review = make_review(db, contract, start=made["period"].start, end=made["period"].end)
        db.session.commit()
        review_id = review.id
    login_as("provider", organisation=made["org"])
    assert _submit(client, made).status_code == 302
    page = client.get(f"/contracts/reviews/{review_id}").get_data(as_text=True)
    line = page.split('id="provider-return"', 1)[1].split("</p>", 1)[0]
    assert made["url"] in line and "submitted" in line and "takes its KPI values" in line
