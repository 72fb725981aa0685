"""The rewards store: redeem a product, order it, and (moderators) cancel or fulfil redemptions.

A redemption and its shipping address are private: only the member who redeemed and moderators
read them; anyone else gets a 404, as if it did not exist.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema

from api.base import ApiView, json_response
from api.bodies import Body, ModelBody, Text
from api.errors import NotFoundError, ValidationError
from api.moderation_views import idempotency_key
from api.query.selection import pagination_from_query
from api.query.values import format_datetime
from plugins.profiles.services import claim_or_create_profile, profile_of
from plugins.rewards.models import Redemption, RedemptionStatus, RewardProduct, ShippingOrder
from plugins.rewards.services import ORDER_FIELDS, cancel_redemption, fulfil, place_order, redeem


class OrderBody(ModelBody):
    """Where to send the product: the shipping order's fields."""

    class Meta:
        model = ShippingOrder
        fields = ORDER_FIELDS


class CancelBody(Body):
    """Why the redemption is cancelled."""

    reason = Text(
        max_length=Redemption._meta.get_field("cancel_reason").max_length,
        help_text="Why it is cancelled; the member reads it.",
    )


# API name of each shipping order field → the model's.
ORDER_API_NAMES = OrderBody.api_names()
MAX_IDEMPOTENCY_KEY = 200
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="A fresh random value per redemption; a retry with the same value returns the same redemption.",
)


def redemption_json(redemption: Redemption) -> dict:
    """A redemption as its member and moderators see it, with the shipping order once placed."""
    order = getattr(redemption, "order", None) if redemption.rules.ships else None
    return {
        "id": redemption.pk,
        "documentId": redemption.document_id,
        "product": {"documentId": redemption.product.document_id, "title": redemption.product.title},
        "title": redemption.title,
        "kind": redemption.kind,
        "price": redemption.price,
        "discountAmount": str(redemption.discount_amount) if redemption.discount_amount is not None else None,
        "status": redemption.status,
        "code": redemption.usable_code,
        "storeUrl": redemption.usable_store_url,
        "order": {api: getattr(order, attr) for api, attr in ORDER_API_NAMES.items()} if order else None,
        "createdAt": format_datetime(redemption.created_at),
        "updatedAt": format_datetime(redemption.updated_at),
        "fulfilledAt": format_datetime(redemption.fulfilled_at),
        "cancelledAt": format_datetime(redemption.cancelled_at),
        "cancelReason": redemption.cancel_reason or None,
    }


def _redemptions():
    return Redemption.objects.select_related("product", "order")


class RedeemView(ApiView):
    """Redeem a reward product for points. Send an ``Idempotency-Key`` header: a retry returns the same redemption.

    201 with the new redemption; 200 with the same one for a repeated key; 409 when the product is
    unavailable, out of stock, or costs more points than the member has (nothing is written then).
    """

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def post(self, request, document_id):
        if request.member is None:
            raise self.deny()
        key = idempotency_key(
            request,
            max_length=MAX_IDEMPOTENCY_KEY,
            missing="Send an Idempotency-Key header (a fresh random value per redemption) "
            "so that a retry cannot spend twice.",
        )
        product = RewardProduct.objects.filter(**self.ref(document_id)).first()
        if product is None:
            raise NotFoundError()
        profile = claim_or_create_profile(request.member)
        result = redeem(profile, product, idempotency_key=key)
        redemption = _redemptions().get(pk=result.redemption.pk)
        return json_response({"data": redemption_json(redemption), "meta": {}}, status=201 if result.created else 200)


class RedemptionAccess(ApiView):
    """Finds the redemption the URL names, if the caller may see it: its member, or a moderator."""

    def redemption(self, document_id) -> Redemption:
        if self.request.anonymous:
            raise self.deny()
        redemption = _redemptions().filter(**self.ref(document_id)).first()
        if redemption is None:
            raise NotFoundError()
        mine = self.request.member is not None and redemption.profile.user_id == self.request.member.pk
        if not (mine or self.request.actor.moderates):
            raise NotFoundError()
        return redemption


class RedemptionListView(ApiView):
    """The member's own redemptions, newest first; moderators see everyone's (``?status=ordered``: open orders)."""

    @extend_schema(operation_id="redemptions_list")
    def get(self, request):
        if request.anonymous:
            raise self.deny()
        queryset = _redemptions().order_by("-created_at", "-pk")
        if not request.actor.moderates:
            if request.member is None:
                raise self.deny()
            queryset = queryset.filter(profile=profile_of(request.member))
        status = request.query_params.get("status")
        if status:
            if status not in RedemptionStatus.values:
                raise ValidationError(f"status is one of {', '.join(RedemptionStatus.values)}")
            queryset = queryset.filter(status=status)
        pagination = pagination_from_query(request.query_params)
        total = queryset.count()
        page = queryset[pagination.offset : pagination.offset + pagination.limit]
        return json_response(
            {"data": [redemption_json(r) for r in page], "meta": {"pagination": pagination.meta(total)}},
            request=request,
        )


class RedemptionView(RedemptionAccess):
    """One redemption, with its shipping order: for its member and moderators only."""

    def get(self, request, document_id):
        return json_response({"data": redemption_json(self.redemption(document_id)), "meta": {}}, request=request)


class RedemptionOrderView(RedemptionAccess):
    """The member orders a redeemed product: ``{data: {name, line1, line2, city, postalCode, region, country}}``."""

    body = OrderBody

    def api_names(self) -> dict[str, str]:
        return {attr: api for api, attr in ORDER_API_NAMES.items()}

    def post(self, request, document_id):
        redemption = self.redemption(document_id)
        if request.member is None or redemption.profile.user_id != request.member.pk:
            raise self.deny()
        place_order(redemption, self.parsed_body())
        return json_response({"data": redemption_json(_redemptions().get(pk=redemption.pk)), "meta": {}}, status=201)


class RedemptionCancelView(RedemptionAccess):
    """A moderator cancels a redemption, ``{data: {reason}}``: the points are refunded and the stock restored."""

    body = CancelBody

    def post(self, request, document_id):
        if not request.actor.moderates:
            raise self.deny()
        redemption = self.redemption(document_id)
        reason = self.parsed_body()["reason"]
        cancel_redemption(redemption, cancelled_by=request.member, reason=reason)
        return json_response({"data": redemption_json(_redemptions().get(pk=redemption.pk)), "meta": {}})


class RedemptionFulfilView(RedemptionAccess):
    """A moderator marks an ordered product as sent."""

    def post(self, request, document_id):
        if not request.actor.moderates:
            raise self.deny()
        redemption = self.redemption(document_id)
        fulfil(redemption, fulfilled_by=request.member)
        return json_response({"data": redemption_json(_redemptions().get(pk=redemption.pk)), "meta": {}})
