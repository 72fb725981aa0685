"""A moderator, in a real headless Chromium, opens an open order with one click, reads the address, and
fulfils it; another they cancel from its page, with the reason the member reads."""

import pytest

from plugins.points.services import Posting, balance_of, post
from plugins.rewards.models import RedemptionStatus
from plugins.rewards.services import place_order, redeem
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ordered(member, product, key, line1):
    redemption = redeem(member, product, idempotency_key=key).redemption
    place_order(redemption, {"name": "Ada Lovelace", "line1": line1, "city": "London", "country": "GB"})
    return redemption


def open_from_open_orders(page, title):
    """Open orders in the menu, then the order's title: the one click a moderator makes."""
    page.locator("a", has_text="Open orders").first.click()
    page.locator("table.listing tbody tr td.title a", has_text=title).click()


def test_moderator_manages_an_open_order_from_one_click(live_server, migrated_data, page, tmp_path):
    moderator = factories.moderator(username="maude")
    member = factories.ProfileFactory(first_name="Ada", last_name="Lovelace")
    post(member, Posting(300, "gift", "Gift", "start"))
    stickers = factories.RewardProductFactory(title="Hedgehog stickers", price=100, stock=10)
    mug = factories.RewardProductFactory(title="Hedgehog mug", price=150, stock=10)
    to_fulfil = ordered(member, stickers, "k1", "12 Analytical Row")
    to_cancel = ordered(member, mug, "k2", "13 Difference Lane")

    log_in(page, live_server, moderator)
    page.locator("a", has_text="Open orders").first.click()
    page.locator("table.listing tbody tr", has_text="Hedgehog mug").wait_for()
    page.screenshot(path=str(tmp_path / "open-orders.png"), full_page=True)

    open_from_open_orders(page, "Hedgehog stickers")
    page.wait_for_url(f"**/admin/community/redemptions/{to_fulfil.pk}/")
    assert page.locator("address", has_text="12 Analytical Row").is_visible()
    page.screenshot(path=str(tmp_path / "open-order.png"), full_page=True)
    assert (tmp_path / "open-order.png").stat().st_size > 10_000
    page.locator("button", has_text="Mark as fulfilled").click()
    page.wait_for_load_state()
    assert page.locator("text=marked as fulfilled").first.is_visible()
    page.screenshot(path=str(tmp_path / "order-fulfilled.png"), full_page=True)

    open_from_open_orders(page, "Hedgehog mug")
    page.wait_for_url(f"**/admin/community/redemptions/{to_cancel.pk}/")
    assert page.locator("address", has_text="13 Difference Lane").is_visible()
    page.fill("#id_cancel-reason", "Out of mugs until spring")
    page.locator("button", has_text="Cancel and refund 150 points").click()
    page.wait_for_load_state()
    assert page.locator("text=150 points refunded").first.is_visible()
    page.screenshot(path=str(tmp_path / "order-cancelled.png"), full_page=True)

    to_fulfil.refresh_from_db()
    to_cancel.refresh_from_db()
    assert to_fulfil.status == RedemptionStatus.FULFILLED and to_fulfil.fulfilled_by == moderator
    assert to_cancel.status == RedemptionStatus.CANCELLED and to_cancel.cancel_reason == "Out of mugs until spring"
    assert balance_of(member) == 300 - 100
    # Neither is open any more: the list of open orders is empty.
    page.locator("a", has_text="Open orders").first.click()
    page.wait_for_load_state()
    assert page.locator("table.listing tbody tr", has_text="Hedgehog").count() == 0
    assert page.console_errors == []
