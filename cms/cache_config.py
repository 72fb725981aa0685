"""The shared cache's selection: Redis, the database's cache table, or (one process only) local memory."""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

from cms.env import env_str

# The database cache's table. A migration of plugins.core makes it whatever the settings are at migrate
# time, so that a database migrated with one CACHE_URL can be served with another.
DATABASE_CACHE_TABLE = "cms_cache"

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# The alias of the same cache for the callers that must know when it is away (they degrade on purpose:
# the shared caches, the rate limits); "default", for everyone else (Wagtail, renditions), takes an outage
# as a miss. Both are the same Redis (plugins.core.redis_cache).
SHARED_CACHE = "shared"


def caches_from_env(debug: bool, environ: Mapping[str, str] | None = None) -> dict:
    """Build Django's ``CACHES`` from ``CACHE_URL`` (and ``CACHE_KEY_PREFIX``, ``CACHE_SOCKET_TIMEOUT``): the
    ``default`` alias and ``SHARED_CACHE``, one cache, which only the second says is away.

    A malformed Redis URL is reported by the start-up check (``plugins.core.checks``), with the others.
    """
    environ = os.environ if environ is None else environ
    url = env_str("CACHE_URL", "locmem" if debug else "db", environ=environ)
    if url == "db":
        default = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": DATABASE_CACHE_TABLE}
    elif url.startswith(REDIS_SCHEMES):
        # Short socket timeouts: while Redis is away, a request falls back to the database within a fraction
        # of a second rather than redis-py's default five (plugins.core.redis_cache).
        timeout = float(env_str("CACHE_SOCKET_TIMEOUT", "0.5", environ=environ) or 0.5)
        default = {
            "BACKEND": "plugins.core.redis_cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    elif url == "locmem":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    else:
        raise ImproperlyConfigured(f"CACHE_URL={url!r}: use a redis:// URL, db or locmem (see .env.example)")
    default["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "cms", environ=environ)
    shared = {**default}
    if url.startswith(REDIS_SCHEMES):
        shared["OPTIONS"] = {**default["OPTIONS"], "strict": True}
    return {"default": default, SHARED_CACHE: shared}


def redis_url_with_timeouts(url: str, seconds: float) -> str:
    """``url`` with redis-py's connect and read timeouts in its query, unless it names them already: a Redis
    that stops answering (a partition, a paused server) then fails a call within ``seconds`` rather than
    holding it for ever. (RQ's workers raise the read timeout for their own blocking reads.)"""
    if "socket_timeout" in url or "socket_connect_timeout" in url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_timeout={seconds}&socket_connect_timeout={seconds}"
