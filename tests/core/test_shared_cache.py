"""``plugins.core.shared_cache.SharedCache``: kept values, one round trip, and what drops them."""

import pytest

from plugins.core.shared_cache import SharedCache, shared_cache


@pytest.fixture
def shared():
    return SharedCache("test-shared", 60)  # the cache is cleared for each test (tests/conftest.py)


def counting_loader(calls: list):
    def load(missing):
        calls.append(set(missing))
        return {key: f"value of {key}" for key in missing if key != "absent"}

    return load


def test_values_are_loaded_once_and_then_read_from_the_cache(shared):
    calls = []
    assert shared.get_many(["a", "b"], counting_loader(calls)) == {"a": "value of a", "b": "value of b"}
    assert shared.get_many(["a", "b", "c"], counting_loader(calls)) == {
        "a": "value of a",
        "b": "value of b",
        "c": "value of c",
    }
    assert calls == [{"a", "b"}, {"c"}]


def test_a_key_the_loader_does_not_return_gets_the_default_and_is_kept(shared):
    calls = []
    assert shared.get_many(["absent"], counting_loader(calls), default=0) == {"absent": 0}
    assert shared.get_many(["absent"], counting_loader(calls), default=0) == {"absent": 0}
    assert calls == [{"absent"}]


@pytest.mark.django_db
def test_forget_drops_every_value(shared, django_capture_on_commit_callbacks):
    calls = []
    shared.get_many(["a"], counting_loader(calls))
    with django_capture_on_commit_callbacks(execute=True):
        shared.forget()
    shared.get_many(["a"], counting_loader(calls))
    assert calls == [{"a"}, {"a"}]


def test_a_lost_generation_makes_every_kept_value_stale(shared):
    calls = []
    shared.get_many(["a"], counting_loader(calls))
    shared_cache().delete(shared._generation_key)  # evicted by Redis, or the cache was flushed
    shared.get_many(["a"], counting_loader(calls))
    shared.get_many(["a"], counting_loader(calls))
    assert calls == [{"a"}, {"a"}]


def test_a_read_is_one_round_trip_to_the_cache(shared, monkeypatch):
    shared.get_many(["a", "b"], counting_loader([]))
    trips, inside = [], []

    def counted(method, original):
        def call(*args, **kwargs):
            if not inside:  # a backend's get_many may call its own get: one trip is what the caller made
                trips.append(method)
            inside.append(method)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    cache = shared_cache()
    for method in ("get", "get_many", "add", "set", "set_many"):
        monkeypatch.setattr(cache, method, counted(method, getattr(cache, method)))
    assert shared.get_many(["a", "b"], counting_loader([])) == {"a": "value of a", "b": "value of b"}
    assert trips == ["get_many"]
