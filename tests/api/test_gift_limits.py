"""Moderators cannot gift points to themselves, and one moderator gifts at most POINTS_GIFT_DAILY_MAX a day."""

import json

import pytest
from wagtail.models import ModelLogEntry

from plugins.points.models import LedgerEntry
from plugins.points.services import balance_of
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def gift(client, profile, points, user, reason="Thanks"):
    body = json.dumps({"data": {"points": points, "reason": reason}})
    return client.post(
        f"/api/profiles/{profile.document_id}/gifts", data=body, content_type="application/json", **bearer(user)
    )


def test_a_moderator_cannot_gift_points_to_themselves(client):
    moderator = factories.moderator()
    own = factories.ProfileFactory(user=moderator)
    response = gift(client, own, 500, moderator)
    assert response.status_code == 403
    assert "themselves" in response.json()["error"]["message"]
    assert balance_of(own) == 0 and not LedgerEntry.objects.exists()


def test_one_moderators_gifts_are_capped_per_day_and_the_audit_says_who(client, settings):
    settings.POINTS_GIFT_MAX, settings.POINTS_GIFT_DAILY_MAX = 500, 600
    moderator, other = factories.moderator(), factories.moderator()
    ada, grace = factories.ProfileFactory(), factories.ProfileFactory()
    assert gift(client, ada, 500, moderator).status_code == 201
    refused = gift(client, grace, 101, moderator)
    assert refused.status_code == 409
    assert "100 left" in refused.json()["error"]["message"]
    assert balance_of(grace) == 0
    assert gift(client, grace, 100, moderator).status_code == 201
    assert gift(client, grace, 1, moderator).status_code == 409
    # Another moderator's allowance is their own.
    assert gift(client, grace, 50, other).status_code == 201
    assert balance_of(grace) == 150
    entries = LedgerEntry.objects.filter(kind="gift")
    assert {(e.actor_id, e.amount) for e in entries} == {(moderator.pk, 500), (moderator.pk, 100), (other.pk, 50)}
    logged = ModelLogEntry.objects.filter(action="community.points.gift", object_id=str(ada.pk)).get()
    assert logged.user_id == moderator.pk and logged.data["by"] == moderator.get_username()
    assert logged.data["points"] == 500


def test_a_replayed_gift_does_not_count_twice(client, settings):
    settings.POINTS_GIFT_DAILY_MAX = 100
    moderator, ada = factories.moderator(), factories.ProfileFactory()
    body = json.dumps({"data": {"points": 100, "reason": "Once"}})
    path = f"/api/profiles/{ada.document_id}/gifts"
    for _ in range(2):
        response = client.post(
            path, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="same", **bearer(moderator)
        )
        assert response.status_code == 201
    assert balance_of(ada) == 100


def test_a_moderator_cannot_award_themselves_an_achievement_nor_a_token_gift_points(client):
    from api.models import TokenKind
    from api.tokens import create_token

    moderator = factories.moderator()
    own = factories.ProfileFactory(user=moderator)
    achievement = factories.AchievementFactory(points=100)
    body = json.dumps({"data": {"achievement": achievement.document_id}})
    awarded = client.post(
        f"/api/profiles/{own.document_id}/achievements", body, content_type="application/json", **bearer(moderator)
    )
    assert awarded.status_code == 403 and "themselves" in awarded.json()["error"]["message"]
    _, key = create_token("automation", TokenKind.FULL_ACCESS)
    gifted = client.post(
        f"/api/profiles/{factories.ProfileFactory().document_id}/gifts",
        json.dumps({"data": {"points": 10, "reason": "Thanks"}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert gifted.status_code == 403
    assert balance_of(own) == 0 and not LedgerEntry.objects.exists()
