"""Reward products that members redeem points for."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.slugs import AutoSlugMixin


class RewardKind(models.TextChoices):
    PRODUCT = "product", "Product (ordered with a shipping address)"
    MERCH_CREDIT = "merch_credit", "Merch credit (yields a discount code)"


class RewardProduct(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, models.Model):
    slug_field = "handle"

    title = models.CharField(max_length=200)
    handle = models.SlugField(
        max_length=200, unique=True, blank=True, help_text="Left empty, it is made from the title."
    )
    kind = models.CharField(max_length=20, choices=RewardKind.choices, default=RewardKind.PRODUCT)
    price = models.PositiveIntegerField(validators=[MinValueValidator(1)], help_text="Price in points.")
    discount_amount = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Value of a merch credit, in the store's currency.",
    )
    image = models.ForeignKey(
        "assets.CommunityImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(blank=True)
    stock = models.PositiveIntegerField(null=True, blank=True, help_text="Left empty, the stock is unlimited.")

    class Meta:
        ordering = ["price", "title"]
        verbose_name = "reward product"
        verbose_name_plural = "reward products"
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="reward_price_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="merch_credit")
                | models.Q(discount_amount__isnull=False, discount_amount__gt=0),
                name="reward_merch_credit_has_discount",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0

    def clean(self):
        super().clean()
        if self.kind == RewardKind.MERCH_CREDIT and not self.discount_amount:
            raise ValidationError({"discount_amount": "A merch credit needs a discount amount."})
        if self.kind == RewardKind.PRODUCT and self.discount_amount:
            raise ValidationError({"discount_amount": "Only a merch credit has a discount amount."})
