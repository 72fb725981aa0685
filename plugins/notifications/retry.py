"""Retrying a background task that failed: a few attempts, further apart each time."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

MAX_ATTEMPTS = 4
FIRST_DELAY_SECONDS = 30


def retry_later(task, attempt: int, *args, **kwargs) -> bool:
    """Enqueue ``task`` again as attempt ``attempt + 1`` (30 s, 1 min, 2 min later); False when attempts ran out.

    A backend that cannot defer (the immediate one, in tests) runs the next attempt at once.
    """
    if attempt >= MAX_ATTEMPTS:
        return False
    if task.get_backend().supports_defer:
        delay = timedelta(seconds=FIRST_DELAY_SECONDS * 2 ** (attempt - 1))
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True
