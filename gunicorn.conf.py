"""gunicorn's configuration for the CMS: ``gunicorn cms.wsgi`` reads it from the working directory.

Each setting comes from an environment variable (``GUNICORN_BIND``, ``GUNICORN_WORKERS``,
``GUNICORN_TIMEOUT``, ``GUNICORN_GRACEFUL_TIMEOUT``, ``GUNICORN_KEEPALIVE``, ``GUNICORN_ACCESS_LOG``);
options on the command line override it (``-w 4 -b 0.0.0.0:8000``), and so does ``GUNICORN_CMD_ARGS``.

Prometheus in multi-process mode: every worker counts in files of its own in ``PROMETHEUS_MULTIPROC_DIR``
and ``/metrics`` adds them all up (django-prometheus' view reads that directory whenever the variable is
set), whichever worker answers the scrape. Without it each worker would report only its own third (or
quarter...) of the requests, and a different one at every scrape. Unset, the variable is set here to a
fresh private directory, before any worker imports prometheus_client (which decides at import whether
to write to files); it is emptied when gunicorn starts, since files left by a previous run would be added
to this one's, and removed when gunicorn stops if it was made here. One directory per gunicorn: two
servers sharing one would empty and sum each other's files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on (a container's cpuset)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# 2 x CPUs + 1, at most 12 by default: each worker keeps a database connection (DATABASE_CONN_MAX_AGE), and
# a large host (or a container's CPU quota, which the CPU count does not see) would otherwise open dozens.
workers = _number("GUNICORN_WORKERS", min(2 * _cpus() + 1, 12))
timeout = _number("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)  # to finish its requests on a restart or stop
keepalive = _number("GUNICORN_KEEPALIVE", 5)  # seconds an idle connection is kept (not by sync workers)

# The access log, on standard output by default ("" turns it off): gunicorn's usual fields, the time the
# request took in milliseconds and the X-Request-ID the response carries ("-" when none).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'

_MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"
_MADE_HERE = "CMS_GUNICORN_MADE_PROMETHEUS_DIR"  # which directory this file made (a reload reads it again)
if not os.environ.get(_MULTIPROC):
    os.environ[_MULTIPROC] = os.environ[_MADE_HERE] = tempfile.mkdtemp(prefix="cms-prometheus-")


def on_starting(server):
    """In the master, before any worker: an empty directory (only the metrics' ``*.db`` files are removed
    from one the operator named)."""
    folder = Path(os.environ[_MULTIPROC])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """In the master, once a worker has gone: its live gauges' files go (its counters stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    folder = os.environ.get(_MULTIPROC)
    if folder and os.environ.get(_MADE_HERE) == folder:
        shutil.rmtree(folder, ignore_errors=True)


def post_worker_init(worker):
    """For the benchmarks (``bench/common.py``): each worker says when it has loaded the application, so that
    a cold run's first measured request is the first any worker answers. Nothing when BENCH_READY_DIR is
    unset."""
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        Path(folder, str(worker.pid)).touch()
