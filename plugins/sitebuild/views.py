"""The built-in webhook receiver: a signed Strapi webhook that changes the public site schedules a build."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from plugins.notifications.cms_webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from plugins.sitebuild.triggers import calls_for_build, request_build


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


@csrf_exempt
@require_POST
def site_build_webhook(request):
    secret = settings.SITE_BUILD_WEBHOOK_SECRET
    if not secret:
        return _error(503, "The site build receiver is off: set SITE_BUILD_WEBHOOK_SECRET to turn it on.")
    body = request.body
    if not verify(secret, request.headers.get(TIMESTAMP_HEADER), request.headers.get(SIGNATURE_HEADER), body):
        return _error(401, f"Missing, wrong or expired {SIGNATURE_HEADER} / {TIMESTAMP_HEADER}.")
    try:
        payload = json.loads(body)
    except ValueError:
        return _error(400, "The body is not JSON.")
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        return _error(400, "Expected a Strapi webhook payload with an event.")
    if not calls_for_build(payload):
        return JsonResponse({"build": None, "reason": "A draft changed; the public site did not."})
    build = request_build(payload)
    return JsonResponse(
        {"build": {"id": build.pk, "status": build.status, "requests": build.requests,
                   "runAfter": build.run_after.isoformat()}},
        status=202,
    )  # fmt: skip
