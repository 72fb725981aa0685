"""Discount codes for merch and account credits, from a pluggable provider.

A provider is any class named by the ``REWARDS_CODE_PROVIDER`` setting with two methods:

``issue(redemption) -> str``
    Make a new, unused code worth ``redemption.discount_amount`` for ``redemption.title`` and
    return it. Called inside the redemption's database transaction, after the points and the
    stock are taken: raising ``CodeProviderError`` refuses the redemption and nothing is written.
    A shop adapter (Shopify's price rules / discount codes API, say) creates the code there and
    returns its text; it should be quick, as the member's account stays locked meanwhile.

``void(redemption) -> None``
    The redemption was cancelled: make ``redemption.code`` unusable in the shop. Called inside
    the cancellation's transaction; raising ``CodeProviderError`` refuses the cancellation.

Codes must be unique: the database refuses a repeated one, and ``issue`` is then asked again
(up to ``ISSUE_ATTEMPTS`` times) before the redemption fails.
"""

from __future__ import annotations

import secrets
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.utils.module_loading import import_string

from plugins.core.errors import Unavailable

# No 0/O, 1/I/L, or U (which reads as V): a code read aloud or copied by hand comes out right.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
GROUPS, GROUP_LENGTH = 3, 4
ISSUE_ATTEMPTS = 5


class CodeProviderError(Unavailable):
    """The provider could not issue or void a code; the message is shown to the caller."""


def random_code(groups: int = GROUPS, group_length: int = GROUP_LENGTH) -> str:
    """A code such as ``K7QX-M2ZP-9HTW``: ``groups * group_length`` characters from ``ALPHABET``, by ``secrets``."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(group_length)) for _ in range(groups))


class LocalCodeProvider:
    """Codes made here (about 2^59 of them); the shop is told of them out of band, or accepts any listed code."""

    def issue(self, redemption) -> str:
        return random_code()

    def void(self, redemption) -> None:
        # Nothing to tell: the redemption's status says the code is void.
        return None


@cache
def _provider_class(path: str):
    return import_string(path)


def provider():
    """The configured provider (a fresh instance; the class is imported once)."""
    return _provider_class(settings.REWARDS_CODE_PROVIDER)()


def store_url(code: str) -> str:
    """The "use in store" link with the code applied, or "" when no store URL template is set."""
    template = settings.REWARDS_STORE_URL_TEMPLATE
    return template.replace("{code}", quote(code, safe="")) if template else ""
