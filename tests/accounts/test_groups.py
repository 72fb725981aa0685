"""What the Editors and Moderators groups that ``migrate`` creates may and may not do."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from plugins.achievements.models import Achievement
from plugins.teams.models import Team
from tests import factories

pytestmark = pytest.mark.django_db

CONTENT = [
    "profiles.profile",
    "teams.team",
    "jobs.joblisting",
    "achievements.achievement",
    "rewards.rewardproduct",
    "roadmap.roadmapitem",
]
EDITORIAL = [
    "teams.team",
    "jobs.joblisting",
    "achievements.achievement",
    "rewards.rewardproduct",
    "roadmap.roadmapitem",
]


def snippet_url(model, view, *args):
    app_label, model_name = model.split(".")
    return reverse(f"wagtailsnippets_{app_label}_{model_name}:{view}", args=args)


def denied(response) -> bool:
    """Wagtail answers a permission failure with a redirect to the dashboard or a 403."""
    return response.status_code == 403 or (response.status_code == 302 and "/admin/" in response["Location"])


def test_both_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Moderators"}


@pytest.mark.parametrize("model", CONTENT)
def test_editors_may_add_change_and_delete_every_content_type(editor_user, model):
    app_label, model_name = model.split(".")
    for action in ("add", "change", "delete", "view"):
        assert editor_user.has_perm(f"{app_label}.{action}_{model_name}")


@pytest.mark.parametrize("model", EDITORIAL)
def test_editors_may_publish_editorial_types_and_moderators_may_not(editor_user, moderator_user, model):
    app_label, model_name = model.split(".")
    assert editor_user.has_perm(f"{app_label}.publish_{model_name}")
    assert not moderator_user.has_perm(f"{app_label}.publish_{model_name}")


@pytest.mark.parametrize("model", CONTENT)
def test_moderators_may_view_everything_but_add_or_delete_nothing(moderator_user, model):
    app_label, model_name = model.split(".")
    assert moderator_user.has_perm(f"{app_label}.view_{model_name}")
    assert not moderator_user.has_perm(f"{app_label}.add_{model_name}")
    assert not moderator_user.has_perm(f"{app_label}.delete_{model_name}")


def test_moderators_may_edit_profiles_only(moderator_user):
    assert moderator_user.has_perm("profiles.change_profile")
    for model in EDITORIAL:
        app_label, model_name = model.split(".")
        assert not moderator_user.has_perm(f"{app_label}.change_{model_name}")


def test_an_editor_creates_and_publishes_an_achievement(client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        snippet_url("achievements.achievement", "add"),
        {"title": "Docs hero", "points": "30", "trigger": "manual", "threshold": "1", "action-publish": "publish"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    achievement = Achievement.objects.get(title="Docs hero")
    assert achievement.live and achievement.live_revision is not None
    assert achievement.slug == "docs-hero"


def test_a_moderator_cannot_create_an_achievement(client, moderator_user):
    client.force_login(moderator_user)
    assert denied(client.get(snippet_url("achievements.achievement", "add")))
    response = client.post(
        snippet_url("achievements.achievement", "add"),
        {"title": "Sneaky", "points": "999", "trigger": "manual", "threshold": "1"},
    )
    assert denied(response)
    assert not Achievement.objects.filter(title="Sneaky").exists()


def test_a_moderator_sees_lists_and_edits_a_profile_but_not_a_team(client, moderator_user):
    client.force_login(moderator_user)
    assert client.get(snippet_url("achievements.achievement", "list")).status_code == 200
    profile = factories.ProfileFactory(first_name="Before")
    response = client.post(snippet_url("profiles.profile", "edit", profile.pk), {"first_name": "After"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.first_name == "After"

    team = factories.TeamFactory(name="Unchanged")
    response = client.post(snippet_url("teams.team", "edit", team.pk), {"name": "Renamed"})
    assert denied(response)
    assert Team.objects.get(pk=team.pk).name == "Unchanged"


@pytest.mark.parametrize("user_fixture", ["editor_user", "moderator_user"])
def test_neither_group_manages_users_or_groups(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert denied(client.get(reverse("wagtailusers_users:index")))
    assert denied(client.get(reverse("wagtailusers_groups:index")))


def test_a_member_without_a_group_cannot_enter_the_admin(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_editors_may_upload_images_and_moderators_may_choose_them(editor_user, moderator_user):
    from wagtail.permissions import policy_registry

    from plugins.assets.models import CommunityImage

    policy = policy_registry.get_by_type(CommunityImage)
    assert policy.user_has_permission(editor_user, "add")
    assert policy.user_has_permission(editor_user, "delete")
    assert policy.user_has_permission(moderator_user, "choose")
    someone_elses = factories.ImageFactory(uploaded_by_user=editor_user)
    assert policy.user_has_permission_for_instance(editor_user, "delete", someone_elses)
    # Moderators may upload (and so tidy up their own uploads) but not delete others' images.
    assert not policy.user_has_permission_for_instance(moderator_user, "delete", someone_elses)
    assert not policy.user_has_permission_for_instance(moderator_user, "change", someone_elses)
