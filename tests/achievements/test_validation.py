import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plugins.achievements.models import Achievement
from tests.factories import AchievementFactory, AchievementGroupFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("points", [0, -5])
def test_points_must_be_positive(points):
    with pytest.raises(ValidationError) as error:
        Achievement(title="Nothing", points=points).full_clean()
    assert "points" in error.value.message_dict


def test_points_are_positive_in_the_database_too():
    achievement = AchievementFactory(points=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Achievement.objects.filter(pk=achievement.pk).update(points=0)


def test_a_tier_needs_a_tiered_group_and_a_tiered_group_needs_a_tier():
    plain, tiered = AchievementGroupFactory(tiered=False), AchievementGroupFactory(tiered=True)
    with pytest.raises(ValidationError) as error:
        Achievement(title="A", points=1, group=plain, tier="gold").full_clean()
    assert "tier" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Achievement(title="B", points=1, group=tiered).full_clean()
    assert "tier" in error.value.message_dict
    Achievement(title="C", points=1, group=tiered, tier="gold").full_clean()


def test_threshold_is_at_least_one():
    with pytest.raises(ValidationError) as error:
        Achievement(title="A", points=1, threshold=0).full_clean()
    assert "threshold" in error.value.message_dict
