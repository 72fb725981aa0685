"""Followers of a roadmap item hear by e-mail when it is published with changes."""

from django.conf import settings
from django.dispatch import receiver
from django_tasks import task
from wagtail.signals import published

from plugins.notifications.email import send_email
from plugins.roadmap.models import RoadmapItem, RoadmapSubscription


@receiver(published, sender=RoadmapItem)
def item_published(sender, instance, **kwargs):
    # Only a published item can be followed, so a first publication has no one to tell.
    if RoadmapSubscription.objects.filter(item_id=instance.pk).exists():
        notify_followers.enqueue(instance.pk)


@task()
def notify_followers(item_id: int) -> int:
    """Background task: e-mail each follower of the item that it changed; how many were sent."""
    item = RoadmapItem.objects.filter(pk=item_id, live=True).first()
    if item is None:
        return 0
    link = settings.ROADMAP_ITEM_URL_TEMPLATE.replace("{slug}", item.slug)
    status = "complete" if item.complete else ("in beta" if item.beta_available else "in progress")
    sent = 0
    followers = RoadmapSubscription.objects.filter(item=item, profile__user__is_active=True).select_related(
        "profile__user"
    )
    for subscription in followers:
        address = subscription.profile.user.email
        if address:
            text = f"“{item.title}” on the roadmap has been updated: it is {status}.\n\n{link}\n"
            send_email.enqueue(address, f"Roadmap update: {item.title}", text, "", {})
            sent += 1
    return sent
