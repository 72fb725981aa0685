"""Nothing under /api/ answers HTML: unknown routes and methods, and unexpected exceptions, are JSON in
Strapi's envelope; the traceback is logged under the request's id, which the response carries."""

import logging

import pytest
from rest_framework.test import APIClient

from api.views import CollectionView

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


def assert_envelope(response, status: int, name: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None
    assert body["error"]["status"] == status and body["error"]["name"] == name
    return body["error"]


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_exception_in_a_view_is_strapis_json_500_logged_by_request_id(
    api, monkeypatch, settings, caplog, debug
):
    settings.DEBUG = debug  # Django's technical page with DEBUG on, its HTML 500 page with it off: neither
    secret = "a connection string with a password in it"

    def broken(self, request, *args, **kwargs):
        raise RuntimeError(secret)

    monkeypatch.setattr(CollectionView, "get", broken)
    with caplog.at_level(logging.ERROR, logger="api.errors"):
        response = api.get("/api/teams")
    error = assert_envelope(response, 500, "InternalServerError")
    assert error == {"status": 500, "name": "InternalServerError", "message": "Internal Server Error"}
    assert secret not in response.content.decode()
    request_id = response["X-Request-ID"]
    logged = [record for record in caplog.records if request_id in record.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError and secret in str(logged[0].exc_info[1])


def test_an_exception_in_a_middleware_is_json_too(api, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    def broken(self, request):
        raise RuntimeError("the session store is gone")

    monkeypatch.setattr(SessionMiddleware, "process_request", broken)
    assert_envelope(api.get("/api/teams"), 500, "InternalServerError")


@pytest.mark.parametrize("path", ["/api/no/such/route/at/all", "/api/teams/x/y/z", "/api/%00"])
def test_unknown_api_routes_are_json_404s(api, path):
    assert_envelope(api.get(path), 404, "NotFoundError")


def test_a_method_a_non_api_view_refuses_is_a_json_405(api):
    response = api.delete("/api/openapi.json")
    assert_envelope(response, 405, "MethodNotAllowedError")


def test_outside_the_api_django_pages_stay(api):
    response = api.get("/admin/no-such-page/")
    assert response.status_code in {302, 404}
    assert not response.get("Content-Type", "").startswith("application/json")


def test_a_load_balancers_request_id_is_kept_and_a_clients_or_a_forged_one_replaced(api):
    from_balancer = api.get("/api/teams", HTTP_X_REQUEST_ID="lb-0123456789abcdef", REMOTE_ADDR="10.0.0.2")
    assert from_balancer["X-Request-ID"] == "lb-0123456789abcdef"
    from_a_client = api.get("/api/teams", HTTP_X_REQUEST_ID="lb-0123456789abcdef", REMOTE_ADDR="203.0.113.7")
    assert from_a_client["X-Request-ID"] != "lb-0123456789abcdef" and len(from_a_client["X-Request-ID"]) == 32
    replaced = api.get("/api/teams", HTTP_X_REQUEST_ID="x\nFAKE log line", REMOTE_ADDR="10.0.0.2")["X-Request-ID"]
    assert replaced != "x\nFAKE log line" and len(replaced) == 32


def test_a_json_404_keeps_the_cors_headers_a_browser_needs_to_read_it(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://posthog.com"]
    response = api.get("/api/no/such/route", HTTP_ORIGIN="https://posthog.com")
    assert_envelope(response, 404, "NotFoundError")
    assert response["Access-Control-Allow-Origin"] == "https://posthog.com"


def test_error_reporters_hear_of_an_api_500(api, monkeypatch):
    from django.core.signals import got_request_exception

    heard = []

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    def reporter(sender, request, **kwargs):
        heard.append(request.path)

    monkeypatch.setattr(CollectionView, "get", broken)
    got_request_exception.connect(reporter)
    try:
        assert_envelope(api.get("/api/teams"), 500, "InternalServerError")
    finally:
        got_request_exception.disconnect(reporter)
    assert heard == ["/api/teams"]
