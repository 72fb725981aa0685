"""Concurrent redemptions over HTTP on PostgreSQL: no point spent twice, no unit sold twice.

Real requests to a live server (one thread and one database connection per request), fired
together behind a barrier. Skipped on SQLite, which has no row locks; CI runs them on PostgreSQL.
"""

import threading
import uuid

import pytest
import requests
from django.db import connection

from api.authentication import issue_jwt
from plugins.points.services import Posting, balance_of, find_drift, post
from plugins.rewards.models import Redemption
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (CI runs it)"),
]


def fire_together(n: int, request) -> list[requests.Response]:
    """Run ``request(i)`` for i in 0..n-1 in n threads released at the same moment."""
    barrier, responses = threading.Barrier(n), [None] * n

    def worker(i):
        with requests.Session() as session:
            barrier.wait()
            responses[i] = request(session, i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def member_with(points: int):
    user = factories.UserFactory()
    profile = factories.ProfileFactory(user=user)
    if points:
        post(profile, Posting(points, "gift", "Gift: start", f"start-{uuid.uuid4().hex}"))
    return profile, {"Authorization": f"Bearer {issue_jwt(user)}"}


def redeem_url(live_server, product) -> str:
    return f"{live_server.url}/api/reward-products/{product.document_id}/redeem"


def test_fifty_concurrent_redemptions_by_a_member_who_can_afford_ten(live_server):
    profile, auth = member_with(100)
    stickers = factories.RewardProductFactory(title="Stickers", price=10, stock=None)
    url = redeem_url(live_server, stickers)
    responses = fire_together(50, lambda s, i: s.post(url, headers={**auth, "Idempotency-Key": f"k-{i}"}, timeout=60))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 10 and statuses.count(409) == 40, statuses
    refusals = {r.json()["error"]["message"] for r in responses if r.status_code == 409}
    assert refusals == {"Not enough points: Stickers costs 10 and you have 0 (10 more needed)."}
    assert Redemption.objects.filter(profile=profile).count() == 10
    assert balance_of(profile) == 0
    assert find_drift() == []


def test_twenty_concurrent_requests_with_one_key_debit_once(live_server):
    profile, auth = member_with(100)
    stickers = factories.RewardProductFactory(title="Stickers", price=30, stock=5)
    url = redeem_url(live_server, stickers)
    responses = fire_together(20, lambda s, i: s.post(url, headers={**auth, "Idempotency-Key": "one-key"}, timeout=60))
    assert {r.status_code for r in responses} <= {200, 201}
    assert [r.status_code for r in responses].count(201) == 1
    assert len({r.json()["data"]["documentId"] for r in responses}) == 1
    assert balance_of(profile) == 70
    stickers.refresh_from_db()
    assert stickers.stock == 4
    assert Redemption.objects.count() == 1
    assert find_drift() == []


def test_many_members_after_the_last_three_units_buy_exactly_three(live_server):
    members = [member_with(50) for _ in range(15)]
    hoodie = factories.RewardProductFactory(title="Hoodie", price=20, stock=3)
    url = redeem_url(live_server, hoodie)
    responses = fire_together(
        15, lambda s, i: s.post(url, headers={**members[i][1], "Idempotency-Key": "hoodie"}, timeout=60)
    )
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 3 and statuses.count(409) == 12, statuses
    assert {r.json()["error"]["message"] for r in responses if r.status_code == 409} == {"Hoodie is out of stock."}
    hoodie.refresh_from_db()
    assert hoodie.stock == 0
    assert sum(balance_of(profile) for profile, _ in members) == 15 * 50 - 3 * 20
    assert find_drift() == []


def test_cancellations_racing_redemptions_keep_stock_and_balances_right(live_server):
    profile, auth = member_with(200)
    moderator = factories.moderator()
    mod_auth = {"Authorization": f"Bearer {issue_jwt(moderator)}"}
    mug = factories.RewardProductFactory(title="Mug", price=20, stock=6)
    url = redeem_url(live_server, mug)
    first = [requests.post(url, headers={**auth, "Idempotency-Key": f"pre-{i}"}, timeout=30) for i in range(3)]
    to_cancel = [r.json()["data"]["documentId"] for r in first]

    def act(session, i):
        if i < 3:
            cancel = f"{live_server.url}/api/redemptions/{to_cancel[i]}/cancel"
            return session.post(cancel, json={"data": {"reason": "race"}}, headers=mod_auth, timeout=60)
        return session.post(url, headers={**auth, "Idempotency-Key": f"race-{i}"}, timeout=60)

    responses = fire_together(9, act)
    assert all(r.status_code in (200, 201, 409) for r in responses), [r.content for r in responses]
    live = Redemption.objects.filter(product=mug).exclude(status="cancelled").count()
    mug.refresh_from_db()
    assert mug.stock == 6 - live
    assert balance_of(profile) == 200 - 20 * live
    assert find_drift() == []
