"""Admin for the API: tokens (shown once) and the role × content type × action matrix."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from api.models import ApiToken, RolePermission
from api.permissions import set_matrix
from api.registry import ACTIONS, ROLES, registry
from api.tokens import check_kind_and_permissions
from snippets.errors import REFUSED, show_refusal


def permission_choices() -> list[tuple[str, str]]:
    return [(f"{ct.plural}.{action}", f"{ct.plural}: {action}") for ct in registry.all() for action in ACTIONS]


class ApiTokenForm(WagtailAdminModelForm):
    permissions = forms.MultipleChoiceField(
        choices=permission_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For custom tokens only: the actions the token may perform.",
    )

    class Meta:
        model = ApiToken
        fields = ["name", "description", "kind", "permissions", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["permissions"] = check_kind_and_permissions(cleaned.get("kind", ""), cleaned.get("permissions", []))
        except REFUSED as error:
            show_refusal(error, form=self)
        return cleaned


class ApiTokenCreateView(CreateView):
    def save_instance(self):
        self.new_key = self.form.instance.set_new_key()
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def get_success_message(self, instance):
        return f"API token “{instance.name}” created. Copy it now, it will not be shown again: {self.new_key}"


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = "API tokens"
    add_to_settings_menu = True
    add_view_class = ApiTokenCreateView
    list_display = ["name", "kind", "prefix", "expires_at", "last_used_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ApiTokenForm


@permission_required("api.change_rolepermission", raise_exception=True)
def role_permissions(request):
    """The permission matrix: one row per content type, a checkbox per role and action."""
    rows = {(p.role, p.content_type, p.action): p for p in RolePermission.objects.all()}
    if request.method == "POST":
        wanted = {tuple(key.split(":")[1:]) for key in request.POST if key.startswith("perm:")}
        set_matrix(wanted)
        messages.success(request, "API permissions saved.")
        return redirect("community_api_permissions")
    table = [
        {
            "content_type": ct,
            "cells": [
                {
                    "role": role,
                    "action": action,
                    "name": f"perm:{role}:{ct.plural}:{action}",
                    "enabled": rows.get((role, ct.plural, action)) is not None
                    and rows[(role, ct.plural, action)].enabled,
                }
                for role in ROLES
                for action in ACTIONS
            ],
        }
        for ct in registry.all()
    ]
    return TemplateResponse(
        request,
        "community_admin/role_permissions.html",
        {"table": table, "roles": ROLES, "actions": ACTIONS, "page_title": "API permissions", "header_icon": "lock"},
    )
