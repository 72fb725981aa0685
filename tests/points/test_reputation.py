import pytest

from plugins.achievements.rules import record
from plugins.points.reputation import tier_for
from plugins.points.services import Posting, post
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("points", "activity", "name"),
    [
        (0, 0, "Newcomer"),
        (49, 10, "Newcomer"),
        (50, 3, "Contributor"),
        (10_000, 3, "Contributor"),
        (600, 40, "Expert"),
        (5000, 250, "Legend"),
    ],
)
def test_both_points_and_activity_must_reach_a_tier(points, activity, name):
    assert tier_for(points, activity).name == name


def test_the_public_profile_shows_the_tier(client):
    member = factories.ProfileFactory()
    post(member, Posting(250, "gift", "Gift", "g"))
    for _ in range(20):
        record(member, "answers_posted")
    row = client.get(f"/api/profiles/{member.document_id}").json()["data"]
    assert row["reputationTier"] == {"tier": 3, "name": "Regular"} and row["points"] == 250
    assert row["reputation"] == 250
