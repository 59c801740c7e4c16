"""Oversized bodies and malformed import files are refused with a clear message."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, strategies as st

from tests.conftest import csrf_token


def _upload(client, data: bytes, name: str):
    return client.post("/feedback/import", data={
        "csrf_token": csrf_token(client, "/feedback/import"),
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _truncated_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 200)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    return buffer.getvalue()[:300]


# (A CSV that is not UTF-8 is read as Windows-1252, as Excel writes it: accepted.)
BAD_FILES = {
    "random bytes as xlsx": (bytes(range(256)) * 40, "feedback.xlsx"),
    "truncated zip": (_truncated_xlsx(), "feedback.xlsx"),
    "a CSV named .xlsx": (b"went_well,could_be_better\nGood,Bad\n", "feedback.xlsx"),
    "CSV with NULs": (b"went_well,could_be_better\nGo\x00od,Ba\x00d\n", "feedback.csv"),
    "empty file": (b"", "feedback.csv"),
    "one huge line": (b"x" * 3_000_000, "feedback.csv"),
    "an executable": (b"MZ\x90\x00" + bytes(500), "feedback.exe"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_malformed_upload_gets_a_clear_message(app, login_as, client, case):
    login_as("commissioner")
    data, name = BAD_FILES[case]
    response = _upload(client, data, name)
    assert response.status_code in (200, 413), response.status_code
    page = response.get_data(as_text=True)
    if response.status_code == 200:
        assert "govuk-error-summary" in page and "govuk-error-message" in page, page[:3000]
        assert page.startswith("<!DOCTYPE html>") and "Error: " in page
    else:
        assert "too large" in page


@given(data=st.binary(min_size=1, max_size=4000), xlsx=st.booleans())
def test_random_bytes_never_500(app, make_user, data, xlsx):
    from tests.conftest import sign_in
    client = app.test_client()
    if not hasattr(test_random_bytes_never_500, "_user"):
        test_random_bytes_never_500._user = {}
    key = app.config["TEST_DATABASE"]
    user = test_random_bytes_never_500._user.get(key)
    if user is None or not _exists(app, user.id):
        user = test_random_bytes_never_500._user[key] = make_user("commissioner")
    assert sign_in(client, user).status_code == 302
    response = _upload(client, data, "feedback.xlsx" if xlsx else "feedback.csv")
    assert response.status_code in (200, 302)


def _exists(app, user_id):
    from feedback.extensions import db
    from feedback.models import User
    with app.app_context():
        return db.session.get(User, user_id) is not None


def test_oversized_form_is_refused_with_a_clear_page(client):
    response = client.post("/feedback/new", data={"went_well": "x" * 600_000,
                                                  "csrf_token": csrf_token(client, "/feedback/new")})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file or text is too large" in page
    assert response.headers["Content-Security-Policy"]


def test_body_over_the_upload_limit_is_refused(app, login_as, client):
    login_as("commissioner")
    response = _upload(client, b"a,b\n" * (11 * 1024 * 1024 // 4), "big.csv")
    assert response.status_code == 413
    assert "That file or text is too large" in response.get_data(as_text=True)
