"""The rewards store's services: redeem, order, cancel, account credits, codes and stock."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plugins.points.models import LedgerEntry
from plugins.points.services import Posting, balance_of, find_drift, post
from plugins.rewards import codes
from plugins.rewards.models import Redemption, RedemptionStatus, RewardProduct, ShippingOrder
from plugins.rewards.services import (
    IdempotencyKeyReused,
    StoreError,
    cancel_redemption,
    enable_account_credit,
    fulfil,
    listed_products,
    place_order,
    redeem,
    restock,
    unredeemed_credits,
)
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "Ada Lovelace", "line1": "12 St James's Square", "city": "London", "country": "GB"}


@pytest.fixture
def member():
    profile = factories.ProfileFactory(user=factories.UserFactory())
    post(profile, Posting(250, "gift", "Gift: start", f"start-{profile.pk}"))
    return profile


@pytest.fixture
def moderator():
    return factories.moderator()


@pytest.fixture
def stickers():
    return factories.RewardProductFactory(title="Stickers", price=100, stock=2)


@pytest.fixture
def credit():
    return factories.RewardProductFactory(
        title="$10 merch credit", price=200, kind="merch_credit", discount_amount=Decimal("10.00")
    )


@pytest.fixture
def account_credit():
    return factories.RewardProductFactory(
        title="$30 account credit", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )


def nothing_written(member, before_balance, product=None, before_stock=None):
    assert balance_of(member) == before_balance
    assert not Redemption.objects.filter(profile=member).exists()
    assert LedgerEntry.objects.filter(account__profile=member, kind="redemption").count() == 0
    if product is not None:
        product.refresh_from_db()
        assert product.stock == before_stock


def test_redeeming_a_product_debits_the_price_takes_stock_and_awaits_the_order(member, stickers):
    result = redeem(member, stickers, idempotency_key="k1")
    redemption = result.redemption
    assert result.created
    assert redemption.status == RedemptionStatus.AWAITING_ORDER
    assert (redemption.title, redemption.price, redemption.took_stock) == ("Stickers", 100, True)
    assert balance_of(member) == 150
    stickers.refresh_from_db()
    assert stickers.stock == 1
    entry = LedgerEntry.objects.get(related=redemption.ledger_label)
    assert (entry.amount, entry.kind, entry.reason) == (-100, "redemption", "Redeemed: Stickers")
    assert redemption.code is None


def test_the_same_idempotency_key_returns_the_same_redemption_and_debits_once(member, stickers):
    first = redeem(member, stickers, idempotency_key="same")
    again = redeem(member, stickers, idempotency_key="same")
    assert not again.created and again.redemption.pk == first.redemption.pk
    assert balance_of(member) == 150
    stickers.refresh_from_db()
    assert stickers.stock == 1


def test_an_idempotency_key_is_per_member(member, stickers):
    other = factories.ProfileFactory()
    post(other, Posting(100, "gift", "Gift", "other-start"))
    assert redeem(member, stickers, idempotency_key="k").redemption.profile == member
    assert redeem(other, stickers, idempotency_key="k").redemption.profile == other


def test_reusing_a_key_for_another_product_is_refused(member, stickers, credit):
    redeem(member, stickers, idempotency_key="k")
    with pytest.raises(IdempotencyKeyReused):
        redeem(member, credit, idempotency_key="k")
    assert Redemption.objects.filter(profile=member).count() == 1


def test_not_enough_points_writes_nothing(stickers):
    poor = factories.ProfileFactory()
    post(poor, Posting(60, "gift", "Gift", "poor"))
    with pytest.raises(StoreError, match="Not enough points: Stickers costs 100 and you have 60 \\(40 more needed\\)"):
        redeem(poor, stickers, idempotency_key="k")
    nothing_written(poor, 60, stickers, 2)


def test_out_of_stock_writes_nothing(member):
    sold_out = factories.RewardProductFactory(title="Hoodie", price=10, stock=0)
    with pytest.raises(StoreError, match="Hoodie is out of stock"):
        redeem(member, sold_out, idempotency_key="k")
    nothing_written(member, 250, sold_out, 0)


def test_an_unpublished_product_cannot_be_redeemed(member):
    withdrawn = factories.RewardProductFactory(title="Mug", price=10, live=False)
    with pytest.raises(StoreError, match="Mug is not available"):
        redeem(member, withdrawn, idempotency_key="k")
    nothing_written(member, 250)


def test_a_merch_credit_gets_a_unique_unambiguous_code_and_a_store_link(member, credit, settings):
    settings.REWARDS_STORE_URL_TEMPLATE = "https://merch.example.com/discount/{code}?utm_source=community"
    redemption = redeem(member, credit, idempotency_key="k").redemption
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.ISSUED
    assert re.fullmatch(r"[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}", redemption.code)
    assert not set(redemption.code) & set("01OIL")
    assert redemption.store_url == f"https://merch.example.com/discount/{redemption.code}?utm_source=community"
    second = redeem(member, factories.RewardProductFactory(**_credit_fields()), idempotency_key="k2").redemption
    assert second.code != redemption.code


def _credit_fields():
    return {"price": 10, "kind": "merch_credit", "discount_amount": Decimal("5.00")}


def test_random_codes_use_the_whole_alphabet_and_do_not_repeat():
    made = {codes.random_code() for _ in range(2000)}
    assert len(made) == 2000
    assert set("".join(made)) - {"-"} == set(codes.ALPHABET)


class RepeatingProvider:
    """Returns the same code for its first calls, as a shop might by bad luck."""

    calls = 0

    def issue(self, redemption):
        RepeatingProvider.calls += 1
        return "SAME-CODE-AAAA" if RepeatingProvider.calls <= 2 else f"FRESH-{RepeatingProvider.calls}"

    def void(self, redemption):
        return None


class FailingProvider:
    def issue(self, redemption):
        raise codes.CodeProviderError("The shop did not answer")

    def void(self, redemption):
        raise codes.CodeProviderError("The shop did not answer")


def test_a_repeated_code_is_refused_by_the_database_and_another_is_asked_for(member, settings):
    settings.REWARDS_CODE_PROVIDER = "tests.rewards.test_store.RepeatingProvider"
    first = redeem(member, factories.RewardProductFactory(**_credit_fields()), idempotency_key="a").redemption
    second = redeem(member, factories.RewardProductFactory(**_credit_fields()), idempotency_key="b").redemption
    assert first.code == "SAME-CODE-AAAA"
    assert second.code == "FRESH-3"


def test_a_failing_code_provider_refuses_the_redemption_and_writes_nothing(member, credit, settings):
    settings.REWARDS_CODE_PROVIDER = "tests.rewards.test_store.FailingProvider"
    with pytest.raises(codes.CodeProviderError):
        redeem(member, credit, idempotency_key="k")
    nothing_written(member, 250)


def test_an_account_credit_needs_a_moderator_to_enable_it_and_is_redeemable_once(member, account_credit, moderator):
    with pytest.raises(StoreError, match="has not been enabled for you"):
        redeem(member, account_credit, idempotency_key="k1")
    assert list(unredeemed_credits(member)) == []
    enable_account_credit(member, account_credit, enabled_by=moderator, note="Thanks for the docs fixes")
    assert list(unredeemed_credits(member)) == [account_credit]
    redemption = redeem(member, account_credit, idempotency_key="k2").redemption
    assert redemption.code and redemption.status == RedemptionStatus.ISSUED
    assert balance_of(member) == 250  # free: no ledger entry for a zero price
    assert list(unredeemed_credits(member)) == []
    with pytest.raises(StoreError, match="already redeemed"):
        redeem(member, account_credit, idempotency_key="k3")
    # Enabled for one member only.
    other = factories.ProfileFactory()
    with pytest.raises(StoreError, match="has not been enabled"):
        redeem(other, account_credit, idempotency_key="k4")


def test_the_database_refuses_a_second_live_redemption_of_an_account_credit(member, account_credit):
    from django.db import IntegrityError, transaction

    fields = {"profile": member, "product": account_credit, "title": "x", "kind": "account_credit", "price": 0}
    Redemption.objects.create(idempotency_key="a", status="issued", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Redemption.objects.create(idempotency_key="b", status="issued", **fields)


def test_only_an_account_credit_can_be_enabled(member, stickers, moderator):
    with pytest.raises(StoreError, match="not an account credit"):
        enable_account_credit(member, stickers, enabled_by=moderator)


def test_ordering_a_product_saves_the_address_once(member, stickers):
    redemption = redeem(member, stickers, idempotency_key="k").redemption
    order = place_order(redemption, {**ADDRESS, "postal_code": "SW1Y 4LE"})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.ORDERED
    assert order.lines() == ["Ada Lovelace", "12 St James's Square", "SW1Y 4LE London", "GB"]
    with pytest.raises(StoreError, match="cannot be ordered"):
        place_order(redemption, ADDRESS)
    assert ShippingOrder.objects.count() == 1


def test_a_bad_address_names_the_field_and_saves_nothing(member, stickers):
    redemption = redeem(member, stickers, idempotency_key="k").redemption
    with pytest.raises(ValidationError) as caught:
        place_order(redemption, {**ADDRESS, "country": "UK", "city": ""})
    assert set(caught.value.message_dict) == {"country", "city"}
    assert 'Did you mean "GB"' in caught.value.message_dict["country"][0]
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.AWAITING_ORDER
    assert not ShippingOrder.objects.exists()
    with pytest.raises(ValidationError, match="Unknown field"):
        place_order(redemption, {**ADDRESS, "email": "x@example.com"})


def test_a_credit_has_nothing_to_ship(member, credit):
    redemption = redeem(member, credit, idempotency_key="k").redemption
    with pytest.raises(StoreError, match="nothing to ship"):
        place_order(redemption, ADDRESS)


def test_cancelling_refunds_the_points_restores_the_stock_and_says_why(member, stickers, moderator):
    redemption = redeem(member, stickers, idempotency_key="k").redemption
    cancelled = cancel_redemption(redemption, cancelled_by=moderator, reason="Out of envelopes")
    assert cancelled.status == RedemptionStatus.CANCELLED
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == (moderator, "Out of envelopes")
    assert balance_of(member) == 250
    stickers.refresh_from_db()
    assert stickers.stock == 2
    refund = LedgerEntry.objects.get(kind="refund", related=redemption.ledger_label)
    assert (refund.amount, refund.reason, refund.actor) == (100, "Refund: Stickers (Out of envelopes)", moderator)
    with pytest.raises(StoreError, match="already cancelled"):
        cancel_redemption(redemption, cancelled_by=moderator, reason="again")
    assert balance_of(member) == 250
    assert find_drift() == []


def test_cancelling_needs_a_reason_and_not_a_fulfilled_order(member, stickers, moderator):
    redemption = redeem(member, stickers, idempotency_key="k").redemption
    with pytest.raises(StoreError, match="Say why"):
        cancel_redemption(redemption, cancelled_by=moderator, reason="  ")
    place_order(redemption, ADDRESS)
    fulfil(redemption, fulfilled_by=moderator)
    with pytest.raises(StoreError, match="fulfilled"):
        cancel_redemption(redemption, cancelled_by=moderator, reason="too late")
    assert balance_of(member) == 150


def test_only_an_ordered_product_is_fulfilled(member, stickers, moderator):
    redemption = redeem(member, stickers, idempotency_key="k").redemption
    with pytest.raises(StoreError, match="Only an ordered product"):
        fulfil(redemption, fulfilled_by=moderator)
    place_order(redemption, ADDRESS)
    done = fulfil(redemption, fulfilled_by=moderator)
    assert done.status == RedemptionStatus.FULFILLED and done.fulfilled_by == moderator


def test_a_cancelled_account_credit_can_be_redeemed_again(member, account_credit, moderator):
    enable_account_credit(member, account_credit, enabled_by=moderator)
    first = redeem(member, account_credit, idempotency_key="k1").redemption
    cancel_redemption(first, cancelled_by=moderator, reason="Wrong shop")
    assert list(unredeemed_credits(member)) == [account_credit]
    second = redeem(member, account_credit, idempotency_key="k2").redemption
    assert second.code != first.code


def test_unlimited_stock_is_not_counted(member):
    unlimited = factories.RewardProductFactory(title="Badge", price=10, stock=None)
    redemption = redeem(member, unlimited, idempotency_key="k").redemption
    assert not redemption.took_stock
    unlimited.refresh_from_db()
    assert unlimited.stock is None


def test_publishing_an_old_revision_never_writes_back_a_stale_stock(member, stickers, superuser):
    revision = stickers.save_revision(user=superuser)  # made while the stock was 2
    redeem(member, stickers, idempotency_key="k")
    revision.publish(user=superuser)
    stickers.refresh_from_db()
    assert stickers.stock == 1
    stickers.title = "Sticker pack"
    stickers.save()
    stickers.refresh_from_db()
    assert (stickers.title, stickers.stock) == ("Sticker pack", 1)


def test_restock_sets_the_stock_and_logs_it(stickers, superuser):
    from wagtail.models import ModelLogEntry

    restock(stickers, stock=40, changed_by=superuser)
    stickers.refresh_from_db()
    assert stickers.stock == 40
    assert ModelLogEntry.objects.filter(action="community.reward.restock", object_id=str(stickers.pk)).exists()
    with pytest.raises(StoreError):
        restock(stickers, stock=-1, changed_by=superuser)


def test_the_store_lists_published_products_in_stock(stickers):
    sold_out = factories.RewardProductFactory(price=10, stock=0)
    draft = factories.RewardProductFactory(price=10, live=False)
    unlimited = factories.RewardProductFactory(price=10, stock=None)
    listed = set(listed_products())
    assert stickers in listed and unlimited in listed
    assert sold_out not in listed and draft not in listed


def test_price_zero_is_only_for_account_credits():
    product = RewardProduct(title="Free stickers", price=0, kind="product")
    with pytest.raises(ValidationError, match="Only an account credit can be free"):
        product.full_clean()
