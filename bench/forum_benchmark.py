"""Forum benchmark: a topic's question list, a search and asking, with 100,000 questions and 500,000 replies.

    python bench/forum_benchmark.py [--duration 10] [--timeout 2] [--cold-requests 20]

On the benchmarks' data set (``bench/dataset.py``, in the PostgreSQL database named by
BENCH_DATABASE_URL, default cms_bench, set up if missing): 10,000 members, 100,000 questions in 30
topics and 500,000 replies written with INSERT … SELECT, all in PostgreSQL full text through
Wagtail's search index table (written by SQL, checked against the backend). Serves with gunicorn
(2 workers) on 127.0.0.1 and measures with wrk over one connection, p50 and p99, and cold (the
first ``--cold-requests`` requests of a just-started gunicorn with the shared cache emptied, as
``common.cold`` says):

- ``GET /api/questions?filters[topics][slug][$eq]=…&sort=activeAt:desc`` (page of 25; target < 30 ms);
- ``GET /api/search?q=…&types=questions`` rotating through several queries (target < 100 ms);
- ``POST /api/questions`` as members rotating through 50 tokens (target < 50 ms).

Timeouts (over ``--timeout`` seconds) and socket errors count as errors beside non-2xx responses.
Results go to bench/results/forum.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import urllib.request

import dataset
from common import ROOT, cold, environment, gunicorn, print_table, wrk
from dataset import TOPICS
from points_benchmark import members_with_tokens, write_script

TARGETS_MS = {"topic list": 30.0, "search": 100.0, "ask": 50.0}
SEARCHES = ["feature flags", "session replay android", "kubernetes helm", "billing", "postgres webhooks"]


def forum_size() -> tuple[int, int]:
    from plugins.forum.models import Question, Reply

    return Question.objects.count(), Reply.objects.count()


def indexed_count() -> int:
    from wagtail.search.models import IndexEntry

    return IndexEntry.objects.count()


def rotating_get_script(paths: list[str]) -> str:
    listed = ", ".join(f'"{p}"' for p in paths)
    return f"""
local paths = {{{listed}}}
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


def ask_script(tokens: list[str]) -> str:
    listed = ", ".join(f'"{t}"' for t in tokens)
    return f"""
local tokens = {{{listed}}}
local counter = 0
function request()
  counter = counter + 1
  local body = '{{"data": {{"subject": "Benchmark question about feature flags", "body": "Does **this** work?", '
    .. '"page": "/docs/feature-flags/bench"}}}}'
  local headers = {{["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1],
                    ["Content-Type"] = "application/json"}}
  return wrk.format("POST", nil, headers, body)
end
"""


ASK_BODY = (
    b'{"data": {"subject": "Benchmark question about feature flags", "body": "Does **this** work?", '
    b'"page": "/docs/feature-flags/bench"}}'
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load for each measurement.")
    parser.add_argument("--timeout", type=float, default=2.0, help="Seconds after which a request is a timeout.")
    parser.add_argument("--cold-requests", type=int, default=20, help="Requests measured on a just-started server.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    env = environment()
    # The benchmark asks hundreds of questions a second as 50 members from one address.
    env["API_RATE_LIMITS"] = "ask=1000000/hour,ask-address=1000000/hour"
    setup = dataset.ensure(env)
    questions, replies = forum_size()
    tokens = [token for _, token in members_with_tokens(50)]
    print(
        f"Data: {questions:,} questions, {replies:,} replies in {TOPICS} topics, {indexed_count():,} index entries; "
        "PostgreSQL; gunicorn with 2 workers; wrk on loopback, one connection."
    )

    topic_paths = [
        f"/api/questions?filters[topics][slug][$eq]=bench-topic-{n}&sort=activeAt:desc"
        "&pagination[pageSize]=25&populate[profile][fields][0]=firstName"
        for n in range(0, TOPICS, 3)
    ]
    search_paths = [f"/api/search?q={q.replace(' ', '+')}&types=questions" for q in SEARCHES]
    results = {}
    with gunicorn(env, "/api/topics?pagination[pageSize]=1") as base:
        for path in topic_paths[:2] + search_paths[:2]:
            urllib.request.urlopen(base + path, timeout=30).read()
        cases = {
            "topic list": (base + topic_paths[0], rotating_get_script(topic_paths)),
            "search": (base + search_paths[0], rotating_get_script(search_paths)),
            "ask": (base + "/api/questions", ask_script(tokens)),
        }
        for name, (url, script) in cases.items():
            results[name] = wrk(url, 1, args.duration, write_script(script), timeout=args.timeout)

    def asked(n: int) -> tuple:
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}", "Content-Type": "application/json"}
        return ("POST", "/api/questions", headers, ASK_BODY)

    n = args.cold_requests
    cold_requests = {
        "topic list": [("GET", topic_paths[i % len(topic_paths)], {}, None) for i in range(n)],
        "search": [("GET", search_paths[i % len(search_paths)], {}, None) for i in range(n)],
        "ask": [asked(i) for i in range(n)],
    }
    for name, requests in cold_requests.items():
        results[name]["cold"] = cold(env, requests, timeout=args.timeout)

    rows, failed = [], False
    for name, result in results.items():
        over = (result["p50_ms"] or 0) >= TARGETS_MS[name]
        errors = result["errors"] + result["cold"]["errors"]
        failed |= over or errors > 0
        rows.append(
            {
                "name": name,
                "p50": result["p50_ms"],
                "p99": result["p99_ms"],
                "target": f"<{TARGETS_MS[name]:g}",
                "cold": result["cold"],
                "rps": result["requests_per_second"],
                "connections": 1,
                "errors": errors,
                "timeouts": result["timeouts"] + result["cold"]["timeouts"],
                "path": {"topic list": topic_paths[0], "search": search_paths[0], "ask": "POST /api/questions"}[name],
                "over": over,
                "load_average": result["load_average"] + result["cold"]["load_average"],
            }
        )
    print_table(rows)
    print(
        f"(one connection; cold: the first {n} requests of a just-started gunicorn; timeouts: over {args.timeout:g} s)"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "forum.json").write_text(
        json.dumps({"questions": questions, "replies": replies, "setup": setup, "results": results}, indent=2)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
