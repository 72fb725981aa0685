"""Who is on a small team (which makes them a Moderator) is changed only by editors and that team's leads."""

import pytest
from django.contrib.auth.models import Group

from api.models import RolePermission
from api.permissions import forget_matrix
from plugins.accounts.roles import MODERATORS
from plugins.profiles.models import Profile
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def put(client, path, data, user):
    return client.put(f"/api/{path}", {"data": data}, content_type="application/json", **bearer(user))


@pytest.fixture
def newcomer(db):
    """A member with an account and no team."""
    return factories.ProfileFactory(user=factories.UserFactory(), first_name="New")


def is_moderator(profile) -> bool:
    return profile.user.groups.filter(name=MODERATORS).exists()


def test_a_moderator_who_is_not_an_editor_cannot_put_a_member_on_a_team(client, community, newcomer):
    moderator = factories.moderator()
    response = put(client, f"profiles/{newcomer.document_id}", {"teams": [community["growth"].document_id]}, moderator)
    assert response.status_code == 403
    assert response.json()["error"]["name"] == "ForbiddenError"
    assert "Growth" in response.json()["error"]["message"]
    assert not newcomer.teams.exists() and not is_moderator(newcomer)


@pytest.mark.parametrize(
    "body",
    [
        {"leadTeams": {"connect": ["growth"]}},
        {"teams": {"set": ["growth"]}},
        {"teams": {"disconnect": ["infra"]}, "firstName": "Renamed"},
    ],
)
def test_every_form_of_the_relation_is_guarded_and_nothing_is_half_written(client, community, body):
    grace = community["grace"]
    refs = {"growth": community["growth"].document_id, "infra": community["infra"].document_id}
    for value in body.values():
        if isinstance(value, dict):
            for op in value:
                value[op] = [refs[name] for name in value[op]]
    response = put(client, f"profiles/{grace.document_id}", body, factories.moderator())
    assert response.status_code == 403
    grace.refresh_from_db()
    assert grace.first_name == "Grace"
    assert set(grace.teams.values_list("slug", flat=True)) == {"infra", "secret"}
    assert not grace.lead_teams.exists()


def test_from_the_team_side_too(client, community, newcomer):
    # Even with the matrix letting moderators update teams, membership stays the editors' and leads'.
    RolePermission.objects.filter(role="moderator", content_type="teams", action="update").update(enabled=True)
    forget_matrix()
    growth = community["growth"]
    response = put(
        client, f"teams/{growth.document_id}", {"profiles": {"connect": [newcomer.document_id]}}, factories.moderator()
    )
    assert response.status_code == 403
    assert not growth.profiles.filter(pk=newcomer.pk).exists() and not is_moderator(newcomer)
    # Changing the team's other fields is still allowed.
    renamed = put(client, f"teams/{growth.document_id}", {"tagline": "Even more users"}, factories.moderator())
    assert renamed.status_code == 200, renamed.json()


def test_editors_and_the_teams_own_leads_may(client, community, newcomer):
    ada = community["ada"]  # leads Growth
    ada.user = factories.UserFactory()
    ada.save()
    ada.user.groups.add(Group.objects.get(name=MODERATORS))
    growth, infra = community["growth"], community["infra"]
    by_lead = put(client, f"profiles/{newcomer.document_id}", {"teams": {"connect": [growth.document_id]}}, ada.user)
    assert by_lead.status_code == 200, by_lead.json()
    assert is_moderator(newcomer)
    # Not a team Ada does not lead.
    other = put(client, f"profiles/{newcomer.document_id}", {"teams": {"connect": [infra.document_id]}}, ada.user)
    assert other.status_code == 403
    by_editor = put(client, f"profiles/{newcomer.document_id}", {"teams": [infra.document_id]}, factories.editor())
    assert by_editor.status_code == 200
    assert list(newcomer.teams.values_list("slug", flat=True)) == ["infra"]


