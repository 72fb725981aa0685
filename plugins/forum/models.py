"""The community forum: topics, questions (in the forum or at the end of a docs page), replies, votes, subscriptions."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.search import index

from plugins.core.models import DocumentIdMixin, TimestampedMixin
from plugins.core.slugs import AutoSlugMixin
from plugins.core.text import long_text
from plugins.forum.markdown import render_markdown


class TopicGroup(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, models.Model):
    slug_source = "label"

    label = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, blank=True, help_text="Left empty, it is made from the label.")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = "topic group"

    def __str__(self):
        return self.label


class Topic(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, models.Model):
    slug_source = "label"

    label = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, blank=True, help_text="Left empty, it is made from the label.")
    group = models.ForeignKey(TopicGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics")
    description = models.TextField(blank=True, validators=[long_text])
    # The small teams that follow the topic's new questions (posthog.com's community alerts).
    team_subscribers = models.ManyToManyField("teams.Team", blank=True, related_name="topic_subscriptions")
    # A Slack-compatible incoming webhook (a team's channel) told of each new question in the topic.
    channel_webhook_url = models.URLField(
        "channel webhook", max_length=500, blank=True, help_text="Slack-compatible; hears of each new question."
    )

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


class DocsTopicMapping(models.Model):
    """Questions asked on a docs page under ``path_prefix`` are filed under ``topic`` (the longest prefix wins)."""

    path_prefix = models.CharField(max_length=255, unique=True, help_text="e.g. /docs/feature-flags/")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="docs_mappings")

    class Meta:
        ordering = ["path_prefix"]
        verbose_name = "docs topic mapping"

    def __str__(self):
        return f"{self.path_prefix} → {self.topic}"


class InternalTag(models.Model):
    """Moderators' labels on questions; never shown outside moderation."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def public_questions(prefix: str = "") -> models.Q:
    """The questions everyone may read: not archived, not held for approval, not by a blocked member.

    ``prefix`` reaches them from another model (``"question__"`` from a reply).
    """
    return models.Q(
        **{f"{prefix}archived_at__isnull": True, f"{prefix}held": False, f"{prefix}author__blocked_at__isnull": True}
    )


def public_replies() -> models.Q:
    """The replies everyone may read: not hidden, not by a blocked member, on a public question."""
    return models.Q(hidden=False, author__blocked_at__isnull=True) & public_questions("question__")


def archived() -> models.Expression:
    """Whether a question is archived, as the database computes it (``Question.archived`` in Python)."""
    return models.ExpressionWrapper(models.Q(archived_at__isnull=False), output_field=models.BooleanField())


def resolved() -> models.Expression:
    """Whether a question has a solution, as the database computes it."""
    return models.ExpressionWrapper(models.Q(solution__isnull=False), output_field=models.BooleanField())


def replies_by_others() -> models.QuerySet:
    """A question's public replies by anyone but its asker, for a subquery on questions (``OuterRef``)."""
    return Reply.objects.filter(public_replies(), question=models.OuterRef("pk")).exclude(
        author=models.OuterRef("author")
    )


def answered() -> models.Q:
    """The questions that are answered: someone other than the asker replied where everyone may read it
    (``replies_by_others``), or the question has a solution that everyone may read (the asker's own too).

    Two ``EXISTS``, so that ``~answered()`` is exact where there is no solution (no NULL comparisons).
    """
    public_solution = Reply.objects.filter(public_replies(), pk=models.OuterRef("solution"))
    return models.Q(models.Exists(replies_by_others())) | models.Q(models.Exists(public_solution))


def waiting_for_answer() -> models.Q:
    """The public questions that nobody has answered yet (``answered``)."""
    return public_questions() & ~answered()


