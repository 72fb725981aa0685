"""Request bodies of the hand-written action views, each declared once as a DRF serializer.

A view names its body (``body = GiftBody``); ``parse_body`` reads the request with it and the OpenAPI
document shows the same serializer as the operation's request, so what is documented is what is
checked. A body checks shape — which keys, of which JSON type, which are required — and the services
keep deciding what the values may be (a gift's maximum, a country code, a reply of this question).

JSON types are strict, as a typed client sends them: a number is not text and ``"5"`` is not a number
(DRF's own fields coerce both ways, which would let a body through that the document says is wrong).
"""

from __future__ import annotations

from functools import cache

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.errors import ValidationError
from api.registry import camel_case


class Body(serializers.Serializer):
    """A JSON object body; in Strapi's envelope, ``{data: {…}}``, unless ``envelope`` is False (posthog.com's
    own routes take their fields flat)."""

    envelope = True
    media_type = "application/json"
    # The message for a key the body does not take (Strapi's users-permissions says "parameters"); None: ignored.
    unknown_key: str | None = "Invalid key {key}"


def only_keys(data: dict, allowed, message: str = "Invalid key {key}") -> None:
    """Refuse a body with keys the endpoint does not take, naming the first."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(message.format(key=unknown[0], keys=", ".join(unknown)))


def request_data(request) -> dict:
    """The ``data`` object of a Strapi-style body, or a 400 saying it is missing."""
    body = request.data
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise ValidationError('Missing "data" payload in the request body')
    return body["data"]


def flat_data(request, expected: str) -> dict:
    """A flat JSON object body, or a 400 that says which object was expected."""
    if not isinstance(request.data, dict):
        raise ValidationError(f"Expected a JSON object: {expected}")
    return request.data


def parse_body(request, body: type[Body], data: dict | None = None) -> dict:
    """The request's body read with ``body``: its validated fields, under their Python names (a field's
    ``source``). Unknown keys, missing required fields and wrong JSON types are a 400 in Strapi's envelope
    whose details name each field at fault."""
    if data is None:
        data = request_data(request) if body.envelope else flat_data(request, _shape(body))
    serializer = body(data=data)
    if body.unknown_key:
        only_keys(data, serializer.fields, body.unknown_key)
    if serializer.is_valid():
        return serializer.validated_data
    raise body_error(serializer, "data." if body.envelope else "")


def body_error(serializer: serializers.Serializer, prefix: str) -> ValidationError:
    """A serializer's errors as Strapi's ``ValidationError``: one entry per field, the message naming it."""
    errors = [
        {"path": path, "message": message, "name": "ValidationError"}
        for path, message in _flatten(serializer.errors, [])
    ]
    summary = "; ".join(
        f"{prefix}{'.'.join(map(str, error['path']))}: {error['message']}" if error["path"] else error["message"]
        for error in errors
    )
    return ValidationError(summary, {"errors": errors})


def _flatten(errors, path: list):
    """(path, message) for each of DRF's errors, which nest by field name and, in a list, by index."""
    if isinstance(errors, dict):
        for key, inner in errors.items():
            yield from _flatten(inner, path if key == "non_field_errors" else [*path, key])
    elif isinstance(errors, list):
        for inner in errors:
            yield from _flatten(inner, path)
    else:
        yield path, str(errors)


def _shape(body: type[Body]) -> str:
    return "{" + ", ".join(body().fields) + "}"


@cache
def request_schema(body: type[Body]) -> type[serializers.Serializer]:
    """What the OpenAPI document shows as the request: the body, in Strapi's envelope when it has one."""
    if not body.envelope:
        return body
    name = body.__name__.removesuffix("Body") + "Request"
    return type(name, (serializers.Serializer,), {"data": body(), "__module__": body.__module__})


class Text(serializers.CharField):
    """A JSON string (not a number made into one)."""

    default_error_messages = {"invalid": "Expected text."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class WholeNumber(serializers.IntegerField):
    """A JSON integer (not a string of digits, not a boolean)."""

    default_error_messages = {"invalid": "Expected a whole number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class Choice(serializers.ChoiceField):
    """One of the choices, as given (``1`` is not ``"1"``)."""

    default_error_messages = {"invalid_choice": "Expected one of {choices}; not {input}."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str) or data not in self.choices:
            self.fail("invalid_choice", input=repr(data)[:60], choices=", ".join(map(str, self.choices)))
        return data


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class Reference(serializers.Field):
    """A row named by its integer ``id`` or its ``documentId``."""

    default_error_messages = {"invalid": "Expected an id (a whole number) or a documentId (text)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str) or data == "":
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class ModelBody(Body, serializers.ModelSerializer):
    """A body whose fields are a model's (``Meta.model``, ``Meta.fields``): their types, lengths, whether each
    is required and the model's validators come from the model, their names in the API's camelCase."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: Text,
        models.TextField: Text,
    }

    def get_fields(self):
        fields = {}
        for name, field in super().get_fields().items():
            api_name = camel_case(name)
            if api_name != name and field.source is None:
                field.source = name
            fields[api_name] = field
        return fields

    @classmethod
    def api_names(cls) -> dict[str, str]:
        """API name → the model field's name."""
        return {name: field.source or name for name, field in cls().fields.items()}
