"""The rewards store: redeeming points for products, ordering them, cancelling, account credits, stock.

Locks are always taken in one order — the member's points account, then the product — so that
concurrent redemptions, cancellations and gifts cannot deadlock.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.log_actions import log

from plugins.core.errors import Conflict
from plugins.core.events import emit
from plugins.core.ttl_cache import TtlCache
from plugins.points.models import EntryKind
from plugins.points.services import Posting, lock_account, post
from plugins.rewards import codes
from plugins.rewards.models import (
    CreditGrant,
    Redemption,
    RedemptionStatus,
    RewardKind,
    RewardProduct,
    ShippingOrder,
)


class StoreError(Conflict):
    """A store action that cannot be done now (no stock, not enough points, …); the message says why."""


class IdempotencyKeyReused(StoreError):
    """The member used the key before to redeem a different product."""


# What a shipping order is made of; all but these are refused.
ORDER_FIELDS = ("name", "line1", "line2", "city", "postal_code", "region", "country")


def in_stock_q(prefix: str = "") -> Q:
    """Products that can still be had: unlimited stock, or some left."""
    return Q(**{f"{prefix}stock__isnull": True}) | Q(**{f"{prefix}stock__gt": 0})


def listed_products():
    """What the store shows: published products in stock, cheapest first."""
    return RewardProduct.objects.filter(in_stock_q(), live=True)


# The listed products' names and prices, read on every member's points page; kept a few seconds.
_catalogue = TtlCache(5)


def store_catalogue() -> list[dict]:
    """The listed products as ``{document_id, title, price, kind}``, cheapest first (cached for a few seconds)."""
    return _catalogue.get(
        lambda: list(listed_products().order_by("price", "pk").values("document_id", "title", "price", "kind"))
    )


def forget_catalogue(**kwargs) -> None:
    """Stock or a product changed: the next catalogue read goes to the database."""
    _catalogue.forget()


def unredeemed_credits(profile) -> list[RewardProduct]:
    """Published account credits enabled for the member and not redeemed (or whose redemption was cancelled)."""
    enabled = list(CreditGrant.objects.filter(profile=profile).values_list("product_id", flat=True))
    if not enabled:  # most members: one small indexed query and done
        return []
    used = Redemption.objects.filter(profile=profile, kind=RewardKind.ACCOUNT_CREDIT).exclude(
        status=RedemptionStatus.CANCELLED
    )
    return list(RewardProduct.objects.filter(pk__in=enabled, live=True).exclude(pk__in=used.values("product_id")))


@dataclass(frozen=True)
class CreditStatus:
    """The account credit a member may redeem (or has redeemed): what posthog.com's credit tile shows."""

    product: RewardProduct | None  # the credit enabled for them and not yet used, if any
    redemption: Redemption | None  # their redemption of an account credit, if any (not cancelled)
    attempts: int = 0  # their redemptions of ``product`` so far, cancelled ones included


def account_credit_status(profile) -> CreditStatus:
    """Whether the member has an account credit to redeem, and the one they redeemed."""
    if profile is None:
        return CreditStatus(None, None)
    redemption = (
        Redemption.objects.filter(profile=profile, kind=RewardKind.ACCOUNT_CREDIT)
        .exclude(status=RedemptionStatus.CANCELLED)
        .order_by("-created_at")
        .first()
    )
    available = unredeemed_credits(profile)
    product = available[0] if available else None
    attempts = Redemption.objects.filter(profile=profile, product=product).count() if product else 0
    return CreditStatus(product, redemption, attempts)


@dataclass(frozen=True)
class RedeemResult:
    redemption: Redemption
    created: bool  # False when the idempotency key had already made this redemption