def test_registering_with_a_team_members_email_does_not_claim_their_profile(client, community):
    grace = community["grace"]  # on Infrastructure, no account yet
    assert grace.user is None
    response = client.post(
        "/api/auth/local/register",
        {"username": "impostor", "email": grace.email, "password": "a long enough password 1"},
        content_type="application/json",
    )
    assert response.status_code == 200
    grace.refresh_from_db()
    assert grace.user is None
    impostor = Profile.objects.get(user__username="impostor")
    assert impostor.pk != grace.pk and not impostor.teams.exists()
    assert not impostor.user.groups.filter(name=MODERATORS).exists()


def test_a_moderator_cannot_redirect_a_team_members_email(client, community):
    grace = community["grace"]
    response = put(client, f"profiles/{grace.document_id}", {"email": "attacker@example.com"}, factories.moderator())
    assert response.status_code == 403
    grace.refresh_from_db()
    assert grace.email == "grace@private.example"
    # A community member's e-mail is still the moderators' to correct.
    linus = community["linus"]
    fixed = put(client, f"profiles/{linus.document_id}", {"email": "linus@new.example"}, factories.moderator())
    assert fixed.status_code == 200


def test_a_lead_manages_their_team_from_the_team_page_as_posthog_does(client, community, newcomer):
    ada = community["ada"]  # leads Growth
    ada.user = factories.UserFactory()
    ada.save()
    growth, infra = community["growth"], community["infra"]
    path = f"teams/{growth.pk}"
    v4 = {"HTTP_STRAPI_RESPONSE_FORMAT": "v4"}

    def put_v4(path, data, user):
        return client.put(f"/api/{path}", {"data": data}, content_type="application/json", **bearer(user), **v4)

    added = put_v4(path, {"profiles": {"connect": [newcomer.pk]}}, ada.user)
    assert added.status_code == 200, added.json()
    assert growth.profiles.filter(pk=newcomer.pk).exists() and is_moderator(newcomer)
    assert put_v4(path, {"description": "We grow things"}, ada.user).status_code == 200
    growth.refresh_from_db()
    assert growth.description == "We grow things"
    assert put_v4(path, {"profiles": {"disconnect": [newcomer.pk]}}, ada.user).status_code == 200
    assert not growth.profiles.filter(pk=newcomer.pk).exists()
    # Not their name, nor another team; another moderator changes no one's membership.
    assert put_v4(path, {"name": "Shrink"}, ada.user).status_code == 400
    other_team = put_v4(f"teams/{infra.pk}", {"description": "x"}, ada.user)
    assert other_team.status_code == 400 and "may not change description" in other_team.json()["error"]["message"]
    assert put_v4(path, {"profiles": {"connect": [newcomer.pk]}}, factories.moderator()).status_code == 400


def test_moderators_subscribe_a_team_to_topics_and_set_its_channel(client, community):
    growth, topic = community["growth"], factories.TopicFactory(label="Flags")
    moderator = factories.moderator()
    body = {"topicSubscriptions": {"connect": [topic.pk]}, "slackChannel": "#team-growth"}
    response = client.put(
        f"/api/teams/{growth.pk}",
        {"data": body},
        content_type="application/json",
        HTTP_STRAPI_RESPONSE_FORMAT="v4",
        **bearer(moderator),
    )
    assert response.status_code == 200, response.json()
    growth.refresh_from_db()
    assert list(growth.topic_subscriptions.all()) == [topic] and growth.slack_channel == "#team-growth"
    # The channel is for moderators only.
    public = client.get(f"/api/teams/{growth.document_id}").json()["data"]
    assert "slackChannel" not in public
    assert client.get(f"/api/teams/{growth.document_id}", **bearer(moderator)).json()["data"]["slackChannel"]
    member = factories.UserFactory()
    refused = client.put(
        f"/api/teams/{growth.document_id}", {"data": body}, content_type="application/json", **bearer(member)
    )
    assert refused.status_code == 403
