"""What a team member's avatar must be for the team page: a square, transparent PNG, sharp at 2x.

The team page lays avatars over the team's colour, so a photo with its background cut out (a
PNG with transparent pixels) is what it needs; a JPEG or an opaque PNG shows a box instead.
"""

from __future__ import annotations

from PIL import Image, UnidentifiedImageError

from plugins.assets.services import ImageRejected, check_image

# The profile page shows the avatar at 128 CSS pixels; 256 keeps it sharp on 2x screens.
MIN_AVATAR_SIDE = 256


def avatar_problems(upload) -> list[str]:
    """Every way ``upload`` falls short of a team avatar, in words an editor can act on; empty when fine."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            problems = _shape_problems(image) + _transparency_problems(image)
    except (UnidentifiedImageError, OSError, ValueError):
        return ["The file is not an image that can be read. Upload a PNG file."]
    finally:
        upload.seek(0)
    return problems


def check_team_avatar(upload) -> None:
    """Raise ``ImageRejected`` naming every problem when ``upload`` is not a usable team avatar."""
    check_image(upload)  # Wagtail's own limits first: type, file size, pixel count
    problems = avatar_problems(upload)
    if problems:
        raise ImageRejected(" ".join(problems))


def _shape_problems(image: Image.Image) -> list[str]:
    problems = []
    if image.format != "PNG":
        problems.append(f"The avatar must be a PNG file; this one is {image.format or 'of an unknown type'}.")
    width, height = image.size
    if width != height:
        problems.append(f"The avatar must be square; this one is {width} × {height} pixels.")
    if min(width, height) < MIN_AVATAR_SIDE:
        problems.append(
            f"The avatar must be at least {MIN_AVATAR_SIDE} × {MIN_AVATAR_SIDE} pixels; this one is {width} × {height}."
        )
    return problems


def _transparency_problems(image: Image.Image) -> list[str]:
    if image.format != "PNG":
        return []  # already refused for its type; transparency would only repeat it
    if not _has_alpha(image):
        return ["The avatar must have a transparent background; this PNG has no transparency (no alpha channel)."]
    alpha = image.convert("RGBA").getchannel("A")
    lowest, _ = alpha.getextrema()
    if lowest == 255:
        return ["The avatar must have a transparent background; every pixel of this PNG is opaque."]
    return []


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode in ("P", "L", "RGB") and "transparency" in image.info)
