"""Parsing query strings in the bracket syntax of the ``qs`` package, as Strapi clients send them.

``filters[teams][slug][$eq]=x&populate[0]=avatar`` becomes
``{"filters": {"teams": {"slug": {"$eq": "x"}}}, "populate": ["avatar"]}``. Written here because no
maintained Python package parses qs's exact dialect (indexed arrays, ``[]``, depth limit).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from api.errors import ValidationError

MAX_DEPTH = 20
MAX_PARAMETERS = 1000
# qs turns indices up to this into arrays and larger ones into object keys.
ARRAY_LIMIT = 100

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def is_index(segment: str) -> bool:
    """An array index as qs reads one: ASCII digits only (``²`` and ``٣`` are digits to Python, not to qs)."""
    return segment.isascii() and segment.isdigit()


def index_order(key: str):
    """Sort key for an object read as a list: indices in numeric order, then other keys."""
    return (0, int(key), "") if is_index(key) else (1, 0, key)


def split_key(key: str) -> list[str]:
    """``a[b][0][]`` → ``["a", "b", "0", ""]``. Text after the last bracket is kept as a segment."""
    first = key.find("[")
    if first <= 0:
        return [key]
    segments = [key[:first]]
    pos = first
    for match in _SEGMENT.finditer(key, first):
        if match.start() != pos:
            break
        segments.append(match.group(1))
        pos = match.end()
    if pos != len(key):
        segments.append(key[pos:])
    if len(segments) - 1 > MAX_DEPTH:
        raise ValidationError(f"Query parameter {key[:80]} is nested deeper than {MAX_DEPTH} levels")
    return segments


class _List(dict):
    """A dict of index → value, made into a list once the whole query is read."""


def _assign(container: dict, segments: list[str], value: str, key: str) -> None:
    node = container
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "" and isinstance(node, _List):
            segment = str(len(node))
        if last:
            existing = node.get(segment)
            if existing is None:
                node[segment] = value
            elif isinstance(existing, list):
                existing.append(value)
            elif isinstance(existing, str):
                node[segment] = [existing, value]
            else:
                raise ValidationError(f"Query parameter {key} mixes a value and nested keys")
            return
        following = segments[i + 1]
        child = node.get(segment)
        if child is None:
            indexed = following == "" or (is_index(following) and int(following) <= ARRAY_LIMIT)
            child = _List() if indexed else {}
            node[segment] = child
        elif isinstance(child, str | list):
            raise ValidationError(f"Query parameter {key} mixes a value and nested keys")
        elif isinstance(child, _List) and not (following == "" or is_index(following)):
            # qs turns an array into an object when a non-index key joins it.
            plain = dict(child)
            node[segment] = plain
            child = plain
        node = child


def _finish(value):
    if isinstance(value, _List):
        return [_finish(value[k]) for k in sorted(value, key=int)]
    if isinstance(value, dict):
        return {k: _finish(v) for k, v in value.items()}
    return value


def parse(query_string: str) -> dict:
    """Parse a raw query string (without ``?``) into nested dicts and lists of strings."""
    try:
        pairs = parse_qsl(query_string, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)
    except ValueError as exc:
        raise ValidationError(f"Too many query parameters (at most {MAX_PARAMETERS})") from exc
    tree: dict = {}
    for key, value in pairs:
        if not key:
            continue
        _assign(tree, split_key(key), value, key)
    return _finish(tree)
