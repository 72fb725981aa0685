"""The transactional outbox: what a change sets off is written with the change, and lost with nothing.

A request that writes (a question asked, a redemption) does not push to the task queue directly: it
writes an ``OutboxEntry`` in its own transaction (``emit`` in ``plugins.core.events``; any task enqueued,
ours or Wagtail's search and reference indexing, when the queue lives outside the database:
``plugins.core.task_backend.OutboxBackend``), and hands it to the queue once the transaction commits. If
the queue is away then (Redis down under the RQ backend), the change is committed all the same and the
entry waits; it is handed over
again by ``relay()`` — run by ``manage.py relay_outbox`` (beside the workers), and by any web process
whose hand-over failed, as soon as one succeeds again.

**Once each.** An entry is claimed before it is handed over (``handed_at``, a lease of ``LEASE``): two
relays never hand it over twice within the lease, and one not done when the lease ends (its worker died,
a Redis without persistence restarted) is handed over again. An event is delivered subscriber by
subscriber, each in one transaction with the mark that it ran (``delivered_to``), so that only the
subscribers that had not run run then. A task (an e-mail, a webhook, an index update) runs through
``run_outboxed``, which claims it (``started_at``) and marks it done when it returns: a duplicate in the
queue runs nothing, a task that died runs again after the lease (at least once, as a queue's retry).

The queue refusing an entry (a connection error, a timeout) means it is away: the entry waits, and the
relay stops until the next turn. Anything else (a task renamed by a deploy, arguments it cannot take) is
that entry's own failure: it is set aside (``failed_at``, with ``last_error``) and the rest goes on. So is
an entry handed over ``MAX_HANDINGS`` times. Done entries keep no payload (e-mails' bodies, links); they
are deleted after ``OUTBOX_KEEP_DAYS`` by the relay.
"""

from __future__ import annotations

import contextvars
import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

if TYPE_CHECKING:
    from plugins.core.models import OutboxEntry

logger = logging.getLogger(__name__)

# An entry handed to the queue and not done after this long is handed over again (its worker died, or the
# queue lost it). Longer than any task runs.
LEASE = timedelta(minutes=15)
# An entry younger than this is left to the hand-over of the request that wrote it.
GRACE = timedelta(seconds=10)
# The most entries one relay hands over per batch, and a request after the queue came back (the rest is
# relay_outbox's: a request must not carry a backlog).
BATCH = 200
RELAY_IN_REQUEST = 50
# Handed over this many times and still not done: set aside as failed.
MAX_HANDINGS = 5

# Seconds this process leaves the queue alone after a hand-over failed: each try may wait for its timeout
# (TASKS_REDIS_TIMEOUT), and a request hands over several entries. Entries meanwhile wait for the relay.
RETRY_AFTER = 2.0
# Whether a hand-over in this process failed since the last relay (the queue was away), and until when
# (monotonic) no hand-over is tried.
_pending = {"here": False, "until": 0.0}
# Set while an entry is handed over: its enqueue goes to the queue itself, not into the outbox again.
_handing_over = contextvars.ContextVar("outbox_handing_over", default=False)


def _queue_away_errors() -> tuple[type[BaseException], ...]:
    """What a queue raises when it is away, rather than refusing the entry itself."""
    import redis

    return (DatabaseError, OSError, redis.RedisError)


def handing_over() -> bool:
    """Whether this enqueue is an entry's hand-over (it goes to the queue itself, not into the outbox again)."""
    return _handing_over.get()


def forget() -> None:
    """Forget that the queue was away (tests: one test's outage is not the next one's)."""
    _pending.update(here=False, until=0.0)


def later(task, *args, **kwargs) -> OutboxEntry:
    """Enqueue ``task(*args, **kwargs)`` when the current transaction commits, durably: written in it. The
    task's ``run_after``, ``priority`` and ``queue_name`` are kept."""
    payload = {
        "args": list(args),
        "kwargs": kwargs,
        "run_after": task.run_after.isoformat() if task.run_after else None,
        "priority": task.priority,
        "queue_name": task.queue_name,
    }
    return _write(task_path=task.module_path, payload=payload)


