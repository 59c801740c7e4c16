"""Themes keep their meaning in the app, measured on the demo data.

Seeds the demo into a throwaway SQLite database (its seeding ends with a full analysis run),
renames the largest theme, adds 5% more published action cards written by the demo's own
text generator (another seed), and runs a full analysis again the way the runs page does
(automatic number of themes, the previous run followed). Reports how many items kept their
theme id, the smallest share kept by any theme of 10 items or more, whether the curated name
carried over, sub-theme ids kept, emerging and retired themes, and the seconds of each run.

    .venv/bin/python benchmarks/app_theme_continuity.py [--extra 0.05]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _themes_of(db):
    from feedback.models import Theme, ThemeAssignment
    rows = db.session.execute(db.select(ThemeAssignment.card_id, ThemeAssignment.feedback_entry_id,
                                        Theme.key).join(Theme, Theme.id == ThemeAssignment.theme_id))
    return {("card", c) if c else ("feedback", f): key for c, f, key in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra", type=float, default=0.05, help="share of new items")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from feedback import create_app
    from feedback.analysis_bridge import execute_run
    from feedback.demo.text import card_text
    from feedback.extensions import db
    from feedback.models import ActionCard, AnalysisRun, Service, Subtheme, Theme
    from feedback.redaction import redact

    folder = tempfile.mkdtemp(prefix="theme-continuity-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.db",
                      "SECRET_KEY": "continuity", "TESTING": True, "RATE_LIMITS": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        from feedback.demo.seed import seed_demo
        tick = time.perf_counter()
        seed_demo("a-long-continuity-password-2026")
        seeded = time.perf_counter() - tick
        first = db.session.execute(db.select(AnalysisRun).order_by(AnalysisRun.id.desc())).scalars().first()
        before = _themes_of(db)
        subs_before = {s.key for s in db.session.execute(db.select(Subtheme)).scalars()}
        largest = db.session.execute(db.select(Theme).order_by(Theme.size.desc())).scalars().first()
        largest.curated_name = "A name a commissioner chose"
        db.session.commit()

        rng = random.Random(7)
        services = list(db.session.execute(db.select(Service)).scalars())
        n_new = round(args.extra * len(before))
        for _ in range(n_new):
            service = rng.choice(services)
            kind, text = card_text(rng, service.thematic_area)
            db.session.add(ActionCard(kind=kind, text=text, text_redacted=redact(text),
                                      service=service, moderation_state="approved",
                                      safeguarding_flagged=False))
        db.session.commit()
        run = AnalysisRun(kind="full", status="queued", params={})
        db.session.add(run)
        db.session.commit()
        second = execute_run(run.id)
        assert second.status == "succeeded", second.error
        after = _themes_of(db)
        kept = sum(after.get(item) == key for item, key in before.items())
        by_theme: dict[str, list[int]] = {}
        for item, key in before.items():
            by_theme.setdefault(key, []).append(after.get(item) == key)
        worst = min((sum(v) / len(v), k) for k, v in by_theme.items() if len(v) >= 10)
        subs_after = {s.key for s in db.session.execute(
            db.select(Subtheme).where(Subtheme.last_run_id == second.id)).scalars()}
        db.session.expire_all()
        emerging = db.session.execute(db.select(db.func.count()).select_from(Theme).where(
            Theme.emerging.is_(True), Theme.last_run_id == second.id)).scalar_one()
        print(f"demo seeded in {seeded:.1f} s; first run: {first.n_items} items, "
              f"{first.n_themes} themes, {len(subs_before)} sub-themes, {first.timings['total']} s")
        print(f"added {n_new} cards ({args.extra:.0%}); second run: {second.n_items} items, "
              f"{second.n_themes} themes ({emerging} emerging, "
              f"{len(second.previous_state['retired'])} retired), {second.timings['total']} s")
        print(f"items that kept their theme id: {kept} of {len(before)} ({kept / len(before):.1%})")
        print(f"smallest share kept by a theme of 10 items or more: {worst[0]:.1%} ({worst[1]})")
        print(f"sub-theme ids found again: {len(subs_after & subs_before)} of {len(subs_before)}")
        print(f"curated name kept: {db.session.get(Theme, largest.id).name!r}")
        print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
