"""What the rewards store reacts to: its events go to the monitoring webhook; product changes reset the catalogue."""

from django.conf import settings
from django.db.models.signals import post_save

from plugins.core.events import subscribe
from plugins.notifications.webhooks import deliver_webhook, slack_message
from plugins.rewards.models import Redemption, RewardProduct
from plugins.rewards.services import forget_catalogue

HEADLINES = {
    "reward_redeemed": ":gift: {member} redeemed *{title}* for {price} points",
    "reward_ordered": ":package: {member} ordered *{title}*: ready to ship",
    "reward_cancelled": ":leftwards_arrow_with_hook: {member}'s *{title}* was cancelled; {price} points refunded",
}


def monitoring_message(event: str, redemption: Redemption) -> dict:
    """The Slack-style message for one store event. Never carries the shipping address or e-mail."""
    headline = HEADLINES[event].format(
        member=redemption.profile.display_name, title=redemption.title, price=redemption.price
    )
    fields = {"Redemption": redemption.document_id, "Kind": redemption.get_kind_display().split(" (")[0]}
    if redemption.product.stock is not None:
        fields["Stock left"] = str(redemption.product.stock)
    if redemption.cancel_reason:
        fields["Reason"] = redemption.cancel_reason
    return slack_message(headline, fields)


def _notify(event: str, redemption_id: int) -> None:
    url = settings.REWARDS_MONITORING_WEBHOOK_URL
    if not url:
        return
    redemption = Redemption.objects.select_related("profile__user", "product").filter(pk=redemption_id).first()
    if redemption is not None:
        deliver_webhook.enqueue(url, monitoring_message(event, redemption))


@subscribe("reward_redeemed")
def reward_redeemed(*, redemption_id, **payload):
    _notify("reward_redeemed", redemption_id)


@subscribe("reward_ordered")
def reward_ordered(*, redemption_id, **payload):
    _notify("reward_ordered", redemption_id)


@subscribe("reward_cancelled")
def reward_cancelled(*, redemption_id, **payload):
    _notify("reward_cancelled", redemption_id)


# Publishing, unpublishing or editing a product changes what the store lists.
post_save.connect(forget_catalogue, sender=RewardProduct, dispatch_uid="rewards-catalogue")
