"""How fast does a forum import go? Prints rows, seconds and rows/s per database.

    .venv/bin/python benchmarks/import_speed.py [--rows 50000] [--texts pooled|unique]
                                               [--databases sqlite,postgresql]

Each run builds a fresh, migrated database (a temporary SQLite file; a
temporary PostgreSQL database at TEST_POSTGRES_URL or the local server),
generates a CSV the way forums send them (UTF-8 with BOM, Windows line
endings), and times the real use case ``imports.import_file``: read, check
every row, look for duplicates, screen and redact, bulk insert in one
transaction. It also times the phases separately.

``--texts pooled`` repeats 400 different answers (forum sheets repeat short
answers; the screen's per-batch cache then runs each text once);
``--texts unique`` makes every text different, the worst case for screening.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = os.environ.get("TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SERVICES = ["Short Breaks Service", "Portage Home Visiting", "SEND Transport",
            "Children's Wheelchair Service", "Early Help Family Support"]
WELL = ["the key worker rang back the same day", "staff knew my son's needs",
        "the Saturday club was calm and welcoming", "we were listened to at the review",
        "transport was on time all term", "the nurse explained everything clearly",
        "the forms were easy to fill in", "the short break gave us a proper rest"]
BETTER = ["letters arrived after the appointment", "the waiting list was nearly a year",
          "nobody told us the worker had changed", "the taxi was late most mornings",
          "we had to repeat our story every time", "phone lines were always busy",
          "there was no parking near the clinic", "the assessment took months"]


def make_csv(rows: int, texts: str) -> bytes:
    lines = ["Service,Who gave the feedback,Rating,What went well,What could be better,"
             "Where it was gathered,Event or survey name,Date,Number of families"]
    for i in range(rows):
        if texts == "unique":
            well = f"{WELL[i % 8]}, said family {i}, and {WELL[(i // 8) % 8]}"
            better = f"{BETTER[i % 8]} (family {i}); also {BETTER[(i // 8) % 8]}"
        else:
            well = f"{WELL[i % 8]} and {WELL[(i // 8) % 8]} ({i % 20})"
            better = f"{BETTER[i % 8]}, {BETTER[(i // 5) % 8]} ({i % 20})"
        lines.append(f"{SERVICES[i % 5]},Parent or carer,{1 + i % 5},\"{well}\",\"{better}\","
                     f"Survey,Spring survey response {i},14/03/2026,{1 + i % 9}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def database_urls(which: list[str]):
    from sqlalchemy import create_engine, text
    for name in which:
        if name == "sqlite":
            folder = tempfile.mkdtemp(prefix="import-bench-")
            yield name, f"sqlite:///{folder}/bench.db", None
        else:
            db_name = f"import_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db_name}"'))
            url = PG_ADMIN.rsplit("/", 1)[0] + "/" + db_name

            def drop(admin=admin, db_name=db_name):
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
                admin.dispose()
            yield name, url, drop


def run(url: str, data: bytes, rows: int) -> dict:
    from flask_migrate import upgrade

    from feedback import create_app
    from feedback.extensions import db
    from feedback.family import imports
    from feedback.family.fields import guess_mapping
    from feedback.family.reading import read_table
    from feedback.family.screening import Screener
    from feedback.models import Organisation, Service, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        forum = Organisation(name="Bench Forum", kind="parent_carer_forum")
        user = User(email="bench@example.org", name="Bench", password_hash="x", organisation=forum)
        user.set_roles(["forum_rep"])
        db.session.add_all([forum, user, *(Service(name=n, plain_name=n,
                                                   thematic_area="additional_needs")
                                           for n in SERVICES)])
        db.session.commit()
        timings = {}

        def timed(label, fn):
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            timings[label] = (time.perf_counter() - wall, time.process_time() - cpu)
            return result

        timed("read file", lambda: read_table(data, "bench.csv", imports.MAX_IMPORT_ROWS))
        table = read_table(data, "bench.csv", imports.MAX_IMPORT_ROWS)
        mapping = guess_mapping(table.headers)
        checked = timed("read + check rows", lambda: imports.check_file(
            data, "bench.csv", mapping, forum.id))

        def screen_all():
            screener = Screener()
            for values in checked.valid:
                screener.entry(values["went_well"], values["could_be_better"])
        timed("screen + redact", screen_all)
        # The whole use case, as the import button runs it: read, check, screen, insert, commit.
        outcome = timed("IMPORT (whole)", lambda: imports.import_file(
            user, data, "bench.csv", mapping, forum.id))
        assert outcome.imported == rows, outcome
        again = timed("re-upload check", lambda: imports.check_file(
            data, "bench.csv", mapping, forum.id))
        assert len(again.duplicates) == rows and not again.valid
        db.session.remove()
        db.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--texts", choices=("pooled", "unique"), default="pooled")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    data = make_csv(args.rows, args.texts)
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB CSV, texts {args.texts}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'database':<11} {'phase':<20} {'seconds':>8} {'cpu s':>7} {'rows/s':>9}")
    for name, url, drop in database_urls(args.databases.split(",")):
        try:
            for phase, (seconds, cpu) in run(url, data, args.rows).items():
                print(f"{name:<11} {phase:<20} {seconds:>8.1f} {cpu:>7.1f} "
                      f"{args.rows / seconds:>9,.0f}", flush=True)
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()
