"""The moderator's page of a profile in the admin: assign, revoke with a reason, gift."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from plugins.achievements.models import AchievementAward
from plugins.points.services import balance_of
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, moderator_user):
    client.force_login(moderator_user)
    profile = factories.ProfileFactory(first_name="Ada")
    achievement = factories.AchievementFactory(title="Bug hunter", points=40)
    return client, profile, achievement, reverse("community_profile_moderation", args=[profile.pk])


def test_the_page_is_linked_from_the_profile_list_and_edit_page(setup):
    client, profile, _, url = setup
    assert url.encode() in client.get(reverse("wagtailsnippets_profiles_profile:list")).content
    assert url.encode() in client.get(reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk])).content


def test_assign_revoke_and_gift_from_the_admin(setup, moderator_user):
    client, profile, achievement, url = setup
    response = client.post(
        url, {"action": "assign", "assign-achievement": achievement.pk, "assign-reason": "Found the CSV bug"}
    )
    assert response.status_code == 302
    assert balance_of(profile) == 40
    award = AchievementAward.objects.get()
    page = client.get(url).content.decode()
    assert "Bug hunter" in page and "Found the CSV bug" in page and "Balance: 40 points" in page

    response = client.post(url, {"action": "revoke", "revoke-award": award.pk, "revoke-reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"action": "revoke", "revoke-award": award.pk, "revoke-reason": "Duplicate"})
    assert response.status_code == 302 and balance_of(profile) == 0

    response = client.post(url, {"action": "gift", "gift-points": 15, "gift-reason": "Great talk"})
    assert response.status_code == 302 and balance_of(profile) == 15
    actions = set(ModelLogEntry.objects.filter(object_id=str(profile.pk)).values_list("action", flat=True))
    assert {"community.achievement.assign", "community.achievement.revoke", "community.points.gift"} <= actions
    history = client.get(reverse("wagtailsnippets_profiles_profile:history", args=[profile.pk])).content.decode()
    assert "Awarded “Bug hunter” (40 points): Found the CSV bug" in history
    assert "Revoked “Bug hunter”, taking back 40 points: Duplicate" in history
    assert "Gifted 15 points: Great talk" in history


def test_errors_are_shown_not_raised(setup, settings):
    client, profile, achievement, url = setup
    settings.POINTS_GIFT_MAX = 10
    response = client.post(url, {"action": "gift", "gift-points": 11, "gift-reason": "Too generous"})
    assert response.status_code == 200 and "at most 10 points" in response.content.decode()
    client.post(url, {"action": "assign", "assign-achievement": achievement.pk})
    response = client.post(url, {"action": "assign", "assign-achievement": achievement.pk})
    assert response.status_code == 200 and "already holds" in response.content.decode()
    assert balance_of(profile) == 40


def test_members_without_a_group_and_editors(client, editor_user):
    profile = factories.ProfileFactory()
    url = reverse("community_profile_moderation", args=[profile.pk])
    client.force_login(factories.UserFactory(is_staff=False))
    assert client.get(url).status_code in (302, 403)
    client.force_login(editor_user)
    assert client.get(url).status_code == 200


def test_bulk_assign_to_a_selection_of_profiles(client, moderator_user):
    from django.urls import reverse

    client.force_login(moderator_user)
    achievement = factories.AchievementFactory(title="Hackathon winner", points=25)
    winners = [factories.ProfileFactory() for _ in range(3)]
    AchievementAward.objects.create(profile=winners[0], achievement=achievement)  # held already
    url = reverse("wagtail_bulk_action", args=["profiles", "profile", "assign_achievement"])
    query = "&".join(f"id={p.pk}" for p in winners)
    page = client.get(f"{url}?{query}")
    assert page.status_code == 200 and b"Assign an achievement" in page.content
    response = client.post(f"{url}?{query}", {"achievement": achievement.pk, "reason": "Hackathon 2026"})
    assert response.status_code == 302
    assert [balance_of(p) for p in winners] == [0, 25, 25]
    assert AchievementAward.objects.filter(achievement=achievement).count() == 3


def test_bulk_assign_is_for_moderators_only(client, db):
    from django.urls import reverse

    staff = factories.UserFactory()
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_profile")
    )
    client.force_login(staff)
    achievement = factories.AchievementFactory(points=25)
    profile = factories.ProfileFactory()
    url = reverse("wagtail_bulk_action", args=["profiles", "profile", "assign_achievement"])
    client.post(f"{url}?id={profile.pk}", {"achievement": achievement.pk, "reason": "x"})
    assert balance_of(profile) == 0 and not AchievementAward.objects.exists()
