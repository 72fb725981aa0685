"""Admin for community profiles."""

from django import forms
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.functional import cached_property
from django_filters import BooleanFilter, ModelMultipleChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView

from plugins.accounts.policy import Actor
from plugins.assets.collections import AVATARS
from plugins.core.countries import country_choices
from plugins.profiles.models import Profile
from plugins.teams.models import Team
from plugins.teams.services import check_profile_change
from snippets.errors import REFUSED, show_refusal
from snippets.images import CollectionImageChooser
from snippets.lists import CommunityIndexView, CommunitySnippetViewSet
from snippets.onboarding import add_team_member_button, set_password_email_button
from snippets.people import request_actor
from snippets.site_preview import ChoicesPreviewed

COUNTRY_SELECT = forms.Select(choices=[("", "---------"), *country_choices()])


class ProfileFilterSet(WagtailFilterSet):
    team_member = BooleanFilter(label="Team member", method="filter_team_member")
    teams = ModelMultipleChoiceFilter(queryset=Team.objects.all(), label="Small team")

    class Meta:
        model = Profile
        fields = ["teams", "country", "pineapple_on_pizza"]

    def filter_team_member(self, queryset, name, value):
        members = Profile.objects.team_members().values("pk")
        return queryset.filter(pk__in=members) if value else queryset.exclude(pk__in=members)


def moderation_button(profile, actor: Actor) -> list[Button]:
    """'Achievements and points' for those who may assign and gift."""
    if not actor.moderates:
        return []
    url = reverse("community_profile_moderation", args=[profile.pk])
    return [Button("Achievements and points", url=url, icon_name="pick", priority=5)]


class ProfileForm(ChoicesPreviewed):
    """The profile form; who is on a small team is changed only by editors and that team's own leads."""

    def clean(self):
        cleaned = super().clean()
        teams = {f: [team.pk for team in cleaned[f]] for f in ("teams", "lead_teams") if f in cleaned}
        try:
            check_profile_change(
                Actor.of(self.for_user),
                self.instance,
                teams=teams.get("teams"),
                lead_teams=teams.get("lead_teams"),
                email=cleaned.get("email") if "email" in self.changed_data else None,
            )
        except REFUSED as error:
            show_refusal(error, form=self)
        return cleaned


class ProfileIndexView(CommunityIndexView):
    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, *add_team_member_button(self.request.user)]

    def get_list_more_buttons(self, instance):
        actor = request_actor(self.request)  # one for the page: each row asking again would read the groups again
        return [*moderation_button(instance, actor), *super().get_list_more_buttons(instance)]


class ProfileEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        user = self.request.user
        return [
            *moderation_button(self.object, Actor.of(user)),
            *set_password_email_button(self.object, user),
            *super().header_more_buttons,
        ]


class ProfileViewSet(CommunitySnippetViewSet):
    # The admin searches the database directly: fresh at once, whether or not a task worker has indexed yet.
    search_backend_name = None
    model = Profile
    index_view_class = ProfileIndexView
    edit_view_class = ProfileEditView
    icon = "user"
    menu_label = "Profiles"
    add_to_admin_menu = False
    list_display = ["__str__", "company_role", "location", "country", BooleanColumn("has_account", label="Account")]
    list_export = ["document_id", "first_name", "last_name", "company_role", "location", "country", "start_date"]
    filterset_class = ProfileFilterSet
    # The username too: a member without a name is shown by it (``Profile.name_for_staff``), so it is looked for.
    search_fields = ["search_name", "user__username", "email", "company", "location", "github"]
    ordering = ["first_name", "last_name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "document_id",
        "user",
        "first_name",
        "last_name",
        "pronouns",
        "email",
        "biography",
        "avatar",
        "company",
        "company_role",
        "website",
        "github",
        "linkedin",
        "twitter",
        "start_date",
        "location",
        "country",
        "teams",
        "lead_teams",
        "pineapple_on_pizza",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name"), FieldPanel("pronouns")]),
                    FieldPanel("avatar", widget=CollectionImageChooser(AVATARS)),
                    FieldPanel("biography"),
                    FieldRowPanel([FieldPanel("company"), FieldPanel("company_role")]),
                    FieldPanel("color"),
                ],
                heading="Profile",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("website"),
                    FieldRowPanel([FieldPanel("github"), FieldPanel("twitter")]),
                    FieldPanel("linkedin"),
                ],
                heading="Links",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("start_date"), FieldPanel("location"), FieldPanel("country", widget=COUNTRY_SELECT)]
                    ),
                    FieldPanel("teams", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("lead_teams", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("pineapple_on_pizza", widget=forms.RadioSelect),
                ],
                heading="Team member",
            ),
            MultiFieldPanel([FieldPanel("email")], heading="Private"),
        ],
        base_form_class=ProfileForm,
    )

    def get_queryset(self, request):
        return Profile.objects.annotate(
            has_account=ExpressionWrapper(Q(user__isnull=False), output_field=BooleanField()),
            # So that a search for "Ada Lovelace" finds her: the name fields one by one would not.
            search_name=Concat("first_name", Value(" "), "last_name"),
        )
