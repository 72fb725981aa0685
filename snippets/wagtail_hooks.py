"""Registers every content type as a snippet, grouped under one "Community" menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from snippets.achievements import AchievementGroupViewSet, AchievementViewSet
from snippets.jobs import JobListingViewSet
from snippets.profiles import ProfileViewSet
from snippets.rewards import RewardProductViewSet
from snippets.teams import TeamViewSet


class CommunityGroup(SnippetViewSetGroup):
    menu_label = "Community"
    menu_icon = "group"
    menu_order = 150
    items = (
        ProfileViewSet,
        TeamViewSet,
        JobListingViewSet,
        AchievementViewSet,
        AchievementGroupViewSet,
        RewardProductViewSet,
    )


register_snippet(CommunityGroup)
