"""``/health/`` (django-health-check): its view, and the checks of the shared cache and the task queue.

The database and storage checks are django-health-check's own. ``HealthView`` answers JSON naming each
check (``"OK"`` or what failed) and **503** when any fails, whatever the client accepts: a load balancer
reads the status, an operator the body.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime

from django.db import Error as DatabaseError
from django.utils import timezone
from django_tasks import task_backends
from health_check.base import HealthCheck
from health_check.checks import Cache
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from cms.cache_config import SHARED_CACHE
from plugins.core.errors import CacheUnavailable

STALE_AFTER = datetime.timedelta(minutes=15)


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The default task backend is reachable, its queue is being worked (the database backend), and nothing
    has waited long in the outbox (``plugins.core.outbox``)."""

    def run(self):
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_rq.backend import RQBackend

        from plugins.core import outbox

        backend = task_backends["default"]
        if isinstance(backend, DatabaseBackend):
            from django_tasks_db.models import DBTaskResult

            try:
                stale = DBTaskResult.objects.ready().filter(enqueued_at__lt=timezone.now() - STALE_AFTER).count()
            except DatabaseError as error:
                raise ServiceUnavailable(f"The task queue cannot be read: {type(error).__name__}") from error
            if stale:
                raise ServiceWarning(f"{stale} tasks have waited over {STALE_AFTER}: is a worker running?")
        elif isinstance(backend, RQBackend):  # the outbox's wrapper of it too
            import django_rq
            import redis

            try:
                django_rq.get_queue("default").connection.ping()
            except redis.RedisError as error:
                raise ServiceUnavailable(
                    f"The task queue (Redis) does not answer ({type(error).__name__}); events wait in the outbox."
                ) from error
        try:
            waiting = outbox.due().filter(created_at__lt=timezone.now() - STALE_AFTER).count()
        except DatabaseError as error:
            raise ServiceUnavailable(f"The outbox cannot be read: {type(error).__name__}") from error
        if waiting:
            raise ServiceWarning(
                f"{waiting} events and tasks have waited in the outbox over {STALE_AFTER}: is the queue reachable, "
                "and is `manage.py relay_outbox --forever` running?"
            )


class HealthView(HealthCheckView):
    """django-health-check's view, answering JSON with 503 when a check fails (it answers 500, and HTML to
    a client that accepts it). ``?format=text`` and the feeds stay as django-health-check has them."""

    async def get(self, request, *args, **kwargs):
        if request.GET.get("format") not in (None, "json"):
            return await super().get(request, *args, **kwargs)
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        return self.render_to_response_json(503 if any(result.error for result in self.results) else 200)


@dataclasses.dataclass
class SharedCache(Cache):
    """django-health-check's cache check on the shared cache's alias, saying plainly that it is away
    (``CacheUnavailable``) and that the site degrades meanwhile."""

    alias: str = SHARED_CACHE

    async def run(self):
        try:
            await super().run()
        except CacheUnavailable as error:
            raise ServiceUnavailable(
                "The shared cache does not answer: reads fall back to the database, rate limits to their "
                "fallback (README), until it is back."
            ) from error
