"""HTTP caching for public reads: ETag, 304 on If-None-Match, Cache-Control."""

import pytest

from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def test_public_reads_have_an_etag_and_answer_304(client, community, settings):
    settings.API_CACHE_MAX_AGE = 120
    first = client.get("/api/teams")
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "public, max-age=120"
    again = client.get("/api/teams", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag


def test_the_etag_changes_with_the_content(client, community):
    etag = client.get("/api/teams")["ETag"]
    team = community["growth"]
    team.tagline = "Changed"
    team.save()
    response = client.get("/api/teams", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_authenticated_reads_are_private(client, community):
    response = client.get("/api/profiles", **bearer(factories.editor()))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]


def test_errors_and_writes_carry_no_etag(client, community):
    assert not client.get("/api/profiles?sort=nope").has_header("ETag")
