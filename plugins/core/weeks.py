"""Calendar weeks for weekly figures: Monday to Sunday in the site's time zone (``TIME_ZONE``).

The database groups by week with ``TruncWeek`` and Python with ``week_of``: both start a week on a
Monday at midnight in the current time zone, so figures grouped either way line up.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def week_of(moment: datetime) -> date:
    """The Monday of the week ``moment`` falls in, in the current time zone."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def recent_weeks(count: int, now: datetime | None = None) -> list[date]:
    """The Mondays of the last ``count`` weeks, oldest first; the last is the current week."""
    current = week_of(now or timezone.now())
    return [current - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day``, in the current time zone (a week's start, from its Monday)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def start_of_month(now: datetime | None = None) -> datetime:
    """Midnight on the first of the current month, in the current time zone."""
    return start_of(timezone.localtime(now or timezone.now()).date().replace(day=1))
