"""gunicorn settings, read from the working directory (``make run``, production).

Rate limits must be counted in one place for every worker. With a shared store
(``RATELIMIT_STORAGE_URI`` or ``REDIS_URL`` naming Redis) any number of workers
is fine. Without one, each worker would count in its own memory, so a client
would get the limit once per worker: then the platform serves with a single
worker, whatever ``--workers`` says, and says so in the log. (With rate limits
off, ``RATE_LIMITS=0``, as in the load benchmark, nothing is counted: any
number of workers.)
"""
from __future__ import annotations

import os

threads = int(os.environ.get("GUNICORN_THREADS") or 4)


def shared_rate_limit_storage(environ=os.environ) -> str | None:
    """The shared store the app's rate limits will use, or None (in memory)."""
    url = environ.get("RATELIMIT_STORAGE_URI") or environ.get("REDIS_URL") or ""
    return url if url and not url.startswith("memory://") else None


def counts_rate_limits(environ=os.environ) -> bool:
    return (environ.get("RATE_LIMITS") or "1").strip().lower() not in ("0", "false", "no", "off")


def on_starting(server):
    if server.num_workers > 1 and counts_rate_limits() and shared_rate_limit_storage() is None:
        server.log.warning(
            "No shared store for rate limits (set REDIS_URL or RATELIMIT_STORAGE_URI): "
            "serving with 1 worker instead of %s, so every limit is counted once.",
            server.num_workers)
        server.num_workers = 1
        server.cfg.set("workers", 1)
