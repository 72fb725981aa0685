"""The API's admin: tokens created and shown once; the permission matrix edited as a grid."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from api.models import ApiToken, RolePermission, hash_token

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_token_and_sees_it_once(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("api_tokens:add"),
        {"name": "site build", "description": "", "kind": "read-only", "expires_at": ""},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    token = ApiToken.objects.get(name="site build")
    message = [str(m) for m in get_messages(response.wsgi_request)][0]
    key = re.search(r"not be shown again: ([0-9a-f]{128})", message).group(1)
    assert token.key_hash == hash_token(key) and token.created_by == superuser
    assert client.get("/api/teams", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    first_view = client.get(reverse("api_tokens:index"))
    assert key.encode() in first_view.content  # the one time it is shown
    second_view = client.get(reverse("api_tokens:index"))
    assert b"site build" in second_view.content and key.encode() not in second_view.content


def test_a_custom_token_without_permissions_is_refused_with_a_message(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("api_tokens:add"), {"name": "x", "kind": "custom", "expires_at": ""})
    assert response.status_code == 200
    assert b"A custom token needs at least one permission" in response.content
    assert not ApiToken.objects.exists()


def test_editors_cannot_manage_tokens_or_the_matrix(client, editor_user):
    client.force_login(editor_user)
    assert client.get(reverse("api_tokens:index")).status_code in (302, 403)
    assert client.get(reverse("community_api_permissions")).status_code in (302, 403)


def test_the_matrix_page_shows_and_saves_the_grid(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("community_api_permissions"))
    assert page.status_code == 200
    assert b'name="perm:public:profiles:find" aria-label="public find profiles" checked' in page.content
    enabled = [f"perm:{p.role}:{p.content_type}:{p.action}" for p in RolePermission.objects.filter(enabled=True)]
    enabled.remove("perm:public:profiles:find")
    response = client.post(reverse("community_api_permissions"), {name: "on" for name in enabled})
    assert response.status_code == 302
    assert not RolePermission.objects.get(role="public", content_type="profiles", action="find").enabled
    assert RolePermission.objects.get(role="public", content_type="teams", action="find").enabled
    client.logout()
    assert client.get("/api/profiles").status_code == 403
