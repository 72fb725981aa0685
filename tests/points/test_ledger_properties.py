"""Property-based: random awards, revocations, gifts, redemptions, cancellations, debits and refunds.

After every step each balance equals the sum of its entries and is never negative, and each
product's stock is its starting stock less the units held by redemptions not cancelled.
"""

import contextlib
import uuid

from django.db.models import Sum
from django.test import override_settings
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from plugins.achievements.models import AchievementAward
from plugins.achievements.services import AwardError, award_achievement, revoke_award
from plugins.points.models import LedgerEntry, PointsAccount
from plugins.points.services import InsufficientPoints, PointsError, Posting, gift, post
from plugins.rewards.models import Redemption
from plugins.rewards.services import StoreError, cancel_redemption, redeem
from tests import factories


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.members = [factories.ProfileFactory() for _ in range(3)]
        self.achievements = [
            factories.AchievementFactory(points=points, repeatable=repeatable)
            for points, repeatable in ((10, False), (25, True), (100, False))
        ]
        self.moderator = factories.moderator()
        self.products = [
            factories.RewardProductFactory(price=price, stock=stock, **extra)
            for price, stock, extra in (
                (40, 3, {}),
                (150, None, {}),
                (90, 5, {"kind": "merch_credit", "discount_amount": 5}),
            )
        ]
        self.starting_stock = {p.pk: p.stock for p in self.products}

    def key(self) -> str:
        # Examples share one database: keys must not repeat across them.
        return uuid.uuid4().hex

    @rule(member=st.integers(0, 2), achievement=st.integers(0, 2))
    def award(self, member, achievement):
        with contextlib.suppress(AwardError):  # a non-repeatable one held already
            award_achievement(self.members[member], self.achievements[achievement], awarded_by=self.moderator)

    @rule(pick=st.integers(0, 50))
    def revoke(self, pick):
        active = list(AchievementAward.objects.filter(revoked_at__isnull=True).order_by("pk"))
        if active:
            revoke_award(active[pick % len(active)], revoked_by=self.moderator, reason="property test")

    @rule(member=st.integers(0, 2), points=st.integers(1, 500))
    def gift(self, member, points):
        gift(self.members[member], points, "property test", given_by=self.moderator)

    @rule(member=st.integers(0, 2), points=st.integers(1, 300))
    def debit(self, member, points):
        with contextlib.suppress(InsufficientPoints):
            post(self.members[member], Posting(-points, "redemption", "property test", self.key()))

    @rule(member=st.integers(0, 2), points=st.integers(1, 50))
    def refund(self, member, points):
        post(self.members[member], Posting(points, "refund", "property test", self.key()))

    @rule(member=st.integers(0, 2), product=st.integers(0, 2), replay=st.booleans())
    def redeem(self, member, product, replay):
        key = "replayed" if replay else self.key()
        with contextlib.suppress(StoreError):  # not enough points, out of stock, or the key used for another
            redeem(self.members[member], self.products[product], idempotency_key=key)

    @rule(pick=st.integers(0, 50))
    def cancel(self, pick):
        open_ones = list(Redemption.objects.exclude(status__in=["cancelled", "fulfilled"]).order_by("pk"))
        if open_ones:
            cancel_redemption(open_ones[pick % len(open_ones)], cancelled_by=self.moderator, reason="property test")

    @rule(member=st.integers(0, 2))
    def replay_a_key(self, member):
        entry = LedgerEntry.objects.filter(account__profile=self.members[member]).order_by("?").first()
        if entry is None:
            return
        try:
            again = post(self.members[member], Posting(entry.amount, entry.kind, entry.reason, entry.idempotency_key))
        except PointsError:
            return
        assert again.pk == entry.pk

    @invariant()
    def balances_match_their_entries_and_are_never_negative(self):
        sums = dict(LedgerEntry.objects.values("account_id").annotate(t=Sum("amount")).values_list("account_id", "t"))
        for account in PointsAccount.objects.all():
            assert account.balance >= 0
            assert account.balance == sums.get(account.pk, 0)

    @invariant()
    def stock_is_what_live_redemptions_left(self):
        for product in self.products:
            product.refresh_from_db()
            if product.stock is None:
                continue
            held = Redemption.objects.filter(product=product, took_stock=True).exclude(status="cancelled").count()
            assert product.stock == self.starting_stock[product.pk] - held >= 0


class TestLedgerProperties(TestCase):
    # The machine gifts as one moderator all along; the daily allowance is tested on its own (test_gift_limits).
    @override_settings(POINTS_GIFT_DAILY_MAX=10**9)
    def test_random_operations_keep_every_balance_right(self):
        run_state_machine_as_test(
            LedgerMachine, settings=hypothesis_settings(max_examples=25, stateful_step_count=20, deadline=None)
        )
