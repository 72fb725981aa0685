"""Abstract model pieces shared by every content type."""

from django.db import models

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
