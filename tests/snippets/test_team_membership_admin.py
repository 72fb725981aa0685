"""In the admin too, only editors and a team's own leads put people on (or take them off) that team."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

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


# The team's members page: who is on it, and adding and removing them from the team's side.


def members_url(team) -> str:
    return reverse("community_team_members", args=[team.pk])


@pytest.fixture
def growth():
    """A team with a lead (an account, and so a Moderator) and a member, each with a role and an avatar."""
    team = factories.TeamFactory(name="Growth")
    lead = factories.ProfileFactory(
        first_name="Lena",
        last_name="Lead",
        company_role="Product engineer",
        avatar=factories.ImageFactory(),
        user=factories.UserFactory(is_staff=True),
        teams=[team],
    )
    lead.lead_teams.add(team)
    member = factories.ProfileFactory(
        first_name="Max", last_name="Member", company_role="Designer", avatar=factories.ImageFactory(), teams=[team]
    )
    return team, lead, member


def rows(response) -> list[list[str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")] for row in soup.select("table.listing tbody tr")
    ]


def test_the_team_shows_its_members_with_name_role_and_avatar_leads_first(client, editor_user, growth):
    team, lead, member = growth
    client.force_login(editor_user)
    pages = [
        members_url(team),
        *(reverse(f"wagtailsnippets_teams_team:{view}", args=[team.pk]) for view in ("edit", "inspect")),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        shown = rows(response)
        assert [row[1:3] for row in shown] == [["Lena Lead Lead", "Product engineer"], ["Max Member", "Designer"]]
        soup = BeautifulSoup(response.content, "html.parser")
        avatars = [img["src"] for img in soup.select("table.listing img.avatar")]
        assert len(avatars) == 2 and all("fill-64x64" in src for src in avatars)
    edit = client.get(reverse("wagtailsnippets_teams_team:edit", args=[team.pk])).content.decode()
    assert members_url(team) in edit


def test_an_editor_adds_a_lead_and_removes_a_member_from_the_teams_page(client, editor_user, growth):
    team, lead, member = growth
    newcomer = factories.ProfileFactory(first_name="Nia", user=factories.UserFactory())
    client.force_login(editor_user)
    added = client.post(members_url(team), {"action": "add", "add-profile": newcomer.pk, "add-lead": "on"})
    assert added.status_code == 302
    assert list(newcomer.teams.all()) == [team] and list(newcomer.lead_teams.all()) == [team]
    assert newcomer.user.groups.filter(name=MODERATORS).exists()

    removed = client.post(members_url(team), {"action": "remove", "profile": member.pk})
    assert removed.status_code == 302
    assert not member.teams.exists() and not member.lead_teams.exists()
    history = [entry.message for entry in ModelLogEntry.objects.for_instance(team).order_by("timestamp")]
    assert history == ["Put Nia Member on the team, as a lead", "Took Max Member off the team"]


@pytest.mark.parametrize("chosen", ["abc", "", "1.5", None])
def test_a_row_action_naming_no_member_of_the_team_is_a_404_and_changes_nothing(client, editor_user, growth, chosen):
    team, lead, member = growth
    client.force_login(editor_user)
    data = {"action": "remove"} if chosen is None else {"action": "remove", "profile": chosen}
    assert client.post(members_url(team), data).status_code == 404
    outsider = factories.ProfileFactory()
    assert client.post(members_url(team), {"action": "remove", "profile": outsider.pk}).status_code == 404
    assert set(team.profiles.all()) == {lead, member}


def test_a_lead_manages_their_own_team_and_the_moderator_role_follows(client, growth):
    team, lead, member = growth
    lead.user.groups.add(Group.objects.get(name=MODERATORS))
    newcomer = factories.ProfileFactory(first_name="Nia", user=factories.UserFactory())
    client.force_login(lead.user)
    page = client.get(members_url(team)).content.decode()
    assert "Add to Growth" in page and "Remove from Growth" in page

    client.post(members_url(team), {"action": "add", "add-profile": newcomer.pk})
    assert list(newcomer.teams.all()) == [team] and not newcomer.lead_teams.exists()
    assert newcomer.user.groups.filter(name=MODERATORS).exists()
    client.post(members_url(team), {"action": "lead", "profile": newcomer.pk})
    assert list(newcomer.lead_teams.all()) == [team]
    client.post(members_url(team), {"action": "unlead", "profile": newcomer.pk})
    assert not newcomer.lead_teams.exists() and list(newcomer.teams.all()) == [team]

    client.post(members_url(team), {"action": "remove", "profile": newcomer.pk})
    assert not newcomer.teams.exists()
    assert not newcomer.user.groups.filter(name=MODERATORS).exists()


def test_a_lead_of_another_team_or_a_moderator_sees_the_members_but_may_not_change_them(client, growth):
    team, lead, member = growth
    other_lead = factories.ProfileFactory(first_name="Olga", user=factories.moderator())
    other_lead.lead_teams.add(factories.TeamFactory(name="Billing"))
    newcomer = factories.ProfileFactory(first_name="Nia", user=factories.UserFactory())
    for user in (other_lead.user, factories.moderator()):
        client.force_login(user)
        page = client.get(members_url(team))
        assert page.status_code == 200 and "Max Member" in page.content.decode()
        assert "Add to Growth" not in page.content.decode() and "Remove from Growth" not in page.content.decode()

        added = client.post(members_url(team), {"action": "add", "add-profile": newcomer.pk}, follow=True)
        assert "Only editors and the team" in added.content.decode()
        removed = client.post(members_url(team), {"action": "remove", "profile": member.pk}, follow=True)
        assert "Only editors and the team" in removed.content.decode()
    assert not newcomer.teams.exists() and list(member.teams.all()) == [team]


def test_members_without_the_moderator_role_do_not_reach_the_teams_members_page(client, growth):
    team, lead, member = growth
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(members_url(team)).status_code in (302, 403)


def test_the_members_page_reads_the_same_queries_however_many_members(client, editor_user, growth):
    team, lead, member = growth
    client.force_login(editor_user)
    client.get(members_url(team))  # the avatars' thumbnails are made once, on the first look

    def queries_of_a_look():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(members_url(team)).status_code == 200
        return len(captured)

    few = queries_of_a_look()
    for _ in range(5):
        factories.ProfileFactory(
            company_role="Engineer", avatar=factories.ImageFactory(), user=factories.UserFactory(), teams=[team]
        ).lead_teams.add(team)
    client.get(members_url(team))
    assert queries_of_a_look() == few
