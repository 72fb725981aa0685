"""The rewards store through the API: listing, redeeming, ordering, cancelling, and who may see what."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.points.services import Posting, balance_of, post
from plugins.rewards.models import Redemption, RewardProduct, ShippingOrder
from plugins.rewards.services import enable_account_credit, redeem
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "Linus Torvalds",
    "line1": "1 Penguin Way",
    "city": "Portland",
    "postalCode": "97201",
    "region": "OR",
    "country": "US",
}


@pytest.fixture
def member(community):
    user = factories.UserFactory()
    linus = community["linus"]
    linus.user = user
    linus.save()
    post(linus, Posting(450, "gift", "Gift: welcome", "welcome"))
    return user


@pytest.fixture
def other_member(community):
    """A member on no team (team members are moderators)."""
    user = factories.UserFactory()
    factories.ProfileFactory(first_name="Margaret", user=user)
    post(user.profile, Posting(500, "gift", "Gift", "margaret"))
    return user


def redeem_api(client, user, product, key="key-1"):
    headers = {**bearer(user), "HTTP_IDEMPOTENCY_KEY": key} if key else bearer(user)
    return client.post(f"/api/reward-products/{product.document_id}/redeem", **headers)


def post_json(client, path, body, user=None, **headers):
    auth = bearer(user) if user else {}
    return client.post(path, data=json.dumps(body), content_type="application/json", **auth, **headers)


def test_the_store_lists_only_published_products_in_stock(client, community):
    factories.RewardProductFactory(title="Sold out hoodie", price=10, stock=0)
    factories.RewardProductFactory(title="Secret mug", price=10, live=False)
    titles = {p["title"] for p in client.get("/api/reward-products").json()["data"]}
    assert titles == {"Stickers", "$10 credit"}


def test_redeem_then_replay_with_the_same_key(client, community, member):
    stickers = community["stickers"]
    first = redeem_api(client, member, stickers)
    assert first.status_code == 201, first.content
    body = first.json()["data"]
    summary = (body["title"], body["price"], body["status"], body["kind"])
    assert summary == ("Stickers", 100, "awaiting_order", "product")
    again = redeem_api(client, member, stickers)
    assert again.status_code == 200
    assert again.json()["data"]["documentId"] == body["documentId"]
    assert balance_of(community["linus"]) == 350
    stickers.refresh_from_db()
    assert stickers.stock == 4


def test_redeem_needs_a_signed_in_member_and_an_idempotency_key(client, community, member):
    stickers = community["stickers"]
    anonymous = client.post(f"/api/reward-products/{stickers.document_id}/redeem")
    assert anonymous.status_code == 403
    no_key = redeem_api(client, member, stickers, key=None)
    assert no_key.status_code == 400
    assert "Idempotency-Key" in no_key.json()["error"]["message"]
    too_long = redeem_api(client, member, stickers, key="x" * 201)
    assert too_long.status_code == 400
    assert redeem_api(client, member, RewardProduct(document_id="nope")).status_code == 404
    assert not Redemption.objects.exists()


def test_refusals_are_409s_that_say_why_and_write_nothing(client, community, member):
    credit = community["credit"]  # 400 points
    redeem_api(client, member, community["stickers"], key="a")  # 450 -> 350
    too_dear = redeem_api(client, member, credit, key="b")
    assert too_dear.status_code == 409
    assert too_dear.json()["error"]["message"] == (
        "Not enough points: $10 credit costs 400 and you have 350 (50 more needed)."
    )
    sold_out = factories.RewardProductFactory(title="Hoodie", price=10, stock=0)
    assert redeem_api(client, member, sold_out, key="c").json()["error"]["message"] == "Hoodie is out of stock."
    withdrawn = factories.RewardProductFactory(title="Mug", price=10, live=False)
    refused = redeem_api(client, member, withdrawn, key="d")
    assert refused.status_code == 409 and "not available" in refused.json()["error"]["message"]
    assert Redemption.objects.count() == 1
    assert balance_of(community["linus"]) == 350


def test_a_merch_credit_returns_its_code_and_store_link(client, community, member, settings):
    settings.REWARDS_STORE_URL_TEMPLATE = "https://merch.example.com/discount/{code}"
    gift = factories.RewardProductFactory(
        title="$5 credit", price=300, kind="merch_credit", discount_amount=Decimal("5.00")
    )
    body = redeem_api(client, member, gift).json()["data"]
    assert body["status"] == "issued" and body["discountAmount"] == "5.00"
    assert body["storeUrl"] == f"https://merch.example.com/discount/{body['code']}"
    points = client.get("/api/users/me/points", **bearer(member)).json()["data"]
    newest = points["transactions"][0]
    assert newest["amount"] == -300 and newest["reason"] == "Redeemed: $5 credit"
    assert newest["redemption"]["code"] == body["code"]
    assert newest["redemption"]["storeUrl"] == body["storeUrl"]


def test_ordering_is_for_the_member_and_the_address_is_private(client, community, member, other_member):
    moderator = factories.moderator()
    redemption = redeem_api(client, member, community["stickers"]).json()["data"]
    path = f"/api/redemptions/{redemption['documentId']}"
    # Another member can neither order nor see it; an anonymous caller is told to sign in.
    assert post_json(client, f"{path}/order", {"data": ADDRESS}, other_member).status_code == 404
    assert client.get(path, **bearer(other_member)).status_code == 404
    assert client.get(path).status_code == 403
    # A moderator reads it but does not order for the member.
    assert post_json(client, f"{path}/order", {"data": ADDRESS}, moderator).status_code == 403
    ordered = post_json(client, f"{path}/order", {"data": ADDRESS}, member)
    assert ordered.status_code == 201, ordered.content
    assert ordered.json()["data"]["status"] == "ordered"
    assert ordered.json()["data"]["order"]["postalCode"] == "97201"
    assert client.get(path, **bearer(moderator)).json()["data"]["order"]["line1"] == "1 Penguin Way"
    again = post_json(client, f"{path}/order", {"data": ADDRESS}, member)
    assert again.status_code == 409
    # Nothing public carries it.
    for public in ("/api/profiles?populate=*", f"/api/profiles/{community['linus'].document_id}?populate=*"):
        assert "Penguin" not in client.get(public).content.decode()
    assert "Penguin" not in client.get("/api/redemptions", **bearer(other_member)).content.decode()


def test_a_bad_address_is_a_400_naming_the_fields(client, community, member):
    redemption = redeem_api(client, member, community["stickers"]).json()["data"]
    path = f"/api/redemptions/{redemption['documentId']}/order"
    response = post_json(client, path, {"data": {**ADDRESS, "country": "usa", "postalCode": 97201}}, member)
    assert response.status_code == 400
    errors = response.json()["error"]
    assert errors["details"]["errors"][0]["path"] == ["postalCode"]
    response = post_json(client, path, {"data": {**ADDRESS, "country": "usa"}}, member)
    assert response.status_code == 400
    assert response.json()["error"]["details"]["errors"][0]["path"] == ["country"]
    assert "US" in response.json()["error"]["message"]
    assert post_json(client, path, {"data": {**ADDRESS, "phone": "1"}}, member).status_code == 400
    assert post_json(client, path, {"nodata": 1}, member).status_code == 400
    assert not ShippingOrder.objects.exists()


def test_members_see_their_own_redemptions_and_moderators_the_open_orders(client, community, member, other_member):
    moderator = factories.moderator()
    redeem_api(client, member, community["stickers"], key="l1")
    theirs = redeem_api(client, other_member, community["stickers"], key="g1").json()["data"]
    post_json(client, f"/api/redemptions/{theirs['documentId']}/order", {"data": ADDRESS}, other_member)
    mine = client.get("/api/redemptions", **bearer(member)).json()
    assert [r["title"] for r in mine["data"]] == ["Stickers"] and mine["meta"]["pagination"]["total"] == 1
    assert mine["data"][0]["documentId"] != theirs["documentId"]
    open_orders = client.get("/api/redemptions?status=ordered", **bearer(moderator)).json()["data"]
    assert [r["documentId"] for r in open_orders] == [theirs["documentId"]]
    assert client.get("/api/redemptions?status=lost", **bearer(moderator)).status_code == 400
    assert client.get("/api/redemptions").status_code == 403


def test_moderators_cancel_members_cannot(client, community, member):
    moderator = factories.moderator()
    redemption = redeem_api(client, member, community["stickers"]).json()["data"]
    path = f"/api/redemptions/{redemption['documentId']}/cancel"
    assert post_json(client, path, {"data": {"reason": "mine"}}, member).status_code == 403
    assert post_json(client, path, {"data": {}}, moderator).status_code == 400
    cancelled = post_json(client, path, {"data": {"reason": "Duplicate order"}}, moderator)
    assert cancelled.status_code == 200
    assert cancelled.json()["data"]["status"] == "cancelled"
    assert cancelled.json()["data"]["cancelReason"] == "Duplicate order"
    assert balance_of(community["linus"]) == 450
    assert post_json(client, path, {"data": {"reason": "again"}}, moderator).status_code == 409
    history = client.get("/api/users/me/points", **bearer(member)).json()["data"]["transactions"]
    assert history[0]["kind"] == "refund" and history[0]["redemption"]["status"] == "cancelled"


def test_moderators_enable_an_account_credit_for_one_member(client, community, member, other_member):
    moderator = factories.moderator()
    credit = factories.RewardProductFactory(
        title="$30 account credit", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )
    path = f"/api/profiles/{community['linus'].document_id}/account-credits"
    body = {"data": {"product": credit.document_id, "note": "Docs sprint"}}
    assert post_json(client, path, body, other_member).status_code == 403
    assert post_json(client, path, {"data": {"product": "nope"}}, moderator).status_code == 400
    assert post_json(client, path, body, moderator).status_code == 201
    assert client.get("/api/users/me/points", **bearer(member)).json()["data"]["accountCredits"][0]["title"] == (
        "$30 account credit"
    )
    assert redeem_api(client, member, credit, key="c1").status_code == 201
    refused = redeem_api(client, member, credit, key="c2")
    assert refused.status_code == 409 and "redeemable once" in refused.json()["error"]["message"]
    assert redeem_api(client, other_member, credit, key="c3").status_code == 409
    assert client.get("/api/users/me/points", **bearer(member)).json()["data"]["accountCredits"] == []


def test_stock_is_not_changed_by_an_update_but_a_round_trip_is_fine(client, community):
    editor = factories.editor()
    stickers = community["stickers"]
    path = f"/api/reward-products/{stickers.document_id}"
    changed = client.put(
        path, data=json.dumps({"data": {"stock": 50}}), content_type="application/json", **bearer(editor)
    )
    assert changed.status_code == 400
    assert "Restock" in changed.json()["error"]["message"]
    same = client.put(
        path,
        data=json.dumps({"data": {"stock": 5, "title": "Sticker pack"}}),
        content_type="application/json",
        **bearer(editor),
    )
    assert same.status_code == 200, same.content
    stickers.refresh_from_db()
    assert (stickers.title, stickers.stock) == ("Sticker pack", 5)


def test_my_points_makes_the_same_number_of_queries_however_long_the_history(client, community, member):
    linus = community["linus"]
    credit = factories.RewardProductFactory(price=1, kind="merch_credit", discount_amount=Decimal("1.00"))

    def count():
        client.get("/api/users/me/points", **bearer(member))  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/users/me/points", **bearer(member))
        assert response.status_code == 200
        return len(queries)

    redeem(linus, credit, idempotency_key="first")
    factories_award(linus)
    few = count()
    for i in range(8):
        redeem(linus, credit, idempotency_key=f"many-{i}")
        factories_award(linus)
    assert count() == few


def factories_award(profile):
    from plugins.achievements.services import award_achievement

    award_achievement(profile, factories.AchievementFactory(icon=factories.ImageFactory()))


def test_the_account_credit_of_another_member_stays_hidden(client, community, member, other_member):
    credit = factories.RewardProductFactory(
        title="$30 account credit", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )
    enable_account_credit(other_member.profile, credit, enabled_by=factories.moderator())
    assert client.get("/api/users/me/points", **bearer(member)).json()["data"]["accountCredits"] == []


def test_a_cancelled_credits_code_is_shown_nowhere(client, community, member):
    """The voided code is hidden alike in the redemption, the redemption list and the points history."""
    moderator = factories.moderator()
    body = redeem_api(client, member, community["credit"]).json()["data"]
    assert body["code"]
    path = f"/api/redemptions/{body['documentId']}"
    assert post_json(client, f"{path}/cancel", {"data": {"reason": "Test order"}}, moderator).status_code == 200
    for who in (member, moderator):
        shown = client.get(path, **bearer(who)).json()["data"]
        assert shown["status"] == "cancelled" and shown["code"] is None and shown["storeUrl"] is None
        listed = client.get("/api/redemptions", **bearer(who)).json()["data"]
        assert [r["code"] for r in listed if r["documentId"] == body["documentId"]] == [None]
    history = client.get("/api/users/me/points", **bearer(member)).json()["data"]["transactions"]
    assert {t["redemption"]["code"] for t in history if "redemption" in t} == {None}
