"""Provider-collected voice: a provider imports the feedback it gathered itself through the
same import (mapping, row errors, no duplicates, screening, moderation); every entry keeps
"collected by <provider>", shown where it is listed and counted, and commissioners filter
insight by who collected it and see the split in the review pack."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from feedback.contracts.pack import build_pack
from feedback.contracts.periods import Period
from tests.factories import make_feedback_entry, make_cards, now
from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service
from tests.web.test_import_flow import confirm, imported, map_columns, problems_in, report, upload

PROVIDER = "Northgate Children's Services Ltd"
OTHER = "Riverside Youth Trust"
HEADER = "Service,Who gave the feedback,Rating,What went well,What could be better,Date"
Q1 = Period("quarter", date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture()
def setting(app):
    """Two providers, each with its own service(s)."""
    from feedback.extensions import db
    with app.app_context():
        mine = make_provider(db, PROVIDER)
        other = make_provider(db, OTHER)
        hub = make_service(db, mine, name="Northgate Leaving Care Hub")
        respite = make_service(db, mine, name="Northgate Short Breaks")
        theirs = make_service(db, other, name="Riverside Youth Counselling")
        db.session.commit()
        return {"mine": mine.id, "other": other.id, "hub": hub.id, "respite": respite.id,
                "theirs": theirs.id}


def _csv(rows: list[str]) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


EXIT_ROWS = [
    "Northgate Leaving Care Hub,Young person,4,My PA helped me sort my bank account,"
    "Took ages to get a reply sometimes,03/02/2026",
    "Northgate Leaving Care Hub,Young person,5,They came with me to the housing viewing,,"
    "05/02/2026",
    "Northgate Short Breaks,Parent or carer,3,Staff know my son well,"
    "Sessions got cancelled at short notice,10/02/2026",
]


def _provider(login_as, organisation_id):
    from feedback.extensions import db
    from feedback.models import Organisation
    org = db.session.get(Organisation, organisation_id)
    return login_as("provider", organisation=org)


def test_provider_imports_its_exit_questionnaires_with_provenance(app, db, client, login_as,
                                                                   setting):
    _provider(login_as, setting["mine"])
    page = client.get("/feedback/import").get_data(as_text=True)
    assert "collected by Northgate Children&#39;s Services Ltd" in page
    assert 'name="forum"' not in page  # a provider's own feedback is never a forum's
    rows = EXIT_ROWS + [
        "Riverside Youth Counselling,Young person,2,,Nobody called me back,11/02/2026",
        "Nowhere Clinic,Young person,2,,Not great,11/02/2026",
    ]
    sent = upload(client, _csv(rows), "exit questionnaires Q4.csv")
    assert sent.status_code == 302, sent.get_data(as_text=True)[:400]
    map_columns(client)
    check = report(client)
    assert "collected by Northgate Children&#39;s Services Ltd" in check
    assert problems_in(check) == {
        5: "Service 'Riverside Youth Counselling' is not one of your organisation's services. "
           "You can only import feedback about the services you provide",
        6: "Service 'Nowhere Clinic' is not a service we know. Use a name from the Services "
           "sheet of the template",
    }
    done = confirm(client)
    assert done.status_code == 302 and "/feedback/import/batches/" in done.headers["Location"]
    entries, [batch] = imported(app)
    assert len(entries) == 3
    assert batch.collected_by_id == setting["mine"] and batch.forum_id is None
    assert {e.collected_by_id for e in entries} == {setting["mine"]}
    assert {e.source for e in entries} == {"provider_import"}
    assert {e.forum_id for e in entries} == {None}
    assert {e.service_id for e in entries} == {setting["hub"], setting["respite"]}
    # Screened and waiting for a moderator like any imported feedback.
    assert {e.moderation_state for e in entries} == {"pending"}
    assert all(e.went_well_redacted is not None for e in entries)
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Collected by Northgate Children&#39;s Services Ltd" in shown

    # The same file again: every row is a duplicate and nothing is added.
    upload(client, _csv(EXIT_ROWS), "exit questionnaires Q4 (copy).csv")
    map_columns(client)
    again = report(client)
    assert re.search(r"Duplicates \(skipped\)\s*</dt>\s*<dd[^>]*>\s*3\s*<", again)
    assert "There are no new rows to import" in again
    assert len(imported(app)[0]) == 3


def test_the_batch_is_only_its_collectors(app, db, client, login_as, make_user, setting):
    from tests.helpers import sign_in
    _provider(login_as, setting["mine"])
    upload(client, _csv(EXIT_ROWS), "exit.csv")
    map_columns(client)
    url = confirm(client).headers["Location"]
    assert client.get(url).status_code == 200
    from feedback.models import Organisation

    def someone(*roles, organisation=None):
        person = app.test_client()
        assert sign_in(person, make_user(*roles, organisation=organisation)).status_code == 302
        return person
    other = someone("provider", organisation=db.session.get(Organisation, setting["other"]))
    assert other.get(url).status_code == 404
    rep = someone("forum_rep", organisation="Shire Family Voice")
    assert rep.get(url).status_code == 404
    page = someone("commissioner").get(url).get_data(as_text=True)
    assert "Collected by Northgate Children&#39;s Services Ltd" in page


def test_the_template_lists_only_the_providers_services(app, db, client, login_as, setting):
    import io

    from openpyxl import load_workbook
    _provider(login_as, setting["mine"])
    data = client.get("/feedback/import/template.xlsx").data
    sheet = load_workbook(io.BytesIO(data))["Services"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Northgate Leaving Care Hub", "Northgate Short Breaks"]


def test_moderators_see_who_collected_it(app, db, client, login_as, setting):
    from feedback.extensions import db as _db
    from feedback.models import Service
    hub = _db.session.get(Service, setting["hub"])
    collected = make_feedback_entry(_db, hub, "Group sessions were too early",
                                    moderation_state="pending", source="provider_import",
                                    collected_by_id=setting["mine"])
    independent = make_feedback_entry(_db, hub, "The hub was cold", moderation_state="pending")
    _db.session.commit()
    login_as("moderator")
    queue = client.get("/moderation").get_data(as_text=True)
    assert queue.count("Collected by Northgate Children&#39;s Services Ltd") == 1
    item = client.get(f"/moderation/feedback/{collected.id}").get_data(as_text=True)
    assert "Collected by Northgate Children&#39;s Services Ltd" in item
    plain = client.get(f"/moderation/feedback/{independent.id}").get_data(as_text=True)
    assert "Independent." in plain and "Collected by" not in plain


def _people(html: str) -> str:
    return re.search(r"People heard: ([^<]+)</h2>", html).group(1)


def test_insight_filters_by_who_collected_it(app, db, client, login_as, setting):
    from feedback.models import Service
    hub = db.session.get(Service, setting["hub"])
    make_cards(db, hub, per_topic=12, topics={"t": ["the hub should open on Saturdays"]})
    for i in range(10):
        make_feedback_entry(db, hub, f"Independent feedback {i}", created_at=now())
    for i in range(15):
        make_feedback_entry(db, hub, f"Exit questionnaire {i}", source="provider_import",
                            collected_by_id=setting["mine"], created_at=now())
    db.session.commit()
    login_as("commissioner")
    dashboard = client.get("/insight?period=all").get_data(as_text=True)
    assert "Who collected it" in dashboard and _people(dashboard) == "37"
    assert "Collected by a provider" in dashboard  # the "where the voices came from" split
    assert _people(client.get("/insight?period=all&collected=independent")
                   .get_data(as_text=True)) == "22"
    assert _people(client.get("/insight?period=all&collected=provider")
                   .get_data(as_text=True)) == "15"
    # Cards are never provider-collected: the two filters together match nothing, and say so
    # (on PostgreSQL this once failed taking the month of an untyped empty row).
    none = client.get("/insight?period=all&source=card&collected=provider")
    assert none.status_code == 200 and _people(none.get_data(as_text=True)) in ("0", "fewer than 10")
    # An unknown value is ignored, never an error.
    odd = client.get("/insight?period=all&collected=somebody")
    assert odd.status_code == 200 and _people(odd.get_data(as_text=True)) == "37"


def test_the_filter_keeps_small_groups_hidden(app, db, client, login_as, setting):
    from feedback.models import Service
    hub = db.session.get(Service, setting["hub"])
    make_cards(db, hub, per_topic=12, topics={"t": ["more evening sessions please"]})
    for i in range(4):
        make_feedback_entry(db, hub, f"Exit questionnaire {i}", source="provider_import",
                            collected_by_id=setting["mine"], created_at=now())
    db.session.commit()
    login_as("commissioner")
    few = client.get("/insight?period=all&collected=provider").get_data(as_text=True)
    assert _people(few) == "fewer than 10" and "Themes by number of people" not in few
    # All together, the 4 are not shown by source, nor can they be worked out from the total.
    everyone = client.get("/insight?period=all").get_data(as_text=True)
    assert _people(everyone) == "16"
    table = everyone[everyone.index("People by source</caption>"):]
    table = table[:table.index("</table>")]
    assert ">4<" not in table and ">12<" not in table


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def _pack_setting(db, setting, independent: int, collected: int):
    from feedback.models import Organisation, Service
    hub = db.session.get(Service, setting["hub"])
    contract = make_contract(db, provider=db.session.get(Organisation, setting["mine"]),
                             services=[hub])
    for i in range(independent):
        make_feedback_entry(db, hub, f"Independent {i}", created_at=_at(date(2026, 2, 1)))
    for i in range(collected):
        make_feedback_entry(db, hub, f"Exit questionnaire {i}", source="provider_import",
                            collected_by_id=setting["mine"], created_at=_at(date(2026, 2, 2)))
    review = make_review(db, contract)
    db.session.commit()
    return contract, review


def test_the_review_pack_shows_the_split(app, db, client, login_as, setting):
    contract, review = _pack_setting(db, setting, independent=11, collected=14)
    pack = build_pack(contract.id, Q1, today=date(2026, 4, 15))
    assert (pack.volume.feedback, pack.volume.independent, pack.volume.collected) == (25, 11, 14)
    assert pack.volume.split
    login_as("commissioner")
    page = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert re.search(r"of which collected by the provider</th>\s*<td[^>]*>14<", page)
    assert re.search(r"of which independent</th>\s*<td[^>]*>11<", page)
    import io

    from docx import Document
    from openpyxl import load_workbook
    word = Document(io.BytesIO(client.get(f"/contracts/reviews/{review.id}/pack.docx").data))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "of which collected by the provider" in cells
    book = load_workbook(io.BytesIO(client.get(f"/contracts/reviews/{review.id}/pack.xlsx").data))
    values = [tuple(r) for r in book["Volume"].iter_rows(values_only=True)]
    assert ("Family feedback: collected by the provider", None, 14) in values


def test_the_pack_split_never_shows_a_small_group(app, db, setting):
    contract, _ = _pack_setting(db, setting, independent=12, collected=3)
    pack = build_pack(contract.id, Q1, today=date(2026, 4, 15))
    assert pack.volume.feedback == 15
    assert pack.volume.collected is None  # fewer than 10
    assert pack.volume.independent == "not shown"  # else 15 - 12 gives the 3 away


def test_a_pack_frozen_before_the_split_still_reads(app, db, setting):
    from feedback.contracts.pack_types import ReviewPack
    contract, _ = _pack_setting(db, setting, independent=12, collected=0)
    data = build_pack(contract.id, Q1, today=date(2026, 4, 15)).to_dict()
    for key in ("independent", "collected", "split"):
        del data["volume"][key]
    old = ReviewPack.from_dict(data)
    assert old.volume.split is False and old.volume.feedback == 12


def test_provider_home_links_the_import_and_marks_collected_feedback(app, db, client, login_as,
                                                                     setting):
    from feedback.models import Service
    hub = db.session.get(Service, setting["hub"])
    for i in range(12):
        make_feedback_entry(db, hub, f"Exit questionnaire {i}", source="provider_import",
                            collected_by_id=setting["mine"], created_at=now() - timedelta(days=1))
    db.session.commit()
    _provider(login_as, setting["mine"])
    home = client.get("/provider").get_data(as_text=True)
    assert 'href="/feedback/import"' in home
    assert "Collected by Northgate Children&#39;s Services Ltd." in home


def test_the_safeguarding_lead_sees_who_collected_it(app, db, client, login_as, setting):
    from feedback.models import Service
    hub = db.session.get(Service, setting["hub"])
    flagged = make_feedback_entry(db, hub, "I don't feel safe going home", source="provider_import",
                                  collected_by_id=setting["mine"], moderation_state="pending",
                                  safeguarding_flagged=True,
                                  safeguarding_categories=["neglect"])
    db.session.commit()
    login_as("safeguarding_lead")
    page = client.get(f"/safeguarding/feedback/{flagged.id}").get_data(as_text=True)
    assert re.search(r"Who collected it</dt>\s*<dd[^>]*>Collected by Northgate Children&#39;s "
                     r"Services Ltd<", page)
