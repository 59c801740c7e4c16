"""The outside test's formula findings, over HTTP: text typed with a control
character before ``=`` is stored as typed and never exported live, in a
forum's export, a provider's pack workbook (a commissioner's KPI commentary)
and the insight export (a renamed theme); control characters no longer break
the Word pack or the theme workbook."""
from __future__ import annotations

import csv
import io
from datetime import date

import docx
from openpyxl import load_workbook

from tests.helpers import post_form, sign_in
from tests.web.contracts_factories import make_contract, make_provider, make_review
from tests.web.test_family_forum import FORUM_A, add_entry
from tests.web.test_cards import service  # noqa: F401 (fixture)
from tests.web.test_insight import _small_and_large

LIVE = "\x01=HYPERLINK(\"http://evil.example\",\"x\")"
SAFE = "'=HYPERLINK(\"http://evil.example\",\"x\")"


def _xlsx_values(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    return [c.value for c in cells]


def test_forum_export_neutralises_text_behind_a_control_character(app, client, login_as):
    add_entry(app, FORUM_A, went_well=LIVE, went_well_redacted=LIVE)
    login_as("forum_rep", organisation=FORUM_A)
    rows = list(csv.reader(io.StringIO(
        client.get("/forum/export.csv").get_data().decode("utf-8-sig"), newline="")))
    assert SAFE in rows[1] and not any(v.startswith("=") for row in rows for v in row)
    values = _xlsx_values(client.get("/forum/export.xlsx").data)
    assert SAFE in values and LIVE[1:] not in values


def test_kpi_commentary_reaches_the_providers_workbook_and_word_pack_safely(app, db, client,
                                                                          login_as, make_user):
    provider = make_provider(db, "Pack provider")
    contract = make_contract(db, provider=provider)
    review = make_review(db, contract, date(2026, 1, 1), date(2026, 3, 31))
    db.session.commit()
    kpi_id = contract.kpis[0].id
    login_as("commissioner")
    url = f"/contracts/reviews/{review.id}/kpis"
    commentary = LIVE + " and a bell \x07 and an escape \x1b"
    sent = post_form(client, url, {f"value_{kpi_id}": "81", f"commentary_{kpi_id}": commentary})
    assert sent.status_code == 302
    from feedback.models import KpiReturn
    stored = db.session.execute(db.select(KpiReturn.commentary)).scalar_one()
    assert stored == commentary  # kept as typed
    client = app.test_client()  # the provider, in another browser
    assert sign_in(client, make_user("provider", organisation=provider)).status_code == 302
    workbook = client.get(f"/contracts/reviews/{review.id}/pack.xlsx")
    assert workbook.status_code == 200
    values = _xlsx_values(workbook.data)
    assert SAFE + " and a bell  and an escape " in values
    word = client.get(f"/contracts/reviews/{review.id}/pack.docx")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert SAFE + " and a bell  and an escape " in cells


def test_renamed_theme_is_safe_in_the_insight_exports(db, client, login_as):
    _service, big, _small = _small_and_large(db)
    login_as("commissioner")
    name = LIVE
    sent = post_form(client, f"/insight/themes/{big.id}/rename", {"name": name})
    assert sent.status_code == 302
    text = client.get("/insight/export.csv?period=all").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][0] == SAFE and "\x01" not in text and "\x1b" not in text
    values = _xlsx_values(client.get("/insight/export.xlsx?period=all").data)
    assert SAFE in values
    one = client.get(f"/insight/themes/{big.id}/export.xlsx?period=all")
    assert one.status_code == 200 and SAFE in _xlsx_values(one.data)
    one_csv = client.get(f"/insight/themes/{big.id}/export.csv?period=all")
    rows = list(csv.reader(io.StringIO(one_csv.get_data().decode("utf-8-sig"), newline="")))
    assert rows[1][:2] == ["Theme", SAFE]


def test_a_card_is_stored_as_typed(app, client, db, service):
    """Text is stored as typed, control character and all; only files get the sanitised form."""
    from feedback.exports.sanitise import file_text
    from feedback.models import ActionCard
    from tests.web.test_cards import go_through, send
    typed = "\x01=1+1 please start a club"
    _page, token = go_through(client, service, text=typed)
    assert send(client, token).status_code == 302
    card = db.session.execute(db.select(ActionCard)).scalar_one()
    assert card.text == typed and card.text_redacted == typed
    assert file_text(card.text_redacted) == "'=1+1 please start a club"
