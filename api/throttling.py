"""Rate limits on what can be abused (register, sign-in, ask, reply, vote, upload): per member and per address.

DRF's throttling does the counting in Django's cache; the rates come from ``API_RATE_LIMITS`` and are
read when a request is checked, so they can change without a restart. The cache must be shared
between processes for a limit to hold across workers (``CACHE_URL``; see .env.example). While it is
away, each limit fails open, closed (a JSON 503) or counts in the process, as
``plugins.core.shared_cache.counts_while_away`` says for it.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from plugins.core.errors import CacheUnavailable
from plugins.core.shared_cache import counts_while_away, shared_cache


class ScopedThrottle(SimpleRateThrottle):
    """One rate (e.g. "10/hour") for one scope (e.g. "ask"), counted per ``identity``."""

    def __init__(self, scope: str):
        self.scope = scope
        self.cache = shared_cache()  # the alias that says when it is away
        super().__init__()

    def get_rate(self):
        return settings.API_RATE_LIMITS.get(self.scope)

    def identity(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CacheUnavailable:
            counts = counts_while_away(self.scope)  # raises Unavailable (a JSON 503) for a closed limit
            if counts is None:
                return True
            self.cache = counts
            return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        identity = self.identity(request)
        if identity is None:
            return None
        return self.cache_format % {"scope": f"{self.scope}:{type(self).__name__}", "ident": identity}


class PerMember(ScopedThrottle):
    def identity(self, request):
        member = getattr(request, "member", None)
        return f"member-{member.pk}" if member is not None else None


class PerAddress(ScopedThrottle):
    def identity(self, request):
        return f"address-{self.get_ident(request)}"


def throttles_for(scope: str | None) -> list[ScopedThrottle]:
    """The throttles of a scope: the member's own count, and their address's (several accounts, one address)."""
    if scope is None:
        return []
    throttles = [PerMember(scope)]
    if f"{scope}-address" in settings.API_RATE_LIMITS:
        throttles.append(PerAddress(f"{scope}-address"))
    return throttles
