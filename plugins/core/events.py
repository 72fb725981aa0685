"""Domain events: a service emits one when its transaction commits; subscribers react, in the background.

``emit`` defers delivery with ``transaction.on_commit`` so that nothing reacts to a change that was
rolled back, and then queues it as a task (``deliver_event``): what a change sets off (achievements,
points, e-mails, touching the profile a page is built from) never runs inside the request that made
it, which answers as soon as its own rows are written. Payloads are ids and numbers (JSON, for the
task queue). Subscribers run in the order they subscribed; one failing does not stop the others.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django_tasks import task

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
    """Queue ``event`` for its subscribers once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: deliver_event.enqueue(event, payload))


@task()
def deliver_event(event: str, payload: dict) -> None:
    """Background task: deliver one emitted event to its subscribers."""
    deliver(event, **payload)


def deliver(event: str, **payload) -> None:
    for subscriber in list(_subscribers[event]):
        try:
            subscriber(**payload)
        except Exception:  # one subscriber's bug must not cost the others their event
            logger.exception("Subscriber %s failed on %s", getattr(subscriber, "__name__", subscriber), event)
