"""The task backend that puts the outbox in front of a queue outside the database (kept apart from
``plugins.core.outbox``, whose own task is made with the configured backend)."""

from __future__ import annotations

import functools

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django_tasks.base import TaskResult, TaskResultStatus


class _Durable:
    """Mixed into a task backend: ``enqueue`` writes an outbox entry in the current transaction (handed to the
    backend itself once it commits) instead of reaching the queue at once."""

    def enqueue(self, task, args, kwargs):
        from plugins.core.outbox import handing_over, later

        if handing_over():
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        entry = later(task, *args, **kwargs)
        return TaskResult(
            task=task,
            id=f"outbox-{entry.pk}",
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


@functools.cache
def _durable(queue_backend: type) -> type:
    return type(f"Outbox{queue_backend.__name__}", (_Durable, queue_backend), {"__module__": __name__})


class OutboxBackend:
    """A ``TASKS`` backend for a queue outside the database (``OPTIONS["QUEUE"]``: RQ's, say): every task enqueued
    while a transaction is open is written in it and handed over when it commits, so that Redis being down
    neither fails the change (ours, or Wagtail's indexing on save) nor loses the task.

    The instance is of a subclass of the queue's backend (``OutboxRQBackend``), so that its workers and checks
    see the backend they know. (The database's own queue needs none: its enqueue is a row of the same
    transaction already.)
    """

    def __new__(cls, alias: str, params: dict):
        path = params.get("OPTIONS", {}).get("QUEUE", "django_tasks_rq.RQBackend")
        queue = import_string(path)
        if issubclass(queue, OutboxBackend | _Durable):
            raise ImproperlyConfigured(f"The outbox's QUEUE must be a task queue's backend, not {path}.")
        return _durable(queue)(alias, params)
