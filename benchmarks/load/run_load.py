"""Load run: the card and family feedback journeys against gunicorn on 127.0.0.1.

    python -m benchmarks.load.run_load [--databases sqlite postgresql]
        [--rate 1000] [--minutes 10] [--burst-factor 5] [--burst-seconds 60]
        [--step-seconds 20] [--smoke] [--no-max] [--json FILE]

For each database: a steady phase at ``--rate`` submissions a minute (half
action cards, half family feedback) for ``--minutes``, then a burst at
``--burst-factor`` times that rate, then a step-up search for the most
submissions per second sustained (no errors, p95 under 1 s, at least 95% of
the target rate achieved), and the same search against ``baseline_app.py``.
After each phase the rows saved are counted in the database and compared
with the confirmation pages received: they must be equal.

Arrivals are open-loop (a new journey starts on schedule whether or not
earlier ones have finished), so a slow server shows as latency, not as a
quietly lower rate. ``--smoke`` is a 60-second profile for development.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.load import journeys, servers  # noqa: E402

MAX_P95 = 1.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def drive(base: str, per_second: float, seconds: float, kinds, workers: int = 128) -> dict:
    """Start journeys at ``per_second`` for ``seconds``; wait for all; summarise."""
    rng_lock = threading.Lock()
    master = random.Random(2026)
    outcomes: list = []
    late = shed = 0
    in_flight = threading.BoundedSemaphore(workers)
    total = max(1, round(per_second * seconds))
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = []
        for n in range(total):
            due = started + n / per_second
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.5:
                late += 1  # the generator itself fell behind: reported, not hidden
            with rng_lock:
                rng = random.Random(master.random())
            if not in_flight.acquire(blocking=False):
                # Every simulated person is already waiting on the server: this
                # one is not started (counted as shed), so a phase ends on time.
                shed += 1
                continue
            future = pool.submit(kinds[n % len(kinds)], base, rng)
            future.add_done_callback(lambda _f: in_flight.release())
            futures.append(future)
        outcomes = [f.result() for f in futures]
    wall = time.perf_counter() - started
    generator_cpu = _cpu_seconds() - cpu_before
    latencies = [s for o in outcomes for _, s in o.latencies]
    errors = Counter(o.error.split(":")[0] + ":" + o.error.split(":")[1][:40]
                     for o in outcomes if o.error)
    confirmed = Counter(o.kind for o in outcomes if o.confirmed)
    return {
        "target_per_second": per_second, "seconds": seconds, "wall_seconds": round(wall, 1),
        "journeys": len(outcomes), "confirmed": dict(confirmed),
        "confirmed_total": sum(confirmed.values()),
        "failed": sum(1 for o in outcomes if o.error), "shed": shed, "errors": dict(errors.most_common(5)),
        "requests": len(latencies), "late_starts": late,
        "achieved_per_second": round(sum(confirmed.values()) / wall, 2),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=0) * 1000, 1),
        # The generator shares the cores with the server: its own CPU is reported so the
        # server's share can be read off (generator cores = its CPU seconds / wall seconds).
        "generator_cpu_seconds": round(generator_cpu, 1),
        "generator_cores": round(generator_cpu / wall, 2) if wall else 0.0,
        "load_average_start": round(load_before, 2), "load_average_end": round(os.getloadavg()[0], 2),
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _saved(url: str) -> dict:
    return {"card": servers.count_rows(url, "action_card"),
            "feedback": servers.count_rows(url, "feedback_entry")}


def phase(base: str, url: str, name: str, per_second: float, seconds: float) -> dict:
    before = _saved(url)
    print(f"  {name}: {per_second * 60:.0f}/min for {seconds:.0f} s ...", flush=True)
    result = drive(base, per_second, seconds,
                   (journeys.card_journey, journeys.feedback_journey))
    after = _saved(url)
    result["name"] = name
    result["saved"] = {k: after[k] - before[k] for k in after}
    result["saved_total"] = sum(result["saved"].values())
    result["saved_equals_confirmed"] = all(
        result["saved"][k] == result["confirmed"].get(k, 0) for k in result["saved"])
    print(f"    p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
          f"failed {result['failed']}/{result['journeys']}, shed {result['shed']}, saved {result['saved_total']} = "
          f"confirmed {result['confirmed_total']}: {result['saved_equals_confirmed']}; "
          f"generator {result['generator_cores']} cores, load {result['load_average_start']} -> "
          f"{result['load_average_end']}", flush=True)
    return result


def sustained(name: str, base: str, journey, rates: list[float], seconds: float) -> dict:
    """Step up the rate; the highest step with no errors, p95 < 1 s and >= 95% achieved."""
    best, steps = 0.0, []
    for rate in rates:
        result = drive(base, rate, seconds, (journey,))
        ok = (result["failed"] == 0 and result["shed"] == 0 and result["p95_ms"] < MAX_P95 * 1000
              and result["achieved_per_second"] >= 0.95 * rate)
        steps.append({"rate": rate, "ok": ok, **{k: result[k] for k in (
            "achieved_per_second", "p95_ms", "failed", "late_starts")}})
        print(f"    {name} {rate}/s: achieved {result['achieved_per_second']}/s, "
              f"p95 {result['p95_ms']} ms, failed {result['failed']} -> {'ok' if ok else 'stop'}",
              flush=True)
        if not ok:
            break
        best = rate
    return {"max_per_second": best, "steps": steps}


def run_database(kind: str, args) -> dict:
    print(f"{kind}:", flush=True)
    report: dict = {"database": kind}
    with servers.platform_server(kind) as (base, url, _pid):
        steady = args.rate / 60
        report["steady"] = phase(base, url, "steady", steady, args.minutes * 60)
        report["burst"] = phase(base, url, "burst", steady * args.burst_factor, args.burst_seconds)
        if not args.no_max:
            report["platform_max"] = sustained("platform (mixed journeys)", base, _mixed,
                                               args.platform_steps, args.step_seconds)
    if not args.no_max:
        with servers.baseline_server(kind) as (base, url):
            report["baseline_max"] = sustained("baseline insert", base,
                                               journeys.baseline_submission,
                                               args.baseline_steps, args.step_seconds)
            report["baseline_saved"] = servers.count_rows(url, "baseline_submission")
        platform, baseline = report["platform_max"]["max_per_second"], report["baseline_max"]["max_per_second"]
        report["ratio"] = round(platform / baseline, 3) if baseline else None
    return report


def _mixed(base, rng):
    return (journeys.card_journey if rng.random() < 0.5 else journeys.feedback_journey)(base, rng)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--rate", type=float, default=1000, help="submissions a minute")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--burst-factor", type=float, default=5)
    parser.add_argument("--burst-seconds", type=float, default=60)
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--platform-steps", type=float, nargs="+",
                        default=[5, 10, 15, 20, 25, 30, 40, 50, 60, 80])
    parser.add_argument("--baseline-steps", type=float, nargs="+",
                        default=[50, 100, 150, 200, 300, 400, 600, 800])
    parser.add_argument("--smoke", action="store_true", help="60 s steady, 15 s burst, 10 s steps")
    parser.add_argument("--no-max", action="store_true", help="skip the sustained-rate search")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.minutes, args.burst_seconds, args.step_seconds = 1, 15, 10
    reports = [run_database(kind, args) for kind in args.databases]
    result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "profile": vars(args) | {"json": str(args.json) if args.json else None},
              "results": reports}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print("\nFigures go in docs/performance.md (section 'Load').")
    ok = all(r[p]["saved_equals_confirmed"] for r in reports for p in ("steady", "burst"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
