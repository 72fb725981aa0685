"""Caches that every process sees alike: kept in Django's cache (Redis or the database in production).

For values read on hot paths that must agree between worker processes — the API's permission matrix,
teams' pineapple counts: a change made through one worker is seen by the others at once, because
``forget()`` moves the cache's generation in the shared cache and every value is kept with the
generation it was loaded in (a reader still on an older one may overwrite a newer value: it is then
loaded again, never read stale). Values
also expire after ``seconds``, so a change made behind the cache's back (a raw SQL update) is
seen within that time. ``TtlCache`` (``plugins/core/ttl_cache.py``) stays for what may lag a little.

**While the cache is away** (``CacheUnavailable``: Redis down) values are loaded from the database on
every read and kept nowhere, and a ``forget()`` cannot reach the other processes. So a process that met
the outage moves every shared cache's generation once the cache answers again, before it reads a value:
what was kept before the outage (Redis may have kept it) is never served after it. (A process that met
no outage served nothing during it; the values' own expiry bounds the rest.)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from cms.cache_config import SHARED_CACHE
from plugins.core.errors import CacheUnavailable, Unavailable

_MISSING = object()


def shared_cache():
    """The cache every process shares, on the alias that says when it is away (``CacheUnavailable``)."""
    return caches[SHARED_CACHE]


_every: list[SharedCache] = []
# Whether this process met the cache away since it last moved every generation.
_outage = {"met": False}


def _after_outage() -> None:
    """Once the cache answers after an outage this process met: every shared cache starts a new generation."""
    if _outage["met"]:
        for shared in _every:
            shared._next_generation()  # raises CacheUnavailable while the cache is still away
        _outage["met"] = False


class SharedCache:
    """Values by key under ``name``, in the shared cache for ``seconds``, all dropped by ``forget()``.

    Each value is kept beside the generation it was loaded in, under a key without it, so that one
    round trip reads the current generation and the values together: a value of an older generation
    is missing.
    """

    def __init__(self, name: str, seconds: int):
        self.name = name
        self.seconds = seconds
        self._generation_key = f"shared:{name}:generation"
        _every.append(self)

    def _new_generation(self) -> int:
        # A new generation is the time in nanoseconds: one lost and made again never matches values kept before.
        shared_cache().add(self._generation_key, time.time_ns(), timeout=None)
        return shared_cache().get(self._generation_key, 0)

    def get_many(self, keys: Iterable, load: Callable[[set], dict], default: Any = None) -> dict:
        """The values of ``keys``; ``load(missing_keys)`` returns those not kept (absent ones get ``default``).

        While the cache is away, every value is ``load``-ed.
        """
        keys = set(keys)
        cache_keys = {key: f"shared:{self.name}:value:{key}" for key in keys}
        try:
            _after_outage()
            kept = shared_cache().get_many([self._generation_key, *cache_keys.values()])
            generation = kept.get(self._generation_key)
            if generation is None:
                generation = self._new_generation()
        except CacheUnavailable:
            _outage["met"] = True
            loaded = load(keys)
            return {key: loaded.get(key, default) for key in keys}
        values = {}
        for key, cache_key in cache_keys.items():
            entry = kept.get(cache_key)
            values[key] = entry[1] if entry is not None and entry[0] == generation else _MISSING
        missing = {key for key, value in values.items() if value is _MISSING}
        if missing:
            loaded = load(missing)
            fresh = {key: loaded.get(key, default) for key in missing}
            try:
                shared_cache().set_many(
                    {cache_keys[key]: (generation, value) for key, value in fresh.items()}, self.seconds
                )
            except CacheUnavailable:
                _outage["met"] = True
            values.update(fresh)
        return values

    def get(self, load: Callable[[], Any]) -> Any:
        """A single kept value, ``load()``-ed when missing."""
        return self.get_many(["value"], lambda _: {"value": load()})["value"]

    def forget(self) -> None:
        """Drop every value, in every process: the next read of each loads it afresh.

        Once now and once more when the current transaction commits: a read between the two would
        otherwise keep the old value under the new generation. While the cache is away, it is done for
        every shared cache once the cache is back (``_after_outage``).
        """
        self._forget_or_remember()
        transaction.on_commit(self._forget_or_remember)

    def _forget_or_remember(self) -> None:
        try:
            _after_outage()
            self._next_generation()
        except CacheUnavailable:
            _outage["met"] = True

    def _next_generation(self) -> None:
        try:
            shared_cache().incr(self._generation_key)
        except ValueError:  # no generation kept (yet, or any more): a new one differs from any before
            shared_cache().set(self._generation_key, time.time_ns(), timeout=None)


# Rate-limit counts kept in this process while the shared cache is away (a limit in "local" mode).
PROCESS_COUNTS = LocMemCache("rate-limits-while-the-cache-is-away", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
OPEN, CLOSED, LOCAL = "open", "closed", "local"


def counts_while_away(scope: str):
    """Where a rate limit counts while the shared cache is away: ``PROCESS_COUNTS`` (``local``: the limit holds
    per process), or None (``open``: nothing is counted, everything allowed); ``closed`` raises ``Unavailable``.
    ``API_RATE_LIMITS_WITHOUT_CACHE`` says it per limit, by the name before its ``-address`` / ``-account``;
    the README says why each."""
    mode = settings.API_RATE_LIMITS_WITHOUT_CACHE.get(scope.split("-", 1)[0], LOCAL)
    if mode == CLOSED:
        raise Unavailable(
            "This is paused for a moment while a part of the site recovers; try again shortly.", retry_after=30
        )
    return None if mode == OPEN else PROCESS_COUNTS
