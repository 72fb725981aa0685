"""Forum benchmark: a topic's question list, a search and asking, with 100,000 questions and 500,000 replies.

    python bench/forum_benchmark.py [--duration 10]

On the PostgreSQL database named by BENCH_DATABASE_URL (default cms_bench, created if missing; its
10,000 members come from seed_demo as in the other benchmarks): writes 100,000 questions in 30 topics
and 500,000 replies with INSERT … SELECT, indexes them all in PostgreSQL full text through Wagtail's
search backend (once; it takes a few minutes), serves with gunicorn (2 workers) on 127.0.0.1, and
measures median latency over one connection with wrk:

- ``GET /api/questions?filters[topics][slug][$eq]=…&sort=lastActivityAt:desc`` (page of 25; target < 30 ms);
- ``GET /api/search?q=…&types=questions`` rotating through several queries (target < 100 ms);
- ``POST /api/questions`` as members rotating through 50 tokens (target < 50 ms).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import urllib.request

from common import ROOT, ensure_database, environment, gunicorn, manage, wrk
from points_benchmark import SEED, members_with_tokens, setup_django, write_script

QUESTIONS = 100_000
REPLIES_PER_QUESTION = 5
TOPICS = 30
TARGETS_MS = {"topic list": 30.0, "search": 100.0, "ask": 50.0}
WORDS = [
    "feature", "flags", "session", "replay", "funnels", "cohorts", "experiments", "surveys", "webhooks", "sdk",
    "python", "react", "android", "ios", "kubernetes", "helm", "postgres", "clickhouse", "billing", "dashboard",
    "insights", "retention", "paths", "toolbar", "heatmaps", "api", "tokens", "proxy", "nextjs", "django",
]  # fmt: skip
SEARCHES = ["feature flags", "session replay android", "kubernetes helm", "billing", "postgres webhooks"]


def forum_size() -> tuple[int, int]:
    from plugins.forum.models import Question, Reply

    return Question.objects.count(), Reply.objects.count()


def generate_forum() -> None:
    """Topics, then questions and replies written by SQL in bulk (slugs, documentIds and HTML included)."""
    from django.db import connection, transaction

    from plugins.forum.models import Topic

    for n in range(TOPICS):
        Topic.objects.get_or_create(slug=f"bench-topic-{n}", defaults={"label": f"Bench topic {n}"})
    params = {"questions": QUESTIONS, "replies": REPLIES_PER_QUESTION, "words": WORDS}
    with transaction.atomic(), connection.cursor() as cursor:
        print(f"Writing {QUESTIONS:,} questions…", flush=True)
        cursor.execute(
            """
            WITH authors AS (SELECT array_agg(id ORDER BY id) AS ids FROM profiles_profile)
            INSERT INTO forum_question (document_id, created_at, updated_at, subject, slug, body, body_html, author_id,
                page, num_replies, last_activity_at, pinned, archived_at, held)
            SELECT substr(md5('q' || g), 1, 24), now() - g * interval '5 minutes', now() - g * interval '5 minutes',
                   'How do I use ' || w[1 + g %% 30] || ' with ' || w[1 + (g / 30) %% 30] || '? (' || g || ')',
                   'bench-question-' || g,
                   'I am trying ' || w[1 + (g * 7) %% 30] || ' and ' || w[1 + (g * 11) %% 30] || ' in production.',
                   '<p>I am trying ' || w[1 + (g * 7) %% 30] || ' and ' || w[1 + (g * 11) %% 30]
                   || ' in production.</p>',
                   authors.ids[1 + g %% array_length(authors.ids, 1)],
                   CASE WHEN g %% 4 = 0 THEN '/docs/' || w[1 + g %% 30] ELSE '' END,
                   %(replies)s, now() - g * interval '1 minute', false, NULL, false
            FROM generate_series(1, %(questions)s) AS g, authors, (SELECT %(words)s::text[] AS w) AS vocabulary
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO forum_question_topics (question_id, topic_id)
            SELECT q.id, t.id FROM forum_question q
            JOIN forum_topic t ON t.slug = 'bench-topic-' || (q.id % 30)
            WHERE q.slug LIKE 'bench-question-%'
            """
        )
        print(f"Writing {QUESTIONS * REPLIES_PER_QUESTION:,} replies…", flush=True)
        cursor.execute(
            """
            WITH authors AS (SELECT array_agg(id ORDER BY id) AS ids FROM profiles_profile)
            INSERT INTO forum_reply (document_id, created_at, updated_at, question_id, author_id, body, body_html,
                hidden, upvotes, downvotes)
            SELECT substr(md5('r' || q.id || '-' || n), 1, 24), q.created_at + n * interval '1 hour',
                   q.created_at + n * interval '1 hour', q.id,
                   authors.ids[1 + (q.id * 7 + n) %% array_length(authors.ids, 1)],
                   'Try the ' || w[1 + (q.id + n) %% 30] || ' settings first.',
                   '<p>Try the ' || w[1 + (q.id + n) %% 30] || ' settings first.</p>', false, n, 0
            FROM forum_question q CROSS JOIN generate_series(1, %(replies)s) AS n, authors,
                 (SELECT %(words)s::text[] AS w) AS vocabulary
            WHERE q.slug LIKE 'bench-question-%%'
            """,
            params,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def index_forum() -> None:
    """Put every question and reply in the PostgreSQL full-text index, in batches, with a progress bar."""
    from rich.progress import Progress
    from wagtail.search.backends import get_search_backend

    from plugins.forum.models import Question, Reply

    backend = get_search_backend()
    question_fields = ("pk", "subject", "body", "archived_at", "held", "last_activity_at")
    with Progress() as progress:
        for model, fields in ((Question, question_fields), (Reply, None)):
            queryset = model.get_indexed_objects().order_by("pk")
            queryset = queryset.only(*fields) if fields else queryset.select_related("question")
            task = progress.add_task(f"Indexing {model._meta.verbose_name_plural}", total=queryset.count())
            batch = []
            for obj in queryset.iterator(chunk_size=2000):
                batch.append(obj)
                if len(batch) == 2000:
                    backend.add_bulk(model, batch)
                    progress.advance(task, len(batch))
                    batch = []
            if batch:
                backend.add_bulk(model, batch)
                progress.advance(task, len(batch))


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load for each measurement.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    env = environment()
    # The benchmark asks hundreds of questions a second as 50 members from one address.
    env["API_RATE_LIMITS"] = "ask=1000000/hour,ask-address=1000000/hour"
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    setup_django(env)
    from plugins.profiles.models import Profile

    if Profile.objects.count() < 10_000:
        print("Seeding 10,000 members (once)…", flush=True)
        manage(env, "seed_demo", "--allow-production", *SEED)
    questions, replies = forum_size()
    if questions < QUESTIONS:
        generate_forum()
        questions, replies = forum_size()
    if indexed_count() < questions + replies:
        print("Indexing for search (once)…", flush=True)
        index_forum()
        # Fresh statistics, as autovacuum gives a database that has been running a while.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    tokens = [token for _, token in members_with_tokens(50)]
    print(
        f"Data: {questions:,} questions, {replies:,} replies in {TOPICS} topics, {indexed_count():,} index entries; "
        "PostgreSQL; gunicorn with 2 workers; wrk on loopback, one connection."
    )

    results = {}
    with gunicorn(env, "/api/topics?pagination[pageSize]=1") as base:
        topic_paths = [
            f"/api/questions?filters[topics][slug][$eq]=bench-topic-{n}&sort=lastActivityAt:desc"
            "&pagination[pageSize]=25&populate[author][fields][0]=firstName"
            for n in range(0, TOPICS, 3)
        ]
        search_paths = [f"/api/search?q={q.replace(' ', '+')}&types=questions" for q in SEARCHES]
        for path in topic_paths[:2] + search_paths[:2]:
            urllib.request.urlopen(base + path, timeout=30).read()
        cases = {
            "topic list": (base + topic_paths[0], rotating_get_script(topic_paths)),
            "search": (base + search_paths[0], rotating_get_script(search_paths)),
            "ask": (base + "/api/questions", ask_script(tokens)),
        }
        for name, (url, script) in cases.items():
            results[name] = wrk(url, 1, args.duration, write_script(script))

    print(f"\n{'':<12}{'median':>10}{'target':>10}{'req/s':>9}")
    failed = False
    for name, result in results.items():
        ok = result["median_ms"] < TARGETS_MS[name] and not result["errors"]
        failed |= not ok
        print(
            f"{name:<12}{result['median_ms']:>7.2f} ms{'<' + format(TARGETS_MS[name], 'g') + ' ms':>10}"
            f"{result['requests_per_second']:>9.1f}" + ("" if ok else "   <-- over target or errors")
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "forum.json").write_text(
        json.dumps({"questions": questions, "replies": replies, "results": results}, indent=2)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
