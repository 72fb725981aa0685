"""Reputation: six tiers from a member's points and activity, thresholds in settings."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from plugins.points.services import load_balances


@dataclass(frozen=True)
class Tier:
    level: int
    name: str
    min_points: int
    min_activity: int


def tiers() -> list[Tier]:
    return [Tier(i + 1, name, points, activity) for i, (name, points, activity) in enumerate(settings.REPUTATION_TIERS)]


def tier_for(points: int, activity: int) -> Tier:
    """The highest tier whose points and activity thresholds are both met."""
    reached = [tier for tier in tiers() if points >= tier.min_points and activity >= tier.min_activity]
    return reached[-1] if reached else tiers()[0]


def load_reputation(profiles) -> None:
    """Set ``points_balance`` and ``reputation`` on each profile: one query for the batch."""
    load_balances(profiles)
    for profile in profiles:
        if not hasattr(profile, "reputation"):
            profile.reputation = tier_for(profile.points_balance, profile.points_activity)
