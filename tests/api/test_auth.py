"""Strapi's users-permissions endpoints."""

import json
import re

import pytest
from django.core import mail

from plugins.profiles.models import Profile
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post(client, path, body, **headers):
    return client.post(f"/api/{path}", data=json.dumps(body), content_type="application/json", **headers)


def auth(jwt):
    return {"HTTP_AUTHORIZATION": f"Bearer {jwt}"}


def test_register_signs_in_and_creates_a_profile(client):
    response = post(
        client,
        "auth/local/register",
        {"username": "ada", "email": "Ada@Example.com", "password": "an analytical engine 1843"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["jwt"].count(".") == 2
    assert body["user"]["username"] == "ada" and body["user"]["email"] == "ada@example.com"
    assert "password" not in json.dumps(body)
    profile = Profile.objects.get(user__username="ada")
    assert body["user"]["profile"]["documentId"] == profile.document_id
    me = client.get("/api/users/me", **auth(body["jwt"]))
    assert me.status_code == 200 and me.json()["username"] == "ada"


def test_register_claims_a_profile_made_for_the_email(client):
    made = factories.ProfileFactory(email="grace@example.com", first_name="Grace")
    post(
        client,
        "auth/local/register",
        {"username": "grace", "email": "grace@example.com", "password": "a compiler named A-0"},
    )
    made.refresh_from_db()
    assert made.user.username == "grace"
    assert Profile.objects.count() == 1


def test_passwords_are_hashed_with_argon2(client):
    post(
        client,
        "auth/local/register",
        {"username": "ada", "email": "ada@example.com", "password": "an analytical engine 1843"},
    )
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="ada").password.startswith("argon2")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"username": "x", "email": "x@example.com", "password": "123"}, "too short"),
        ({"username": "", "email": "x@example.com", "password": "long enough passphrase"}, "username is required"),
        ({"username": "x", "email": "nope", "password": "long enough passphrase"}, "valid email"),
        (
            {"username": "x", "email": "x@example.com", "password": "long enough passphrase", "role": 1},
            "Invalid parameters: role",
        ),
    ],
)
def test_register_rejects_bad_input(client, body, message):
    response = post(client, "auth/local/register", body)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert not Profile.objects.exists()


def test_register_refuses_a_taken_email(client):
    factories.UserFactory(username="taken", email="taken@example.com")
    response = post(
        client,
        "auth/local/register",
        {"username": "new", "email": "TAKEN@example.com", "password": "long enough passphrase"},
    )
    assert response.status_code == 400 and "already taken" in response.json()["error"]["message"]


def test_login_with_username_or_email(client):
    user = factories.UserFactory(username="linus", email="linus@example.com")
    for identifier in ("linus", "LINUS@example.com"):
        response = post(client, "auth/local", {"identifier": identifier, "password": PASSWORD})
        assert response.status_code == 200
        assert response.json()["user"]["id"] == user.pk


def test_login_failure_is_a_400_that_does_not_say_which_part_was_wrong(client):
    factories.UserFactory(username="linus")
    for identifier, password in (("linus", "wrong"), ("nobody", PASSWORD)):
        response = post(client, "auth/local", {"identifier": identifier, "password": password})
        assert response.status_code == 400
        assert response.json()["error"]["message"] == "Invalid identifier or password"


def test_users_me_needs_a_valid_token(client):
    # No credentials: Strapi's 403 (the Public role may not); wrong ones: 401.
    assert client.get("/api/users/me").status_code == 403
    response = client.get("/api/users/me", **auth("a.b.c"))
    assert response.status_code == 401 and response.json()["error"]["name"] == "UnauthorizedError"
    assert client.get("/api/users/me", HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_forgot_and_reset_password(client):
    user = factories.UserFactory(email="ada@example.com")
    assert post(client, "auth/forgot-password", {"email": "ada@example.com"}).json() == {"ok": True}
    assert post(client, "auth/forgot-password", {"email": "nobody@example.com"}).json() == {"ok": True}
    assert len(mail.outbox) == 1
    code = re.search(r"code=(\S+)", mail.outbox[0].body).group(1)
    response = post(
        client,
        "auth/reset-password",
        {"code": code, "password": "brand new passphrase", "passwordConfirmation": "brand new passphrase"},
    )
    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert user.check_password("brand new passphrase")
    again = post(
        client,
        "auth/reset-password",
        {"code": code, "password": "another passphrase 2", "passwordConfirmation": "another passphrase 2"},
    )
    assert again.status_code == 400 and "Incorrect code" in again.json()["error"]["message"]


def test_change_password_signs_out_old_tokens(client):
    factories.UserFactory(username="ada")
    old = post(client, "auth/local", {"identifier": "ada", "password": PASSWORD}).json()["jwt"]
    response = post(
        client,
        "auth/change-password",
        {"currentPassword": PASSWORD, "password": "new passphrase 42", "passwordConfirmation": "new passphrase 42"},
        **auth(old),
    )
    assert response.status_code == 200, response.json()
    assert client.get("/api/users/me", **auth(old)).status_code == 401
    assert client.get("/api/users/me", **auth(response.json()["jwt"])).status_code == 200


def test_change_password_checks_the_current_one(client):
    factories.UserFactory(username="ada")
    jwt = post(client, "auth/local", {"identifier": "ada", "password": PASSWORD}).json()["jwt"]
    response = post(
        client,
        "auth/change-password",
        {"currentPassword": "wrong", "password": "new passphrase 42", "passwordConfirmation": "new passphrase 42"},
        **auth(jwt),
    )
    assert response.status_code == 400 and "current password is invalid" in response.json()["error"]["message"]
