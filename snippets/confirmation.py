"""Admin actions that ask first: a GET shows what will happen, a POST does it and goes back."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from snippets.errors import REFUSED, show_refusal


def confirm_then(
    request,
    *,
    template: str,
    context: dict,
    action: Callable[[], str],
    back_to: str,
):
    """Show ``template`` on GET; on POST run ``action`` (which returns the success message) and redirect.

    A service's refusal is shown as an error message; nothing else is caught.
    """
    if request.method != "POST":
        return TemplateResponse(request, template, context)
    try:
        done = action()
    except REFUSED as refusal:
        show_refusal(refusal, request=request)
    else:
        messages.success(request, done)
    return redirect(back_to)
