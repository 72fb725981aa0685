"""Points from activity: a reply earns points, a few a day, none for answering yourself."""

from django.conf import settings
from django.utils import timezone

from plugins.core.events import subscribe
from plugins.points.models import EntryKind, LedgerEntry
from plugins.points.services import Posting, post


@subscribe("reply_posted")
def reply_points(*, author_id, question_author_id=None, reply_id, **payload):
    """Credit ``POINTS_PER_REPLY`` unless the reply answers the author's own question or the day's cap is met."""
    from plugins.profiles.models import Profile

    if author_id == question_author_id or settings.POINTS_PER_REPLY < 1:
        return
    profile = Profile.objects.filter(pk=author_id).first()
    if profile is None:
        return
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    earned_today = LedgerEntry.objects.filter(
        account__profile=profile, kind=EntryKind.REPLY, created_at__gte=start_of_day
    ).count()
    if earned_today * settings.POINTS_PER_REPLY >= settings.POINTS_REPLY_DAILY_MAX:
        return
    post(
        profile,
        Posting(
            settings.POINTS_PER_REPLY,
            EntryKind.REPLY,
            "Reply in the forum",
            f"reply:{reply_id}",
            related=f"forum.reply:{reply_id}",
        ),
    )
