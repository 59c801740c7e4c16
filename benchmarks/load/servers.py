"""Throwaway databases and gunicorn servers on 127.0.0.1 for the load run.

``platform_server(kind)`` makes a fresh SQLite file or PostgreSQL database,
migrates it, seeds a small demo set (services, areas, staff; no cards), and
serves the platform with gunicorn on a free 127.0.0.1 port. Everything is
removed afterwards. ``baseline_server(kind)`` does the same for
``baseline_app.py``.

Rate limits are off for the load run (``RATE_LIMITS=0``): every simulated
person comes from the one load generator's address, so the per-client
limits (20 cards a minute) would refuse almost everything and measure the
limiter, not the platform.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def database(kind: str):
    """Yields the URL of an empty database of ``kind`` ("sqlite" | "postgresql")."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="feedback-load-") as folder:
            yield f"sqlite:///{folder}/load.db"
        return
    name = f"feedback_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _env(url: str, repo: Path = REPO, **extra) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "SECRET_KEY": "load-" + uuid.uuid4().hex, "RATE_LIMITS": "0",
                "REDIS_URL": "", "TWO_FACTOR_REQUIRED_ROLES": "", "PYTHONPATH": str(repo)})
    env.update(extra)
    return env


def _wait_until_up(base: str, path: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(base + path, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"server at {base} did not start")


@contextlib.contextmanager
def _gunicorn(target: str, env: dict, health_path: str, repo: Path = REPO,
              workers: int = WORKERS, threads: int = THREADS):
    """Yields ``(base_url, pid)`` of a gunicorn master serving ``target``."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="feedback-load-gunicorn-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--backlog", "2048",
         "--log-level", "warning", target],
        cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, health_path, process)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        print(f"    (server log: {log.name})", flush=True)


def _flask(env: dict, *args: str, repo: Path = REPO) -> None:
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=repo, env=env,
                   check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def platform_server(kind: str, repo: Path = REPO, workers: int = WORKERS, threads: int = THREADS):
    """Yields ``(base_url, database_url, pid)`` of a migrated, lightly seeded platform served
    from the checkout at ``repo`` (another checkout lets two versions be compared)."""
    with database(kind) as url:
        env = _env(url, repo)
        _flask(env, "db", "upgrade", repo=repo)
        _flask(env, "seed-demo", "--cards", "0", "--feedback", "0", "--password",
               "load-test-password-" + uuid.uuid4().hex[:8], repo=repo)
        with _gunicorn("wsgi:app", env, "/healthz", repo, workers, threads) as (base, pid):
            yield base, url, pid


@contextlib.contextmanager
def baseline_server(kind: str):
    with database(kind) as url:
        env = _env(url, BASELINE_DATABASE_URL=url)
        subprocess.run([sys.executable, "-m", "benchmarks.load.baseline_app"], cwd=REPO, env=env,
                       check=True)
        with _gunicorn("benchmarks.load.baseline_app:app", env, "/count") as (base, _pid):
            yield base, url


def count_rows(url: str, table: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
    finally:
        engine.dispose()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its living descendants (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while it was being read
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(p, 0.0) for p in tree)
