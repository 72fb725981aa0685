"""Nothing under ``/api/`` answers HTML: every error there is JSON in Strapi's envelope.

The views answer their own errors (``api.errors.exception_handler``); this covers what happens outside
them — a route that does not exist, a method a non-API view refuses, an exception no handler expected —
which Django would answer with its HTML pages. An unexpected exception becomes Strapi's 500
(``InternalServerError``) and is logged with its traceback under the request's id (``X-Request-ID``).
"""

from __future__ import annotations

import logging

import orjson
from django.core import signals
from django.http import HttpResponse

from api.errors import ApiError, InternalServerError, error_for_status
from plugins.core.request_ids import current_request_id

logger = logging.getLogger("api.errors")

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def envelope_response(error: ApiError) -> HttpResponse:
    return HttpResponse(orjson.dumps(error.envelope()), status=error.status, content_type="application/json")


class JsonErrorsMiddleware:
    """Answers ``/api/`` errors that no view answered as JSON: unknown routes (404), refused methods (405),
    exceptions (500), and any other non-JSON error Django made. Placed outside every middleware but the
    request id's, so that an error an inner middleware raised (and Django turned into a page) is seen too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replaced = envelope_response(error_for_status(response.status_code))
        # Every header but the body's own: CORS (a browser reads the envelope only with them), Allow, Vary ...
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                replaced[header] = value
        return replaced

    def process_exception(self, request, exception):
        """A view's unexpected exception under ``/api/``: logged with its traceback, answered as Strapi's 500."""
        if not is_api(request):
            return None
        # What Django's own handling of an exception tells error reporters (Sentry, mail_admins) it tells them too.
        signals.got_request_exception.send(sender=None, request=request)
        logger.error(
            "Internal Server Error: %s %s (request %s)",
            request.method,
            request.path,
            current_request_id(),
            exc_info=(type(exception), exception, exception.__traceback__),
        )
        return envelope_response(InternalServerError())
