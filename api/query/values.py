"""Turning query-string values into typed Python values, with a clear error when they are malformed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from api.errors import ValidationError

# What a 64-bit integer column holds; a larger number is a bad value, not a database error.
INT_RANGE = (-(2**63), 2**63 - 1)
TRUE = {"true", "1", "t"}
FALSE = {"false", "0", "f"}


def parse_bool(value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationError(f"Invalid value for {what}: expected true or false, got {value!r}")


def parse_int(value, what: str, minimum: int | None = None) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"Invalid value for {what}: expected an integer, got {value!r}") from None
    if not INT_RANGE[0] <= number <= INT_RANGE[1]:
        raise ValidationError(f"Invalid value for {what}: {number} is out of range")
    if minimum is not None and number < minimum:
        raise ValidationError(f"Invalid value for {what}: must be at least {minimum}, got {number}")
    return number


def _parse_datetime(text: str) -> datetime | None:
    parsed = parse_datetime(text.replace("Z", "+00:00")) if "T" in text or " " in text else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def check_text(value: str, what: str) -> str:
    """Text the database can store: no NUL characters (PostgreSQL refuses them)."""
    if "\x00" in value:
        raise ValidationError(f"Invalid value for {what}: it contains a NUL character")
    return value


def coerce(value, type_: str, what: str):
    """Parse one filter value for an attribute of Strapi type ``type_``."""
    if not isinstance(value, str):
        raise ValidationError(f"Invalid value for {what}: expected a single value")
    check_text(value, what)
    try:
        if type_ in ("integer", "biginteger"):
            number = int(value)
            if not INT_RANGE[0] <= number <= INT_RANGE[1]:
                raise ValidationError(f"Invalid value for {what}: {value} is out of range")
            return number
        if type_ in ("decimal", "float"):
            return Decimal(value)
        if type_ == "boolean":
            return parse_bool(value, what)
        if type_ == "date":
            # A client may send a full timestamp (JavaScript's `new Date()`): compare its date.
            as_date = parse_date(value) if len(value) == 10 else None
            if as_date is None:
                moment = _parse_datetime(value)
                if moment is None:
                    raise ValueError
                as_date = moment.date()
            return as_date
        if type_ == "datetime":
            moment = _parse_datetime(value)
            if moment is None:
                as_date = parse_date(value)
                if as_date is None:
                    raise ValueError
                moment = timezone.make_aware(datetime.combine(as_date, datetime.min.time()), UTC)
            return moment
    except (ValueError, InvalidOperation):
        raise ValidationError(f"Invalid value for {what}: {value!r} is not a valid {type_}") from None
    return value


@lru_cache(maxsize=8192)
def format_datetime(value: datetime | None) -> str | None:
    """Strapi's timestamp format: UTC, milliseconds, ``Z``."""
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def format_date(value: date | None) -> str | None:
    return value.isoformat() if value else None
