"""Admin for redemptions: moderators see what members redeemed, fulfil open orders and cancel.

Redemptions change only through the store's services (which keep points and stock right), so the
snippet views never create, edit or delete one; the redemption's page has the moderator's actions.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from plugins.accounts.policy import Actor
from plugins.rewards.models import Redemption, RedemptionStatus
from plugins.rewards.services import cancel_redemption, fulfil
from snippets.errors import REFUSED, show_refusal
from snippets.lists import CommunityIndexView, CommunitySnippetViewSet


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Moderators and editors may look; nobody adds, edits or deletes a redemption by hand."""

    WRITE_ACTIONS = {"add", "change", "delete", "publish", "lock", "unlock"}

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        return self._moderates(user) if action == "view" else super().user_has_permission(user, action)

    @staticmethod
    def _moderates(user) -> bool:
        # Wagtail asks for each row's buttons; like Django's own permission cache, the answer is kept on
        # the user object, which lives for one request.
        if not hasattr(user, "_community_moderates"):
            user._community_moderates = Actor.of(user).moderates
        return user._community_moderates

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Redemption, ReadOnlyPolicy(Redemption), exact_class=True)


def manage_button(redemption) -> Button:
    url = reverse("community_redemption", args=[redemption.pk])
    return Button("Manage", url=url, icon_name="cog", priority=5)


class RedemptionIndexView(CommunityIndexView):
    def get_list_more_buttons(self, instance):
        return [manage_button(instance)]


class RedemptionViewSet(CommunitySnippetViewSet):
    model = Redemption
    index_view_class = RedemptionIndexView
    icon = "clipboard-list"
    menu_label = "Redemptions"
    add_to_admin_menu = False
    list_display = [
        "title",
        Column("profile", label="Member"),
        "status",
        "price",
        Column("created_at", label="Redeemed"),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["title", "code", "document_id"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["document_id", "profile", "title", "kind", "price", "status", "code", "created_at"]


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=255, help_text="Required: the member sees it with the refund.")


def redemption_page(request, pk):
    """A redemption with its shipping order; POST ``action`` = fulfil or cancel."""
    if not Actor.of(request.user).moderates:
        raise PermissionDenied
    redemption = get_object_or_404(Redemption.objects.select_related("profile", "product"), pk=pk)
    cancel_form = CancelForm(prefix="cancel")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "fulfil":
                fulfil(redemption, fulfilled_by=request.user)
                messages.success(request, f"“{redemption}” marked as fulfilled.")
                return redirect("community_redemption", pk=pk)
            if action == "cancel":
                cancel_form = CancelForm(request.POST, prefix="cancel")
                if cancel_form.is_valid():
                    cancel_redemption(redemption, cancelled_by=request.user, reason=cancel_form.cleaned_data["reason"])
                    messages.success(request, f"“{redemption}” cancelled; {redemption.price} points refunded.")
                    return redirect("community_redemption", pk=pk)
            else:
                messages.error(request, "Unknown action.")
        except REFUSED as error:
            show_refusal(error, request=request)
    context = {
        "redemption": redemption,
        "order": getattr(redemption, "order", None),
        "page_title": f"Redemption: {redemption}",
        "header_icon": "clipboard-list",
        "cancel_form": cancel_form,
        "can_cancel": redemption.status not in (RedemptionStatus.CANCELLED, RedemptionStatus.FULFILLED),
        "can_fulfil": redemption.status == RedemptionStatus.ORDERED,
        "open_orders_url": reverse("wagtailsnippets_rewards_redemption:list") + "?status=ordered",
    }
    return TemplateResponse(request, "community_admin/redemption.html", context)
