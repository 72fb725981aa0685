"""The ledger: balances move only with entries, never below zero, idempotent by key."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from plugins.points.models import LedgerEntry, PointsAccount
from plugins.points.services import IdempotencyConflict, InsufficientPoints, Posting, balance_of, find_drift, post
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def credit(profile, amount, key, kind="gift"):
    return post(profile, Posting(amount=amount, kind=kind, reason="test", idempotency_key=key))


def test_entries_move_the_balance_and_record_it():
    profile = ProfileFactory()
    credit(profile, 50, "a")
    entry = credit(profile, -20, "b", kind="redemption")
    assert balance_of(profile) == 30
    assert entry.balance_after == 30
    assert list(LedgerEntry.objects.values_list("amount", flat=True).order_by("pk")) == [50, -20]


def test_a_debit_beyond_the_balance_is_refused_and_writes_nothing():
    profile = ProfileFactory()
    credit(profile, 10, "a")
    with pytest.raises(InsufficientPoints, match="10 available, 11 needed"):
        credit(profile, -11, "b", kind="redemption")
    assert balance_of(profile) == 10 and LedgerEntry.objects.count() == 1


def test_the_same_key_posts_once():
    profile = ProfileFactory()
    first = credit(profile, 5, "same")
    again = credit(profile, 5, "same")
    assert first.pk == again.pk and balance_of(profile) == 5
    with pytest.raises(IdempotencyConflict):
        credit(profile, 6, "same")


def test_the_database_refuses_a_negative_balance():
    profile = ProfileFactory()
    credit(profile, 5, "a")
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(profile=profile).update(balance=-1)


def test_verify_ledger_reports_zero_drift_and_finds_tampering():
    profile = ProfileFactory()
    credit(profile, 5, "a")
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "0 drift" in out.getvalue()
    PointsAccount.objects.filter(profile=profile).update(balance=7)
    assert [d.balance for d in find_drift()] == [7]
    with pytest.raises(CommandError, match="1 of 1 balances drifted"):
        call_command("verify_ledger", stdout=StringIO())


def test_post_many_credits_in_bulk_and_skips_keys_already_posted():
    from plugins.points.services import PointsError, post_many

    a, b = ProfileFactory(), ProfileFactory()
    credit(a, 5, "k1")
    written = post_many(
        [(a, Posting(5, "gift", "x", "k1")), (a, Posting(7, "gift", "x", "k2")), (b, Posting(3, "gift", "x", "k3"))]
    )
    assert written == 2
    assert (balance_of(a), balance_of(b)) == (12, 3)
    assert find_drift() == []
    with pytest.raises(PointsError, match="only credits"):
        post_many([(a, Posting(-1, "adjustment", "x", "k4"))])
