"""Admin for job listings."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import LiveStatusTagColumn

from plugins.jobs.models import JobListing
from snippets.lists import CommunitySnippetViewSet


class JobListingViewSet(CommunitySnippetViewSet):
    model = JobListing
    icon = "doc-full"
    menu_label = "Job listings"
    add_to_admin_menu = False
    list_display = ["title", "department", "location", "employment_type", "remote", LiveStatusTagColumn()]
    list_filter = ["teams", "employment_type", "remote", "live"]
    search_fields = ["title", "department", "location"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "document_id",
        "title",
        "slug",
        "teams",
        "department",
        "location",
        "remote",
        "employment_type",
        "description",
        "apply_url",
    ]
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("teams", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("department"), FieldPanel("employment_type")]),
                FieldRowPanel([FieldPanel("location"), FieldPanel("remote")]),
            ],
            heading="Role",
        ),
        FieldPanel("description"),
        FieldPanel("apply_url"),
    ]
