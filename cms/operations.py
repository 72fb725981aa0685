"""Only the operators' network reaches /health/ and /metrics: they tell how the site runs, and the
health checks write to the cache and the storage on every call."""

from __future__ import annotations

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


def operations_only(view):
    """Answer 404 to anyone outside the operations network, as if the endpoint did not exist."""
    if iscoroutinefunction(view):  # django-health-check's view is async

        @wraps(view)
        async def wrapped_async(request, *args, **kwargs):
            if not from_operations_network(request):
                raise Http404
            return await view(request, *args, **kwargs)

        return wrapped_async

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not from_operations_network(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
