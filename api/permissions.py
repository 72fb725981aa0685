"""Who may do what: the role matrix, the caller's roles and API tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from api.models import ApiToken, RolePermission, TokenKind
from api.registry import registry
from plugins.accounts.roles import EDITORS, MODERATORS
from plugins.core.ttl_cache import TtlCache

# Changes made in this process clear the cache at once; other worker processes pick them up
# within this many seconds.
MATRIX_TTL_SECONDS = 5
_matrix_cache = TtlCache(MATRIX_TTL_SECONDS)


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
        for role in ("public", "authenticated", "moderator", "editor"):
            allowed = set(content_type.default_permissions.get(role, ()))
            for action in ("find", "findOne", "create", "update", "delete"):
                if (role, content_type.plural, action) not in existing:
                    missing.append(
                        RolePermission(
                            role=role, content_type=content_type.plural, action=action, enabled=action in allowed
                        )
                    )
    RolePermission.objects.bulk_create(missing)
    forget_matrix()
    return len(missing)


@dataclass
class Caller:
    """The identity behind a request: a user, an API token, or nobody."""

    user: object | None = None
    token: ApiToken | None = None
    roles: tuple[str, ...] = ("public",)
    extra: dict = field(default_factory=dict)

    @property
    def is_trusted(self) -> bool:
        """May see private fields and drafts: editors, moderators, full-access tokens."""
        if self.token is not None:
            return self.token.kind == TokenKind.FULL_ACCESS
        return "editor" in self.roles or "moderator" in self.roles

    def can(self, content_type: str, action: str) -> bool:
        if self.token is not None:
            return self.token.allows(content_type, action)
        table = matrix()
        return any(table.get((role, content_type, action), False) for role in self.roles)

    def can_see_drafts(self, content_type: str) -> bool:
        return self.is_trusted and (self.token is not None or self.can(content_type, "update"))


def roles_of(user) -> tuple[str, ...]:
    if user is None or not user.is_authenticated:
        return ("public",)
    roles = ["authenticated"]
    if user.is_superuser:
        return ("authenticated", "moderator", "editor")
    groups = {group.name for group in user.groups.all()}
    if MODERATORS in groups:
        roles.append("moderator")
    if EDITORS in groups:
        roles.append("editor")
    return tuple(roles)
