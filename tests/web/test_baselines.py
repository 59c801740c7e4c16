"""Population baselines and who we are not hearing from: an administrator downloads the
template and uploads a CSV; every bad row is listed with its row number and nothing is
loaded; a good file replaces the baselines (audited). Commissioners see voices per 1,000
of each cohort per area, the most under-heard, and how many did not say, with no group
under 10 shown or derivable by subtraction from the row and column totals."""
from __future__ import annotations

import io
import re
from html import unescape

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import make_card, make_service
from tests.helpers import csrf_token, post_form

AREAS = ("Elmbridge Vale", "Runnymoor", "Mole Valley")
HEARD = "/insight/who-we-are-not-hearing-from"


@pytest.fixture()
def areas(db):
    from feedback.models import Area
    county = Area(name="Test county", kind="county")
    rows = {name: Area(name=name, kind="district", parent=county) for name in AREAS}
    db.session.add_all([county, *rows.values()])
    db.session.commit()
    return rows


def _upload(client, text: str | bytes, filename="baselines.csv"):
    """POST a file to the upload page, the multipart body built in memory (left to the test
    client, a body over 500 KB is spooled to a temporary file nothing closes)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    boundary, body = encode_multipart({
        "csrf_token": csrf_token(client, "/admin/baselines"), "source": "JSNA 2025",
        "file": FileStorage(io.BytesIO(data), filename=filename,
                            content_type="application/octet-stream")})
    return client.post("/admin/baselines", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _count(db):
    from feedback.models import PopulationBaseline
    return db.session.execute(db.select(db.func.count()).select_from(PopulationBaseline)).scalar()


GOOD = ("Area,Cohort,Population\n"
        "Elmbridge Vale,Aged 11 to 13,2500\n"
        "Elmbridge Vale,Aged 14 to 15,1700\n"
        "Runnymoor,age_11-13,3000\n"
        "Runnymoor,Aged 14 to 15,2000\n"
        "Mole Valley,11-13,1000\n"
        "Elmbridge Vale,Children in care,120\n"
        "Runnymoor,looked after children,150\n"
        "Mole valley,SEND/EHCP,900\n")


def test_the_template_lists_every_area_and_cohort(client, login_as, areas):
    from feedback.models.baselines import BASELINE_COHORTS
    login_as("admin")
    response = client.get("/admin/baselines/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Area,Cohort,Population"
    assert len(lines) == 1 + len(AREAS) * len(BASELINE_COHORTS)
    assert "Mole Valley,Care leavers," in lines


def test_a_good_file_replaces_the_baselines(client, login_as, db, areas):
    from feedback.models import AuditEvent, PopulationBaseline
    login_as("admin")
    response = _upload(client, GOOD)
    assert response.status_code == 302
    assert _count(db) == 8
    row = db.session.execute(db.select(PopulationBaseline).filter_by(
        area_id=areas["Runnymoor"].id, cohort="in_care")).scalar_one()
    assert (row.population, row.source) == (150, "JSNA 2025")
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="population_baseline.loaded")).scalar_one().detail["rows"] == 8
    page = client.get("/admin/baselines").get_data(as_text=True)
    assert "8 baselines loaded" in page and "3,000" in page
    assert _upload(client, "Area,Cohort,Population\nRunnymoor,Young carers,\"1,200\"\n"
                   ).status_code == 302
    assert _count(db) == 1


def test_bad_rows_are_listed_and_nothing_is_loaded(client, login_as, db, areas):
    login_as("admin")
    assert _upload(client, GOOD).status_code == 302
    bad = ("Area,Cohort,Population\n"
           "Elmbrige Vale,Aged 11 to 13,2500\n"      # 2: unknown area
           "Runnymoor,Aged 11 to 13,-40\n"           # 3: negative
           "Runnymoor,Aged 14 to 15,2000\n"          # 4: fine
           "runnymoor,aged 14 to 15,2100\n"          # 5: duplicate of row 4
           "Mole Valley,Teenagers,300\n"             # 6: unknown cohort
           "Mole Valley,Care leavers,lots\n"         # 7: not a number
           "Mole Valley,Young carers,\n"             # 8: empty
           "Mole Valley,SEND,12.5\n")                # 9: not whole
    response = _upload(client, bad)
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    rows = dict(re.findall(r'<th scope="row" class="govuk-table__header">(\d+)</th>'
                           r'<td class="govuk-table__cell">([^<]+)</td>', page))
    assert "is not a district or borough" in rows["2"]
    assert rows["3"] == "The population cannot be negative"
    assert "4" not in rows
    assert rows["5"] == "This area and cohort are already on row 4"
    assert "is not a cohort" in rows["6"]
    assert "whole number" in rows["7"] and "whole number" in rows["9"]
    assert rows["8"] == "Enter the population, or delete the row"
    assert "Nothing was loaded: 7 problems in the file" in page
    assert _count(db) == 8  # the baselines loaded before are kept


@pytest.mark.parametrize("data, filename, message", [
    ("Place,Group,Number\nRunnymoor,SEND,3\n", "b.csv", "must have the columns Area, Cohort"),
    ("", "b.csv", "The selected file is empty"),
    ("   \n", "b.csv", "The selected file is empty"),
    ("Area,Cohort,Population\n", "b.csv", "no rows of figures"),
    (b"Area,Cohort,Population\n" + b"Runnymoor,SEND,1\n" * 70000, "b.csv", "1 MB or smaller"),
    (b"%PDF-1.4 binary \x00\x01\x02", "b.pdf", "must be a CSV or an Excel .xlsx file"),
    (b"\x00\x01\x02\x03garbage", "b.csv", "must be a CSV or an Excel .xlsx file"),
])
def test_a_file_that_cannot_be_read_is_a_clear_message(client, login_as, db, areas, data,
                                                       filename, message):
    login_as("admin")
    response = _upload(client, data, filename)
    assert response.status_code == 400
    assert message in unescape(response.get_data(as_text=True))
    assert _count(db) == 0


def test_who_may_use_the_baseline_pages(client, login_as, areas):
    login_as("commissioner")
    assert client.get("/admin/baselines").status_code == 403
    assert client.get("/admin/baselines/template.csv").status_code == 403
    assert client.get(HEARD).status_code == 200
    assert post_upload_refused(client)
    assert post_form(client, "/logout", {}, form_url="/staff").status_code == 302
    login_as("provider")
    assert client.get(HEARD).status_code == 403


def post_upload_refused(client) -> bool:
    response = client.post("/admin/baselines", data={
        "csrf_token": csrf_token(client, "/staff"), "file": (io.BytesIO(b"x"), "b.csv")},
        content_type="multipart/form-data")
    return response.status_code == 403


def _table(page: str) -> dict:
    """{area name: {column: text}} of the page's two tables, by age and by cohort (text
    before the rate line; each table repeats the area's voices)."""
    rows = {}
    for label in ("Voices by area and age", "Voices by area and cohort"):
        body = page.split(f'aria-label="{label}"', 1)[1].split("</table>", 1)[0]
        for name, cells in re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)'
                                      r'</th>(.*?)</tr>', body, re.S):
            values = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric"'
                                r'(?: data-cell="([^"]+)")?>([^<]*)', cells)
            row = rows.setdefault(unescape(name), {})
            for key, text in values:
                assert row.setdefault(key or "total", unescape(text).strip()) == \
                    unescape(text).strip()
    return rows


