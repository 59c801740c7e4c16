"""Safeguarding in the bulk import, driven through the web flow: one grouped alert per
import (never one per row, never the words), a first "received" history row for every
imported entry, and each distinct text screened once per import."""
from __future__ import annotations

import logging

import pytest

from tests.fixtures.family_data import HEADERS, make_services
from tests.web.test_import_flow import confirm, map_columns, upload

FORUM = "Shire Family Voice"
FLAGGED_WORDS = ("my son said he wants to kill himself",
                 "older lads are grooming my boy",
                 "her foster carer hurt her")


@pytest.fixture()
def services(app):
    return make_services(app)


def forum_csv(rows: int, flagged: dict[int, str]) -> bytes:
    """``rows`` rows of ordinary feedback; the rows in ``flagged`` carry those words."""
    lines = [";".join(HEADERS)]
    for i in range(rows):
        better = flagged.get(i, f"the taxi was late again, week {i % 4}")
        lines.append(";".join(["Short Breaks Service", "Parent or carer", str(1 + i % 5),
                               "staff knew my son's needs", better, "Coffee morning",
                               f"Spring coffee morning, table {i}", "14/03/2026", "",
                               "1"]))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def run_import(client, data: bytes, filename: str = "spring.csv"):
    upload(client, data, filename)
    map_columns(client)
    done = confirm(client)
    assert done.status_code == 302 and "/feedback/import/batches/" in done.headers["Location"]
    return done


def alerts(app):
    from feedback.extensions import db
    from feedback.models import AuditEvent
    with app.app_context():
        return [(e.object_type, e.object_id, e.detail) for e in db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "safeguarding.alert")
            .order_by(AuditEvent.id)).scalars()]


def test_flagged_rows_raise_one_grouped_alert_without_the_words(app, client, login_as,
                                                                  services, caplog):
    login_as("forum_rep", organisation=FORUM)
    flagged = {3: FLAGGED_WORDS[0], 7: FLAGGED_WORDS[1], 8: FLAGGED_WORDS[2],
               11: FLAGGED_WORDS[0]}
    with caplog.at_level(logging.WARNING, logger="feedback.safeguarding"):
        run_import(client, forum_csv(20, flagged))
    from feedback.extensions import db
    from feedback.models import FeedbackEntry, ImportBatch
    with app.app_context():
        batch = db.session.execute(db.select(ImportBatch)).scalar_one()
        held = db.session.execute(db.select(FeedbackEntry.import_row_number).where(
            FeedbackEntry.safeguarding_flagged.is_(True))).scalars().all()
        batch_id = batch.id
    assert sorted(held) == [5, 9, 10, 13]  # sheet rows: the header is row 1
    # One alert for the batch, audited against the batch, with counts per category.
    [(kind, object_id, detail)] = alerts(app)
    assert (kind, object_id, detail["outcome"], detail["flagged"]) == (
        "import_batch", batch_id, "logged", 4)
    # The phrase lists' categories, counted; the model may add the kinds it sees.
    by_lists = {"abuse": 1, "exploitation": 1, "self_harm": 2, "worker_harm": 1}
    assert {c: detail["categories"].get(c) for c in by_lists} == by_lists
    sent = [r.getMessage() for r in caplog.records if "SAFEGUARDING ALERT" in r.getMessage()]
    assert sent == ["SAFEGUARDING ALERT (no mail server configured): "
                    "Safeguarding: 4 entries from a forum import need a person to look"]
    assert not any(words in caplog.text for words in FLAGGED_WORDS)


def test_the_grouped_alert_names_counts_and_the_queue_never_the_words(app):
    from feedback.models import ImportBatch
    from feedback.safeguarding import batch_alert_message
    batch = ImportBatch(id=41, filename="Spring – Ellie's group.csv", file_hash="x")
    message = batch_alert_message(batch, 1_204, {"self_harm": 4, "abuse": 1_200},
                                  {"SAFEGUARDING_ALERT_TO": "lead@council.invalid"},
                                  "https://voice.invalid/safeguarding")
    body = message.body
    assert message.subject == ("Safeguarding: 1,204 entries from a forum import need a "
                                  "person to look")
    assert "import number 41" in body and "https://voice.invalid/safeguarding" in body
    assert "Abuse: 1,200; Self-harm or suicidal thoughts: 4" in body
    assert "Ellie" not in body and "Spring" not in body


def test_an_import_with_nothing_flagged_sends_no_alert(app, client, login_as, services):
    login_as("forum_rep", organisation=FORUM)
    run_import(client, forum_csv(10, {}))
    assert alerts(app) == []


def test_every_imported_entry_starts_its_history_as_received(app, client, login_as, services):
    user = login_as("forum_rep", organisation=FORUM)
    run_import(client, forum_csv(30, {4: FLAGGED_WORDS[1]}))
    from feedback.extensions import db
    from feedback.models import FeedbackEntry, StatusChange
    with app.app_context():
        entries = db.session.execute(db.select(FeedbackEntry)).scalars().all()
        assert len(entries) == 30
        for entry in entries:
            assert [(h.from_status, h.to_status, h.changed_by_id) for h in entry.history] == \
                [(None, "received", user.id)]
            assert entry.history[0].changed_at == entry.created_at
        assert db.session.scalar(db.select(db.func.count()).select_from(StatusChange)) == 30
    # A second file (29 rows already imported, 6 new: row 4's words differ) adds history
    # for its own new entries only.
    run_import(client, forum_csv(35, {}), "more.csv")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(FeedbackEntry)) == 36
        assert db.session.scalar(db.select(db.func.count()).select_from(StatusChange)) == 36


def test_each_distinct_text_is_screened_once_per_import():
    from feedback.family.screening import Screener
    screener = Screener()
    results = [screener.entry("staff were kind", text)
               for text in ["the taxi was late", FLAGGED_WORDS[0]] * 500]
    assert screener.texts_screened == 3
    assert sum(r.flagged for r in results) == 500
    assert results[1].categories[0] == "self_harm"  # the lists' first; the model may add more
