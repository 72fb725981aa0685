"""A failed webhook delivery is sent again from the admin, once its receiver is back."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plugins.core.errors import Conflict
from plugins.notifications.cms_webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, send_again, verify
from plugins.notifications.models import DeliveryStatus, Webhook, WebhookDelivery
from plugins.notifications.retry import MAX_ATTEMPTS
from tests import factories
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(django_capture_on_commit_callbacks):
    """A delivery that failed every attempt against a receiver that answered 503; the receiver is then fixed."""
    with Receiver(status=503) as receiver:
        webhook = Webhook.objects.create(name="site", url=receiver.url, events=["entry.create"])
        with django_capture_on_commit_callbacks(execute=True):
            factories.ProfileFactory(first_name="Ada")
        receiver.status = 200
        receiver.received.clear()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED
        yield delivery, webhook, receiver


def test_a_failed_delivery_is_sent_again_with_the_same_payload(failed, django_capture_on_commit_callbacks):
    delivery, webhook, receiver = failed
    with django_capture_on_commit_callbacks(execute=True):
        send_again(delivery)
    [message] = receiver.received
    assert message["body"] == delivery.payload and message["body"]["entry"]["firstName"] == "Ada"
    headers = message["headers"]
    assert verify(webhook.secret, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], message["raw"])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_status == 200 and delivery.error == ""
    assert delivery.attempts == MAX_ATTEMPTS + 1  # the log counts every attempt
    assert WebhookDelivery.objects.count() == 1


def test_only_failed_deliveries_of_enabled_webhooks_are_sent_again(failed, django_capture_on_commit_callbacks):
    delivery, webhook, receiver = failed
    webhook.enabled = False
    webhook.save()
    delivery.refresh_from_db()
    with pytest.raises(Conflict, match="disabled; enable it first"):
        send_again(delivery)
    webhook.enabled = True
    webhook.save()
    delivery.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        send_again(delivery)
    delivery.refresh_from_db()
    with pytest.raises(Conflict, match="this one is delivered"):
        send_again(delivery)
    assert len(receiver.received) == 1


def test_editors_send_again_from_the_delivery_page(client, editor_user, failed, django_capture_on_commit_callbacks):
    delivery, _, receiver = failed
    client.force_login(editor_user)
    url = reverse("community_webhook_send_again", args=[delivery.pk])
    inspect = reverse("webhook_deliveries:inspect", args=[delivery.pk])
    assert url in client.get(inspect).content.decode()
    assert url in client.get(reverse("webhook_deliveries:index")).content.decode()
    assert f"failed after {MAX_ATTEMPTS} attempts" in client.get(url).content.decode()
    assert receiver.received == []  # a GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == inspect
    assert len(receiver.received) == 1
    assert url not in client.get(inspect).content.decode()  # delivered: nothing to send again
    response = client.post(url)
    assert "only a failed delivery" in [str(m) for m in get_messages(response.wsgi_request)][-1].lower()


def test_moderators_cannot_send_again(client, moderator_user, failed):
    delivery, _, receiver = failed
    client.force_login(moderator_user)
    response = client.post(reverse("community_webhook_send_again", args=[delivery.pk]))
    assert response.status_code in (302, 403)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and receiver.received == []
