"""The transactional outbox: what a change sets off is written with the change, and lost with nothing.

A request that writes (a question asked, a redemption) does not push to the task queue directly: it
writes an ``OutboxEntry`` in its own transaction (``emit`` in ``plugins.core.events``; any task enqueued,
ours or Wagtail's search and reference indexing, when the queue lives outside the database:
``OutboxBackend``), and hands it to the queue once the transaction commits. If the queue is away then (Redis down
under the RQ backend), the change is committed all the same and the entry waits; it is handed over
again by ``relay()`` — run by ``manage.py relay_outbox`` (beside the workers), and by any web process
whose hand-over failed, as soon as one succeeds again.

**Once each.** An entry is claimed before it is handed over (``handed_at``, a lease of ``LEASE``): two
relays never hand it over twice within the lease. An event is delivered subscriber by subscriber, each
in one transaction with the mark that it ran (``delivered_to``), so that a worker that dies mid-event
leaves it to be handed over again when the lease ends, and only the subscribers that had not run run
then. A task (an e-mail, a webhook) is the queue's once handed over, as if enqueued directly.

Delivered entries are deleted after ``OUTBOX_KEEP_DAYS`` by the relay.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResult, TaskResultStatus

if TYPE_CHECKING:
    from plugins.core.models import OutboxEntry

logger = logging.getLogger(__name__)

# An entry handed to the queue and not done after this long is handed over again (its worker died, or the
# queue lost it). Longer than any task runs.
LEASE = timedelta(minutes=15)
# An entry younger than this is left to the hand-over of the request that wrote it.
GRACE = timedelta(seconds=10)
# The most entries one relay hands over per batch.
BATCH = 200

# Seconds this process leaves the queue alone after a hand-over failed: each try may wait for its timeout
# (TASKS_REDIS_TIMEOUT), and a request hands over several entries. Entries meanwhile wait for the relay.
RETRY_AFTER = 2.0
# Whether a hand-over in this process failed since the last relay (the queue was away), and until when
# (monotonic) no hand-over is tried.
_pending = {"here": False, "until": 0.0}
# Set while an entry is handed over: its enqueue goes to the queue itself, not into the outbox again.
_handing_over = contextvars.ContextVar("outbox_handing_over", default=False)


def forget() -> None:
    """Forget that the queue was away (tests: one test's outage is not the next one's)."""
    _pending.update(here=False, until=0.0)


def later(task, *args, **kwargs) -> OutboxEntry:
    """Enqueue ``task(*args, **kwargs)`` when the current transaction commits, durably: written in it. The
    task's ``run_after``, ``priority`` and ``queue_name`` are kept."""
    from plugins.core.models import OutboxEntry

    payload = {
        "args": list(args),
        "kwargs": kwargs,
        "run_after": task.run_after.isoformat() if task.run_after else None,
        "priority": task.priority,
        "queue_name": task.queue_name,
    }
    entry = OutboxEntry.objects.create(task_path=task.module_path, payload=payload)
    transaction.on_commit(lambda: _hand_over_after_commit(entry.pk))
    return entry


def record_event(event: str, payload: dict) -> None:
    """Write ``event`` in the current transaction and hand it to the queue when it commits (``emit``)."""
    from plugins.core.models import OutboxEntry

    entry = OutboxEntry.objects.create(event=event, payload=payload)
    transaction.on_commit(lambda: _hand_over_after_commit(entry.pk))


def _hand_over_after_commit(pk: int) -> None:
    if hand_over(pk) and _pending["here"]:
        # The queue is back after a failure here: what waited meanwhile goes now, not at the relay's next turn.
        _pending["here"] = False
        try:
            relay()
        except DatabaseError:
            logger.exception("The outbox could not be relayed; relay_outbox will")


