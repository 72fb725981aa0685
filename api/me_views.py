"""The signed-in member's own points and achievements."""

from __future__ import annotations

from api.base import MemberView, json_response
from api.media import file_object, image_queryset
from api.query.selection import pagination_from_query
from api.query.values import format_datetime
from plugins.achievements.models import Achievement, AchievementAward, ActivityCount
from plugins.achievements.triggers import Trigger, readable_reason
from plugins.core.ttl_cache import TtlCache
from plugins.points.services import statement
from plugins.rewards.models import Redemption, RewardKind
from plugins.rewards.services import store_catalogue, unredeemed_credits


def _related_ids(entries, label: str) -> dict[int, int]:
    """entry pk → pk of the object the entry is about, for entries whose ``related`` names a ``label`` row."""
    prefix = f"{label}:"
    return {e.pk: int(e.related[len(prefix) :]) for e in entries if e.related.startswith(prefix)}


REDEMPTION_SUMMARY_FIELDS = ("document_id", "title", "kind", "status", "code", "store_url")


def _redemption_json(redemption: Redemption) -> dict:
    return {
        "documentId": redemption.document_id,
        "title": redemption.title,
        "kind": redemption.kind,
        "status": redemption.status,
        "code": redemption.usable_code,
        "storeUrl": redemption.usable_store_url,
    }


# Achievements as ledger entries show them; kept briefly, as a member's page names the same few again and again.
_achievement_summaries = TtlCache(30)


def _load_achievement_summaries(ids: set) -> dict[int, dict]:
    achievements = list(Achievement.objects.filter(pk__in=ids).only("document_id", "title", "icon_id"))
    icons = {i.pk: i for i in image_queryset().filter(pk__in={a.icon_id for a in achievements if a.icon_id})}
    return {
        a.pk: {
            "documentId": a.document_id,
            "title": a.title,
            "icon": file_object(icons[a.icon_id]) if a.icon_id in icons else None,
        }
        for a in achievements
    }


def achievement_summaries(ids: set) -> dict[int, dict]:
    """achievement pk → its documentId, title and icon (a Strapi file object)."""
    return _achievement_summaries.get_many(ids, _load_achievement_summaries) if ids else {}


def forget_achievement_summaries(**kwargs) -> None:
    _achievement_summaries.forget()


def points_statement(profile, pagination) -> tuple[dict, int]:
    """A member's balance, one page of transactions (newest first), next reward and open credits; and the total."""
    page = statement(profile, pagination.offset, pagination.limit)
    entries, balance = page.entries, page.balance
    award_of = _related_ids(entries, "achievements.achievementaward")
    redemption_of = _related_ids(entries, "rewards.redemption")
    redemptions = {
        r.pk: r for r in Redemption.objects.filter(pk__in=set(redemption_of.values())).only(*REDEMPTION_SUMMARY_FIELDS)
    }
    achievement_ids = dict(
        AchievementAward.objects.filter(pk__in=set(award_of.values())).values_list("pk", "achievement_id")
    )
    summaries = achievement_summaries(set(achievement_ids.values()))
    transactions = []
    for entry in entries:
        item = {
            "id": entry.pk,
            "amount": entry.amount,
            "kind": entry.kind,
            "reason": readable_reason(entry.reason),
            "balanceAfter": entry.balance_after,
            "createdAt": format_datetime(entry.created_at),
        }
        achievement = summaries.get(achievement_ids.get(award_of.get(entry.pk)))
        if achievement is not None:
            item["achievement"] = achievement
        redemption = redemptions.get(redemption_of.get(entry.pk))
        if redemption is not None:
            item["redemption"] = _redemption_json(redemption)
        transactions.append(item)
    data = {
        "balance": balance,
        "transactions": transactions,
        "nextReward": next_reward(balance),
        "accountCredits": account_credits(profile),
    }
    return data, page.total


class MyPointsView(MemberView):
    """Balance, transactions newest first (paginated), progress to the next reward, and account credits to redeem."""

    def get(self, request):
        pagination = pagination_from_query(request.query_params)
        data, total = points_statement(self.profile, pagination)
        return json_response({"data": data, "meta": {"pagination": pagination.meta(total)}}, request=request)


def next_reward(balance: int) -> dict | None:
    """The cheapest listed product (not an account credit: those are per member) the balance does not reach yet."""
    product = next(
        (p for p in store_catalogue() if p["price"] > balance and not RewardKind(p["kind"]).per_member), None
    )
    if product is None:
        return None
    missing = product["price"] - balance
    return {
        "documentId": product["document_id"],
        "title": product["title"],
        "price": product["price"],
        "missing": missing,
        "message": f"{missing} more points for {product['title']}",
    }


def account_credits(profile) -> list[dict]:
    """Account credits a moderator enabled for the member and not yet redeemed."""
    return [
        {"documentId": p.document_id, "title": p.title, "price": p.price, "discountAmount": str(p.discount_amount)}
        for p in unredeemed_credits(profile)
    ]


class MyAchievementsView(MemberView):
    """Earned achievements, and the published ones still open with progress toward their threshold."""

    def get(self, request):
        earned = (
            AchievementAward.objects.filter(profile=self.profile, revoked_at__isnull=True)
            .select_related("achievement")
            .order_by("-awarded_at")
        )
        held = {a.achievement_id for a in earned}
        counts = dict(ActivityCount.objects.filter(profile=self.profile).values_list("trigger", "count"))
        open_items = []
        for achievement in Achievement.objects.filter(live=True).exclude(pk__in=held).order_by("trigger", "threshold"):
            item = {
                "documentId": achievement.document_id,
                "title": achievement.title,
                "points": achievement.points,
                "trigger": achievement.trigger,
            }
            if achievement.trigger != Trigger.MANUAL:
                item["progress"] = {
                    "count": min(counts.get(achievement.trigger, 0), achievement.threshold),
                    "threshold": achievement.threshold,
                }
            open_items.append(item)
        data = {
            "earned": [
                {
                    "documentId": a.achievement.document_id,
                    "title": a.achievement.title,
                    "points": a.achievement.points,
                    "awardedAt": format_datetime(a.awarded_at),
                    "reason": readable_reason(a.reason),
                }
                for a in earned
            ],
            "open": open_items,
        }
        return json_response({"data": data, "meta": {}}, request=request)