def record_event(event: str, payload: dict) -> None:
    """Write ``event`` in the current transaction and hand it to the queue when it commits (``emit``)."""
    _write(event=event, payload=payload)


def _write(**fields) -> OutboxEntry:
    from plugins.core.models import OutboxEntry

    entry = OutboxEntry.objects.create(**fields)
    transaction.on_commit(lambda: _hand_over_after_commit(entry.pk))
    return entry


def _hand_over_after_commit(pk: int) -> None:
    """After the change committed: never raise (the request's answer, and the transaction's other callbacks,
    do not depend on the queue nor on this second write); what fails here is the relay's."""
    try:
        if hand_over(pk) and _pending["here"]:
            # The queue is back after a failure here: what waited meanwhile goes now, a batch of it at most.
            _pending["here"] = False
            relay(limit=RELAY_IN_REQUEST)
    except DatabaseError:
        logger.exception("Outbox entry %s could not be handed over; relay_outbox will", pk)


def hand_over(pk: int) -> bool:
    """Claim the entry and enqueue it; on a queue error, release it for the relay. Whether it was handed over
    (False too when it is done, set aside, or claimed by another within the lease)."""
    from plugins.core.models import OutboxEntry

    if time.monotonic() < _pending["until"]:
        OutboxEntry.objects.filter(pk=pk, handed_at__isnull=True).update(last_error="The task queue was away.")
        return False
    now = timezone.now()
    claimed = (
        OutboxEntry.objects.filter(pk=pk, done_at__isnull=True, failed_at__isnull=True)
        .filter(Q(handed_at__isnull=True) | Q(handed_at__lt=now - LEASE))
        .update(handed_at=now, handings=F("handings") + 1)
    )
    if not claimed:
        return False
    entry = OutboxEntry.objects.get(pk=pk)
    if entry.handings > MAX_HANDINGS:
        logger.error("%s was handed over %s times and never done; set aside", entry, MAX_HANDINGS)
        _set_aside(pk, f"Handed over {MAX_HANDINGS} times and never done. {entry.last_error}")
        return False
    try:
        _enqueue(entry)
    except _queue_away_errors() as error:  # the queue is away: the entry waits, nothing is lost
        _pending["here"], _pending["until"] = True, time.monotonic() + RETRY_AFTER
        logger.warning(
            "The task queue is unavailable; %s waits in the outbox (%s: %s)", entry, type(error).__name__, error
        )
        OutboxEntry.objects.filter(pk=pk).update(handed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000])
        return False
    except Exception as error:  # this entry's own failure (a task renamed by a deploy): the others go on
        logger.exception("%s cannot be queued; set aside", entry)
        _set_aside(pk, f"Cannot be queued: {type(error).__name__}: {error}")
        return False
    return True


def _set_aside(pk: int, reason: str) -> None:
    from plugins.core.models import OutboxEntry

    OutboxEntry.objects.filter(pk=pk).update(failed_at=timezone.now(), last_error=reason[:2000])


def _enqueue(entry) -> None:
    token = _handing_over.set(True)
    try:
        if entry.event:
            from plugins.core.events import deliver_event

            deliver_event.enqueue(entry.event, entry.payload, outbox=entry.pk)
        else:
            payload = entry.payload
            import_string(entry.task_path)  # a task that no longer exists is this entry's failure, not the queue's
            run_after = payload.get("run_after")
            run_outboxed.using(
                run_after=datetime.fromisoformat(run_after) if run_after else None,
                priority=payload.get("priority", run_outboxed.priority),
                queue_name=payload.get("queue_name", run_outboxed.queue_name),
            ).enqueue(entry.pk, entry.task_path)
    finally:
        _handing_over.reset(token)


