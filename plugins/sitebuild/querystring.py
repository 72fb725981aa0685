"""Nested query parameters in the bracket syntax of the ``qs`` package, as Strapi clients send them."""

from __future__ import annotations

from urllib.parse import quote


def encode(params: dict) -> str:
    """``{"populate": {"avatar": True}, "sort": ["id"]}`` → ``populate[avatar]=true&sort[0]=id``."""
    pairs: list[tuple[str, str]] = []
    _flatten("", params, pairs)
    return "&".join(f"{quote(key, safe='[]$')}={quote(value, safe='')}" for key, value in pairs)


def _flatten(prefix: str, value, pairs: list) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}[{key}]" if prefix else str(key), item, pairs)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _flatten(f"{prefix}[{index}]", item, pairs)
    elif isinstance(value, bool):
        pairs.append((prefix, "true" if value else "false"))
    else:
        pairs.append((prefix, str(value)))
