"""Make an image's responsive formats as soon as it is stored."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from plugins.assets.formats import ensure_formats
from plugins.assets.models import CommunityImage


@receiver(post_save, sender=CommunityImage)
def make_formats(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is None or "file" in update_fields):
        transaction.on_commit(lambda: ensure_formats(instance))
