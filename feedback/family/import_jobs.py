"""Reading, checking and importing an uploaded file in the background, never in a web worker.

Contract:

- ``start(kind, instance_path, upload)`` records ``upload.job`` (``kind`` is
  ``"read"``: read the file once and keep its ``reading.Outline`` for the
  column page; ``"check"``: validate every row; ``"import"``; status ``queued``) and hands the work to RQ
  (queue ``IMPORT_QUEUE``, default ``imports``) when ``REDIS_URL`` is set, so
  the request returns at once and the page shows progress; without Redis (or
  when Redis does not answer) the work is done inline, in the caller, as the
  analysis runs do (``feedback.tasks``).
- ``perform(instance_path, upload_id, kind)`` is the job body: in the
  current app context when there is one, else in an app built from the
  environment (``rq worker imports``, ``make worker``).
- The outcome is written to ``upload.job``: status ``done`` with ``result``
  (for a check, the counts and every problem row, duplicate and blank row:
  the check page and the row report read them, so a file is checked once per
  mapping, not on every page view; for an import, the batch and its counts),
  or ``failed`` with a message for the person, or ``conflict`` (rows were
  imported by someone else meanwhile: check again).
"""
from __future__ import annotations

import logging
import time
from dataclasses import asdict

from flask import current_app, has_app_context

from ..i18n import N_
from . import uploads

PREVIEW_ROWS = 5
JOB_TIMEOUT = 1800
STALE_SECONDS = JOB_TIMEOUT + 60
FAILED = N_("The file could not be checked or imported. Try again, or split it into smaller "
            "files")
log = logging.getLogger("feedback.imports")


def start(kind: str, instance_path: str, upload: uploads.StoredUpload,
          conflict: str | None = None) -> None:
    """``conflict``: why the file is checked again (kept with the check's result)."""
    if kind not in ("read", "check", "import"):
        raise ValueError(kind)
    uploads.set_job(instance_path, upload, {"kind": kind, "status": "queued", "at": time.time(),
                                            "conflict": conflict})
    app = current_app._get_current_object()
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            queue = Queue(app.config.get("IMPORT_QUEUE", "imports"),
                          connection=Redis.from_url(url, socket_connect_timeout=1,
                                                    socket_timeout=5))
            queue.enqueue("feedback.family.import_jobs.perform", instance_path, upload.id, kind,
                          job_timeout=JOB_TIMEOUT)
            return
        except RedisError as exc:
            log.warning("Redis unavailable (%s): %s of upload runs inline",
                        exc.__class__.__name__, kind)
    _run(instance_path, upload.id, kind)
    fresh = uploads.read_meta(instance_path, upload.id)
    upload.job = fresh.job if fresh else upload.job


def is_stale(job: dict | None) -> bool:
    """A queued or running job older than the job time-out: its worker died."""
    return bool(job and job.get("status") in ("queued", "running")
                and time.time() - job.get("at", 0) > STALE_SECONDS)


def perform(instance_path: str, upload_id: str, kind: str) -> str:
    """The RQ job; returns the final status."""
    if has_app_context():
        return _run(instance_path, upload_id, kind)
    from .. import create_app
    from ..extensions import db

    app = create_app()
    with app.app_context():
        try:
            return _run(instance_path, upload_id, kind)
        finally:
            db.session.remove()


def _run(instance_path: str, upload_id: str, kind: str) -> str:
    from ..extensions import db
    from ..models import User
    from . import imports
    from .reading import Outline, UnreadableFile, read_table

    found = uploads.load_for_job(instance_path, upload_id)
    if found is None:
        return "missing"
    upload, data = found
    started = time.time()
    job = {"kind": kind, "at": started, "conflict": (upload.job or {}).get("conflict")}
    uploads.set_job(instance_path, upload, dict(job, status="running"))
    try:
        if kind == "read":
            table = read_table(data, upload.filename, imports.MAX_IMPORT_ROWS)
            upload.outline = asdict(Outline.of(table, PREVIEW_ROWS))
            job.update(status="done")
        elif kind == "check":
            result = imports.check_file(data, upload.filename, upload.mapping, upload.forum_id,
                                        collected_by=upload.collected_by_id)
            job.update(status="done", result=summary(result))
        else:
            actor = db.session.get(User, upload.user_id)
            outcome = imports.import_file(actor, data, upload.filename, upload.mapping,
                                          upload.forum_id, collected_by=upload.collected_by_id)
            job.update(status="done", result={
                "batch_id": outcome.batch_id, "imported": outcome.imported,
                "duplicates": outcome.duplicates, "invalid": outcome.invalid,
                "flagged": outcome.flagged})
    except imports.ImportConflict as problem:
        job.update(status="conflict", message=str(problem))
    except UnreadableFile as problem:
        job.update(status="failed", message=str(problem))
    except Exception:  # noqa: BLE001 - the person gets a message; the log keeps the cause
        log.exception("%s of upload %s failed", kind, upload_id)
        db.session.rollback()
        job.update(status="failed", message=FAILED)
    job["seconds"] = round(time.time() - started, 2)
    uploads.set_job(instance_path, upload, job)
    return job["status"]


def summary(result) -> dict:
    """A check's result as plain JSON (what the check page and the row report show)."""
    earlier = result.earlier_batch
    return {
        "rows_total": result.rows_total, "ready": len(result.valid),
        "problems": [[p.row, list(p.problems)] for p in result.problems],
        "duplicates": [[d.row, d.reason] for d in result.duplicates],
        "blank_rows": list(result.blank_rows),
        "earlier_batch_at": earlier.created_at.isoformat() if earlier is not None else None,
    }
