"""Community profiles: one per member; team members carry more."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from wagtail.search import index

from plugins.core.countries import validate_country_code
from plugins.core.models import DocumentIdMixin, TimestampedMixin
from plugins.core.preview import SitePreviewMixin
from plugins.core.text import long_text

IMAGE_MODEL = "assets.CommunityImage"

# A member with no name and no username that may be shown (see ``Profile.display_name``).
UNNAMED = "A community member"

PINEAPPLE_CHOICES = [(True, "Yes"), (False, "No"), (None, "Not said")]

hex_color = RegexValidator(r"^[0-9a-fA-F]{6}$", "Enter a colour as six hexadecimal digits, e.g. 1d4aff.")
handle = RegexValidator(r"^[A-Za-z0-9_.-]{1,100}$", "Enter the handle only (letters, digits, _ . -), not a URL.")


class ProfileQuerySet(models.QuerySet):
    def team_members(self, on=None):
        """Profiles on at least one small team whose start date has come (by ``on``, default today)."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on, teams__isnull=False).distinct()


class Profile(index.Indexed, DocumentIdMixin, TimestampedMixin, SitePreviewMixin, models.Model):
    site_page_label = "Profile page"

    # A profile may exist before anyone claims it with an account.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )
    # Private: used to match an account that claims the profile; never public.
    email = models.EmailField(blank=True, db_index=True, help_text="Private. Never shown publicly.")

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    biography = models.TextField(blank=True, help_text="Markdown.", validators=[long_text])
    avatar = models.ForeignKey(IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    website = models.URLField(blank=True)
    github = models.CharField(max_length=100, blank=True, validators=[handle], help_text="GitHub username.")
    linkedin = models.URLField(blank=True)
    twitter = models.CharField(max_length=100, blank=True, validators=[handle], help_text="X / Twitter handle.")
    company = models.CharField(max_length=120, blank=True)
    company_role = models.CharField(max_length=120, blank=True)
    color = models.CharField(max_length=6, blank=True, validators=[hex_color])

    # Team members.
    start_date = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=120, blank=True, help_text='Free text, e.g. "London, UK".')
    country = models.CharField(
        max_length=2, blank=True, validators=[validate_country_code], help_text="ISO 3166-1 alpha-2 code, e.g. GB."
    )
    teams = models.ManyToManyField("teams.Team", blank=True, related_name="profiles")
    lead_teams = models.ManyToManyField("teams.Team", blank=True, related_name="lead_profiles")
    pineapple_on_pizza = models.BooleanField(null=True, blank=True, choices=PINEAPPLE_CHOICES, default=None)
    # The member takes questions on their profile page ("Ask me anything").
    ama_enabled = models.BooleanField(default=False)
    # What people said about working with them, shown on the team page: [{"quote": …, "name": …}].
    quotes = models.JSONField(default=list, blank=True)
    # A moderator blocked the member: their posts are hidden and they cannot post (profiles.services.block_member).
    blocked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProfileQuerySet.as_manager()

    # Public fields only: the private e-mail is never indexed, so search cannot reveal it.
    search_fields = [
        index.SearchField("first_name", boost=3),
        index.SearchField("last_name", boost=3),
        index.AutocompleteField("first_name"),
        index.AutocompleteField("last_name"),
        index.SearchField("biography"),
        index.SearchField("company"),
        index.SearchField("company_role"),
        index.SearchField("github"),
        index.SearchField("location"),
    ]

    class Meta:
        ordering = ["first_name", "last_name", "pk"]
        verbose_name = "community profile"
        verbose_name_plural = "community profiles"
        # Whether a member is blocked, beside the key (PostgreSQL): every public post list joins it, and reads it
        # from the index alone.
        indexes = [models.Index(fields=["id"], include=["blocked_at"], name="profile_blocked")]

    # What ``__str__`` reads beyond the row: lists showing profiles load it with them (``snippets.lists``).
    str_relations = ("user",)

    def __str__(self):
        # The admin's name for the profile: only editors and moderators read it there.
        return self.name_for_staff

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The account the row had when loaded: moving a profile to another account moves roles too.
        instance._loaded_user_id = instance.__dict__.get("user_id")
        instance._loaded_avatar_id = instance.__dict__.get("avatar_id")  # a new avatar moves to Avatars
        return instance

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def display_name(self) -> str:
        """The name other members see: the full name, else the username unless it is an e-mail address
        (on posthog.com it is, and e-mail addresses are private), else "A community member"."""
        username = self.user.get_username() if self.user_id else ""
        if username and "@" in username:
            username = ""
        return self.full_name or username or UNNAMED

    @property
    def name_for_staff(self) -> str:
        """The name editors and moderators see: the full name, else the username, else the private e-mail
        (they may read it), else "Unclaimed profile" (one made for nobody yet)."""
        username = self.user.get_username() if self.user_id else ""
        return self.full_name or username or self.email or "Unclaimed profile"

    @property
    def is_team_member(self) -> bool:
        """On a small team with a start date that has come."""
        return bool(self.start_date and self.start_date <= timezone.localdate() and self.teams.exists())
