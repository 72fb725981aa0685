"""The store's figures for the community dashboard: the orders still to deal with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from plugins.rewards.models import Redemption, RedemptionStatus


@dataclass(frozen=True)
class OpenOrders:
    to_fulfil: int  # ordered with an address: a moderator sends them (the admin's "Open orders")
    awaiting_order: int  # redeemed products whose member has not yet given an address
    oldest_to_fulfil: datetime | None  # when the longest-waiting of ``to_fulfil`` was ordered


def open_orders() -> OpenOrders:
    """The open redemptions of products (``Redemption.is_open``), by what they wait for: one query."""
    ordered = Q(status=RedemptionStatus.ORDERED)
    figures = Redemption.objects.aggregate(
        to_fulfil=Count("pk", filter=ordered),
        awaiting_order=Count("pk", filter=Q(status=RedemptionStatus.AWAITING_ORDER)),
        oldest_to_fulfil=Min("order__created_at", filter=ordered),
    )
    return OpenOrders(**figures)
