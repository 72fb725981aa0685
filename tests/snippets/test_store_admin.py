"""The rewards store in the admin: open orders, a redemption's page (fulfil, cancel), restock, account credits."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse
from wagtail.models import ModelLogEntry

from plugins.points.services import Posting, balance_of, post
from plugins.rewards.models import CreditGrant, Redemption, RedemptionStatus
from plugins.rewards.services import place_order, redeem
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical Row", "city": "London", "country": "GB"}


@pytest.fixture
def ordered():
    profile = factories.ProfileFactory(first_name="Ada", last_name="Lovelace")
    post(profile, Posting(500, "gift", "Gift", "start"))
    stickers = factories.RewardProductFactory(title="Stickers", price=100, stock=10)
    redemption = redeem(profile, stickers, idempotency_key="k").redemption
    place_order(redemption, ADDRESS)
    waiting = redeem(profile, stickers, idempotency_key="k2").redemption
    return redemption, waiting


def test_moderators_see_open_orders_with_the_address(client, moderator_user, ordered):
    redemption, waiting = ordered
    client.force_login(moderator_user)
    listing = client.get(reverse("wagtailsnippets_rewards_redemption:list") + "?status=ordered")
    assert listing.status_code == 200
    page = listing.content.decode()
    manage = reverse("community_redemption", args=[redemption.pk])
    assert manage in page and reverse("community_redemption", args=[waiting.pk]) not in page
    detail = client.get(manage).content.decode()
    assert "12 Analytical Row" in detail and "Mark as fulfilled" in detail
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Open orders" in menu


def test_an_open_orders_title_opens_its_page_with_the_address_and_the_actions(client, moderator_user, ordered):
    redemption, _ = ordered
    client.force_login(moderator_user)
    listing = client.get(reverse("wagtailsnippets_rewards_redemption:list") + "?status=ordered")
    soup = BeautifulSoup(listing.content, "html.parser")
    [row] = soup.select("table.listing tbody tr")
    title = row.select_one("td.title a")
    assert title.get_text(strip=True) == "Stickers"
    assert title["href"] == reverse("community_redemption", args=[redemption.pk])
    page = BeautifulSoup(client.get(title["href"]).content, "html.parser")
    assert "12 Analytical Row" in page.select_one("address").get_text()
    buttons = [button.get_text(strip=True) for button in page.select("form button[type=submit]")]
    assert "Mark as fulfilled" in buttons and "Cancel and refund 100 points" in buttons
    # No read-only page without the address is left to land on.
    with pytest.raises(NoReverseMatch):
        reverse("wagtailsnippets_rewards_redemption:inspect", args=[redemption.pk])


def test_nobody_adds_edits_or_deletes_a_redemption_by_hand(client, superuser, ordered):
    redemption, _ = ordered
    client.force_login(superuser)
    assert client.get(reverse("wagtailsnippets_rewards_redemption:add")).status_code in (302, 403)
    assert client.get(reverse("wagtailsnippets_rewards_redemption:edit", args=[redemption.pk])).status_code in (
        302,
        403,
    )
    client.post(reverse("wagtailsnippets_rewards_redemption:delete", args=[redemption.pk]))
    assert Redemption.objects.filter(pk=redemption.pk).exists()


def test_fulfil_and_cancel_from_the_redemption_page(client, moderator_user, ordered):
    redemption, waiting = ordered
    client.force_login(moderator_user)
    url = reverse("community_redemption", args=[redemption.pk])
    assert client.post(url, {"action": "fulfil"}).status_code == 302
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.FULFILLED and redemption.fulfilled_by == moderator_user
    refused = client.post(url, {"action": "cancel", "cancel-reason": "late"}, follow=True).content.decode()
    assert "can no longer be cancelled" in refused

    other = reverse("community_redemption", args=[waiting.pk])
    missing_reason = client.post(other, {"action": "cancel", "cancel-reason": ""})
    assert missing_reason.status_code == 200 and "This field is required" in missing_reason.content.decode()
    assert client.post(other, {"action": "cancel", "cancel-reason": "Asked twice"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RedemptionStatus.CANCELLED and waiting.cancel_reason == "Asked twice"
    assert balance_of(waiting.profile) == 400
    actions = set(ModelLogEntry.objects.filter(object_id=str(waiting.profile.pk)).values_list("action", flat=True))
    assert {"community.reward.fulfil", "community.reward.cancel"} <= actions


def test_members_cannot_reach_the_redemption_page(client, ordered):
    redemption, _ = ordered
    user = factories.UserFactory(is_staff=False)
    client.force_login(user)
    assert client.get(reverse("community_redemption", args=[redemption.pk])).status_code in (302, 403)


def test_restock_sets_the_stock_and_the_edit_form_does_not(client, superuser):
    stickers = factories.RewardProductFactory(title="Stickers", price=100, stock=3)
    client.force_login(superuser)
    edit_url = reverse("wagtailsnippets_rewards_rewardproduct:edit", args=[stickers.pk])
    edit = client.get(edit_url).content.decode()
    assert reverse("community_restock", args=[stickers.pk]) in edit
    response = client.post(reverse("community_restock", args=[stickers.pk]), {"stock": "25"})
    assert response.status_code == 302
    stickers.refresh_from_db()
    assert stickers.stock == 25
    assert client.post(reverse("community_restock", args=[stickers.pk]), {"stock": "-4"}).status_code == 200
    stickers.refresh_from_db()
    assert stickers.stock == 25


def test_moderators_cannot_restock(client, moderator_user):
    stickers = factories.RewardProductFactory(price=100, stock=3)
    client.force_login(moderator_user)
    assert client.post(reverse("community_restock", args=[stickers.pk]), {"stock": "99"}).status_code in (302, 403)
    stickers.refresh_from_db()
    assert stickers.stock == 3


def test_enable_an_account_credit_from_the_profile_page(client, moderator_user):
    credit = factories.RewardProductFactory(
        title="$30 account credit", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )
    profile = factories.ProfileFactory()
    client.force_login(moderator_user)
    url = reverse("community_profile_moderation", args=[profile.pk])
    response = client.post(url, {"action": "credit", "credit-product": credit.pk, "credit-note": "Docs sprint"})
    assert response.status_code == 302
    grant = CreditGrant.objects.get()
    assert (grant.profile, grant.product, grant.enabled_by, grant.note) == (
        profile,
        credit,
        moderator_user,
        "Docs sprint",
    )
    page = client.get(url).content.decode()
    assert "$30 account credit" in page and "Docs sprint" in page