@pytest.fixture()
def voices(db, areas):
    """Elmbridge Vale: 25 aged 11-13 and 5 aged 14-15; Runnymoor: 30 aged 11-13, 20 aged 14-15
    (12 of them in care) and 15 aged 16-17 (5 of them young carers); Mole Valley: 20 aged
    11-13 and 11 who gave no age."""
    service = make_service(db, name="Heard Service")
    made = [("Elmbridge Vale", "11-13", 25, {}), ("Elmbridge Vale", "14-15", 5, {}),
            ("Runnymoor", "11-13", 30, {}), ("Runnymoor", "14-15", 8, {}),
            ("Runnymoor", "14-15", 12, {"in_care": True}), ("Runnymoor", "16-17", 10, {}),
            ("Runnymoor", "16-17", 5, {"young_carer": True}), ("Mole Valley", "11-13", 20, {}),
            ("Mole Valley", None, 11, {})]
    for area, band, n, extra in made:
        for i in range(n):
            make_card(db, service, text=f"card {area} {band} {i}", area_id=areas[area].id,
                      age_band=band, **extra)
    db.session.commit()
    return service


def test_the_under_heard_table_shows_rates_and_who_did_not_say(client, login_as, db, voices):
    login_as("admin")
    assert _upload(client, GOOD).status_code == 302
    post_form(client, "/logout", {}, form_url="/staff")
    login_as("commissioner")
    page = unescape(client.get(HEARD).get_data(as_text=True))
    table = _table(page)
    assert table["All areas"]["total"] == "126"
    assert table["All areas"]["age_11-13"] == "75"  # of 6,500 aged 11 to 13: 11.5 per 1,000
    assert "11.5 per 1,000" in page
    assert "Aged 11 to 13 in Runnymoor: 10.0 per 1,000 (30 voices)" in page  # 30 of 3,000
    # 109 ticked none of the four, so 17 ticked one (nobody ticked two): with 12 in care shown
    # the 5 young carers would be 17 - 12. The 12 is withheld, with no rate.
    assert table["Runnymoor"]["in_care"] == table["All areas"]["in_care"] == "not shown"
    assert "80.0 per 1,000" not in page
    said = re.search(r'id="did-not-say">(.*?)</dl>', page, re.S).group(1)
    assert re.search(r"Did not give an age</dt>\s*<dd[^>]*>(not shown|11)</dd>", said)
    assert re.search(r"or young carer</dt>\s*<dd[^>]*>109 \(", said)
    # The most under-heard come first, lowest rate first; small groups are not ranked.
    cohorts = re.search(r'id="under-heard-cohorts">(.*?)</ol>', page, re.S).group(1)
    assert "Aged 11 to 13: 11.5 per 1,000 (75 voices)" in cohorts
    assert "fewer than 10" not in cohorts and "not shown" not in cohorts


