"""Points benchmark: GET /api/users/me/points with 1,000,000 ledger entries, and redemptions per second.

    python bench/points_benchmark.py [--duration 10] [--connections 8]

On the PostgreSQL database named by BENCH_DATABASE_URL (default cms_bench, created if missing):
seeds 10,000 members with five awarded achievements each (seed_demo), then brings the ledger to
1,000,000 entries (100 per member: the awards, replies and gifts over the past year, written with
one INSERT … SELECT and balances recomputed by window functions, then checked for drift). Serves
with gunicorn (2 workers) on 127.0.0.1 and loads with wrk on loopback:

- the median latency of ``GET /api/users/me/points`` over one connection, rotating through 50
  members' tokens (target: under 10 ms);
- redemptions per second: ``POST /api/reward-products/<id>/redeem`` from 50 members with a fresh
  ``Idempotency-Key`` each, over several connections; counted from the database afterwards, and
  the ledger verified to have no drift.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid

from common import ROOT, ensure_database, environment, gunicorn, manage, wrk

SEED = ["--teams=100", "--team-members=10000", "--members=1", "--achievements=50", "--jobs=50", "--awards=5"]
MEMBERS = 10_000
ENTRIES = 1_000_000
TOKENS = 50
TARGET_MS = 10.0


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ledger_size() -> tuple[int, int]:
    from plugins.points.models import LedgerEntry, PointsAccount

    return LedgerEntry.objects.count(), PointsAccount.objects.count()


def fill_ledger() -> None:
    """Bring every member's ledger to 100 entries: replies and gifts spread over the past year."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO points_pointsaccount (profile_id, balance, activity, updated_at) "
            "SELECT p.id, 0, 0, now() FROM profiles_profile p "
            "WHERE NOT EXISTS (SELECT 1 FROM points_pointsaccount a WHERE a.profile_id = p.id)"
        )
        cursor.execute(
            "SELECT a.id, 100 - count(e.id) FROM points_pointsaccount a "
            "LEFT JOIN points_ledgerentry e ON e.account_id = a.id GROUP BY a.id"
        )
        missing = sum(max(0, n) for _, n in cursor.fetchall())
        print(f"Writing {missing:,} ledger entries…", flush=True)
        cursor.execute(
            """
            INSERT INTO points_ledgerentry
                (account_id, amount, kind, reason, related, idempotency_key, balance_after, created_at, actor_id)
            SELECT a.id,
                   CASE WHEN g % 12 = 0 THEN 25 ELSE 1 END,
                   CASE WHEN g % 12 = 0 THEN 'gift' ELSE 'reply' END,
                   CASE WHEN g % 12 = 0 THEN 'Gift: thanks for the meetup talk' ELSE 'Reply in the forum' END,
                   '',
                   'bench:' || a.id || ':' || g,
                   0,
                   now() - interval '1 year' + (g * interval '3 days') + (a.id * interval '1 second'),
                   NULL
            FROM points_pointsaccount a
            CROSS JOIN LATERAL generate_series(
                1, 100 - (SELECT count(*) FROM points_ledgerentry e WHERE e.account_id = a.id)
            ) AS g
            """
        )
        print("Recomputing running balances…", flush=True)
        cursor.execute(
            """
            UPDATE points_ledgerentry e SET balance_after = s.running
            FROM (SELECT id, sum(amount) OVER (PARTITION BY account_id ORDER BY created_at, id) AS running
                  FROM points_ledgerentry) s
            WHERE e.id = s.id AND e.balance_after <> s.running
            """
        )
        cursor.execute(
            """
            UPDATE points_pointsaccount a SET balance = s.total
            FROM (SELECT account_id, sum(amount) AS total FROM points_ledgerentry GROUP BY account_id) s
            WHERE a.id = s.account_id
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def members_with_tokens(count: int) -> list[tuple[object, str]]:
    """``count`` members with accounts to sign in with, each a JWT."""
    from django.contrib.auth import get_user_model

    from api.authentication import issue_jwt
    from plugins.profiles.models import Profile

    User = get_user_model()
    result = []
    for profile in Profile.objects.filter(points_account__isnull=False).order_by("pk")[:count]:
        if profile.user_id is None:
            user, _ = User.objects.get_or_create(username=f"bench-member-{profile.pk}")
            profile.user = user
            profile.save(update_fields=["user"])
        result.append((profile, issue_jwt(profile.user)))
    return result


def bench_product():
    from plugins.rewards.models import RewardProduct

    product = RewardProduct.objects.filter(handle="bench-sticker").first()
    if product is None:
        product = RewardProduct(title="Bench sticker", handle="bench-sticker", price=1, stock=None)
        product.save()
        product.save_revision().publish()
    return product


def lua_script(tokens: list[str], method: str) -> str:
    """A wrk script that rotates tokens and (for POST) sends a fresh Idempotency-Key per request."""
    nonce = uuid.uuid4().hex
    listed = ", ".join(f'"{t}"' for t in tokens)
    return f"""
local tokens = {{{listed}}}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local headers = {{["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1]}}
  if "{method}" == "POST" then
    headers["Idempotency-Key"] = "{nonce}-" .. tostring(tid) .. "-" .. counter
  end
  return wrk.format("{method}", nil, headers, nil)
end
"""


def write_script(text: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(text)
    return handle.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load for each measurement.")
    parser.add_argument("--connections", type=int, default=8, help="Concurrent connections for redemptions.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    env = environment()
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    setup_django(env)
    from plugins.points.models import PointsAccount
    from plugins.points.services import Posting, find_drift, post
    from plugins.profiles.models import Profile
    from plugins.rewards.models import Redemption

    if Profile.objects.count() < MEMBERS:
        print("Seeding 10,000 members (once)…", flush=True)
        manage(env, "seed_demo", "--allow-production", *SEED)
    entries, accounts = ledger_size()
    if entries < ENTRIES:
        fill_ledger()
        entries, accounts = ledger_size()
    drift = find_drift()
    members = members_with_tokens(TOKENS)
    for profile, _ in members:  # enough to redeem through a long run
        if PointsAccount.objects.get(profile=profile).balance < 100_000:
            post(profile, Posting(100_000, "adjustment", "Benchmark allowance", f"bench-allowance-{uuid.uuid4()}"))
    product = bench_product()
    print(
        f"Data: {entries:,} ledger entries across {accounts:,} members; drift before: {len(drift)}; "
        "PostgreSQL; gunicorn with 2 workers; wrk on loopback."
    )

    tokens = [token for _, token in members]
    with gunicorn(env, "/api/teams?pagination[pageSize]=1") as base:
        points_url = base + "/api/users/me/points"
        for token in tokens:  # warm both workers
            request = urllib.request.Request(points_url, headers={"Authorization": f"Bearer {token}"})
            urllib.request.urlopen(request, timeout=10).read()
        read = wrk(points_url, 1, args.duration, write_script(lua_script(tokens, "GET")))
        read_loaded = wrk(points_url, 4, args.duration, write_script(lua_script(tokens, "GET")))

        redeem_url = f"{base}/api/reward-products/{product.document_id}/redeem"
        before = Redemption.objects.count()
        started = time.monotonic()
        redeem = wrk(redeem_url, args.connections, args.duration, write_script(lua_script(tokens, "POST")))
        elapsed = time.monotonic() - started
        made = Redemption.objects.count() - before

    drift_after = find_drift()
    results = {
        "entries": entries,
        "members": accounts,
        "me_points": {"median_ms": read["median_ms"], "errors": read["errors"]},
        "me_points_4_connections": read_loaded,
        "redeem": {
            "connections": args.connections,
            "requests_per_second": redeem["requests_per_second"],
            "median_ms": redeem["median_ms"],
            "errors": redeem["errors"],
            "redemptions_made": made,
            "redemptions_per_second": round(made / elapsed, 1),
        },
        "drift_after": len(drift_after),
    }
    ok = read["median_ms"] < TARGET_MS and not read["errors"] and not redeem["errors"] and not drift_after
    print(
        f"\nGET /api/users/me/points   median {read['median_ms']:.2f} ms (1 connection, target <{TARGET_MS:g} ms)"
        f"{'' if read['median_ms'] < TARGET_MS else '   <-- over target'}; "
        f"{read_loaded['requests_per_second']:.0f} req/s over 4 connections"
        f"\nPOST …/redeem              {made / elapsed:.1f} redemptions/s over {args.connections} connections "
        f"(median {redeem['median_ms']:.2f} ms, {redeem['errors']} errors, {made} redemptions)"
        f"\nLedger drift after the run: {len(drift_after)} accounts"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "points.json").write_text(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
