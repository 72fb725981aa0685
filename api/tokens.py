"""Creating API tokens (admin and command line share this)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from api.models import ApiToken, TokenKind
from api.registry import ACTIONS, registry
from plugins.core.errors import Invalid


class TokenError(Invalid):
    """A token request that cannot be granted; the message says why."""


def validate_permissions(permissions: list[str]) -> list[str]:
    """Check ``["profiles.find", …]`` against the registry; return them sorted and unique."""
    valid = {f"{ct.plural}.{action}" for ct in registry.all() for action in ACTIONS}
    unknown = sorted(set(permissions) - valid)
    if unknown:
        raise TokenError(
            f"Unknown permissions: {', '.join(unknown)}. Use <content type>.<action>, e.g. profiles.find",
            field="permissions",
        )
    return sorted(set(permissions))


def check_kind_and_permissions(kind: str, permissions: list[str]) -> list[str]:
    """Custom tokens need permissions, the other kinds take none; return the permissions cleaned."""
    if kind not in TokenKind.values:
        raise TokenError(f"Unknown kind {kind!r}: use one of {', '.join(TokenKind.values)}")
    permissions = validate_permissions(permissions)
    if kind == TokenKind.CUSTOM and not permissions:
        raise TokenError("A custom token needs at least one permission", field="permissions")
    if kind != TokenKind.CUSTOM and permissions:
        raise TokenError("Only custom tokens take a list of permissions", field="permissions")
    return permissions


@transaction.atomic
def create_token(
    name: str,
    kind: str = TokenKind.READ_ONLY,
    permissions: list[str] | None = None,
    expires_at: datetime | None = None,
    description: str = "",
    created_by=None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown this once and never stored."""
    if not name.strip():
        raise TokenError("A token needs a name")
    if ApiToken.objects.filter(name=name).exists():
        raise TokenError(f"A token named {name!r} exists already")
    permissions = check_kind_and_permissions(kind, permissions or [])
    token = ApiToken(
        name=name,
        kind=kind,
        permissions=permissions,
        expires_at=expires_at,
        description=description,
        created_by=created_by,
    )
    key = token.set_new_key()
    token.save()
    return token, key


def regenerate(token: ApiToken) -> str:
    """A new secret for an existing token; the old one stops working at once."""
    key = token.set_new_key()
    token.save(update_fields=["key_hash", "prefix"])
    return key
