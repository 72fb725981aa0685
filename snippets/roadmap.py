"""Admin for the public roadmap."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import LiveStatusTagColumn

from plugins.roadmap.models import RoadmapItem, TeamUpdate
from snippets.lists import CommunitySnippetViewSet


class RoadmapItemViewSet(CommunitySnippetViewSet):
    model = RoadmapItem
    icon = "list-ul"
    menu_label = "Roadmap"
    add_to_admin_menu = False
    list_display = ["title", "category", "projected_completion", "complete", LiveStatusTagColumn()]
    list_filter = ["teams", "complete", "milestone", "live"]
    search_fields = ["title", "tagline", "category"]
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("tagline"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("image")]),
        FieldPanel("teams", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("milestone"), FieldPanel("complete"), FieldPanel("beta_available")]),
                FieldRowPanel([FieldPanel("projected_completion"), FieldPanel("date_completed")]),
            ],
            heading="Progress",
        ),
        FieldPanel("github_urls"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("cta_label"), FieldPanel("cta_url")])], heading="Call to action"),
    ]


class TeamUpdateViewSet(CommunitySnippetViewSet):
    model = TeamUpdate
    icon = "date"
    menu_label = "Team updates"
    add_to_admin_menu = False
    list_display = ["team", "roadmap", "question", "thing_of_the_week", "created_at"]
    list_filter = ["team", "thing_of_the_week"]
    search_fields = ["description"]
    panels = [
        FieldPanel("team"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("roadmap"), FieldPanel("question")]),
        FieldPanel("thing_of_the_week"),
    ]
