"""Registers every content type as a snippet, grouped under one "Community" menu."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from plugins.accounts.policy import Actor
from plugins.core.preview import SERVE_SITE_PREVIEW_HOOK
from snippets import log_actions as community_log_actions
from snippets.achievements import AchievementGroupViewSet, AchievementViewSet
from snippets.api_admin import ApiTokenViewSet, role_permissions
from snippets.bulk_actions import AssignAchievementBulkAction
from snippets.dashboard import add_community_dashboard
from snippets.forum import ForumGroup
from snippets.jobs import JobListingViewSet
from snippets.moderation import profile_moderation
from snippets.onboarding import add_team_member_page, resend_set_password_page
from snippets.profiles import ProfileViewSet
from snippets.redemptions import RedemptionViewSet, redemption_page
from snippets.rewards import RewardProductViewSet, restock_page
from snippets.roadmap import RoadmapItemViewSet, TeamUpdateViewSet
from snippets.site_builds import SiteBuildViewSet, build_site_page
from snippets.site_preview import serve_site_preview, site_preview_asset
from snippets.teams import TeamViewSet, team_members_page
from snippets.webhooks import WebhookDeliveryViewSet, WebhookViewSet, send_again_page


class CommunityGroup(SnippetViewSetGroup):
    menu_label = "Community"
    menu_icon = "globe"
    menu_order = 150
    items = (
        ProfileViewSet,
        TeamViewSet,
        JobListingViewSet,
        AchievementViewSet,
        AchievementGroupViewSet,
        RewardProductViewSet,
        RedemptionViewSet,
        RoadmapItemViewSet,
        TeamUpdateViewSet,
    )


register_snippet(CommunityGroup)
register_snippet(ForumGroup)


@hooks.register("register_admin_viewset")
def register_api_tokens():
    return ApiTokenViewSet("api_tokens")


@hooks.register("register_admin_viewset")
def register_webhooks():
    return [WebhookViewSet("webhooks"), WebhookDeliveryViewSet("webhook_deliveries"), SiteBuildViewSet("site_builds")]


@hooks.register("register_admin_urls")
def register_community_urls():
    return [
        path("api-permissions/", role_permissions, name="community_api_permissions"),
        path("community/profiles/<int:pk>/moderation/", profile_moderation, name="community_profile_moderation"),
        path("community/team-members/add/", add_team_member_page, name="community_add_team_member"),
        path(
            "community/profiles/<int:pk>/set-password-email/",
            resend_set_password_page,
            name="community_resend_set_password",
        ),
        path("community/redemptions/<int:pk>/", redemption_page, name="community_redemption"),
        path("community/teams/<int:pk>/members/", team_members_page, name="community_team_members"),
        path("community/reward-products/<int:pk>/restock/", restock_page, name="community_restock"),
        path("webhook-deliveries/<int:pk>/send-again/", send_again_page, name="community_webhook_send_again"),
        path("site-builds/build/", build_site_page, name="community_build_site"),
        path("site-preview/assets/<str:name>", site_preview_asset, name="community_site_preview_asset"),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return Actor.of(request.user).moderates


@hooks.register("register_admin_menu_item")
def register_open_orders_menu_item():
    url = reverse("wagtailsnippets_rewards_redemption:list") + "?status=ordered"
    return ModeratorMenuItem("Open orders", url, icon_name="tasks", order=160)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("api.change_rolepermission")


@hooks.register("register_settings_menu_item")
def register_api_permissions_menu_item():
    return SuperuserMenuItem("API permissions", reverse("community_api_permissions"), icon_name="lock", order=900)


@hooks.register("register_log_actions")
def register_community_log_actions(actions):
    community_log_actions.register(actions)


hooks.register("register_bulk_action", AssignAchievementBulkAction)
hooks.register("construct_homepage_panels", add_community_dashboard)
hooks.register(SERVE_SITE_PREVIEW_HOOK, serve_site_preview)
