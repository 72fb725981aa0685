"""The WSGI entry point gunicorn loads: the garbage collector set for a server process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, cms.wsgi
from django.core.signals import request_finished
print(gc.get_freeze_count(), *gc.get_threshold())
def garbage(n):
    for _ in range(n):
        a = []; a.append(a)  # a cycle: only the collector frees it
before = gc.get_count()[0]
garbage(5_000)
print(gc.get_count()[0] - before)
request_finished.send(sender=None)
print(gc.get_count()[0])
"""


def run() -> list[int]:
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [int(word) for word in result.stdout.split()]


def test_the_server_process_freezes_what_it_loaded_and_collects_between_requests():
    frozen, *threshold, made, after_request = run()
    # Django, Wagtail, every app and view: far more than a request makes, all out of the collector's walk.
    assert frozen > 50_000
    assert threshold == [100_000, 50, 100]
    # The cycles stay (no collection during the "request": they are under the threshold) ...
    assert made > 4_000
    # ... until the request is finished, when the young generations are collected.
    assert after_request < 1_000
