"""No N+1: a list request's query count does not grow with the page size or the related rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.roadmap.models import RoadmapVote, TeamUpdate
from plugins.teams.models import forget_pineapple_counts
from tests import factories
from tests.api.helpers import get

pytestmark = pytest.mark.django_db


def make_profiles(n):
    from plugins.achievements.models import AchievementAward

    for _ in range(n):
        team = factories.TeamFactory(crest=factories.ImageFactory())
        profile = factories.ProfileFactory(avatar=factories.ImageFactory(), teams=[team])
        profile.lead_teams.add(team, factories.TeamFactory())
        for _ in range(3):
            achievement = factories.AchievementFactory(icon=factories.ImageFactory())
            AchievementAward.objects.create(profile=profile, achievement=achievement)
        for _ in range(2):
            RoadmapVote.objects.create(
                profile=profile, item=factories.RoadmapItemFactory(image=factories.ImageFactory())
            )


def make_teams(n):
    for _ in range(n):
        team = factories.TeamFactory(crest=factories.ImageFactory(), team_image=factories.ImageFactory())
        for _ in range(2):
            factories.ProfileFactory(teams=[team], avatar=factories.ImageFactory())
        factories.JobListingFactory(teams=[team])


def make_jobs(n):
    for _ in range(n):
        factories.JobListingFactory(teams=[factories.TeamFactory(), factories.TeamFactory()])


def make_achievements(n):
    for _ in range(n):
        factories.AchievementFactory(group=factories.AchievementGroupFactory(), icon=factories.ImageFactory())


def make_groups(n):
    for _ in range(n):
        group = factories.AchievementGroupFactory()
        factories.AchievementFactory(group=group)
        factories.AchievementFactory(group=group)


def make_rewards(n):
    for _ in range(n):
        factories.RewardProductFactory(image=factories.ImageFactory())


def make_roadmap(n):
    for _ in range(n):
        factories.RoadmapItemFactory(
            teams=[factories.TeamFactory(), factories.TeamFactory()], image=factories.ImageFactory()
        )


def make_team_updates(n):
    for _ in range(n):
        team = factories.TeamFactory(crest=factories.ImageFactory())
        factories.ProfileFactory(teams=[team], avatar=factories.ImageFactory())
        question = factories.QuestionFactory()
        factories.ReplyFactory(question=question)
        roadmap = factories.RoadmapItemFactory(teams=[team], image=factories.ImageFactory())
        TeamUpdate.objects.create(team=team, question=question, roadmap=roadmap)


CASES = {
    "team-updates": (
        make_team_updates,
        {
            "populate": {
                "team": {"populate": ["profiles", "crest"]},
                "question": {"populate": ["replies", "profile"]},
                "roadmap": {"populate": ["image", "teams", "likes"]},
            }
        },
    ),
    "roadmaps": (make_roadmap, {"populate": {"teams": {"populate": ["miniCrest"]}, "image": True, "cta": True}}),
    "profiles": (
        make_profiles,
        {
            "populate": {
                "teams": {"populate": "*"},
                "leadTeams": True,
                "avatar": True,
                "achievements": {"populate": {"achievement": {"populate": "*"}}},
                "roadmapLikes": {"populate": ["image"]},
            }
        },
    ),
    "teams": (
        make_teams,
        {
            "populate": {
                "profiles": {"populate": ["avatar"]},
                "leadProfiles": True,
                "jobs": True,
                "crest": True,
                "miniCrest": True,
                "teamImage": {"populate": "*"},
            }
        },
    ),
    "jobs": (make_jobs, {"populate": {"teams": {"populate": ["profiles", "crest"]}}}),
    "achievements": (make_achievements, {"populate": "*"}),
    "achievement-groups": (make_groups, {"populate": {"achievements": {"populate": "*"}}}),
    "reward-products": (make_rewards, {"populate": "*"}),
}


def count_queries(client, plural, params) -> tuple[int, int]:
    get(client, plural)  # warm the per-process permission cache, which is not per request
    forget_pineapple_counts()  # and start each measurement with the same (empty) counts cache
    with CaptureQueriesContext(connection) as queries:
        response = get(client, plural, {**params, "pagination": {"pageSize": 100}})
    assert response.status_code == 200, response.content[:500]
    return len(queries), len(response.json()["data"])


@pytest.mark.parametrize("plural", CASES)
def test_list_queries_do_not_grow_with_rows(client, plural):
    make, params = CASES[plural]
    make(2)
    few, rows_few = count_queries(client, plural, params)
    make(6)
    many, rows_many = count_queries(client, plural, params)
    assert rows_many > rows_few
    assert many == few, f"{plural}: {few} queries for {rows_few} rows but {many} for {rows_many}"


@pytest.mark.parametrize("plural", CASES)
def test_find_one_with_populate_is_a_fixed_small_number_of_queries(client, plural):
    make, params = CASES[plural]
    make(3)
    document_id = get(client, plural).json()["data"][0]["documentId"]
    with CaptureQueriesContext(connection) as queries:
        assert get(client, f"{plural}/{document_id}", params).status_code == 200
    assert len(queries) <= 30  # one or two per populated relation, whatever the data
