"""Flask commands: demo data and staff accounts."""
from __future__ import annotations

from feedback.models import (ActionCard, Area, Contract, FeedbackEntry, ImportBatch, Kpi,
                             Organisation, Service, User)


def test_seed_demo_builds_the_partnership_once(runner, db):
    result = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42",
                                 "--cards", "120", "--feedback", "90"])
    assert result.exit_code == 0, result.output
    assert "Demo password: lantern-orchard-velvet-42" in result.output
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    from feedback.demo.collected import ROWS
    from feedback.models import Inspection
    assert count(ActionCard) == 120
    families = db.select(db.func.count()).select_from(FeedbackEntry).where(
        FeedbackEntry.source != "young_inspectors")
    # the corpus's feedback, and the providers' own collected feedback beside it
    assert db.session.scalar(families) == 90 + ROWS
    assert count(Inspection) == 3  # feedback/demo/inspections.py: 13 "should change" items
    assert count(FeedbackEntry) == 90 + ROWS + 13
    assert count(Service) == 30 and count(Contract) >= 18 and count(Kpi) >= 40
    # each with its plain name in Welsh (feedback/demo/welsh.py), for the Welsh pages
    assert all(s.plain_name_cy for s in db.session.scalars(db.select(Service)))
    districts = db.session.scalars(db.select(Area).where(Area.kind.in_(["district", "borough"]))).all()
    assert len(districts) == 11
    assert {a.parent.name for a in districts} == {"North East quadrant", "North West quadrant",
                                                  "South East quadrant", "South West quadrant"}
    kinds = {o.kind for o in db.session.scalars(db.select(Organisation))}
    assert kinds >= {"council", "nhs_board", "provider", "parent_carer_forum"}
    emails = {u.email for u in db.session.scalars(db.select(User))}
    for role in ("commissioner", "moderator", "safeguarding_lead", "forum_rep", "provider", "admin"):
        assert f"{role}@demo.invalid" in emails
    assert count(ImportBatch) >= 1
    statuses = {c.status for c in db.session.scalars(db.select(ActionCard))}
    assert statuses >= {"received", "being_looked_at", "action_planned", "done"}
    from feedback.models import ActionUpdate, ReviewAction
    updates = db.session.scalars(db.select(ActionUpdate)).all()
    assert len(updates) >= 5 and len({u.note for u in updates}) == len(updates), "no repeats"
    assert sum(u.new_due_date is not None and bool(u.reason) for u in updates) == 1
    assert count(ReviewAction) and db.session.scalar(db.select(db.func.count()).select_from(
        ReviewAction).where(ReviewAction.completion_claimed_at.is_not(None))) == 1
    assert any(u.author and u.author.email == "provider@demo.invalid" for u in updates)

    again = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42"])
    assert again.exit_code != 0 and "--reset" in again.output
    empty_only = runner.invoke(args=["seed-demo", "--if-empty"])
    assert empty_only.exit_code == 0 and "not added" in empty_only.output

    reset = runner.invoke(args=["seed-demo", "--reset", "--password", "lantern-orchard-velvet-42",
                                "--cards", "30", "--feedback", "20"])
    assert reset.exit_code == 0, reset.output
    db.session.expire_all()
    assert count(ActionCard) == 30


def test_seed_demo_refuses_a_weak_password(runner):
    result = runner.invoke(args=["seed-demo", "--password", "short"])
    assert result.exit_code != 0 and "12 characters" in result.output


def test_demo_user_can_sign_in(runner, client):
    from tests.helpers import post_form
    runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42", "--cards", "10",
                        "--feedback", "10"])
    response = post_form(client, "/login", {"email": "commissioner@demo.invalid",
                                            "password": "lantern-orchard-velvet-42"})
    assert response.status_code == 302
    assert client.get("/staff").status_code == 200


