"""A health check of the background-task queue for django-health-check (``/health/``).

The database, cache and storage checks are django-health-check's own; this one asks the task
backend whether work is being taken: tasks waiting longer than ``STALE_AFTER`` mean no worker runs.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import Error as DatabaseError
from django.utils import timezone
from django_tasks import task_backends
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

STALE_AFTER = datetime.timedelta(minutes=15)


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The default task backend is reachable, and (for the database backend) its queue is being worked."""

    def run(self):
        backend = task_backends["default"]
        if type(backend).__module__.startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            try:
                stale = DBTaskResult.objects.ready().filter(enqueued_at__lt=timezone.now() - STALE_AFTER).count()
            except DatabaseError as error:
                raise ServiceUnavailable(f"The task queue cannot be read: {type(error).__name__}") from error
            if stale:
                raise ServiceWarning(f"{stale} tasks have waited over {STALE_AFTER}: is a worker running?")
