"""The WSGI entry point gunicorn loads: the garbage collector set for a server process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Its own servers and databases, whatever DATABASE_URL says: CI runs it once (the SQLite pass).
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, cms.wsgi
from django.core.signals import request_finished
print(gc.get_freeze_count(), *gc.get_threshold())
def garbage(n):
    for _ in range(n):
        a = []; a.append(a)  # a cycle: only the collector frees it
before = gc.get_count()[0]
garbage(5_000)
print(gc.get_count()[0] - before)
request_finished.send(sender=None)
print(gc.get_count()[0])
"""


@pytest.fixture(scope="module")
def served_env(tmp_path_factory):
    """A migrated database of its own: the entry point refuses to start on one that lacks migrations."""
    database = tmp_path_factory.mktemp("wsgi") / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "CACHE_URL": "db"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    return env


def run(env) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [int(word) for word in result.stdout.split()]


def test_the_server_process_freezes_what_it_loaded_and_collects_between_requests(served_env):
    frozen, *threshold, made, after_request = run(served_env)
    # Django, Wagtail, every app and view: far more than a request makes, all out of the collector's walk.
    assert frozen > 50_000
    assert threshold == [100_000, 50, 100]
    # The cycles stay (no collection during the "request": they are under the threshold) ...
    assert made > 4_000
    # ... until the request is finished, when the young generations are collected.
    assert after_request < 1_000


def start(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import cms.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_database_without_its_migrations_refuses_to_start_saying_what_to_run(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "CACHE_URL": "db"}
    refused = start(env)
    assert refused.returncode != 0
    assert "core.E001" in refused.stderr and "python manage.py migrate" in refused.stderr
    assert "core.E002" in refused.stderr  # the database cache's table, named as such


def test_a_dropped_cache_table_refuses_to_start(served_env, tmp_path):
    import shutil
    import sqlite3

    copy = tmp_path / "copy.sqlite3"
    shutil.copy(served_env["DATABASE_URL"].removeprefix("sqlite:///"), copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("DROP TABLE cms_cache")
    refused = start({**served_env, "DATABASE_URL": f"sqlite:///{copy}"})
    assert refused.returncode != 0 and "core.E002" in refused.stderr and "core.E001" not in refused.stderr
    # Served with Redis instead, the missing table is no one's business.
    with_redis = {**served_env, "DATABASE_URL": f"sqlite:///{copy}", "CACHE_URL": "redis://127.0.0.1:6379/0"}
    assert start(with_redis).returncode == 0


@pytest.mark.parametrize(
    "variables, code",
    [
        ({"CACHE_URL": "redis://127.0.0.1:notaport/0"}, "core.E003"),
        ({"TASKS_BACKEND": "django_tasks_rq.RQBackend", "TASKS_REDIS_URL": "redis://127.0.0.1:99999/1"}, "core.E003"),
    ],
)
def test_a_malformed_url_refuses_to_start(served_env, variables, code):
    refused = start({**served_env, **variables})
    assert refused.returncode != 0 and code in refused.stderr, refused.stderr[-2000:]


def test_redis_away_at_start_only_warns(served_env):
    # A port nothing listens on: an outage, not a misconfiguration.
    started = start({**served_env, "CACHE_URL": "redis://127.0.0.1:1/0"})
    assert started.returncode == 0, started.stderr[-2000:]
    assert "core.W002" in started.stderr
