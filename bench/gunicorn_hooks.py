"""Gunicorn hooks for the benchmarks: each worker says when it has loaded the application.

A cold run starts gunicorn and waits for every worker's file in BENCH_READY_DIR, so that the first
request it measures is the first any worker answers (no readiness request warms one first).
"""

import os
from pathlib import Path


def post_worker_init(worker):
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        Path(folder, str(worker.pid)).touch()
