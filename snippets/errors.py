"""The admin's one way of showing what a service refused (``plugins.core.errors``)."""

from __future__ import annotations

from django.contrib import messages

from plugins.core.errors import ServiceError

REFUSED = ServiceError
"""What admin views catch around a service call; anything else is a bug and is left to Django."""


def show_refusal(error: ServiceError, *, request=None, form=None, field_names: dict[str, str] | None = None) -> None:
    """Put the refusal on ``form`` (under the field at fault when the form has it), else in ``request``'s messages.

    ``field_names`` maps a service's field name to the form's, where they differ.
    """
    if form is not None:
        field = (field_names or {}).get(error.field, error.field)
        form.add_error(field if field in form.fields else None, str(error))
    else:
        messages.error(request, str(error))
