"""Icons, crests and avatars each live in a collection of their own, and each chooser opens on its own."""

import importlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Collection

from plugins.accounts.onboarding import add_team_member
from plugins.assets.collections import AVATARS, CRESTS, ICONS, find_collection
from plugins.assets.models import CommunityImage
from plugins.assets.services import store_image
from plugins.demo.images import demo_image
from tests import factories
from tests.accounts.test_onboarding import avatar_png, new_member

pytestmark = pytest.mark.django_db

migration = importlib.import_module("plugins.assets.migrations.0002_icons_crests_avatars")


def collection_of(image) -> str:
    return CommunityImage.objects.select_related("collection").get(pk=image.pk).collection.name


def test_migrate_makes_the_three_collections_under_the_root():
    root = Collection.get_first_root_node()
    assert {child.name for child in root.get_children()} >= {ICONS, CRESTS, AVATARS}
    assert Collection.find_problems() == ([], [], [], [], [])  # the tree the migration wrote is sound


def test_the_migration_files_each_used_image_by_its_use():
    root = Collection.get_first_root_node()
    images = [factories.ImageFactory(collection=root) for _ in range(7)]
    icon, group_icon, crest, mini_crest, avatar, both, unused = images
    factories.AchievementFactory(icon=icon)
    factories.AchievementGroupFactory(icon=group_icon)
    factories.TeamFactory(crest=crest, mini_crest=mini_crest)
    factories.ProfileFactory(avatar=avatar)
    factories.ProfileFactory(avatar=both)
    factories.AchievementFactory(icon=both)  # an icon that is also someone's avatar
    CommunityImage.objects.update(collection=root)  # as before the migration (saving avatars already files them)

    migration.file_images(apps, None)

    assert [collection_of(image) for image in (icon, group_icon, both)] == [ICONS] * 3
    assert [collection_of(image) for image in (crest, mini_crest)] == [CRESTS] * 2
    assert collection_of(avatar) == AVATARS
    assert collection_of(unused) == "Root"
    assert Collection.objects.filter(name=ICONS).count() == 1  # running it again makes no second one
    migration.unfile_images(apps, None)
    assert collection_of(icon) == "Root"


def test_uploads_land_where_they_are_told_and_else_in_the_root():
    assert collection_of(store_image(avatar_png(), title="Logo")) == "Root"
    assert collection_of(store_image(avatar_png(), title="Ada", collection=AVATARS)) == AVATARS


def test_a_new_team_members_avatar_lands_in_avatars(django_capture_on_commit_callbacks):
    profile = add_team_member(new_member(factories.TeamFactory()), avatar=avatar_png())
    assert collection_of(profile.avatar) == AVATARS


def test_an_image_that_becomes_an_avatar_moves_to_avatars():
    """The API's way: upload a file (it lands in the root), then set it as the profile's avatar."""
    uploaded = store_image(avatar_png(), title="me")
    profile = factories.ProfileFactory()
    profile.avatar = uploaded
    profile.save()
    assert collection_of(uploaded) == AVATARS


def test_an_image_filed_elsewhere_stays_there_when_a_member_names_it_as_their_avatar():
    """A member may set any image's id as their avatar through the API: a team's crest stays a crest."""
    crest = store_image(avatar_png(), title="crest", collection=CRESTS)
    profile = factories.ProfileFactory()
    profile.avatar = crest
    profile.save()
    assert collection_of(crest) == CRESTS


def test_the_demos_images_land_in_their_collections():
    assert collection_of(demo_image("avatar:AB", "Avatar", "AB", collection=AVATARS)) == AVATARS
    assert collection_of(demo_image("achievement:x", "X", "X", collection=ICONS)) == ICONS
    assert collection_of(demo_image("team-image:x", "X", "X")) == "Root"


@pytest.mark.parametrize(
    ("view", "field", "collection"),
    [
        ("wagtailsnippets_achievements_achievement:add", "icon", ICONS),
        ("wagtailsnippets_achievements_achievementgroup:add", "icon", ICONS),
        ("wagtailsnippets_teams_team:add", "crest", CRESTS),
        ("wagtailsnippets_teams_team:add", "mini_crest", CRESTS),
        ("wagtailsnippets_profiles_profile:add", "avatar", AVATARS),
    ],
)
def test_each_image_chooser_opens_on_its_collection(client, editor_user, view, field, collection):
    client.force_login(editor_user)
    response = client.get(reverse(view))
    chooser = response.context["form"][field].field.widget
    url = urlsplit(chooser.get_chooser_modal_url())
    assert url.path == reverse("wagtailimages_chooser:choose")
    assert parse_qs(url.query) == {"collection_id": [str(find_collection(collection).pk)]}
    assert f"{url.path}?collection_id={find_collection(collection).pk}" in response.content.decode()

    factories.ImageFactory(collection=find_collection(collection), title="Wanted")
    factories.ImageFactory(title="Elsewhere")
    listing = client.get(chooser.get_chooser_modal_url()).content.decode()  # what the modal shows first
    assert "Wanted" in listing and "Elsewhere" not in listing
