"""Small-team rules that the API and the admin share."""

from __future__ import annotations

from plugins.accounts.policy import Actor
from plugins.core.errors import NotAllowed
from plugins.teams.models import Team


def team_ids_of(profile) -> set[int]:
    """The small teams ``profile`` is on, as a member or a lead."""
    return set(profile.teams.values_list("pk", flat=True)) | set(profile.lead_teams.values_list("pk", flat=True))


def check_profile_change(actor: Actor, profile, *, teams=None, lead_teams=None, email: str | None = None) -> None:
    """Refuse (``NotAllowed``) a change of ``profile`` that changes who is on a small team, unless ``actor`` may.

    ``teams`` and ``lead_teams`` are the team ids the profile will be on (None: unchanged); ``email``
    is its new e-mail (None: unchanged), which decides the account that claims a team member's
    profile, so changing it counts as a change of their teams. The API and the admin both ask this.
    """
    changed = set()
    for attr, wanted in (("teams", teams), ("lead_teams", lead_teams)):
        if wanted is not None:
            current = set(getattr(profile, attr).values_list("pk", flat=True)) if profile.pk else set()
            changed |= current ^ set(wanted)
    if email is not None and profile.pk and email != profile.email:
        changed |= team_ids_of(profile)
    check_membership_change(actor, changed)


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
