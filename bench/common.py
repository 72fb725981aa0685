"""What the benchmarks share: the PostgreSQL environment, manage.py, gunicorn and wrk on loopback."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cms_bench"


def environment() -> dict:
    """The process environment for the benchmark's database, production-like (DEBUG off)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef"),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=os.environ.get("BENCH_MEDIA_ROOT", "/tmp/cms-bench-media"),
        LOG_LEVEL="WARNING",
    )
    return env


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


@contextlib.contextmanager
def gunicorn(env: dict, ready_path: str, workers: int = 2):
    """Serve the project with gunicorn on a free loopback port; yields the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [PYTHON, "-m", "gunicorn", "cms.wsgi", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(base + ready_path)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def wrk(url: str, connections: int, seconds: int, script: str | None = None) -> dict:
    """Run wrk; its median latency, requests per second and non-2xx count."""
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], check=True, text=True, capture_output=True).stdout
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "median_ms": round(float(median.group(1)) * scale[median.group(2)], 2),
        "requests_per_second": round(float(rps.group(1)), 1),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }
