"""Moderators' endpoints on a profile: assign and revoke achievements, gift points."""

from __future__ import annotations

from api.base import ApiView, json_response
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


def request_data(request) -> dict:
    """The ``data`` object of a Strapi-style body, or a 400 saying it is missing."""
    body = request.data
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise ValidationError('Missing "data" payload in the request body')
    return body["data"]


def idempotency_key(request, *, max_length: int, missing: str | None = None) -> str:
    """The ``Idempotency-Key`` header ("" when absent): a 400 when longer than ``max_length`` or, with a
    ``missing`` message, when absent."""
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key and missing:
        raise ValidationError(missing)
    if len(key) > max_length:
        raise ValidationError(f"The Idempotency-Key header is at most {max_length} characters.")
    return key


def only_keys(data: dict, allowed: set[str]) -> None:
    """Refuse a body with keys the endpoint does not take, naming the first."""
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"Invalid key {sorted(unknown)[0]}")


class ModeratorView(ApiView):
    """Only moderators, editors and full-access tokens get past ``initial``."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.actor.moderates:
            raise self.deny()
        self.profile = Profile.objects.filter(**self.ref(kwargs["document_id"])).first()
        if self.profile is None:
            raise NotFoundError()

    def data(self) -> dict:
        return request_data(self.request)


class ProfileAchievementsView(ModeratorView):
    def post(self, request, document_id):
        data = self.data()
        only_keys(data, {"achievement", "reason"})
        ref = data.get("achievement")
        lookup = {"pk": ref} if isinstance(ref, int) and not isinstance(ref, bool) else {"document_id": ref}
        achievement = Achievement.objects.filter(**lookup).first() if isinstance(ref, int | str) else None
        if achievement is None:
            raise ValidationError(f"There is no achievement {ref!r}")
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            raise ValidationError("reason must be a string")
        award = award_achievement(self.profile, achievement, awarded_by=request.member, reason=reason[:255])
        return json_response({"data": award_json(award), "meta": {}}, status=201)


class ProfileAchievementView(ModeratorView):
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
    def post(self, request, document_id):
        data = self.data()
        only_keys(data, {"points", "reason"})
        key = idempotency_key(request, max_length=MAX_GIFT_KEY)
        entry = gift(
            self.profile,
            data.get("points"),
            data.get("reason") or "",
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

    def post(self, request, document_id):
        data = self.data()
        only_keys(data, {"product", "note"})
        ref = data.get("product")
        product = RewardProduct.objects.filter(document_id=ref).first() if isinstance(ref, str) else None
        if product is None:
            raise ValidationError(f"There is no reward product {ref!r}")
        note = data.get("note") or ""
        if not isinstance(note, str):
            raise ValidationError("note must be a string")
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
