"""Issue 15's "done when", checked on a full demo database as a new commissioner would.

Runs the checks of ``tests/web/demo_checks.py`` against the database at DATABASE_URL (the
demo that ``make run`` seeds), reading the pages through the app's own test client signed in
as the demo commissioner. Prints each check and its problems; exits 1 when any check fails.
Besides issue 15's checks (labels, repeated quotes, dates, redaction, frozen packs) the demo
must tell one story: held reviews' packs frozen as at their meetings, with "Meeting held:
<date>" in the Word and Excel packs; each contract's KPIs, narratives, "what we heard" and
"what we changed", complaints and evidence links written for its service and agreeing with
each other; no praise filed as a "Change" card; one completion time per completed action.

    DATABASE_URL=sqlite:////tmp/demo/demo.db .venv/bin/python benchmarks/demo_check.py \
        --password 'the-demo-password'

Without --password it reads instance/demo_password (kept by ``make run``). Opening a held
review's pack freezes it when it is not frozen yet, so the frozen-pack check runs first.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--password", help="the demo password (default: instance/demo_password)")
    parser.add_argument("--show", type=int, default=10, help="problems printed per check")
    args = parser.parse_args()
    password = args.password or (ROOT / "instance" / "demo_password").read_text().strip()

    from feedback import clock, create_app
    from feedback.extensions import db
    from tests.conftest import IsolatedClient
    from tests.helpers import post_form
    from tests.web import demo_checks

    app = create_app({"RATE_LIMITS": False, "TWO_FACTOR_REQUIRED_ROLES": ()})
    app.test_client_class = IsolatedClient
    started = time.perf_counter()
    with app.app_context():
        client = app.test_client()
        signed_in = post_form(client, "/login", {"email": "commissioner@demo.invalid",
                                                 "password": password})
        if signed_in.status_code != 302:
            print("Could not sign in as commissioner@demo.invalid (wrong --password?)")
            return 2
        results = demo_checks.run_all(db, client, clock.now())
    failed = 0
    for name, problems in results.items():
        print(f"{'PASS' if not problems else 'FAIL'}  {name}"
              + (f" ({len(problems)} problems)" if problems else ""))
        for problem in problems[:args.show]:
            print(f"      {problem}")
        if len(problems) > args.show:
            print(f"      ... and {len(problems) - args.show} more")
        failed += bool(problems)
    print(f"{len(results) - failed} of {len(results)} checks hold "
          f"({time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