def _hidden(text: str) -> bool:
    return text in ("fewer than 10", "not shown")


def test_no_small_group_is_shown_or_worked_out_by_subtraction(client, login_as, db, voices):
    """Elmbridge Vale has 5 aged 14-15 and 25 aged 11-13: with its total of 30 shown, showing
    the 25 would give the 5 away (30 - 25). The 5 young carers in Runnymoor are the young
    carers column's total too."""
    login_as("commissioner")
    page = unescape(client.get(HEARD).get_data(as_text=True))
    table = _table(page)
    elmbridge = table["Elmbridge Vale"]
    assert elmbridge["age_14-15"] == "fewer than 10"
    ages = [k for k in elmbridge if k.startswith("age_")]
    hidden = [k for k in ["total", *ages] if _hidden(elmbridge[k])]
    assert len(hidden) >= 2, elmbridge  # never a single hidden cell in a row that sums
    assert not (elmbridge["total"] == "30" and elmbridge["age_11-13"] == "25")
    assert table["Runnymoor"]["young_carer"] == "fewer than 10"
    assert _hidden(table["All areas"]["young_carer"])
    assert "5" not in [v for row in table.values() for v in row.values()]
    # Every sum a reader could use leaves 0 or at least 2 cells hidden.
    columns = [k for k in table["All areas"] if k != "total"]
    for column in columns:
        cells = [table[name][column] for name in table]
        assert sum(_hidden(c) for c in cells) != 1, (column, cells)
    for name, row in table.items():
        cells = [row["total"]] + [row[k] for k in row if k.startswith("age_")]
        assert sum(_hidden(c) for c in cells) != 1, (name, row)


