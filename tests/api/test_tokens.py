"""API tokens: read-only, full-access, custom; hashed, expiring, last-used."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiToken
from api.tokens import TokenError, create_token

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def write(client, key, community):
    return client.put(
        f"/api/teams/{community['growth'].document_id}",
        data=json.dumps({"data": {"tagline": "t"}}),
        content_type="application/json",
        **bearer(key),
    )


def test_read_only_token_reads_and_cannot_write(client, community):
    _, key = create_token("site build")
    assert client.get("/api/teams", **bearer(key)).status_code == 200
    assert write(client, key, community).status_code == 403


def test_full_access_token_writes_and_sees_private_fields(client, community):
    _, key = create_token("ops", kind="full-access")
    assert write(client, key, community).status_code == 200
    row = client.get(f"/api/profiles/{community['ada'].document_id}", **bearer(key)).json()["data"]
    assert row["email"] == "ada@private.example"


def test_custom_token_has_exactly_its_actions(client, community):
    _, key = create_token("teams only", kind="custom", permissions=["teams.find", "teams.update"])
    assert client.get("/api/teams", **bearer(key)).status_code == 200
    assert write(client, key, community).status_code == 200
    assert client.get("/api/profiles", **bearer(key)).status_code == 403
    assert client.get(f"/api/teams/{community['growth'].document_id}", **bearer(key)).status_code == 403


def test_token_is_stored_hashed_and_records_last_use(client, community):
    token, key = create_token("site build")
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.prefix == key[:8]
    assert token.last_used_at is None
    client.get("/api/teams", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_and_unknown_tokens_are_401(client, community):
    _, key = create_token("old", expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/teams", **bearer(key))
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]
    assert client.get("/api/teams", **bearer("f" * 128)).status_code == 401


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "custom"}, "at least one permission"),
        ({"kind": "custom", "permissions": ["unicorns.find"]}, "Unknown permissions"),
        ({"kind": "read-only", "permissions": ["teams.find"]}, "Only custom tokens"),
        ({"kind": "root"}, "Unknown kind"),
    ],
)
def test_bad_token_requests(kwargs, message):
    with pytest.raises(TokenError, match=message):
        create_token("x", **kwargs)


def test_the_command_prints_the_token_once(client, community):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        "cli",
        "--kind",
        "custom",
        "--permission",
        "teams.find",
        "--days",
        "30",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    assert "not shown again" in err.getvalue()
    assert client.get("/api/teams", **bearer(key)).status_code == 200
    token = ApiToken.objects.get(name="cli")
    assert token.expires_at > timezone.now() + timedelta(days=29)
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_api_token", "cli", stdout=StringIO(), stderr=StringIO())
