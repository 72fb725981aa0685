"""Outgoing webhooks: JSON POSTed to a URL from a background task, never inside a request."""

from __future__ import annotations

import logging

import requests
from django_tasks import task

from plugins.notifications.retry import retry_later

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class WebhookFailed(Exception):
    """The receiver did not accept the message (network error or a non-2xx answer)."""


def post_json(url: str, payload: dict) -> int:
    """POST ``payload`` as JSON; the receiver's status code, or ``WebhookFailed``."""
    try:
        response = requests.post(url, json=payload, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise WebhookFailed(f"POST {url} failed: {error}") from error
    if not 200 <= response.status_code < 300:
        raise WebhookFailed(f"POST {url} answered {response.status_code}: {response.text[:200]}")
    return response.status_code


@task()
def deliver_webhook(url: str, payload: dict, attempt: int = 1) -> int:
    """Background task: POST one webhook message; a failure is retried a few times, then the task fails."""
    try:
        return post_json(url, payload)
    except WebhookFailed:
        logger.warning("Webhook delivery failed (attempt %s)", attempt, exc_info=True)
        if retry_later(deliver_webhook, attempt, url, payload):
            return 0
        raise


def slack_message(text: str, fields: dict[str, str] | None = None) -> dict:
    """A Slack-compatible message: ``text`` for any receiver, and a section block with the fields for Slack."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if fields:
        blocks.append(
            {
                "type": "section",
                "fields": [{"type": "mrkdwn", "text": f"*{name}*\n{value}"} for name, value in fields.items()],
            }
        )
    return {"text": text, "blocks": blocks}
