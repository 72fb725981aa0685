"""Strapi's outgoing webhooks: an event becomes one logged, signed delivery per webhook that wants it.

The body is Strapi's payload (``event``, ``createdAt``, ``model``, ``uid``, ``entry``; ``media`` for
media events) as compact JSON. Each request carries ``X-Strapi-Event`` (as Strapi sends it), the
editor's headers, and a signature the receiver can check:

    X-Webhook-Timestamp: <unix seconds>
    X-Webhook-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret>

Signing the timestamp with the body lets a receiver refuse old messages replayed at it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

import requests
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from plugins.core.errors import Conflict
from plugins.core.ttl_cache import TtlCache
from plugins.notifications.models import DeliveryStatus, Webhook, WebhookDelivery
from plugins.notifications.retry import MAX_ATTEMPTS, retry_later

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Webhook-Signature"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
# Checked on every saved row of every content type: kept briefly, forgotten when a webhook changes.
_enabled = TtlCache(60)


def forget_webhooks() -> None:
    """Drop the kept list of enabled webhooks (a webhook was saved or deleted)."""
    _enabled.forget()


def webhooks_for(event: str) -> list[Webhook]:
    """The enabled webhooks that want ``event``."""
    hooks = _enabled.get(lambda: list(Webhook.objects.filter(enabled=True).only("pk", "events")))
    return [hook for hook in hooks if event in hook.events]


def wants(event: str) -> bool:
    return bool(webhooks_for(event))


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for a body sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, max_age_seconds: int = 300) -> bool:
    """True when ``signature`` signs ``body`` at ``timestamp`` with ``secret`` and the message is recent."""
    if not secret or not timestamp or not signature or not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(time.time() - int(timestamp)) > max_age_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def dispatch(event: str, payload: dict) -> list[int]:
    """Log a delivery of ``payload`` to every enabled webhook that wants ``event`` and send each as a task.

    Returns the deliveries' ids. The tasks are enqueued when the current transaction commits.
    """
    deliveries = [WebhookDelivery(webhook_id=hook.pk, event=event, payload=payload) for hook in webhooks_for(event)]
    if not deliveries:
        return []
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [deliver_cms_webhook.enqueue(pk) for pk in ids])
    return ids


def send_again(delivery: WebhookDelivery) -> None:
    """Send a failed delivery once more, as a new series of attempts with retries; the same payload, signed anew.

    Refuses (``Conflict``) a delivery that has not failed, or whose webhook is now disabled.
    """
    if delivery.status != DeliveryStatus.FAILED:
        raise Conflict(
            f"Only a failed delivery can be sent again; this one is {delivery.get_status_display().lower()}."
        )
    if not delivery.webhook.enabled:
        raise Conflict(f"The webhook “{delivery.webhook}” is disabled; enable it first.")
    updated = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, error=""
    )
    if not updated:  # someone else sent it again a moment ago
        raise Conflict("This delivery is already being sent again.")
    delivery.status, delivery.error = DeliveryStatus.PENDING, ""
    transaction.on_commit(lambda: deliver_cms_webhook.enqueue(delivery.pk))


def _attempt(delivery: WebhookDelivery) -> tuple[bool, str]:
    hook = delivery.webhook
    body = body_of(delivery.payload)
    timestamp = str(int(time.time()))
    headers = {
        **hook.headers,
        "Content-Type": "application/json",
        "X-Strapi-Event": delivery.event,
        "X-Webhook-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
    }
    started = time.monotonic()
    try:
        response = requests.post(hook.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        delivery.response_status, delivery.response_body = None, ""
        message = f"{type(error).__name__}: {error}"
    else:
        delivery.response_status = response.status_code
        delivery.response_body = response.text[:2000]
        message = "" if 200 <= response.status_code < 300 else f"The receiver answered {response.status_code}."
    delivery.duration_ms = round((time.monotonic() - started) * 1000)
    return not message, message


@task()
def deliver_cms_webhook(delivery_id: int, attempt: int = 1) -> str:
    """Background task: send one delivery; a failure is retried with backoff, then the delivery is marked failed."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.SUCCEEDED:
        return "nothing to do"
    ok, message = _attempt(delivery)
    delivery.attempts += 1  # all attempts, also those of an earlier "send again"
    delivery.last_attempt_at = timezone.now()
    delivery.error = message
    if ok:
        delivery.status = DeliveryStatus.SUCCEEDED
    elif attempt < MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.RETRYING
    else:
        delivery.status = DeliveryStatus.FAILED
    delivery.save()
    if not ok:
        logger.warning("Webhook delivery %s failed (attempt %s): %s", delivery.pk, attempt, message)
        retry_later(deliver_cms_webhook, attempt, delivery_id)
    return delivery.status
