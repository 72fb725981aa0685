"""Strapi's error envelope: ``{data: null, error: {status, name, message, details}}``."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django import db
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response

from plugins.core import errors as service

logger = logging.getLogger(__name__)


class ApiError(Exception):
    status = 400
    name = "ApplicationError"
    default_message = "Bad request"

    def __init__(self, message: str | None = None, details: dict | None = None, retry_after: int | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        self.retry_after = retry_after  # seconds, sent as Retry-After (a 429 or a 503)
        super().__init__(self.message)

    def envelope(self) -> dict:
        return {
            "data": None,
            "error": {"status": self.status, "name": self.name, "message": self.message, "details": self.details},
        }


class ValidationError(ApiError):
    status = 400
    name = "ValidationError"
    default_message = "Invalid request"


class PaginationError(ValidationError):
    """Strapi's own name for a pagination that cannot be read (page and start mixed)."""

    name = "PaginationError"


class UnauthorizedError(ApiError):
    status = 401
    name = "UnauthorizedError"
    default_message = "Missing or invalid credentials"


class ForbiddenError(ApiError):
    status = 403
    name = "ForbiddenError"
    default_message = "Forbidden"


class NotFoundError(ApiError):
    status = 404
    name = "NotFoundError"
    default_message = "Not Found"


class MethodNotAllowedError(ApiError):
    status = 405
    name = "MethodNotAllowedError"
    default_message = "Method Not Allowed"


class ConflictError(ApiError):
    status = 409
    name = "ConflictError"
    default_message = "Conflict"


class ServiceUnavailableError(ApiError):
    status = 503
    name = "ServiceUnavailableError"
    default_message = "Service unavailable"


class InternalServerError(ApiError):
    """An unexpected failure: Strapi's 500, which says nothing of what failed (the log says, by request id)."""

    status = 500
    name = "InternalServerError"
    default_message = "Internal Server Error"

    def envelope(self) -> dict:
        return {"data": None, "error": {"status": self.status, "name": self.name, "message": self.message}}


class PayloadTooLargeError(ApiError):
    status = 413
    name = "PayloadTooLargeError"
    default_message = "Payload too large"


class RateLimitError(ApiError):
    status = 429
    name = "RateLimitError"
    default_message = "Too many requests"


def error_for_status(status: int) -> ApiError:
    """The error a bare status stands for (a response Django made without a view of ours): the class with that
    status (the first, for 400: ``ApplicationError``), else a generic error carrying it."""
    cls = next((c for c in (ApiError, *_subclasses(ApiError)) if c.status == status), None)
    if cls is not None:
        return cls()
    known = status in HTTPStatus._value2member_map_
    error = (InternalServerError if status >= 500 else ApiError)(HTTPStatus(status).phrase if known else None)
    error.status = status
    return error


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def invalid_key(key: str, source: str = "query", path: str | None = None) -> ValidationError:
    """Strapi's message for a field, operator or relation the content type does not have; its details
    name the key, where it was, and (for the query) which parameter (``filters``, ``sort``, …)."""
    path = path or key
    details = {"key": key, "path": path, "source": source}
    if source == "query":
        details["param"] = path.split("[", 1)[0]
    return ValidationError(f"Invalid key {key}", details)


def from_django_validation(exc, api_names: dict[str, str] | None = None) -> ValidationError:
    """A Django ``ValidationError`` as Strapi's, each message under its field's API name."""
    api_names = api_names or {}
    errors = []
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for attr, messages in by_field.items():
        for message in messages:
            errors.append({"path": [api_names.get(attr, attr)], "message": message, "name": "ValidationError"})
    summary = "; ".join(f"{e['path'][0]}: {e['message']}" for e in errors[:3])
    return ValidationError(summary or "Invalid data", {"errors": errors})


