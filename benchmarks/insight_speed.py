"""How fast the insight dashboard answers with 100,000 items in PostgreSQL.

    .venv/bin/python benchmarks/insight_speed.py [--items 100000] [--repeat 3]

Creates a throwaway database on TEST_POSTGRES_URL's server (default: the local
one), migrates it, bulk-inserts cards and feedback entries spread over 18
months, 30 services, 11 districts and 25 themes, then times what one filter
change asks the database for (the dashboard's queries: theme summary for the
period and the previous one, totals, source and month breakdowns) and the
theme page's queries. Prints one row per filter combination: the median of
``--repeat`` runs, in milliseconds. The database is dropped at the end.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def build(n_items: int, rng: random.Random) -> None:
    from feedback.extensions import db
    from feedback.models import (ActionCard, Area, FeedbackEntry, Organisation, Service, Theme,
                                 ThemeAssignment)
    providers = [Organisation(name=f"Provider {i}", kind="provider") for i in range(8)]
    areas = [Area(name=f"District {i}", kind="district") for i in range(11)]
    services = [Service(name=f"Service {i}", plain_name=f"Service {i}", provider=providers[i % 8],
                        thematic_area=rng.choice(["corporate_parenting", "additional_needs",
                                                  "health_wellbeing", "early_years"]))
                for i in range(30)]
    themes = [Theme(key=f"T{i}", label=f"Theme {i}") for i in range(25)]
    db.session.add_all(providers + areas + services + themes)
    db.session.commit()
    now = datetime.now(timezone.utc)
    n_cards = int(n_items * 0.6)
    cards, entries, assign = [], [], []
    for i in range(n_items):
        created = now - timedelta(minutes=rng.randrange(0, 18 * 30 * 24 * 60))
        common = dict(id=i + 1, service_id=rng.choice(services).id, area_id=rng.choice(areas).id,
                      created_at=created, updated_at=created, status="received",
                      moderation_state="approved" if rng.random() < 0.92 else "pending",
                      safeguarding_flagged=rng.random() < 0.01, sentiment=rng.uniform(-1, 1),
                      me_too_count=0)
        theme_id = rng.choice(themes).id
        if i < n_cards:
            common.update(kind=rng.choice(["stop", "start", "change"]), text="t",
                          text_redacted="t", age_band=rng.choice(["8-10", "11-13", "14-15", "16-17"]),
                          in_care=rng.random() < 0.2, care_leaver=rng.random() < 0.1,
                          send=rng.random() < 0.15, young_carer=rng.random() < 0.05,
                          me_too_count=rng.randrange(0, 5), service_unsure=False,
                          feels_unsafe=False)
            cards.append(common)
            assign.append(dict(theme_id=theme_id, card_id=i + 1, feedback_entry_id=None,
                               confidence=0.5, method="cluster", created_at=created))
        else:
            common.pop("me_too_count")
            common.update(id=i + 1 - n_cards, source=rng.choice(["family_form", "forum", "forum_import"]),
                          respondent_type="parent_carer", rating=rng.randint(1, 5), went_well="w",
                          could_be_better="c", families_represented=rng.choice([1, 1, 1, 3]),
                          quote_consent=True, consent_collected=False,
                          child_age_band=rng.choice(["0-4", "5-10", "11-15"]))
            entries.append(common)
            assign.append(dict(theme_id=theme_id, card_id=None, feedback_entry_id=i + 1 - n_cards,
                               confidence=0.5, method="cluster", created_at=created))
    for table, rows in ((ActionCard.__table__, cards), (FeedbackEntry.__table__, entries),
                        (ThemeAssignment.__table__, assign)):
        for start in range(0, len(rows), 10_000):
            db.session.execute(table.insert(), rows[start:start + 10_000])
    db.session.commit()
    for name in ("action_card", "feedback_entry"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"(SELECT max(id) FROM {name}))"))
    db.session.commit()
    # Autovacuum would have visited tables this size in production; without it
    # the visibility map is empty and index-only scans read the table anyway.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def combos(today: date):
    from feedback.extensions import db
    from feedback.insight.filters import Filters, period_dates
    from feedback.models import Area, Organisation, Service
    service = db.session.execute(db.select(Service.id).limit(1)).scalar()
    provider = db.session.execute(db.select(Organisation.id).limit(1)).scalar()
    area = db.session.execute(db.select(Area.id).limit(1)).scalar()
    q = period_dates("quarter", today)
    y = period_dates("12m", today)
    return [
        ("all time, no filters", Filters()),
        ("this quarter", Filters(start=q[0], end=q[1], period="quarter")),
        ("last 12 months", Filters(start=y[0], end=y[1], period="12m")),
        ("quarter + service", Filters(start=q[0], end=q[1], service_ids=(service,))),
        ("12 months + provider", Filters(start=y[0], end=y[1], provider_id=provider)),
        ("12 months + thematic area", Filters(start=y[0], end=y[1], thematic_area="additional_needs")),
        ("12 months + district", Filters(start=y[0], end=y[1], area_id=area)),
        ("12 months + source forum", Filters(start=y[0], end=y[1], source="forum")),
        ("12 months + in care + 14-15", Filters(start=y[0], end=y[1], cohort="in_care", age_band="14-15")),
        ("12 months + rating 1", Filters(start=y[0], end=y[1], rating=1)),
        ("quarter + service + SEND", Filters(start=q[0], end=q[1], service_ids=(service,), cohort="send")),
    ]


def dashboard_queries(f) -> None:
    """Exactly what ``insight.services.dashboard`` asks for."""
    from feedback.theme_store import unanalysed_count
    from feedback.insight import queries
    unanalysed_count()
    queries.breakdowns(f, ("source", "month"))
    counts = queries.theme_counts(f)
    queries.theme_summary(f, counts=counts)


def theme_queries(f, theme_id: int) -> None:
    from feedback.insight import queries
    queries.breakdowns(f, ("service", "month"), theme_id=theme_id)
    queries.quotes(theme_id, f)
    queries.theme_cards(theme_id, f)
    queries.theme_feedback(theme_id, f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    name = f"insight_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        from flask_migrate import upgrade

        from feedback import create_app
        from feedback.extensions import db
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            tick = time.perf_counter()
            build(args.items, random.Random(7))
            print(f"Inserted {args.items:,} items in {time.perf_counter() - tick:.1f} s "
                  f"(PostgreSQL, {db.engine.dialect.server_version_info})")
            from feedback.models import Theme
            theme_id = db.session.execute(db.select(Theme.id).limit(1)).scalar()
            today = datetime.now(timezone.utc).date()
            print(f"\n{'Filter combination':34} {'dashboard ms':>13} {'theme page ms':>14}")
            worst = 0.0
            for label, f in combos(today):
                dash, page = [], []
                for _ in range(args.repeat):
                    tick = time.perf_counter()
                    dashboard_queries(f)
                    dash.append((time.perf_counter() - tick) * 1000)
                    tick = time.perf_counter()
                    theme_queries(f, theme_id)
                    page.append((time.perf_counter() - tick) * 1000)
                    db.session.rollback()
                d, p = statistics.median(dash), statistics.median(page)
                worst = max(worst, d, p)
                print(f"{label:34} {d:13.0f} {p:14.0f}")
            print(f"\nSlowest median: {worst:.0f} ms (target: under 1,000 ms)")
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
