"""Adding a team member in one step: account, profile, team membership, avatar and a set-password e-mail.

This replaces the handbook's manual steps (create the user, find or create the profile, fill in
the team fields, add them to the team, upload the avatar, tell them how to sign in). Either all of
it happens or none of it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.log_actions import log

from plugins.accounts.policy import Actor
from plugins.assets.avatars import check_team_avatar
from plugins.assets.collections import AVATARS
from plugins.assets.models import CommunityImage
from plugins.assets.services import ImageRejected, store_image
from plugins.core.errors import Invalid
from plugins.notifications.email import send_email
from plugins.profiles.models import Profile
from plugins.profiles.services import claim_or_create_profile
from plugins.teams.models import Team
from plugins.teams.services import check_membership_change

User = get_user_model()

USERNAME_UNSAFE = re.compile(r"[^\w.+-]")


class OnboardingError(Invalid):
    """The team member cannot be added as asked; ``field`` names the form field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


@dataclass(frozen=True)
class NewTeamMember:
    first_name: str
    last_name: str
    email: str
    company_role: str
    start_date: date
    location: str
    country: str
    team: Team
    pronouns: str = ""
    lead: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def add_team_member(new: NewTeamMember, *, avatar=None, added_by=None) -> Profile:
    """Create the account (unusable password), its profile and team membership, and e-mail a set-password link.

    An unclaimed profile already made for the e-mail (say, from the community) is claimed and
    filled in rather than duplicated. Joining the team gives the account the Moderators role
    through the membership signals. Raises ``OnboardingError`` before writing anything when the
    input is wrong: an e-mail that already has an account, an invalid field, a bad avatar.
    """
    if added_by is not None:
        check_membership_change(Actor.of(added_by), {new.team.pk})
    email = new.email.strip().lower()
    _refuse_existing_account(email)
    if avatar is not None:
        try:
            check_team_avatar(avatar)
        except ImageRejected as error:
            raise OnboardingError(str(error), "avatar") from None
    with transaction.atomic():
        user = User(username=_unique_username(email), email=email, first_name=new.first_name, last_name=new.last_name)
        user.set_unusable_password()
        user.save()
        profile = claim_or_create_profile(user, vouched=True)
        _fill_in(profile, new, email)
        image = None
        if avatar is not None:
            image = store_image(avatar, title=new.full_name, alt_text=new.full_name, user=added_by, collection=AVATARS)
        try:
            profile.avatar = image or profile.avatar
            profile.save()
            profile.teams.add(new.team)
            if new.lead:
                profile.lead_teams.add(new.team)
            log(profile, "community.team_member.add", user=added_by, data={"team": new.team.name})
        except Exception:
            _delete_files(image)  # the rows roll back; the stored files would not
            raise
        transaction.on_commit(lambda: send_set_password_email(user))
    return profile


def resend_set_password_email(profile: Profile) -> None:
    """E-mail the profile's account a fresh set-password link, while it has not set a password yet."""
    user = profile.user
    if user is None:
        raise OnboardingError("This profile has no account to send a link to.")
    if user.has_usable_password():
        raise OnboardingError(f"{user.email} has already set a password; they can use “Forgot password?”.")
    send_set_password_email(user)


def send_set_password_email(user) -> None:
    """Queue the e-mail that welcomes a new team member and links to the admin's set-password form."""
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    name = user.first_name or user.username
    text = (
        f"Hello {name},\n\n"
        f"Welcome to the team! An account has been made for you on {settings.SITE_NAME}'s community CMS.\n\n"
        f"Choose your password here (the link works for {days} day{'s' if days != 1 else ''}):\n"
        f"{set_password_link(user)}\n\n"
        f"Then sign in at {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{reverse('wagtailadmin_login')} "
        f"with your username {user.username} or this e-mail address.\n"
    )
    send_email.enqueue(user.email, f"Welcome to {settings.SITE_NAME}: choose your password", text)


def set_password_link(user) -> str:
    """The admin's set-password page for ``user``, with a token that stops working once a password is set."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _refuse_existing_account(email: str) -> None:
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        raise OnboardingError(
            f"An account with this e-mail already exists (username {existing.username}). "
            "Add them to the team from their profile instead.",
            "email",
        )


def _fill_in(profile: Profile, new: NewTeamMember, email: str) -> None:
    profile.email = email
    profile.first_name = new.first_name
    profile.last_name = new.last_name
    profile.pronouns = new.pronouns or profile.pronouns
    profile.company_role = new.company_role
    profile.start_date = new.start_date
    profile.location = new.location
    profile.country = new.country
    try:
        profile.full_clean(exclude=["user", "avatar"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise OnboardingError(" ".join(messages), field) from None


def _unique_username(email: str) -> str:
    base = USERNAME_UNSAFE.sub("", email.partition("@")[0])[:140] or "member"
    candidate, suffix = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate


def _delete_files(image: CommunityImage | None) -> None:
    if image is None:
        return
    for rendition in image.renditions.all():
        rendition.file.delete(save=False)
    image.file.delete(save=False)
