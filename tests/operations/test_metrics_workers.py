"""/metrics behind gunicorn with several workers counts every worker's requests, not the answering one's.

A real gunicorn (``gunicorn cms.wsgi -w 3`` from the project's folder, so with its ``gunicorn.conf.py``)
over a SQLite database of its own made by ``migrate``. The metrics' directory is this test's, so that
each worker's own counts can be read from its files.
"""

import json
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from tests.operations.servers import gunicorn, manage

# Its own servers and databases, whatever DATABASE_URL says: CI runs it once (the SQLite pass).
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
THREADS, EACH = 8, 15  # requests sent at once, and by each thread: 120 in all
COUNTER = "django_http_requests_total_by_view_transport_method"  # django-prometheus' process_view counts it
VIEW = "api:collection"  # the URL name /api/teams resolves to, the counter's ``view`` label


def wait_for_workers(ready: Path, process, log: Path, seconds: float = 120) -> None:
    """Until every worker has loaded the application (the configuration's ``post_worker_init`` touches
    a file each in BENCH_READY_DIR), so that the load that follows can reach all of them."""
    deadline = time.monotonic() + seconds
    while len(list(ready.iterdir())) < WORKERS:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn's workers did not start: {log.read_text()[-3000:]}")
        time.sleep(0.2)


def counts_by_worker(folder: Path, view: str) -> dict[int, float]:
    """Each worker's own count of requests to ``view``, from its ``counter_<pid>.db`` file: what a
    /metrics reading only the answering worker's memory would report."""
    counts = {}
    for path in folder.glob("counter_*.db"):
        pid = int(path.stem.removeprefix("counter_"))
        counts[pid] = 0.0
        for key, value, *_ in MmapedDict.read_all_values_from_file(str(path)):
            _metric, sample, labels, _help = json.loads(key)
            if sample == f"{COUNTER}_total" and labels.get("view") == view:
                counts[pid] += value
    return counts


def test_metrics_add_up_the_requests_every_worker_served(tmp_path):
    database, metrics, ready = tmp_path / "db.sqlite3", tmp_path / "metrics", tmp_path / "ready"
    metrics.mkdir()
    ready.mkdir()
    (metrics / "counter_1.db").write_bytes(b"left by a previous run")  # emptied when gunicorn starts
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "SECRET_KEY": "metrics-workers-test-key-long-enough-for-hmac-sha256",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": "locmem",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        "BENCH_READY_DIR": str(ready),
        "GUNICORN_ACCESS_LOG": "",
    }
    manage(env, "migrate", "--noinput", "-v0")
    with gunicorn(env, tmp_path, workers=WORKERS) as (process, base, log):
        wait_for_workers(ready, process, log)

        def ask(_):
            return [requests.get(f"{base}/api/teams", timeout=30).status_code for _ in range(EACH)]

        sent, own = 0, {}
        for _round in range(5):  # until every worker has served some (the first round, in practice)
            with ThreadPoolExecutor(THREADS) as pool:
                codes = [code for batch in pool.map(ask, range(THREADS), timeout=240) for code in batch]
            assert codes == [200] * len(codes), (Counter(codes), log.read_text()[-3000:])
            sent += len(codes)
            own = counts_by_worker(metrics, VIEW)
            if sum(1 for count in own.values() if count) >= WORKERS:
                break
        # Each worker's own count, from its file: what a /metrics that read only the answering worker's
        # memory would report (django-prometheus without its MultiProcessCollector, or gunicorn without a
        # PROMETHEUS_MULTIPROC_DIR). Every worker served some, none saw them all: about a third each.
        assert 1 not in own  # the stale file went when gunicorn started
        assert sum(1 for count in own.values() if count) == WORKERS, (own, log.read_text()[-3000:])
        assert max(own.values()) < sent and sum(own.values()) == sent, own

        page = requests.get(f"{base}/metrics", timeout=30)
        assert page.status_code == 200
        counted = Counter()
        for family in text_string_to_metric_families(page.text):
            if family.name == COUNTER:
                for sample in family.samples:
                    counted[sample.labels["view"]] += sample.value
        assert counted[VIEW] == sent, (counted, own)  # whichever worker answered, it added up all of them
