"""Anyone added to a small team is a Moderator; leaving every team takes the role away."""

import pytest

from plugins.accounts.roles import MODERATORS
from tests.factories import ProfileFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def is_moderator(user) -> bool:
    return user.groups.filter(name=MODERATORS).exists()


@pytest.fixture
def member():
    return ProfileFactory(user=UserFactory())


def test_joining_a_team_makes_a_moderator_and_leaving_every_team_undoes_it(member):
    first, second = TeamFactory(), TeamFactory()
    assert not is_moderator(member.user)

    member.teams.add(first, second)
    assert is_moderator(member.user)

    member.teams.remove(first)
    assert is_moderator(member.user), "still on the second team"

    member.teams.remove(second)
    assert not is_moderator(member.user)


def test_changes_from_the_team_side_count_too(member):
    team = TeamFactory()
    team.profiles.add(member)
    assert is_moderator(member.user)
    team.profiles.clear()
    assert not is_moderator(member.user)


def test_leading_a_team_counts_as_being_on_it(member):
    team = TeamFactory()
    member.lead_teams.add(team)
    assert is_moderator(member.user)
    member.lead_teams.clear()
    assert not is_moderator(member.user)


def test_deleting_the_last_team_takes_the_role_away(member):
    team = TeamFactory()
    member.teams.add(team)
    team.delete()
    assert not is_moderator(member.user)


def test_a_profile_without_an_account_can_join_a_team():
    profile = ProfileFactory()
    profile.teams.add(TeamFactory())
    assert profile.teams.count() == 1


def test_moving_a_profile_to_another_account_moves_the_role(member):
    member.teams.add(TeamFactory())
    old_user, new_user = member.user, UserFactory()
    member.user = new_user
    member.save()
    assert is_moderator(new_user)
    assert not is_moderator(old_user)


def test_admin_form_edits_sync_the_role(client, editor_user, member):
    """The editor's profile form saves teams through the form's save_m2m, which must sync too."""
    team = TeamFactory()
    client.force_login(editor_user)
    url = f"/admin/snippets/profiles/profile/edit/{member.pk}/"
    response = client.post(url, {"first_name": member.first_name, "teams": [team.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_moderator(member.user)