def redeem(profile, product: RewardProduct, *, idempotency_key: str) -> RedeemResult:
    """Spend the member's points on ``product``: take a unit of stock, debit the price, make the redemption.

    Everything happens in one transaction under the member's account lock, or nothing does. The
    same ``idempotency_key`` (per member) returns the redemption it made the first time. Raises
    ``StoreError`` with a message for the member when the product is unpublished, out of stock, not
    enabled for them (account credits), already redeemed (account credits), or too expensive.
    """
    key = f"{profile.pk}:{idempotency_key}"
    existing = _replay(key, product)
    if existing is not None:
        return RedeemResult(existing, created=False)
    with transaction.atomic():
        account = lock_account(profile)
        # A concurrent request with the same key may have committed while this one waited for the lock.
        existing = _replay(key, product)
        if existing is not None:
            return RedeemResult(existing, created=False)
        product = RewardProduct.objects.get(pk=product.pk)
        _check_redeemable(profile, product)
        if account.balance < product.price:
            missing = product.price - account.balance
            raise StoreError(
                f"Not enough points: {product.title} costs {product.price} and you have {account.balance} "
                f"({missing} more needed)."
            )
        took_stock = _take_stock(product)
        redemption = Redemption.objects.create(
            profile=profile,
            product=product,
            title=product.title,
            kind=product.kind,
            price=product.price,
            discount_amount=product.discount_amount,
            status=RedemptionStatus.AWAITING_ORDER if product.rules.ships else RedemptionStatus.ISSUED,
            idempotency_key=key,
            took_stock=took_stock,
        )
        if product.price:
            post(
                profile,
                Posting(
                    -product.price,
                    EntryKind.REDEMPTION,
                    f"Redeemed: {product.title}",
                    f"redemption:{redemption.pk}",
                    actor=profile.user,
                    related=redemption.ledger_label,
                ),
            )
        if product.rules.yields_code:
            _issue_code(redemption)
        log(profile, "community.reward.redeem", user=profile.user, data=_log_data(redemption))
        emit("reward_redeemed", redemption_id=redemption.pk)
    return RedeemResult(redemption, created=True)


def _replay(key: str, product: RewardProduct) -> Redemption | None:
    existing = Redemption.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.product_id != product.pk:
        raise IdempotencyKeyReused("This Idempotency-Key was already used to redeem another product.")
    return existing


def _check_redeemable(profile, product: RewardProduct) -> None:
    if not product.live:
        raise StoreError(f"{product.title} is not available in the store right now.")
    if product.rules.per_member:
        if not CreditGrant.objects.filter(profile=profile, product=product).exists():
            raise StoreError(f"{product.title} has not been enabled for you; a moderator enables it per member.")
        taken = Redemption.objects.filter(profile=profile, product=product).exclude(status=RedemptionStatus.CANCELLED)
        if taken.exists():
            raise StoreError(f"You have already redeemed {product.title}; it is redeemable once.")


def _take_stock(product: RewardProduct) -> bool:
    """Take one unit atomically; False when the stock is unlimited."""
    if product.stock is None:
        return False
    # The conditional UPDATE decides under the row's lock: concurrent buyers of the last unit cannot both win.
    if not RewardProduct.objects.filter(pk=product.pk, stock__gt=0).update(stock=F("stock") - 1):
        raise StoreError(f"{product.title} is out of stock.")
    transaction.on_commit(forget_catalogue)
    return True


def _issue_code(redemption: Redemption) -> None:
    provider = codes.provider()
    for _ in range(codes.ISSUE_ATTEMPTS):
        code = provider.issue(redemption)
        try:
            with transaction.atomic():
                Redemption.objects.filter(pk=redemption.pk).update(code=code, store_url=codes.store_url(code))
        except IntegrityError:
            continue  # the code exists already: ask for another
        redemption.code, redemption.store_url = code, codes.store_url(code)
        return
    raise codes.CodeProviderError("Could not issue a unique discount code; please try again.")


