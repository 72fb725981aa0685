"""The WSGI entry point gunicorn loads: the garbage collector set for a server process."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_server_process_freezes_what_it_loaded_and_raises_the_first_threshold():
    script = "import gc, cms.wsgi; print(gc.get_freeze_count(), gc.get_count()[0], *gc.get_threshold())"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    frozen, young, *threshold = map(int, result.stdout.split())
    # Django, Wagtail, every app and view: far more than a request makes, all out of the collector's walk.
    assert frozen > 50_000
    assert young < 1_000
    assert threshold == [10_000, 10, 10]
