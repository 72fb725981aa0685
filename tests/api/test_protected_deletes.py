"""Deleting a row that others still need is refused with a 409 in Strapi's envelope, and the row stays.

Driven by the models: every registered content type that another model protects (``on_delete=PROTECT``)
is tried, so a new protected relation has to be added to ``PROTECTORS`` below.
"""

import pytest
from django.db import models

from api.registry import registry
from plugins.achievements.models import AchievementAward
from plugins.forum.models import Question, Reply
from plugins.points.services import Posting, post
from plugins.rewards.models import Redemption
from plugins.rewards.services import redeem
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def _award(profile=None, achievement=None):
    from plugins.achievements.services import award_achievement

    return award_achievement(profile or factories.ProfileFactory(), achievement or factories.AchievementFactory())


def _redemption(profile=None, product=None):
    profile = profile or factories.ProfileFactory(user=factories.UserFactory())
    product = product or factories.RewardProductFactory(price=10)
    post(profile, Posting(100, "gift", "for the test", f"test:{profile.pk}"))
    return redeem(profile, product, idempotency_key="k").redemption


# The protecting model → how to make a row of the target content type that one of its rows protects,
# and what the refusal says.
PROTECTORS = {
    (AchievementAward, "achievements"): (lambda: _award().achievement, "Unpublish it instead"),
    (Redemption, "reward-products"): (lambda: _redemption().product, "Unpublish it instead"),
    (Redemption, "profiles"): (lambda: _redemption().profile, "refer to it"),
    (Question, "profiles"): (lambda: factories.QuestionFactory().author, "refer to it"),
    (Reply, "profiles"): (lambda: factories.ReplyFactory().author, "refer to it"),
}


def protected_relations() -> set[tuple[type, str]]:
    found = set()
    for content_type in registry.all():
        for field in content_type.model._meta.get_fields():
            if field.one_to_many and getattr(field, "on_delete", None) is models.PROTECT:
                found.add((field.related_model, content_type.plural))
    return found


def test_every_protected_relation_is_tried():
    assert protected_relations() == set(PROTECTORS)


@pytest.mark.parametrize(("protector", "plural"), sorted(PROTECTORS, key=lambda key: (key[1], key[0].__name__)))
def test_deleting_a_protected_row_is_a_409_and_the_row_stays(client, protector, plural):
    make, says = PROTECTORS[(protector, plural)]
    target = make()
    response = client.delete(f"/api/{plural}/{target.document_id}", **bearer(factories.editor()))
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert response.json()["data"] is None and error["name"] == "ConflictError"
    assert says in error["message"]
    assert type(target).objects.filter(pk=target.pk).exists()


def test_an_achievement_nobody_holds_and_a_product_nobody_redeemed_are_deleted(client):
    editor = factories.editor()
    achievement, product = factories.AchievementFactory(), factories.RewardProductFactory()
    for plural, row in (("achievements", achievement), ("reward-products", product)):
        assert client.delete(f"/api/{plural}/{row.document_id}", **bearer(editor)).status_code == 204
        assert not type(row).objects.filter(pk=row.pk).exists()


def test_the_message_says_why(client):
    award = _award()
    response = client.delete(f"/api/achievements/{award.achievement.document_id}", **bearer(factories.editor()))
    assert "1 member holds it" in response.json()["error"]["message"]
