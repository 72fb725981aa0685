"""The daily digest: each topic subscriber gets one e-mail a day with the new questions in their topics.

Nobody gets an empty digest, two in a day, or the same question twice: a digest is recorded (one per
member and day, a unique constraint) with the questions it carried before its e-mail is enqueued.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from plugins.forum.links import question_url, unsubscribe_token, unsubscribe_url
from plugins.forum.models import DigestLog, Question, Subscription, public_questions
from plugins.notifications.email import send_email

# A member's first digest looks back this far.
FIRST_LOOKBACK = timedelta(days=1)


def send_digests(now: datetime | None = None) -> int:
    """Send today's digests that are due; returns how many e-mails were enqueued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    subscriber_ids = (
        Subscription.objects.filter(topic__isnull=False, profile__user__is_active=True)
        .values_list("profile_id", flat=True)
        .distinct()
    )
    sent = 0
    for profile_id in subscriber_ids.iterator():
        if _send_one(profile_id, today, now):
            sent += 1
    return sent


def _send_one(profile_id: int, today, now: datetime) -> bool:
    if DigestLog.objects.filter(profile_id=profile_id, day=today).exists():
        return False
    last = DigestLog.objects.filter(profile_id=profile_id).order_by("-day").first()
    since = last.covered_until if last else now - FIRST_LOOKBACK
    topic_ids = Subscription.objects.filter(profile_id=profile_id, topic__isnull=False).values("topic_id")
    already = DigestLog.questions.through.objects.filter(digestlog__profile_id=profile_id).values("question_id")
    questions = list(
        Question.objects.filter(public_questions(), topics__in=topic_ids, created_at__gt=since, created_at__lte=now)
        .exclude(author_id=profile_id)
        .exclude(pk__in=already)
        .distinct()
        .order_by("created_at")
        .prefetch_related("topics")
        .select_related("author__user")[:50]
    )
    if not questions:
        return False
    try:
        with transaction.atomic():
            log = DigestLog.objects.create(profile_id=profile_id, day=today, covered_until=now)
            log.questions.set(questions)
            transaction.on_commit(lambda: _email(log, questions))
    except IntegrityError:  # another run sent today's digest meanwhile
        return False
    return True


def _email(log: DigestLog, questions: list[Question]) -> None:
    profile = log.profile
    address = (profile.user.email if profile.user else "") or profile.email
    if not address:
        return
    lines = [f"New questions in the topics you follow ({len(questions)}):", ""]
    for question in questions:
        topics = ", ".join(t.label for t in question.topics.all())
        lines += [
            f"• {question.subject} [{topics}], asked by {question.author.display_name}",
            f"  {question_url(question)}",
            "",
        ]
    for subscription in Subscription.objects.filter(profile=profile, topic__isnull=False).select_related("topic"):
        link = unsubscribe_url(unsubscribe_token(profile.pk, topic_id=subscription.topic_id))
        lines.append(f"Stop following {subscription.topic.label}: {link}")
    subject = f"{len(questions)} new question{'s' if len(questions) != 1 else ''} in your topics"
    send_email.enqueue(address, subject, "\n".join(lines), "", {})


def next_run(now: datetime | None = None) -> datetime:
    """The next time the daily digest runs: ``FORUM_DIGEST_HOUR`` o'clock local time."""
    now = timezone.localtime(now or timezone.now())
    run = timezone.make_aware(datetime.combine(now.date(), time(settings.FORUM_DIGEST_HOUR)))
    return run if run > now else run + timedelta(days=1)


@task()
def daily_digests(reschedule: bool = True) -> int:
    """Background task: send today's digests, then queue itself for the same hour tomorrow."""
    sent = send_digests()
    backend = daily_digests.get_backend()
    if reschedule and backend.supports_defer:
        daily_digests.using(run_after=next_run()).enqueue(reschedule=True)
    return sent
