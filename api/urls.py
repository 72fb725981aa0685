from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from api import (
    auth_views,
    forum_views,
    me_views,
    moderation_views,
    posthog_views,
    roadmap_views,
    store_views,
    upload_views,
)
from api.views import CollectionView, DocumentView

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:openapi"), name="docs"),
    path("auth/local", auth_views.LocalLoginView.as_view(), name="auth-local"),
    path("auth/local/register", auth_views.RegisterView.as_view(), name="auth-register"),
    path("auth/forgot-password", auth_views.ForgotPasswordView.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", auth_views.ResetPasswordView.as_view(), name="auth-reset-password"),
    path("auth/change-password", auth_views.ChangePasswordView.as_view(), name="auth-change-password"),
    path("users/me", auth_views.MeView.as_view(), name="users-me"),
    path("users/<str:document_id>", auth_views.UserView.as_view(), {"plural": "users"}, name="user"),
    path("users/me/points", me_views.MyPointsView.as_view(), name="users-me-points"),
    path("users/me/dashboard", forum_views.DashboardView.as_view(), name="users-me-dashboard"),
    path("users/me/achievements", me_views.MyAchievementsView.as_view(), name="users-me-achievements"),
    path("upload", upload_views.UploadView.as_view(), name="upload"),
    path("upload/files", upload_views.FileListView.as_view(), name="upload-files"),
    path("upload/files/<str:pk>", upload_views.FileView.as_view(), name="upload-file"),
    path(
        "profiles/<str:document_id>/achievements",
        moderation_views.ProfileAchievementsView.as_view(),
        name="profile-achievements",
    ),
    path(
        "profiles/<str:document_id>/achievements/<str:achievement_id>",
        moderation_views.ProfileAchievementView.as_view(),
        name="profile-achievement",
    ),
    path("profiles/<str:document_id>/points", moderation_views.ProfilePointsView.as_view(), name="profile-points"),
    path("profiles/<str:document_id>/gifts", moderation_views.ProfileGiftsView.as_view(), name="profile-gifts"),
    path(
        "profiles/<str:document_id>/account-credits",
        moderation_views.ProfileAccountCreditsView.as_view(),
        name="profile-account-credits",
    ),
    path("reward-products/<str:document_id>/redeem", store_views.RedeemView.as_view(), name="reward-redeem"),
    path("redemptions", store_views.RedemptionListView.as_view(), name="redemptions"),
    path("redemptions/<str:document_id>", store_views.RedemptionView.as_view(), name="redemption"),
    path("redemptions/<str:document_id>/order", store_views.RedemptionOrderView.as_view(), name="redemption-order"),
    path("redemptions/<str:document_id>/cancel", store_views.RedemptionCancelView.as_view(), name="redemption-cancel"),
    path("redemptions/<str:document_id>/fulfil", store_views.RedemptionFulfilView.as_view(), name="redemption-fulfil"),
    path("search", forum_views.SearchView.as_view(), name="search"),
    path("roadmaps/<str:document_id>/vote", roadmap_views.RoadmapActionView.as_view(), name="roadmap-vote"),
    path("roadmaps/<str:document_id>/subscription", roadmap_views.RoadmapFollowView.as_view(), name="roadmap-follow"),
    path("subscriptions/unsubscribe", forum_views.UnsubscribeView.as_view(), name="unsubscribe"),
    path(
        "questions/<str:document_id>/subscription",
        forum_views.QuestionSubscriptionView.as_view(),
        name="question-subscription",
    ),
    path(
        "topics/<str:document_id>/subscription", forum_views.TopicSubscriptionView.as_view(), name="topic-subscription"
    ),
    path("questions/<str:document_id>/read", forum_views.ReadView.as_view(), name="question-read"),
    path("questions/<str:document_id>/solution", forum_views.SolutionView.as_view(), name="question-solution"),
    path("replies/<str:document_id>/vote", forum_views.VoteView.as_view(), name="reply-vote"),
    path(
        "questions/<str:document_id>/moderation",
        forum_views.QuestionModerationView.as_view(),
        name="question-moderation",
    ),
    path("replies/<str:document_id>/moderation", forum_views.ReplyModerationView.as_view(), name="reply-moderation"),
    # posthog.com's own routes (api.posthog_views).
    path("profile/notifications", posthog_views.NotificationsView.as_view(), name="posthog-notifications"),
    path("profile/block/<str:document_id>", posthog_views.BlockView.as_view(block=True), name="posthog-block"),
    path("profile/unblock/<str:document_id>", posthog_views.BlockView.as_view(block=False), name="posthog-unblock"),
    path("replies/<str:document_id>/up", posthog_views.ReplyVoteView.as_view(), {"direction": "up"}, name="posthog-up"),
    path(
        "replies/<str:document_id>/down",
        posthog_views.ReplyVoteView.as_view(),
        {"direction": "down"},
        name="posthog-down",
    ),
    path("escalate", posthog_views.EscalateView.as_view(), name="posthog-escalate"),
    path(
        "roadmap/<str:document_id>/subscribe",
        posthog_views.RoadmapSubscribeView.as_view(),
        {"action": "subscribe"},
        name="posthog-roadmap-subscribe",
    ),
    path(
        "roadmap/<str:document_id>/unsubscribe",
        posthog_views.RoadmapSubscribeView.as_view(),
        {"action": "unsubscribe"},
        name="posthog-roadmap-unsubscribe",
    ),
    path("points/rewards", posthog_views.RewardsView.as_view(), name="posthog-rewards"),
    path("points/redeem", posthog_views.RedeemByHandleView.as_view(), name="posthog-redeem"),
    path("points/credit", posthog_views.CreditView.as_view(), name="posthog-credit"),
    path("points/credit/redeem", posthog_views.CreditView.as_view(), name="posthog-credit-redeem"),
    *(
        path(route, posthog_views.OutOfScopeView.as_view(), {"what": what}, name=f"out-of-scope-{n}")
        for n, (prefix, what) in enumerate(posthog_views.OUT_OF_SCOPE.items())
        for route in (prefix, f"{prefix}/<path:rest>")
    ),
    path("<str:plural>", CollectionView.as_view(), name="collection"),
    path("<str:plural>/<str:document_id>", DocumentView.as_view(), name="document"),
]
