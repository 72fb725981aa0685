"""Strapi-style document ids: stable, opaque, URL-safe strings beside the integer id."""

import secrets
import string

ALPHABET = string.ascii_lowercase + string.digits
LENGTH = 24


def new_document_id() -> str:
    """Return a fresh 24-character id: a lowercase letter, then lowercase letters and digits.

    Strapi v5 uses 24-character lowercase alphanumeric ids; keeping the same shape means a client
    validating ids the Strapi way accepts ours. 23 random characters from 36 give ~119 bits.
    """
    return secrets.choice(string.ascii_lowercase) + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH - 1))
