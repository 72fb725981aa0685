"""A profile's ``achievements``: the ones held now, through awards that were not revoked."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from plugins.achievements.models import AchievementAward
from tests import factories
from tests.api.helpers import get

pytestmark = pytest.mark.django_db


def award(profile, achievement, **kwargs):
    return AchievementAward.objects.create(profile=profile, achievement=achievement, **kwargs)


def test_populated_achievements_leave_out_revoked_and_unpublished_ones(client, community):
    ada = community["ada"]
    award(ada, community["first_answer"])
    award(ada, community["oracle"], revoked_at=timezone.now(), revoke_reason="mistake")
    award(ada, factories.AchievementFactory(title="Draft badge", live=False))
    row = get(client, f"profiles/{ada.document_id}", {"populate": {"achievements": {"fields": ["title", "points"]}}})
    assert [a["title"] for a in row.json()["data"]["achievements"]] == ["First answer"]


def test_filters_through_held_achievements(client, community):
    award(community["ada"], community["oracle"])
    award(community["grace"], community["oracle"], revoked_at=timezone.now())
    response = get(client, "profiles", {"filters": {"achievements": {"title": {"$eq": "Oracle"}}}})
    assert [p["firstName"] for p in response.json()["data"]] == ["Ada"]


def test_populate_sorts_and_filters_achievements(client, community):
    ada = community["ada"]
    award(ada, community["first_answer"])
    award(ada, community["oracle"])
    params = {
        "populate": {
            "achievements": {
                "sort": "points:desc",
                "fields": ["title"],
                "filters": {"points": {"$gte": 10}},
                "populate": ["group"],
            }
        }
    }
    row = get(client, f"profiles/{ada.document_id}", params).json()["data"]
    assert [a["title"] for a in row["achievements"]] == ["Oracle", "First answer"]
    assert row["achievements"][0]["group"]["name"] == "Answers"


def test_achievements_cannot_be_written_through_the_profile(client, community):
    import json

    from tests.api.helpers import bearer

    response = client.put(
        f"/api/profiles/{community['ada'].document_id}",
        data=json.dumps({"data": {"achievements": [community["oracle"].pk]}}),
        content_type="application/json",
        **bearer(factories.editor()),
    )
    assert response.status_code == 400 and "Invalid key achievements" in response.json()["error"]["message"]


def test_a_non_repeatable_achievement_cannot_be_held_twice(community):
    award(community["ada"], community["oracle"])
    with pytest.raises(IntegrityError), transaction.atomic():
        award(community["ada"], community["oracle"])
    # Once revoked, it can be awarded again; a repeatable one takes the next instance number.
    AchievementAward.objects.filter(profile=community["ada"]).update(revoked_at=timezone.now())
    award(community["ada"], community["oracle"])
    award(community["ada"], community["oracle"], instance=2)
    assert AchievementAward.objects.filter(profile=community["ada"], revoked_at__isnull=True).count() == 2
