"""The benchmarks' one data set, set up once per database in a few minutes.

    python bench/dataset.py    # set up (or check) the data set alone, timing each step

Every benchmark but the site build's runs on it (``api_benchmark``, ``points_benchmark``,
``forum_benchmark``), in the PostgreSQL database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/cms_bench, created if missing). ``ensure()`` runs each step
whose rows are not there yet, so a second run only checks:

1. ``migrate``;
2. ``seed_demo`` (SEED): 10,000 team-member profiles on 100 teams, an avatar on each from a shared
   pool (one drawn image per pair of initials), 50 achievements with five awarded to each profile
   and their ledger credits, 50 job listings, 6 reward products; profiles, memberships, awards and
   credits in bulk;
3. the forum: 30 topics, 100,000 questions and 500,000 replies written by INSERT … SELECT. Their
   authors are the profiles, shaped as a vendor's forum is: each member asks about six questions
   and writes about four replies (a geometric spread: many a few, some dozens), and 20 regulars —
   the staff who answer — write the rest, about 2,000 questions and 23,000 replies each. So a page
   of 100 profiles holds about 1,200 posts, and a regular alone holds more than one response
   may (``API_POPULATE_MAX_ROWS``);
4. the full-text index: one INSERT … SELECT per model into Wagtail's PostgreSQL search index
   table, the tsvectors compiled from the models' ``search_fields`` as the search backend writes
   them (checked against the backend on a sample each time it runs);
5. the points ledger to 1,000,000 entries: 100 per member (the awards, replies and gifts over the
   past year) by INSERT … SELECT with running balances, then checked for drift;
6. ``VACUUM ANALYZE``: fresh statistics and visibility maps, as a database running a while has.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from functools import reduce

from common import ensure_database, environment, manage, setup_django

SEED = [
    "--teams=100",
    "--team-members=10000",
    "--members=1",
    "--achievements=50",
    "--reward-products=6",
    "--jobs=50",
    "--awards=5",
]
PROFILES = 10_000
QUESTIONS = 100_000
REPLIES_PER_QUESTION = 5
TOPICS = 30
# The staff who answer most threads; everyone else posts a little (means of a geometric spread).
REGULARS = 20
MEMBER_QUESTIONS = 6
MEMBER_REPLIES = 4
LEDGER_PER_MEMBER = 100
LEDGER_ENTRIES = 1_000_000
WORDS = [
    "feature", "flags", "session", "replay", "funnels", "cohorts", "experiments", "surveys", "webhooks", "sdk",
    "python", "react", "android", "ios", "kubernetes", "helm", "postgres", "clickhouse", "billing", "dashboard",
    "insights", "retention", "paths", "toolbar", "heatmaps", "api", "tokens", "proxy", "nextjs", "django",
]  # fmt: skip


def execute(cursor, label: str, query: str, params=None) -> None:
    """``cursor.execute``, saying what it did and how long it took (set-up is a long command)."""
    began = time.monotonic()
    cursor.execute(query, params)
    print(f"  {label}: {max(cursor.rowcount, 0):,} rows in {time.monotonic() - began:.1f} s", flush=True)


@contextlib.contextmanager
def bulk_writes(cursor, *tables: str):
    """Inside a transaction: write ``tables`` in bulk without keeping their plain indexes up row by row.

    Drops the tables' indexes that back no constraint (the primary and unique keys stay, and are
    checked as rows go in), yields, then makes them again from their definitions: building an index
    once over all the rows is many times faster than inserting into it a row at a time (GIN indexes
    most of all). Foreign keys are checked as each statement runs, not at commit, since an index
    cannot be made with checks pending.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass
        )
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    began = time.monotonic()
    for _, definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"ANALYZE {', '.join(tables)}")
    print(
        f"  {len(indexes)} indexes made again and statistics gathered in {time.monotonic() - began:.1f} s", flush=True
    )


