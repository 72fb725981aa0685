"""Admin for small teams."""

from django.db.models import Count
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn

from plugins.assets.collections import CRESTS
from plugins.teams.models import Team
from snippets.images import CollectionImageChooser
from snippets.lists import CommunitySnippetViewSet


class TeamViewSet(CommunitySnippetViewSet):
    model = Team
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
    ]

    def get_queryset(self, request):
        return Team.objects.with_pineapple_counts().annotate(member_count=Count("profiles", distinct=True))
