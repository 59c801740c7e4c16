"""Load check of the open data API: 50 requests a second for 60 seconds against
gunicorn on 127.0.0.1, then p50/p95/p99 per table and overall.

    python -m benchmarks.api_load [--rate 50] [--seconds 60] [--database sqlite|postgresql]
        [--cards 600] [--feedback 300]

A fresh database (``benchmarks.load.servers``) is migrated and seeded with a
small demo set (``seed-demo --cards N --feedback M``, themes included), one
token is made through the same service as the admin page, and requests are
sent open-loop (each starts on schedule, whether or not earlier ones have
finished) round the tables: themes, theme counts by month, service, area and
cohort, answers, contracts, KPIs, KPI returns and a CSV. Rate limits stay on,
counted in Redis when it answers (``API_RATE_LIMIT`` is raised for the run so
the check measures the API, not the limiter). Bounded: it sends
``rate x seconds`` requests, waits at most 30 s for the last, and stops the
server. Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import requests  # noqa: E402

from benchmarks.load import servers  # noqa: E402
from benchmarks.load.run_load import percentile  # noqa: E402

PATHS = ("/api/v1/themes", "/api/v1/themes?period=12m", "/api/v1/theme-counts?by=month",
         "/api/v1/theme-counts?by=service", "/api/v1/theme-counts?by=area",
         "/api/v1/theme-counts?by=cohort", "/api/v1/answers", "/api/v1/answers?page=2",
         "/api/v1/contracts", "/api/v1/kpis", "/api/v1/kpi-returns", "/api/v1/themes.csv")


def _redis_url() -> str | None:
    try:
        import redis
        client = redis.Redis.from_url("redis://127.0.0.1:6379/12", socket_connect_timeout=1)
        client.ping()
        client.close()
        return "redis://127.0.0.1:6379/12"
    except Exception:  # noqa: BLE001 - no Redis: limits counted in memory, one worker
        return None


def _make_token(url: str) -> str:
    from feedback import create_app
    from feedback.api import tokens
    from feedback.extensions import db
    from feedback.models import User
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://", 1)
                      if url.startswith("postgresql://") else url,
                      "SECRET_KEY": "bench-" + uuid.uuid4().hex})
    with app.app_context():
        admin = db.session.execute(db.select(User).filter_by(email="admin@demo.invalid")).scalar_one()
        token = tokens.create_token("Load check", admin).token
        db.engine.dispose()
    return token


def drive(base: str, token: str, rate: float, seconds: float) -> dict:
    session_local = threading.local()
    headers = {"Authorization": f"Bearer {token}"}
    results: list[tuple[str, int, float]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one(path: str) -> None:
        session = getattr(session_local, "s", None) or requests.Session()
        session_local.s = session
        started = time.perf_counter()
        try:
            code = session.get(base + path, headers=headers, timeout=30).status_code
        except requests.RequestException as exc:
            code = 0
            with lock:
                failures.append(type(exc).__name__)
        with lock:
            results.append((path, code, time.perf_counter() - started))

    total = round(rate * seconds)
    load_before = os.getloadavg()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(total):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, PATHS[n % len(PATHS)])
    elapsed = time.perf_counter() - start
    times = [t for _, c, t in results]
    by_path = {p: [t for q, _, t in results if q == p] for p in PATHS}
    return {
        "requests": len(results), "seconds": round(elapsed, 1),
        "achieved_per_second": round(len(results) / elapsed, 1),
        "errors": sum(1 for _, c, _ in results if c != 200),
        "codes": sorted({c for _, c, _ in results}),
        "failures": sorted(set(failures)),  # requests that got no answer (code 0)
        "p50_ms": round(1000 * percentile(times, 50), 1),
        "p95_ms": round(1000 * percentile(times, 95), 1),
        "p99_ms": round(1000 * percentile(times, 99), 1),
        "p95_ms_by_path": {p: round(1000 * percentile(v, 95), 1) for p, v in by_path.items()},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cards", type=int, default=600)
    parser.add_argument("--feedback", type=int, default=300)
    args = parser.parse_args(argv)
    if not 0 < args.rate <= 200 or not 0 < args.seconds <= 600:
        parser.error("--rate must be 1 to 200 and --seconds 1 to 600")
    redis_url = _redis_url()
    extra = {"RATE_LIMITS": "1", "API_RATE_LIMIT": "100000 per minute",
             "RATELIMIT_STORAGE_URI": redis_url or "memory://"}
    with servers.database(args.database) as url:
        env = servers._env(url, **extra)
        servers._flask(env, "db", "upgrade")
        servers._flask(env, "seed-demo", "--cards", str(args.cards), "--feedback",
                       str(args.feedback), "--password", "load-" + uuid.uuid4().hex)
        token = _make_token(url)
        with servers._gunicorn("wsgi:app", env, "/healthz") as (base, _pid):
            for path in PATHS:  # warm each worker's caches a little
                requests.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            result = drive(base, token, args.rate, args.seconds)
    result.update({"database": args.database, "rate": args.rate,
                   "workers": servers.WORKERS if redis_url else 1, "threads": servers.THREADS,
                   "rate_limits_in": "redis" if redis_url else "memory",
                   "seeded": {"cards": args.cards, "feedback": args.feedback}})
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
