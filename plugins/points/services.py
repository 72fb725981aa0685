"""Posting to the ledger: the only way a balance changes."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, F, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log

from plugins.core.errors import Conflict, Invalid, NotAllowed
from plugins.core.events import emit
from plugins.points.models import EntryKind, LedgerEntry, PointsAccount


class PointsError(Invalid):
    """A posting that cannot be made as asked; the message says why."""


class InsufficientPoints(Conflict, PointsError):
    """The balance does not cover the debit."""


class GiftLimitReached(Conflict, PointsError):
    """The moderator has gifted their daily allowance."""


class IdempotencyConflict(Conflict, PointsError):
    """The key was used before for a different posting."""


@dataclass(frozen=True)
class Posting:
    amount: int
    kind: str
    reason: str
    idempotency_key: str
    actor: object | None = None
    related: str = ""


def account_for(profile) -> PointsAccount:
    """The member's account, created at zero the first time."""
    account, _ = PointsAccount.objects.get_or_create(profile=profile)
    return account


def lock_account(profile) -> PointsAccount:
    """The member's account, locked until the current transaction ends (created at zero if need be).

    Call inside ``transaction.atomic``; whoever holds the lock is the only one moving the balance.
    """
    account_for(profile)
    return PointsAccount.objects.select_for_update().get(profile=profile)


@transaction.atomic
def post(profile, posting: Posting) -> LedgerEntry:
    """Write one entry and move the balance with it, under a row lock; idempotent by key.

    Posting again with a key already used returns the entry made the first time (if it was the same
    posting) and changes nothing. A debit larger than the balance raises ``InsufficientPoints``.
    """
    if posting.amount == 0:
        raise PointsError("An entry moves at least one point")
    if posting.kind not in EntryKind.values:
        raise PointsError(f"Unknown entry kind {posting.kind!r}")
    existing = LedgerEntry.objects.filter(idempotency_key=posting.idempotency_key).first()
    if existing is not None:
        return _same_or_conflict(existing, profile, posting)
    account = lock_account(profile)
    # Checked again under the lock: a concurrent request with the same key may have just posted.
    existing = LedgerEntry.objects.filter(idempotency_key=posting.idempotency_key).first()
    if existing is not None:
        return _same_or_conflict(existing, profile, posting)
    new_balance = account.balance + posting.amount
    if new_balance < 0:
        raise InsufficientPoints(f"Not enough points: {account.balance} available, {-posting.amount} needed")
    try:
        with transaction.atomic():
            entry = _entry(account, posting, new_balance)
            entry.save()
    except IntegrityError:
        existing = LedgerEntry.objects.get(idempotency_key=posting.idempotency_key)
        return _same_or_conflict(existing, profile, posting)
    account.balance = new_balance
    account.save(update_fields=["balance", "updated_at"])
    emit("points_changed", profile_id=profile.pk, entry_id=entry.pk, balance=new_balance)
    return entry


def _entry(account: PointsAccount, posting: Posting, balance_after: int) -> LedgerEntry:
    """The (unsaved) ledger row for ``posting``."""
    return LedgerEntry(
        account=account,
        amount=posting.amount,
        kind=posting.kind,
        reason=posting.reason[:255],
        actor=posting.actor,
        related=posting.related,
        idempotency_key=posting.idempotency_key,
        balance_after=balance_after,
    )


def _same_or_conflict(entry: LedgerEntry, profile, posting: Posting) -> LedgerEntry:
    if entry.account.profile_id != profile.pk or entry.amount != posting.amount or entry.kind != posting.kind:
        raise IdempotencyConflict(f"The idempotency key {posting.idempotency_key!r} was used for another posting")
    return entry


def balance_of(profile) -> int:
    account = PointsAccount.objects.filter(profile=profile).only("balance").first()
    return account.balance if account else 0


@dataclass(frozen=True)
class Drift:
    account_id: int
    profile_id: int
    balance: int
    sum_of_entries: int


def find_drift() -> list[Drift]:
    """Accounts whose balance differs from the sum of their entries (there should be none)."""
    sums = dict(
        LedgerEntry.objects.values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total")
    )
    drift = []
    for account in PointsAccount.objects.only("pk", "profile_id", "balance").iterator(chunk_size=5000):
        total = sums.get(account.pk, 0)
        if total != account.balance:
            drift.append(Drift(account.pk, account.profile_id, account.balance, total))
    return drift


