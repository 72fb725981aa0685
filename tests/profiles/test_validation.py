import pytest
from django.core.exceptions import ValidationError

from plugins.profiles.models import Profile
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["GB", "US", "DE", "BR", ""])
def test_iso_alpha2_country_codes_are_accepted(code):
    Profile(first_name="Ada", country=code).full_clean(exclude=["user"])


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("UK", 'Did you mean "GB"?'),
        ("gbr", 'Did you mean "GB"?'),
        ("gb", 'Use upper case: "GB"'),
        ("XX", ""),
        ("G1", ""),
    ],
)
def test_other_country_values_are_rejected_with_a_message(code, hint):
    with pytest.raises(ValidationError) as error:
        Profile(first_name="Ada", country=code).full_clean(exclude=["user"])
    messages = error.value.message_dict["country"]
    assert any("not an ISO 3166-1 alpha-2 country code" in m for m in messages)
    assert any(hint in m for m in messages)


def test_colour_must_be_six_hex_digits():
    Profile(first_name="Ada", color="1d4aff").full_clean(exclude=["user"])
    with pytest.raises(ValidationError) as error:
        Profile(first_name="Ada", color="#1d4aff").full_clean(exclude=["user"])
    assert "color" in error.value.message_dict


def test_social_handles_are_handles_not_urls():
    with pytest.raises(ValidationError) as error:
        Profile(first_name="Ada", github="https://github.com/ada").full_clean(exclude=["user"])
    assert "github" in error.value.message_dict


def test_every_profile_gets_a_distinct_url_safe_document_id():
    a, b = ProfileFactory(), ProfileFactory()
    assert a.document_id != b.document_id
    for profile in (a, b):
        assert len(profile.document_id) == 24
        assert profile.document_id.isalnum() and profile.document_id.islower()
    before = a.document_id
    a.first_name = "Changed"
    a.save()
    a.refresh_from_db()
    assert a.document_id == before
