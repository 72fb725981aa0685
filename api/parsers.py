"""The edge: request bodies, query strings and path parameters are checked before any view reads them.

Whatever a client sends, what reaches a view is well-formed: JSON of bounded depth whose strings
(keys too) are text a database can store — no NUL character, no lone surrogate — and query
parameters and path parameters of the same kind. Anything else is a 400 (a body too large, a 413)
in Strapi's envelope, so that a malformed value can never surface as a database error.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser

MAX_JSON_DEPTH = 32


class UnsafeText(ValueError):
    """A string no column can hold: it names where it is and why."""


def check_text(value: str, where: str) -> str:
    """``value`` itself, if a database can store it; else ``UnsafeText``."""
    if "\x00" in value:
        raise UnsafeText(f"{where} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeText(f"{where} contains an unpaired surrogate (not valid Unicode text)") from None
    return value


def check_json(value, where: str = "body", depth: int = 0):
    """Walk a parsed JSON value: bounded depth, and every string and key safe text."""
    if depth > MAX_JSON_DEPTH:
        raise UnsafeText(f"{where} is nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        check_text(value, where)
    elif isinstance(value, dict):
        for key, inner in value.items():
            check_text(key, where)
            check_json(inner, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            check_json(inner, f"{where}[{index}]", depth + 1)
    return value


class StrictJSONParser(BaseParser):
    """JSON bodies by orjson (which refuses lone surrogates and limits nesting), then ``check_json``."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge()  # refused before it is read
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge()
        try:
            data = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError as error:
            raise ParseError(f"The request body is not valid JSON: {error}") from None
        try:
            return check_json(data)
        except UnsafeText as error:
            raise ParseError(str(error)) from None


def check_form(data, where: str = "body") -> None:
    """The fields of a form-encoded or multipart body (a QueryDict) are safe text, names and values."""
    for key, values in data.lists():
        check_text(key, where)
        for value in values:
            if isinstance(value, str):
                check_text(value, f"{where}.{key}")


class CheckedFormParser(FormParser):
    """Form-encoded bodies, checked like JSON ones."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            check_form(data)
        except UnsafeText as error:
            raise ParseError(str(error)) from None
        return data


class CheckedMultiPartParser(MultiPartParser):
    """Multipart bodies (uploads): their fields and file names checked like JSON strings."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        try:
            check_form(parsed.data)
            for upload in parsed.files.values():
                check_text(upload.name or "", "a file name")
        except UnsafeText as error:
            raise ParseError(str(error)) from None
        return parsed


class BodyTooLarge(ParseError):
    status_code = 413
    default_detail = "The request body is too large."
