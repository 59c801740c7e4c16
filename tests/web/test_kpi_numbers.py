"""KPI numbers read as people write them on the pages and in Word ("80%",
"5", "6 weeks", "5 a month"), ratings come from the returns that exist (also
when none was stored with them), and the workbook holds numbers with number
formats. Through the HTTP client, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
from decimal import Decimal

from tests.web.test_review_pack import crafted  # noqa: F401 (fixture)

EXTRA = (("Families satisfied with the service", "80", "%", "higher", "85.50"),
         ("Complaints per quarter", "5", "count", "lower", "7"),
         ("Average wait for first appointment", "6", "weeks", "lower", "6"),
         ("Visits", "5", "a month", "higher", None))


def _add_kpis(db, contract, review):
    """KPIs and returns saved without a rating, as the demo data had them."""
    from feedback.models import Kpi, KpiReturn
    for name, target, unit, direction, value in EXTRA:
        kpi = Kpi(name=name, target=Decimal(target), unit=unit, direction=direction,
                  amber_tolerance=Decimal("0.1"))
        contract.kpis.append(kpi)
        db.session.flush()
        if value is not None:
            review.kpi_returns.append(KpiReturn(kpi=kpi, value=Decimal(value), rag=None))
    db.session.commit()


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_pages_print_numbers_and_units_as_read_and_rate_every_return(  # noqa: F811
        db, client, login_as, crafted):
    contract, review = crafted["contract"], crafted["review"]
    _add_kpis(db, contract, review)
    login_as("commissioner")
    detail = _text(client.get(f"/contracts/{contract.id}"))
    assert "E+" not in detail
    assert "90% (higher is better)" in detail and "80% (higher is better)" in detail
    assert "5 (lower is better)" in detail and "6 weeks (lower is better)" in detail
    assert "5 a month (higher is better)" in detail and "10% of target" in detail
    assert "5count" not in detail and "6weeks" not in detail

    page = _text(client.get(f"/contracts/reviews/{review.id}"))
    assert "E+" not in page and "5count" not in page and "6weeks" not in page
    assert "Families satisfied with the service 80% 85.5% Green" in page
    assert "Complaints per quarter 5 7 Red" in page
    assert "Average wait for first appointment 6 weeks 6 weeks Green" in page
    assert "Visits 5 a month Not reported Not reported" in page

    pack = _text(client.get(f"/contracts/reviews/{review.id}/pack"))
    assert "E+" not in pack and "5count" not in pack and "6weeks" not in pack
    assert "85.5% Green" in pack and "6 weeks Green" in pack and " 7 Red" in pack
    assert "KPI below target: Complaints per quarter (7 against 5)" in pack


def test_word_prints_the_same_and_excel_holds_formatted_numbers(  # noqa: F811
        db, client, login_as, crafted):
    import docx
    import openpyxl
    from feedback.exports.pack_xlsx import CHANGE_FORMAT
    contract, review = crafted["contract"], crafted["review"]
    _add_kpis(db, contract, review)
    login_as("commissioner")
    word = client.get(f"/contracts/reviews/{review.id}/pack.docx")
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    kpis = {row[0]: row for row in next(t for t in tables if t[0][0] == "KPI")}
    assert kpis["Seen within 18 weeks"][1:4] == ["90% (higher is better)", "81%", "Amber"]
    assert kpis["Complaints per quarter"][1:4] == ["5 (lower is better)", "7", "Red"]
    assert kpis["Average wait for first appointment"][1:4] == [
        "6 weeks (lower is better)", "6 weeks", "Green"]
    assert kpis["Visits"][1:4] == ["5 a month (higher is better)", "Not reported",
                                   "Not reported"]

    sheet = client.get(f"/contracts/reviews/{review.id}/pack.xlsx")
    assert sheet.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(sheet.data))
    volume = {row[0].value: row for row in workbook["Volume"].iter_rows(min_row=2)}
    change = volume["Change"][1]
    assert isinstance(change.value, float) and abs(change.value - 4 / 18) < 1e-9
    assert change.number_format == CHANGE_FORMAT
    themes = {row[0].value: row for row in workbook["Themes"].iter_rows(min_row=2)}
    assert themes["Waiting times"][3].value == "up from fewer than 10"  # words stay words
    kpi_rows = {row[0].value: row for row in workbook["KPIs"].iter_rows(min_row=2)}
    target, value = kpi_rows["Families satisfied with the service"][1], \
        kpi_rows["Families satisfied with the service"][4]
    assert target.value == 80 and value.value == 85.5 and target.data_type == "n"
    assert kpi_rows["Families satisfied with the service"][5].value == "Green"
    ratings = {row[0].value: row for row in workbook["Ratings"].iter_rows(min_row=2)}
    assert ratings["This contract's services"][1].value == 2.0
    assert ratings["This contract's services"][1].number_format == "0.00"


def test_demo_kpi_returns_are_rated_on_the_review_page(runner, db, client, login_as):
    """The demo's returns had values but no stored rating, and the pages read the
    stored one: every return with a value now shows a rating."""
    from feedback.models import ContractReview, KpiReturn
    result = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42",
                                 "--cards", "40", "--feedback", "10"])
    assert result.exit_code == 0, result.output
    returns = db.session.execute(db.select(KpiReturn)).scalars().all()
    assert returns and all(r.rag in ("green", "amber", "red") for r in returns)
    review = db.session.execute(db.select(ContractReview).join(KpiReturn)).scalars().first()
    login_as("commissioner")
    page = _text(client.get(f"/contracts/reviews/{review.id}"))
    rows = re.findall(r"(Green|Amber|Red|Not reported)", page)
    assert rows and "Not reported" not in rows and "E+" not in page