def test_the_page_leaves_nothing_to_work_out(client, login_as, db, voices):
    """A reader's attack on the page itself: take every sum the table holds (each area's
    age groups and "age not given" make its voices; each column, over the areas, makes the
    "All areas" row) with the true values of the hidden cells, and solve for them exactly
    with the bounds a reader knows (disclosure.determined). No hidden cell is determined."""
    from feedback import clock, disclosure
    from feedback.baselines import services
    actor = login_as("commissioner")
    table = _table(unescape(client.get(HEARD).get_data(as_text=True)))
    true = services.heard(actor, services.HeardQuery(), clock.today())
    values, hidden, small = {}, [], []
    for row in [*true.rows, true.totals]:
        for key, cell in [("total", row.total), *row.cells.items()]:
            values[(row.name, key)] = cell.voices
            shown = table[row.name][key]
            assert shown == (f"{cell.voices:,}" if cell.shown else shown)
            if _hidden(shown):
                hidden.append((row.name, key))
                if shown == "fewer than 10":
                    small.append((row.name, key))
    names = [r.name for r in true.rows]
    ages = [k for k in true.columns if k.startswith("age_")]
    sums = [((n, "total"), [(n, k) for k in ages]) for n in names]
    sums += [(("All areas", k), [(n, k) for n in names]) for k in ["total", *true.columns]]
    sums += [(("All areas", "total"), [("All areas", k) for k in ages])]
    assert small and disclosure.determined(values, sums, hidden, small) == set()


def test_a_query_the_page_cannot_read_is_a_message(client, login_as, voices):
    login_as("commissioner")
    response = client.get(HEARD + "?period=forever&service=99999999999")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Select a period from the list" in page and "Select a service from the list" in page
    assert "No population baselines are loaded" in page


def test_a_small_population_reads_as_voices_of_it_not_per_1000(client, login_as, db, areas):
    """20 children in care in Elmbridge Vale, of 120: "20 of 120 (17%)", not "166.7 per
    1,000" beside "8.0 per 1,000" of the 2,500 aged 11 to 13 (the walk's "316.5 per 1,000").
    The table comes as two tables, by age and by cohort, each in a labelled region that can
    be reached by keyboard, so the cohort columns are no longer cut off."""
    service = make_service(db, name="Care Service")
    for i in range(20):
        make_card(db, service, text=f"in care {i}", area_id=areas["Elmbridge Vale"].id,
                  age_band="11-13", in_care=True)
    db.session.commit()
    login_as("admin")
    assert _upload(client, GOOD).status_code == 302
    post_form(client, "/logout", {}, form_url="/staff")
    login_as("commissioner")
    page = unescape(client.get(HEARD).get_data(as_text=True))
    table = _table(page)
    assert table["Elmbridge Vale"]["in_care"] == "20" and table["Elmbridge Vale"]["age_11-13"] == "20"
    assert "20 of 120 (17%)" in page and "166.7 per 1,000" not in page
    assert "8.0 per 1,000" in page  # 20 of 2,500 aged 11 to 13: a population of 1,000 or more
    cells = re.search(r'id="under-heard-cells">(.*?)</ol>', page, re.S).group(1)
    assert "Children in care in Runnymoor: 0 of 150 (0%)" in cells  # nobody: the lowest
    for label in ("Voices by area and age", "Voices by area and cohort"):
        assert re.search(rf'<div class="app-table-wrapper" tabindex="0" role="region" '
                         rf'aria-label="{label}">', page)
    assert len(set(re.findall(r'<tr class="govuk-table__row" id="([^"]+)"', page))) == \
        len(re.findall(r'<tr class="govuk-table__row" id="([^"]+)"', page))  # ids unique
