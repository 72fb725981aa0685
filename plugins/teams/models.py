"""Small teams: the team page and the job listings are generated from them."""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact, GreaterThan, LessThan
from wagtail.fields import RichTextField

from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.preview import SitePreviewMixin
from plugins.core.shared_cache import SharedCache
from plugins.core.slugs import AutoSlugMixin
from plugins.core.text import long_text
from plugins.teams.pineapple import AGAINST, IN_FAVOUR, SPLIT, UNDECIDED, PineappleVerdict

IMAGE_MODEL = "assets.CommunityImage"


class TeamQuerySet(models.QuerySet):
    def with_pineapple_counts(self):
        """Annotate each team with its members' pineapple answers, in the same query.

        Sub-queries rather than a join, so that the counts stay right when the query is also
        joined through the same membership table (a prefetch of a profile's teams).
        """
        return self.annotate(pineapple_yes=self._answers_of(True), pineapple_no=self._answers_of(False))

    @staticmethod
    def _answers_of(answer: bool):
        """The number of a team's members who answered ``answer``, as a sub-query of the team row."""
        memberships = Team.profiles.through.objects.filter(team_id=OuterRef("pk"), profile__pineapple_on_pizza=answer)
        counted = memberships.values("team_id").annotate(n=Count("*")).values("n")
        return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def pineapple_verdict_expression():
    """A team's verdict as the database computes it (``PineappleVerdict.verdict``), for filters and sort."""
    yes, no = TeamQuerySet._answers_of(True), TeamQuerySet._answers_of(False)
    return models.Case(
        models.When(models.Q(Exact(yes + no, 0)), then=models.Value(UNDECIDED)),
        models.When(models.Q(GreaterThan(yes, no)), then=models.Value(IN_FAVOUR)),
        models.When(models.Q(LessThan(yes, no)), then=models.Value(AGAINST)),
        default=models.Value(SPLIT),
        output_field=models.CharField(),
    )


def pineapple_share_expression():
    """The share of answering members in favour (``PineappleVerdict.share_in_favour``), None if nobody did."""
    yes, no = TeamQuerySet._answers_of(True), TeamQuerySet._answers_of(False)
    answered = models.ExpressionWrapper(yes + no, output_field=models.FloatField())
    return models.Case(
        models.When(models.Q(Exact(yes + no, 0)), then=models.Value(None)),
        default=models.ExpressionWrapper(Cast(yes, models.FloatField()) / answered, output_field=models.FloatField()),
        output_field=models.FloatField(),
    )


# Counting every member's answer is the costliest part of reading teams, and the answers change
# rarely: counts are kept in the shared cache, and forgotten at once — in every process — when a
# membership or an answer changes.
PINEAPPLE_CACHE_SECONDS = 300
_pineapple_counts = SharedCache("pineapple-counts", PINEAPPLE_CACHE_SECONDS)


def forget_pineapple_counts() -> None:
    """Drop the kept counts; called when a membership or an answer changes."""
    _pineapple_counts.forget()


def _count_pineapple_answers(team_ids: set) -> dict[int, tuple[int, int]]:
    rows = (
        Team.profiles.through.objects.filter(team_id__in=team_ids)
        .values("team_id")
        .annotate(
            yes=Count("pk", filter=Q(profile__pineapple_on_pizza=True)),
            no=Count("pk", filter=Q(profile__pineapple_on_pizza=False)),
        )
    )
    return {row["team_id"]: (row["yes"], row["no"]) for row in rows}


def load_pineapple_counts(teams) -> None:
    """Set each team's pineapple answer counts, with one grouped query for those not kept."""
    pending = [team for team in teams if not hasattr(team, "pineapple_yes")]
    if not pending:
        return
    counts = _pineapple_counts.get_many({team.pk for team in pending}, _count_pineapple_answers, default=(0, 0))
    for team in pending:
        team.pineapple_yes, team.pineapple_no = counts[team.pk]


class Team(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, SitePreviewMixin, models.Model):
    slug_source = "name"
    site_page_label = "Team page"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text="Left empty, it is made from the name.")
    tagline = models.CharField(max_length=255, blank=True)
    description = RichTextField(blank=True, validators=[long_text])
    crest = models.ForeignKey(IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mini_crest = models.ForeignKey(IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The Strapi schema has a `teamImage` component (image + caption); here it is two fields that
    # the API groups back into one object.
    team_image = models.ForeignKey(IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team_image_caption = models.CharField(max_length=255, blank=True)
    crest_options = models.JSONField(
        default=dict,
        blank=True,
        help_text="How the site draws the crest: textColor, textShadow, fontSize, frame, frameColor, plaque, "
        "plaqueColor, imageScale, imageXOffset, imageYOffset.",
    )
    emojis = models.CharField(max_length=64, blank=True, help_text="A few emoji that sum the team up.")
    display_order = models.IntegerField(default=0, db_index=True)
    # Where the team hears of new questions in the topics it follows (``Topic.team_subscribers``);
    # private: moderators set it, the public never reads it.
    slack_channel = models.CharField(max_length=80, blank=True, help_text="e.g. #team-growth. Private.")

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = "small team"
        verbose_name_plural = "small teams"

    def __str__(self):
        return self.name

    def pineapple(self) -> PineappleVerdict:
        """The team's verdict; uses the annotations of ``with_pineapple_counts`` when present."""
        if hasattr(self, "pineapple_yes"):
            return PineappleVerdict(in_favour=self.pineapple_yes, against=self.pineapple_no)
        counts = self.profiles.aggregate(
            yes=Count("pk", filter=Q(pineapple_on_pizza=True)),
            no=Count("pk", filter=Q(pineapple_on_pizza=False)),
        )
        return PineappleVerdict(in_favour=counts["yes"], against=counts["no"])
