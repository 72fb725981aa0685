"""The admin's one way of showing what a service refused (``plugins.core.errors``, or Django's ``ValidationError``
that some services raise for a bad field, as the API's exception handler also takes it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from plugins.core.errors import ServiceError

REFUSED = (ServiceError, ValidationError)
"""What admin views catch around a service call; anything else is a bug and is left to Django."""


def show_refusal(
    error: ServiceError | ValidationError, *, request=None, form=None, field_names: dict[str, str] | None = None
) -> None:
    """Put the refusal on ``form`` (under the field at fault when the form has it), else in ``request``'s messages.

    ``field_names`` maps a service's field name to the form's, where they differ.
    """
    if isinstance(error, ValidationError):
        problems = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    else:
        problems = [(error.field, [str(error)])]
    for field, found in problems:
        field = (field_names or {}).get(field, field)
        for message in found:
            if form is not None:
                form.add_error(field if field in form.fields else None, message)
            else:
                messages.error(request, message)
