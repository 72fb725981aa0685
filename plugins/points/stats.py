"""The ledger's weekly figures for the community dashboard: points earned, gifted and redeemed.

Each figure is net: a revoked achievement takes back what it earned, a refund gives back what was
redeemed. Adjustments are corrections, not community activity, and count in none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from plugins.core.weeks import recent_weeks, start_of, week_of
from plugins.points.models import EntryKind, LedgerEntry

# Which entries each figure sums, and its sign: redemptions are debits, shown as the points spent.
FIGURES = {
    "earned": ((EntryKind.ACHIEVEMENT, EntryKind.REPLY, EntryKind.REVERSAL), 1),
    "gifted": ((EntryKind.GIFT,), 1),
    "redeemed": ((EntryKind.REDEMPTION, EntryKind.REFUND), -1),
}


@dataclass(frozen=True)
class PointsWeek:
    week: date  # its Monday
    earned: int
    gifted: int
    redeemed: int


def weekly_points(weeks: int = 12, now: datetime | None = None) -> list[PointsWeek]:
    """For each of the last ``weeks`` weeks (``plugins.core.weeks``), oldest first, the points earned,
    gifted and redeemed in it (``FIGURES``): one aggregate query, grouped by week and kind."""
    now = now or timezone.now()
    mondays = recent_weeks(weeks, now)
    # order_by(): the ledger's default ordering would otherwise join the GROUP BY.
    rows = (
        LedgerEntry.objects.filter(created_at__gte=start_of(mondays[0]), created_at__lte=now)
        .annotate(week=TruncWeek("created_at"))
        .values("week", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    kind_figure = {kind: (name, sign) for name, (kinds, sign) in FIGURES.items() for kind in kinds}
    totals = {monday: dict.fromkeys(FIGURES, 0) for monday in mondays}
    for row in rows:
        week, figure = week_of(row["week"]), kind_figure.get(row["kind"])
        if figure is not None:
            name, sign = figure
            totals[week][name] += sign * row["total"]
    return [PointsWeek(week=monday, **totals[monday]) for monday in mondays]
