"""Admin for the public roadmap."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from plugins.roadmap.models import RoadmapItem


class RoadmapItemViewSet(SnippetViewSet):
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
