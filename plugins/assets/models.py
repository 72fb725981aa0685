"""The project's Wagtail image model.

A custom image model from the start, because swapping Wagtail's image model once data exists is
a painful migration, and the API needs a ``documentId`` and a caption on every media file
(Strapi's file object carries both).
"""

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from plugins.core.models import DocumentIdMixin


class CommunityImage(DocumentIdMixin, AbstractImage):
    caption = models.CharField(max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "caption")

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"
        permissions = [("choose_image", "Can choose image")]


class CommunityRendition(AbstractRendition):
    image = models.ForeignKey(CommunityImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
