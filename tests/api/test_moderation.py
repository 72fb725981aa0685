"""Moderators assign and revoke achievements and gift points through the API; members cannot."""

import json

import pytest
from wagtail.models import ModelLogEntry

from plugins.achievements.models import AchievementAward
from plugins.achievements.services import award_achievement
from plugins.points.models import LedgerEntry
from plugins.points.services import balance_of
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def post(client, path, body, user=None, **headers):
    auth = bearer(user) if user else {}
    return client.post(f"/api/{path}", data=json.dumps(body), content_type="application/json", **auth, **headers)


@pytest.fixture
def moderator(db):
    return factories.moderator()


def test_a_moderator_assigns_and_revokes_with_reasons_in_the_audit_log(client, community, moderator):
    ada, oracle = community["ada"], community["oracle"]
    response = post(
        client,
        f"profiles/{ada.document_id}/achievements",
        {"data": {"achievement": oracle.document_id, "reason": "Answered 100 questions"}},
        moderator,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"]["achievement"]["title"] == "Oracle"
    assert balance_of(ada) == 100
    again = post(client, f"profiles/{ada.document_id}/achievements", {"data": {"achievement": oracle.pk}}, moderator)
    assert again.status_code == 409 and "already holds" in again.json()["error"]["message"]

    response = client.delete(
        f"/api/profiles/{ada.document_id}/achievements/{oracle.document_id}?reason=Mistake", **bearer(moderator)
    )
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["revokeReason"] == "Mistake"
    assert balance_of(ada) == 0
    actions = list(ModelLogEntry.objects.filter(object_id=str(ada.pk)).values_list("action", flat=True))
    assert "community.achievement.assign" in actions and "community.achievement.revoke" in actions
    public = client.get(f"/api/profiles/{ada.document_id}?populate=achievements").json()["data"]
    assert public["achievements"] == []


def test_a_revocation_needs_a_reason(client, community, moderator):
    ada, oracle = community["ada"], community["oracle"]
    post(client, f"profiles/{ada.document_id}/achievements", {"data": {"achievement": oracle.pk}}, moderator)
    response = client.delete(f"/api/profiles/{ada.document_id}/achievements/{oracle.document_id}", **bearer(moderator))
    assert response.status_code == 400 and "Say why" in response.json()["error"]["message"]
    assert AchievementAward.objects.get().revoked_at is None


def test_gifts_with_a_maximum_and_an_idempotency_key(client, community, moderator, settings):
    settings.POINTS_GIFT_MAX = 50
    grace = community["grace"]
    path = f"profiles/{grace.document_id}/gifts"
    first = post(client, path, {"data": {"points": 20, "reason": "Great talk"}}, moderator, HTTP_IDEMPOTENCY_KEY="k1")
    again = post(client, path, {"data": {"points": 20, "reason": "Great talk"}}, moderator, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert first.json()["data"]["id"] == again.json()["data"]["id"]
    assert balance_of(grace) == 20
    assert LedgerEntry.objects.get().reason == "Gift: Great talk"
    for body, message in (
        ({"points": 51, "reason": "x"}, "at most 50"),
        ({"points": 5}, "Say why"),
        ({"points": 0, "reason": "x"}, "at least 1"),
        ({"points": "5", "reason": "x"}, "whole"),
    ):
        response = post(client, path, {"data": body}, moderator)
        assert response.status_code == 400 and message in response.json()["error"]["message"]
    assert balance_of(grace) == 20


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_members_cannot_assign_revoke_or_gift(client, community, who):
    user = factories.UserFactory() if who == "member" else None
    ada, oracle = community["ada"], community["oracle"]
    expected = 403
    assert (
        post(client, f"profiles/{ada.document_id}/achievements", {"data": {"achievement": oracle.pk}}, user).status_code
        == expected
    )
    assert (
        post(client, f"profiles/{ada.document_id}/gifts", {"data": {"points": 5, "reason": "x"}}, user).status_code
        == expected
    )
    headers = bearer(user) if user else {}
    assert (
        client.delete(
            f"/api/profiles/{ada.document_id}/achievements/{oracle.document_id}?reason=x", **headers
        ).status_code
        == expected
    )
    assert balance_of(ada) == 0 and not AchievementAward.objects.exists()


def test_unknown_profile_or_achievement(client, community, moderator):
    assert post(client, "profiles/nobody/gifts", {"data": {"points": 5, "reason": "x"}}, moderator).status_code == 404
    response = post(
        client, f"profiles/{community['ada'].document_id}/achievements", {"data": {"achievement": "nosuch"}}, moderator
    )
    assert response.status_code == 400 and "no achievement" in response.json()["error"]["message"]


@pytest.mark.parametrize("who", ["anonymous", "member", "read-only token"])
def test_only_moderators_read_another_members_ledger(client, community, who, moderator):
    from api.models import TokenKind
    from api.tokens import create_token

    ada = community["ada"]
    award_achievement(ada, community["oracle"], awarded_by=moderator, reason="Answered everything")
    path = f"/api/profiles/{ada.document_id}/points"
    if who == "read-only token":
        _, key = create_token("site build", TokenKind.READ_ONLY)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    else:
        headers = bearer(factories.UserFactory()) if who == "member" else {}
    response = client.get(path, **headers)
    assert response.status_code == 403
    assert "Answered" not in response.content.decode() and "Oracle" not in response.content.decode()
    statement = client.get(path, **bearer(moderator)).json()
    assert statement["data"]["balance"] == 100
    assert statement["data"]["transactions"][0]["achievement"]["title"] == "Oracle"
