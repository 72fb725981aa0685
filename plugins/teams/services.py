"""Small-team rules that the API and the admin share."""

from __future__ import annotations

from plugins.accounts.policy import Actor
from plugins.core.errors import NotAllowed
from plugins.teams.models import Team


def team_ids_of(profile) -> set[int]:
    """The small teams ``profile`` is on, as a member or a lead."""
    return set(profile.teams.values_list("pk", flat=True)) | set(profile.lead_teams.values_list("pk", flat=True))


def check_membership_change(actor: Actor, team_ids) -> None:
    """Refuse (``NotAllowed``) a change of who is on the small teams ``team_ids`` by anyone but an editor or
    those teams' leads; a new team (id None) is the editors'.

    Being on a team is what makes someone a Moderator, so a moderator who may edit profiles must
    not be able to put anyone on a team.
    """
    team_ids = set(team_ids)
    if not team_ids or actor.is_editor:
        return
    if None in team_ids or not actor.may_change_team_membership(team_ids):
        names = ", ".join(sorted(Team.objects.filter(pk__in=team_ids - {None}).values_list("name", flat=True)))
        raise NotAllowed(f"Only editors and the team's own leads may change who is on {names or 'a new team'}.")