@task()
def run_outboxed(pk: int, task_path: str = "") -> None:
    """Background task: run an outbox entry's task (``task_path`` names it, for whoever reads the queue), once
    within its lease; the entry is done, its payload dropped, when the task returns. A task that raises stays
    not done: handed over again after the lease, up to ``MAX_HANDINGS`` times."""
    from plugins.core.models import OutboxEntry

    now = timezone.now()
    claimed = (
        OutboxEntry.objects.filter(pk=pk, done_at__isnull=True, failed_at__isnull=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - LEASE))
        .update(started_at=now)
    )
    if not claimed:
        return  # done already, or running elsewhere (a duplicate in the queue)
    entry = OutboxEntry.objects.get(pk=pk)
    payload = entry.payload
    import_string(entry.task_path).call(*payload.get("args", []), **payload.get("kwargs", {}))
    OutboxEntry.objects.filter(pk=pk).update(done_at=timezone.now(), payload={})


def due():
    """The entries the relay hands over: not handed over (past the grace, or at once when their hand-over failed),
    or handed over and not done within the lease; never those set aside."""
    from plugins.core.models import OutboxEntry

    now = timezone.now()
    not_handed = Q(handed_at__isnull=True) & (Q(created_at__lt=now - GRACE) | ~Q(last_error=""))
    return OutboxEntry.objects.filter(done_at__isnull=True, failed_at__isnull=True).filter(
        not_handed | Q(handed_at__lt=now - LEASE)
    )


def relay(limit: int | None = None) -> tuple[int, int]:
    """Hand over every due entry (oldest first; at most ``limit``), and delete entries done over
    ``OUTBOX_KEEP_DAYS`` ago.

    Returns (handed over, still waiting). Stops at the first entry the queue refuses (it is away).
    """
    from plugins.core.models import OutboxEntry

    handed, seen = 0, set()
    while limit is None or handed < limit:
        batch = [pk for pk in due().order_by("created_at", "pk").values_list("pk", flat=True)[:BATCH] if pk not in seen]
        if not batch:
            break
        for pk in batch[: None if limit is None else limit - handed]:
            seen.add(pk)
            if hand_over(pk):
                handed += 1
            elif time.monotonic() < _pending["until"]:  # the queue is away: the rest waits for the next turn
                return handed, due().count()
    keep = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    OutboxEntry.objects.filter(done_at__lt=keep).delete()
    return handed, due().count()


def deliver_once(pk: int, event: str, payload: dict, subscribers: list) -> None:
    """Deliver an outbox entry's event to each subscriber that has not had it, each in one transaction with
    the mark that it ran; then mark the entry done (its payload dropped).

    A subscriber's bug is logged and marked (it would raise again), so one failing does not cost the others
    their event. A database error (a deadlock, a lost connection) is not a bug: it is raised, the subscriber
    left unmarked, and the event handed over again after its lease — marked after ``MAX_HANDINGS`` tries.
    """
    from plugins.core.models import OutboxEntry

    for subscriber in subscribers:
        name = f"{subscriber.__module__}.{subscriber.__qualname__}"
        with transaction.atomic():
            entry = OutboxEntry.objects.select_for_update().filter(pk=pk).first()
            if entry is None:
                logger.warning("Outbox entry %s (%s) is gone: not delivered again", pk, event)
                return
            if entry.done_at is not None or name in entry.delivered_to:
                continue
            try:
                with transaction.atomic():
                    subscriber(**payload)
            except DatabaseError as error:
                if entry.handings < MAX_HANDINGS:
                    raise
                logger.exception("Subscriber %s failed on %s, the last time it is tried", name, event)
                entry.last_error = f"{name}: {type(error).__name__}: {error}"[:2000]
            except Exception as error:  # one subscriber's bug must not cost the others their event
                logger.exception("Subscriber %s failed on %s", name, event)
                entry.last_error = f"{name}: {type(error).__name__}: {error}"[:2000]
            entry.delivered_to = [*entry.delivered_to, name]
            entry.save(update_fields=["delivered_to", "last_error"])
    OutboxEntry.objects.filter(pk=pk, done_at__isnull=True).update(done_at=timezone.now(), payload={})
