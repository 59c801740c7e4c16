"""Rate limits are counted once for every worker: with Redis the workers share
it; without a shared store, gunicorn serves with one worker (the outside test
found limits counted per gunicorn worker when Redis was absent)."""
from __future__ import annotations

import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONF = REPO / "gunicorn.conf.py"


class _Log:
    def __init__(self):
        self.warnings = []

    def warning(self, message, *args):
        self.warnings.append(message % args)


class _Server:
    """What ``on_starting`` touches of gunicorn's arbiter."""

    def __init__(self, workers):
        self.num_workers = workers
        self.log = _Log()
        self.cfg = self
        self.settings = {}

    def set(self, name, value):
        self.settings[name] = value


@pytest.mark.parametrize("environ, workers", [
    ({}, 1),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, 1),
    ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, 4),
    ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, 4),
    ({"RATE_LIMITS": "0"}, 4),
])
def test_workers_share_a_store_or_there_is_one_worker(monkeypatch, environ, workers):
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "RATE_LIMITS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    server = _Server(4)
    runpy.run_path(str(CONF))["on_starting"](server)
    assert server.num_workers == workers
    assert bool(server.log.warnings) == (workers == 1)


def test_gunicorn_without_redis_boots_one_worker(tmp_path):
    (tmp_path / "tiny_app.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "RATE_LIMITS")}
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(gunicorn), "--config", str(CONF), "--bind", "127.0.0.1:0", "--workers", "3",
             "--pythonpath", str(tmp_path), "tiny_app:app"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Booting worker" not in log.read_text():
            time.sleep(0.2)
        time.sleep(1.5)  # time enough for more workers, were there to be any
    finally:
        process.terminate()
        process.wait(timeout=20)
    text = log.read_text()
    assert text.count("Booting worker") == 1, text
    assert "serving with 1 worker instead of 3" in text


def test_make_run_uses_redis_when_it_answers():
    makefile = (REPO / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "redis-cli -h 127.0.0.1 -p 6379 ping" in run
    assert 'RATELIMIT_STORAGE_URI="$$LIMITS"' in run and "--config gunicorn.conf.py" in run


@pytest.mark.parametrize("environ, storage", [
    ({}, "memory://"),
    ({"REDIS_URL": "redis://queue:6379/0"}, "redis://queue:6379/0"),
    ({"RATELIMIT_STORAGE_URI": "redis://limits:6379/1"}, "redis://limits:6379/1"),
    ({"REDIS_URL": "redis://queue:6379/0", "RATELIMIT_STORAGE_URI": "redis://limits:6379/1"},
     "redis://limits:6379/1"),
])
def test_the_app_counts_rate_limits_where_make_run_and_gunicorn_expect(tmp_path, environ, storage):
    """``make run`` sets RATELIMIT_STORAGE_URI alone (not REDIS_URL, which would queue
    analysis runs for a worker that is not running)."""
    from feedback.config import load_config
    config = load_config({"SECRET_KEY": "x", **environ}, str(tmp_path))
    assert config["RATELIMIT_STORAGE_URI"] == storage
    assert config["REDIS_URL"] == environ.get("REDIS_URL")
