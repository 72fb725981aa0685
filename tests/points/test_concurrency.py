"""Concurrent postings on PostgreSQL: row locks keep the balance right (skipped on SQLite, run in CI)."""

import threading

import pytest
from django.db import connection, connections

from plugins.points.services import InsufficientPoints, Posting, balance_of, find_drift, post
from tests.factories import ProfileFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (CI runs it)"),
]


def run_concurrently(n, work):
    results, barrier = [], threading.Barrier(n)

    def worker(i):
        barrier.wait()
        try:
            results.append(work(i))
        except Exception as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_fifty_concurrent_debits_from_a_balance_for_ten():
    profile = ProfileFactory()
    post(profile, Posting(100, "gift", "start", "start"))
    results = run_concurrently(50, lambda i: post(profile, Posting(-10, "redemption", "buy", f"buy-{i}")))
    refusals = [r for r in results if isinstance(r, InsufficientPoints)]
    assert len(results) - len(refusals) == 10 and len(refusals) == 40
    assert balance_of(profile) == 0
    assert find_drift() == []


def test_twenty_concurrent_postings_with_one_key_debit_once():
    profile = ProfileFactory()
    post(profile, Posting(100, "gift", "start", "start"))
    results = run_concurrently(20, lambda i: post(profile, Posting(-30, "redemption", "buy", "one-key")))
    assert {r.pk for r in results} == {results[0].pk}
    assert balance_of(profile) == 70


def test_concurrent_gifts_by_one_moderator_stay_within_the_daily_allowance(settings, migrated_data):
    from plugins.points.services import GiftLimitReached, gift, gifted_today
    from tests.factories import moderator

    settings.POINTS_GIFT_DAILY_MAX = 100
    giver = moderator()
    members = [ProfileFactory() for _ in range(20)]
    results = run_concurrently(20, lambda i: gift(members[i], 10, "thanks", given_by=giver))
    refused = [r for r in results if isinstance(r, GiftLimitReached)]
    assert len(refused) == 10 and gifted_today(giver) == 100
    assert find_drift() == []
