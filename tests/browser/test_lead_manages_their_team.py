"""A team's lead, in a real headless Chromium, opens their small team's members, adds someone with the
profile chooser and takes someone off; the Moderators role follows. Screenshots in the test's folder."""

import pytest
from django.contrib.auth.models import Group

from plugins.accounts.roles import MODERATORS
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_adds_and_removes_members_of_their_team(live_server, migrated_data, page, tmp_path):
    team = factories.TeamFactory(name="Growth")
    lead = factories.ProfileFactory(
        first_name="Lena", last_name="Lead", company_role="Product engineer", user=factories.moderator(), teams=[team]
    )
    lead.lead_teams.add(team)
    leaving = factories.ProfileFactory(
        first_name="Max", last_name="Leaving", user=factories.UserFactory(), teams=[team]
    )
    joining = factories.ProfileFactory(first_name="Nia", last_name="Newcomer", user=factories.UserFactory())
    moderators = Group.objects.get(name=MODERATORS)
    assert moderators.user_set.filter(pk=leaving.user.pk).exists()

    log_in(page, live_server, lead.user)
    page.goto(f"{live_server.url}/admin/snippets/teams/team/")
    row = page.locator("table.listing tbody tr", has_text="Growth")
    row.locator("[data-w-dropdown-target='toggle']").first.click()
    row.get_by_role("link", name="Members").click()
    page.wait_for_url(f"**/admin/community/teams/{team.pk}/members/")
    assert page.locator("table.listing tbody tr").count() == 2

    page.get_by_role("button", name="Choose community profile").click()
    modal = page.locator(".modal-content")
    modal.locator("input[name=q]").fill("Nia")
    modal.locator("a", has_text="Nia Newcomer").click()
    page.get_by_role("button", name="Add to Growth").click()
    page.wait_for_load_state()
    assert page.locator("text=Nia Newcomer is on Growth.").is_visible()
    page.screenshot(path=str(tmp_path / "team-members.png"), full_page=True)

    row = page.locator("table.listing tbody tr", has_text="Max Leaving")
    row.get_by_role("button", name="Remove from Growth").click()
    page.wait_for_load_state()
    assert page.locator("text=Max Leaving is no longer on Growth.").is_visible()
    page.screenshot(path=str(tmp_path / "member-removed.png"), full_page=True)

    assert list(joining.teams.all()) == [team] and not leaving.teams.exists()
    assert moderators.user_set.filter(pk=joining.user.pk).exists()
    assert not moderators.user_set.filter(pk=leaving.user.pk).exists()
    assert page.console_errors == []
