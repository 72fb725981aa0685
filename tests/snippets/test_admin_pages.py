"""Every snippet's list, create, edit, inspect and history pages render for an editor."""

import pytest
from django.urls import reverse

from plugins.forum.models import DocsTopicMapping, InternalTag, TopicGroup
from tests import factories

pytestmark = pytest.mark.django_db

SNIPPETS = {
    "profiles.profile": factories.ProfileFactory,
    "teams.team": factories.TeamFactory,
    "jobs.joblisting": factories.JobListingFactory,
    "achievements.achievement": factories.AchievementFactory,
    "achievements.achievementgroup": factories.AchievementGroupFactory,
    "rewards.rewardproduct": factories.RewardProductFactory,
    "roadmap.roadmapitem": factories.RoadmapItemFactory,
    "forum.question": factories.QuestionFactory,
    "forum.reply": factories.ReplyFactory,
    "forum.topic": factories.TopicFactory,
    "forum.topicgroup": lambda: TopicGroup.objects.create(
        label=["Product", "Platform"][TopicGroup.objects.count() % 2]
    ),
    "forum.docstopicmapping": lambda: DocsTopicMapping.objects.create(
        path_prefix=f"/docs/{DocsTopicMapping.objects.count()}/", topic=factories.TopicFactory()
    ),
    "forum.internaltag": lambda: InternalTag.objects.create(name=f"Internal: {InternalTag.objects.count()}"),
}
# Those whose list search matches their name (a reply is found by its text, a mapping by its path).
SEARCHABLE = [m for m in SNIPPETS if m not in ("forum.reply", "forum.docstopicmapping")]


def url(model: str, view: str, *args) -> str:
    app_label, model_name = model.split(".")
    return reverse(f"wagtailsnippets_{app_label}_{model_name}:{view}", args=args)


@pytest.fixture
def editor_client(client, editor_user):
    client.force_login(editor_user)
    return client


@pytest.mark.parametrize("model", SNIPPETS)
@pytest.mark.parametrize("view", ["list", "add"])
def test_list_and_create_pages_render(editor_client, model, view):
    SNIPPETS[model]()
    response = editor_client.get(url(model, view))
    assert response.status_code == 200
    assert b"Community" in response.content and b"Forum" in response.content  # the menu groups


@pytest.mark.parametrize("model", SNIPPETS)
@pytest.mark.parametrize("view", ["edit", "inspect", "history"])
def test_object_pages_render(editor_client, model, view):
    obj = SNIPPETS[model]()
    response = editor_client.get(url(model, view, obj.pk))
    assert response.status_code == 200
    assert str(obj).encode() in response.content


@pytest.mark.parametrize("model", SEARCHABLE)
def test_list_search_finds_by_name(editor_client, model):
    wanted, other = SNIPPETS[model](), SNIPPETS[model]()
    response = editor_client.get(url(model, "list_results"), {"q": str(wanted)})
    assert response.status_code == 200
    assert str(wanted).encode() in response.content
    assert str(other).encode() not in response.content


def test_team_list_shows_member_count_and_pineapple_verdict(editor_client):
    team = factories.TeamFactory(name="Pizza people")
    factories.ProfileFactory(pineapple_on_pizza=True, teams=[team])
    factories.ProfileFactory(pineapple_on_pizza=True, teams=[team])
    response = editor_client.get(url("teams.team", "list"))
    assert b"Pineapple belongs on pizza" in response.content


def test_profile_list_filters_team_members(editor_client):
    from datetime import date

    team = factories.TeamFactory()
    member = factories.ProfileFactory(first_name="Teamy", start_date=date(2020, 1, 1), teams=[team])
    outsider = factories.ProfileFactory(first_name="Outsidey")
    response = editor_client.get(url("profiles.profile", "list_results"), {"team_member": "true"})
    assert member.first_name.encode() in response.content
    assert outsider.first_name.encode() not in response.content


def test_creating_an_achievement_through_the_form_validates_points(editor_client):
    response = editor_client.post(url("achievements.achievement", "add"), {"title": "Zero", "points": "0"})
    assert response.status_code == 200
    assert b"Ensure this value is greater than or equal to 1" in response.content


def test_creating_a_profile_with_a_bad_country_says_why(editor_client):
    response = editor_client.post(url("profiles.profile", "add"), {"first_name": "Ada", "country": "UK"})
    assert response.status_code == 200
    assert b"not an ISO 3166-1 alpha-2 country code" in response.content
