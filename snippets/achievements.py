"""Admin for achievements and their groups."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import LiveStatusTagColumn

from plugins.achievements.models import Achievement, AchievementGroup
from snippets.lists import CommunitySnippetViewSet


class AchievementGroupViewSet(CommunitySnippetViewSet):
    model = AchievementGroup
    icon = "folder-open-inverse"
    menu_label = "Achievement groups"
    add_to_admin_menu = False
    list_display = ["name", "slug", "tiered"]
    list_filter = ["tiered"]
    search_fields = ["name", "slug"]
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldPanel("icon"),
        FieldPanel("tiered"),
    ]


class AchievementViewSet(CommunitySnippetViewSet):
    model = Achievement
    icon = "pick"
    menu_label = "Achievements"
    add_to_admin_menu = False
    list_display = ["title", "points", "group", "tier", "trigger", "threshold", LiveStatusTagColumn()]
    list_filter = ["group", "trigger", "repeatable", "live"]
    search_fields = ["title", "slug", "description"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "document_id",
        "title",
        "slug",
        "description",
        "icon",
        "points",
        "group",
        "tier",
        "trigger",
        "threshold",
        "repeatable",
    ]
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("points"), FieldPanel("icon")]),
        FieldRowPanel([FieldPanel("group"), FieldPanel("tier")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("trigger"), FieldPanel("threshold")]), FieldPanel("repeatable")],
            heading="How it is earned",
        ),
    ]
