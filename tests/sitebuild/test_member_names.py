"""The built site names members from what the public API gives: the full name, else the GitHub handle, else
"A community member"; never "Member <id>", and never the private username or e-mail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from plugins.sitebuild.content import full_name
from tests import factories
from tests.sitebuild.conftest import build, read


@pytest.mark.parametrize(
    ("person", "name"),
    [
        ({"id": 344, "firstName": "Kim", "lastName": "Lee", "github": "kimlee"}, "Kim Lee"),
        ({"id": 344, "firstName": "", "lastName": None, "github": "kimlee"}, "@kimlee"),
        ({"id": 344, "firstName": None, "lastName": None, "github": None}, "A community member"),
    ],
)
def test_a_person_is_named_from_public_fields(person, name):
    assert full_name(person) == name


@pytest.mark.django_db
def test_a_member_without_a_name_has_a_page_and_a_place_on_the_team_page_titled_by_handle(tmp_path):
    user = factories.UserFactory(username="kim-from-the-api", email="kim@private.example")
    team = factories.TeamFactory(name="Website", slug="website")
    kim = factories.ProfileFactory(
        user=user,
        first_name="",
        last_name="",
        email="kim@private.example",
        github="kimdev",
        start_date=timezone.localdate() - timedelta(days=30),
        teams=[team],
    )
    out = tmp_path / "site"
    build(out)
    for page in (read(out, f"/community/profiles/{kim.pk}/"), read(out, "/teams/website/")):
        assert "@kimdev" in page
        assert f"Member {kim.pk}" not in page and kim.document_id not in page
        assert "kim-from-the-api" not in page and "kim@private.example" not in page
    assert "<title>@kimdev" in read(out, f"/community/profiles/{kim.pk}/")
