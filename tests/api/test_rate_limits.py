"""Rate limits: 429 in Strapi's envelope, per member and per address, on register, sign-in, ask, reply, vote, upload."""

import json

import pytest

from plugins.forum.models import Question
from plugins.forum.services import ask
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def post_question(client, user, n, **extra):
    body = {"data": {"subject": f"Question {n}", "body": "Body"}}
    return client.post(
        "/api/questions", data=json.dumps(body), content_type="application/json", **bearer(user), **extra
    )


def test_asking_is_limited_per_member(client, settings):
    settings.API_RATE_LIMITS = {"ask": "2/hour"}
    member = factories.UserFactory()
    assert [post_question(client, member, n).status_code for n in range(3)] == [201, 201, 429]
    refused = post_question(client, member, 4)
    error = refused.json()["error"]
    assert (error["status"], error["name"]) == (429, "RateLimitError")
    assert "Request was throttled" in error["message"]
    assert Question.objects.count() == 2
    other = factories.UserFactory()
    assert post_question(client, other, 5, REMOTE_ADDR="10.0.0.9").status_code == 201  # someone else is not held back


def test_many_accounts_from_one_address_are_limited_too(client, settings):
    settings.API_RATE_LIMITS = {"ask": "10/hour", "ask-address": "3/hour"}
    codes = [post_question(client, factories.UserFactory(), n).status_code for n in range(4)]
    assert codes == [201, 201, 201, 429]


def test_reading_is_not_limited(client, settings):
    settings.API_RATE_LIMITS = {"ask": "1/hour"}
    for _ in range(5):
        assert client.get("/api/questions").status_code == 200


def test_register_sign_in_reply_vote_and_upload_are_limited(client, settings):
    settings.API_RATE_LIMITS = {
        "register-address": "1/hour",
        "login-address": "1/minute",
        "reply": "1/hour",
        "vote": "1/hour",
        "upload": "0/hour",
    }
    register = {"username": "ada", "email": "ada@example.com", "password": "a long enough passphrase 42"}
    assert client.post("/api/auth/local/register", register, content_type="application/json").status_code == 200
    again = {**register, "username": "ada2", "email": "ada2@example.com"}
    assert client.post("/api/auth/local/register", again, content_type="application/json").status_code == 429
    login = {"identifier": "ada", "password": "wrong"}
    client.post("/api/auth/local", login, content_type="application/json")
    assert client.post("/api/auth/local", login, content_type="application/json").status_code == 429

    member = factories.UserFactory()
    question = ask(factories.ProfileFactory(), subject="Q", body="B")
    body = {"data": {"question": question.document_id, "body": "Answer"}}
    codes = [
        client.post("/api/replies", json.dumps(body), content_type="application/json", **bearer(member)).status_code
        for _ in range(2)
    ]
    assert codes == [201, 429]
    roadmap = factories.RoadmapItemFactory()
    votes = [client.put(f"/api/roadmaps/{roadmap.document_id}/vote", **bearer(member)).status_code for _ in range(2)]
    assert votes == [200, 429]
    assert client.post("/api/upload", {}, **bearer(member)).status_code == 429


def test_failed_sign_ins_are_limited_per_account_from_any_address(client, settings):
    settings.API_RATE_LIMITS = {"login-address": "100/minute", "login-account": "3/hour"}
    user = factories.UserFactory(username="ada")
    user.set_password("the right passphrase 42")
    user.save()

    def sign_in(password, address):
        body = {"identifier": "ada", "password": password}
        return client.post("/api/auth/local", body, content_type="application/json", REMOTE_ADDR=address)

    assert [sign_in("wrong", f"10.0.0.{n}").status_code for n in range(3)] == [400, 400, 400]
    refused = sign_in("the right passphrase 42", "10.0.1.1")  # even the right password, from a new address
    assert refused.status_code == 429 and refused.json()["error"]["name"] == "RateLimitError"
    # The hour counts from the first failure: a second may have gone by on a slow machine.
    assert "this account" in refused.json()["error"]["message"] and 3590 <= int(refused["Retry-After"]) <= 3600
    # Another account is not held back.
    factories.UserFactory(username="grace")
    other = client.post("/api/auth/local", {"identifier": "grace", "password": "x"}, content_type="application/json")
    assert other.status_code == 400


def test_an_unknown_account_takes_as_long_to_refuse_as_a_known_one(client, settings, monkeypatch):
    """A password is hashed for unknown identifiers too. The hasher's work is counted, not timed, so it is exact."""
    from django.contrib.auth.hashers import get_hasher

    settings.API_RATE_LIMITS = {}
    factories.UserFactory(username="ada")
    hasher = type(get_hasher("default"))
    work = []
    for method in ("encode", "verify"):
        original = getattr(hasher, method)
        monkeypatch.setattr(hasher, method, lambda self, *a, _o=original, **k: work.append(1) or _o(self, *a, **k))
    for identifier in ("ada", "nobody-here"):
        work.clear()
        body = {"identifier": identifier, "password": "wrong"}
        assert client.post("/api/auth/local", body, content_type="application/json").status_code == 400
        assert len(work) == 1, identifier


def test_an_accounts_username_and_email_count_together_and_a_new_password_lifts_the_lock(client, settings):
    from plugins.accounts.members import password_reset_code

    settings.API_RATE_LIMITS = {"login-account": "2/hour"}
    user = factories.UserFactory(username="ada", email="ada@example.com")

    def sign_in(identifier, password="wrong"):  # noqa: S107 (a test's wrong password)
        body = {"identifier": identifier, "password": password}
        return client.post("/api/auth/local", body, content_type="application/json").status_code

    assert [sign_in("ada"), sign_in("ADA@example.com"), sign_in("Ada")] == [400, 400, 429]
    reset = {
        "code": password_reset_code(user),
        "password": "a brand new passphrase 7",
        "passwordConfirmation": "a brand new passphrase 7",
    }
    assert client.post("/api/auth/reset-password", reset, content_type="application/json").status_code == 200
    assert sign_in("ada", "a brand new passphrase 7") == 200
