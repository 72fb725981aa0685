"""Settings come from the environment; check what each variable does in a fresh interpreter."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cms.storage_config import storages_from_env

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(env: dict, *names: str) -> dict:
    code = (
        "import json, django; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cms.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_secret_key_is_required_when_debug_is_off():
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set when DEBUG is off"):
        settings_in_subprocess({"DEBUG": "0"}, "SECRET_KEY")


def test_database_url_selects_postgresql():
    values = settings_in_subprocess(
        {"SECRET_KEY": "x", "DATABASE_URL": "postgres://cms:pw@db.internal:5433/community"}, "DATABASES"
    )
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.internal", 5433, "community", "cms")


def test_sqlite_is_the_default():
    db = settings_in_subprocess({"SECRET_KEY": "x"}, "DATABASES")["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"].endswith("db.sqlite3")


def test_email_backend_follows_the_environment():
    assert settings_in_subprocess({"SECRET_KEY": "x"}, "EMAIL_BACKEND")["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )
    smtp = settings_in_subprocess(
        {"SECRET_KEY": "x", "EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "25"}, "EMAIL_BACKEND", "EMAIL_PORT"
    )
    assert smtp == {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_PORT": 25}


def test_a_malformed_boolean_is_a_clear_error():
    with pytest.raises(RuntimeError, match="DEBUG must be one of"):
        settings_in_subprocess({"DEBUG": "maybe"}, "DEBUG")


def test_allowed_hosts_from_a_list():
    values = settings_in_subprocess({"SECRET_KEY": "x", "ALLOWED_HOSTS": "a.example, b.example"}, "ALLOWED_HOSTS")
    assert values["ALLOWED_HOSTS"] == ["a.example", "b.example"]


def test_local_media_unless_a_bucket_is_set():
    assert storages_from_env({})["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = storages_from_env({"AWS_STORAGE_BUCKET_NAME": "media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert s3["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["default"]["OPTIONS"]["bucket_name"] == "media"
    assert s3["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert s3["default"]["OPTIONS"]["querystring_auth"] is False


def test_the_cache_is_shared_unless_debugging_or_named():
    base = {"SECRET_KEY": "k" * 40}
    shared = settings_in_subprocess({**base, "DEBUG": "0"}, "CACHES")["CACHES"]["default"]
    assert shared["BACKEND"].endswith("DatabaseCache")
    local = settings_in_subprocess({**base, "DEBUG": "1"}, "CACHES")["CACHES"]["default"]
    assert local["BACKEND"].endswith("LocMemCache")
    env = {**base, "DEBUG": "0", "CACHE_URL": "redis://127.0.0.1:6379/3", "CACHE_KEY_PREFIX": "site-a"}
    named = settings_in_subprocess(env, "CACHES")["CACHES"]["default"]
    assert named["BACKEND"].endswith("RedisCache") and named["KEY_PREFIX"] == "site-a"
    with pytest.raises(RuntimeError, match="CACHE_URL"):
        settings_in_subprocess({**base, "CACHE_URL": "memcached://x"}, "CACHES")
    timeouts = settings_in_subprocess({**env, "CACHE_SOCKET_TIMEOUT": "0.25"}, "CACHES")["CACHES"]["default"]
    assert timeouts["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def test_a_queue_outside_the_database_goes_through_the_outbox_with_timeouts():
    base = {"SECRET_KEY": "k" * 40}
    plain = settings_in_subprocess(base, "TASKS")["TASKS"]["default"]
    assert plain["BACKEND"] == "django_tasks_db.DatabaseBackend"  # its enqueue is a row of the change already
    env = {**base, "TASKS_BACKEND": "django_tasks_rq.RQBackend", "TASKS_REDIS_URL": "redis://queue:6379/1"}
    wrapped = settings_in_subprocess(env, "TASKS", "RQ_QUEUES")
    assert wrapped["TASKS"]["default"]["BACKEND"] == "plugins.core.task_backend.OutboxBackend"
    assert wrapped["TASKS"]["default"]["OPTIONS"] == {"QUEUE": "django_tasks_rq.RQBackend"}
    assert (
        wrapped["RQ_QUEUES"]["default"]["URL"] == "redis://queue:6379/1?socket_timeout=1.0&socket_connect_timeout=1.0"
    )


def test_https_only_when_asked_and_never_for_the_probes():
    base = {"SECRET_KEY": "k" * 40}
    off = settings_in_subprocess(base, "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
    assert off == {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0}
    on = settings_in_subprocess(
        {**base, "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000"},
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_REDIRECT_EXEMPT",
    )
    assert on["SECURE_SSL_REDIRECT"] is True and on["SECURE_HSTS_SECONDS"] == 31536000
    assert on["SECURE_REDIRECT_EXEMPT"] == [r"^health/serving/$"]
