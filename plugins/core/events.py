"""Domain events: a service emits one when its transaction commits; subscribers react, in the background.

``emit`` writes the event in the current transaction (the outbox, ``plugins.core.outbox``), so that nothing
reacts to a change that was rolled back and nothing is lost when the task queue is away, and hands it to the
queue as a task (``deliver_event``) once the transaction commits: what a change sets off (achievements,
points, e-mails, touching the profile a page is built from) never runs inside the request that made
it, which answers as soon as its own rows are written. Payloads are ids and numbers (JSON, for the
task queue). Subscribers run in the order they subscribed, each once per event, even when a worker died
mid-event and the event is delivered again; one failing does not stop the others.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django_tasks import task

from plugins.core.outbox import deliver_once, record_event

logger = logging.getLogger(__name__)

_subscribers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str):
    """Decorator: call the function with the event's keyword arguments each time it is emitted."""

    def register(function: Callable) -> Callable:
        if function not in _subscribers[event]:
            _subscribers[event].append(function)
        return function

    return register


def emit(event: str, **payload) -> None:
    """Record ``event`` in the current transaction; it is queued for its subscribers once that commits (at once
    outside one), or by the outbox's relay if the queue is away then."""
    record_event(event, payload)


@task()
def deliver_event(event: str, payload: dict, outbox: int | None = None) -> None:
    """Background task: deliver one emitted event to its subscribers (each once, by its ``outbox`` entry)."""
    if outbox is None:  # queued before the outbox (a task waiting through an upgrade)
        deliver(event, **payload)
    else:
        deliver_once(outbox, event, payload, list(_subscribers[event]))


def deliver(event: str, **payload) -> None:
    for subscriber in list(_subscribers[event]):
        try:
            subscriber(**payload)
        except Exception:  # one subscriber's bug must not cost the others their event
            logger.exception("Subscriber %s failed on %s", getattr(subscriber, "__name__", subscriber), event)
