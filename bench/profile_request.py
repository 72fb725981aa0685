"""Where one API request's time goes, in this process: wall and CPU time, and a profile.

    python bench/profile_request.py a|b|c|PATH [--requests 40] [--profile] [--sql]

On the benchmarks' data set (``bench/dataset.py``, set up if missing), requests go through Django's
test client, with the garbage collector set as ``cms/wsgi.py`` sets it for the server. ``a``, ``b`` and
``c`` are ``api_benchmark.py``'s queries; any other argument is a path. Prints p50/p99 of wall and of
CPU time (CPU time drifts far less than wall-clock time on a shared machine, so an A/B of a change is
best read from it), the queries of one request with their times (``--sql``), and the functions that
took the most time (``--profile``, cProfile: its overhead inflates small functions; for a sampling
profile run ``py-spy record -f raw`` on this script).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import time

import dataset
from api_benchmark import benchmark_queries
from common import environment


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("query", help="a, b, c (api_benchmark.py's queries) or a path such as /api/teams")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="Print the functions that took the most time.")
    parser.add_argument("--sql", action="store_true", help="Print one request's queries with their times.")
    args = parser.parse_args()

    dataset.ensure(environment())
    from django.db.backends.utils import CursorWrapper
    from django.test import Client

    path = benchmark_queries().get(args.query, args.query)
    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(5):
        response = client.get(path)
    print(f"{path}: {response.status_code}, {len(response.content):,} bytes")
    gc.freeze()  # as cms/wsgi.py does (its between-requests collection is not run here)
    gc.set_threshold(100_000, 50, 100)

    if args.sql:
        log = []
        execute = CursorWrapper.execute

        def timed(self, sql, params=None):
            began = time.perf_counter()
            try:
                return execute(self, sql, params)
            finally:
                log.append(((time.perf_counter() - began) * 1000, sql))

        CursorWrapper.execute = timed
        client.get(path)
        CursorWrapper.execute = execute
        for ms, sql in log:
            print(f"  {ms:6.2f} ms  {sql[:160]}")
        print(f"  {len(log)} queries, {sum(ms for ms, _ in log):.1f} ms in the database driver")

    wall, cpu = [], []
    for _ in range(args.requests):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        gc.collect(1)  # between requests, as the server does
    print(
        f"wall p50 {statistics.median(wall):.1f} ms, p99 {percentile(wall, 0.99):.1f}; "
        f"CPU p50 {statistics.median(cpu):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ({args.requests} requests)"
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
