"""Prometheus metrics beyond django-prometheus' requests: background tasks and the store's redemptions.

Exposed with the rest at ``/metrics`` (keep it to the internal network: see the README's deployment).
Under gunicorn each worker counts in files of its own in ``PROMETHEUS_MULTIPROC_DIR`` (``gunicorn.conf.py``
sets one) and ``/metrics`` adds them up. Counters only: a Gauge here would need a ``multiprocess_mode``
("livesum", "max"...; the default keeps one series per worker process, dead ones' included).
"""

from __future__ import annotations

from django.dispatch import receiver
from django_tasks.signals import task_finished
from prometheus_client import Counter

from plugins.core.events import subscribe

TASKS = Counter("cms_tasks_finished_total", "Background tasks finished, by task and final status.", ["task", "status"])
STORE = Counter("cms_store_events_total", "Redemptions made, ordered and cancelled in the rewards store.", ["event"])


@receiver(task_finished, dispatch_uid="cms-metrics-tasks")
def count_task(sender, task_result, **kwargs):
    status = getattr(task_result.status, "value", task_result.status)
    path = task_result.task.module_path
    if path == "plugins.core.outbox.run_outboxed" and len(task_result.args) > 1:
        path = task_result.args[1]  # the task the outbox ran, not its runner
    TASKS.labels(task=path, status=status).inc()


@subscribe("reward_redeemed")
def count_redemption(**payload):
    STORE.labels(event="redeemed").inc()


@subscribe("reward_ordered")
def count_order(**payload):
    STORE.labels(event="ordered").inc()


@subscribe("reward_cancelled")
def count_cancellation(**payload):
    STORE.labels(event="cancelled").inc()
