"""Background analysis runs: RQ on Redis when ``REDIS_URL`` is set, a thread otherwise.

Contract:

- ``start_run(kind, actor, params=None)`` records a queued ``AnalysisRun``,
  commits, and hands it to the background; returns the run. When a run of the
  same kind is already queued or running, that run is returned instead (one at
  a time is enough, and it stops a double click starting two).
- ``perform_run(run_id)`` is the job body: it runs in the current app context
  when there is one (an in-process worker), else builds the app from the
  environment (``rq worker`` started by ``make worker``).
- In-process threads get their own app context and database session; tests
  (and the CLI) may ``wait(run_id)`` for one to finish.
"""
from __future__ import annotations

import threading

from flask import current_app, has_app_context
from sqlalchemy import select

from .extensions import db
from .models import AnalysisRun

_THREADS: dict[int, threading.Thread] = {}
JOB_TIMEOUT = 3600


def queue_name(app) -> str:
    return app.config.get("ANALYSIS_QUEUE", "analysis")


def start_run(kind: str, actor=None, params: dict | None = None) -> AnalysisRun:
    """Queue a ``full`` or ``classify`` run (or return the one already waiting)."""
    if kind not in ("full", "classify"):
        raise ValueError(f"unknown run kind {kind!r}")
    busy = db.session.execute(
        select(AnalysisRun).where(AnalysisRun.kind == kind,
                                  AnalysisRun.status.in_(("queued", "running")))
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none()
    if busy is not None:
        return busy
    from . import audit

    run = AnalysisRun(kind=kind, status="queued", progress=0, stage="Waiting to start",
                      params=params or {}, started_by_id=getattr(actor, "id", None))
    db.session.add(run)
    db.session.flush()
    if actor is not None:
        audit.record("analysis.run_started", actor, run, kind=kind)
    db.session.commit()
    enqueue(run)
    return run


def enqueue(run: AnalysisRun) -> None:
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        queue = Queue(queue_name(app), connection=Redis.from_url(url))
        job = queue.enqueue("feedback.tasks.perform_run", run.id, job_timeout=JOB_TIMEOUT)
        run.job_id = job.id
        db.session.commit()
        return
    thread = threading.Thread(target=_in_thread, args=(app, run.id),
                              name=f"analysis-run-{run.id}", daemon=True)
    _THREADS[run.id] = thread
    thread.start()


def _in_thread(app, run_id: int) -> None:
    with app.app_context():
        from .analysis_bridge import execute_run
        try:
            execute_run(run_id)
        finally:
            db.session.remove()


def wait(run_id: int, timeout: float = 300) -> None:
    """Block until an in-process run's thread ends (no-op for RQ runs)."""
    thread = _THREADS.pop(run_id, None)
    if thread is not None:
        thread.join(timeout)


def perform_run(run_id: int) -> str:
    """The RQ job: perform the run; returns its final status."""
    from .analysis_bridge import execute_run

    if has_app_context():
        run = execute_run(run_id)
        return run.status if run else "missing"
    from . import create_app

    app = create_app()
    with app.app_context():
        try:
            run = execute_run(run_id)
            return run.status if run else "missing"
        finally:
            db.session.remove()
