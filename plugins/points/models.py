"""The points ledger: an append-only table of entries, and each member's balance kept beside it."""

from django.conf import settings
from django.db import models


class EntryKind(models.TextChoices):
    ACHIEVEMENT = "achievement", "Achievement"
    REVERSAL = "reversal", "Reversal"
    REPLY = "reply", "Reply"
    GIFT = "gift", "Gift"
    REDEMPTION = "redemption", "Redemption"
    REFUND = "refund", "Refund"
    ADJUSTMENT = "adjustment", "Adjustment"


class PointsAccount(models.Model):
    """A member's balance: always the sum of their entries, changed only with an entry, under a row lock."""

    profile = models.OneToOneField("profiles.Profile", on_delete=models.PROTECT, related_name="points_account")
    balance = models.BigIntegerField(default=0)
    # How much the member has done (questions, answers, solutions, votes): kept here, beside the
    # balance, so that reputation (points and activity) is read with the balance in one query.
    activity = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="points_balance_not_negative")]

    def __str__(self):
        return f"{self.profile}: {self.balance} points"


class LedgerEntry(models.Model):
    """One credit or debit. Never updated, never deleted: a mistake is corrected by another entry."""

    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    reason = models.CharField(max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the entry is about, e.g. "achievements.achievementaward:42"; a label, not a foreign key, so that
    # the ledger never loses an entry when the thing it was about goes.
    related = models.CharField(max_length=120, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    balance_after = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "ledger entries"
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_amount_not_zero")]
        indexes = [models.Index(fields=["account", "-created_at", "-id"], name="ledger_account_newest")]

    def __str__(self):
        return f"{self.amount:+d} {self.kind} ({self.reason})"
