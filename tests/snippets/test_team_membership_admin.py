"""In the admin too, only editors and a team's own leads put people on (or take them off) that team."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from plugins.accounts.roles import MODERATORS
from tests import factories

pytestmark = pytest.mark.django_db


def profile_form(profile, **changes) -> dict:
    data = {
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "country": "",
        "pineapple_on_pizza": "",
        "teams": [team.pk for team in profile.teams.all()],
        "lead_teams": [team.pk for team in profile.lead_teams.all()],
    }
    data.update(changes)
    return data


def edit_url(profile) -> str:
    return reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk])


def test_a_moderator_cannot_put_a_member_on_a_team_from_the_profile_form(client):
    team = factories.TeamFactory(name="Growth")
    member = factories.ProfileFactory(first_name="New", user=factories.UserFactory())
    client.force_login(factories.moderator())
    response = client.post(edit_url(member), profile_form(member, teams=[team.pk], first_name="Renamed"))
    assert response.status_code == 200
    assert "Only editors and the team" in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "New" and not member.teams.exists()
    assert not member.user.groups.filter(name=MODERATORS).exists()


def test_a_moderator_still_edits_the_rest_and_a_lead_changes_their_own_team(client):
    team = factories.TeamFactory(name="Growth")
    lead = factories.ProfileFactory(first_name="Lead", user=factories.UserFactory(is_staff=True))
    lead.lead_teams.add(team)
    lead.user.groups.add(Group.objects.get(name=MODERATORS))
    member = factories.ProfileFactory(first_name="New", user=factories.UserFactory())
    client.force_login(lead.user)
    renamed = client.post(edit_url(member), profile_form(member, first_name="Renamed"))
    assert renamed.status_code == 302
    added = client.post(edit_url(member), profile_form(member, first_name="Renamed", teams=[team.pk]))
    assert added.status_code == 302
    assert list(member.teams.all()) == [team]
    assert member.user.groups.filter(name=MODERATORS).exists()


def test_a_moderator_cannot_change_a_team_members_email_in_the_admin(client):
    team = factories.TeamFactory(name="Growth")
    member = factories.ProfileFactory(first_name="Grace", email="grace@example.com", teams=[team])
    client.force_login(factories.moderator())
    response = client.post(edit_url(member), profile_form(member, email="attacker@example.com"))
    assert response.status_code == 200 and "Only editors and the team" in response.content.decode()
    member.refresh_from_db()
    assert member.email == "grace@example.com"
