"""Django's Redis cache backend, keeping one client per server, and telling an outage apart.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every operation, and its
``__init__`` builds the table of response callbacks each time: a third of the time of each cache read
on the API's hot path (the permission matrix, teams' pineapple counts), measured with py-spy. A
``redis.Redis`` is safe to share between threads (each command takes a connection from the pool, which
also notices a fork), so one is kept per connection pool. Everything else is Django's backend.

**While Redis is away**, on a ``strict`` alias (``cms.cache_config.SHARED_CACHE``) every operation raises
``CacheUnavailable`` (a ``plugins.core.errors.Unavailable``), never redis-py's errors, and its callers choose
how to degrade: the shared caches read the database (``SharedCache``), each rate limit fails open, closed or
counts in the process (``api.throttling``), the health check reports it. On the ``default`` alias, which
Wagtail and everything else use without knowing of outages (the admin's site and locale caches, image
renditions), an outage is a miss: reads find nothing, writes keep nothing.

After a failure the backend does not try Redis again for ``RETRY_AFTER`` seconds, so that a request meets
at most one connection timeout (``CACHE_SOCKET_TIMEOUT``) rather than one per cache operation; then the
next operation tries, and the site uses Redis again by itself.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from plugins.core.errors import CacheUnavailable

logger = logging.getLogger(__name__)

# Seconds without trying Redis after it failed.
RETRY_AFTER = 1.0
OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class _Outage:
    """Whether Redis failed lately, shared by the process's threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.until = 0.0  # monotonic time before which Redis is not tried
        self.since: float | None = None  # when the current outage began (None: no outage)

    def failed(self, error: Exception) -> None:
        with self._lock:
            if self.since is None:
                self.since = time.monotonic()
                logger.error("The shared cache (Redis) is unavailable: %s: %s", type(error).__name__, error)
            self.until = time.monotonic() + RETRY_AFTER

    def succeeded(self) -> None:
        if self.since is not None:
            with self._lock:
                if self.since is not None:
                    logger.warning("The shared cache (Redis) is back after %.1f s", time.monotonic() - self.since)
                    self.since = None


def _guarded(name: str):
    operation = getattr(RedisCacheClient, name)

    @functools.wraps(operation)
    def guarded(self, *args, **kwargs):
        if self.outage.since is not None and time.monotonic() < self.outage.until:
            raise CacheUnavailable("The shared cache is unavailable.")
        try:
            result = operation(self, *args, **kwargs)
        except self._lib.RedisError as error:
            self.outage.failed(error)
            raise CacheUnavailable("The shared cache is unavailable.") from error
        self.outage.succeeded()
        return result

    return guarded


class KeptClientRedisCacheClient(RedisCacheClient):
    """``RedisCacheClient`` with one ``redis.Redis`` per connection pool, made at its first use, whose
    operations raise ``CacheUnavailable`` while Redis is away."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self.outage = _Outage()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    locals().update({name: _guarded(name) for name in OPERATIONS})


class RedisCache(DjangoRedisCache):
    """Django's ``RedisCache`` on ``KeptClientRedisCacheClient`` (``CACHES`` ``BACKEND``); ``OPTIONS["strict"]``
    raises ``CacheUnavailable`` while Redis is away, else an outage reads as a miss."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.strict = bool(options.pop("strict", False))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = KeptClientRedisCacheClient

    def _or(self, call, away):
        if self.strict:
            return call()
        try:
            return call()
        except CacheUnavailable:
            return away

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(lambda: super(RedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._or(lambda: super(RedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(lambda: super(RedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._or(lambda: super(RedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._or(lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._or(lambda: super(RedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except CacheUnavailable:
            if self.strict:
                raise
            raise ValueError(f"Key '{key}' not found (the cache is away).") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(lambda: super(RedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._or(lambda: super(RedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._or(lambda: super(RedisCache, self).clear(), False)
