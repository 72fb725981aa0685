"""Admin for achievements and their groups."""

import json

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import LiveStatusTagColumn

from plugins.achievements.models import Achievement, AchievementGroup
from plugins.assets.collections import ICONS
from snippets.images import CollectionImageChooser
from snippets.lists import CommunitySnippetViewSet


class AchievementGroupViewSet(CommunitySnippetViewSet):
    model = AchievementGroup
    icon = "folder-inverse"
    menu_label = "Achievement groups"
    add_to_admin_menu = False
    list_display = ["name", "slug", "tiered"]
    list_filter = ["tiered"]
    search_fields = ["name", "slug"]
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldPanel("icon", widget=CollectionImageChooser(ICONS)),
        FieldPanel("tiered"),
    ]


class AchievementForm(WagtailAdminModelForm):
    """The group select says which groups are tiered, and the tier select is enabled only for those.

    Without it an editor learns that a group is tiered only when saving (or autosave) fails on the
    model's rule (``Achievement.clean``); Wagtail's own ``w-rules`` controller enables the field in
    the browser as the group changes, from the tiered groups' ids read here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "group" not in self.fields or "tier" not in self.fields:
            return
        group = self.fields["group"]
        tiered = [str(pk) for pk in group.queryset.filter(tiered=True).values_list("pk", flat=True)]
        group.label_from_instance = lambda g: f"{g} (tiered)" if g.tiered else str(g)
        self.fields["tier"].widget.attrs.update(
            {
                "data-controller": "w-rules",
                "data-action": "change@document->w-rules#resolve",
                "data-w-rules-target": "enable",
                # An empty group never enables it; no tiered group at all, likewise.
                "data-w-rules": json.dumps({"group": tiered or ["-"]}),
            }
        )


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
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("points"), FieldPanel("icon", widget=CollectionImageChooser(ICONS))]),
            # A select rather than a chooser: a handful of groups, each option saying whether it is tiered.
            FieldRowPanel([FieldPanel("group", widget=forms.Select), FieldPanel("tier")]),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("trigger"), FieldPanel("threshold")]), FieldPanel("repeatable")],
                heading="How it is earned",
            ),
        ],
        base_form_class=AchievementForm,
    )
