"""Profile rules that other parts of the system call."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from plugins.accounts.policy import Actor
from plugins.accounts.services import add_team_moderators, set_team_moderator
from plugins.core.errors import NotAllowed
from plugins.core.events import emit
from plugins.profiles.models import Profile
from plugins.teams.models import forget_pineapple_counts
from plugins.teams.services import check_membership_change


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


def add_to_teams(members=(), leads=()) -> None:
    """Bulk ``profile.teams.add(team)`` (``members``) and ``profile.lead_teams.add(team)`` (``leads``), as
    ``(profile, team)`` pairs, for imports and seeding.

    The same end state as adding them one by one: the link rows (one insert each), the Moderators
    role for the accounts of the profiles that joined a team, their ``updatedAt`` moved and the
    pineapple counts forgotten, each once for all instead of once a row. Pairs already linked change
    nothing (running an import again touches no profile).
    """
    joined = set()
    with transaction.atomic():
        for relation, pairs in ((Profile.teams, list(members)), (Profile.lead_teams, list(leads))):
            Through = relation.through
            linked = set(
                Through.objects.filter(profile_id__in={p.pk for p, _ in pairs}).values_list("profile_id", "team_id")
            )
            fresh = {(profile.pk, team.pk) for profile, team in pairs} - linked
            Through.objects.bulk_create(
                [Through(profile_id=profile_id, team_id=team_id) for profile_id, team_id in sorted(fresh)],
                ignore_conflicts=True,
                batch_size=2000,
            )
            joined |= {profile_id for profile_id, _ in fresh}
        if joined:
            add_team_moderators(Profile.objects.filter(pk__in=joined).values_list("user_id", flat=True))
            touch_profiles(joined)
    if joined:
        forget_pineapple_counts()


def set_team_membership(actor: Actor, team, profile: Profile, *, member: bool, lead: bool = False) -> None:
    """Put ``profile`` on ``team`` (``member``), leading it too with ``lead``, or take them off it (neither).

    A lead is a member who also leads, as the site shows them. Refuses (``NotAllowed``) anyone but an
    editor or the team's own leads (``check_membership_change``, the rule the profile form and the API
    ask). The Moderators role, the pineapple counts and the profile's ``updatedAt`` follow through the
    membership signals; the change is logged on the team.
    """
    check_membership_change(actor, {team.pk})
    lead = member and lead
    with transaction.atomic():
        was = (profile.teams.filter(pk=team.pk).exists(), profile.lead_teams.filter(pk=team.pk).exists())
        if was == (member, lead):
            return
        (profile.teams.add if member else profile.teams.remove)(team)
        (profile.lead_teams.add if lead else profile.lead_teams.remove)(team)
        action = "community.team.member_remove" if not member else "community.team.member_set"
        log(team, action, user=actor.user, data={"profile": str(profile), "lead": lead})


def profile_of(user) -> Profile | None:
    """The profile of ``user``'s account, if it has one yet (reading never makes one)."""
    return Profile.objects.filter(user=user).first() if user is not None else None


@transaction.atomic
def claim_or_create_profile(user, *, vouched: bool = False) -> Profile:
    """Give a new account its profile: claim an unclaimed one made for its e-mail, or start a new one.

    A profile on a small team is claimed only when ``vouched`` (an editor adds the team member):
    being on a team makes its account a Moderator, and an e-mail given at sign-up is not proof.
    """
    existing = Profile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    unclaimed = Profile.objects.select_for_update().filter(user__isnull=True, email__iexact=user.email)
    if not vouched:
        # Sub-queries, not joins: PostgreSQL locks no row on the nullable side of an outer join.
        on_teams = Profile.teams.through.objects.values("profile_id")
        leading = Profile.lead_teams.through.objects.values("profile_id")
        unclaimed = unclaimed.exclude(pk__in=on_teams).exclude(pk__in=leading)
    unclaimed = unclaimed.first() if user.email else None
    if unclaimed is not None:
        unclaimed.user = user
        unclaimed.save(update_fields=["user", "updated_at"])
        sync_team_role(unclaimed)
        return unclaimed
    return Profile.objects.create(user=user, email=user.email, first_name=user.first_name, last_name=user.last_name)


def follow_account_email(user) -> None:
    """The member changed their account's e-mail: their profile's (where mail goes) follows."""
    Profile.objects.filter(user=user).update(email=user.email, updated_at=timezone.now())


def touch_profiles(profile_ids) -> None:
    """Move the profiles' ``updated_at`` to now: their public page changed without an edit of the row.

    Points, achievements, discussions and team memberships live in other tables, but they are part
    of the public profile; the static site build (``--changed-since``) and API caches find changed
    profiles by ``updatedAt``, as they would in Strapi where those are fields of the profile.
    """
    ids = [pk for pk in set(profile_ids) if pk]
    if ids:
        Profile.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def block_member(profile: Profile, *, by) -> Profile:
    """A moderator blocks a member: every post of theirs is hidden from everyone but moderators, and they
    cannot ask or reply (the forum reads ``blocked_at``). Emits ``member_blocked``; blocking twice changes
    nothing.

    Raises ``NotAllowed`` for blocking oneself or a moderator (an editor takes their role first).
    """
    if by is not None and profile.user_id == by.pk:
        raise NotAllowed("You cannot block yourself.")
    if profile.user is not None and Actor.of(profile.user).moderates:
        raise NotAllowed("Moderators are not blocked; an editor removes their role first.")
    if profile.blocked_at is not None:
        return profile
    with transaction.atomic():
        profile.blocked_at = timezone.now()
        profile.save(update_fields=["blocked_at", "updated_at"])
        log(profile, "community.member.block", user=by)
        emit("member_blocked", profile_id=profile.pk)
    return profile


def unblock_member(profile: Profile, *, by) -> Profile:
    """Lift a block: the member's posts are back as they were (archived or hidden ones stay so). Emits
    ``member_unblocked``."""
    if profile.blocked_at is None:
        return profile
    with transaction.atomic():
        profile.blocked_at = None
        profile.save(update_fields=["blocked_at", "updated_at"])
        log(profile, "community.member.unblock", user=by)
        emit("member_unblocked", profile_id=profile.pk)
    return profile
