"""Two server processes sharing Redis: rate limits and caches hold across them, as behind gunicorn.

The servers are real gunicorn processes on loopback, over a database of their own (a SQLite file made
by ``migrate``) and the machine's Redis under a key prefix of this run (removed afterwards; the
server itself is never reconfigured).
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests

# Its own servers and databases, whatever DATABASE_URL says: CI runs it once (the SQLite pass).
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

SETUP = """
from plugins.profiles.models import Profile
from plugins.teams.models import Team
from django.contrib.auth import get_user_model
team = Team.objects.create(name="Growth", live=True)
user = get_user_model().objects.create_user("ada", "ada@example.com", "an analytical engine 1843")
profile = Profile.objects.create(user=user, first_name="Ada", pineapple_on_pizza=True)
profile.teams.add(team)
from api.authentication import issue_jwt
print("IDS", team.document_id, profile.document_id, issue_jwt(user))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited: {process.stderr.read().decode()[-3000:]}")
        try:
            if requests.get(f"{url}/api/teams", timeout=15).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not start")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is needed at {REDIS_URL} (CI starts it): {error}")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    database = tmp_path_factory.mktemp("two-processes") / "db.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "SECRET_KEY": "two-processes-test-key-long-enough-for-hmac-sha256",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "API_RATE_LIMITS": "login-address=30/minute,login-account=1000/hour",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120
    )
    team_id, profile_id, jwt = next(line for line in made.stdout.splitlines() if line.startswith("IDS")).split()[1:]
    processes, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield {"urls": urls, "team": team_id, "profile": profile_id, "jwt": jwt}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_thirty_one_quick_bad_logins_from_one_address_give_a_429_however_they_are_spread(servers):
    first, second = servers["urls"]
    codes = []
    for attempt in range(31):
        url = first if attempt % 2 else second
        body = {"identifier": f"nobody-{attempt}", "password": "wrong"}
        codes.append(requests.post(f"{url}/api/auth/local", json=body, timeout=10).status_code)
    assert codes[:30] == [400] * 30
    assert codes[30] == 429


def test_a_pineapple_answer_changed_through_one_process_shows_at_once_through_the_other(servers):
    first, second = servers["urls"]
    team = f"{second}/api/teams/{servers['team']}"
    assert requests.get(team, timeout=10).json()["data"]["pineappleVerdict"] == "in_favour"  # now cached
    jwt = servers["jwt"]  # signing in would meet the address's limit the other test spent
    changed = requests.put(
        f"{first}/api/profiles/{servers['profile']}",
        data=json.dumps({"data": {"pineappleOnPizza": False}}),
        headers={"Authorization": f"Bearer {jwt}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    assert requests.get(team, timeout=10).json()["data"]["pineappleVerdict"] == "against"
