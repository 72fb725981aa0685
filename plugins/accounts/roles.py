"""The names of the roles (Django groups) that the data migrations create."""

EDITORS = "Editors"
MODERATORS = "Moderators"


def can_moderate(user) -> bool:
    """Moderators and editors (and superusers) assign achievements and gift points."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=[EDITORS, MODERATORS]).exists()
