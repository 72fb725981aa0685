"""The image collections things are kept in: icons, crests and avatars each have their own.

Hundreds of member avatars once filled the one collection that every chooser opened on, so an
editor picking an achievement's icon scrolled past them; each kind of image now lives in its own
collection (under Wagtail's root), and each chooser opens on the one it needs.
"""

from __future__ import annotations

from wagtail.models import Collection

ICONS = "Icons"  # achievements' and achievement groups' icons
CRESTS = "Crests"  # small teams' crests and mini crests
AVATARS = "Avatars"  # community profiles' avatars
NAMES = (ICONS, CRESTS, AVATARS)


def find_collection(name: str) -> Collection | None:
    """The collection of that name under the root, or None (a read: it is never made here)."""
    return Collection.objects.filter(depth=2, name=name).first()
