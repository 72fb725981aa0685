"""Asking, replying, solutions, votes and subscriptions: the forum's rules, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from plugins.core.errors import Conflict, NotAllowed
from plugins.core.events import emit
from plugins.forum.markdown import MAX_MARKDOWN_LENGTH
from plugins.forum.models import (
    DocsTopicMapping,
    Question,
    Reply,
    ReplyVote,
    Subscription,
    Topic,
    public_replies,
)

MAX_TOPICS = 5


class ForumError(Conflict):
    """An action the rules do not allow (marking someone else's solution, …); the message says why."""


def _check_not_blocked(author) -> None:
    if author.blocked_at is not None:
        raise NotAllowed("A moderator has blocked this account from posting.")


def topic_for_page(path: str) -> Topic | None:
    """The topic editors mapped to the longest docs path prefix of ``path``."""
    if not path:
        return None
    prefixes = [path[:i] for i in range(len(path), 0, -1)]
    mapping = DocsTopicMapping.objects.filter(path_prefix__in=prefixes).select_related("topic").order_by("-path_prefix")
    best = max(mapping, key=lambda m: len(m.path_prefix), default=None)
    return best.topic if best else None


def _clean_text(value, name: str, max_length: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({name: "Must be text."})
    value = value.strip()
    if required and not value:
        raise ValidationError({name: "This field is required."})
    if len(value) > max_length:
        raise ValidationError({name: f"At most {max_length} characters."})
    return value


def _clean_page(page) -> str:
    page = _clean_text(page, "page", 255, required=False)
    if page and (not page.startswith("/") or "://" in page or any(c.isspace() for c in page)):
        raise ValidationError({"page": 'A docs page is a path on the site, such as "/docs/feature-flags".'})
    return page


def ask(author, *, subject, body, topics=(), page: str = "") -> Question:
    """A member asks a question, in the forum or on a docs page; they are subscribed to its replies.

    On a docs page the mapped topic is added to the topics given. Emits ``question_asked`` — unless
    ``FORUM_HOLD_FIRST_QUESTION`` holds a member's first question for a moderator's approval.
    """
    _check_not_blocked(author)
    subject = _clean_text(subject, "subject", 200)
    body = _clean_text(body, "body", MAX_MARKDOWN_LENGTH)
    page = _clean_page(page)
    topics = list(topics)
    mapped = topic_for_page(page)
    if mapped is not None and mapped not in topics:
        topics.append(mapped)
    if len(topics) > MAX_TOPICS:
        raise ValidationError({"topics": f"At most {MAX_TOPICS} topics."})
    with transaction.atomic():
        held = settings.FORUM_HOLD_FIRST_QUESTION and not Question.objects.filter(author=author).exists()
        question = Question(author=author, subject=subject, body=body, page=page, held=held)
        question.save()
        question.topics.set(topics)
        Subscription.objects.get_or_create(profile=author, question=question)
        if not held:  # a held question is announced when a moderator approves it
            emit("question_asked", author_id=author.pk, question_id=question.pk)
    return question


def reply(author, question: Question, *, body) -> Reply:
    """A reply to a question; keeps the question's reply count and last activity. Emits ``reply_posted``."""
    _check_not_blocked(author)
    body = _clean_text(body, "body", MAX_MARKDOWN_LENGTH)
    if question.archived:
        raise ForumError("This question is archived; it takes no more replies.")
    with transaction.atomic():
        created = Reply.objects.create(question=question, author=author, body=body)
        Question.objects.filter(pk=question.pk).update(
            num_replies=F("num_replies") + 1, last_activity_at=created.created_at
        )
        emit(
            "reply_posted",
            author_id=author.pk,
            question_author_id=question.author_id,
            reply_id=created.pk,
            question_id=question.pk,
        )
    return created


def mark_solution(question: Question, chosen: Reply, *, by_profile=None, by_moderator=False) -> Question:
    """The asker (or a moderator, when the asker is gone) marks a reply as the solution. Emits ``solution_marked``.

    Nobody marks their own reply on someone else's question; a reply to another question is refused.
    """
    if chosen.question_id != question.pk:
        raise ForumError("That reply belongs to another question.")
    if chosen.hidden:
        raise ForumError("A hidden reply cannot be the solution.")
    if not by_moderator and (by_profile is None or by_profile.pk != question.author_id):
        raise ForumError("Only the person who asked marks the solution.")
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.solution_id == chosen.pk:
            return locked
        locked.solution = chosen
        locked.save(update_fields=["solution", "updated_at"])
        if chosen.author_id != question.author_id:  # answering yourself earns nothing
            emit("solution_marked", reply_author_id=chosen.author_id, reply_id=chosen.pk, question_id=question.pk)
    return locked


def unmark_solution(question: Question, *, by_profile=None, by_moderator=False) -> Question:
    """The asker (or a moderator) takes the solution mark off."""
    if not by_moderator and (by_profile is None or by_profile.pk != question.author_id):
        raise ForumError("Only the person who asked marks or unmarks the solution.")
    Question.objects.filter(pk=question.pk).update(solution=None, updated_at=timezone.now())
    question.solution = None
    return question


def vote(profile, target: Reply, value: int) -> Reply:
    """One vote per member on a reply: +1, -1, or 0 to take it back. Returns the reply with fresh counts."""
    _check_not_blocked(profile)
    if value not in (1, -1, 0):
        raise ValidationError({"value": "A vote is 1 (up), -1 (down) or 0 (take it back)."})
    if target.author_id == profile.pk:
        raise ForumError("You cannot vote on your own reply.")
    with transaction.atomic():
        Reply.objects.select_for_update().filter(pk=target.pk).first()  # one voter at a time per reply
        ReplyVote.objects.filter(reply=target, profile=profile).delete()
        if value:
            ReplyVote.objects.create(reply=target, profile=profile, value=value)
        up = ReplyVote.objects.filter(reply=target, value=1).count()
        down = ReplyVote.objects.filter(reply=target, value=-1).count()
        Reply.objects.filter(pk=target.pk).update(upvotes=up, downvotes=down)
    target.upvotes, target.downvotes = up, down
    return target


def toggle_vote(profile, target: Reply, value: int) -> tuple[Reply, int]:
    """posthog.com's up / down buttons: the same vote again takes it back. Returns the reply and the vote now."""
    current = ReplyVote.objects.filter(reply=target, profile=profile).values_list("value", flat=True).first()
    wanted = 0 if current == value else value
    return vote(profile, target, wanted), wanted


@dataclass(frozen=True)
class Notification:
    """A followed question with replies the member has not read (by others, visible to everyone)."""

    question: Question
    replies: list[Reply]

    @property
    def date(self):
        return self.replies[-1].created_at


def notifications(profile) -> list[Notification]:
    """The member's unread replies, by followed question, newest first (one query)."""
    if profile is None:
        return []
    # One join on the member's subscriptions (a condition per followed question would not scale).
    unread = (
        Reply.objects.filter(
            question__subscriptions__profile=profile,
            created_at__gt=F("question__subscriptions__last_read_at"),
        )
        .filter(public_replies())
        .exclude(author=profile)
        .select_related("question")
    )
    by_question: dict[int, list[Reply]] = {}
    for found in unread.order_by("created_at", "pk"):
        by_question.setdefault(found.question_id, []).append(found)
    found = [Notification(replies[0].question, replies) for replies in by_question.values()]
    return sorted(found, key=lambda n: n.date, reverse=True)


def followed_questions(profile) -> list[Question]:
    """The questions the member follows."""
    return list(Question.objects.filter(subscriptions__profile=profile))


def followed_topics(profile) -> list[Topic]:
    """The topics whose digest the member gets."""
    return list(Topic.objects.filter(subscriptions__profile=profile))


def dismiss_notifications(profile, *, kept: set[int]) -> None:
    """The member dismissed every notification but those about the questions ``kept``: the others'
    replies are read."""
    for notification in notifications(profile):
        if notification.question.pk not in kept:
            mark_read(profile, notification.question)


def subscribe(profile, *, question: Question | None = None, topic: Topic | None = None) -> Subscription:
    """Follow a question (reply e-mails) or a topic (daily digest); following twice changes nothing."""
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(profile=profile, question=question, topic=topic)
    except IntegrityError:  # a concurrent identical request won
        subscription = Subscription.objects.get(profile=profile, question=question, topic=topic)
    return subscription


def unsubscribe(profile, *, question: Question | None = None, topic: Topic | None = None) -> bool:
    """Stop following; True if there was something to stop."""
    return stop_following(
        profile.pk, question_id=question.pk if question else None, topic_id=topic.pk if topic else None
    )


def stop_following(profile_id: int, *, question_id: int | None = None, topic_id: int | None = None) -> bool:
    """``unsubscribe`` by ids, as a signed unsubscribe link names them; True if there was something to stop."""
    deleted, _ = Subscription.objects.filter(profile_id=profile_id, question_id=question_id, topic_id=topic_id).delete()
    return bool(deleted)


def mark_read(profile, question: Question) -> None:
    """The member has read ``question``: its replies so far stop counting as unread for them."""
    Subscription.objects.filter(profile=profile, question=question).update(last_read_at=timezone.now())
