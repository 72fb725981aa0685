"""Who is asking, as far as reading goes, and which rows of a content type that lets them see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q


def _every_type(plural: str) -> bool:
    return True


@dataclass
class Access:
    include_private: bool = False
    drafts: bool = False  # status=draft was asked for and allowed
    member_id: int | None = None  # the signed-in member's user id: they see their own hidden rows
    # Whether the caller may ``find`` a content type (by plural): populate and filters cross a
    # relation only into types they may read, as the role matrix or the token's scope says.
    may_find: Callable[[str], bool] = field(default=_every_type)


def visibility(content_type, access: Access) -> Q:
    """The rows of ``content_type`` that ``access`` may read, as a condition.

    Published rows unless drafts were asked for; of those, the ones ``published_filter`` shows
    (trusted callers see them all; owners their own, where the type says so).
    """
    q = Q()
    if content_type.draft_and_publish and not access.drafts:
        q &= Q(live=True)
    if content_type.published_filter is not None and not (access.drafts or access.include_private):
        shown = content_type.published_filter
        if content_type.owner_sees_hidden and access.member_id is not None:
            shown = shown | Q(**{content_type.owner: access.member_id})
        q &= shown
    return q
