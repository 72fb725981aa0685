"""Members are named by name in the admin, else by username, else (for editors and moderators) by e-mail:
never "Profile <documentId>". Every registered snippet list that shows a person is checked, and a new
snippet type with a profile on it fails here until it is added."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.snippets.models import get_snippet_models

from plugins.points.services import Posting, post
from plugins.profiles.models import UNNAMED, Profile
from plugins.rewards.services import place_order, redeem
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "Kim", "line1": "1 Shipping Lane", "city": "Leeds", "country": "GB"}


def registered_through_the_api():
    """A member who signed up with only a username: no first or last name on the profile."""
    user = factories.UserFactory(username="kim-from-the-api", email="kim@private.example")
    return factories.ProfileFactory(user=user, first_name="", last_name="", email=""), "kim-from-the-api"


def made_for_an_email():
    """A profile an editor made for someone who has no account yet: only moderators may see the e-mail."""
    return factories.ProfileFactory(first_name="", last_name="", email="new.hire@example.com"), "new.hire@example.com"


PEOPLE = [registered_through_the_api, made_for_an_email]


def ask_question(profile):
    factories.QuestionFactory(author=profile, subject="Where are my flags?")


def post_reply(profile):
    factories.ReplyFactory(author=profile, question=factories.QuestionFactory(subject="Flags again"))


def redeem_stickers(profile):
    post(profile, Posting(300, "gift", "Gift: welcome", f"welcome:{profile.pk}"))
    stickers = factories.RewardProductFactory(title="Stickers", price=100)
    place_order(redeem(profile, stickers, idempotency_key=f"stickers:{profile.pk}").redemption, ADDRESS)


# Each registered snippet type that points at a profile, and how to make one of its rows for a member.
ROWS_NAMING_A_MEMBER = {
    "profiles.profile": lambda profile: None,
    "forum.question": ask_question,
    "forum.reply": post_reply,
    "rewards.redemption": redeem_stickers,
}


def points_at_a_profile(model) -> bool:
    return model is Profile or any(
        isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Profile
        for field in model._meta.get_fields()
    )


def test_every_snippet_type_that_names_a_member_is_checked():
    registered = {model._meta.label_lower for model in get_snippet_models() if points_at_a_profile(model)}
    assert registered == set(ROWS_NAMING_A_MEMBER)


@pytest.mark.parametrize("label", sorted(ROWS_NAMING_A_MEMBER))
@pytest.mark.parametrize("person", PEOPLE, ids=lambda make: make.__name__)
def test_admin_lists_name_the_member(client, superuser, label, person):
    profile, name = person()
    ROWS_NAMING_A_MEMBER[label](profile)
    model = next(model for model in get_snippet_models() if model._meta.label_lower == label)
    client.force_login(superuser)
    page = client.get(reverse(model.snippet_viewset.get_url_name("list"))).content.decode()
    assert name in page
    assert profile.document_id not in page and "Profile " not in page


def test_the_redemption_and_moderation_pages_name_the_member(client, moderator_user):
    profile, name = registered_through_the_api()
    redeem_stickers(profile)
    client.force_login(moderator_user)
    redemption = profile.redemptions.get()
    for url in (
        reverse("community_redemption", args=[redemption.pk]),
        reverse("community_profile_moderation", args=[profile.pk]),
    ):
        page = client.get(url).content.decode()
        assert name in page and profile.document_id not in page, url


def test_a_question_in_the_admin_names_its_asker(client, superuser):
    profile, name = registered_through_the_api()
    ask_question(profile)
    client.force_login(superuser)
    question = profile.questions.get()
    page = client.get(reverse("wagtailsnippets_forum_question:edit", args=[question.pk])).content.decode()
    assert name in page and profile.document_id not in page


def test_the_names_fall_back_in_order():
    profile, _ = registered_through_the_api()
    assert (str(profile), profile.display_name) == ("kim-from-the-api", "kim-from-the-api")
    profile.first_name, profile.last_name = "Kim", "Lee"
    assert (str(profile), profile.display_name) == ("Kim Lee", "Kim Lee")

    unclaimed, _ = made_for_an_email()
    assert str(unclaimed) == "new.hire@example.com"
    assert unclaimed.display_name == UNNAMED  # other members never see the private e-mail
    unclaimed.email = ""
    assert str(unclaimed) == "Unclaimed profile"


def test_a_username_that_is_an_email_address_is_not_shown_to_other_members():
    user = factories.UserFactory(username="kim@private.example", email="kim@private.example")
    profile = factories.ProfileFactory(user=user, first_name="", last_name="")
    assert profile.display_name == UNNAMED
    assert str(profile) == "kim@private.example"  # editors and moderators may read it


def test_a_member_shown_by_username_is_found_by_it(client, superuser):
    profile, name = registered_through_the_api()
    factories.ProfileFactory(first_name="Someone", last_name="Else")
    client.force_login(superuser)
    page = client.get(reverse("wagtailsnippets_profiles_profile:list"), {"q": "from-the-api"}).content.decode()
    assert name in page and "Someone Else" not in page


@pytest.mark.parametrize("label", sorted(ROWS_NAMING_A_MEMBER))
def test_naming_members_by_username_costs_no_query_per_row(client, superuser, label):
    model = next(model for model in get_snippet_models() if model._meta.label_lower == label)
    url = reverse(model.snippet_viewset.get_url_name("list"))
    client.force_login(superuser)

    def queries_with_another_member():
        user = factories.UserFactory()
        ROWS_NAMING_A_MEMBER[label](factories.ProfileFactory(user=user, first_name="", last_name=""))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert user.username in page
        return len(queries)

    queries_with_another_member()  # the first row of each kind: caches warm, everything made once
    assert queries_with_another_member() == queries_with_another_member()
