"""Who may do what: the one policy that the API, the admin and the plugins ask.

An ``Actor`` is whoever acts — a signed-in user, an API token, or nobody — and answers every
question of the form "may they …?" that does not depend on the API's editable role matrix (that
matrix, role × content type × action, is the API's; ``Actor.roles`` names the roles it is read
for). Group membership is read once per actor, when first needed.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property

from plugins.accounts.roles import COMMUNITY_MODERATORS, EDITORS, MODERATORS

# The API's role names, in rising order of trust.
PUBLIC, AUTHENTICATED, MODERATOR, EDITOR = "public", "authenticated", "moderator", "editor"
ROLES = (PUBLIC, AUTHENTICATED, MODERATOR, EDITOR)

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
# Community moderators keep the forum tidy; pinning, tagging, approving and escalating stay with moderators.
COMMUNITY_MODERATOR_ACTIONS = frozenset({"archive", "unarchive", "move", "hide", "unhide", "solution"})


class TokenKind(models.TextChoices):
    """The kinds of API token (Strapi's): read-only reads, full-access does all, custom what it lists."""

    READ_ONLY = "read-only", "Read-only"
    FULL_ACCESS = "full-access", "Full access"
    CUSTOM = "custom", "Custom"


class Actor:
    """Whoever acts: ``user`` (signed in, or None) or an API token of ``token_kind`` that stands for no one."""

    def __init__(self, user=None, token_kind: str | None = None):
        self.user = user if user is not None and user.is_authenticated else None
        self.token_kind = token_kind

    @classmethod
    def of(cls, user) -> Actor:
        """The actor for an admin request or a service call made on ``user``'s behalf."""
        return cls(user=user)

    @cached_property
    def _groups(self) -> frozenset[str]:
        if self.user is None or not self.user.is_active:
            return frozenset()
        return frozenset(self.user.groups.values_list("name", flat=True))

    @property
    def full_access(self) -> bool:
        return self.token_kind == TokenKind.FULL_ACCESS

    @property
    def is_editor(self) -> bool:
        """Editors manage content; superusers are editors too."""
        if self.token_kind is not None:
            return self.full_access
        active = self.user is not None and self.user.is_active
        return active and (self.user.is_superuser or EDITORS in self._groups)

    @property
    def moderates(self) -> bool:
        """Moderators (and editors, and full-access tokens) assign achievements, gift points, see private
        fields and every redemption."""
        if self.token_kind is not None:
            return self.full_access
        return self.is_editor or MODERATORS in self._groups

    @property
    def roles(self) -> tuple[str, ...]:
        """The API roles whose permissions this user has (none for a token: its kind decides)."""
        if self.token_kind is not None:
            return ()
        if self.user is None:
            return (PUBLIC,)
        roles = [AUTHENTICATED]
        superuser = self.user.is_superuser and self.user.is_active
        if superuser or MODERATORS in self._groups:
            roles.append(MODERATOR)
        if superuser or EDITORS in self._groups:
            roles.append(EDITOR)
        return tuple(roles)

    @property
    def forum_actions(self) -> frozenset[str]:
        """The forum moderation actions this actor may take."""
        if self.moderates:
            return FORUM_ACTIONS
        if self.token_kind is None and COMMUNITY_MODERATORS in self._groups and not self.blocked:
            return COMMUNITY_MODERATOR_ACTIONS
        return frozenset()

    def stands_in_for_asker(self, asker) -> bool:
        """Marks the solution of a question whose asker's account (``asker``) is gone, as the asker would."""
        asker_gone = asker is None or not asker.is_active
        return asker_gone and "solution" in self.forum_actions

    @property
    def may_upload(self) -> bool:
        """Members upload images (rate-limited); of tokens only full-access ones."""
        return self.full_access if self.token_kind is not None else self.user is not None

    def may_edit_file(self, image) -> bool:
        """Editors change and delete any uploaded file; a member the ones they uploaded."""
        return self.is_editor or (self.user is not None and image.uploaded_by_user_id == self.user.pk)

    @cached_property
    def led_team_ids(self) -> frozenset[int]:
        """The small teams whose lead this actor's profile is."""
        if self.user is None or self.token_kind is not None:
            return frozenset()
        from plugins.profiles.models import Profile

        leads = Profile.lead_teams.through.objects.filter(profile__user=self.user)
        return frozenset(leads.values_list("team_id", flat=True))

    @cached_property
    def blocked(self) -> bool:
        """A moderator blocked this member: they post, vote, moderate and edit their posts no more."""
        if self.user is None or self.token_kind is not None:
            return False
        from plugins.profiles.models import Profile

        return Profile.objects.filter(user=self.user, blocked_at__isnull=False).exists()

    def may_change_team_membership(self, team_ids) -> bool:
        """Who is on a small team (as a member or a lead) is changed only by editors and that team's own leads.

        Being on a team makes someone a Moderator, so this is what keeps moderators from making more.
        """
        team_ids = set(team_ids)
        return not team_ids or self.is_editor or team_ids <= self.led_team_ids
