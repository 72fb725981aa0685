"""Only the operators reach /health/ and /metrics: they tell how the site runs, and the health checks
write to the cache and the storage on every call.

A request gets through when it comes from the operations network, or when it carries the operations
token (``Authorization: Bearer <token>``). The address alone cannot tell the operators apart behind a load
balancer or a reverse proxy: every request, the public's included, then reaches the server from the
balancer's private address, inside any allow-list that lets the balancer's health checks in. A
token tells them apart whatever the path, so the monitoring can scrape from outside the network, and the
network can be narrowed to the balancer's own checks (or to nothing). Anyone else, with a wrong token
or none, meets the same 404 as if the endpoints did not exist.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache, wraps

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import Http404


@cache
def _networks(configured: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network) for network in configured)


def from_operations_network(request) -> bool:
    """Whether the request comes from an address in ``OPERATIONS_NETWORKS``."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.OPERATIONS_NETWORKS)))


def carries_operations_token(request) -> bool:
    """Whether the request carries ``Authorization: Bearer <OPERATIONS_TOKEN>`` (never, when no token is set)."""
    expected = settings.OPERATIONS_TOKEN
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def is_operator(request) -> bool:
    return from_operations_network(request) or carries_operations_token(request)


def operations_only(view):
    """Answer 404 to anyone but the operators (see above), as if the endpoint did not exist."""
    if iscoroutinefunction(view):  # django-health-check's view is async

        @wraps(view)
        async def wrapped_async(request, *args, **kwargs):
            if not is_operator(request):
                raise Http404
            return await view(request, *args, **kwargs)

        return wrapped_async

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_operator(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
