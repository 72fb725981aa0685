"""Moderating the forum: archive, pin, internal tags, move, hide replies, approve held questions, escalate.

Every action lands in the question's audit log (Wagtail's history) with who did it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from plugins.core.events import emit
from plugins.forum.models import InternalTag, Question, Reply, SupportTicket, Topic
from plugins.forum.services import MAX_TOPICS, ForumError


def _log(question: Question, action: str, user, **data) -> None:
    log(question, f"forum.{action}", user=user, data=data or None)


def archive(question: Question, *, by) -> Question:
    """Take a question out of listings and search; its permalink stays for the asker and moderators."""
    if question.archived:
        return question
    with transaction.atomic():
        question.archived_at = timezone.now()
        question.save(update_fields=["archived_at", "updated_at"])
        _log(question, "archive", by)
        emit("question_hidden", question_id=question.pk)
    return question


def unarchive(question: Question, *, by) -> Question:
    if not question.archived:
        return question
    with transaction.atomic():
        question.archived_at = None
        question.save(update_fields=["archived_at", "updated_at"])
        _log(question, "unarchive", by)
        emit("question_shown", question_id=question.pk)
    return question


def approve(question: Question, *, by) -> Question:
    """Publish a question that was held for moderation (a new member's first)."""
    if not question.held:
        return question
    with transaction.atomic():
        question.held = False
        question.save(update_fields=["held", "updated_at"])
        _log(question, "approve", by)
        emit("question_shown", question_id=question.pk)
        emit("question_asked", author_id=question.author_id, question_id=question.pk)
    return question


def set_pinned(question: Question, pinned: bool, *, by) -> Question:
    """Pin a question to the top of all its topics (or unpin it everywhere)."""
    return set_pinned_topics(question, list(question.topics.all()) if pinned else [], by=by)


def set_pinned_topics(question: Question, topics: list[Topic], *, by) -> Question:
    """Pin a question in exactly these topics (none: unpinned), each one of its own topics."""
    unknown = {t.pk for t in topics} - set(question.topics.values_list("pk", flat=True))
    if unknown:
        raise ValidationError({"pinned_topics": "A question is pinned only in topics it is in."})
    with transaction.atomic():
        question.pinned_topics.set(topics)
        question.pinned = bool(topics)
        question.save(update_fields=["pinned", "updated_at"])
        _log(question, "pin" if topics else "unpin", by, topics=[t.label for t in topics])
    return question


def tag(question: Question, name: str, *, by) -> Question:
    """Add an internal tag; tags are made by editors in the admin, moderators pick from them."""
    found = InternalTag.objects.filter(name=name).first()
    if found is None:
        known = ", ".join(InternalTag.objects.values_list("name", flat=True)) or "none yet"
        raise ValidationError({"tag": f"There is no internal tag {name!r} (known: {known})."})
    question.internal_tags.add(found)
    _log(question, "tag", by, tag=found.name)
    return question


def untag(question: Question, name: str, *, by) -> Question:
    question.internal_tags.remove(*InternalTag.objects.filter(name=name))
    _log(question, "untag", by, tag=name)
    return question


def move(question: Question, topics: list[Topic], *, by) -> Question:
    """Put the question in exactly these topics."""
    if not topics:
        raise ValidationError({"topics": "A question stays in at least one topic."})
    if len(topics) > MAX_TOPICS:
        raise ValidationError({"topics": f"At most {MAX_TOPICS} topics."})
    with transaction.atomic():
        question.topics.set(topics)
        _log(question, "move", by, topics=[t.label for t in topics])
    return question


def set_hidden(target: Reply, hidden: bool, *, by) -> Reply:
    """Hide a reply from everyone but moderators (or show it again); a hidden solution stops being one."""
    with transaction.atomic():
        target.hidden = hidden
        target.save(update_fields=["hidden", "updated_at"])
        if hidden:
            Question.objects.filter(pk=target.question_id, solution=target).update(solution=None)
        action = "hide_reply" if hidden else "unhide_reply"
        _log(target.question, action, by, reply=target.document_id, author=target.author.display_name)
        emit("reply_hidden" if hidden else "reply_shown", reply_id=target.pk)
    return target


def mark_helpful(target: Reply, helpful: bool | None, *, by, by_asker: bool) -> Reply:
    """The asker (``by_asker``) or a moderator says whether a reply helped (None: no verdict)."""
    with transaction.atomic():
        target.helpful = helpful
        target.save(update_fields=["helpful", "updated_at"])
        if not by_asker:
            author = target.author.display_name
            _log(target.question, "helpful", by, reply=target.document_id, helpful=helpful, author=author)
    return target


def delete_reply(target: Reply, *, by) -> None:
    """A moderator deletes a reply for good: the question's count follows, a solution it was is unmarked."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=target.question_id)
        _log(question, "delete_reply", by, reply=target.document_id, author=target.author.display_name)
        reply_id, author_id = target.pk, target.author_id
        target.delete()
        question.num_replies = question.replies.count()
        question.save(update_fields=["num_replies", "updated_at"])
        emit("reply_deleted", reply_id=reply_id, author_id=author_id, question_id=question.pk)


def escalate(question: Question, *, by, reason: str) -> SupportTicket:
    """Turn a question into a private support ticket: a record here and a message to the support webhook."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why it goes to support."})
    if SupportTicket.objects.filter(question=question).exists():
        raise ForumError("This question has been escalated already.")
    with transaction.atomic():
        ticket = SupportTicket.objects.create(question=question, escalated_by=by, reason=reason[:255])
        _log(question, "escalate", by, reason=reason)
        if settings.FORUM_SUPPORT_WEBHOOK_URL:
            emit("question_escalated", ticket_id=ticket.pk)
    return ticket


def record_edit(post: Question | Reply, *, by, before: dict[str, str]) -> None:
    """Note in the post's history that ``by`` rewrote someone else's words: which fields, and what they said.

    ``before`` maps each changed field (subject, body) to its text before the edit. Nothing is
    noted when the author edits their own post.
    """
    author_user_id = post.author.user_id if post.author_id else None
    if not before or by is None or by.pk == author_user_id:
        return
    question = post if isinstance(post, Question) else post.question
    author = post.author.display_name
    _log(question, "moderator_edit", by, post=post.document_id, fields=sorted(before), before=before, author=author)
