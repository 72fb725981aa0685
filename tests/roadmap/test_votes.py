"""Roadmap votes (one per member, removable, counted in the API) and following an item's updates."""

import pytest
from django.core import mail

from plugins.achievements.models import AchievementAward
from plugins.achievements.triggers import Trigger
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def test_vote_once_take_back_and_counts(client, django_capture_on_commit_callbacks):
    item = factories.RoadmapItemFactory(title="Mobile replay")
    factories.AchievementFactory(title="Voter", trigger=Trigger.ROADMAP_VOTES, points=5)
    members = [factories.UserFactory() for _ in range(3)]
    url = f"/api/roadmaps/{item.document_id}/vote"
    assert client.put(url).status_code == 403
    for user in members:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.put(url, **bearer(user)).status_code == 200
    again = client.put(url, **bearer(members[0])).json()["data"]
    assert again["votes"] == 3 and again["voted"] is True
    assert client.delete(url, **bearer(members[1])).json()["data"] == {
        "roadmap": item.document_id,
        "votes": 2,
        "voted": False,
        "following": False,
    }
    listed = client.get("/api/roadmaps").json()["data"]
    assert listed[0]["votes"] == 2
    assert client.get("/api/roadmaps?filters[title][$eq]=Mobile replay&fields[0]=votes").json()["data"][0]["votes"] == 2
    assert AchievementAward.objects.filter(achievement__title="Voter").count() == 3
    assert client.put("/api/roadmaps/nope/vote", **bearer(members[0])).status_code == 404


def test_followers_hear_of_updates(client, superuser, django_capture_on_commit_callbacks):
    item = factories.RoadmapItemFactory(title="Mobile replay")
    item.save_revision().publish()
    follower = factories.UserFactory(email="follower@example.com")
    assert client.put(f"/api/roadmaps/{item.document_id}/subscription", **bearer(follower)).json()["data"]["following"]
    item.beta_available = True
    with django_capture_on_commit_callbacks(execute=True):
        item.save_revision(user=superuser).publish(user=superuser)
    assert [m.to for m in mail.outbox] == [["follower@example.com"]]
    assert "in beta" in mail.outbox[0].body
