"""The Redis-backed task backend (django-tasks-rq), end to end: a task queued by one process is done by an RQ worker.

The default stays the database queue; this proves the documented alternative works on the machine's
Redis, in a database number and key space this test empties afterwards.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

# Its own servers and databases, whatever DATABASE_URL says: CI runs it once (the SQLite pass).
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_TASKS_REDIS_URL", "redis://127.0.0.1:6379/13")

ENQUEUE = """
from plugins.notifications.email import send_email
result = send_email.enqueue("ada@example.com", "Through Redis", "Queued in Redis, sent by an RQ worker.")
print("QUEUED", result.id, result.status)
"""


def test_a_task_queued_in_redis_is_done_by_an_rq_worker(tmp_path):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is needed at {REDIS_URL} (CI starts it): {error}")
    client.flushdb()  # database 13 is this test's own
    mail = tmp_path / "mail"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "SECRET_KEY": "redis-queue-test-key-long-enough-for-hmac-sha256",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmem",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TASKS_REDIS_URL": REDIS_URL,
        "EMAIL_FILE_PATH": str(mail),
    }
    manage = [sys.executable, "manage.py"]
    # The task goes through the database's outbox (plugins.core.task_backend) on its way to Redis.
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    try:
        queued = subprocess.run(
            [*manage, "shell", "-c", ENQUEUE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert queued.returncode == 0, queued.stderr[-3000:]
        assert "QUEUED" in queued.stdout and "READY" in queued.stdout
        assert client.llen("rq:queue:default") == 1
        assert not mail.exists()
        worker = subprocess.run(
            [*manage, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
        sent = list(mail.glob("*.log"))
        assert len(sent) == 1 and "Through Redis" in sent[0].read_text()
        assert client.llen("rq:queue:default") == 0
    finally:
        client.flushdb()
