"""Content changes become Strapi webhook events with Strapi's payloads.

Rows of every registered content type and uploaded images are watched through Django's and
Wagtail's signals (saves, deletes, publish, unpublish), whichever path changed them: admin, API,
commands. The entry in a payload is the public API representation (never private fields), made
when the change commits. Nothing is serialised when no webhook wants the event.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import published, unpublished

from api.media import file_object, image_queryset
from api.query.execute import prepare
from api.query.selection import Access, SelectionParser
from api.query.values import format_datetime
from api.registry import registry
from api.serialize import Serializer
from plugins.assets.models import CommunityImage
from plugins.notifications import cms_webhooks
from plugins.notifications.models import Webhook


def _content_type_of(model):
    return registry.for_model(model)


def entry_payload(content_type, obj, drafts: bool) -> dict:
    """The public API JSON of one entry (its draft when ``drafts``), without relations."""
    access = Access(drafts=drafts)
    selection = SelectionParser(registry, access).selection(content_type, None, None)
    prepare([obj], selection)
    return Serializer(access).entry(obj, selection)


def _envelope(event: str, content_type, entry: dict) -> dict:
    return {
        "event": event,
        "createdAt": format_datetime(timezone.now()),
        "model": content_type.singular,
        "uid": f"api::{content_type.singular}.{content_type.singular}",
        "entry": entry,
    }


def _send_entry_event(event: str, content_type, obj, drafts: bool) -> None:
    if event == "entry.delete":
        if cms_webhooks.wants(event):
            # The row is gone by the time the transaction commits: its JSON is made now.
            payload = _envelope(event, content_type, entry_payload(content_type, obj, drafts))
            transaction.on_commit(lambda: cms_webhooks.dispatch(event, payload))
        return

    def send():
        # Asked after the commit, so that a request's own queries stay the same with or without webhooks.
        if not cms_webhooks.wants(event):
            return
        fresh = content_type.model.objects.filter(pk=obj.pk).first()
        if fresh is not None:
            cms_webhooks.dispatch(event, _envelope(event, content_type, entry_payload(content_type, fresh, drafts)))

    transaction.on_commit(send)


def entry_saved(sender, instance, created, raw=False, **kwargs):
    content_type = _content_type_of(sender)
    if content_type is None or raw:
        return
    _send_entry_event("entry.create" if created else "entry.update", content_type, instance, drafts=True)


def entry_deleted(sender, instance, **kwargs):
    content_type = _content_type_of(sender)
    if content_type is not None:
        _send_entry_event("entry.delete", content_type, instance, drafts=False)


def entry_published(sender, instance, **kwargs):
    content_type = _content_type_of(type(instance))
    if content_type is not None:
        _send_entry_event("entry.publish", content_type, instance, drafts=False)


def entry_unpublished(sender, instance, **kwargs):
    content_type = _content_type_of(type(instance))
    if content_type is not None:
        _send_entry_event("entry.unpublish", content_type, instance, drafts=True)


def _media_payload(event: str, file: dict) -> dict:
    return {"event": event, "createdAt": format_datetime(timezone.now()), "media": file}


def media_saved(sender, instance, created, raw=False, **kwargs):
    event = "media.create" if created else "media.update"
    if raw:
        return

    def send():
        if not cms_webhooks.wants(event):
            return
        image = image_queryset().filter(pk=instance.pk).first()  # with the formats made at upload
        if image is not None:
            cms_webhooks.dispatch(event, _media_payload(event, file_object(image)))

    transaction.on_commit(send)


def media_deleted(sender, instance, **kwargs):
    if cms_webhooks.wants("media.delete"):
        payload = _media_payload("media.delete", file_object(instance))
        transaction.on_commit(lambda: cms_webhooks.dispatch("media.delete", payload))


def webhook_changed(sender, **kwargs):
    cms_webhooks.forget_webhooks()


def connect() -> None:
    """Watch every registered content type, images and the webhooks themselves."""
    for content_type in registry.all():
        uid = f"webhooks-{content_type.plural}"
        post_save.connect(entry_saved, sender=content_type.model, dispatch_uid=f"{uid}-save")
        post_delete.connect(entry_deleted, sender=content_type.model, dispatch_uid=f"{uid}-delete")
    published.connect(entry_published, dispatch_uid="webhooks-publish")
    unpublished.connect(entry_unpublished, dispatch_uid="webhooks-unpublish")
    post_save.connect(media_saved, sender=CommunityImage, dispatch_uid="webhooks-media-save")
    post_delete.connect(media_deleted, sender=CommunityImage, dispatch_uid="webhooks-media-delete")
    post_save.connect(webhook_changed, sender=Webhook, dispatch_uid="webhooks-forget-save")
    post_delete.connect(webhook_changed, sender=Webhook, dispatch_uid="webhooks-forget-delete")
