"""A profile's ``achievements``: the ones held now, through awards that were not revoked."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from plugins.achievements.models import AchievementAward
from tests import factories
from tests.api.helpers import bearer, get

pytestmark = pytest.mark.django_db


def award(profile, achievement, **kwargs):
    return AchievementAward.objects.create(profile=profile, achievement=achievement, **kwargs)


def test_populated_achievements_leave_out_revoked_and_unpublished_ones(client, community):
    ada = community["ada"]
    award(ada, community["first_answer"])
    award(ada, community["oracle"], revoked_at=timezone.now(), revoke_reason="mistake")
    award(ada, factories.AchievementFactory(title="Draft badge", live=False))
    params = {"populate": {"achievements": {"populate": {"achievement": {"fields": ["title", "points"]}}}}}
    row = get(client, f"profiles/{ada.document_id}", params)
    # PostHog's shape: one entry per award, its own id and hidden flag beside the achievement.
    [held] = row.json()["data"]["achievements"]
    assert held["achievement"]["title"] == "First answer" and held["hidden"] is False
    assert held["id"] == ada.achievement_awards.get(achievement=community["first_answer"]).pk


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
                "filters": {"points": {"$gte": 10}},
                "populate": {"achievement": {"fields": ["title"], "populate": ["achievement_group"]}},
            }
        }
    }
    row = get(client, f"profiles/{ada.document_id}", params).json()["data"]
    assert [a["achievement"]["title"] for a in row["achievements"]] == ["Oracle", "First answer"]
    assert row["achievements"][0]["achievement"]["achievement_group"]["Title"] == "Answers"


def test_a_member_hides_their_own_achievements_and_nobody_elses(client, community):
    ada, user = community["ada"], factories.UserFactory()
    ada.user = user
    ada.save()
    held = award(ada, community["oracle"])
    other = award(community["grace"], community["first_answer"])

    def put(entries, who=user):
        return client.put(
            f"/api/profiles/{ada.document_id}",
            data=json.dumps({"data": {"achievements": entries}}),
            content_type="application/json",
            **bearer(who),
        )

    assert put([{"id": held.pk, "hidden": True}]).status_code == 200
    held.refresh_from_db()
    assert held.hidden is True
    refused = put([{"id": other.pk, "hidden": True}])
    assert refused.status_code == 400 and "no achievement of yours" in refused.json()["error"]["message"]
    assert put([{"id": held.pk, "hidden": "yes"}]).status_code == 400
    assert put([{"id": held.pk, "hidden": False}], factories.UserFactory()).status_code == 403
    # The site build leaves a hidden one off the page; the API still lists it, marked.
    row = get(client, f"profiles/{ada.document_id}", {"populate": {"achievements": True}}).json()["data"]
    assert [(a["achievement"]["title"], a["hidden"]) for a in row["achievements"]] == [("Oracle", True)]


def test_achievements_cannot_be_awarded_through_the_profile(client, community):
    # Only the hidden flag of one's own awards changes there; awards come from the rules and moderators.
    response = client.put(
        f"/api/profiles/{community['ada'].document_id}",
        data=json.dumps({"data": {"achievements": [community["oracle"].pk]}}),
        content_type="application/json",
        **bearer(factories.editor()),
    )
    assert response.status_code == 400 and "each entry names its id" in response.json()["error"]["message"]
    assert not AchievementAward.objects.exists()


def test_a_non_repeatable_achievement_cannot_be_held_twice(community):
    award(community["ada"], community["oracle"])
    with pytest.raises(IntegrityError), transaction.atomic():
        award(community["ada"], community["oracle"])
    # Once revoked, it can be awarded again; a repeatable one takes the next instance number.
    AchievementAward.objects.filter(profile=community["ada"]).update(revoked_at=timezone.now())
    award(community["ada"], community["oracle"])
    award(community["ada"], community["oracle"], instance=2)
    assert AchievementAward.objects.filter(profile=community["ada"], revoked_at__isnull=True).count() == 2
