from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plugins.rewards.models import RewardProduct
from tests.factories import RewardProductFactory

pytestmark = pytest.mark.django_db


def test_a_merch_credit_needs_a_discount_amount():
    with pytest.raises(ValidationError) as error:
        RewardProduct(title="$10 credit", kind="merch_credit", price=400).full_clean()
    assert "discount_amount" in error.value.message_dict
    RewardProduct(title="$10 credit", kind="merch_credit", price=400, discount_amount=Decimal("10")).full_clean()


def test_a_product_has_no_discount_amount():
    with pytest.raises(ValidationError) as error:
        RewardProduct(title="Stickers", kind="product", price=100, discount_amount=Decimal("5")).full_clean()
    assert "discount_amount" in error.value.message_dict


@pytest.mark.parametrize("price", [0, -1])
def test_price_in_points_is_positive(price):
    with pytest.raises(ValidationError) as error:
        RewardProduct(title="Stickers", price=price).full_clean()
    assert "price" in error.value.message_dict


def test_empty_stock_means_unlimited_and_zero_means_sold_out():
    assert RewardProductFactory(stock=None).in_stock
    assert RewardProductFactory(stock=3).in_stock
    assert not RewardProductFactory(stock=0).in_stock


def test_database_refuses_a_merch_credit_without_discount():
    product = RewardProductFactory(kind="merch_credit", discount_amount=Decimal("10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RewardProduct.objects.filter(pk=product.pk).update(discount_amount=None)
