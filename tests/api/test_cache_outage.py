"""The shared cache away (Redis refusing connections): requests are answered, each rate limit fails as it is
set to (in the process, closed with a JSON 503, or open), and shared values are read from the database."""

import json
import socket

import pytest
from django.test import override_settings

from cms.cache_config import SHARED_CACHE
from plugins.core.shared_cache import PROCESS_COUNTS
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 1843"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_away():
    """The project's Redis cache backend on a port nothing listens on: every operation is refused."""
    away = {
        "BACKEND": "plugins.core.redis_cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    # As cms.cache_config makes them of one Redis URL.
    caches = {"default": away, SHARED_CACHE: {**away, "OPTIONS": {**away["OPTIONS"], "strict": True}}}
    PROCESS_COUNTS.clear()
    with override_settings(CACHES=caches):
        yield
    PROCESS_COUNTS.clear()


def sign_in(client, identifier, password):
    body = json.dumps({"identifier": identifier, "password": password})
    return client.post("/api/auth/local", body, content_type="application/json")


def test_reads_need_no_cache_the_permission_matrix_comes_from_the_database(client, redis_away):
    team = factories.TeamFactory(live=True)
    response = client.get(f"/api/teams/{team.document_id}")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["documentId"] == team.document_id


def test_sign_in_works_and_failures_are_counted_in_the_process(client, redis_away, settings):
    settings.API_RATE_LIMITS = {"login-address": "100/minute", "login-account": "3/hour"}
    user = factories.UserFactory(username="ada")
    user.set_password(PASSWORD)
    user.save()
    assert sign_in(client, "ada", PASSWORD).status_code == 200
    assert [sign_in(client, "ada", "wrong").status_code for _ in range(3)] == [400, 400, 400]
    refused = sign_in(client, "ada", PASSWORD)  # the account's limit holds, counted in this process
    assert refused.status_code == 429 and refused.json()["error"]["name"] == "RateLimitError"


def test_the_address_limit_on_sign_in_holds_in_the_process(client, redis_away, settings):
    settings.API_RATE_LIMITS = {"login-address": "2/minute"}
    assert [sign_in(client, "nobody", "wrong").status_code for _ in range(3)] == [400, 400, 429]


def test_registering_is_closed_with_a_json_503_while_the_cache_is_away(client, redis_away):
    body = json.dumps({"username": "newcomer", "email": "new@example.com", "password": PASSWORD})
    response = client.post("/api/auth/local/register", body, content_type="application/json")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json()["error"]["name"] == "ServiceUnavailableError"
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_voting_is_open_while_the_cache_is_away(client, redis_away, settings):
    settings.API_RATE_LIMITS = {"vote": "1/hour"}
    voter = factories.ProfileFactory(user=factories.UserFactory())
    replies = [factories.ReplyFactory() for _ in range(3)]
    codes = [
        client.post(
            f"/api/replies/{reply.document_id}/vote",
            json.dumps({"data": {"value": 1}}),
            content_type="application/json",
            **bearer(voter.user),
        ).status_code
        for reply in replies
    ]
    assert codes == [200, 200, 200]


def test_a_limit_set_closed_by_the_operator_answers_503(client, redis_away, settings):
    settings.API_RATE_LIMITS_WITHOUT_CACHE = {**settings.API_RATE_LIMITS_WITHOUT_CACHE, "login": "closed"}
    response = sign_in(client, "nobody", "wrong")
    assert response.status_code == 503 and response.json()["error"]["name"] == "ServiceUnavailableError"


def test_the_admin_works_while_the_cache_is_away(client, redis_away, editor_user):
    client.force_login(editor_user)
    for path in ("/admin/", "/admin/snippets/teams/team/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def test_an_upload_works_while_the_cache_is_away(client, redis_away):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile("avatar.png", factories.png_bytes(), content_type="image/png")
    response = client.post("/api/upload", {"files": [png]}, **bearer(factories.UserFactory()))
    assert response.status_code == 201, response.content