def _from_drf(exc: drf.APIException) -> ApiError:
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return UnauthorizedError(str(exc.detail) if exc.detail else None)
    if isinstance(exc, drf.PermissionDenied):
        return ForbiddenError()
    if isinstance(exc, drf.NotFound):
        return NotFoundError()
    if isinstance(exc, drf.MethodNotAllowed):
        return MethodNotAllowedError(str(exc.detail))
    if exc.status_code == 413:
        return PayloadTooLargeError(str(exc.detail))
    if isinstance(exc, drf.UnsupportedMediaType | drf.ParseError):
        return ValidationError(str(exc.detail))
    if isinstance(exc, drf.Throttled):
        return RateLimitError(str(exc.detail), retry_after=exc.wait)
    error = ApiError(str(exc.detail))
    error.status = exc.status_code
    return error


# A service error's class → the API error it answers as (the first match along the class's MRO).
SERVICE_ERRORS: dict[type, type[ApiError]] = {
    service.TooLarge: PayloadTooLargeError,
    service.Invalid: ValidationError,
    service.NotAllowed: ForbiddenError,
    service.NotFound: NotFoundError,
    service.Conflict: ConflictError,
    service.RateLimited: RateLimitError,
    service.Unavailable: ServiceUnavailableError,
}


def from_service_error(exc: service.ServiceError, api_names: dict[str, str] | None = None) -> ApiError:
    """A service's error as Strapi's: its status from the class, its fields under their API names."""
    cls = next((SERVICE_ERRORS[c] for c in type(exc).__mro__ if c in SERVICE_ERRORS), ApiError)
    api_names = api_names or {}
    details = {}
    if exc.fields:
        details["errors"] = [
            {"path": [api_names.get(name, name)], "message": message, "name": cls.name}
            for name, message in exc.fields.items()
        ]
    return cls(str(exc), details, retry_after=getattr(exc, "retry_after", None))


def from_protected(exc: ProtectedError | RestrictedError) -> ConflictError:
    """Deleting a row that others still point at: nothing is deleted, and the message says what holds it."""
    blocking = {}
    for row in exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects:
        label = str(row._meta.verbose_name_plural)
        blocking[label] = blocking.get(label, 0) + 1
    held = ", ".join(f"{count} {label}" for label, count in sorted(blocking.items()))
    return ConflictError(f"It cannot be deleted while {held} refer to it.", {"blockedBy": blocking})


def _api_names(context) -> dict[str, str]:
    view = (context or {}).get("view")
    names = getattr(view, "api_names", None)
    return names() if callable(names) else {}


def exception_handler(exc, context) -> Response | None:
    """DRF exception handler that answers every error in Strapi's envelope.

    The one place where errors become answers: services raise ``plugins.core.errors`` (or Django's
    ``ValidationError``), deletes may meet a ``ProtectedError``, views raise ``ApiError``; the view's
    ``api_names()`` (model field → API name) names the fields at fault.
    """
    if isinstance(exc, Http404):
        error = NotFoundError()
    elif isinstance(exc, PermissionDenied):
        error = ForbiddenError()
    elif isinstance(exc, ApiError):
        error = exc
    elif isinstance(exc, service.ServiceError):
        error = from_service_error(exc, _api_names(context))
    elif isinstance(exc, DjangoValidationError):
        error = from_django_validation(exc, _api_names(context))
    elif isinstance(exc, ProtectedError | RestrictedError):
        error = from_protected(exc)
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        error = PayloadTooLargeError(str(exc))
    elif isinstance(exc, db.DataError):
        # A value the database refuses (too long for its column, say) that no check caught first.
        logger.warning("Data refused by the database: %s", exc)
        error = ValidationError("A value in the request cannot be stored as given (too long, or not valid text).")
    elif isinstance(exc, db.OperationalError | db.InterfaceError):
        # The database went away (a restart, a failover): nothing was written; the next request reconnects.
        logger.error("Database unavailable: %s", exc)
        error = ServiceUnavailableError("The database is unavailable for a moment; try again shortly.", retry_after=5)
    elif isinstance(exc, drf.APIException):
        error = _from_drf(exc)
    else:
        return None  # a real bug: api.middleware logs it with the request id and answers Strapi's 500
    response = Response(error.envelope(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if error.retry_after:
        response["Retry-After"] = str(int(error.retry_after))
    return response
