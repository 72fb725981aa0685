"""Profile rules that other parts of the system call."""

from plugins.accounts.services import set_team_moderator
from plugins.profiles.models import Profile


def is_on_a_team(profile: Profile) -> bool:
    """True when the profile is a member or a lead of at least one small team."""
    return profile.teams.exists() or profile.lead_teams.exists()


def sync_team_role(profile: Profile) -> None:
    """Make the profile's account a Moderator exactly while the profile is on a small team."""
    if profile.user_id:
        set_team_moderator(profile.user, is_on_a_team(profile))


def sync_team_roles(profile_ids) -> None:
    """``sync_team_role`` for every profile in ``profile_ids`` that has an account."""
    for profile in Profile.objects.filter(pk__in=list(profile_ids), user__isnull=False).select_related("user"):
        sync_team_role(profile)
