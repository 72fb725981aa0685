"""Django's Redis cache backend, keeping one client per server.

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` for every operation, and its
``__init__`` builds the table of response callbacks each time: a third of the time of each cache read
on the API's hot path (the permission matrix, teams' pineapple counts), measured with py-spy. A
``redis.Redis`` is safe to share between threads (each command takes a connection from the pool, which
also notices a fork), so one is kept per connection pool. Everything else is Django's backend.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    """``RedisCacheClient`` with one ``redis.Redis`` per connection pool, made at its first use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's ``RedisCache`` on ``KeptClientRedisCacheClient`` (``CACHES`` ``BACKEND``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
