"""Every redemption, order and cancellation is posted to the monitoring webhook, without private data."""

import json

import pytest

from plugins.points.services import Posting, post
from plugins.rewards.services import cancel_redemption, place_order, redeem
from tests import factories
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db


def test_the_team_hears_of_redemptions_orders_and_cancellations(settings, django_capture_on_commit_callbacks):
    member = factories.ProfileFactory(first_name="Ada", last_name="Lovelace", email="ada@private.example")
    post(member, Posting(300, "gift", "Gift", "start"))
    stickers = factories.RewardProductFactory(title="Stickers", price=100, stock=10)
    with Receiver() as receiver:
        settings.REWARDS_MONITORING_WEBHOOK_URL = receiver.url
        with django_capture_on_commit_callbacks(execute=True):
            redemption = redeem(member, stickers, idempotency_key="k").redemption
        with django_capture_on_commit_callbacks(execute=True):
            place_order(redemption, {"name": "Ada", "line1": "12 Secret Street", "city": "London", "country": "GB"})
        with django_capture_on_commit_callbacks(execute=True):
            cancel_redemption(redemption, cancelled_by=factories.moderator(), reason="Duplicate")
    texts = [message["body"]["text"] for message in receiver.received]
    assert texts == [
        ":gift: Ada Lovelace redeemed *Stickers* for 100 points",
        ":package: Ada Lovelace ordered *Stickers*: ready to ship",
        ":leftwards_arrow_with_hook: Ada Lovelace's *Stickers* was cancelled; 100 points refunded",
    ]
    first_fields = receiver.received[0]["body"]["blocks"][1]["fields"]
    assert {"type": "mrkdwn", "text": "*Stock left*\n9"} in first_fields
    everything = json.dumps([m["body"] for m in receiver.received])
    assert "Secret Street" not in everything and "ada@private.example" not in everything


def test_nothing_is_posted_without_a_url_or_for_a_refused_redemption(settings, django_capture_on_commit_callbacks):
    member = factories.ProfileFactory()
    stickers = factories.RewardProductFactory(price=100)
    with Receiver() as receiver:
        settings.REWARDS_MONITORING_WEBHOOK_URL = receiver.url
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="Not enough points"):
            redeem(member, stickers, idempotency_key="k")
        post(member, Posting(300, "gift", "Gift", "start"))
        settings.REWARDS_MONITORING_WEBHOOK_URL = ""
        with django_capture_on_commit_callbacks(execute=True):
            redeem(member, stickers, idempotency_key="k2")
    assert receiver.received == []
