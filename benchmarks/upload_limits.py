"""Hostile uploads: how long until each is refused, and how much memory it takes.

    .venv/bin/python benchmarks/upload_limits.py [--case NAME] [--reader-only]

Each file of ``tests/fixtures/hostile_files.HOSTILE`` (200,000 XLSX rows, an
XLSX padded with a billion spaces, merged ranges over the whole sheet, a row
16,384 cells wide, CSVs of 60,000 and 20,000 columns, 200,000 CSV rows, 9
million blank lines, a 5 MB cell) is built, then POSTed to the real upload
page (``/feedback/import``, signed in as a commissioner, SQLite) in a fresh
process; the script prints the seconds of that request, the process's peak
resident memory above what it used before the request (sampled from
``/proc/self/statm``, so the XML parser's own memory counts), and the
message the page gave. ``--reader-only`` times ``reading.read_table`` alone.
It also times the column-mapping page for a CSV of 200 columns (the most
allowed), the page that 20,000 columns used to make 12.5 MB long.

Targets (docs/performance.md, "Hostile uploads"): each refused in under 2 s
and under 200 MB of memory.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class PeakMemory:
    """The peak resident memory above the start, sampled every 5 ms from
    /proc/self/statm (C allocations, e.g. the XML parser's, count too)."""

    def __enter__(self):
        import ctypes
        import threading
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)  # start from memory actually in use
        except OSError:
            pass
        self.start = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())

    @property
    def above_start_mb(self) -> float:
        return self.peak - self.start


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / (1024 * 1024)


def _app(folder: str):
    from flask_migrate import upgrade

    from feedback import create_app
    from feedback.extensions import db
    from feedback.models import User
    from werkzeug.security import generate_password_hash

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                      "SECRET_KEY": "bench", "TESTING": True, "RATE_LIMITS": False,
                      "TWO_FACTOR_REQUIRED_ROLES": ()})
    app.instance_path = folder
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        user = User(email="bench@example.org", name="Bench",
                    password_hash=generate_password_hash("bench-password-long-enough"))
        user.set_roles(["commissioner"])
        db.session.add(user)
        db.session.commit()
    return app


def _token(client, url: str) -> str:
    page = client.get(url).data
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()


def _post_file(client, data: bytes, name: str):
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import stream_encode_multipart

    fields = {"csrf_token": _token(client, "/feedback/import"),
              "file": FileStorage(io.BytesIO(data), filename=name)}
    stream, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    body = stream.read()
    return client.post("/feedback/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _signed_in_client(app):
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.org",
                                           "password": "bench-password-long-enough",
                                           "csrf_token": _token(client, "/login")})
    assert response.status_code == 302, response.data[:300]
    return client


def measure_one(path: str, name: str, reader_only: bool) -> dict:
    """In this (fresh) process: time the refusal of the file at ``path``. The peak
    memory is measured above what the process held before (app, file bytes)."""
    data = Path(path).read_bytes()
    if reader_only:
        from feedback.family.reading import UnreadableFile, read_table
        with PeakMemory() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                table = read_table(data, name, 50_000)
                message = f"read: {len(table.rows)} rows (stopped at row {table.stopped_at})"
            except UnreadableFile as problem:
                message = str(problem)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return {"seconds": seconds, "cpu": cpu, "peak_mb": memory.above_start_mb,
                "size_kb": len(data) / 1024, "message": message}
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as folder:
        app = _app(folder)
        client = _signed_in_client(app)
        client.get("/feedback/import")  # warm: templates compiled
        with PeakMemory() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            response = _post_file(client, data, name)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        page = response.get_data(as_text=True)
        found = re.search(r'govuk-error-message">\s*<span[^>]*>Error:</span>\s*([^<]+)<', page)
        message = (found.group(1).strip() if found else
                   f"accepted (status {response.status_code} -> "
                   f"{response.headers.get('Location')})")
        return {"seconds": seconds, "cpu": cpu, "peak_mb": memory.above_start_mb,
                "size_kb": len(data) / 1024, "message": message}


def measure_columns_page() -> dict:
    columns = 200
    header = ",".join(f"Question {n}" for n in range(columns))
    row = ",".join(f"answer {n}" for n in range(columns))
    data = f"{header}\r\n{row}\r\n{row}\r\n".encode()
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as folder:
        app = _app(folder)
        client = _signed_in_client(app)
        assert _post_file(client, data, "wide.csv").status_code == 302
        started = time.perf_counter()
        page = client.get("/feedback/import/columns")
        return {"seconds": time.perf_counter() - started, "page_kb": len(page.data) / 1024,
                "status": page.status_code}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", help="one case (default: all, each in its own process)")
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    parser.add_argument("--reader-only", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--columns-page", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:  # the child process
        result = measure_columns_page() if args.columns_page else \
            measure_one(args.path, args.name, args.reader_only)
        print(json.dumps(result))
        return
    from tests.fixtures.hostile_files import HOSTILE

    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
          f"{'read_table only' if args.reader_only else 'POST /feedback/import'}")
    print(f"{'case':<42} {'KB':>6} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  message")
    worst = 0.0
    for case in ([args.case] if args.case else list(HOSTILE)):
        data, name = HOSTILE[case]()
        with tempfile.NamedTemporaryFile(suffix="-" + name) as held:
            held.write(data)
            held.flush()
            del data
            command = [sys.executable, __file__, "--json", "--path", held.name, "--name", name]
            if args.reader_only:
                command.append("--reader-only")
            out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        worst = max(worst, result["seconds"])
        print(f"{case:<42} {result['size_kb']:>6.0f} {result['seconds']:>7.2f} "
              f"{result['cpu']:>6.2f} {result['peak_mb']:>8.1f}  {result['message'][:80]}",
              flush=True)
    if not args.case:
        out = subprocess.run([sys.executable, __file__, "--json", "--columns-page"],
                             capture_output=True, text=True, cwd=ROOT, check=True)
        page = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"column-mapping page for 200 columns: {page['seconds']:.2f} s, "
              f"{page['page_kb']:.0f} KB (status {page['status']})")
    print(f"slowest refusal {worst:.2f} s, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
