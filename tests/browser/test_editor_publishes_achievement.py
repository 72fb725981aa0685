"""An editor, in a real headless Chromium, creates and publishes an achievement."""

import pytest

from plugins.achievements.models import Achievement
from tests.browser.helpers import log_in
from tests.factories import editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_creates_and_publishes_an_achievement(live_server, migrated_data, page, tmp_path):
    user = editor(username="eddie")

    log_in(page, live_server, user)
    assert page.locator("text=Community").first.is_visible()

    page.goto(f"{live_server.url}/admin/snippets/achievements/achievement/add/")
    page.fill("#id_title", "Pull request merged")
    page.fill("#id_points", "40")
    page.fill("#id_description", "Your first contribution to the SDKs was merged.")
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url("**/admin/snippets/achievements/achievement/")

    row = page.locator("table.listing tbody tr", has_text="Pull request merged")
    row.wait_for()
    assert row.is_visible()
    assert "live" in row.inner_text().lower()
    page.screenshot(path=str(tmp_path / "achievements-list.png"), full_page=True)
    assert (tmp_path / "achievements-list.png").stat().st_size > 10_000

    achievement = Achievement.objects.get(title="Pull request merged")
    assert achievement.live and achievement.points == 40
    assert achievement.latest_revision is not None and achievement.live_revision == achievement.latest_revision
    assert page.console_errors == []
