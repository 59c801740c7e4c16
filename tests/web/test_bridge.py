"""The analysis bridge: full runs, classification of new items, failures, RQ and threads."""
from __future__ import annotations

import uuid

import pytest

from tests.factories import TOPICS, build_card, make_cards, make_service, run_full, theme_of


def test_full_run_stores_themes_assignments_and_sentiment(db):
    from feedback.models import Theme, ThemeAssignment
    cards = make_cards(db, make_service(db))
    run = run_full(db)
    assert run.status == "succeeded", run.error
    assert run.n_items == 60 and run.n_themes == 3 and run.progress == 100
    assert {"read", "themes", "save", "total"} <= set(run.timings)
    assert run.classifier and run.previous_state["themes"]
    themes = db.session.execute(db.select(Theme)).scalars().all()
    assert len(themes) == 3 and sum(t.size for t in themes) == 60
    assert db.session.execute(db.select(db.func.count()).select_from(ThemeAssignment)).scalar() == 60
    # cards of one topic land together
    first = {theme_of(db, c.id).id for c in cards[:20]}
    assert len(first) == 1
    db.session.refresh(cards[0])
    assert cards[0].sentiment is not None


def test_unpublished_items_are_never_analysed(db):
    from feedback.models import ThemeAssignment
    service = make_service(db)
    make_cards(db, service)
    held = build_card(kind="stop", text="held back text", text_redacted="held back", service=service,
                      moderation_state="approved", safeguarding_flagged=True)
    pending = build_card(kind="stop", text="pending text", service=service,
                         moderation_state="pending", text_redacted=None)
    db.session.add_all([held, pending])
    db.session.commit()
    run = run_full(db)
    assert run.n_items == 60
    assigned = set(db.session.execute(db.select(ThemeAssignment.card_id)).scalars())
    assert held.id not in assigned and pending.id not in assigned


def test_rerun_keeps_ids_and_curated_names(db):
    from feedback.models import Theme
    make_cards(db, make_service(db))
    run_full(db)
    theme = db.session.execute(db.select(Theme).order_by(Theme.id)).scalars().first()
    theme.curated_name, theme.reviewed, theme.hidden = "Waiting too long", True, True
    key = theme.key
    db.session.commit()
    second = run_full(db)
    assert second.status == "succeeded", second.error
    again = db.session.execute(db.select(Theme).filter_by(key=key)).scalar_one()
    assert again.id == theme.id and again.name == "Waiting too long"
    assert again.reviewed and again.hidden and again.size > 0
    assert db.session.execute(db.select(db.func.count()).select_from(Theme)).scalar() == 3


def test_new_approved_items_are_classified_into_curated_themes(db):
    from feedback.analysis_bridge import execute_run
    from feedback.theme_store import unanalysed_count
    from feedback.models import AnalysisRun
    service = make_service(db)
    cards = make_cards(db, service)
    run_full(db)
    transport = theme_of(db, cards[25].id)
    new = build_card(kind="start", text="x", text_redacted="please run a later bus home from the youth club",
                     service=service, moderation_state="approved", safeguarding_flagged=False)
    db.session.add(new)
    db.session.commit()
    assert unanalysed_count() == 1
    run = AnalysisRun(kind="classify", status="queued")
    db.session.add(run)
    db.session.commit()
    run = execute_run(run.id)
    assert run.status == "succeeded", run.error
    assert theme_of(db, new.id).id == transport.id
    assert unanalysed_count() == 0


def test_engine_errors_are_recorded_not_raised(db, monkeypatch):
    import analysis
    make_cards(db, make_service(db), per_topic=4)

    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")
    monkeypatch.setattr(analysis, "find_themes", broken)
    run = run_full(db)
    assert run.status == "failed" and "engine exploded" in run.error
    assert run.finished_at is not None


def test_in_process_background_run_uses_its_own_session(app, db, make_user):
    from feedback import tasks
    from feedback.models import AnalysisRun
    make_cards(db, make_service(db))
    user = db.session.merge(make_user("commissioner"))
    run = tasks.start_run("full", user, {"themes": 3})
    assert run.status == "queued"
    tasks.wait(run.id)
    db.session.expire_all()
    finished = db.session.get(AnalysisRun, run.id)
    assert finished.status == "succeeded", finished.error
    assert finished.n_themes == 3


def test_run_through_a_real_rq_worker(app, make_app, db):
    redis = pytest.importorskip("redis")
    from rq import Queue, SimpleWorker
    url = "redis://127.0.0.1:6379/13"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis not running on 127.0.0.1:6379")
    queue_name = f"analysis-test-{uuid.uuid4().hex[:8]}"
    rq_app = make_app(REDIS_URL=url, ANALYSIS_QUEUE=queue_name)
    with rq_app.app_context():
        from feedback import tasks
        from feedback.extensions import db as rq_db
        from feedback.models import AnalysisRun
        make_cards(rq_db, make_service(rq_db))
        run = tasks.start_run("full", None, {"themes": 3})
        assert run.job_id
        queue = Queue(queue_name, connection=connection)
        assert queue.count == 1
        worker = SimpleWorker([queue], connection=connection)
        worker.work(burst=True)
        rq_db.session.expire_all()
        done = rq_db.session.get(AnalysisRun, run.id)
        assert done.status == "succeeded", done.error
        assert done.n_items == 60
    for key in connection.scan_iter(f"rq:*{queue_name}*"):
        connection.delete(key)
    connection.delete(f"rq:job:{run.job_id}")


