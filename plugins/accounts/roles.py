"""The names of the roles (Django groups) that the data migrations create."""

EDITORS = "Editors"
MODERATORS = "Moderators"
# A limited forum role: marks solutions, moves questions between topics, hides replies, archives.
COMMUNITY_MODERATORS = "Community moderators"

FORUM_ACTIONS = frozenset(
    {
        "archive",
        "unarchive",
        "move",
        "hide",
        "unhide",
        "solution",
        "pin",
        "unpin",
        "tag",
        "untag",
        "escalate",
        "approve",
    }
)
COMMUNITY_MODERATOR_ACTIONS = frozenset({"archive", "unarchive", "move", "hide", "unhide", "solution"})


def can_moderate(user) -> bool:
    """Moderators and editors (and superusers) assign achievements and gift points."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=[EDITORS, MODERATORS]).exists()


def forum_rights(user) -> frozenset[str]:
    """The forum moderation actions ``user`` may take: all for moderators and editors, some for community moderators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return FORUM_ACTIONS
    groups = set(user.groups.values_list("name", flat=True))
    if groups & {EDITORS, MODERATORS}:
        return FORUM_ACTIONS
    if COMMUNITY_MODERATORS in groups:
        return COMMUNITY_MODERATOR_ACTIONS
    return frozenset()
