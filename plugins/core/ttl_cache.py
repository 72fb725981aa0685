"""Small per-process caches that forget after a few seconds.

For data read on hot API paths that changes rarely (the permission matrix, teams' pineapple counts,
achievement summaries, the store's catalogue). A change made in this process forgets the cache at
once; other processes see it when their period ends. ``forget_all`` resets every cache (tests).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

_all: list[TtlCache] = []


class TtlCache:
    """Values by key, all dropped together ``seconds`` after the first was kept, or on ``forget()``."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._values: dict[Any, Any] = {}
        self._since = 0.0
        _all.append(self)

    def _expire(self) -> None:
        now = time.monotonic()
        # The period starts with the first value kept, so a value loaded just now is never dropped at once.
        if not self._values or now - self._since > self.seconds:
            self._values.clear()
            self._since = now

    def get_many(self, keys: Iterable, load: Callable[[set], dict], default: Any = None) -> dict:
        """The values of ``keys``; ``load(missing_keys)`` returns those not kept (absent ones get ``default``)."""
        self._expire()
        keys = set(keys)
        missing = keys - self._values.keys()
        if missing:
            loaded = load(missing)
            self._values.update({key: loaded.get(key, default) for key in missing})
        return {key: self._values[key] for key in keys}

    def get(self, load: Callable[[], Any]) -> Any:
        """A single kept value, ``load()``-ed when missing."""
        return self.get_many([None], lambda _: {None: load()})[None]

    def forget(self) -> None:
        self._values.clear()


def forget_all() -> None:
    """Empty every cache in this process."""
    for cache in _all:
        cache.forget()
