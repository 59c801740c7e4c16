"""Background analysis runs: RQ on Redis when ``REDIS_URL`` is set, a thread otherwise.

Contract:

- ``start_run(kind, actor, params=None)`` records a queued ``AnalysisRun``,
  commits, and hands it to the background; returns the run. When a run of the
  same kind is already queued or running, that run is returned instead (one at
  a time is enough, and it stops a double click starting two): ``busy_run(kind)``.
  With ``here=True`` (``flask analysis run``) the run is done in the caller,
  which waits, and the finished run is returned.
- ``perform_run(run_id)`` is the job body: it runs in the current app context
  when there is one (an in-process worker), else builds the app from the
  environment (``rq worker`` started by ``make worker``).
- In-process threads get their own app context and database session; tests
  (and the CLI) may ``wait(run_id)`` for one to finish.
- Redis configured but unreachable: the run is done in an in-process thread
  instead, so no run is lost.
- ``classify_new_items()`` is called after a moderator's approval has
  committed: it queues a classify run for the newly approved items (or
  leaves them to the one already queued or running, which picks them up).
- With ``ANALYSIS_INLINE`` set, a run is performed in the caller right after
  it is queued (tests, and one-off scripts that want the result at once).
- ``reap_dead_runs()`` marks ``failed`` any queued or running run whose RQ
  job failed or whose worker died (killed mid-run), and in-process runs
  whose thread is gone; ``start_run`` calls it first, so such a run can
  simply be started again, and the runs page calls it before listing runs,
  so a dead run is shown as failed at once.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import select

from .extensions import db
from .models import AnalysisRun

_THREADS: dict[int, threading.Thread] = {}
JOB_TIMEOUT = 3600
DEAD_WORKER_MESSAGE = ("The worker doing this run stopped before it finished "
                       "(it was stopped, restarted or ran out of memory). Start the run again.")
log = logging.getLogger("feedback.tasks")


def queue_name(app) -> str:
    return app.config.get("ANALYSIS_QUEUE", "analysis")


def busy_run(kind: str) -> AnalysisRun | None:
    """The run of ``kind`` still queued or running (after marking dead ones failed), or None."""
    reap_dead_runs()
    return db.session.execute(
        select(AnalysisRun).where(AnalysisRun.kind == kind,
                                  AnalysisRun.status.in_(("queued", "running")))
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none()


def start_run(kind: str, actor=None, params: dict | None = None, *,
              here: bool = False) -> AnalysisRun:
    """Queue a ``full`` or ``classify`` run (or return the one already waiting); with
    ``here`` do it in this process and return it finished."""
    if kind not in ("full", "classify"):
        raise ValueError(f"unknown run kind {kind!r}")
    busy = busy_run(kind)
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
    if here:
        from .analysis_bridge import execute_run
        return execute_run(run.id)
    enqueue(run)
    return run


def classify_new_items() -> AnalysisRun | None:
    """Queue classification of newly approved items; the caller has committed.

    Returns the classify run that will place them, or None when there is
    nothing to place them into yet (no full run has trained a classifier: the
    first full run themes every published item) or when
    ``ANALYSIS_CLASSIFY_ON_APPROVAL`` is off. Never raises: the approval is
    already saved, and an item left waiting is shown on the runs page and the
    commissioner's home, where it can be placed by hand.
    """
    if not current_app.config.get("ANALYSIS_CLASSIFY_ON_APPROVAL", True):
        return None
    try:
        from .theme_store import has_classifier
        if not has_classifier():
            return None
        return start_run("classify", None)
    except Exception:  # noqa: BLE001 - a failed hand-off must not undo an approval
        log.exception("could not queue classification after approval")
        db.session.rollback()
        return None


def enqueue(run: AnalysisRun) -> None:
    app = current_app._get_current_object()
    if app.config.get("ANALYSIS_INLINE"):
        from .analysis_bridge import execute_run
        execute_run(run.id)
        return
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            connection = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
            queue = Queue(queue_name(app), connection=connection)
            job = queue.enqueue("feedback.tasks.perform_run", run.id, job_timeout=JOB_TIMEOUT)
        except RedisError as exc:
            # Redis is down: do the run here rather than lose it.
            log.warning("Redis unavailable (%s): analysis run %s runs in-process",
                        exc.__class__.__name__, run.id)
        else:
            run.job_id = job.id
            db.session.commit()
            return
    thread = threading.Thread(target=_in_thread, args=(app, run.id),
                              name=f"analysis-run-{run.id}", daemon=True)
    _THREADS[run.id] = thread
    thread.start()


def _job_is_dead(job_id: str, connection) -> bool:
    """True when the RQ job failed, vanished, or its worker is gone."""
    from rq import Worker
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return True
    status = job.get_status(refresh=False)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return True
    if status != JobStatus.STARTED or not job.worker_name:
        return False  # still waiting in the queue: a worker will take it
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name,
                                connection=connection)
    if worker is None:
        return True  # its heartbeat expired
    if worker.hostname == socket.gethostname() and worker.pid:
        try:
            os.kill(worker.pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def reap_dead_runs() -> list[int]:
    """Mark runs whose worker died as failed (commits when it marks any); returns their ids."""
    from .models.base import utcnow

    runs = db.session.execute(select(AnalysisRun).where(
        AnalysisRun.status.in_(("queued", "running")))).scalars().all()
    if not runs:
        return []
    dead = []
    url = current_app.config.get("REDIS_URL")
    connection = None
    for run in runs:
        if run.job_id:
            if not url:
                continue
            try:
                if connection is None:
                    from redis import Redis
                    connection = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
                if _job_is_dead(run.job_id, connection):
                    dead.append(run)
            except Exception as exc:  # noqa: BLE001 - Redis down: cannot tell, leave the run
                log.warning("could not check analysis job %s: %s", run.job_id, exc)
        else:
            # An in-process run whose process ended (a restart) never finishes:
            # past the job time-out it cannot be running any more.
            started = run.started_at or run.created_at
            if started is not None and utcnow() - started > timedelta(seconds=JOB_TIMEOUT):
                dead.append(run)
    for run in dead:
        run.status, run.finished_at, run.stage = "failed", utcnow(), "Stopped: the worker died"
        run.error = DEAD_WORKER_MESSAGE
        log.warning("analysis run %s marked failed: its worker died", run.id)
    if dead:
        db.session.commit()
    return [run.id for run in dead]


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