def place_order(redemption: Redemption, details: dict) -> ShippingOrder:
    """The member's shipping details for a redeemed product; validated, saved once, then to fulfil.

    ``details`` holds ``ORDER_FIELDS``; a ``django.core.exceptions.ValidationError`` names any
    field that is wrong. Raises ``StoreError`` when the redemption is not a product awaiting its order.
    """
    unknown = set(details) - set(ORDER_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
        if not redemption.rules.ships:
            raise StoreError(f"{redemption.title} is a credit: there is nothing to ship.")
        if redemption.status != RedemptionStatus.AWAITING_ORDER:
            raise StoreError(f"This redemption is {redemption.get_status_display().lower()}; it cannot be ordered.")
        order = ShippingOrder(redemption=redemption, **{k: _text(v, k) for k, v in details.items()})
        order.full_clean()
        order.save()
        redemption.status = RedemptionStatus.ORDERED
        redemption.save(update_fields=["status", "updated_at"])
        emit("reward_ordered", redemption_id=redemption.pk)
    return order


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({name: "Must be text."})
    return value.strip()


def cancel_redemption(redemption: Redemption, *, cancelled_by, reason: str) -> Redemption:
    """A moderator cancels a redemption: the points are refunded, the stock restored, any code voided.

    A fulfilled or already cancelled redemption cannot be cancelled (``StoreError``).
    """
    reason = (reason or "").strip()
    if not reason:
        raise StoreError("Say why the redemption is cancelled.")
    with transaction.atomic():
        lock_account(redemption.profile)
        redemption = (
            Redemption.objects.select_related("profile", "product")
            .select_for_update(of=("self",))
            .get(pk=redemption.pk)
        )
        if redemption.status == RedemptionStatus.CANCELLED:
            raise StoreError("This redemption is already cancelled.")
        if redemption.status == RedemptionStatus.FULFILLED:
            raise StoreError("This redemption has been fulfilled; it can no longer be cancelled.")
        if redemption.code:
            codes.provider().void(redemption)
        if redemption.price:
            post(
                redemption.profile,
                Posting(
                    redemption.price,
                    EntryKind.REFUND,
                    f"Refund: {redemption.title} ({reason})",
                    f"refund:{redemption.pk}",
                    actor=cancelled_by,
                    related=redemption.ledger_label,
                ),
            )
        if redemption.took_stock:
            RewardProduct.objects.filter(pk=redemption.product_id).update(stock=F("stock") + 1)
            transaction.on_commit(forget_catalogue)
        redemption.status = RedemptionStatus.CANCELLED
        redemption.cancelled_at, redemption.cancelled_by = timezone.now(), cancelled_by
        redemption.cancel_reason = reason[:255]
        redemption.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
        log(redemption.profile, "community.reward.cancel", user=cancelled_by, data=_log_data(redemption, reason))
        emit("reward_cancelled", redemption_id=redemption.pk)
    return redemption


def fulfil(redemption: Redemption, *, fulfilled_by) -> Redemption:
    """A moderator sent the ordered product: the order is no longer open."""
    with transaction.atomic():
        redemption = Redemption.objects.select_related("profile").select_for_update(of=("self",)).get(pk=redemption.pk)
        if redemption.status != RedemptionStatus.ORDERED:
            status = redemption.get_status_display().lower()
            raise StoreError(f"Only an ordered product can be fulfilled; this one is {status}.")
        redemption.status = RedemptionStatus.FULFILLED
        redemption.fulfilled_at, redemption.fulfilled_by = timezone.now(), fulfilled_by
        redemption.save(update_fields=["status", "fulfilled_at", "fulfilled_by", "updated_at"])
        log(redemption.profile, "community.reward.fulfil", user=fulfilled_by, data=_log_data(redemption))
    return redemption


def enable_account_credit(profile, product: RewardProduct, *, enabled_by, note: str = "") -> CreditGrant:
    """A moderator lets one member redeem an account credit (once). Enabling it twice changes nothing."""
    if not product.rules.per_member:
        raise StoreError(f"{product.title} is not an account credit.")
    with transaction.atomic():
        grant, created = CreditGrant.objects.get_or_create(
            profile=profile, product=product, defaults={"enabled_by": enabled_by, "note": (note or "")[:255]}
        )
        if created:
            log(profile, "community.reward.credit_enable", user=enabled_by, data={"product": product.title})
    return grant


def restock(product: RewardProduct, *, stock: int | None, changed_by) -> RewardProduct:
    """Set the stock (None: unlimited), under the product's row lock so that no sale is lost meanwhile."""
    if stock is not None and (isinstance(stock, bool) or not isinstance(stock, int) or stock < 0):
        raise StoreError("Stock is a whole number, 0 or more (or empty for unlimited).")
    with transaction.atomic():
        before = RewardProduct.objects.select_for_update().values_list("stock", flat=True).get(pk=product.pk)
        RewardProduct.objects.filter(pk=product.pk).update(stock=stock)
        transaction.on_commit(forget_catalogue)
        product.stock = stock
        log(product, "community.reward.restock", user=changed_by, data={"from": before, "to": stock})
    return product


def _log_data(redemption: Redemption, reason: str = "") -> dict:
    data = {"redemption": redemption.document_id, "product": redemption.title, "points": redemption.price}
    if reason:
        data["reason"] = reason
    return data


@transaction.atomic
def delete_product(product: RewardProduct) -> None:
    """Delete a product nobody redeemed.

    Raises ``StoreError`` (a conflict) once it was redeemed: the redemptions are members' orders and
    the ledger's reasons. Unpublishing takes it out of the store instead.
    """
    redeemed = Redemption.objects.filter(product=product).count()
    if redeemed:
        times = "once" if redeemed == 1 else f"{redeemed} times"
        raise StoreError(
            f"“{product}” cannot be deleted: it was redeemed {times}, and those orders keep their history. "
            "Unpublish it instead, so that it leaves the store."
        )
    product.delete()
