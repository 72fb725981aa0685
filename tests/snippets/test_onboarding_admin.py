"""The admin's "Add team member" form and the "send set-password e-mail again" page."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from plugins.accounts.roles import MODERATORS
from plugins.profiles.models import Profile
from tests import factories
from tests.accounts.test_onboarding import avatar_png

pytestmark = pytest.mark.django_db
User = get_user_model()
ADD = reverse("community_add_team_member")


def form_data(small_team, **overrides):
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.com",
        "company_role": "Product Engineer",
        "start_date": "2026-01-05",
        "location": "Arlington, VA",
        "country": "US",
        "team": small_team.pk,
    }
    return {**data, **overrides}


def test_editors_find_the_form_on_the_profiles_list(client, editor_user):
    client.force_login(editor_user)
    listing = client.get(reverse("wagtailsnippets_profiles_profile:list")).content.decode()
    assert ADD in listing and "Add team member" in listing
    page = client.get(ADD)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("first_name", "last_name", "email", "company_role", "start_date", "location", "country", "team"):
        assert f'name="{name}"' in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html


def test_moderators_may_not_add_team_members(client, moderator_user):
    client.force_login(moderator_user)
    assert ADD not in client.get(reverse("wagtailsnippets_profiles_profile:list")).content.decode()
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    assert client.get(ADD).status_code in (302, 403)
    assert client.post(ADD, form_data(factories.TeamFactory())).status_code in (302, 403)
    assert not User.objects.filter(email="grace@example.com").exists()


def test_adding_a_team_member_from_the_form(client, editor_user, django_capture_on_commit_callbacks):
    team = factories.TeamFactory(name="Website")
    client.force_login(editor_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, {**form_data(team, lead="on"), "avatar": avatar_png()})
    profile = Profile.objects.get(email="grace@example.com")
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk])
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Grace Hopper joins Website on 05 January 2026" in message and "grace@example.com" in message
    assert profile.user.groups.filter(name=MODERATORS).exists()
    assert list(profile.lead_teams.all()) == [team] and profile.avatar is not None
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
    entry = ModelLogEntry.objects.get(action="community.team_member.add")
    assert entry.object_id == str(profile.pk) and entry.user_id == editor_user.pk


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"avatar": "jpeg"}, "must be a PNG file"),
        ({"avatar": "opaque"}, "every pixel of this PNG is opaque"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"start_date": "05/01/2026x"}, "Enter a valid date"),
        ({"country": "UK"}, "Select a valid choice"),
        ({"first_name": ""}, "This field is required"),
        ({"team": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(client, editor_user, overrides, error):
    client.force_login(editor_user)
    avatars = {"jpeg": avatar_png(fmt="JPEG", mode="RGB"), "opaque": avatar_png(transparent=False)}
    data = form_data(factories.TeamFactory(), **overrides)
    if "avatar" in overrides:
        data["avatar"] = avatars[overrides["avatar"]]
    before = (User.objects.count(), Profile.objects.count())
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert (User.objects.count(), Profile.objects.count()) == before and mail.outbox == []
    # What was typed is kept, so the editor fixes one field rather than starting over.
    assert 'value="Hopper"' in response.content.decode()


def test_an_email_that_has_an_account_is_explained_on_its_field(client, editor_user):
    factories.UserFactory(username="ghopper", email="grace@example.com")
    client.force_login(editor_user)
    response = client.post(ADD, form_data(factories.TeamFactory()))
    assert response.status_code == 200
    assert "already exists (username ghopper)" in response.content.decode()
    assert Profile.objects.filter(email="grace@example.com").count() == 0


def test_the_set_password_email_is_sent_again_from_the_profile(client, editor_user, django_capture_on_commit_callbacks):
    client.force_login(editor_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, form_data(factories.TeamFactory()))
    profile = Profile.objects.get(email="grace@example.com")
    resend = reverse("community_resend_set_password", args=[profile.pk])
    edit = client.get(reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk])).content.decode()
    assert resend in edit
    assert "has not chosen a password yet" in client.get(resend).content.decode()
    assert len(mail.outbox) == 1  # a GET only asks
    response = client.post(resend)
    assert response.status_code == 302 and len(mail.outbox) == 2
    profile.user.set_password("a chosen passphrase 7")
    profile.user.save()
    edit = client.get(reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk])).content.decode()
    assert resend not in edit
    response = client.post(resend)
    assert "already set a password" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert len(mail.outbox) == 2
