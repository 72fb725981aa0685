"""API benchmark: what a user waits for on three Strapi-style reads, warm and cold, on PostgreSQL.

    python bench/api_benchmark.py [--duration 10] [--connections 4] [--timeout 2] [--cold-requests 20]

Sets up the benchmarks' data set (``bench/dataset.py``: 10,000 profiles on 100 teams with avatars,
five awards each and forum posts — 1,101 on the page of 100 that query (a) reads — 600,000 posts in all,
1,000,000 ledger entries) in the PostgreSQL database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/cms_bench, created if missing), serves it with gunicorn (2
workers) on 127.0.0.1 and loads it with wrk on loopback. For each query:

- **warm**: p50 and p99 over one connection (after 20 requests that warm both workers), and
  requests per second with p50/p99 over several connections;
- **cold**: the first ``--cold-requests`` requests a just-started gunicorn answers, one at a time
  on new connections, with the shared cache emptied (``common.cold`` says what that leaves cold:
  every in-process cache, the database connection, the shared cache's 300-second TTLs);
- **errors/timeouts**: non-2xx responses, socket errors and timeouts, warm and cold together. A
  request slower than ``--timeout`` seconds is a timeout; wrk keeps it out of its percentiles, so
  the timeouts are printed beside them.

Results go to bench/results/api.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import urllib.request

import dataset
from common import ROOT, cold, environment, gunicorn, print_table, wrk, yardstick

# p50 and p99 targets (ms) from the issue; None where it sets none.
TARGETS_MS = {"a": (60.0, 120.0), "b": (15.0, None), "c": (8.0, None)}


def benchmark_queries() -> dict[str, str]:
    """The three reads measured (Django set up on the data set): (a), (b) and (c) of the issue."""
    from plugins.profiles.models import Profile
    from plugins.teams.models import Team

    team = Team.objects.filter(live=True).order_by("pk").first()
    profile = Profile.objects.order_by("pk").first()
    return {
        "a": "/api/profiles?populate=*&pagination[pageSize]=100",
        "b": f"/api/profiles?filters[teams][slug][$eq]={team.slug}&populate[achievements][fields][0]=title",
        "c": f"/api/profiles/{profile.document_id}?populate=*",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load for each measurement.")
    parser.add_argument("--connections", type=int, default=4, help="Concurrent connections for throughput.")
    parser.add_argument("--timeout", type=float, default=2.0, help="Seconds after which a request is a timeout.")
    parser.add_argument("--cold-requests", type=int, default=20, help="Requests measured on a just-started server.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    env = environment()
    setup = dataset.ensure(env)
    data = setup["facts"]
    print(
        f"Data: {data['profiles']:,} profiles ({data['avatar_images']} avatar images shared), "
        f"{data['awards']:,} awards, "
        f"{data['questions']:,} questions, {data['replies']:,} replies ({data['posts_on_first_page_of_100']:,} on "
        f"query (a)'s page, {data['posts_of_first_profile']} by query (c)'s profile), {data['ledger_entries']:,} "
        "ledger entries; PostgreSQL; gunicorn with 2 workers; wrk on loopback."
    )

    queries = benchmark_queries()
    results = {}
    with gunicorn(env, "/api/teams?pagination[pageSize]=1") as base:
        for key, path in queries.items():
            url = base + path
            for _ in range(20):  # warm both workers' caches and connections
                urllib.request.urlopen(url, timeout=30).read()
            latency = wrk(url, 1, args.duration, timeout=args.timeout)
            load = wrk(url, args.connections, args.duration, timeout=args.timeout)
            results[key] = {"path": path, "one_connection": latency, f"{args.connections}_connections": load}
        single = urllib.request.urlopen(base + queries["c"], timeout=30).read()
    machine = yardstick(env, single)
    for key, path in queries.items():
        results[key]["cold"] = cold(env, [("GET", path, {}, None)] * args.cold_requests, timeout=args.timeout)

    rows, failed = [], False
    for key, result in results.items():
        latency, load, cold_run = result["one_connection"], result[f"{args.connections}_connections"], result["cold"]
        p50_target, p99_target = TARGETS_MS[key]
        errors = latency["errors"] + load["errors"] + cold_run["errors"]
        timeouts = latency["timeouts"] + load["timeouts"] + cold_run["timeouts"]
        over = (latency["p50_ms"] or 0) >= p50_target or (
            p99_target is not None and (latency["p99_ms"] or 0) >= p99_target
        )
        failed |= over or errors > 0
        rows.append(
            {
                "name": f"({key})",
                "p50": latency["p50_ms"],
                "p99": latency["p99_ms"],
                "target": f"<{p50_target:g}" + (f"/<{p99_target:g}" if p99_target else ""),
                "cold": cold_run,
                "rps": load["requests_per_second"],
                "connections": args.connections,
                "load_p50": load["p50_ms"],
                "load_p99": load["p99_ms"],
                "errors": errors,
                "timeouts": timeouts,
                "path": result["path"],
                "over": over,
                "load_average": latency["load_average"] + load["load_average"] + cold_run["load_average"],
            }
        )
    print_table(rows)
    print(
        f"(p50/p99 over 1 connection; req/s and load p50/p99 over {args.connections}; cold: the first "
        f"{args.cold_requests} requests of a just-started gunicorn; timeouts: over {args.timeout:g} s)"
    )
    print(
        f"(this machine: a bare WSGI app answers (c)'s {len(single):,} bytes in p50 {machine['bare_p50_ms']} ms, p99 "
        f"{machine['bare_p99_ms']}, on the same gunicorn and wrk; a fixed piece of Python takes "
        f"{machine['python_us']} µs of CPU. The issue's yardstick: 0.23 ms for one profile's bytes)"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    report = {"data": data, "setup": setup, "results": results, "machine": machine}
    (out / "api.json").write_text(json.dumps(report, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
