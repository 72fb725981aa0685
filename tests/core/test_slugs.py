"""Slugs are unique per content type, filled in from the title when left empty."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plugins.achievements.models import Achievement
from plugins.jobs.models import JobListing
from plugins.rewards.models import RewardProduct
from plugins.teams.models import Team
from tests.factories import AchievementFactory, JobListingFactory, RewardProductFactory, TeamFactory

pytestmark = pytest.mark.django_db

CASES = [
    (Team, TeamFactory, "slug", {"name": "Growth"}),
    (JobListing, JobListingFactory, "slug", {"title": "Backend engineer"}),
    (Achievement, AchievementFactory, "slug", {"title": "First answer"}),
    (RewardProduct, RewardProductFactory, "handle", {"title": "Sticker pack"}),
]


@pytest.mark.parametrize(("model", "factory", "field", "fields"), CASES)
def test_an_empty_slug_is_made_unique_from_the_title(model, factory, field, fields):
    first = factory(**fields)
    second = factory(**fields)
    assert getattr(first, field) != getattr(second, field)
    assert getattr(second, field).startswith(getattr(first, field))


@pytest.mark.parametrize(("model", "factory", "field", "fields"), CASES)
def test_a_typed_duplicate_slug_is_a_validation_error(model, factory, field, fields):
    existing = factory(**fields)
    duplicate = model(**fields, **{field: getattr(existing, field)})
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean(exclude=["teams"])
    assert field in error.value.message_dict


@pytest.mark.parametrize(("model", "factory", "field", "fields"), CASES)
def test_the_database_refuses_duplicate_slugs(model, factory, field, fields):
    a, b = factory(), factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=b.pk).update(**{field: getattr(a, field)})
