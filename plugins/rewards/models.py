"""Reward products that members redeem points for."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from plugins.core.countries import validate_country_code
from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.slugs import AutoSlugMixin
from plugins.core.text import long_text


class RewardKind(models.TextChoices):
    """What a reward is, and all that follows from it: the one place the store asks."""

    PRODUCT = "product", "Product (ordered with a shipping address)"
    MERCH_CREDIT = "merch_credit", "Merch credit (yields a discount code)"
    ACCOUNT_CREDIT = "account_credit", "Account credit (enabled per member by a moderator, redeemable once)"

    @property
    def ships(self) -> bool:
        """Redeemed, then ordered with a shipping address and fulfilled by a moderator."""
        return self is RewardKind.PRODUCT

    @property
    def yields_code(self) -> bool:
        """Redeemed for a discount code (worth its ``discount_amount``) from the code provider."""
        return self in (RewardKind.MERCH_CREDIT, RewardKind.ACCOUNT_CREDIT)

    @property
    def per_member(self) -> bool:
        """Redeemable only by members a moderator enabled it for, once each; it may be free."""
        return self is RewardKind.ACCOUNT_CREDIT


class RewardProduct(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, models.Model):
    slug_field = "handle"

    title = models.CharField(max_length=200)
    # Named "handle" in PostHog's Strapi schema (the API keeps the name); the admin calls it a slug, as
    # it does every other type's.
    handle = models.SlugField(
        "slug", max_length=200, unique=True, blank=True, help_text="Left empty, it is made from the title."
    )
    kind = models.CharField(max_length=20, choices=RewardKind.choices, default=RewardKind.PRODUCT)
    price = models.PositiveIntegerField(
        help_text="Price in points. An account credit may be free (0): a moderator's grant is what unlocks it."
    )
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
    description = models.TextField(blank=True, validators=[long_text])
    stock = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Left empty, the stock is unlimited. Once the product exists, change it with Restock.",
    )

    class Meta:
        ordering = ["price", "title"]
        verbose_name = "reward product"
        verbose_name_plural = "reward products"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gt=0) | models.Q(kind="account_credit"), name="reward_price_positive_v2"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="product") | models.Q(discount_amount__isnull=False, discount_amount__gt=0),
                name="reward_credit_has_discount",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Redemptions move the stock with atomic UPDATEs; saving an existing product (an edit, or
        # publishing a revision made before some sales) must never write an old stock back.
        if self.pk is not None and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "stock"
            ]
            if not type(self)._default_manager.filter(pk=self.pk).exists():
                del kwargs["update_fields"]
        super().save(*args, **kwargs)

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0

    @property
    def rules(self) -> RewardKind:
        """The product's kind, which says how it is redeemed (``RewardKind.ships`` …)."""
        return RewardKind(self.kind)

    def clean(self):
        super().clean()
        if self.kind not in RewardKind.values:
            return  # the field's own validation names it
        if self.rules.yields_code and not self.discount_amount:
            raise ValidationError({"discount_amount": "A merch or account credit needs a discount amount."})
        if not self.rules.yields_code and self.discount_amount:
            raise ValidationError({"discount_amount": "Only a merch or account credit has a discount amount."})
        if self.price == 0 and not self.rules.per_member:
            raise ValidationError({"price": "Only an account credit can be free; give a price in points."})

    def with_content_json(self, content):
        """A revision as an object, with the live stock (a revision's stock is stale by design)."""
        obj = super().with_content_json(content)
        obj.stock = self.stock
        return obj


class RedemptionStatus(models.TextChoices):
    AWAITING_ORDER = "awaiting_order", "Awaiting the member's order"
    ORDERED = "ordered", "Ordered, to fulfil"
    FULFILLED = "fulfilled", "Fulfilled"
    ISSUED = "issued", "Code issued"
    CANCELLED = "cancelled", "Cancelled"


class Redemption(DocumentIdMixin, TimestampedMixin, models.Model):
    """A member spent points on a product. Title, kind and price are copied: the product may change later."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.PROTECT, related_name="redemptions")
    product = models.ForeignKey(RewardProduct, on_delete=models.PROTECT, related_name="redemptions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=RewardKind.choices)
    price = models.PositiveIntegerField()
    discount_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=RedemptionStatus.choices, db_index=True)
    # "<profile pk>:<the client's Idempotency-Key>": a retried request finds the redemption it made.
    idempotency_key = models.CharField(max_length=250, unique=True, editable=False)
    # Whether a unit of stock was taken (so that a cancellation puts back exactly what was taken).
    took_stock = models.BooleanField(default=False, editable=False)
    code = models.CharField("discount code", max_length=64, null=True, blank=True, unique=True, editable=False)
    store_url = models.URLField("use in store", max_length=500, blank=True, editable=False)
    fulfilled_at = models.DateTimeField(null=True, blank=True, editable=False)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    cancel_reason = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An account credit is redeemable once (again only after a cancellation).
            models.UniqueConstraint(
                fields=["profile", "product"],
                condition=models.Q(kind="account_credit") & ~models.Q(status="cancelled"),
                name="account_credit_redeemed_once",
            )
        ]
        indexes = [models.Index(fields=["profile", "-created_at"], name="redemption_member_newest")]

    def __str__(self):
        return f"{self.title} for {self.profile}"

    @property
    def rules(self) -> RewardKind:
        """The redeemed product's kind (copied when it was redeemed)."""
        return RewardKind(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status in (RedemptionStatus.AWAITING_ORDER, RedemptionStatus.ORDERED)

    @property
    def usable_code(self) -> str | None:
        """The discount code while it works; a cancelled redemption's code was voided and is not shown."""
        return None if self.status == RedemptionStatus.CANCELLED else self.code

    @property
    def usable_store_url(self) -> str | None:
        """The "use in store" link of ``usable_code``."""
        return (self.store_url or None) if self.usable_code else None

    @property
    def ledger_label(self) -> str:
        """How ledger entries name this redemption in their ``related`` label."""
        return f"rewards.redemption:{self.pk}"


class ShippingOrder(models.Model):
    """Where to send a redeemed product. Private: only the member and moderators ever see it."""

    redemption = models.OneToOneField(Redemption, on_delete=models.PROTECT, related_name="order")
    name = models.CharField(max_length=200)
    line1 = models.CharField("address line 1", max_length=200)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    country = models.CharField(max_length=2, validators=[validate_country_code], help_text="ISO 3166-1 alpha-2 code.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Order for {self.redemption}"

    def lines(self) -> list[str]:
        """The address as it goes on a parcel."""
        city = " ".join(part for part in (self.postal_code, self.city) if part)
        return [line for line in (self.name, self.line1, self.line2, city, self.region, self.country) if line]


class CreditGrant(models.Model):
    """A moderator enabled an account credit for one member; one redemption uses it up."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="credit_grants")
    product = models.ForeignKey(
        RewardProduct,
        on_delete=models.CASCADE,
        related_name="grants",
        limit_choices_to={"kind": RewardKind.ACCOUNT_CREDIT},
    )
    enabled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    enabled_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "product"], name="one_grant_per_member_product")]

    def __str__(self):
        return f"{self.product} enabled for {self.profile}"
