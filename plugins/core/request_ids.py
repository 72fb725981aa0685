"""Every request gets an id: sent back as ``X-Request-ID`` and written in every log line it causes.

An operator finds a failed request's traceback by the id the client saw. A load balancer's own id
(``X-Request-ID`` on the way in) is kept when it looks like one and comes from the operations network
(where the balancer is), so that its logs and ours agree; a client's own is not.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from cms.operations import from_operations_network

HEADER = "X-Request-ID"
# What a forwarded id may be: short, and nothing a log line could be forged with.
_FORWARDED = re.compile(r"[A-Za-z0-9._:-]{8,64}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served by this thread (``-`` outside a request)."""
    return _current.get()


class RequestIdMiddleware:
    """The outermost middleware: names the request before anything can fail or log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.headers.get(HEADER, "")
        trusted = _FORWARDED.fullmatch(forwarded) and from_operations_network(request)
        request.id = forwarded if trusted else uuid.uuid4().hex
        token = _current.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Logging filter: gives each record ``request_id`` for the formatter (``LOGGING`` in settings)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