def hand_over(pk: int) -> bool:
    """Claim the entry and enqueue it; on a queue error, release it for the relay. Whether it was handed over
    (False too when it is done, or claimed by another within the lease)."""
    from plugins.core.models import OutboxEntry

    if time.monotonic() < _pending["until"]:
        OutboxEntry.objects.filter(pk=pk, handed_at__isnull=True).update(last_error="The task queue was away.")
        return False
    now = timezone.now()
    claimed = (
        OutboxEntry.objects.filter(pk=pk, done_at__isnull=True)
        .filter(Q(handed_at__isnull=True) | Q(handed_at__lt=now - LEASE))
        .update(handed_at=now, handings=F("handings") + 1)
    )
    if not claimed:
        return False
    entry = OutboxEntry.objects.get(pk=pk)
    try:
        _enqueue(entry)
    except Exception as error:  # any backend's failure to queue: the entry waits, nothing is lost
        _pending["here"], _pending["until"] = True, time.monotonic() + RETRY_AFTER
        logger.warning(
            "The task queue is unavailable; %s waits in the outbox (%s: %s)", entry, type(error).__name__, error
        )
        OutboxEntry.objects.filter(pk=pk).update(handed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000])
        return False
    if entry.task_path:  # a task is the queue's once handed over
        OutboxEntry.objects.filter(pk=pk).update(done_at=timezone.now())
    return True


def _enqueue(entry) -> None:
    token = _handing_over.set(True)
    try:
        if entry.event:
            from plugins.core.events import deliver_event

            deliver_event.enqueue(entry.event, entry.payload, outbox=entry.pk)
        else:
            payload = entry.payload
            task = import_string(entry.task_path)
            run_after = payload.get("run_after")
            task = task.using(
                run_after=datetime.fromisoformat(run_after) if run_after else None,
                priority=payload.get("priority", task.priority),
                queue_name=payload.get("queue_name", task.queue_name),
            )
            task.enqueue(*payload.get("args", []), **payload.get("kwargs", {}))
    finally:
        _handing_over.reset(token)


def due():
    """The entries the relay hands over: not handed over (past the grace, or at once when their hand-over failed),
    or handed over and not done within the lease."""
    from plugins.core.models import OutboxEntry

    now = timezone.now()
    not_handed = Q(handed_at__isnull=True) & (Q(created_at__lt=now - GRACE) | ~Q(last_error=""))
    return OutboxEntry.objects.filter(done_at__isnull=True).filter(not_handed | Q(handed_at__lt=now - LEASE))


def relay(limit: int | None = None) -> tuple[int, int]:
    """Hand over every due entry (oldest first), and delete entries done over ``OUTBOX_KEEP_DAYS`` ago.

    Returns (handed over, still waiting). Stops at the first entry the queue refuses (it is away).
    """
    from plugins.core.models import OutboxEntry

    handed = 0
    while limit is None or handed < limit:
        batch = list(due().order_by("created_at", "pk").values_list("pk", flat=True)[:BATCH])
        if not batch:
            break
        for pk in batch:
            if hand_over(pk):
                handed += 1
            elif time.monotonic() < _pending["until"]:  # the queue is away: the rest waits for the next turn
                return handed, due().count()
    keep = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    OutboxEntry.objects.filter(done_at__lt=keep).delete()
    return handed, due().count()


def deliver_once(pk: int, event: str, payload: dict, subscribers: list) -> None:
    """Deliver an outbox entry's event to each subscriber that has not had it, each in one transaction with
    the mark that it ran; then mark the entry done. A subscriber that raises is logged and marked too (it
    would raise again), so one failing does not cost the others their event."""
    from plugins.core.models import OutboxEntry

    for subscriber in subscribers:
        name = f"{subscriber.__module__}.{subscriber.__qualname__}"
        with transaction.atomic():
            entry = OutboxEntry.objects.select_for_update().filter(pk=pk).first()
            if entry is None or entry.done_at is not None or name in entry.delivered_to:
                continue
            try:
                with transaction.atomic():
                    subscriber(**payload)
            except Exception as error:  # one subscriber's bug must not cost the others their event
                logger.exception("Subscriber %s failed on %s", name, event)
                entry.last_error = f"{name}: {type(error).__name__}: {error}"[:2000]
            entry.delivered_to = [*entry.delivered_to, name]
            entry.save(update_fields=["delivered_to", "last_error"])
    OutboxEntry.objects.filter(pk=pk, done_at__isnull=True).update(done_at=timezone.now())


class _Durable:
    """Mixed into a task backend: ``enqueue`` writes an outbox entry in the current transaction (handed to the
    backend itself once it commits) instead of reaching the queue at once."""

    def enqueue(self, task, args, kwargs):
        if _handing_over.get():
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
        queue = import_string(params.get("OPTIONS", {}).get("QUEUE", "django_tasks_rq.RQBackend"))
        return _durable(queue)(alias, params)
