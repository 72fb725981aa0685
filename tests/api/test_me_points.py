"""A member's own points and achievements; public profiles show points but never the ledger."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.achievements.services import award_achievement
from plugins.points.services import Posting, post
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(community):
    user = factories.UserFactory()
    community["linus"].user = user
    community["linus"].save()
    return user


def test_my_points_newest_first_with_achievement_icons_and_next_reward(client, community, member):
    linus = community["linus"]
    oracle = community["oracle"]
    oracle.icon = factories.ImageFactory()
    oracle.save()
    award_achievement(linus, community["first_answer"])
    award_achievement(linus, oracle)
    post(linus, Posting(5, "gift", "Gift: thanks", "g1"))
    body = client.get("/api/users/me/points?pagination[pageSize]=2", **bearer(member)).json()
    assert body["data"]["balance"] == 115
    assert [t["amount"] for t in body["data"]["transactions"]] == [5, 100]
    assert body["data"]["transactions"][1]["achievement"]["title"] == "Oracle"
    assert body["data"]["transactions"][1]["achievement"]["icon"]["url"]
    assert body["meta"]["pagination"]["total"] == 3
    # Stickers cost 100 and $10 credit 400: the next one out of reach is the credit.
    assert body["data"]["nextReward"]["title"] == "$10 credit"
    assert body["data"]["nextReward"]["message"] == "285 more points for $10 credit"


def test_my_achievements_earned_and_open_with_progress(client, community, member):
    award_achievement(community["linus"], community["first_answer"])
    factories.AchievementFactory(title="Five questions", trigger="questions_asked", threshold=5)
    body = client.get("/api/users/me/achievements", **bearer(member)).json()["data"]
    assert [a["title"] for a in body["earned"]] == ["First answer"]
    open_ = {a["title"]: a for a in body["open"]}
    assert open_["Five questions"]["progress"] == {"count": 0, "threshold": 5}
    assert "progress" not in open_["Oracle"]


def test_the_public_profile_shows_points_not_the_ledger(client, community, member):
    post(community["ada"], Posting(40, "gift", "Gift: secret reason", "g2"))
    row = client.get(f"/api/profiles/{community['ada'].document_id}").json()["data"]
    assert row["points"] == 40
    assert (
        "secret reason" not in client.get(f"/api/profiles/{community['ada'].document_id}?populate=*").content.decode()
    )


def test_anonymous_callers_have_no_points_endpoint(client, community):
    assert client.get("/api/users/me/points").status_code == 403
    assert client.get("/api/users/me/achievements").status_code == 403


def test_profiles_are_read_with_their_balance_joined_not_loaded_after(client, community):
    """``ContentType.annotations``: a profile's points come with its row (findOne, a list, a populate),
    so the batch loader asks nothing more; a profile with no account reads 0."""
    ada, grace = community["ada"], community["grace"]
    post(ada, Posting(40, "gift", "Gift", "g3"))
    post(grace, Posting(7, "gift", "Gift", "g4"))
    with CaptureQueriesContext(connection) as queries:
        one = client.get(f"/api/profiles/{ada.document_id}").json()["data"]
        listed = client.get("/api/profiles?sort=points:desc&fields[0]=firstName&fields[1]=points").json()["data"]
        team = client.get(f"/api/teams/{community['growth'].document_id}?populate[profiles]=true").json()["data"]
    assert one["points"] == 40 and one["reputation"] == 40 and one["reputationTier"]["tier"] == 1
    assert [(p["firstName"], p["points"]) for p in listed][:3] == [("Ada", 40), ("Grace", 7), ("Linus", 0)]
    assert {p["firstName"]: p["points"] for p in team["profiles"]} == {"Ada": 40}
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "points_pointsaccount"')]
