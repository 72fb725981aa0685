"""Wagtail images as Strapi's file objects (url, width, height, mime, ext, formats …)."""

from __future__ import annotations

import mimetypes
import posixpath
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.db.models import F, Prefetch
from django.dispatch import receiver

from api.query.kept import KEYS, AnyOf, kept
from api.query.values import format_datetime
from plugins.assets.formats import FILTER_SPECS, FORMAT_BY_SPEC
from plugins.assets.models import CommunityImage, CommunityRendition

FORMATS_ATTR = "api_formats"


# The image columns a file object reads: what a populate joins into its row's query.
IMAGE_FIELDS = (
    "document_id",
    "title",
    "description",
    "caption",
    "width",
    "height",
    "file",
    "file_size",
    "created_at",
    "focal_point_x",
    "focal_point_y",
)


def _renditions():
    return CommunityRendition.objects.filter(filter_spec__in=FILTER_SPECS).only(
        "image_id", "filter_spec", "file", "width", "height"
    )


def image_queryset():
    """Images with their Strapi formats prefetched into ``api_formats`` (one extra query)."""
    return CommunityImage.objects.only(*IMAGE_FIELDS).prefetch_related(
        Prefetch("renditions", queryset=_renditions(), to_attr=FORMATS_ATTR)
    )


def _renditions_by_image():
    """The renditions' rows of the images ``KEYS`` names: kept compiled (``api.query.kept``)."""
    by_image = _renditions().filter(AnyOf(F("image_id"), KEYS))
    return by_image.values_list("image_id", "filter_spec", "file", "width", "height")


class StoredFormat(NamedTuple):
    """A rendition as a file object reads it: a row, not a model instance (there are four per image)."""

    filter_spec: str
    file_name: str
    width: int
    height: int


def attach_formats(images) -> None:
    """Load the Strapi formats of ``images`` (joined into their rows' queries, so one image may come as
    several objects) in one query for them all."""
    pending: dict[int, list] = {}
    for image in images:
        if not hasattr(image, FORMATS_ATTR):
            pending.setdefault(image.pk, []).append(image)
    if not pending:
        return
    by_image: dict[int, list] = {pk: [] for pk in pending}
    rows = kept(("renditions",), _renditions_by_image).rows(pending)
    for image_id, *fields in rows:
        by_image[image_id].append(StoredFormat(*fields))
    for pk, same in pending.items():
        for image in same:
            setattr(image, FORMATS_ATTR, by_image[pk])


def provider() -> str:
    return _storage().provider


class _Storage(NamedTuple):
    provider: str
    signed_urls: bool


@lru_cache(maxsize=1)
def _storage() -> _Storage:
    """The storage's provider name and whether its URLs are signed: read from the settings once, not for
    each of the five files an image shows (the settings and the storage are lazy objects, slow to ask)."""
    backend = settings.STORAGES["default"]["BACKEND"]
    return _Storage(
        "aws-s3" if "s3" in backend.lower() else "local", bool(getattr(default_storage, "querystring_auth", False))
    )


def _file_fields(file_name: str, size_bytes: int | None) -> dict:
    fields = {**_named(file_name), "size": round((size_bytes or 0) / 1000, 2)}
    if _storage().signed_urls:  # signed URLs expire: never kept
        fields["url"] = default_storage.url(file_name)
    return fields


@lru_cache(maxsize=65536)
def _named(file_name: str) -> dict:
    """What a stored file's name says of it, its URL included: a stored file keeps its name, so this is kept."""
    name = posixpath.basename(file_name)
    stem, ext = posixpath.splitext(name)
    return {
        "name": name,
        "hash": stem,
        "ext": ext.lower(),
        "mime": mimetypes.guess_type(name)[0] or "application/octet-stream",
        "url": default_storage.url(file_name),
    }


@receiver(setting_changed)
def _storage_changed(setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_URL"):
        _storage.cache_clear()
        _named.cache_clear()
        _stored_size.cache_clear()


@lru_cache(maxsize=65536)
def _stored_size(name: str) -> int | None:
    """A rendition's size in bytes; its file never changes once made, so the answer is kept."""
    try:
        return default_storage.size(name)
    except (OSError, NotImplementedError):
        return None


def _rendition(rendition: StoredFormat) -> dict:
    data = _file_fields(rendition.file_name, None)
    # Asking S3 for a size is a request per file: only the local filesystem is asked.
    size = _stored_size(rendition.file_name) if provider() == "local" else None
    data.update(path=None, width=rendition.width, height=rendition.height)
    if size is not None:
        data["size"] = round(size / 1000, 2)
        data["sizeInBytes"] = size
    return data


# The keys of a file object, which ``fields`` in a media populate chooses from.
FILE_FIELDS = (
    "name",
    "alternativeText",
    "caption",
    "focalPoint",
    "width",
    "height",
    "formats",
    "hash",
    "ext",
    "mime",
    "size",
    "url",
    "previewUrl",
    "provider",
    "provider_metadata",
    "createdAt",
    "updatedAt",
    "publishedAt",
)


def focal_point(image) -> dict | None:
    """Where the editor put the image's focus (Wagtail's focal point), as fractions of its width and height."""
    if image.focal_point_x is None or not image.width or not image.height:
        return None
    return {"x": round(image.focal_point_x / image.width, 4), "y": round(image.focal_point_y / image.height, 4)}


def file_object(image) -> dict:
    """Strapi's upload-file shape for one image."""
    formats = {}
    for rendition in getattr(image, FORMATS_ATTR, None) or ():
        spec = FORMAT_BY_SPEC.get(rendition.filter_spec)
        if spec is not None:
            if not isinstance(rendition, StoredFormat):  # prefetched by ``image_queryset``
                rendition = StoredFormat(rendition.filter_spec, rendition.file.name, rendition.width, rendition.height)
            formats[spec.name] = _rendition(rendition)
    data = {
        "id": image.pk,
        "documentId": image.document_id,
        "alternativeText": image.description or None,
        "caption": image.caption or None,
        "focalPoint": focal_point(image),
        "width": image.width,
        "height": image.height,
        "formats": {name: formats[name] for name in ("thumbnail", "small", "medium", "large") if name in formats}
        or None,
    }
    data.update(_file_fields(image.file.name, image.file_size))
    data["name"] = image.title or data["name"]
    data.update(
        previewUrl=None,
        provider=provider(),
        provider_metadata=None,
        createdAt=format_datetime(image.created_at),
        updatedAt=format_datetime(image.created_at),
        publishedAt=format_datetime(image.created_at),
    )
    return data
