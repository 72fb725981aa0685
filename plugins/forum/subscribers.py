"""What the forum does after a question or reply is committed: e-mails and channel messages, as tasks."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task
from wagtail.search import index

from plugins.core.events import subscribe
from plugins.forum.links import question_url, unsubscribe_token, unsubscribe_url
from plugins.forum.models import Question, Reply, Subscription, SupportTicket, public_questions, public_replies
from plugins.notifications.email import send_email
from plugins.notifications.webhooks import deliver_webhook, slack_message
from plugins.profiles.services import touch_profiles


@subscribe("reply_posted")
def reply_posted(*, reply_id, **payload):
    notify_reply_subscribers.enqueue(reply_id)


@subscribe("question_asked")
def question_asked(*, question_id=None, **payload):
    if question_id is not None:
        announce_question.enqueue(question_id)


@task()
def notify_reply_subscribers(reply_id: int) -> int:
    """Background task: e-mail every subscriber of the question but the reply's author; how many were sent."""
    new = Reply.objects.select_related("question", "author__user").filter(pk=reply_id, hidden=False).first()
    if new is None or new.question.archived:
        return 0
    question = new.question
    subscriptions = (
        Subscription.objects.filter(question=question, profile__user__is_active=True)
        .exclude(profile=new.author)
        .select_related("profile__user")
    )
    author = new.author.display_name
    sent = 0
    for subscription in subscriptions:
        address = subscription.profile.user.email or subscription.profile.email
        if not address:
            continue
        token = unsubscribe_token(subscription.profile_id, question_id=question.pk)
        link = unsubscribe_url(token)
        text = (
            f"{author} replied to “{question.subject}”:\n\n{new.body}\n\n"
            f"Read and reply: {question_url(question)}\n\n"
            f"You get this because you follow the question. Stop: {link}\n"
        )
        headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        send_email.enqueue(address, f"New reply: {question.subject}", text, "", headers)
        sent += 1
    return sent


@task()
def announce_question(question_id: int) -> int:
    """Background task: post a new question to the channel webhook of each of its topics that has one."""
    question = Question.objects.select_related("author__user").filter(pk=question_id).first()
    if question is None or question.archived:
        return 0
    urls = {t.channel_webhook_url for t in question.topics.all() if t.channel_webhook_url}
    message = slack_message(
        f":question: New question from {question.author.display_name}: <{question_url(question)}|{question.subject}>",
        {"Topics": ", ".join(t.label for t in question.topics.all()) or "—"},
    )
    for url in sorted(urls):
        deliver_webhook.enqueue(url, message)
    return len(urls)


@subscribe("question_escalated")
def question_escalated(*, ticket_id, **payload):
    url = settings.FORUM_SUPPORT_WEBHOOK_URL
    ticket = SupportTicket.objects.select_related("question__author__user").filter(pk=ticket_id).first()
    if not url or ticket is None:
        return
    question, author = ticket.question, ticket.question.author
    # The support tool is private: the asker's e-mail goes there so that support can write to them.
    message = slack_message(
        f":sos: Escalated to support: <{question_url(question)}|{question.subject}>",
        {
            "Asker": author.name_for_staff,
            "E-mail": (author.user.email if author.user else "") or author.email or "—",
            "Reason": ticket.reason,
        },
    )
    deliver_webhook.enqueue(url, message)


@subscribe("question_hidden")
def question_hidden(*, question_id, **payload):
    """Archived: out of the search index at once, with its replies (not left to a background task)."""
    question = Question.objects.filter(pk=question_id).first()
    if question is not None:
        index.remove_object(question)
        for hidden_reply in question.replies.all():
            index.remove_object(hidden_reply)
        touch_profiles(_participants(question))


@subscribe("question_shown")
def question_shown(*, question_id, **payload):
    question = Question.objects.filter(pk=question_id).first()
    if question is not None:
        index.insert_or_update_object(question)
        for shown_reply in question.replies.filter(hidden=False):
            index.insert_or_update_object(shown_reply)
        touch_profiles(_participants(question))


@subscribe("member_blocked")
def member_blocked(*, profile_id, **payload):
    """A blocked member's posts leave the search index and the pages that list them, as archived ones do."""
    for question_id in Question.objects.filter(author_id=profile_id).values_list("pk", flat=True):
        question_hidden(question_id=question_id)
    for reply_id in Reply.objects.filter(author_id=profile_id).values_list("pk", flat=True):
        reply_hidden(reply_id=reply_id)


@subscribe("member_unblocked")
def member_unblocked(*, profile_id, **payload):
    for question in Question.objects.filter(public_questions(), author_id=profile_id):
        question_shown(question_id=question.pk)
    for shown in Reply.objects.filter(public_replies(), author_id=profile_id):
        reply_shown(reply_id=shown.pk)


def _participants(question) -> set[int]:
    """The asker and everyone who replied: their profiles list the discussion."""
    return {question.author_id, *question.replies.values_list("author_id", flat=True)}


@subscribe("reply_hidden")
def reply_hidden(*, reply_id, **payload):
    found = Reply.objects.filter(pk=reply_id).first()
    if found is not None:
        index.remove_object(found)
        touch_profiles([found.author_id])


@subscribe("reply_deleted")
def reply_deleted(*, author_id, **payload):
    touch_profiles([author_id])


@subscribe("reply_shown")
def reply_shown(*, reply_id, **payload):
    touch_profiles(Reply.objects.filter(pk=reply_id).values_list("author_id", flat=True))
