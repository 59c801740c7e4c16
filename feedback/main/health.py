"""Health of the things the platform depends on, for /healthz and operators."""
from __future__ import annotations

from sqlalchemy import text

from ..extensions import db


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ok"; the page says so
        db.session.rollback()
        return "unavailable"


def redis_state(redis_url: str | None) -> str:
    if not redis_url:
        return "not configured"
    try:
        import redis
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
        client.ping()
        return "ok"
    except Exception:  # noqa: BLE001
        return "unavailable"


def safeguarding_model_state() -> str:
    """"ok" when the learned screen is in use; "not in use" when only the phrase lists are
    (the reason is in the log and in ``flask safeguarding evaluate``, never on this page)."""
    from ..safeguarding import model_status
    return "ok" if model_status() == "loaded" else "not in use"


def health(redis_url: str | None) -> dict:
    """``{"status", "database", "redis", "safeguarding_model"}``; status is "ok" when the
    database is (without the model, the phrase lists still screen every text)."""
    state = {"database": database_state(), "redis": redis_state(redis_url),
             "safeguarding_model": safeguarding_model_state()}
    state["status"] = "ok" if state["database"] == "ok" else "degraded"
    return state
