"""Admin for outgoing webhooks: editors configure them (Settings › Webhooks) and read the delivery log."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from plugins.notifications.models import EVENTS, Webhook, WebhookDelivery


class WebhookForm(WagtailAdminModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=[(event, event) for event in EVENTS],
        widget=forms.CheckboxSelectMultiple,
        help_text="Strapi's events: entries of any content type, and media.",
    )
    headers = forms.JSONField(
        required=False,
        initial=dict,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Extra request headers as JSON, e.g. {"Authorization": "Bearer …"}.',
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "headers", "enabled", "secret"]

    def clean_headers(self):
        return self.cleaned_data.get("headers") or {}


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    list_display = ["name", "url", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "url"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "url", "events", "headers", "enabled", "created_at", "updated_at"]

    def get_form_class(self, for_update=False):
        return WebhookForm


class DeliveryLogPolicy(ModelPermissionPolicy):
    """The log is written by the deliveries only: people may look (with the permission), never edit it."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "history"
    menu_label = "Webhook deliveries"
    add_to_settings_menu = True
    list_display = ["event", "webhook", "status", "attempts", "response_status", "created_at", "last_attempt_at"]
    list_filter = ["status", "event", "webhook"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "webhook", "event", "status", "attempts", "response_status", "duration_ms", "error", "created_at",
        "last_attempt_at", "payload_text", "response_body",
    ]  # fmt: skip
    copy_view_enabled = False
    exclude_form_fields = []  # never shown: the policy refuses add and edit


register_permission_policy(WebhookDelivery, DeliveryLogPolicy(WebhookDelivery), exact_class=True)