def ensure(env: dict | None = None) -> dict:
    """Set up what is missing of the data set; returns ``{"steps": {name: seconds}, "facts": {...}}``."""
    env = env or environment()
    steps: dict[str, float] = {}
    started = time.monotonic()

    def step(name: str, run) -> None:
        print(f"Set-up: {name}…", flush=True)
        began = time.monotonic()
        run()
        steps[name] = round(time.monotonic() - began, 1)
        print(f"Set-up: {name} took {steps[name]:.1f} s", flush=True)

    ensure_database(env["DATABASE_URL"])
    step("migrate", lambda: manage(env, "migrate", "--noinput", "-v0"))
    setup_django(env)
    from django.db import connection

    from plugins.forum.models import Question
    from plugins.points.models import LedgerEntry
    from plugins.profiles.models import Profile

    if Profile.objects.count() < PROFILES:
        step("seed_demo", lambda: manage(env, "seed_demo", "--allow-production", *SEED))
    if Question.objects.filter(slug__startswith="bench-question-").count() < QUESTIONS:
        step("forum", write_forum)
    if unindexed():
        step("search index", index_forum)
    if LedgerEntry.objects.count() < LEDGER_ENTRIES:
        step("ledger", fill_ledger)
    if steps.keys() - {"migrate"}:

        def vacuum():
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

        step("vacuum analyze", vacuum)
    total = round(time.monotonic() - started, 1)
    print(
        f"Set-up: {total:.1f} s in all ("
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
        + ")",
        flush=True,
    )
    return {"steps": steps, "total_seconds": total, "facts": facts()}


def facts() -> dict:
    """What the data set holds, and the posts on the rows the API benchmark reads."""
    from plugins.achievements.models import AchievementAward
    from plugins.assets.models import CommunityImage
    from plugins.forum.models import Question, Reply
    from plugins.points.models import LedgerEntry
    from plugins.profiles.models import Profile

    # The API lists in primary-key order unless asked to sort.
    page = list(Profile.objects.order_by("pk").values_list("pk", flat=True)[:100])
    first = Profile.objects.order_by("pk").first()
    return {
        "profiles": Profile.objects.count(),
        "profiles_with_avatars": Profile.objects.filter(avatar__isnull=False).count(),
        "avatar_images": CommunityImage.objects.filter(title__startswith="demo: avatar:").count(),
        "awards": AchievementAward.objects.count(),
        "questions": Question.objects.count(),
        "replies": Reply.objects.count(),
        "ledger_entries": LedgerEntry.objects.count(),
        "posts_on_first_page_of_100": Question.objects.filter(author_id__in=page).count()
        + Reply.objects.filter(author_id__in=page).count(),
        "posts_of_first_profile": Question.objects.filter(author=first).count()
        + Reply.objects.filter(author=first).count()
        if first
        else 0,
    }


# The forum ----------------------------------------------------------------------------------------


def _author_slots(cursor, kind: str, total: int, mean: int) -> None:
    """Fill ``bench_slots`` with ``total`` rows ``(kind, slot, author_id)``, slots 1…total in a shuffled order.

    Each member takes a geometric number of slots with mean ``mean`` (floor of an exponential); the
    ``REGULARS`` (chosen by hash) share what is left.
    """
    exponential_scale = 1 / math.log(1 + 1 / mean)  # floor(-s·ln u) has mean 1/(e^(1/s) - 1)
    execute(
        cursor,
        f"{total:,} {'question' if kind == 'q' else 'reply'} authors",
        """
        WITH ranked AS (
            SELECT p.id, row_number() OVER (ORDER BY md5('regular:' || p.id), p.id) <= %(regulars)s AS regular,
                   floor(-%(scale)s * ln(1.0 - ('x' || substr(md5(%(kind)s || ':' || p.id), 1, 8))::bit(32)::bigint
                                                / 4294967296.0))::int AS n
            FROM profiles_profile p
        ), own AS (
            SELECT r.id, k FROM ranked r CROSS JOIN LATERAL generate_series(1, r.n) AS k WHERE NOT r.regular
        ), regular AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM ranked WHERE regular
        ), theirs AS (
            SELECT g.id, 1000000 + j AS k
            FROM generate_series(0, greatest(0, %(total)s - (SELECT count(*) FROM own)) - 1) AS j
            JOIN regular g ON g.i = j %% %(regulars)s
        ), shuffled AS (
            SELECT id, row_number() OVER (ORDER BY md5(%(kind)s || ':' || id || ':' || k)) AS slot
            FROM (SELECT id, k FROM own UNION ALL SELECT id, k FROM theirs) AS s
        )
        INSERT INTO bench_slots (kind, slot, author_id)
        SELECT %(kind)s, slot, id FROM shuffled WHERE slot <= %(total)s
        """,
        {"kind": kind, "total": total, "regulars": REGULARS, "scale": exponential_scale},
    )


