"""An editor, in a real headless Chromium, previews a small team's page before publishing a change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plugins.teams.models import Team
from tests.browser.helpers import log_in
from tests.factories import JobListingFactory, ProfileFactory, TeamFactory, editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_previews_a_team_page(live_server, migrated_data, page, tmp_path):
    started = timezone.localdate() - timedelta(days=90)
    team = TeamFactory(name="Website", tagline="We build the website", emojis="🌐")
    lead = ProfileFactory(first_name="Ada", last_name="Lovelace", company_role="Team lead", country="GB",
                          start_date=started, pineapple_on_pizza=True, teams=[team])  # fmt: skip
    lead.lead_teams.add(team)
    ProfileFactory(first_name="Grace", last_name="Hopper", company_role="Engineer", location="Arlington, VA",
                   country="US", start_date=started, pineapple_on_pizza=True, teams=[team])  # fmt: skip
    JobListingFactory(title="Frontend Engineer", teams=[team])
    updated_at = Team.objects.get(pk=team.pk).updated_at
    user = editor(username="eddie")
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}{reverse('wagtailsnippets_teams_team:edit', args=[team.pk])}")
    page.fill("#id_tagline", "Pixels with purpose")
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("p.tagline", has_text="Pixels with purpose").wait_for()
    assert frame.locator("h1").inner_text().startswith("Website")
    assert frame.locator("ul.members li").count() == 2
    assert frame.locator("p.leads").inner_text() == "Led by Ada Lovelace"
    assert "Frontend Engineer" in frame.locator("ul.jobs").inner_text()
    page.screenshot(path=str(tmp_path / "team-edit-with-preview.png"), full_page=True)
    assert (tmp_path / "team-edit-with-preview.png").stat().st_size > 10_000

    # The preview on its own, as "Preview in new tab" opens it: the site's own stylesheet, nothing failing.
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(f"{live_server.url}{reverse('wagtailsnippets_teams_team:preview_on_edit', args=[team.pk])}")
    assert page.locator("p.tagline").inner_text() == "Pixels with purpose"
    rules = page.evaluate("() => [...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0)")
    assert rules > 10
    assert page.evaluate("() => getComputedStyle(document.querySelector('.members')).listStyleType") == "none"
    page.screenshot(path=str(tmp_path / "team-preview.png"), full_page=True)
    assert (tmp_path / "team-preview.png").stat().st_size > 10_000
    assert failed == [] and page.console_errors == []

    # Previewing saved, published and announced nothing.
    team.refresh_from_db()
    assert team.tagline == "We build the website" and team.updated_at == updated_at
    assert team.revisions.count() == 0