class Question(index.Indexed, DocumentIdMixin, TimestampedMixin, models.Model):
    subject = models.CharField(max_length=200)
    # The permalink: made from the subject once, unique, never changed by an edit.
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    body = models.TextField(help_text="Markdown.", validators=[long_text])
    body_html = models.TextField(editable=False, blank=True)
    author = models.ForeignKey("profiles.Profile", on_delete=models.PROTECT, related_name="questions")
    topics = models.ManyToManyField(Topic, blank=True, related_name="questions")
    # The docs page the question was asked on ("" for the forum).
    page = models.CharField(max_length=255, blank=True, db_index=True)
    num_replies = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    solution = models.OneToOneField(
        "forum.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="solution_of"
    )
    pinned = models.BooleanField(default=False, help_text="Shown first in its topics.")
    # The topics it is pinned in (posthog.com's ``pinnedTopics``); ``pinned`` says whether there are any.
    pinned_topics = models.ManyToManyField(Topic, blank=True, related_name="pinned_questions")
    archived_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A new member's first question may wait for a moderator (FORUM_HOLD_FIRST_QUESTION).
    held = models.BooleanField(default=False, help_text="Awaiting a moderator's approval.")
    internal_tags = models.ManyToManyField(InternalTag, blank=True, related_name="questions")

    search_fields = [
        index.SearchField("subject", boost=3),
        index.SearchField("body"),
        index.AutocompleteField("subject"),
        index.FilterField("archived_at"),
        index.FilterField("held"),
        index.FilterField("last_activity_at"),
        index.RelatedFields("author", [index.FilterField("blocked_at")]),
    ]

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["-pinned", "-last_activity_at"], name="question_activity"),
            # What ``public_questions`` reads, beside the key (PostgreSQL): counting a topic's questions is an
            # index-only scan, not a visit to each question's row.
            models.Index(fields=["id"], include=["author", "archived_at", "held"], name="question_visibility"),
        ]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.new_slug()
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def new_slug(self) -> str:
        """The subject's slug, or with a short random suffix when taken (subjects repeat: "Help!")."""
        base = (slugify(self.subject) or "question")[:200]
        candidate = base
        while Question.objects.filter(slug=candidate).exists():
            candidate = f"{base}-{secrets.token_hex(3)}"
        return candidate

    @property
    def author_user_id(self):
        return self.author.user_id if self.author_id else None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def public(self) -> bool:
        return self.archived_at is None and not self.held and self.author.blocked_at is None

    @classmethod
    def get_indexed_objects(cls):
        # Archived and held questions stay out of the index (and are removed from it when archived).
        return cls.objects.filter(public_questions())


class Reply(index.Indexed, DocumentIdMixin, TimestampedMixin, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey("profiles.Profile", on_delete=models.PROTECT, related_name="replies")
    body = models.TextField(help_text="Markdown.", validators=[long_text])
    body_html = models.TextField(editable=False, blank=True)
    hidden = models.BooleanField(default=False, help_text="Hidden by a moderator.")
    # Marked helpful by the asker or a moderator (posthog.com's ``helpful``).
    helpful = models.BooleanField(null=True, blank=True, default=None)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)

    search_fields = [
        index.SearchField("body"),
        index.FilterField("hidden"),
        index.FilterField("question"),
        index.RelatedFields("author", [index.FilterField("blocked_at")]),
        index.RelatedFields(
            "question",
            [
                index.FilterField("archived_at"),
                index.FilterField("held"),
                index.RelatedFields("author", [index.FilterField("blocked_at")]),
            ],
        ),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"
        indexes = [models.Index(fields=["question", "created_at"], name="reply_thread")]

    # What ``__str__`` reads beyond the row: lists showing replies load it with them (``snippets.lists``).
    str_relations = ("question",)

    def __str__(self):
        return f"Reply to {self.question}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    @property
    def author_user_id(self):
        return self.author.user_id if self.author_id else None

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.filter(public_replies())


class ReplyVote(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="votes")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=[(1, "up"), (-1, "down")])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "profile"], name="one_vote_per_member")]

    def __str__(self):
        return f"{self.value:+d} on {self.reply_id}"


class Subscription(models.Model):
    """A member follows a question (reply e-mails) or a topic (the daily digest)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="forum_subscriptions")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)
    # Replies to a followed question after this are unread (the dashboard counts them).
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, topic__isnull=True) | Q(question__isnull=True, topic__isnull=False),
                name="subscription_to_one_thing",
            ),
            models.UniqueConstraint(fields=["profile", "question"], name="one_question_subscription"),
            models.UniqueConstraint(fields=["profile", "topic"], name="one_topic_subscription"),
        ]

    def __str__(self):
        return f"{self.profile} follows {self.question or self.topic}"


class SupportTicket(models.Model):
    """A question escalated to private support: the record here, the ticket itself in the support tool."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="support_ticket")
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Support ticket for {self.question}"


class DigestLog(models.Model):
    """A member's daily digest of one day: at most one, and the questions it carried, never twice."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # Questions asked up to this moment were considered; the next digest starts here.
    covered_until = models.DateTimeField()
    questions = models.ManyToManyField(Question, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="one_digest_a_day")]

    def __str__(self):
        return f"Digest for {self.profile} on {self.day}"
