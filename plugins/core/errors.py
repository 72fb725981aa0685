"""The errors every plugin's services raise, so that each caller answers them in one place.

The API maps them to Strapi's error envelope in its one exception handler (``api.errors``); the
admin shows them as a message (``snippets.messages``). A service raises the class that says what
went wrong; its own subclasses (``StoreError``, ``ForumError`` …) only add a name to search for.

======================  ================================================================  ===========
class                   meaning                                                           API status
======================  ================================================================  ===========
``Invalid``             the input is wrong; ``fields`` names each bad field               400
``TooLarge``            the input is too big (an upload)                                  413
``NotAllowed``          this actor may not do this                                        403
``NotFound``            what the request names does not exist (for this actor)            404
``Conflict``            the rules refuse it in the current state; the message says why    409
``RateLimited``         too many attempts; ``retry_after`` seconds until the next         429
``Unavailable``         a service we depend on failed; nothing was written, try again     503
``CacheUnavailable``    the shared cache is away; its callers degrade rather than fail    503
======================  ================================================================  ===========
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of the hierarchy; ``str(error)`` is a message safe to show to the caller."""

    def __init__(self, message: str, *, field: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        # Field name (as the service knows it) → what is wrong with it.
        self.fields = dict(fields or {})
        if field is not None:
            self.fields.setdefault(field, message)

    @property
    def field(self) -> str | None:
        """The first field at fault, if any."""
        return next(iter(self.fields), None)


class Invalid(ServiceError):
    """The input is wrong."""

    @classmethod
    def of_fields(cls, fields: dict[str, str]) -> Invalid:
        """One error for several bad fields, its message naming the first few."""
        summary = "; ".join(f"{name}: {message}" for name, message in list(fields.items())[:3])
        return cls(summary or "Invalid data", fields=fields)


class TooLarge(Invalid):
    """The input is larger than allowed."""


class NotAllowed(ServiceError):
    """This actor may not do this."""


class NotFound(ServiceError):
    """What was named does not exist, or is not there for this actor."""


class Conflict(ServiceError):
    """The rules refuse this action in the current state."""


class RateLimited(ServiceError):
    """Too many attempts of this kind; the next is allowed after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Unavailable(ServiceError):
    """Something this service depends on failed; nothing was written; ``retry_after`` seconds, when known."""

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class CacheUnavailable(Unavailable):
    """The shared cache (Redis) does not answer; its callers degrade (``plugins.core.redis_cache``)."""
