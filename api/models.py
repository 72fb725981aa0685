"""The API's own tables: the role × content type × action matrix, and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from api.registry import ACTIONS, ROLES
from plugins.accounts.policy import TokenKind

ROLE_CHOICES = [(role, role.capitalize()) for role in ROLES]
ACTION_CHOICES = [(action, action) for action in ACTIONS]


class RolePermission(models.Model):
    """Whether a role may perform an action on a content type (Strapi's users-permissions matrix)."""

    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    content_type = models.CharField(max_length=100, help_text="The content type's plural API name.")
    action = models.CharField(max_length=20, choices=ACTION_CHOICES)
    enabled = models.BooleanField(default=False)

    class Meta:
        ordering = ["content_type", "role", "action"]
        constraints = [
            models.UniqueConstraint(fields=["role", "content_type", "action"], name="unique_role_permission")
        ]
        verbose_name = "API role permission"

    def __str__(self):
        return f"{self.role}: {self.content_type}.{self.action} = {'yes' if self.enabled else 'no'}"


def hash_token(key: str) -> str:
    """HMAC-SHA512 of a token with the site's secret: what is stored, never the token itself."""
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha512).hexdigest()


class ApiToken(models.Model):
    """A Strapi-style API token: shown once, stored hashed, with an optional expiry."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=20, choices=TokenKind.choices, default=TokenKind.READ_ONLY)
    # For custom tokens: ["profiles.find", "teams.update", …]
    permissions = models.JSONField(default=list, blank=True)
    key_hash = models.CharField(max_length=128, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters, to recognise it.")
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def set_new_key(self) -> str:
        """Give the token a new secret and return it; only its hash is kept."""
        key = secrets.token_hex(64)
        self.key_hash = hash_token(key)
        self.prefix = key[:8]
        return key

    def allows(self, content_type: str, action: str) -> bool:
        if self.kind == TokenKind.FULL_ACCESS:
            return True
        if self.kind == TokenKind.READ_ONLY:
            return action in ("find", "findOne")
        return f"{content_type}.{action}" in (self.permissions or [])