def write_forum() -> None:
    """Topics, then questions and replies written by SQL in bulk (slugs, documentIds and HTML included)."""
    from django.db import connection, transaction

    from plugins.forum.models import Topic

    for n in range(TOPICS):
        Topic.objects.get_or_create(slug=f"bench-topic-{n}", defaults={"label": f"Bench topic {n}"})
    replies = QUESTIONS * REPLIES_PER_QUESTION
    params = {"questions": QUESTIONS, "replies": REPLIES_PER_QUESTION, "words": WORDS}
    tables = ("forum_question", "forum_question_topics", "forum_reply")
    with transaction.atomic(), connection.cursor() as cursor, bulk_writes(cursor, *tables):
        cursor.execute("CREATE TEMP TABLE bench_slots (kind text, slot int, author_id bigint) ON COMMIT DROP")
        _author_slots(cursor, "q", QUESTIONS, MEMBER_QUESTIONS)
        _author_slots(cursor, "r", replies, MEMBER_REPLIES)
        cursor.execute("CREATE INDEX ON bench_slots (kind, slot)")
        # Question g was asked 5·g minutes (and six hours) ago; its five replies came an hour apart.
        execute(
            cursor,
            "questions",
            """
            INSERT INTO forum_question (document_id, created_at, updated_at, subject, slug, body, body_html, author_id,
                page, num_replies, last_activity_at, pinned, archived_at, held)
            SELECT substr(md5('q' || g), 1, 24), asked, asked,
                   'How do I use ' || w[1 + g %% 30] || ' with ' || w[1 + (g / 30) %% 30] || '? (' || g || ')',
                   'bench-question-' || g,
                   'I am trying ' || w[1 + (g * 7) %% 30] || ' and ' || w[1 + (g * 11) %% 30] || ' in production.',
                   '<p>I am trying ' || w[1 + (g * 7) %% 30] || ' and ' || w[1 + (g * 11) %% 30]
                   || ' in production.</p>',
                   s.author_id,
                   CASE WHEN g %% 4 = 0 THEN '/docs/' || w[1 + g %% 30] ELSE '' END,
                   %(replies)s, asked + %(replies)s * interval '1 hour', false, NULL, false
            FROM (SELECT slot AS g, author_id, now() - interval '6 hours' - slot * interval '5 minutes' AS asked
                  FROM bench_slots WHERE kind = 'q') AS s,
                 (SELECT %(words)s::text[] AS w) AS vocabulary
            ORDER BY g
            """,
            params,
        )
        execute(
            cursor,
            "their topics",
            """
            INSERT INTO forum_question_topics (question_id, topic_id)
            SELECT q.id, t.id FROM forum_question q
            JOIN forum_topic t ON t.slug = 'bench-topic-' || (q.id %% %(topics)s)
            WHERE q.slug LIKE 'bench-question-%%'
            """,
            {"topics": TOPICS},
        )
        execute(
            cursor,
            "replies",
            """
            INSERT INTO forum_reply (document_id, created_at, updated_at, question_id, author_id, body, body_html,
                hidden, upvotes, downvotes)
            SELECT substr(md5('r' || q.id || '-' || n), 1, 24), q.created_at + n * interval '1 hour',
                   q.created_at + n * interval '1 hour', q.id, s.author_id,
                   'Try the ' || w[1 + (q.id + n) %% 30] || ' settings first.',
                   '<p>Try the ' || w[1 + (q.id + n) %% 30] || ' settings first.</p>', false, n, 0
            FROM forum_question q
            CROSS JOIN generate_series(1, %(replies)s) AS n
            JOIN bench_slots s ON s.kind = 'r'
                AND s.slot = (split_part(q.slug, '-', 3)::int - 1) * %(replies)s + n
            CROSS JOIN (SELECT %(words)s::text[] AS w) AS vocabulary
            WHERE q.slug LIKE 'bench-question-%%'
            ORDER BY q.id, n
            """,
            params,
        )
        # Reputation counts each question and reply (the rules engine does as they are posted).
        execute(
            cursor,
            "activity on the points accounts",
            """
            UPDATE points_pointsaccount a SET activity = s.n
            FROM (SELECT author_id, count(*) AS n
                  FROM (SELECT author_id FROM forum_question UNION ALL SELECT author_id FROM forum_reply) AS posts
                  GROUP BY author_id) AS s
            WHERE a.profile_id = s.author_id
            """,
        )


