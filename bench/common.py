"""What the benchmarks share: the PostgreSQL environment, manage.py, gunicorn and wrk on loopback."""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cms_bench"


def environment(database_url: str | None = None) -> dict:
    """The process environment for the benchmark's database (``database_url``, by default
    BENCH_DATABASE_URL's), production-like (DEBUG off)."""
    database_url = database_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef"),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=os.environ.get("BENCH_MEDIA_ROOT", "/tmp/cms-bench-media"),
        LOG_LEVEL="WARNING",
        # The shared cache production runs on (.env.example): Redis, not the database's cache table, whose every
        # read is a query and whose every write counts the table.
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0"),
        # One prefix per database: two benchmark databases sharing one would read each other's kept values
        # (the site benchmark's teams' pineapple counts were read on the API benchmark's data).
        CACHE_KEY_PREFIX="cms-bench-" + database_name(database_url),
    )
    return env


def database_name(url: str) -> str:
    """The name of the PostgreSQL database ``url`` names."""
    return url.rsplit("/", 1)[1].split("?")[0]


def setup_django(env: dict) -> None:
    """Configure Django in this process for the benchmark's database (for its set-up and checks)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    import psycopg

    name = database_name(url)
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
        # The planner's cost of a random read as on SSD storage (PostgreSQL's default, 4, is a spinning disk's):
        # with it a reply's visibility join reads its question by key rather than scanning every question.
        # On this database only, not the server.
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


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
def gunicorn(env: dict, ready_path: str | None = None, workers: int = 2, app: str = "cms.wsgi"):
    """Serve the project (or another WSGI ``app``) with gunicorn on a free loopback port; yields the base URL.

    With the project's ``gunicorn.conf.py`` (its multi-process metrics included), but no access log, as
    before the project had one. Ready when every worker has loaded the application (the configuration's
    ``post_worker_init`` touches a file in ``BENCH_READY_DIR``); with ``ready_path``, also once that path
    answers 200 (which warms the worker that answers it).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ready = Path(tempfile.mkdtemp(prefix="bench-ready-"))
    command = [PYTHON, "-m", "gunicorn", app, "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env={**env, "BENCH_READY_DIR": str(ready), "GUNICORN_ACCESS_LOG": ""})
    try:
        deadline = time.monotonic() + 60
        while len(list(ready.iterdir())) < workers:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start its workers")
            time.sleep(0.1)
        if ready_path:
            wait_until_up(base + ready_path)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(ready, ignore_errors=True)


def yardstick(env: dict, body: bytes, seconds: int = 5) -> dict:
    """What this machine takes to answer ``body`` with no application (``bare_wsgi.py``, the same gunicorn
    and wrk), and the CPU time of a fixed piece of Python: the scale to read the benchmark's figures on."""
    import timeit

    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(body)
        file.flush()
        with gunicorn({**env, "BARE_BODY_FILE": file.name}, "/", app="bench.bare_wsgi:application") as base:
            bare = wrk(base + "/", 1, seconds)
    loop = timeit.Timer("sum(d.values())", "d = {i: i for i in range(1000)}")
    python_us = min(loop.repeat(5, 2000)) / 2000 * 1e6
    return {"bare_p50_ms": bare["p50_ms"], "bare_p99_ms": bare["p99_ms"], "python_us": round(python_us, 2)}


SCALE_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(value: str, unit: str) -> float:
    return round(float(value) * SCALE_MS[unit], 2)


def wrk(url: str, connections: int, seconds: int, script: str | None = None, timeout: float = 2.0) -> dict:
    """Run wrk; what a user would see: p50 and p99 latency, requests per second, and every failure.

    wrk leaves a request that takes longer than ``timeout`` out of its latency distribution and counts
    it only as a timeout, so the percentiles alone would hide the slowest requests: ``errors`` adds
    the timeouts and socket errors to the non-2xx/3xx responses.
    """
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", f"--timeout={timeout:g}s"]
    if script:
        command += ["-s", script]
    load_before = os.getloadavg()[0]
    output = subprocess.run([*command, url], check=True, text=True, capture_output=True).stdout
    percentiles = {
        int(p): _ms(value, unit)
        for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    }
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    count = re.search(r"^\s+(\d+) requests in", output, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    connect, read, write, timeouts = (int(n) for n in sockets.groups()) if sockets else (0, 0, 0, 0)
    result = {
        "p50_ms": percentiles.get(50),
        "p99_ms": percentiles.get(99),
        "requests": int(count.group(1)) if count else 0,
        "requests_per_second": round(float(rps.group(1)), 1) if rps else 0.0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": {"connect": connect, "read": read, "write": write},
        "timeouts": timeouts,
        "timeout_s": timeout,
        # The machine's 1-minute load average before and after: on a shared machine, the figures' context.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    result["errors"] = result["non_2xx"] + connect + read + write + timeouts
    return result


def percentile(values: list[float], p: float) -> float | None:
    """The nearest-rank percentile (of 20 values, p99 is the largest)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)


def clear_shared_cache(env: dict) -> None:
    """Empty the shared cache of this deployment, as its TTLs running out would.

    On Redis only the keys under the deployment's ``CACHE_KEY_PREFIX`` go (Django's ``cache.clear()``
    would flush the whole Redis database, whatever else it holds); the database cache is emptied.
    """
    setup_django(env)
    from django.core.cache import cache

    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        cache.clear()
        return
    redis = client(write=True)
    keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        redis.delete(*keys)


def cold(
    env: dict, requests: list[tuple[str, str, dict, bytes | None]], timeout: float = 2.0, workers: int = 2
) -> dict:
    """The first requests a just-started gunicorn answers, one at a time, each on a new connection.

    What a member meets on a cold worker (after a deploy or a restart, or gunicorn recycling a
    worker): nothing kept in any process — no ``lru_cache`` (timestamps, media sizes), no
    ``TtlCache`` (achievement summaries, the store's catalogue, webhooks), no database connection,
    no lazily built module state — and the shared cache emptied, as its 300-second TTLs (permission
    matrix, pineapple counts) leave it after a quiet spell. PostgreSQL's and the OS's page caches
    stay warm. Nothing is sent before the measured requests (the workers say they are ready through
    ``gunicorn.conf.py``), so the first request each worker takes pays for all of it.

    ``requests`` are ``(method, path, headers, body)``; a request slower than ``timeout`` counts as a
    timeout (and, as in wrk, not in the percentiles).
    """
    clear_shared_cache(env)
    load_before = os.getloadavg()[0]
    latencies, errors, timeouts = [], 0, 0
    with gunicorn(env, workers=workers) as base:
        host, port = base.removeprefix("http://").split(":")
        for method, path, headers, body in requests:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
            except TimeoutError:
                timeouts += 1
                continue
            except OSError:
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if not 200 <= response.status < 400:
                errors += 1
    return {
        "requests": len(requests),
        "first_ms": round(latencies[0], 2) if latencies else None,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "errors": errors + timeouts,
        "timeouts": timeouts,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}" if value >= 100 else f"{value:.2f}"


def print_table(rows: list[dict]) -> None:
    """One line per figure: ``name``, warm ``p50``/``p99`` (one connection), ``target``, ``cold`` p50/p99,
    ``rps`` and its connections, ``load`` p50/p99, ``errors``/``timeouts`` (warm and cold together);
    then the machine's load average around the runs (``load_average``: the rows' runs' values)."""
    header = (
        f"{'query':<14}{'p50 ms':>9}{'p99 ms':>9}{'target':>14}{'cold p50/p99 ms':>18}{'req/s':>12}"
        f"{'load p50/p99 ms':>18}{'errors/timeouts':>17}  path"
    )
    print("\n" + header)
    for row in rows:
        target = row.get("target") or "-"
        cold_run = row.get("cold") or {}
        rps = f"{row['rps']:.1f} ({row['connections']}c)" if row.get("rps") is not None else "-"
        load = (
            f"{fmt_ms(row.get('load_p50'))}/{fmt_ms(row.get('load_p99'))}" if row.get("load_p50") is not None else "-"
        )
        failures = f"{row['errors']}/{row['timeouts']}"
        print(
            f"{row['name']:<14}{fmt_ms(row['p50']):>9}{fmt_ms(row['p99']):>9}{target:>14}"
            f"{fmt_ms(cold_run.get('p50_ms')) + '/' + fmt_ms(cold_run.get('p99_ms')):>18}{rps:>12}{load:>18}"
            f"{failures:>17}  {row.get('path', '')}" + ("   <-- over target" if row.get("over") else "")
        )
    loads = [value for row in rows for value in row.get("load_average", [])]
    if loads:
        spread = f"{min(loads):.2f}-{max(loads):.2f}"
        print(f"(machine load average, 1 min, around the runs: {spread} on {os.cpu_count()} CPUs)")
