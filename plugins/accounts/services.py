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


def add_team_moderators(user_ids) -> None:
    """``set_team_moderator(user, True)`` for every account in ``user_ids``, in one insert (imports, seeding)."""
    group = Group.objects.get(name=MODERATORS)
    Through = Group.user_set.through
    Through.objects.bulk_create(
        [Through(user_id=pk, group_id=group.pk) for pk in set(user_ids) if pk],
        ignore_conflicts=True,
        batch_size=2000,
    )
