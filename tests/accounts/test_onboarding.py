"""Adding a team member in one step: account, profile, team, Moderator role, avatar, set-password e-mail."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from plugins.accounts.onboarding import NewTeamMember, OnboardingError, add_team_member, resend_set_password_email
from plugins.accounts.roles import MODERATORS
from plugins.assets.avatars import avatar_problems
from plugins.assets.models import CommunityImage
from plugins.profiles.models import Profile
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

NEW_PASSWORD = "a brand new passphrase 42"


def avatar_png(size=(300, 300), transparent=True, fmt="PNG", mode="RGBA") -> SimpleUploadedFile:
    """A filled circle; outside it the background is transparent (or opaque white when not ``transparent``)."""
    background = (255, 255, 255, 0 if transparent else 255)
    image = Image.new("RGBA", size, background)
    ImageDraw.Draw(image).ellipse((10, 10, size[0] - 10, size[1] - 10), fill=(30, 90, 200, 255))
    if mode != "RGBA":
        image = image.convert(mode)
    out = BytesIO()
    image.save(out, format=fmt)
    return SimpleUploadedFile(f"avatar.{fmt.lower()}", out.getvalue(), content_type=f"image/{fmt.lower()}")


def new_member(team, **overrides) -> NewTeamMember:
    values = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "Grace.Hopper@Example.com",
        "company_role": "Product Engineer",
        "start_date": date(2026, 1, 5),
        "location": "Arlington, VA",
        "country": "US",
        "team": team,
        "pronouns": "she/her",
    }
    return NewTeamMember(**{**values, **overrides})


def counts():
    return User.objects.count(), Profile.objects.count(), CommunityImage.objects.count()


def media_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] if settings.MEDIA_ROOT.exists() else []


def link_in(message) -> str:
    return re.search(r"https?://\S+/password_reset/confirm/\S+/", message.body).group(0)


def test_one_call_makes_the_account_profile_membership_and_role(django_capture_on_commit_callbacks):
    team = factories.TeamFactory(name="Website")
    with django_capture_on_commit_callbacks(execute=True):
        profile = add_team_member(new_member(team), avatar=avatar_png())
    user = profile.user
    assert user.email == "grace.hopper@example.com" and user.username == "grace.hopper"
    assert not user.has_usable_password()
    assert user.groups.filter(name=MODERATORS).exists()
    assert (profile.first_name, profile.last_name, profile.company_role) == ("Grace", "Hopper", "Product Engineer")
    assert (profile.location, profile.country, profile.pronouns) == ("Arlington, VA", "US", "she/her")
    assert profile.start_date == date(2026, 1, 5) and profile.email == "grace.hopper@example.com"
    assert list(profile.teams.all()) == [team] and not profile.lead_teams.exists()
    assert profile.avatar.width == 300 and profile.avatar.title == "Grace Hopper"
    assert profile.is_team_member
    [message] = mail.outbox
    assert message.to == ["grace.hopper@example.com"] and "choose your password" in message.subject
    assert "grace.hopper" in message.body


def test_the_emailed_link_sets_the_password_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profile = add_team_member(new_member(factories.TeamFactory()))
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and b"new_password1" in form_page.content
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    profile.user.refresh_from_db()
    assert profile.user.check_password(NEW_PASSWORD)
    assert client.login(username="grace.hopper", password=NEW_PASSWORD)
    # The admin opens for the new moderator.
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    client.logout()
    again = client.get(link, follow=True)
    assert b"new_password1" not in again.content  # a used link no longer works


def test_a_lead_is_member_and_lead(django_capture_on_commit_callbacks):
    team = factories.TeamFactory()
    profile = add_team_member(new_member(team, lead=True))
    assert list(profile.teams.all()) == [team] and list(profile.lead_teams.all()) == [team]


def test_an_unclaimed_profile_for_the_email_is_claimed_not_duplicated():
    existing = factories.ProfileFactory(email="grace.hopper@example.com", first_name="G", biography="Compilers.")
    profile = add_team_member(new_member(factories.TeamFactory()))
    assert profile.pk == existing.pk and Profile.objects.count() == 1
    profile.refresh_from_db()
    assert profile.first_name == "Grace" and profile.biography == "Compilers." and profile.user is not None


def test_an_email_with_an_account_is_refused_and_nothing_is_written(settings):
    factories.UserFactory(username="grace", email="grace.hopper@example.com")
    before = counts()
    with pytest.raises(OnboardingError) as refused:
        add_team_member(new_member(factories.TeamFactory()), avatar=avatar_png())
    assert refused.value.field == "email" and "already exists (username grace)" in str(refused.value)
    assert counts() == before and media_files(settings) == [] and mail.outbox == []


def test_an_invalid_field_rolls_the_account_back():
    before = counts()
    with pytest.raises(OnboardingError) as refused:
        add_team_member(new_member(factories.TeamFactory(), country="UK"))
    assert refused.value.field == "country" and '"GB"' in str(refused.value)
    assert counts() == before and mail.outbox == []


def test_usernames_stay_unique():
    factories.UserFactory(username="grace.hopper", email="someone@else.org")
    profile = add_team_member(new_member(factories.TeamFactory()))
    assert profile.user.username == "grace.hopper2"


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (lambda: avatar_png(fmt="JPEG", mode="RGB"), ["must be a PNG file; this one is JPEG"]),
        (lambda: avatar_png(size=(400, 300)), ["must be square; this one is 400 × 300 pixels"]),
        (lambda: avatar_png(transparent=False), ["every pixel of this PNG is opaque"]),
        (lambda: avatar_png(mode="RGB"), ["no transparency (no alpha channel)"]),
        (lambda: avatar_png(size=(128, 128)), ["at least 256 × 256 pixels; this one is 128 × 128"]),
        (
            lambda: avatar_png(size=(200, 100), transparent=False),
            ["must be square; this one is 200 × 100", "at least 256 × 256", "every pixel of this PNG is opaque"],
        ),
    ],
)
def test_a_bad_avatar_says_what_is_wrong_and_nothing_is_written(upload, expected, settings):
    before = counts()
    with pytest.raises(OnboardingError) as refused:
        add_team_member(new_member(factories.TeamFactory()), avatar=upload())
    assert refused.value.field == "avatar"
    for words in expected:
        assert words in str(refused.value)
    assert counts() == before and media_files(settings) == []


def test_a_good_avatar_has_no_problems():
    assert avatar_problems(avatar_png()) == []
    assert avatar_problems(avatar_png(mode="LA")) == []


def test_a_file_that_is_not_an_image_is_refused():
    fake = SimpleUploadedFile("avatar.png", b"not a png at all", content_type="image/png")
    with pytest.raises(OnboardingError) as refused:
        add_team_member(new_member(factories.TeamFactory()), avatar=fake)
    assert refused.value.field == "avatar"
    assert User.objects.count() == 0


def test_a_failure_after_the_avatar_was_stored_leaves_no_rows_and_no_files(monkeypatch, settings):
    def broken_log(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr("plugins.accounts.onboarding.log", broken_log)
    before = counts()
    with pytest.raises(RuntimeError):
        add_team_member(new_member(factories.TeamFactory()), avatar=avatar_png())
    assert counts() == before and media_files(settings) == [] and mail.outbox == []


def test_the_set_password_email_can_be_sent_again_until_a_password_is_set(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profile = add_team_member(new_member(factories.TeamFactory()))
    resend_set_password_email(profile)
    assert len(mail.outbox) == 2 and link_in(mail.outbox[1])
    profile.user.set_password(NEW_PASSWORD)
    profile.user.save()
    with pytest.raises(OnboardingError, match="already set a password"):
        resend_set_password_email(profile)
    with pytest.raises(OnboardingError, match="no account"):
        resend_set_password_email(factories.ProfileFactory())
    assert len(mail.outbox) == 2