def test_cli_runs_the_analysis(app, db):
    make_cards(db, make_service(db))
    result = app.test_cli_runner().invoke(args=["analysis", "run", "--themes", "3"])
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and "3 themes" in result.output
    result = app.test_cli_runner().invoke(args=["analysis", "classify"])
    assert result.exit_code == 0, result.output


def test_topics_fixture_is_varied():
    assert len(TOPICS) == 3


def test_approval_queues_classification_run_inline(make_app, db, make_user):
    """Approving an item starts a classify run once the approval is saved; run
    inline here, the item gets its theme and sentiment before the answer."""
    from feedback.models import ActionCard, AnalysisRun
    from tests.helpers import approve_as_shown, sign_in
    service = make_service(db)
    cards = make_cards(db, service)
    run_full(db)
    card = build_card(kind="change", text="my social worker changed again", service=service,
                      moderation_state="pending", text_redacted=None)
    db.session.add(card)
    db.session.commit()
    client = make_app(ANALYSIS_INLINE=True).test_client()
    assert sign_in(client, make_user("moderator")).status_code == 302
    answer = approve_as_shown(client, "card", card.id)
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(ActionCard, card.id).moderation_state == "approved"
    run = db.session.execute(db.select(AnalysisRun).filter_by(kind="classify")).scalar_one()
    assert run.status == "succeeded", run.error
    assert run.n_items == 1 and run.started_by_id is None
    assert theme_of(db, card.id).id == theme_of(db, cards[45].id).id
    assert db.session.get(ActionCard, card.id).sentiment is not None


def test_approval_in_the_background_and_no_second_run_while_one_waits(app, db, make_user):
    from feedback import tasks
    from feedback.models import AnalysisRun
    from feedback.moderation.services import approve
    service = make_service(db)
    cards = make_cards(db, service)
    run_full(db)
    waiting = AnalysisRun(kind="classify", status="queued", job_id=None)
    db.session.add(waiting)
    new = [build_card(kind="change", text=f"the bus home from youth club is late {n}", service=service,
                      moderation_state="pending", text_redacted=None)
           for n in range(2)]
    db.session.add_all(new)
    db.session.commit()
    moderator = db.session.merge(make_user("moderator"))
    approve("card", new[0].id, moderator)
    approve("card", new[1].id, moderator)
    runs = db.session.execute(db.select(AnalysisRun).filter_by(kind="classify")).scalars().all()
    assert [r.id for r in runs] == [waiting.id]  # coalesced into the queued run
    # The queued run picks up every approved item still without sentiment.
    from feedback.analysis_bridge import execute_run
    from feedback.theme_store import unanalysed_count
    assert unanalysed_count() == 2
    done = execute_run(waiting.id)
    assert done.status == "succeeded" and done.n_items == 2
    assert theme_of(db, new[0].id).id == theme_of(db, cards[25].id).id
    # With nothing waiting, the next approval starts a background run of its own.
    late = build_card(kind="change", text="the waiting list for counselling is long", service=service,
                      moderation_state="pending", text_redacted=None)
    db.session.add(late)
    db.session.commit()
    approve("card", late.id, moderator)
    run = db.session.execute(db.select(AnalysisRun).filter_by(kind="classify")
                             .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one()
    assert run.id != waiting.id
    tasks.wait(run.id)
    db.session.expire_all()
    assert db.session.get(AnalysisRun, run.id).status == "succeeded"
    assert theme_of(db, late.id).id == theme_of(db, cards[0].id).id


def test_no_classify_run_before_the_first_full_run(db, make_user):
    """Nothing to place items into yet: the first full run themes them all."""
    from feedback.models import AnalysisRun
    from feedback.moderation.services import approve
    card = build_card(kind="change", text="more youth clubs please", service=make_service(db),
                      moderation_state="pending", text_redacted=None)
    db.session.add(card)
    db.session.commit()
    approve("card", card.id, db.session.merge(make_user("moderator")))
    assert db.session.execute(db.select(db.func.count()).select_from(AnalysisRun)).scalar() == 0


def test_opening_the_dashboard_starts_no_work(client, login_as, db):
    from feedback.models import AnalysisRun
    service = make_service(db)
    make_cards(db, service)
    run_full(db)
    db.session.add(build_card(kind="change", text="x", text_redacted="bus home please", service=service,
                              moderation_state="approved", safeguarding_flagged=False))
    db.session.commit()
    login_as("commissioner")
    assert client.get("/insight").status_code == 200
    kinds = db.session.execute(db.select(AnalysisRun.kind)).scalars().all()
    assert kinds == ["full"]


def test_edited_redaction_of_an_approved_item_is_placed_again(make_app, db, make_user):
    from feedback.models import ThemeAssignment
    from feedback.moderation.services import save_redaction
    service = make_service(db)
    cards = make_cards(db, service)
    run_full(db)
    card = cards[0]  # a "waiting list" card
    inline_app = make_app(ANALYSIS_INLINE=True)
    with inline_app.app_context():
        from feedback.extensions import db as inline_db
        save_redaction("card", card.id, inline_db.session.merge(make_user("moderator")),
                       {"text_redacted": "there is no bus home after the youth club finishes"})
    db.session.expire_all()
    methods = db.session.execute(db.select(ThemeAssignment.method)
                                 .where(ThemeAssignment.card_id == card.id)).scalars().all()
    assert methods == ["classifier"]
    assert theme_of(db, card.id).id == theme_of(db, cards[25].id).id
