"""When the database goes away the API answers a JSON 503 in Strapi's envelope, and recovers by itself.

The database is a private PostgreSQL cluster this test makes (initdb in a temporary folder, its own
port) and stops and starts; the machine's shared PostgreSQL is never touched.
"""

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

# Its own servers and databases, whatever DATABASE_URL says: CI runs it once (the SQLite pass).
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))

SETUP = """
from plugins.teams.models import Team
from plugins.accounts.roles import EDITORS
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from api.authentication import issue_jwt
team = Team.objects.create(name="Growth", tagline="Before", live=True)
editor = get_user_model().objects.create_user("editor", "editor@example.com", "an editor's passphrase 1")
editor.groups.add(Group.objects.get(name=EDITORS))
print("IDS", team.document_id, issue_jwt(editor))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """A throwaway cluster owned by the postgres account (PostgreSQL refuses to run as root)."""

    def __init__(self):
        self.bin = Path(BINARIES[-1])
        self.folder = Path(tempfile.mkdtemp(prefix="cms-outage-", dir="/tmp"))
        self.data, self.port = self.folder / "data", free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped already
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    if not BINARIES or not shutil.which("runuser"):
        pytest.fail("PostgreSQL's server binaries are needed (/usr/lib/postgresql/*/bin)")
    postgres = PrivatePostgres()
    process = None
    try:
        postgres.start()
        subprocess.run(
            [str(postgres.bin / "createdb"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "cms"],
            check=True,
            timeout=60,
        )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "cms.settings",
            "SECRET_KEY": "database-outage-test-key-long-enough-for-hmac-sha256",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{postgres.port}/cms",
            "CACHE_URL": "locmem",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
        made = subprocess.run(
            [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        team, jwt = next(line for line in made.stdout.splitlines() if line.startswith("IDS")).split()[1:]
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "-t", "30"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/api/teams", timeout=15).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        yield {"url": url, "team": team, "jwt": jwt, "postgres": postgres}
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=20)
        postgres.remove()


def test_a_json_503_while_the_database_is_down_and_200_within_seconds_after(server):
    url, postgres = server["url"], server["postgres"]
    team = f"{url}/api/teams/{server['team']}"
    headers = {"Authorization": f"Bearer {server['jwt']}", "Content-Type": "application/json"}
    assert requests.get(team, timeout=10).status_code == 200
    postgres.stop()
    try:
        for _ in range(3):  # every worker, whatever connection it held
            down = requests.get(team, timeout=30)
            assert down.status_code == 503, down.text[:500]
            assert down.headers["Content-Type"].startswith("application/json")
            body = down.json()
            assert body["data"] is None and body["error"]["name"] == "ServiceUnavailableError"
            assert "database" in body["error"]["message"]
        write = requests.put(team, data=json.dumps({"data": {"tagline": "During"}}), headers=headers, timeout=30)
        assert write.status_code == 503
    finally:
        postgres.start()
    started = time.monotonic()
    while requests.get(team, timeout=30).status_code != 200:
        assert time.monotonic() - started < 10, "the server did not recover within 10 seconds"
        time.sleep(0.2)
    assert requests.get(team, timeout=10).json()["data"]["tagline"] == "Before"  # nothing half-written
    after = requests.put(team, data=json.dumps({"data": {"tagline": "After"}}), headers=headers, timeout=30)
    assert after.status_code == 200 and after.json()["data"]["tagline"] == "After"
