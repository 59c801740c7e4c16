"""Server CPU per public journey: what one action card or one family feedback costs.

    python benchmarks/journey_cpu.py [--databases sqlite postgresql] [--journeys 200]
                                     [--repo OTHER_CHECKOUT] [--json FILE]

Serves the platform with gunicorn (one worker, one thread) on a throwaway database, makes
``--journeys`` card journeys and as many feedback journeys one after another with the load
run's own journeys (``benchmarks/load/journeys.py``: every page, every POST, redirects
followed; a *step* is one page, or one POST and the page it redirects to), and reads the
CPU seconds the server's processes used from /proc. CPU seconds, unlike latency, hardly
change with what else the machine is doing, so two versions can be compared on a busy
machine: ``--repo`` serves another checkout (for example a worktree of an older commit)
with this benchmark's driver.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.load import journeys, servers  # noqa: E402

WARM_UP = 10


def measure(kind: str, repo: Path, n: int) -> dict:
    out: dict = {"database": kind, "repo": str(repo), "journeys": n}
    rng = random.Random(2026)
    with servers.platform_server(kind, repo=repo, workers=1, threads=1) as (base, _url, pid):
        for journey in (journeys.card_journey, journeys.feedback_journey):
            for _ in range(WARM_UP):
                journey(base, rng)
        for name, journey in (("card", journeys.card_journey), ("feedback", journeys.feedback_journey)):
            before, started = servers.process_tree_cpu(pid), time.perf_counter()
            outcomes = [journey(base, rng) for _ in range(n)]
            cpu, wall = servers.process_tree_cpu(pid) - before, time.perf_counter() - started
            failed = [o.error for o in outcomes if not o.confirmed]
            if failed:
                raise SystemExit(f"{name} journeys failed: {failed[:3]}")
            steps = sum(len(o.latencies) for o in outcomes)  # a step: a page, or a POST and its redirect
            latencies = [s for o in outcomes for _, s in o.latencies]
            out[name] = {"server_cpu_ms_per_journey": round(cpu / n * 1000, 1),
                         "server_cpu_ms_per_step": round(cpu / steps * 1000, 2),
                         "steps_per_journey": round(steps / n, 1),
                         "median_step_ms": round(statistics.median(latencies) * 1000, 1),
                         "wall_seconds": round(wall, 1)}
    out["load_average"] = round(os.getloadavg()[0], 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--journeys", type=int, default=200, help="of each kind")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to serve")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = [measure(kind, args.repo.resolve(), args.journeys) for kind in args.databases]
    print(f"\nServer CPU per journey (one gunicorn worker, one thread; {args.repo}):")
    print("| database | journey | steps | CPU ms per journey | CPU ms per step | median step ms | load |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        for name in ("card", "feedback"):
            f = r[name]
            print(f"| {r['database']} | {name} | {f['steps_per_journey']} | "
                  f"{f['server_cpu_ms_per_journey']} | {f['server_cpu_ms_per_step']} | "
                  f"{f['median_step_ms']} | {r['load_average']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
