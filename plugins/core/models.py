"""Abstract model pieces shared by every content type."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin

from plugins.core.document_ids import LENGTH, new_document_id


class DocumentIdMixin(models.Model):
    """Gives a model Strapi's ``documentId``: opaque, URL-safe, stable across edits and publishing."""

    document_id = models.CharField(
        "document id",
        max_length=LENGTH,
        unique=True,
        default=new_document_id,
        editable=False,
        help_text="Stable public identifier used by the REST API.",
    )

    class Meta:
        abstract = True


class TimestampedMixin(models.Model):
    """Creation and last-change times, as Strapi's ``createdAt`` / ``updatedAt``."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EditorialMixin(DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """Wagtail's draft / publish, locking and revisions, as editorial content types have them."""

    # Deleting the object deletes its revisions with it.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(app_label)s_%(class)s")

    class Meta:
        abstract = True

    @property
    def revisions(self):
        return self._revisions


class OutboxEntry(models.Model):
    """An event (or a task) written in the transaction of the change that caused it, handed to the task queue
    once that transaction commits, and again by the relay if the queue was away (``plugins.core.outbox``)."""

    # An event's name (delivered to its subscribers), or empty for a task.
    event = models.CharField(max_length=100, blank=True)
    # A task's dotted path (enqueued as it is), or empty for an event.
    task_path = models.CharField(max_length=200, blank=True)
    # The event's payload, or the task's {"args": [...], "kwargs": {...}}.
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last handed to the queue (a lease: handed again when it has not run within OUTBOX_LEASE).
    handed_at = models.DateTimeField(null=True, blank=True)
    handings = models.PositiveIntegerField(default=0)
    # When a worker began running the task (a lease: a duplicate in the queue runs nothing meanwhile).
    started_at = models.DateTimeField(null=True, blank=True)
    # The subscribers that have run (each in the transaction of its own writes), by dotted name.
    delivered_to = models.JSONField(default=list)
    done_at = models.DateTimeField(null=True, blank=True)
    # Set aside: it cannot be queued (its task is gone), or was handed over too often without being done.
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "outbox entry"
        verbose_name_plural = "outbox entries"
        indexes = [
            models.Index(fields=["created_at"], name="core_outbox_pending", condition=models.Q(done_at__isnull=True)),
            models.Index(fields=["done_at"], name="core_outbox_done"),
        ]

    def __str__(self):
        return f"{self.event or self.task_path} #{self.pk}"
