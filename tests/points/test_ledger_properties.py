"""Property-based: random awards, revocations, gifts, debits and refunds never break the ledger.

After every step each balance equals the sum of its entries and is never negative.
"""

import contextlib
import uuid

from django.db.models import Sum
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from plugins.achievements.models import AchievementAward
from plugins.achievements.services import AwardError, award_achievement, revoke_award
from plugins.points.models import LedgerEntry, PointsAccount
from plugins.points.services import InsufficientPoints, PointsError, Posting, gift, post
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


class TestLedgerProperties(TestCase):
    def test_random_operations_keep_every_balance_right(self):
        run_state_machine_as_test(
            LedgerMachine, settings=hypothesis_settings(max_examples=20, stateful_step_count=15, deadline=None)
        )
