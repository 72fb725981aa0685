"""Responsive formats of an image, made when it is uploaded.

The breakpoints are Strapi's (thumbnail 245×156, small 500, medium 750, large 1000, each "fit
inside", never enlarged), so the API can return Strapi's ``formats`` and the static site its 1x / 2x
images without resizing anything at request time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    width: int
    height: int

    @property
    def filter_spec(self) -> str:
        return f"max-{self.width}x{self.height}"

    def applies_to(self, width: int, height: int) -> bool:
        """A format is made only for an image larger than it."""
        return width > self.width or height > self.height


FORMATS = (
    Format("thumbnail", 245, 156),
    Format("small", 500, 500),
    Format("medium", 750, 750),
    Format("large", 1000, 1000),
)
FILTER_SPECS = tuple(f.filter_spec for f in FORMATS)
FORMAT_BY_SPEC = {f.filter_spec: f for f in FORMATS}


def ensure_formats(image) -> list:
    """Create the renditions of ``image`` that its size calls for; return them."""
    wanted = [f.filter_spec for f in FORMATS if f.applies_to(image.width, image.height)]
    if not wanted:
        return []
    return list(image.get_renditions(*wanted).values())
