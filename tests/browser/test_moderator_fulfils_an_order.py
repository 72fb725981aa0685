"""A moderator, in a real headless Chromium, finds an open order, reads the address and fulfils it."""

import pytest

from plugins.points.services import Posting, post
from plugins.rewards.models import RedemptionStatus
from plugins.rewards.services import place_order, redeem
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moderator_fulfils_an_open_order(live_server, migrated_data, page, tmp_path):
    moderator = factories.moderator(username="maude")
    member = factories.ProfileFactory(first_name="Ada", last_name="Lovelace")
    post(member, Posting(300, "gift", "Gift", "start"))
    stickers = factories.RewardProductFactory(title="Hedgehog stickers", price=100, stock=10)
    redemption = redeem(member, stickers, idempotency_key="k").redemption
    place_order(redemption, {"name": "Ada Lovelace", "line1": "12 Analytical Row", "city": "London", "country": "GB"})

    log_in(page, live_server, moderator)

    page.locator("a", has_text="Open orders").first.click()
    row = page.locator("table.listing tbody tr", has_text="Hedgehog stickers")
    row.wait_for()
    row.locator("[data-w-dropdown-target='toggle']").first.click()
    page.locator("a", has_text="Manage").first.click()
    page.wait_for_url(f"**/admin/community/redemptions/{redemption.pk}/")
    assert page.locator("address", has_text="12 Analytical Row").is_visible()
    page.screenshot(path=str(tmp_path / "open-order.png"), full_page=True)
    assert (tmp_path / "open-order.png").stat().st_size > 10_000
    page.locator("button", has_text="Mark as fulfilled").click()
    page.wait_for_load_state()
    assert page.locator("text=marked as fulfilled").first.is_visible()

    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.FULFILLED and redemption.fulfilled_by == moderator
    assert page.console_errors == []
