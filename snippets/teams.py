"""Admin for small teams, and the team's members page where editors and the team's leads say who is on it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.admin.widgets.button import Button
from wagtail.images import get_image_model
from wagtail.snippets.views.snippets import EditView, InspectView
from wagtail.snippets.widgets import AdminSnippetChooser

from plugins.accounts.policy import Actor
from plugins.assets.collections import CRESTS
from plugins.profiles.models import Profile
from plugins.profiles.services import set_team_membership
from plugins.teams.models import Team
from snippets.errors import REFUSED, show_refusal
from snippets.images import CollectionImageChooser
from snippets.lists import CommunityIndexView, CommunitySnippetViewSet

# The thumbnail the member rows draw (community_admin/includes/team_member_rows.html), fetched with them.
AVATAR = "fill-64x64"


def members_of(team: Team):
    """The team's members and leads (a lead is on it even when not also listed as a member), leads first,
    each with ``leads`` set and their avatar's thumbnail fetched with them."""
    members = Profile.teams.through.objects.filter(team_id=team.pk).values("profile_id")
    leading = Profile.lead_teams.through.objects.filter(team_id=team.pk)
    avatars = get_image_model().objects.prefetch_renditions(AVATAR)
    return (
        Profile.objects.filter(Q(pk__in=members) | Q(pk__in=leading.values("profile_id")))
        .annotate(leads=Exists(leading.filter(profile_id=OuterRef("pk"))))
        .select_related(*Profile.str_relations)  # what each name reads beyond its row
        .prefetch_related(Prefetch("avatar", queryset=avatars))
        .order_by("-leads", "first_name", "last_name", "pk")
    )


def members_button(team) -> Button:
    return Button("Members", url=reverse("community_team_members", args=[team.pk]), icon_name="group", priority=5)


MEMBERS_TEMPLATE = "community_admin/team_members_panel.html"


def members_context(team) -> dict:
    """What the team's members look like on its edit and inspect pages, with the way to the page that changes them."""
    return {"team": team, "members": members_of(team), "members_url": reverse("community_team_members", args=[team.pk])}


class MembersPanel(Panel):
    """The team's members on its edit page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = MEMBERS_TEMPLATE

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            return {**super().get_context_data(parent_context), **members_context(self.instance)}


class MembersComponent(Component):
    """The team's members on its inspect page (where a lead, who may not edit the team, lands)."""

    template_name = MEMBERS_TEMPLATE

    def __init__(self, team):
        self.team = team

    def get_context_data(self, parent_context):
        return members_context(self.team)


class TeamIndexView(CommunityIndexView):
    def get_list_more_buttons(self, instance):
        return [members_button(instance), *super().get_list_more_buttons(instance)]


class TeamEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [members_button(self.object), *super().header_more_buttons]


class TeamInspectView(InspectView):
    @cached_property
    def header_more_buttons(self):
        return [members_button(self.object), *super().header_more_buttons]

    def get_field_label(self, field_name, field):
        return "Members" if field_name == "profiles" else super().get_field_label(field_name, field)

    def get_profiles_display_value(self):
        return MembersComponent(self.object)


class TeamViewSet(CommunitySnippetViewSet):
    model = Team
    index_view_class = TeamIndexView
    edit_view_class = TeamEditView
    inspect_view_class = TeamInspectView
    icon = "group"
    menu_label = "Small teams"
    add_to_admin_menu = False
    list_display = [
        "name",
        "tagline",
        Column("member_count", label="Members"),
        Column("pineapple_label", label="Pineapple on pizza", accessor=lambda team: team.pineapple().label),
        LiveStatusTagColumn(),
    ]
    list_filter = ["live"]
    search_fields = ["name", "slug", "tagline"]
    sort_order_field = "display_order"
    inspect_view_enabled = True
    inspect_view_fields = [
        "document_id",
        "name",
        "slug",
        "tagline",
        "description",
        "crest",
        "mini_crest",
        "team_image",
        "team_image_caption",
        "emojis",
        "profiles",
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("tagline"),
        FieldPanel("description"),
        FieldPanel("emojis"),
        FieldRowPanel(
            [
                FieldPanel("crest", widget=CollectionImageChooser(CRESTS)),
                FieldPanel("mini_crest", widget=CollectionImageChooser(CRESTS)),
            ]
        ),
        MultiFieldPanel([FieldPanel("team_image"), FieldPanel("team_image_caption")], heading="Team image"),
        MembersPanel(heading="Members"),
    ]

    def get_queryset(self, request):
        return Team.objects.with_pineapple_counts().annotate(member_count=Count("profiles", distinct=True))


class AddMemberForm(forms.Form):
    profile = forms.ModelChoiceField(
        queryset=Profile.objects.all(), widget=AdminSnippetChooser(Profile), label="Person"
    )
    lead = forms.BooleanField(required=False, label="Leads the team")


# What each button on a member's row asks for: (stays a member, leads).
ROW_ACTIONS = {"remove": (False, False), "lead": (True, True), "unlead": (True, False)}


def team_members_page(request, pk):
    """The team's members and leads; POST ``action`` = add (the form), or remove / lead / unlead ``profile``.

    Everyone who may look at teams sees who is on it; editors and the team's own leads change it.
    """
    actor = Actor.of(request.user)
    if not actor.moderates:
        raise PermissionDenied
    team = get_object_or_404(Team, pk=pk)
    add_form = AddMemberForm(prefix="add")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = AddMemberForm(request.POST, prefix="add")
                if add_form.is_valid():
                    person, lead = add_form.cleaned_data["profile"], add_form.cleaned_data["lead"]
                    set_team_membership(actor, team, person, member=True, lead=lead)
                    messages.success(request, f"{person} is on {team}{' and leads it' if lead else ''}.")
                    return redirect("community_team_members", pk=pk)
            elif action in ROW_ACTIONS:
                chosen = request.POST.get("profile", "")
                person = get_object_or_404(members_of(team), pk=chosen if chosen.isdigit() else None)
                member, lead = ROW_ACTIONS[action]
                set_team_membership(actor, team, person, member=member, lead=lead)
                done = {"remove": "is no longer on", "lead": "now leads", "unlead": "no longer leads"}[action]
                messages.success(request, f"{person} {done} {team}.")
                return redirect("community_team_members", pk=pk)
            else:
                messages.error(request, "Unknown action.")
        except REFUSED as error:
            show_refusal(error, request=request)
    context = {
        "team": team,
        "members": members_of(team),
        "may_change": actor.may_change_team_membership({team.pk}),
        "add_form": add_form,
        "add_label": f"Add to {team}",
        "remove_label": f"Remove from {team}",
        "page_title": f"Members of {team}",
        "header_icon": "group",
        "team_url": reverse(
            "wagtailsnippets_teams_team:edit" if actor.is_editor else "wagtailsnippets_teams_team:inspect", args=[pk]
        ),
    }
    return TemplateResponse(request, "community_admin/team_members.html", context)
