"""Role assignment for member accounts."""

from django.contrib.auth.models import Group
from django.db import transaction

from plugins.accounts.roles import MODERATORS


def set_team_moderator(user, on_team: bool) -> None:
    """Give ``user`` the Moderators role when they are on a small team, and take it away when not.

    Being on a team is what makes a moderator, so the role follows membership both ways.
    """
    group = Group.objects.get(name=MODERATORS)
    with transaction.atomic():
        if on_team:
            user.groups.add(group)
        else:
            user.groups.remove(group)