def test_demo_lead_queue_has_a_referral_and_flagged_import_rows(runner, db):
    """The demo's safeguarding queue shows what a lead reads: a moderator's
    referral, and parents' flagged words from a forum import with their row."""
    result = runner.invoke(args=["seed-demo", "--password", "lantern-orchard-velvet-42",
                                 "--cards", "120", "--feedback", "90"])
    assert result.exit_code == 0, result.output
    referred = db.session.scalars(db.select(ActionCard).where(
        ActionCard.safeguarding_referral_reason.is_not(None))).all()
    assert len(referred) == 1 and referred[0].safeguarding_flagged
    assert referred[0].safeguarding_referred_by.email == "moderator@demo.invalid"
    imported = db.session.scalars(db.select(FeedbackEntry).where(
        FeedbackEntry.safeguarding_flagged.is_(True),
        FeedbackEntry.source == "forum_import")).all()
    assert len(imported) == 3
    assert all(e.import_batch and e.import_row_number and e.safeguarding_trigger["phrases"]
               for e in imported)
    cards = db.session.scalars(db.select(ActionCard).where(
        ActionCard.safeguarding_flagged.is_(True), ActionCard.safeguarding_trigger.is_not(None)))
    assert cards.first() is not None


def test_create_user(runner, db):
    result = runner.invoke(args=["create-user", "new.person@example.org", "--name", "New Person",
                                 "--role", "moderator", "--role", "commissioner"],
                           input="lantern-orchard-velvet-42\nlantern-orchard-velvet-42\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="new.person@example.org"))
    assert user.roles == {"moderator", "commissioner"}
    weak = runner.invoke(args=["create-user", "weak@example.org", "--name", "W", "--role", "admin"],
                         input="password1234\npassword1234\n")
    assert weak.exit_code != 0


def test_create_user_goes_through_the_admin_use_case(runner, db):
    """The same e-mail clash check, password policy and audit row as the People page."""
    from feedback.models import AuditEvent

    args = ["create-user", "Clash@Example.org", "--name", "First", "--role", "forum_rep",
            "--organisation", "Northshire Parent Carer Forum"]
    db.session.add(Organisation(name="Northshire Parent Carer Forum", kind="parent_carer_forum"))
    db.session.commit()
    first = runner.invoke(args=args, input="lantern-orchard-velvet-42\nlantern-orchard-velvet-42\n")
    assert first.exit_code == 0, first.output
    user = db.session.scalar(db.select(User).filter_by(email="clash@example.org"))
    assert user.organisation.name == "Northshire Parent Carer Forum"
    assert user.must_change_password is False  # the password was chosen, not a temporary one
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="admin.user_created"))
    assert (event.object_id, event.actor_id) == (user.id, None)
    assert event.detail == {"roles": ["forum_rep"], "via": "command line"}

    again = runner.invoke(args=["create-user", "clash@example.org", "--name", "Second",
                                "--role", "moderator"],
                          input="meadow-harbour-copper-77\nmeadow-harbour-copper-77\n")
    assert again.exit_code == 2
    assert "There is already an account with this email address" in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    nowhere = runner.invoke(args=["create-user", "x@example.org", "--name", "X", "--role", "admin",
                                  "--organisation", "Nowhere"],
                            input="meadow-harbour-copper-77\nmeadow-harbour-copper-77\n")
    assert nowhere.exit_code == 2 and "No organisation called 'Nowhere'" in nowhere.output
    unknown = runner.invoke(args=["create-user", "y@example.org", "--name", "Y", "--role", "boss"],
                            input="meadow-harbour-copper-77\nmeadow-harbour-copper-77\n")
    assert unknown.exit_code == 2 and "'boss' is not one of" in unknown.output
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 1


def test_analysis_run_refuses_while_a_run_is_busy(runner, db):
    """``flask analysis run`` goes through ``tasks.start_run``: one run of a kind at a time."""
    from feedback import clock
    from feedback.models import AnalysisRun

    busy = AnalysisRun(kind="full", status="running", params={}, stage="Finding themes",
                       started_at=clock.now())
    db.session.add(busy)
    db.session.commit()
    result = runner.invoke(args=["analysis", "run"])
    assert result.exit_code == 1
    assert f"Analysis run {busy.id} (full) is already running" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(AnalysisRun)) == 1

    queued = runner.invoke(args=["analysis", "run", "--background"])
    assert queued.exit_code == 1 and "already running" in queued.output
    # Another kind is not held up by it: with nothing approved the run finishes at once.
    other = runner.invoke(args=["analysis", "classify"])
    runs = db.session.scalars(db.select(AnalysisRun).order_by(AnalysisRun.id)).all()
    assert [r.kind for r in runs] == ["full", "classify"], other.output
    assert runs[1].status in ("succeeded", "failed") and runs[1].stage
