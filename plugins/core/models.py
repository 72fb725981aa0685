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
