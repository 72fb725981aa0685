"""Outgoing webhooks reach a real HTTP server; failures are reported, not swallowed."""

import pytest

from plugins.notifications.webhooks import WebhookFailed, deliver_webhook, post_json, slack_message
from tests.notifications.receiver import Receiver


def test_a_message_is_posted_as_json():
    with Receiver() as receiver:
        assert post_json(receiver.url, slack_message("hello", {"A": "1"})) == 200
    body = receiver.received[0]["body"]
    assert receiver.received[0]["headers"]["Content-Type"] == "application/json"
    assert body["text"] == "hello"
    assert body["blocks"][1]["fields"] == [{"type": "mrkdwn", "text": "*A*\n1"}]


def test_a_refusing_receiver_is_an_error():
    with Receiver(status=500) as receiver, pytest.raises(WebhookFailed, match="answered 500"):
        post_json(receiver.url, {"text": "x"})


def test_an_unreachable_receiver_is_an_error():
    with pytest.raises(WebhookFailed, match="failed"):
        post_json("http://127.0.0.1:9/nothing-listens-here", {"text": "x"})


def test_the_task_delivers_in_the_background_backend():
    with Receiver() as receiver:
        result = deliver_webhook.enqueue(receiver.url, {"text": "from a task"})
    assert result.return_value == 200
    assert receiver.received[0]["body"] == {"text": "from a task"}
