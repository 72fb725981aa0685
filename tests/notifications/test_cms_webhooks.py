"""Strapi's outgoing webhooks: signed payloads to a real receiver, retries, the delivery log, configuration."""

import pytest
from django.core.exceptions import ValidationError

from plugins.notifications.cms_webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from plugins.notifications.models import DeliveryStatus, Webhook, WebhookDelivery
from plugins.notifications.retry import MAX_ATTEMPTS
from tests import factories
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db


def hook(receiver, events, **kwargs):
    return Webhook.objects.create(name=kwargs.pop("name", "site"), url=receiver.url, events=events, **kwargs)


def test_a_publish_sends_the_signed_strapi_payload(django_capture_on_commit_callbacks):
    team = factories.TeamFactory(name="Pipelines", live=False)
    with Receiver() as receiver:
        webhook = hook(receiver, ["entry.publish"], headers={"Authorization": "Bearer site-token"})
        with django_capture_on_commit_callbacks(execute=True):
            team.save_revision().publish()
    assert len(receiver.received) == 1
    message = receiver.received[0]
    body, headers = message["body"], message["headers"]
    assert body["event"] == "entry.publish" and body["model"] == "team" and body["uid"] == "api::team.team"
    assert body["entry"]["documentId"] == team.document_id and body["entry"]["name"] == "Pipelines"
    assert body["entry"]["publishedAt"] and body["createdAt"].endswith("Z")
    assert headers["X-Strapi-Event"] == "entry.publish"
    assert headers["Authorization"] == "Bearer site-token"
    assert verify(webhook.secret, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], message["raw"])
    assert not verify("another secret", headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], message["raw"])
    assert not verify(webhook.secret, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], message["raw"] + b" ")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_status == 200 and delivery.attempts == 1


def test_an_old_signature_is_refused():
    from plugins.notifications.cms_webhooks import sign

    assert verify("s", "1000", sign("s", "1000", b"{}"), b"{}") is False  # 1970: far too old


def test_only_the_chosen_events_are_sent(django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        hook(receiver, ["entry.delete"])
        with django_capture_on_commit_callbacks(execute=True):
            profile = factories.ProfileFactory(first_name="Ada")
            profile.first_name = "Ada L."
            profile.save()
        assert receiver.received == []
        with django_capture_on_commit_callbacks(execute=True):
            profile.delete()
    assert [m["body"]["event"] for m in receiver.received] == ["entry.delete"]
    assert receiver.received[0]["body"]["entry"]["firstName"] == "Ada L."


def test_private_fields_never_leave_in_a_payload(django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        hook(receiver, ["entry.create", "entry.update"])
        with django_capture_on_commit_callbacks(execute=True):
            profile = factories.ProfileFactory(email="secret@example.com")
            question = factories.QuestionFactory(author=profile)
    assert {m["body"]["model"] for m in receiver.received} >= {"profile", "question"}
    for message in receiver.received:
        assert b"secret@example.com" not in message["raw"]
        assert "email" not in message["body"]["entry"]
    asked = next(m for m in receiver.received if m["body"]["model"] == "question")
    assert "internalTags" not in asked["body"]["entry"] and asked["body"]["entry"]["subject"] == question.subject


def test_media_events_carry_the_file(django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        hook(receiver, ["media.create", "media.delete"])
        with django_capture_on_commit_callbacks(execute=True):
            image = factories.ImageFactory(title="Crest")
        with django_capture_on_commit_callbacks(execute=True):
            image.delete()
    events = [m["body"] for m in receiver.received]
    assert [e["event"] for e in events] == ["media.create", "media.delete"]
    assert events[0]["media"]["url"].startswith("/media/") and events[0]["media"]["documentId"] == image.document_id


def test_a_failing_receiver_is_retried_then_the_delivery_is_marked_failed(django_capture_on_commit_callbacks):
    with Receiver(status=503) as receiver:
        hook(receiver, ["entry.create"])
        with django_capture_on_commit_callbacks(execute=True):
            factories.ProfileFactory()
    # The test backend runs each retry at once; the real one waits 30 s, 1 min, 2 min.
    assert len(receiver.received) == MAX_ATTEMPTS
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert delivery.response_status == 503 and "503" in delivery.error


def test_a_receiver_that_recovers_gets_the_message(django_capture_on_commit_callbacks):
    with Receiver(status=500) as receiver:
        hook(receiver, ["entry.create"])
        original = receiver.server.RequestHandlerClass.do_POST

        def recover_after_first(handler):
            original(handler)
            receiver.status = 200

        receiver.server.RequestHandlerClass.do_POST = recover_after_first
        with django_capture_on_commit_callbacks(execute=True):
            factories.ProfileFactory()
    assert len(receiver.received) == 2
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2


def test_an_unreachable_receiver_is_logged():
    webhook = Webhook.objects.create(name="gone", url="http://127.0.0.1:9/hook", events=["entry.create"])
    from plugins.notifications.cms_webhooks import deliver_cms_webhook

    delivery = WebhookDelivery.objects.create(webhook=webhook, event="entry.create", payload={"event": "entry.create"})
    deliver_cms_webhook.enqueue(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "ConnectionError" in delivery.error


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"events": []}, "at least one event"),
        ({"events": ["entry.explode"]}, "Unknown event"),
        ({"headers": {"X-Strapi-Event": "x"}}, "set by the delivery"),
        ({"headers": {"Bad Name": "x"}}, "not a valid header name"),
        ({"headers": {"X-Token": "a\nb"}}, "line break"),
        ({"headers": ["not", "an", "object"]}, "object of names"),
    ],
)
def test_a_webhook_is_validated(fields, message):
    webhook = Webhook(name="w", url="https://example.com/hook", events=["entry.publish"])
    for key, value in fields.items():
        setattr(webhook, key, value)
    with pytest.raises(ValidationError, match=message):
        webhook.full_clean()


def test_editors_configure_webhooks_in_the_admin_and_read_the_log(client, editor_user, moderator_user):
    client.force_login(editor_user)
    response = client.post(
        "/admin/webhooks/new/",
        {"name": "Netlify", "url": "https://api.netlify.com/build_hooks/abc", "events": ["entry.publish",
         "entry.unpublish"], "headers": '{"X-Source": "cms"}', "enabled": "on", "secret": "s3cret-value"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    webhook = Webhook.objects.get(name="Netlify")
    assert webhook.events == ["entry.publish", "entry.unpublish"] and webhook.headers == {"X-Source": "cms"}
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="entry.publish", payload={"event": "x"})
    assert client.get("/admin/webhook_deliveries/").status_code == 200
    page = client.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/")
    assert page.status_code == 200 and "entry.publish" in page.content.decode()
    assert client.get(f"/admin/webhook_deliveries/edit/{delivery.pk}/").status_code in (302, 403)
    bad = client.post("/admin/webhooks/new/", {"name": "Bad", "url": "https://x.example", "events": ["entry.publish"],
                                               "headers": '{"Content-Type": "text/plain"}', "secret": "s"})  # fmt: skip
    assert bad.status_code == 200 and "set by the delivery itself" in bad.content.decode()
    client.force_login(moderator_user)
    assert client.get("/admin/webhooks/").status_code in (302, 403)
