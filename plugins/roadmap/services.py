"""Votes on roadmap items and following their updates."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count

from plugins.core.events import emit
from plugins.roadmap.models import RoadmapItem, RoadmapSubscription, RoadmapVote


def vote(profile, item: RoadmapItem) -> bool:
    """Vote for ``item`` (once; again changes nothing). True if this was a new vote; emits ``roadmap_voted``."""
    try:
        with transaction.atomic():
            RoadmapVote.objects.create(item=item, profile=profile)
            emit("roadmap_voted", profile_id=profile.pk, item_id=item.pk)
    except IntegrityError:
        return False
    return True


def unvote(profile, item: RoadmapItem) -> bool:
    """Take the vote back; True if there was one."""
    deleted, _ = RoadmapVote.objects.filter(item=item, profile=profile).delete()
    return bool(deleted)


def follow(profile, item: RoadmapItem) -> None:
    """Hear of the item's updates; following twice changes nothing."""
    RoadmapSubscription.objects.get_or_create(item=item, profile=profile)


def unfollow(profile, item: RoadmapItem) -> None:
    RoadmapSubscription.objects.filter(item=item, profile=profile).delete()


def load_vote_counts(items) -> None:
    """Set ``vote_count`` on each item with one grouped query."""
    counts = dict(
        RoadmapVote.objects.filter(item__in=[i.pk for i in items])
        .values("item_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    )
    for item in items:
        item.vote_count = counts.get(item.pk, 0)


def liked_items(profile) -> list[RoadmapItem]:
    """The roadmap items the member voted for."""
    return list(RoadmapItem.objects.filter(votes__profile=profile))


def followed_items(profile) -> list[RoadmapItem]:
    """The roadmap items whose updates the member hears of."""
    return list(RoadmapItem.objects.filter(subscriptions__profile=profile))
