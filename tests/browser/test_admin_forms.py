"""An editor, in a real headless Chromium, meets the admin's forms as they should be: the tier opens up
only for a tiered group (no failed autosave to learn it), the reward product's price is wide enough to
read, and the achievement icon chooser opens on the Icons collection. Screenshots in the test's folder."""

import pytest

from plugins.assets.collections import AVATARS, ICONS
from plugins.assets.services import collection_named
from tests.browser.helpers import log_in
from tests.factories import AchievementGroupFactory, ImageFactory, RewardProductFactory, editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tier_is_enabled_only_for_a_tiered_group(live_server, migrated_data, page, tmp_path):
    tiered = AchievementGroupFactory(name="Answers", tiered=True)
    plain = AchievementGroupFactory(name="Roadmap", tiered=False)
    log_in(page, live_server, editor(username="eddie"))

    page.goto(f"{live_server.url}/admin/snippets/achievements/achievement/add/")
    tier = page.locator("#id_tier")
    assert tier.is_disabled()  # no group yet
    page.select_option("#id_group", str(tiered.pk))
    page.wait_for_function("!document.querySelector('#id_tier').disabled")
    assert page.locator("#id_group option:checked").inner_text() == "Answers (tiered)"
    page.select_option("#id_tier", "gold")
    page.screenshot(path=str(tmp_path / "tiered-group-tier-enabled.png"), full_page=True)

    page.select_option("#id_group", str(plain.pk))
    page.wait_for_function("document.querySelector('#id_tier').disabled")
    page.screenshot(path=str(tmp_path / "plain-group-tier-disabled.png"), full_page=True)
    assert (tmp_path / "tiered-group-tier-enabled.png").stat().st_size > 10_000
    assert page.console_errors == []


def test_reward_product_price_shows_its_whole_number(live_server, migrated_data, page, tmp_path):
    product = RewardProductFactory(title="Hedgehog sticker pack", price=300)
    log_in(page, live_server, editor(username="eddie"))

    page.goto(f"{live_server.url}/admin/snippets/rewards/rewardproduct/edit/{product.pk}/")
    price = page.locator("#id_price")
    assert price.input_value() == "300"
    box = price.bounding_box()
    assert box["width"] >= 150  # it was 80 px beside the kind select, showing "30("
    assert price.evaluate("input => input.scrollWidth <= input.clientWidth")  # nothing cut off
    kind, stock = page.locator("#id_kind").bounding_box(), page.locator("#id_stock").bounding_box()
    assert kind["y"] + kind["height"] <= box["y"]  # the kind has a row of its own, above
    assert abs(stock["y"] - box["y"]) < 30  # the stock sits beside the price
    page.screenshot(path=str(tmp_path / "reward-product-form.png"), full_page=True)
    assert page.console_errors == []


def test_achievement_icon_chooser_opens_on_icons(live_server, migrated_data, page, tmp_path):
    ImageFactory(title="Trophy icon", collection=collection_named(ICONS))
    ImageFactory(title="Ada's avatar", collection=collection_named(AVATARS))
    log_in(page, live_server, editor(username="eddie"))

    page.goto(f"{live_server.url}/admin/snippets/achievements/achievement/add/")
    page.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal-content")
    modal.get_by_text("Trophy icon").wait_for()
    assert modal.locator("select[name=collection_id] option:checked").inner_text().strip().endswith(ICONS)
    assert modal.get_by_text("Ada's avatar").count() == 0
    page.screenshot(path=str(tmp_path / "icon-chooser.png"), full_page=True)
    assert page.console_errors == []
