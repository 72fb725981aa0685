"""Points benchmark: GET /api/users/me/points with 1,000,000 ledger entries, and redemptions per second.

    python bench/points_benchmark.py [--duration 10] [--connections 8] [--timeout 2] [--cold-requests 20]

On the benchmarks' data set (``bench/dataset.py``, in the PostgreSQL database named by
BENCH_DATABASE_URL, default cms_bench, set up if missing): 10,000 members with five awarded
achievements each, and a ledger of 1,000,000 entries (100 per member: the awards, replies and gifts
over the past year, written with one INSERT … SELECT with running balances, checked for drift).
Serves with gunicorn (2 workers) on 127.0.0.1 and loads with wrk on loopback:

- ``GET /api/users/me/points`` over one connection, rotating through 50 members' tokens: p50 and
  p99 (target p50 under 10 ms), and over 4 connections; cold: the first ``--cold-requests``
  requests of a just-started gunicorn with the shared cache emptied (``common.cold``);
- redemptions per second: ``POST /api/reward-products/<id>/redeem`` from 50 members with a fresh
  ``Idempotency-Key`` each, over several connections; counted from the database afterwards, and
  the ledger verified to have no drift; and cold, as above.

Timeouts (over ``--timeout`` seconds) and socket errors count as errors beside non-2xx responses.
Results go to bench/results/points.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid

import dataset
from common import ROOT, cold, environment, gunicorn, print_table, wrk

TOKENS = 50
TARGET_MS = 10.0


def ledger_size() -> tuple[int, int]:
    from plugins.points.models import LedgerEntry, PointsAccount

    return LedgerEntry.objects.count(), PointsAccount.objects.count()


def members_with_tokens(count: int) -> list[tuple[object, str]]:
    """``count`` members with accounts to sign in with, each a JWT: the last profiles, so that the
    questions a forum run asks and the points a run spends land on none that the API benchmark reads
    (its page of 100 and its one profile are the first)."""
    from django.contrib.auth import get_user_model

    from api.authentication import issue_jwt
    from plugins.profiles.models import Profile

    User = get_user_model()
    result = []
    for profile in Profile.objects.filter(points_account__isnull=False).order_by("-pk")[:count]:
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
    parser.add_argument("--timeout", type=float, default=2.0, help="Seconds after which a request is a timeout.")
    parser.add_argument("--cold-requests", type=int, default=20, help="Requests measured on a just-started server.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    env = environment()
    setup = dataset.ensure(env)
    from plugins.points.models import PointsAccount
    from plugins.points.services import Posting, find_drift, post
    from plugins.rewards.models import Redemption

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
    redeem_path = f"/api/reward-products/{product.document_id}/redeem"
    with gunicorn(env, "/api/teams?pagination[pageSize]=1") as base:
        points_url = base + "/api/users/me/points"
        for token in tokens:  # warm both workers
            request = urllib.request.Request(points_url, headers={"Authorization": f"Bearer {token}"})
            urllib.request.urlopen(request, timeout=10).read()
        get_script = write_script(lua_script(tokens, "GET"))
        read = wrk(points_url, 1, args.duration, get_script, timeout=args.timeout)
        read_loaded = wrk(points_url, 4, args.duration, get_script, timeout=args.timeout)

        before = Redemption.objects.count()
        started = time.monotonic()
        redeem = wrk(
            base + redeem_path, args.connections, args.duration, write_script(lua_script(tokens, "POST")),
            timeout=args.timeout,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        made = Redemption.objects.count() - before

    def signed(n: int) -> dict:
        return {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}

    read_cold = cold(
        env, [("GET", "/api/users/me/points", signed(n), None) for n in range(args.cold_requests)], args.timeout
    )
    nonce = uuid.uuid4().hex
    redeem_cold = cold(
        env,
        [
            ("POST", redeem_path, {**signed(n), "Idempotency-Key": f"{nonce}-cold-{n}"}, None)
            for n in range(args.cold_requests)
        ],
        args.timeout,
    )
    drift_after = find_drift()
    results = {
        "entries": entries,
        "members": accounts,
        "me_points": read,
        "me_points_4_connections": read_loaded,
        "me_points_cold": read_cold,
        "redeem": {
            **redeem,
            "connections": args.connections,
            "redemptions_made": made,
            "redemptions_per_second": round(made / elapsed, 1),
        },
        "redeem_cold": redeem_cold,
        "drift_after": len(drift_after),
        "setup": setup,
    }
    over = (read["p50_ms"] or 0) >= TARGET_MS
    rows = [
        {
            "name": "me/points",
            "p50": read["p50_ms"],
            "p99": read["p99_ms"],
            "target": f"<{TARGET_MS:g}",
            "cold": read_cold,
            "rps": read_loaded["requests_per_second"],
            "connections": 4,
            "load_p50": read_loaded["p50_ms"],
            "load_p99": read_loaded["p99_ms"],
            "errors": read["errors"] + read_loaded["errors"] + read_cold["errors"],
            "timeouts": read["timeouts"] + read_loaded["timeouts"] + read_cold["timeouts"],
            "path": "GET /api/users/me/points",
            "over": over,
            "load_average": read["load_average"] + read_loaded["load_average"] + read_cold["load_average"],
        },
        {
            "name": "redeem",
            "p50": None,
            "p99": None,
            "target": "-",
            "cold": redeem_cold,
            "rps": round(made / elapsed, 1),
            "connections": args.connections,
            "load_p50": redeem["p50_ms"],
            "load_p99": redeem["p99_ms"],
            "errors": redeem["errors"] + redeem_cold["errors"],
            "timeouts": redeem["timeouts"] + redeem_cold["timeouts"],
            "path": f"POST {redeem_path} ({made} redemptions; req/s = redemptions/s)",
            "load_average": redeem["load_average"] + redeem_cold["load_average"],
        },
    ]
    print_table(rows)
    print(
        f"(p50/p99 over 1 connection; req/s and load p50/p99 over the connections shown; cold: the first "
        f"{args.cold_requests} requests of a just-started gunicorn; timeouts: over {args.timeout:g} s)"
        f"\nLedger drift after the run: {len(drift_after)} accounts"
    )
    ok = not over and not read["errors"] and not redeem["errors"] and not drift_after
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "points.json").write_text(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
