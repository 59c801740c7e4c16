"""A held review's pack never changes: after the meeting is recorded, new items,
changed and renamed themes, corrected KPI returns and new actions leave its page,
Word and Excel files exactly as they were; a review not yet held stays live; a
damaged frozen pack gives a clear page; re-opening is explicit and audited; reviews
held before packs were frozen are frozen by the command or on first view."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from feedback.clock import uk_date_of
from tests.helpers import post_form
from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service
from tests.factories import build_card

START, END = date(2026, 7, 1), date(2026, 9, 30)
MEETING = date(2026, 10, 20)
PROVIDER = "Frozen Pack Provider"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


def _cards(db, service, n, text, day=date(2026, 8, 3), sentiment=-0.6):
    cards = [build_card(kind="change", text="original words", text_redacted=f"{text} {i}",
                        service_id=service.id, moderation_state="approved",
                        created_at=_at(day), me_too_count=i % 3, sentiment=sentiment)
             for i in range(n)]
    db.session.add_all(cards)
    db.session.flush()
    return cards


def _assign(db, theme, items):
    from feedback.models import ThemeAssignment
    db.session.add_all(ThemeAssignment(theme=theme, card_id=item.id) for item in items)
    db.session.flush()


@pytest.fixture()
def held(db):
    """A contract with 14 cards in Q3 2026 on one theme (12 on "waiting", 2 on
    "staff"), 10 rated feedback entries, a KPI return of 81% and an action linked
    to a card and a theme: a review ready for its meeting; and a second contract
    of another provider, with a review that stays a draft."""
    from feedback.models import FeedbackEntry, KpiReturn, ReviewAction, Theme
    provider = make_provider(db, PROVIDER)
    service = make_service(db, provider, name="Frozen Service")
    contract = make_contract(db, provider=provider, services=[service], reference="FROZEN-1")
    cards = _cards(db, service, 14, "Waited too long")
    db.session.add_all(FeedbackEntry(respondent_type="parent_carer", rating=2,
                                     could_be_better="original", service_id=service.id,
                                     could_be_better_redacted=f"Family words {i}",
                                     quote_consent=True, moderation_state="approved",
                                     created_at=_at(date(2026, 9, 1))) for i in range(10))
    waiting = Theme(key="waiting", label="waiting list", curated_name="Waiting times")
    staff = Theme(key="staff", label="staff kindness")
    db.session.add_all([waiting, staff])
    _assign(db, waiting, cards[:12])
    _assign(db, staff, cards[12:])
    review = make_review(db, contract, START, END)
    review.kpi_returns.append(KpiReturn(kpi=contract.kpis[0], value=Decimal("81"),
                                        commentary="Two staff off sick"))
    review.actions.append(ReviewAction(description="Text families every 6 weeks",
                                       owner=PROVIDER, due_date=date(2026, 12, 1),
                                       status="open", cards=[cards[0]], themes=[waiting]))
    other_service = make_service(db, make_provider(db, "Another Provider"), name="Other One")
    other = make_contract(db, provider=other_service.provider, services=[other_service],
                          reference="LIVE-2")
    _cards(db, other_service, 11, "Other words")
    live = make_review(db, other, START, END)
    db.session.commit()
    return {"review": review, "contract": contract, "service": service, "waiting": waiting,
            "staff": staff, "live": live, "other_service": other_service}


def _hold(client, review_id, day=MEETING):
    return post_form(client, f"/contracts/reviews/{review_id}/hold",
                     {"meeting_date": [str(day.day), str(day.month), str(day.year)],
                      "notes": "Met with the provider"})


def _word_text(data: bytes) -> list[str]:
    import docx
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs] + [
        " | ".join(cell.text for cell in row.cells) for table in document.tables
        for row in table.rows]


def _cells(data: bytes) -> dict:
    import openpyxl
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets}


def _downloads(client, review_id):
    word = client.get(f"/contracts/reviews/{review_id}/pack.docx")
    sheet = client.get(f"/contracts/reviews/{review_id}/pack.xlsx")
    assert word.status_code == 200 and sheet.status_code == 200
    return word.data, sheet.data


def _change_everything(db, client, held):
    """After the meeting: 15 more cards, themes re-assigned and renamed, the KPI
    return corrected, one more action."""
    from feedback.models import ReviewAction, ThemeAssignment
    review, waiting, staff = held["review"], held["waiting"], held["staff"]
    new = _cards(db, held["service"], 15, "Arrived after the meeting", sentiment=0.8)
    _assign(db, staff, new)
    moved = db.session.execute(db.select(ThemeAssignment).filter_by(theme_id=waiting.id)
                               ).scalars().all()[:5]
    for assignment in moved:
        assignment.theme_id = staff.id
    waiting.curated_name = "Renamed after the meeting"
    db.session.add(ReviewAction(review_id=review.id, description="Added after the meeting",
                                owner="Someone", status="open"))
    db.session.commit()
    kpi = held["contract"].kpis[0]
    saved = post_form(client, f"/contracts/reviews/{review.id}/kpis",
                      {f"value_{kpi.id}": "95", f"commentary_{kpi.id}": "Corrected"})
    assert saved.status_code == 302


def test_held_pack_never_changes(db, client, login_as, held):
    from feedback.models import AuditEvent
    review = held["review"]
    user = login_as("commissioner", name="Alex Commissioner")
    assert _hold(client, review.id).status_code == 302
    page = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    db.session.refresh(review)
    frozen_day = uk_date_of(review.frozen_pack.frozen_at)
    frozen_text = f"Frozen on {frozen_day.day} {frozen_day:%B %Y}"
    assert frozen_text in page and "by Alex Commissioner" in page
    assert "This is the pack as it was shown for the meeting" in page
    assert review.frozen_pack.frozen_by_id == user.id
    assert "Waiting times" in page and "81%" in page and "Text families every 6 weeks" in page
    word, sheet = _downloads(client, review.id)
    word_text, cells = _word_text(word), _cells(sheet)
    assert any(frozen_text in line for line in word_text)
    assert ["Frozen on", datetime.combine(frozen_day, datetime.min.time())] in cells["Summary"]
    # Word and Excel say when the meeting was held, not only when the pack was frozen.
    assert "Meeting held: 20 October 2026." in word_text
    assert ["Meeting held", datetime.combine(MEETING, datetime.min.time())] in cells["Summary"]

    _change_everything(db, client, held)

    after = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert "Renamed after the meeting" not in after and "Added after the meeting" not in after
    assert "Arrived after the meeting" not in after and "95%" not in after
    assert "Waiting times" in after and "81%" in after and frozen_text in after
    printable = client.get(f"/contracts/reviews/{review.id}/pack/print").get_data(as_text=True)
    assert "Waiting times" in printable and frozen_text in printable
    word_after, sheet_after = _downloads(client, review.id)
    assert _word_text(word_after) == word_text and _cells(sheet_after) == cells
    assert word_after == word and sheet_after == sheet  # the very same bytes
    themes = {row[0]: row for row in cells["Themes"][1:]}
    assert themes["Waiting times"][1] == 12 and "Renamed after the meeting" not in themes
    # The review page itself is live, and says the pack is frozen.
    review_page = client.get(f"/contracts/reviews/{review.id}").get_data(as_text=True)
    assert "Added after the meeting" in review_page and "The review pack was frozen on" in review_page
    views = db.session.execute(db.select(AuditEvent).filter_by(
        action="contract_pack.viewed", object_id=review.id)).scalars().all()
    assert views and all(event.detail["frozen"] for event in views)


def test_a_review_not_held_stays_live(db, client, login_as, held):
    review = held["review"]
    login_as("commissioner")
    before = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert "These are today" in before and "Frozen on" not in before
    word, sheet = _downloads(client, review.id)
    _change_everything(db, client, held)
    after = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert "Renamed after the meeting" in after and "95%" in after
    assert "Added after the meeting" in after
    word_after, sheet_after = _downloads(client, review.id)
    assert any("Renamed after the meeting" in line for line in _word_text(word_after))
    assert _cells(sheet_after) != _cells(sheet) and word_after != word
    assert not any("Frozen on" in line or "Meeting held" in line
                   for line in _word_text(word_after))
    assert not any(row[0] == "Meeting held" for row in _cells(sheet_after)["Summary"])


def test_changing_the_meeting_record_keeps_the_frozen_pack(db, client, login_as, held):
    review, contract = held["review"], held["contract"]
    login_as("commissioner")
    _hold(client, review.id)
    db.session.refresh(review)
    digest, moved = review.frozen_pack.digest, contract.next_review_date
    _change_everything(db, client, held)
    assert _hold(client, review.id, date(2026, 10, 21)).status_code == 302
    db.session.refresh(review)
    db.session.refresh(contract)
    assert review.meeting_date == date(2026, 10, 21) and review.frozen_pack.digest == digest
    assert contract.next_review_date == moved
    assert b"Renamed after the meeting" not in client.get(
        f"/contracts/reviews/{review.id}/pack").data


@pytest.mark.parametrize("damage", [
    lambda pack: {**pack, "themes": [{"name": "Tampered", "count": 1}]},
    lambda pack: {**pack, "volume": "an older shape"},
    lambda pack: [1, 2, 3],
])
def test_a_damaged_frozen_pack_gives_a_clear_page(db, client, login_as, held, damage):
    from feedback.models import AuditEvent
    review = held["review"]
    login_as("commissioner")
    _hold(client, review.id)
    db.session.refresh(review)
    review.frozen_pack.pack = damage(review.frozen_pack.pack)
    db.session.commit()
    for path in ("/pack", "/pack/print", "/pack.docx", "/pack.xlsx"):
        response = client.get(f"/contracts/reviews/{review.id}{path}")
        assert response.status_code == 409, path
        text = response.get_data(as_text=True)
        assert "This review pack cannot be shown" in text and "re-open the review" in text
        assert "Tampered" not in text
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="contract_pack.damaged")).scalars().first() is not None


def test_provider_sees_only_its_own_frozen_packs(db, client, login_as, held):
    review, live = held["review"], held["live"]
    login_as("commissioner")
    _hold(client, review.id)
    _hold(client, live.id)
    post_form(client, "/logout", {}, form_url="/staff")
    login_as("provider", organisation=PROVIDER)
    page = client.get(f"/contracts/reviews/{review.id}/pack")
    assert page.status_code == 200 and b"Frozen on" in page.data
    _downloads(client, review.id)
    for path in ("", "/pack", "/pack/print", "/pack.docx", "/pack.xlsx"):
        assert client.get(f"/contracts/reviews/{live.id}{path}").status_code == 404, path
    assert client.get(f"/contracts/reviews/{review.id}/reopen").status_code == 403
    assert b"Re-open the review" not in client.get(f"/contracts/reviews/{review.id}").data


def test_reopening_is_explicit_audited_and_discards_the_pack(db, client, login_as, held):
    from feedback.models import AuditEvent, FrozenPack
    review, contract = held["review"], held["contract"]
    login_as("commissioner")
    _hold(client, review.id)
    db.session.refresh(contract)
    moved = contract.next_review_date
    url = f"/contracts/reviews/{review.id}/reopen"
    empty = post_form(client, url, {"reason": "  "})
    assert empty.status_code == 200 and b"Enter why you are re-opening this review" in empty.data
    assert db.session.execute(db.select(FrozenPack)).scalar_one() is not None
    _change_everything(db, client, held)
    done = post_form(client, url, {"reason": "KPI return was wrong"})
    assert done.status_code == 302
    db.session.refresh(review)
    assert review.status == "draft" and review.frozen_pack is None
    event = db.session.execute(db.select(AuditEvent).filter_by(
        action="contract_review.reopened")).scalar_one()
    assert event.detail["reason"] == "KPI return was wrong" and len(event.detail["digest"]) == 64
    live = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert "Renamed after the meeting" in live and "Frozen on" not in live
    assert b"already open" in client.get(url).data
    again = post_form(client, url, {"reason": "again"}, form_url="/staff")
    assert again.status_code == 200 and b"already open" in again.data  # nothing to re-open
    _hold(client, review.id)
    db.session.refresh(review)
    db.session.refresh(contract)
    assert review.frozen_pack is not None and contract.next_review_date == moved
    assert "95%" in client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)


def test_reviews_held_before_packs_were_frozen(db, client, runner, login_as, held):
    """Held directly (as the demo seed and older versions did): the command freezes
    them; a review it missed is frozen on its first view."""
    from feedback.contracts.frozen import freeze_held_packs
    from feedback.models import FrozenPack
    review, live = held["review"], held["live"]
    review.status, review.meeting_date = "held", MEETING
    db.session.commit()
    result = runner.invoke(args=["contracts", "freeze-held"])
    assert result.exit_code == 0 and "Froze 1 held review pack;" in result.output
    db.session.refresh(review)
    assert review.frozen_pack.source == "command" and review.frozen_pack.frozen_by_id is None
    assert freeze_held_packs().frozen == 0  # already frozen: nothing to do
    live.status = "held"
    db.session.commit()
    login_as("commissioner")
    page = client.get(f"/contracts/reviews/{live.id}/pack").get_data(as_text=True)
    assert "Frozen on" in page and "when the pack was first opened" in page
    # Not frozen at the meeting, so it does not claim to be what the meeting saw.
    assert "as it was shown for the meeting" not in page
    assert "with the figures as they stood on" in page
    assert db.session.execute(db.select(FrozenPack).filter_by(review_id=live.id)
                              ).scalar_one().source == "first_view"


def test_packs_kept_by_earlier_versions_are_checked(db, client, login_as, held):
    """Packs moved from the old ``pack_snapshot`` column have no digest: one that
    reads is kept as it is; one from an older shape is rebuilt, and says so."""
    from feedback.contracts.pack import build_pack
    from feedback.contracts.periods import Period
    from feedback.models import FrozenPack
    review, live = held["review"], held["live"]
    old = build_pack(held["contract"].id, Period("quarter", START, END),
                     today=date(2026, 10, 20)).to_dict()
    old["themes"][0]["name"] = "Name at the meeting"
    for found in (review, live):
        found.status, found.meeting_date = "held", MEETING
    db.session.add_all([FrozenPack(review=review, pack=old, digest=None, source="legacy"),
                        FrozenPack(review=live, pack={"volume": "older"}, digest=None,
                                   source="legacy")])
    db.session.commit()
    login_as("commissioner")
    kept = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert "Name at the meeting" in kept and "before packs were frozen" in kept
    db.session.refresh(review)
    assert review.frozen_pack.digest is not None
    rebuilt = client.get(f"/contracts/reviews/{live.id}/pack").get_data(as_text=True)
    assert "Other words" in rebuilt and "from an older version" in rebuilt
    assert db.session.execute(db.select(FrozenPack).filter_by(review_id=live.id)
                              ).scalar_one().source == "rebuilt"


def test_frozen_pack_round_trip_checks_every_field(db, held):
    from feedback.contracts.pack import build_pack
    from feedback.contracts.pack_types import ReviewPack
    from feedback.contracts.periods import Period
    pack = build_pack(held["contract"].id, Period("quarter", START, END), today=MEETING)
    data = json.loads(json.dumps(pack.to_dict()))
    assert ReviewPack.from_dict(data) == pack
    broken = json.loads(json.dumps(data))
    broken["volume"]["total"] = {"not": "a count"}
    with pytest.raises(ValueError, match="pack.volume.total"):
        ReviewPack.from_dict(broken)
    del data["kpis"]
    with pytest.raises(ValueError, match="pack.kpis is missing"):
        ReviewPack.from_dict(data)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_moves_kept_packs_into_frozen_pack(kind, tmp_path):
    """0009 moves the packs earlier versions kept in ``pack_snapshot`` (held reviews
    only) into ``frozen_pack`` as "legacy", and its downgrade puts them back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from feedback import create_app
    from feedback.extensions import db
    from tests.helpers import ROOT, app_settings
    from tests.web.test_migrations import _fresh_url

    url, cleanup = _fresh_url(kind, tmp_path)
    directory = str(ROOT / "migrations")
    app = create_app(app_settings(url))
    pack = {"reference": "OLD-1", "themes": [{"name": "Kept at the meeting"}]}
    try:
        with app.app_context():
            upgrade(directory=directory, revision="0007_uploads")
            now = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO organisation (id, name, kind, created_at) "
                                  "VALUES (1, 'Old provider', 'provider', :now)"), {"now": now})
                conn.execute(text(
                    "INSERT INTO contract (id, reference, title, provider_id, annual_value, "
                    "start_date, end_date, review_frequency, created_at, updated_at) VALUES "
                    "(1, 'OLD-1', 'Old', 1, 100, :start, :end, 'quarterly', :now, :now)"),
                    {"start": date(2024, 4, 1), "end": date(2027, 3, 31), "now": now})
                for review_id, status, kept in ((1, "held", json.dumps(pack)),
                                                (2, "draft", json.dumps(pack)),
                                                (3, "held", None)):
                    conn.execute(text(
                        "INSERT INTO contract_review (id, contract_id, period_kind, period_start,"
                        " period_end, status, pack_snapshot, created_at, updated_at) VALUES "
                        "(:id, 1, 'quarter', :start, :end, :status, :kept, :now, :now)"),
                        {"id": review_id, "start": date(2025, 1 + 3 * review_id, 1),
                         "end": date(2025, 3 + 3 * review_id, 28), "status": status,
                         "kept": kept, "now": now})
                conn.execute(text("INSERT INTO kpi (id, contract_id, name, target, unit, "
                                  "direction, amber_tolerance) VALUES "
                                  "(1, 1, 'Seen', 90, '%', 'higher', 0.1)"))
                conn.execute(text("INSERT INTO kpi_return (id, review_id, kpi_id, value) "
                                  "VALUES (1, 1, 1, 81)"))
            upgrade(directory=directory, revision="0009_frozen_packs")
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT review_id, pack, digest, source, frozen_at "
                                         "FROM frozen_pack")).all()
                columns = {c["name"] for c in inspect(conn).get_columns("contract_review")}
            assert len(rows) == 1 and rows[0][0] == 1 and rows[0][2] is None
            kept = rows[0][1] if isinstance(rows[0][1], dict) else json.loads(rows[0][1])
            assert kept == pack and rows[0][3] == "legacy"
            assert "pack_snapshot" not in columns
            with db.engine.connect() as conn:  # the reviews' own rows are all still there
                assert conn.execute(text("SELECT count(*) FROM kpi_return")).scalar_one() == 1
            downgrade(directory=directory, revision="0007_uploads")
            with db.engine.connect() as conn:
                back = dict(conn.execute(text(
                    "SELECT id, pack_snapshot FROM contract_review")).all())
            restored = back[1] if isinstance(back[1], dict) else json.loads(back[1])
            assert restored == pack and back[3] is None
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM kpi_return")).scalar_one() == 1
            db.session.remove()
            db.engine.dispose()
    finally:
        if cleanup:
            admin, name = cleanup
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
