"""Sweep every view of counts on the demo data for a small group that can be
worked out from what the view shows (a count under 10 derived by adding and
subtracting shown cells and totals, or pinned by the bounds they give).

    .venv/bin/python benchmarks/disclosure_sweep.py [--database sqlite:///x.db]

Without ``--database`` it migrates a temporary SQLite file and seeds the demo
data into it (``seed-demo``: 1,700 cards, 950 feedback entries, 12 themes),
then looks at:

- the dashboard for every period with each service, each source, and each
  provider, contract, area, cohort, age band and rating on its own (and with
  nothing filtered); the themes export shows the same rows as the dashboard;
- every theme page for every period (its export shows the same cells);
- the review pack's volume (page, Word and Excel render the same values) for
  every contract and each of the last six quarters.

Each view's shown cells and sums go to ``tests.disclosure_reader`` (matrix
rank and linear programming, independent of ``feedback.disclosure``). Prints
how many views of each kind were checked and how many had a derivable cell;
exits 1 when any had. The figure is kept in docs/privacy.md.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _app(url: str | None):
    from flask_migrate import upgrade

    from feedback import create_app
    folder = None
    if url is None:
        folder = tempfile.mkdtemp(prefix="disclosure-sweep-")
        url = f"sqlite:///{folder}/demo.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "sweep", "TESTING": True,
                      "RATE_LIMITS": False})
    if folder is not None:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            from feedback.demo.seed import seed_demo
            seed_demo("a-long-sweep-password-2026")
    return app


def _filters():
    """Every filter combination the sweep looks at, as the form's values."""
    from feedback.insight import services
    from feedback.insight.filters import AGE_BAND_CHOICES, COHORTS, PERIODS, SOURCES
    choices = services.filter_choices()
    ids = {name: [v for v, _ in choices[name] if v] for name in choices}
    singles = {"provider": ids["provider"], "contract": ids["contract"], "area": ids["area"],
               "cohort": [k for k in COHORTS if k], "rating": ["1", "2", "3", "4", "5"],
               "age_band": [k for k in AGE_BAND_CHOICES if k]}
    for period in PERIODS:
        for service in [""] + ids["service"]:
            for source in [""] + list(SOURCES):
                yield {"period": period, "service": service, "source": source}
        for name, values in singles.items():
            for value in values:
                yield {"period": period, name: value}


def sweep(app) -> dict:
    from feedback.contracts.pack import _items, build_pack
    from feedback.contracts.periods import quarter_containing
    from feedback.extensions import db
    from feedback.insight import services
    from feedback.insight.filters import PERIODS
    from feedback.models import ActionCard, Contract, FeedbackEntry, Theme, User
    from tests.disclosure_reader import dashboard_table, leaks, pack_table, theme_table

    today = datetime.now(timezone.utc).date()
    found = {"dashboard": [0, 0], "theme page": [0, 0], "review pack": [0, 0]}
    examples = []

    def record(kind, problems):
        found[kind][0] += 1
        if found[kind][0] % 200 == 0:
            print(f"  {kind}: {found[kind][0]} checked", file=sys.stderr, flush=True)
        if problems:
            found[kind][1] += 1
            if len(examples) < 10:
                examples.extend(problems[:1])

    with app.app_context():
        actor = next(u for u in db.session.execute(db.select(User)).scalars()
                     if u.has_role("commissioner"))
        for values in _filters():
            f = services.filters_from(values, today)
            record("dashboard", leaks(dashboard_table(services.dashboard(f, actor))))
        themes = list(db.session.execute(db.select(Theme.id).where(
            Theme.merged_into_id.is_(None))).scalars())
        for period in PERIODS:
            f = services.filters_from({"period": period}, today)
            for theme_id in themes:
                record("theme page", leaks(theme_table(services.theme_page(theme_id, f, actor))))
        quarter = quarter_containing(today)
        quarters = []
        for _ in range(6):
            quarter = quarter.previous()
            quarters.append(quarter)
        for contract in db.session.execute(db.select(Contract)).scalars():
            service_list = sorted(contract.services, key=lambda s: s.name)
            ids = [s.id for s in service_list] or [-1]
            for period in quarters:
                pack = build_pack(contract.id, period, today=today)
                record("review pack", leaks(pack_table(pack, _items(ActionCard, ids, period),
                                                       _items(FeedbackEntry, ids, period),
                                                       service_list)))
        db.session.rollback()
    return {"found": found, "examples": examples}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="an existing database URL (default: a new demo one)")
    args = parser.parse_args()
    started = time.perf_counter()
    app = _app(args.database)
    seeded = time.perf_counter()
    print(f"demo data ready in {seeded - started:.0f} s", file=sys.stderr, flush=True)
    result = sweep(app)
    done = time.perf_counter()
    total = 0
    for kind, (checked, bad) in result["found"].items():
        print(f"{kind}: {bad} of {checked} views with a derivable cell")
        total += bad
    for example in result["examples"]:
        print("  e.g.", example)
    print(f"set-up {seeded - started:.1f} s, sweep {done - seeded:.1f} s, on {date.today()}")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
