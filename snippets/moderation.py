"""The moderator's page of a profile: achievements (assign, revoke), points (gift), rewards (account credits)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from plugins.accounts.policy import Actor
from plugins.achievements.models import Achievement, AchievementAward
from plugins.achievements.services import award_achievement, revoke_award
from plugins.points.services import balance_of, gift, history
from plugins.profiles.models import Profile
from plugins.rewards.models import CreditGrant, Redemption, RewardKind, RewardProduct
from plugins.rewards.services import enable_account_credit
from snippets.errors import REFUSED, show_refusal


class AssignForm(forms.Form):
    achievement = forms.ModelChoiceField(queryset=Achievement.objects.filter(live=True).order_by("title"))
    reason = forms.CharField(max_length=255, required=False)


class RevokeForm(forms.Form):
    award = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=255, help_text="Required: say why.")


class GiftForm(forms.Form):
    points = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=255)


class CreditForm(forms.Form):
    product = forms.ModelChoiceField(
        queryset=RewardProduct.objects.filter(kind=RewardKind.ACCOUNT_CREDIT, live=True).order_by("title"),
        label="Account credit",
    )
    note = forms.CharField(max_length=255, required=False, help_text="Why (for the other moderators).")


def profile_moderation(request, pk):
    """GET shows the page; POST with ``action`` = assign, revoke or gift performs it."""
    if not Actor.of(request.user).moderates:
        raise PermissionDenied
    profile = get_object_or_404(Profile, pk=pk)
    forms_by_action = {"assign": AssignForm, "revoke": RevokeForm, "gift": GiftForm, "credit": CreditForm}
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms_by_action:
            messages.error(request, "Unknown action.")
            return redirect("community_profile_moderation", pk=pk)
        form = bound[action] = forms_by_action[action](request.POST, prefix=action)
        if form.is_valid():
            try:
                message = _perform(action, form.cleaned_data, profile, request.user)
            except REFUSED as error:
                show_refusal(error, form=form)
            else:
                messages.success(request, message)
                return redirect("community_profile_moderation", pk=pk)
    context = {
        "profile": profile,
        "page_title": f"Achievements and points: {profile}",
        "header_icon": "pick",
        "awards": AchievementAward.objects.filter(profile=profile).select_related(
            "achievement", "awarded_by", "revoked_by"
        ),
        "balance": balance_of(profile),
        "entries": history(profile)[:20],
        "assign_form": bound.get("assign") or AssignForm(prefix="assign"),
        "revoke_form": bound.get("revoke"),
        "gift_form": bound.get("gift") or GiftForm(prefix="gift"),
        "credit_form": bound.get("credit") or CreditForm(prefix="credit"),
        "grants": CreditGrant.objects.filter(profile=profile).select_related("product", "enabled_by"),
        "redemptions": Redemption.objects.filter(profile=profile)[:20],
    }
    return TemplateResponse(request, "community_admin/profile_moderation.html", context)


def _perform(action: str, data: dict, profile: Profile, user) -> str:
    if action == "assign":
        award = award_achievement(profile, data["achievement"], awarded_by=user, reason=data["reason"])
        return f"“{award.achievement}” assigned to {profile}."
    if action == "revoke":
        award = get_object_or_404(AchievementAward, pk=data["award"], profile=profile)
        revoke_award(award, revoked_by=user, reason=data["reason"])
        return f"“{award.achievement}” revoked from {profile}."
    if action == "credit":
        enable_account_credit(profile, data["product"], enabled_by=user, note=data["note"])
        return f"“{data['product']}” enabled for {profile}."
    gift(profile, data["points"], data["reason"], given_by=user)
    return f"{data['points']} points gifted to {profile}."
