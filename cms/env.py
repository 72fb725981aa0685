"""Reading typed settings from the environment (12-factor).

Kept apart from settings.py so that tests can build the same configuration from an
explicit mapping (for example the S3 storage settings) instead of the process environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """Return the variable as a string, or ``default`` when it is unset."""
    environ = os.environ if environ is None else environ
    return environ.get(name, default)


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """Return the variable as a boolean; an unrecognised word is a configuration error."""
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}, got {environ[name]!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    """Return the variable as an integer; a malformed number is a configuration error."""
    environ = os.environ if environ is None else environ
    if not environ.get(name):
        return default
    try:
        return int(environ[name])
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {environ[name]!r}") from exc


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Return a comma-separated variable as a list of stripped, non-empty items."""
    environ = os.environ if environ is None else environ
    if name not in environ:
        return list(default)
    return [item.strip() for item in environ[name].split(",") if item.strip()]


def env_pairs(name: str, defaults: dict[str, str | None], environ: Mapping[str, str] | None = None) -> dict:
    """``defaults`` with a comma-separated variable's ``key=value`` pairs over them (an empty value: None)."""
    pairs = dict(defaults)
    for item in env_list(name, [], environ=environ):
        key, _, value = item.partition("=")
        pairs[key.strip()] = value.strip() or None
    return pairs
