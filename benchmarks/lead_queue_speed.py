"""How fast the safeguarding lead's queue and the moderation queue answer with
100,000 items, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/lead_queue_speed.py [--items 100000] [--repeat 5]

Builds a throwaway database of each kind (a temporary SQLite file; a database
on TEST_POSTGRES_URL's server, dropped at the end), migrates it and
bulk-inserts cards and feedback entries: 2% flagged (a third of those decided,
a quarter naming a priority kind of harm, some referred), 5% waiting for
moderation. Times one page of each queue (the first and the last) through
the services the pages call: the median of ``--repeat`` runs, in milliseconds.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CATEGORIES = (["self_harm"], ["abuse"], ["neglect", "sexual_abuse"], ["unsafe_home"],
              ["exploitation"], ["said_unsafe"], ["threats"], ["missing"])


def build(n_items: int, rng: random.Random) -> None:
    from feedback.extensions import db
    from feedback.models import ActionCard, FeedbackEntry
    now = datetime.now(timezone.utc)
    n_cards = int(n_items * 0.6)
    cards, entries = [], []
    for i in range(n_items):
        created = now - timedelta(minutes=rng.randrange(0, 18 * 30 * 24 * 60))
        flagged = rng.random() < 0.02
        row = dict(created_at=created, updated_at=created, status="received",
                   moderation_state="pending" if rng.random() < 0.05 else "approved",
                   safeguarding_flagged=flagged, safeguarding_categories=None,
                   safeguarding_score=None, safeguarding_trigger=None,
                   safeguarding_referral_reason=None, safeguarding_referred_at=None,
                   safeguarding_outcome=None, safeguarding_note=None,
                   safeguarding_release=None, safeguarding_reviewed_at=None)
        if flagged:
            row.update(safeguarding_categories=rng.choice(CATEGORIES),
                       safeguarding_score=round(rng.random(), 4),
                       safeguarding_trigger={"phrases": [], "reasons": ["word"]})
            if rng.random() < 0.1:
                row.update(safeguarding_referral_reason="worried",
                           safeguarding_referred_at=created + timedelta(hours=3))
            if rng.random() < 0.33:
                row.update(safeguarding_outcome="no_concern", safeguarding_note="n",
                           safeguarding_release="private",
                           safeguarding_reviewed_at=created + timedelta(days=1))
        if i < n_cards:
            row.update(id=i + 1, kind="change", text="t", text_redacted="t", me_too_count=0,
                       service_unsure=False, feels_unsafe=False, in_care=False,
                       care_leaver=False, send=False, young_carer=False)
            cards.append(row)
        else:
            row.update(id=i + 1 - n_cards, source="family_form", respondent_type="parent_carer",
                       went_well="w", could_be_better="c", families_represented=1,
                       quote_consent=True, consent_collected=False)
            entries.append(row)
    for table, rows in ((ActionCard.__table__, cards), (FeedbackEntry.__table__, entries)):
        for start in range(0, len(rows), 10_000):
            db.session.execute(table.insert(), rows[start:start + 10_000])
    db.session.commit()


def timed(call, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def measure(url: str, n_items: int, repeat: int) -> list[tuple[str, float, int]]:
    from flask_migrate import upgrade

    from feedback import create_app
    from feedback.extensions import db
    from feedback.models import User
    from feedback.moderation.lead import safeguarding_queue
    from feedback.moderation.services import moderation_queue

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        build(n_items, random.Random(7))
        if url.startswith("postgresql"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        staff = User(email="bench@example.org", name="Bench", password_hash="x")
        staff.set_roles(["safeguarding_lead", "moderator"])
        db.session.add(staff)
        db.session.commit()
        lead_pages = safeguarding_queue(staff).pages
        moderation_pages = moderation_queue(staff).pages
        rows = [
            ("lead queue, page 1", timed(lambda: safeguarding_queue(staff), repeat),
             safeguarding_queue(staff).total),
            (f"lead queue, page {lead_pages}",
             timed(lambda: safeguarding_queue(staff, page=lead_pages), repeat), lead_pages),
            ("moderation queue, page 1", timed(lambda: moderation_queue(staff), repeat),
             moderation_queue(staff).total),
            (f"moderation queue, page {moderation_pages}",
             timed(lambda: moderation_queue(staff, page=moderation_pages), repeat),
             moderation_pages),
        ]
        db.session.remove()
        db.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = {"SQLite": measure(f"sqlite:///{folder}/bench.db", args.items, args.repeat)}
    name = f"bench_lead_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        results["PostgreSQL"] = measure(ADMIN.rsplit("/", 1)[0] + "/" + name, args.items,
                                        args.repeat)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(f"{args.items:,} items; median of {args.repeat} runs, ms")
    print("| Database | Query | ms | items or pages |")
    print("|---|---|---:|---:|")
    for database, rows in results.items():
        for label, ms, count in rows:
            print(f"| {database} | {label} | {ms:.1f} | {count:,} |")


if __name__ == "__main__":
    main()
