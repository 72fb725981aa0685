"""A database migrated with one cache configuration and served with the database cache answers (issue 25).

``make run`` migrates with ``DEBUG=1`` (the cache is local memory); a deployment may migrate with Redis as
its cache. Served afterwards with ``DEBUG=0`` and no ``CACHE_URL``, the cache is the database's table
``cms_cache``, which ``migrate`` used to make only when it was the configured cache: every API request was
then a 500. A migration of ``plugins.core`` now makes it whatever the settings are, and the WSGI entry
point refuses to start (``plugins.core.checks``) when the table is missing rather than answering 500s.

Each test runs real ``manage.py`` and gunicorn processes over a database of its own on the machine's
shared PostgreSQL (created here, dropped afterwards; the server's settings are never changed) and, for
Redis, keys under a prefix of its own (removed afterwards).
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
import requests

from tests.operations.servers import gunicorn, scratch_database, wait_until_up

# Its own servers and databases, whatever DATABASE_URL says: CI runs it once (the SQLite pass).
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET_KEY = "migrate-then-serve-test-key-long-enough-for-hmac-sha256"
PASSWORD = "an analytical engine 1843"

SETUP = f"""
from django.contrib.auth import get_user_model
from plugins.teams.models import Team
team = Team.objects.create(name="Growth", live=True)
get_user_model().objects.create_user("ada", "ada@example.com", {PASSWORD!r})
print("IDS", team.document_id)
"""


def query(database_url: str, statement: str) -> list[tuple]:
    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def cache_table_exists(database_url: str) -> bool:
    return query(database_url, "SELECT to_regclass('public.cms_cache') IS NOT NULL")[0][0]


def base_env(database_url: str, tmp_path: Path, **more: str) -> dict[str, str]:
    metrics = tmp_path / "prometheus"
    metrics.mkdir(exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,  # with DEBUG=1 too: else one would be written into the checkout
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        **more,
    }


def migrate_and_set_up(env: dict[str, str]) -> str:
    """``migrate`` and a team and a member, with ``env``'s cache; the team's documentId."""
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=180
    )
    return next(line for line in made.stdout.splitlines() if line.startswith("IDS")).split()[1]


def serve_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """DEBUG off and no CACHE_URL: the cache is the database's table."""
    return base_env(database_url, tmp_path, DEBUG="0", ALLOWED_HOSTS="127.0.0.1")


def assert_served_with_the_database_cache(database_url: str, team: str, tmp_path: Path) -> None:
    assert cache_table_exists(database_url), "migrate did not make the database cache's table"
    assert query(database_url, "SELECT count(*) FROM cms_cache")[0][0] == 0  # nothing kept there before serving
    with gunicorn(serve_env(database_url, tmp_path), tmp_path) as (process, url, log):
        wait_until_up(url, process, log)

        def answer(response: requests.Response, status: int) -> dict:
            assert response.status_code == status, f"{response.status_code} {response.text[:500]}\n{log.read_text()}"
            assert response.headers["Content-Type"].startswith("application/json")
            return response.json()

        teams = answer(requests.get(f"{url}/api/teams", timeout=15), 200)
        assert [row["documentId"] for row in teams["data"]] == [team]
        assert answer(requests.get(f"{url}/api/teams/{team}", timeout=15), 200)["data"]["name"] == "Growth"

        signed_in = answer(
            requests.post(f"{url}/api/auth/local", json={"identifier": "ada", "password": PASSWORD}, timeout=15), 200
        )
        assert signed_in["jwt"] and signed_in["user"]["username"] == "ada"
        # A wrong password is counted against the account in the cache (a write), and answered 400.
        refused = answer(
            requests.post(f"{url}/api/auth/local", json={"identifier": "ada", "password": "wrong"}, timeout=15), 400
        )
        assert refused["error"]["status"] == 400

    keys = [key for (key,) in query(database_url, "SELECT cache_key FROM cms_cache")]
    assert any("sign-in-failures:" in key for key in keys), keys
    assert any("throttle_login-address" in key for key in keys), keys


def test_migrated_with_debug_on_and_served_with_debug_off_answers_200(tmp_path):
    with scratch_database() as database_url:
        team = migrate_and_set_up(base_env(database_url, tmp_path, DEBUG="1"))  # `make run`: locmem
        assert_served_with_the_database_cache(database_url, team, tmp_path)


def test_migrated_with_redis_as_cache_and_served_without_it_answers_200(tmp_path):
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is needed at {REDIS_URL} (CI starts it): {error}")
    prefix = f"test-migrate-serve-{uuid.uuid4().hex[:12]}"
    try:
        with scratch_database() as database_url:
            env = base_env(database_url, tmp_path, DEBUG="0", CACHE_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
            team = migrate_and_set_up(env)
            assert_served_with_the_database_cache(database_url, team, tmp_path)
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()


def test_without_the_cache_table_gunicorn_refuses_to_start_saying_to_migrate(tmp_path):
    """The old failure (a database whose cache table was never made) stops at start-up, not as 500s."""
    with scratch_database() as database_url:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=base_env(database_url, tmp_path, DEBUG="1"),
            check=True,
            timeout=600,
        )
        query(database_url, "DROP TABLE cms_cache")
        with gunicorn(serve_env(database_url, tmp_path), tmp_path) as (process, url, log):
            try:
                code = process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                pytest.fail(f"gunicorn kept running without the cache table: {log.read_text()[-3000:]}")
        stderr = log.read_text()
        assert code != 0, stderr[-3000:]
        assert "core.E002" in stderr, stderr[-3000:]
        assert "manage.py migrate" in stderr, stderr[-3000:]
        assert "cms_cache" in stderr, stderr[-3000:]
