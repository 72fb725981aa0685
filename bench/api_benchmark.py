"""API benchmark: median latency and throughput of three Strapi-style reads, on PostgreSQL.

    python bench/api_benchmark.py [--duration 10] [--connections 4]

Sets up (migrate, and seed_demo with 10,000 profiles on 100 teams, 50 achievements, five held by
each profile) a PostgreSQL database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/cms_bench, created if missing), serves it with gunicorn (2 workers) on 127.0.0.1,
and loads it with wrk on loopback: one connection for the median latency, several for throughput.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import urllib.request

from common import ROOT, ensure_database, environment, gunicorn, manage, wrk

SEED = [
    "--teams=100",
    "--team-members=10000",
    "--members=1",
    "--achievements=50",
    "--reward-products=6",
    "--jobs=50",
    "--awards=5",
]
TARGETS_MS = {"a": 60.0, "c": 8.0}


def facts(env: dict) -> dict:
    code = (
        "import json; from plugins.profiles.models import Profile; from plugins.teams.models import Team; "
        "from plugins.achievements.models import AchievementAward, Achievement; "
        "t = Team.objects.filter(live=True).order_by('pk').first(); p = Profile.objects.order_by('pk').first(); "
        "print(json.dumps({'profiles': Profile.objects.count(), 'teams': Team.objects.count(), "
        "'achievements': Achievement.objects.count(), 'awards': AchievementAward.objects.count(), "
        "'slug': t.slug if t else None, 'document_id': p.document_id if p else None}))"
    )
    return json.loads(manage(env, "shell", "-v0", "-c", code, capture=True).strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load for each measurement.")
    parser.add_argument("--connections", type=int, default=4, help="Concurrent connections for throughput.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    env = environment()
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    data = facts(env)
    if data["profiles"] < 10_000 or data["awards"] < 50_000:
        print("Seeding the benchmark data set (once)…", flush=True)
        manage(env, "seed_demo", "--allow-production", *SEED)
        # Fresh planner statistics, as a database that has been running a while has.
        manage(env, "shell", "-v0", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
        data = facts(env)
    print(
        f"Data: {data['profiles']} profiles, {data['teams']} teams, {data['achievements']} achievements, "
        f"{data['awards']} awards; PostgreSQL; gunicorn with 2 workers; wrk on loopback."
    )

    with gunicorn(env, "/api/teams?pagination[pageSize]=1") as base:
        queries = {
            "a": "/api/profiles?populate=*&pagination[pageSize]=100",
            "b": f"/api/profiles?filters[teams][slug][$eq]={data['slug']}&populate[achievements][fields][0]=title",
            "c": f"/api/profiles/{data['document_id']}?populate=*",
        }
        results = {}
        for key, path in queries.items():
            url = base + path
            for _ in range(20):  # warm both workers' caches and connections
                urllib.request.urlopen(url, timeout=10).read()
            latency = wrk(url, 1, args.duration)
            throughput = wrk(url, args.connections, args.duration)
            results[key] = {
                "path": path,
                "median_ms": latency["median_ms"],
                "requests_per_second": throughput["requests_per_second"],
                "median_ms_under_load": throughput["median_ms"],
                "errors": latency["errors"] + throughput["errors"],
            }

    print(
        f"\n{'query':<6}{'median (1 conn)':>17}{'target':>9}{'req/s (' + str(args.connections) + ' conn)':>16}"
        f"{'median under load':>19}  path"
    )
    failed = False
    for key, result in results.items():
        target = TARGETS_MS.get(key)
        ok = target is None or result["median_ms"] < target
        failed |= not ok or result["errors"] > 0
        target_text = f"<{target:g} ms" if target else "-"
        print(
            f"({key})   {result['median_ms']:>13.2f} ms{target_text:>9}{result['requests_per_second']:>16.1f}"
            f"{result['median_ms_under_load']:>16.2f} ms  {result['path']}"
            + ("" if ok else "   <-- over target")
            + (f"  {result['errors']} errors" if result["errors"] else "")
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "api.json").write_text(json.dumps({"data": data, "results": results}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
