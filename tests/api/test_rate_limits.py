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
