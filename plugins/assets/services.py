"""Storing uploaded images: checked, stripped of metadata, saved as Wagtail images."""

from __future__ import annotations

import posixpath
import struct
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageOps
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection

from plugins.assets.collections import NAMES, find_collection
from plugins.assets.formats import ensure_formats
from plugins.assets.models import CommunityImage
from plugins.core.errors import Invalid, TooLarge

# Formats re-encoded to drop EXIF (GPS position, camera serials); animated GIFs are kept as they are.
REENCODED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}


# What Pillow raises, reading a file that is cut short or corrupt.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError)


class ImageRejected(Invalid):
    """The upload is not an acceptable image; the message says why."""


class ImageTooLarge(ImageRejected, TooLarge):
    """The upload is larger than the file size or pixel limits."""


def check_image(upload):
    """Wagtail's checks (a real image of an allowed type, under the size and pixel limits), then a
    full decode: a file whose header is right but whose data is cut short or damaged is refused too."""
    try:
        checked = WagtailImageField().clean(upload)
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except ValidationError as exc:
        too_large = exc.code in ("file_too_large", "file_too_many_pixels")
        raise (ImageTooLarge if too_large else ImageRejected)(" ".join(exc.messages)) from None
    except DECODE_ERRORS:
        raise ImageRejected("The image is damaged or incomplete; upload the whole file again.") from None
    finally:
        upload.seek(0)
    return checked


def strip_metadata(name: str, data: bytes) -> bytes:
    """Re-encode the image without its metadata, applying the EXIF orientation first."""
    with Image.open(BytesIO(data)) as image:
        fmt = image.format
        if fmt not in REENCODED or getattr(image, "is_animated", False):
            return data
        clean = ImageOps.exif_transpose(image)
        if clean.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            clean = clean.convert("RGBA" if "A" in clean.getbands() else "RGB")
        out = BytesIO()
        options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
        clean.save(out, format=REENCODED[fmt], **options)
        return out.getvalue()


def collection_named(name: str) -> Collection:
    """One of the collections of ``plugins.assets.collections`` (Icons, Crests, Avatars), made under the
    root if it is missing (a fresh database migrates them in; a flushed test database may not have them)."""
    if name not in NAMES:
        raise ValueError(f"Unknown image collection {name!r}")
    collection = find_collection(name)
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
    return collection


def file_image_id(image_id: int, collection: str) -> None:
    """File the image ``image_id``, if it is still in the root collection where uploads land, in the named
    collection (an uploaded file that becomes a member's avatar moves to Avatars). An image already filed
    elsewhere stays: a member who names a team's crest as their avatar does not move the crest."""
    target = collection_named(collection)
    unfiled = CommunityImage.objects.filter(pk=image_id, collection__depth=1).exclude(collection=target)
    unfiled.update(collection=target)


@transaction.atomic
def store_image(
    upload, *, title: str = "", alt_text: str = "", caption: str = "", user=None, collection: str | None = None
) -> CommunityImage:
    """Check an uploaded file and store it as an image (in the named ``collection``, else the root);
    raises ``ImageRejected`` with the reason."""
    return _store_checked(
        upload, check_image(upload), title=title, alt_text=alt_text, caption=caption, user=user, collection=collection
    )


def _store_checked(
    upload, checked, *, title: str, alt_text: str, caption: str, user, collection: str | None = None
) -> CommunityImage:
    upload.seek(0)
    data = strip_metadata(upload.name, upload.read())
    name = posixpath.basename(upload.name)
    image = CommunityImage(
        title=(title or posixpath.splitext(name)[0])[:255],
        description=alt_text[:255],
        caption=caption[:255],
        uploaded_by_user=user,
    )
    if collection is not None:
        image.collection = collection_named(collection)
    image.file = SimpleUploadedFile(name, data, content_type=getattr(checked, "content_type", None))
    image.file_size = len(data)
    image.save()
    ensure_formats(image)  # now, so that the answer to the upload already lists them
    return image


def store_images(uploads: list[tuple[object, dict]], *, user=None) -> list[CommunityImage]:
    """Store several uploads, each with its ``{title, alt_text, caption}``: all of them, or none.

    Every file is checked before any is stored, so a bad one (``ImageRejected``, ``ImageTooLarge``)
    leaves nothing behind; should storing fail half-way, the files already written are removed.
    """
    checked = []
    for upload, _info in uploads:
        try:
            checked.append(check_image(upload))
        except ImageRejected as error:
            raise type(error)(f"{posixpath.basename(upload.name)}: {error}") from None
    stored: list[CommunityImage] = []
    written: list = []  # (storage, name) of every file made, originals and renditions
    try:
        with transaction.atomic():
            for (upload, info), image_file in zip(uploads, checked, strict=True):
                image = _store_checked(upload, image_file, user=user, **info)
                stored.append(image)
                written += [(f.storage, f.name) for f in (image.file, *(r.file for r in image.renditions.all()))]
    except BaseException:
        for storage, name in written:  # the rows rolled back; the files would stay
            storage.delete(name)
        raise
    return stored


def update_file_info(image: CommunityImage, *, title=None, alt_text=None, caption=None) -> CommunityImage:
    """Change a file's name, alternative text or caption (each left as it is when None)."""
    if title is not None:
        image.title = (title or image.title)[:255]
    if alt_text is not None:
        image.description = alt_text[:255]
    if caption is not None:
        image.caption = caption[:255]
    image.save(update_fields=["title", "description", "caption"])
    return image


def delete_image(image: CommunityImage) -> None:
    """Delete an uploaded file and its renditions; where it was used, the field is left empty."""
    image.delete()
