"""The runs page shows a run whose worker died as failed, without waiting for
someone to start another run (feedback.tasks.reap_dead_runs)."""
from __future__ import annotations

from datetime import timedelta

from tests.helpers import sign_in


def _run(app, **columns) -> int:
    from feedback.extensions import db
    from feedback.models import AnalysisRun
    from feedback.models.base import utcnow
    with app.app_context():
        run = AnalysisRun(kind="full", status="running", stage="Finding themes", progress=40,
                          params={}, **columns)
        run.started_at = columns.get("started_at", utcnow())
        db.session.add(run)
        db.session.commit()
        return run.id


def _status(app, run_id: int) -> tuple[str, str | None]:
    from feedback.extensions import db
    from feedback.models import AnalysisRun
    with app.app_context():
        run = db.session.get(AnalysisRun, run_id)
        return run.status, run.error


def _row(page: str, run_id: int) -> str:
    start = page.index(f"<td class=\"govuk-table__cell\">{run_id}: ")
    return page[start:page.index("</tr>", start)]


def test_runs_page_shows_a_run_past_its_time_out_as_failed(app, client, make_user):
    from feedback.models.base import utcnow
    from feedback.tasks import JOB_TIMEOUT
    dead = _run(app, started_at=utcnow() - timedelta(seconds=JOB_TIMEOUT + 60))
    alive = _run(app)
    assert sign_in(client, make_user("commissioner")).status_code == 302
    page = client.get("/insight/runs").get_data(as_text=True)
    assert "Failed" in _row(page, dead) and "Start the run again" in _row(page, dead)
    assert "Running" in _row(page, alive) and "Failed" not in _row(page, alive)
    assert _status(app, dead)[0] == "failed" and _status(app, alive)[0] == "running"
    assert 'data-app-refresh="5"' in page  # the live run still refreshes it
    assert 'http-equiv="refresh"' not in page  # which can be stopped (WCAG 2.2.1)


def test_runs_page_shows_a_run_whose_rq_job_vanished_as_failed(make_app, make_user, redis_url):
    app = make_app(REDIS_URL=redis_url)
    run_id = _run(app, job_id="job-lost-when-redis-was-emptied")
    client = app.test_client()
    assert sign_in(client, make_user("commissioner")).status_code == 302
    page = client.get("/insight/runs").get_data(as_text=True)
    assert "Failed" in _row(page, run_id)
    assert "data-app-refresh" not in page
    status, error = _status(app, run_id)
    assert status == "failed" and "Start the run again" in error


def test_runs_page_leaves_runs_alone_when_redis_cannot_be_asked(make_app, make_user):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    run_id = _run(app, job_id="job-somewhere")
    client = app.test_client()
    assert sign_in(client, make_user("commissioner")).status_code == 302
    response = client.get("/insight/runs")
    assert response.status_code == 200
    assert "Running" in _row(response.get_data(as_text=True), run_id)
    assert _status(app, run_id)[0] == "running"
