"""The admin's "Add team member" form, and sending the set-password e-mail again."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from wagtail.admin.widgets.button import Button, HeaderButton

from plugins.accounts.onboarding import NewTeamMember, add_team_member, resend_set_password_email
from plugins.assets.avatars import MIN_AVATAR_SIDE
from plugins.core.countries import country_choices
from plugins.profiles.models import Profile
from plugins.teams.models import Team
from snippets.confirmation import confirm_then
from snippets.errors import REFUSED, show_refusal

ADD_PERMISSION = "profiles.add_profile"
CHANGE_PERMISSION = "profiles.change_profile"


class AddTeamMemberForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    pronouns = forms.CharField(max_length=40, required=False, help_text="Optional, e.g. she/her.")
    email = forms.EmailField(label="Work e-mail", help_text="The set-password link goes here. Never shown publicly.")
    company_role = forms.CharField(max_length=120, help_text="e.g. Product Engineer")
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="They appear on the team page from this day.",
    )
    location = forms.CharField(max_length=120, help_text='e.g. "London, UK"')
    country = forms.ChoiceField(choices=[("", "---------"), *country_choices()])
    team = forms.ModelChoiceField(queryset=Team.objects.all(), label="Small team")
    lead = forms.BooleanField(required=False, label="Leads this team")
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
        help_text=f"A square PNG with a transparent background, at least {MIN_AVATAR_SIDE} × {MIN_AVATAR_SIDE} "
        "pixels. Can be added later.",
    )

    def new_team_member(self) -> NewTeamMember:
        data = self.cleaned_data
        fields = [name for name in NewTeamMember.__dataclass_fields__ if name in data]
        return NewTeamMember(**{name: data[name] for name in fields})


def add_team_member_button(user) -> list[Button]:
    if not user.has_perm(ADD_PERMISSION):
        return []
    return [HeaderButton("Add team member", url=reverse("community_add_team_member"), icon_name="user")]


def set_password_email_button(profile, user) -> list[Button]:
    """Offered while the profile's account has never set a password (the first link may have expired)."""
    if not user.has_perm(CHANGE_PERMISSION) or profile.user is None or profile.user.has_usable_password():
        return []
    url = reverse("community_resend_set_password", args=[profile.pk])
    return [Button("Send set-password e-mail again", url=url, icon_name="mail", priority=6)]


def add_team_member_page(request):
    """One form for everything a new team member needs; nothing is written unless all of it is."""
    if not request.user.has_perm(ADD_PERMISSION):
        raise PermissionDenied
    form = AddTeamMemberForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = add_team_member(form.new_team_member(), avatar=form.cleaned_data["avatar"], added_by=request.user)
        except REFUSED as error:
            show_refusal(error, form=form)
        else:
            messages.success(
                request,
                f"{profile.full_name} joins {form.cleaned_data['team']} on {profile.start_date:%d %B %Y}. "
                f"An e-mail with a link to choose a password was sent to {profile.email}.",
            )
            return redirect("wagtailsnippets_profiles_profile:edit", profile.pk)
    profiles = Profile.snippet_viewset
    context = {
        "form": form,
        "page_title": "Add team member",
        "header_title": "Add team member",
        "header_icon": "user",
        "action_url": request.path,
        "submit_button_label": "Add team member",
        "submit_button_active_label": "Adding…",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse(profiles.get_url_name("list")), "label": capfirst(Profile._meta.verbose_name_plural)},
            {"url": "", "label": "Add team member"},
        ],
    }
    return TemplateResponse(request, "community_admin/add_team_member.html", context)


def resend_set_password_page(request, pk):
    """Confirm, then e-mail a fresh set-password link (a link expires after PASSWORD_RESET_TIMEOUT)."""
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=pk)

    def send():
        resend_set_password_email(profile)
        return f"A new set-password link was sent to {profile.user.email}."

    return confirm_then(
        request,
        template="community_admin/resend_set_password.html",
        context={"profile": profile, "page_title": f"Send set-password e-mail: {profile}", "header_icon": "mail"},
        action=send,
        back_to=reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk]),
    )
