"""Who may do what: the role matrix, the caller's roles and API tokens."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from api.models import ApiToken, RolePermission
from api.registry import ACTIONS, registry
from plugins.accounts.policy import ROLES, Actor
from plugins.core.shared_cache import SharedCache

# Kept in the shared cache: a change made through one worker is seen by every other at once.
MATRIX_CACHE_SECONDS = 300
_matrix_cache = SharedCache("api-permission-matrix", MATRIX_CACHE_SECONDS)


def _load_matrix() -> dict[tuple[str, str, str], bool]:
    rows = RolePermission.objects.values_list("role", "content_type", "action", "enabled")
    return {(role, ct, action): enabled for role, ct, action, enabled in rows}


def matrix() -> dict[tuple[str, str, str], bool]:
    """(role, content type, action) → allowed, from the table, cached briefly."""
    return _matrix_cache.get(_load_matrix)


def forget_matrix() -> None:
    """Drop the cached matrix; the next check reads the table."""
    _matrix_cache.forget()


@receiver(post_save, sender=RolePermission)
@receiver(post_delete, sender=RolePermission)
def _matrix_changed(**kwargs):
    forget_matrix()


def ensure_default_permissions() -> int:
    """Insert the registry's default matrix rows that are missing; edited rows are left alone."""
    existing = set(RolePermission.objects.values_list("role", "content_type", "action"))
    missing = []
    for content_type in registry.all():
        for role in ROLES:
            allowed = set(content_type.default_permissions.get(role, ()))
            for action in ACTIONS:
                if (role, content_type.plural, action) not in existing:
                    missing.append(
                        RolePermission(
                            role=role, content_type=content_type.plural, action=action, enabled=action in allowed
                        )
                    )
    RolePermission.objects.bulk_create(missing)
    forget_matrix()
    return len(missing)


@transaction.atomic
def set_matrix(enabled: set[tuple[str, ...]]) -> int:
    """Allow exactly the (role, content type, action) triples in ``enabled``; returns how many rows changed."""
    changed = 0
    for row in RolePermission.objects.select_for_update():
        allowed = (row.role, row.content_type, row.action) in enabled
        if row.enabled != allowed:
            row.enabled = allowed
            row.save(update_fields=["enabled"])
            changed += 1
    return changed


class Caller:
    """The identity behind a request, as the API's role matrix and token scopes see it.

    Everything that is not the matrix (who moderates, who edits, who may change a team) is the
    policy's: ``caller.actor`` answers it.
    """

    def __init__(self, actor: Actor, token: ApiToken | None = None):
        self.actor = actor
        self.token = token
        self._table = None  # the matrix, read once a request

    @property
    def user(self):
        return self.actor.user

    @property
    def roles(self) -> tuple[str, ...]:
        return self.actor.roles

    @property
    def is_trusted(self) -> bool:
        """May see private fields and drafts: editors, moderators, full-access tokens."""
        return self.actor.moderates

    def can(self, content_type: str, action: str) -> bool:
        entry = registry.get(content_type)
        if entry is not None and entry.trusted_readers_only and not self.is_trusted:
            return False
        if self.token is not None:
            return self.token.allows(content_type, action)
        if self._table is None:
            self._table = matrix()
        return any(self._table.get((role, content_type, action), False) for role in self.roles)

    def can_see_drafts(self, content_type: str) -> bool:
        return self.is_trusted and (self.token is not None or self.can(content_type, "update"))