@transaction.atomic
def post_many(postings: list[tuple[object, Posting]]) -> int:
    """Bulk ``post`` for imports and seeding: credits only, accounts locked, entries written in batches.

    Returns how many entries were written; keys already in the ledger are skipped.
    """
    if any(posting.amount <= 0 for _, posting in postings):
        raise PointsError("post_many only credits; debit with post()")
    keys = [posting.idempotency_key for _, posting in postings]
    seen = set(LedgerEntry.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
    fresh = [(profile, posting) for profile, posting in postings if posting.idempotency_key not in seen]
    if not fresh:
        return 0
    profile_ids = {profile.pk for profile, _ in fresh}
    existing = set(PointsAccount.objects.filter(profile_id__in=profile_ids).values_list("profile_id", flat=True))
    PointsAccount.objects.bulk_create(
        [PointsAccount(profile_id=pk) for pk in profile_ids - existing], ignore_conflicts=True
    )
    accounts = {a.profile_id: a for a in PointsAccount.objects.select_for_update().filter(profile_id__in=profile_ids)}
    entries = []
    credited = defaultdict(int)
    for profile, posting in fresh:
        account = accounts[profile.pk]
        account.balance += posting.amount
        credited[account.pk] += posting.amount
        entries.append(_entry(account, posting, account.balance))
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    # One UPDATE per distinct credit (a handful for seeded awards), not a CASE over every account.
    by_credit = defaultdict(list)
    for pk, credit in credited.items():
        by_credit[credit].append(pk)
    for credit, pks in by_credit.items():
        for start in range(0, len(pks), 2000):
            PointsAccount.objects.filter(pk__in=pks[start : start + 2000]).update(balance=F("balance") + credit)
    return len(entries)


def gift(profile, points: int, reason: str, *, given_by, idempotency_key: str | None = None) -> LedgerEntry:
    """A moderator's gift of points, with a reason: at most ``POINTS_GIFT_MAX`` at a time, and at most
    ``POINTS_GIFT_DAILY_MAX`` a day from one moderator, never to themselves.

    Raises ``PointsError`` (bad amount or reason), ``NotAllowed`` (a gift to oneself) or
    ``GiftLimitReached`` (the day's allowance is spent). A replayed ``idempotency_key`` returns the
    first gift and counts once. The giver's user row is locked first, then the member's points
    account (``post``): concurrent gifts by one moderator cannot both pass the daily limit.
    """
    maximum = settings.POINTS_GIFT_MAX
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise PointsError("A gift is a whole number of points, at least 1", field="points")
    if points > maximum:
        raise PointsError(f"A gift is at most {maximum} points", field="points")
    if not (reason or "").strip():
        raise PointsError("Say why the points are given", field="reason")
    if given_by is None:
        raise NotAllowed("Points are gifted by a signed-in moderator, whom the audit names; not by an API token.")
    if profile.user_id == given_by.pk:
        raise NotAllowed("Moderators cannot gift points to themselves; ask another moderator.")
    key = idempotency_key or f"gift:{secrets.token_hex(16)}"
    with transaction.atomic():
        if not LedgerEntry.objects.filter(idempotency_key=key).exists():
            _check_daily_gifts(given_by, points)
        entry = post(profile, Posting(points, EntryKind.GIFT, f"Gift: {reason.strip()}", key, actor=given_by))
        log(
            profile,
            "community.points.gift",
            user=given_by,
            data={"points": points, "reason": reason.strip(), "by": given_by.get_username()},
        )
    return entry


def gifted_today(given_by) -> int:
    """Points ``given_by`` gifted in the last 24 hours."""
    since = timezone.now() - timedelta(days=1)
    gifts = LedgerEntry.objects.filter(actor=given_by, kind=EntryKind.GIFT, created_at__gte=since)
    return gifts.aggregate(total=Sum("amount"))["total"] or 0


def _check_daily_gifts(given_by, points: int) -> None:
    # The giver's user row is the lock: one moderator's gifts are counted one at a time.
    get_user_model().objects.select_for_update().filter(pk=given_by.pk).first()
    allowance = settings.POINTS_GIFT_DAILY_MAX
    given = gifted_today(given_by)
    if given + points > allowance:
        left = max(allowance - given, 0)
        raise GiftLimitReached(
            f"A moderator gifts at most {allowance} points a day; you have {left} left for the next 24 hours.",
            field="points",
        )


def balance_expression():
    """A profile's balance as the database computes it (for filters and sort over profiles)."""
    return Coalesce(F("points_account__balance"), Value(0), output_field=BigIntegerField())


def balance_annotations() -> dict:
    """``points_balance`` and ``points_activity`` as expressions a profile's row can be read with: on a
    profile read so, ``load_balances`` reads nothing."""
    return {
        "points_balance": balance_expression(),
        "points_activity": Coalesce(F("points_account__activity"), Value(0), output_field=BigIntegerField()),
    }


def add_activity(profile, by: int = 1) -> None:
    """Count activity toward reputation (called by the rules engine with each counted event)."""
    account_for(profile)
    PointsAccount.objects.filter(profile=profile).update(activity=F("activity") + by)


def load_balances(profiles) -> None:
    """Set ``points_balance`` and ``points_activity`` on each profile with one query for the batch (none
    for the profiles read with ``balance_annotations``)."""
    pending = [p for p in profiles if not hasattr(p, "points_balance")]
    if not pending:
        return
    rows = PointsAccount.objects.filter(profile_id__in={p.pk for p in pending}).values_list(
        "profile_id", "balance", "activity"
    )
    found = {profile_id: (balance, activity) for profile_id, balance, activity in rows}
    for profile in pending:
        profile.points_balance, profile.points_activity = found.get(profile.pk, (0, 0))


@dataclass(frozen=True)
class Statement:
    balance: int
    total: int  # entries in all
    entries: list  # one page of them, newest first


def statement(profile, offset: int, limit: int) -> Statement:
    """The balance and one page of the member's entries, newest first, with the number of entries: two queries.

    The total comes with the page (a window count), so it costs a query of its own only past the last page.
    """
    account = PointsAccount.objects.filter(profile=profile).values_list("pk", "balance").first()
    if account is None:
        return Statement(0, 0, [])
    account_id, balance = account
    entries = LedgerEntry.objects.filter(account_id=account_id).order_by("-created_at", "-pk")
    page = list(
        entries.defer("idempotency_key", "actor", "account").annotate(total=Window(Count("pk")))[
            offset : offset + limit
        ]
    )
    total = page[0].total if page else entries.count()
    return Statement(balance, total, page)


def history(profile):
    """The member's entries, newest first (a queryset, for paginating)."""
    return LedgerEntry.objects.filter(account__profile=profile).select_related("actor").order_by("-created_at", "-pk")