# The search index ---------------------------------------------------------------------------------


def _index_select(model):
    """The rows the search backend would write for every indexed ``model`` object, as one queryset."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Exists, F, FloatField, Func, OuterRef, TextField, Value
    from django.db.models.functions import Cast, NullIf
    from modelsearch.backends.database.postgres.postgres import EMPTY_VECTOR
    from modelsearch.backends.database.postgres.weights import get_weight
    from modelsearch.index import AutocompleteField, RelatedFields, SearchField
    from modelsearch.utils import get_content_type_pk
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    backend = get_search_backend()
    title, body, autocomplete = [], [], []
    for field in model.get_search_fields():
        if isinstance(field, SearchField):
            (title if field.field_name == "title" else body).append((field.field_name, get_weight(field.boost)))
        elif isinstance(field, AutocompleteField):
            autocomplete.append((field.field_name, "D"))
        elif isinstance(field, RelatedFields) and any(
            isinstance(sub, (SearchField, AutocompleteField)) for sub in field.fields
        ):
            raise NotImplementedError(f"{model.__name__}: searchable related fields are not compiled to SQL here")

    def vector(fields, config):
        if not fields:
            return EMPTY_VECTOR
        return reduce(lambda a, b: a + b, [SearchVector(F(name), weight=w, config=config) for name, w in fields])

    def text(fields):
        whitespace = Value(" \t\n\r\x0b\x0c")
        parts = [NullIf(Func(F(name), whitespace, function="BTRIM"), Value("")) for name, _ in fields]
        if not parts:
            return Value("", output_field=TextField())
        return Func(Value(" "), *parts, function="CONCAT_WS", output_field=TextField())

    content_type = get_content_type_pk(model)
    entry = IndexEntry.objects.filter(content_type_id=content_type, object_id=Cast(OuterRef("pk"), TextField()))
    return (
        model.get_indexed_objects()
        .order_by()
        .exclude(Exists(entry))  # only what is not in the index yet
        .annotate(
            s_ct=Value(content_type),
            s_id=Cast("pk", TextField()),
            s_title=vector(title, backend.config),
            s_autocomplete=vector(autocomplete, backend.autocomplete_config),
            s_body=vector(body, backend.config),
            s_norm=Value(1.0, output_field=FloatField()),
            s_title_text=text(title),
            s_body_text=text(body),
        )
        .values_list("s_ct", "s_id", "s_title", "s_autocomplete", "s_body", "s_norm", "s_title_text", "s_body_text")
    )


INDEX_COLUMNS = "content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text"


def unindexed() -> int:
    """How many indexed questions and replies have no index entry yet (those a benchmark asked, say)."""
    from wagtail.search.models import IndexEntry

    from plugins.forum.models import Question, Reply

    return sum(
        max(
            0,
            model.get_indexed_objects().count()
            - IndexEntry.objects.filter(
                content_type__app_label="forum", content_type__model=model._meta.model_name
            ).count(),
        )
        for model in (Question, Reply)
    )


def index_forum() -> None:
    """Every indexed question and reply into the PostgreSQL full-text index, by SQL; then a sample checked.

    A few missing entries (the questions a forum benchmark asked: their index tasks wait for a worker)
    are added as they are; many, with the table's indexes made again after (``bulk_writes``).
    """
    from django.db import connection, transaction
    from wagtail.search.models import IndexEntry

    from plugins.forum.models import Question, Reply

    table = IndexEntry._meta.db_table
    many = unindexed() > 10_000
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        bulk_writes(cursor, table) if many else contextlib.nullcontext(),
    ):
        for model in (Question, Reply):
            sql, params = _index_select(model).query.sql_with_params()
            execute(
                cursor,
                f"{model._meta.verbose_name_plural} indexed",
                f"INSERT INTO {table} ({INDEX_COLUMNS}) {sql} ON CONFLICT (content_type_id, object_id) DO NOTHING",
                params,
            )
    check_index_sample()


def check_index_sample(size: int = 5) -> None:
    """Re-index a few objects of each model through the search backend and compare: the SQL must match it."""
    from django.db import transaction
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from plugins.forum.models import Question, Reply

    backend = get_search_backend()
    fields = ("title", "autocomplete", "body", "title_text", "body_text")
    for model in (Question, Reply):
        objects = list(model.get_indexed_objects().order_by("-pk")[:size])
        entries = IndexEntry.objects.filter(
            content_type__model=model._meta.model_name, object_id__in=[str(o.pk) for o in objects]
        ).order_by("object_id")
        ours = [tuple(str(v) for v in row) for row in entries.values_list(*fields)]
        with transaction.atomic():
            backend.add_bulk(model, objects)
            theirs = [tuple(str(v) for v in row) for row in entries.values_list(*fields)]
            transaction.set_rollback(True)
        if ours != theirs or len(ours) != len(objects):
            raise SystemExit(
                f"The SQL-built search index differs from the backend's for {model.__name__}: {ours} != {theirs}"
            )


# The ledger ---------------------------------------------------------------------------------------


def fill_ledger() -> None:
    """Bring every member's ledger to 100 entries: replies and gifts spread over the past year.

    Written with running balances (a window over the new entries, which all come before the awards
    in time); the entries after them and the accounts' balances are then recomputed where they differ.
    """
    from django.db import connection, transaction

    from plugins.points.services import find_drift

    with transaction.atomic(), connection.cursor() as cursor, bulk_writes(cursor, "points_ledgerentry"):
        cursor.execute(
            "INSERT INTO points_pointsaccount (profile_id, balance, activity, updated_at) "
            "SELECT p.id, 0, 0, now() FROM profiles_profile p "
            "WHERE NOT EXISTS (SELECT 1 FROM points_pointsaccount a WHERE a.profile_id = p.id)"
        )
        execute(
            cursor,
            "ledger entries",
            """
            INSERT INTO points_ledgerentry
                (account_id, amount, kind, reason, related, idempotency_key, balance_after, created_at, actor_id)
            SELECT account_id, amount, kind, reason, '', 'bench:' || account_id || ':' || g,
                   sum(amount) OVER (PARTITION BY account_id ORDER BY created_at, g), created_at, NULL
            FROM (
                SELECT a.id AS account_id, g,
                       CASE WHEN g %% 12 = 0 THEN 25 ELSE 1 END AS amount,
                       CASE WHEN g %% 12 = 0 THEN 'gift' ELSE 'reply' END AS kind,
                       CASE WHEN g %% 12 = 0 THEN 'Gift: thanks for the meetup talk' ELSE 'Reply in the forum' END
                           AS reason,
                       now() - interval '1 year' + (g * interval '3 days') + (a.id * interval '1 second') AS created_at
                FROM points_pointsaccount a
                LEFT JOIN (SELECT account_id, count(*) AS n FROM points_ledgerentry GROUP BY account_id) AS held
                    ON held.account_id = a.id
                CROSS JOIN LATERAL generate_series(1, %(per_member)s - coalesce(held.n, 0)) AS g
            ) AS fresh
            ORDER BY account_id, created_at
            """,
            {"per_member": LEDGER_PER_MEMBER},
        )
        cursor.execute("ANALYZE points_ledgerentry")
        execute(
            cursor,
            "running balances after the new entries",
            """
            UPDATE points_ledgerentry e SET balance_after = s.running
            FROM (SELECT id, sum(amount) OVER (PARTITION BY account_id ORDER BY created_at, id) AS running
                  FROM points_ledgerentry) s
            WHERE e.id = s.id AND e.balance_after <> s.running
            """,
        )
        execute(
            cursor,
            "balances",
            """
            UPDATE points_pointsaccount a SET balance = s.total
            FROM (SELECT account_id, sum(amount) AS total FROM points_ledgerentry GROUP BY account_id) s
            WHERE a.id = s.account_id AND a.balance <> s.total
            """,
        )
    drift = find_drift()
    if drift:
        raise SystemExit(f"The ledger drifts after filling it: {len(drift)} accounts, e.g. {drift[:3]}")


if __name__ == "__main__":
    result = ensure()
    print(result["facts"])
    sys.exit(0)
