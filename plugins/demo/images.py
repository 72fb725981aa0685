"""Generated demo images: avatars, crests, icons — drawn with Pillow, stored as Wagtail images."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont

from plugins.assets.models import CommunityImage
from plugins.assets.services import collection_named

DEMO_PREFIX = "demo: "


def colour_for(key: str) -> tuple[int, int, int]:
    """A pleasant, stable colour derived from ``key``."""
    digest = hashlib.sha256(key.encode()).digest()
    return 60 + digest[0] % 160, 60 + digest[1] % 160, 60 + digest[2] % 160


def _font(size: int):
    return ImageFont.load_default(size=size)


def draw_badge(key: str, text: str, size: int = 256, shape: str = "circle") -> bytes:
    """A square PNG with a transparent background, a coloured shape and centred text."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = colour_for(key)
    margin = size // 16
    box = (margin, margin, size - margin, size - margin)
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "shield":
        w = size - 2 * margin
        draw.polygon(
            [
                (margin, margin),
                (size - margin, margin),
                (size - margin, margin + w * 0.55),
                (size // 2, size - margin),
                (margin, margin + w * 0.55),
            ],
            fill=colour,
        )
    else:
        draw.rounded_rectangle(box, radius=size // 8, fill=colour)
    font = _font(size // 3 if len(text) <= 2 else size // 5)
    draw.text((size / 2, size / 2), text, fill=(255, 255, 255, 255), font=font, anchor="mm")
    out = BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def demo_image(
    key: str,
    title: str,
    text: str,
    shape: str = "circle",
    existing: dict | None = None,
    collection: str | None = None,
) -> CommunityImage:
    """Return the demo image stored under ``key``, drawing and saving it (in the named ``collection`` of
    ``plugins.assets.collections``, else the root) the first time.

    ``existing`` maps already-stored demo titles to images, so a large seed avoids one query each.
    """
    full_title = f"{DEMO_PREFIX}{key}"
    if existing is not None and full_title in existing:
        return existing[full_title]
    image = CommunityImage.objects.filter(title=full_title).first()
    if image is None:
        data = draw_badge(key, text, shape=shape)
        filename = f"{key.replace(':', '-').replace('/', '-')}.png"
        image = CommunityImage(title=full_title, description=title)
        if collection is not None:
            image.collection = collection_named(collection)
        image.file = ImageFile(BytesIO(data), name=filename)
        image.file_size = len(data)
        image.save()
    if existing is not None:
        existing[full_title] = image
    return image


def existing_demo_images() -> dict[str, CommunityImage]:
    """All demo images already stored, by title."""
    return {image.title: image for image in CommunityImage.objects.filter(title__startswith=DEMO_PREFIX)}
