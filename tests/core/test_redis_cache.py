"""``plugins.core.redis_cache.RedisCache``: Django's Redis backend, one client kept (the machine's Redis)."""

import threading
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from plugins.core.redis_cache import RedisCache


@pytest.fixture
def redis_cache():
    prefix = f"test-redis-cache-{uuid.uuid4().hex}"
    backend = RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix})
    django_backend = DjangoRedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix})
    yield backend, django_backend
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_it_reads_and_writes_as_djangos_backend_does(redis_cache):
    ours, django = redis_cache
    ours.set("a", {"matrix": [1, 2]}, 30)
    assert django.get("a") == {"matrix": [1, 2]}  # the same keys and serializer as Django's own
    django.set("b", 7, 30)
    assert ours.get_many(["a", "b", "missing"]) == {"a": {"matrix": [1, 2]}, "b": 7}
    assert ours.add("b", 8) is False and ours.incr("b") == 8
    with pytest.raises(ValueError):
        ours.incr("missing")
    ours.delete_many(["a", "b"])
    assert django.get_many(["a", "b"]) == {}


def test_one_client_is_kept_and_shared_by_threads(redis_cache):
    ours, _ = redis_cache
    first = ours._cache.get_client()
    assert ours._cache.get_client(write=True) is first
    errors = []

    def work(n):
        try:
            for i in range(50):
                ours.set(f"t{n}-{i}", i, 30)
                assert ours.get(f"t{n}-{i}") == i
        except Exception as error:  # reported below, in this thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ours._cache.get_client() is first


@pytest.fixture
def paused_redis():
    from tests.operations.servers import PrivateRedis

    server = PrivateRedis()
    server.start()
    yield server
    server.remove()


def backend_on(url: str, strict: bool) -> RedisCache:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "strict": strict}
    return RedisCache(url, {"OPTIONS": options, "KEY_PREFIX": "outage"})


def test_an_outage_is_a_miss_for_everyone_and_unavailable_for_the_shared_alias_then_over_by_itself(paused_redis):
    import time

    from plugins.core import redis_cache
    from plugins.core.errors import CacheUnavailable

    soft, strict = backend_on(paused_redis.url, False), backend_on(paused_redis.url, True)
    soft.set("k", "kept")
    assert strict.get("k") == "kept"
    paused_redis.pause()  # connections hang, as behind a partition
    try:
        assert soft.get("k", "missing") == "missing" and soft.set("k", "new") is None and soft.add("j", 1) is False
        started = time.monotonic()
        with pytest.raises(CacheUnavailable):
            strict.get("k")  # meets the socket timeout
        assert 0.4 < time.monotonic() - started < 2
        started = time.monotonic()
        with pytest.raises(CacheUnavailable):
            strict.get_many(["k"])  # within RETRY_AFTER: Redis is not tried again
        assert time.monotonic() - started < 0.1
    finally:
        paused_redis.resume()
    time.sleep(redis_cache.RETRY_AFTER + 0.1)
    assert strict.get("k") == "kept" and soft.get("k") == "kept"  # back, by itself
