"""Real servers for the operations tests: a scratch database on the machine's PostgreSQL, a private Redis,
gunicorn on a free loopback port. Each is made for the test and removed after it; the machine's own
servers are never stopped or reconfigured."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
import requests
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited ({process.returncode}): {log.read_text()[-3000:]}")
        try:
            requests.get(f"{url}/health/", timeout=5)  # any answer: the workers have loaded the application
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not start: {log.read_text()[-3000:]}")


def admin_connection() -> psycopg.Connection:
    try:
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is needed at {POSTGRES} (CI starts it): {error}")


@contextlib.contextmanager
def scratch_database(prefix: str = "cms_ops_test"):
    """A new, empty database on the shared server, dropped (its connections ended first) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin_connection() as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@contextlib.contextmanager
def gunicorn(env: dict[str, str], tmp_path: Path, workers: int = 2):
    """``gunicorn cms.wsgi`` on a free loopback port: (process, url, its stderr's file)."""
    port = free_port()
    log = tmp_path / f"gunicorn-{port}.log"
    command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        yield process, f"http://127.0.0.1:{port}", log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


class PrivateRedis:
    """A redis-server of the test's own on a free port, keeping nothing on disk: stopped, paused (SIGSTOP: it
    accepts connections and answers nothing, as behind a network partition) and resumed at will."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is needed (Debian's redis-server package; CI has it)")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="cms-redis-"))
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the private redis-server did not start") from None
                time.sleep(0.1)

    def pause(self) -> None:
        self.process.send_signal(19)  # SIGSTOP

    def resume(self) -> None:
        self.process.send_signal(18)  # SIGCONT

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=20)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def manage(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python manage.py *args`` in ``env``; its output captured, a failure shown whole."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done
