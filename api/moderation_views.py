"""Moderators' endpoints on a profile: assign and revoke achievements, gift points."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema

from api.base import ApiView, json_response
from api.bodies import Body, Reference, Text, WholeNumber
from api.errors import NotFoundError, ValidationError
from api.me_views import points_statement
from api.query.selection import pagination_from_query
from api.query.values import format_datetime
from plugins.achievements.models import Achievement, AchievementAward
from plugins.achievements.services import award_achievement, revoke_award
from plugins.points.services import gift
from plugins.profiles.models import Profile
from plugins.rewards.models import RewardProduct
from plugins.rewards.services import enable_account_credit

# What fits the ledger's key column beside its "gift:" prefix.
MAX_GIFT_KEY = 190


def award_json(award: AchievementAward) -> dict:
    achievement = award.achievement
    return {
        "id": award.pk,
        "achievement": {
            "id": achievement.pk,
            "documentId": achievement.document_id,
            "title": achievement.title,
            "points": achievement.points,
        },
        "instance": award.instance,
        "reason": award.reason,
        "awardedAt": format_datetime(award.awarded_at),
        "awardedBy": award.awarded_by.get_username() if award.awarded_by else None,
        "revokedAt": format_datetime(award.revoked_at),
        "revokedBy": award.revoked_by.get_username() if award.revoked_by else None,
        "revokeReason": award.revoke_reason or None,
    }


def idempotency_key(request, *, max_length: int, missing: str | None = None) -> str:
    """The ``Idempotency-Key`` header ("" when absent): a 400 when longer than ``max_length`` or, with a
    ``missing`` message, when absent."""
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key and missing:
        raise ValidationError(missing)
    if len(key) > max_length:
        raise ValidationError(f"The Idempotency-Key header is at most {max_length} characters.")
    return key


class AwardBody(Body):
    """The achievement to assign."""

    achievement = Reference(help_text="The achievement's id or documentId.")
    reason = Text(required=False, allow_blank=True, help_text="Why it is awarded (the member reads it).")


class GiftBody(Body):
    """Points gifted, and why."""

    points = WholeNumber(help_text="Points to give, at least 1 (at most POINTS_GIFT_MAX).")
    reason = Text(
        allow_blank=True,
        help_text="Why they are given (the member reads it).",
        error_messages={"required": "Say why the points are given."},
    )


class AccountCreditBody(Body):
    """The account credit to enable."""

    product = Text(help_text="The documentId of a reward product of kind account_credit.")
    note = Text(required=False, allow_blank=True, help_text="A note for the other moderators.")


class ModeratorView(ApiView):
    """Only moderators, editors and full-access tokens get past ``initial``."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.actor.moderates:
            raise self.deny()
        self.profile = Profile.objects.filter(**self.ref(kwargs["document_id"])).first()
        if self.profile is None:
            raise NotFoundError()


class ProfileAchievementsView(ModeratorView):
    """Assign an achievement to this member: ``{data: {achievement, reason}}``."""

    body = AwardBody

    def post(self, request, document_id):
        data = self.parsed_body()
        ref = data["achievement"]
        lookup = {"pk": ref} if isinstance(ref, int) else {"document_id": ref}
        achievement = Achievement.objects.filter(**lookup).first()
        if achievement is None:
            raise ValidationError(f"There is no achievement {ref!r}")
        reason = data.get("reason", "")
        award = award_achievement(self.profile, achievement, awarded_by=request.member, reason=reason[:255])
        return json_response({"data": award_json(award), "meta": {}}, status=201)


class ProfileAchievementView(ModeratorView):
    """Revoke the member's latest award of an achievement, saying why (``?reason=``, or ``{data: {reason}}``)."""

    @extend_schema(parameters=[OpenApiParameter("reason", str, description="Why it is revoked (required).")])
    def delete(self, request, document_id, achievement_id):
        reason = request.query_params.get("reason") or ""
        if not reason and isinstance(request.data, dict) and isinstance(request.data.get("data"), dict):
            reason = request.data["data"].get("reason") or ""
        award = (
            AchievementAward.objects.filter(
                profile=self.profile, achievement__document_id=achievement_id, revoked_at__isnull=True
            )
            .order_by("-instance")
            .first()
        )
        if award is None:
            raise NotFoundError(f"{self.profile} holds no such achievement")
        award = revoke_award(award, revoked_by=request.member, reason=str(reason)[:255])
        return json_response({"data": award_json(award), "meta": {}})


class ProfileGiftsView(ModeratorView):
    """Gift this member points: ``{data: {points, reason}}``; an ``Idempotency-Key`` header makes a retry safe."""

    body = GiftBody

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="A retry with the same value returns the first gift and counts once.",
            )
        ]
    )
    def post(self, request, document_id):
        data = self.parsed_body()
        key = idempotency_key(request, max_length=MAX_GIFT_KEY)
        entry = gift(
            self.profile,
            data["points"],
            data["reason"],
            given_by=request.member,
            idempotency_key=f"gift:{key}" if key else None,
        )
        body = {
            "id": entry.pk,
            "points": entry.amount,
            "reason": entry.reason,
            "balance": entry.balance_after,
            "createdAt": format_datetime(entry.created_at),
        }
        return json_response({"data": body, "meta": {}}, status=201)


class ProfileAccountCreditsView(ModeratorView):
    """Enable an account credit (a reward product of kind account_credit) for this member: ``{data: {product}}``."""

    body = AccountCreditBody

    def post(self, request, document_id):
        data = self.parsed_body()
        ref = data["product"]
        product = RewardProduct.objects.filter(document_id=ref).first()
        if product is None:
            raise ValidationError(f"There is no reward product {ref!r}")
        note = data.get("note", "")
        grant = enable_account_credit(self.profile, product, enabled_by=request.member, note=note)
        body = {
            "id": grant.pk,
            "product": {"documentId": product.document_id, "title": product.title},
            "note": grant.note,
            "enabledAt": format_datetime(grant.enabled_at),
        }
        return json_response({"data": body, "meta": {}}, status=201)


class ProfilePointsView(ModeratorView):
    """A member's points statement, as they see it at /api/users/me/points: for moderators only."""

    def get(self, request, document_id):
        pagination = pagination_from_query(request.query_params)
        data, total = points_statement(self.profile, pagination)
        return json_response({"data": data, "meta": {"pagination": pagination.meta(total)}}, request=request)
