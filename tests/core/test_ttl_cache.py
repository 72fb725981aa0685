"""Per-process caches keep values for their period, load only what is missing, and forget on demand."""

from plugins.core import ttl_cache
from plugins.core.ttl_cache import TtlCache


def test_keeps_loads_missing_and_forgets(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(ttl_cache.time, "monotonic", lambda: now[0])
    cache, loads = TtlCache(5), []

    def load(keys):
        loads.append(set(keys))
        return {k: k * 10 for k in keys if k != 3}

    assert cache.get_many({1, 2, 3}, load, default=0) == {1: 10, 2: 20, 3: 0}
    assert cache.get_many({2, 4}, load) == {2: 20, 4: 40}
    assert loads == [{1, 2, 3}, {4}]
    now[0] += 6  # the period is over: everything is loaded again
    cache.get_many({1}, load)
    assert loads[-1] == {1}
    cache.forget()
    now[0] += 1
    cache.get_many({1}, load)
    assert loads[-1] == {1} and len(loads) == 4
    now[0] += 4.5  # kept for a whole period from the load after forget()
    cache.get_many({1}, load)
    assert len(loads) == 4


def test_single_value_and_forget_all():
    cache, calls = TtlCache(60), []
    assert cache.get(lambda: calls.append(1) or "v") == "v"
    assert cache.get(lambda: calls.append(1) or "w") == "v"
    ttl_cache.forget_all()
    assert cache.get(lambda: calls.append(1) or "w") == "w"
    assert len(calls) == 2
