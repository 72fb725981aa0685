"""Admin for outgoing webhooks: editors configure them (Settings › Webhooks) and read the delivery log."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permissions import register_permission_policy

from plugins.notifications.cms_webhooks import send_again
from plugins.notifications.models import EVENTS, DeliveryStatus, Webhook, WebhookDelivery
from snippets.confirmation import confirm_then
from snippets.read_only import ReadOnlyPolicy

SEND_AGAIN_PERMISSION = "notifications.change_webhook"


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
    icon = "link-external"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    list_display = ["name", "url", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "url"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "url", "events", "headers", "enabled", "created_at", "updated_at"]

    def get_form_class(self, for_update=False):
        return WebhookForm


def may_send_again(delivery, user) -> bool:
    return delivery.status == DeliveryStatus.FAILED and user.has_perm(SEND_AGAIN_PERMISSION)


class DeliveryIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if may_send_again(instance, self.request.user):
            url = reverse("community_webhook_send_again", args=[instance.pk])
            buttons = [Button("Send again", url=url, icon_name="resubmit", priority=5), *buttons]
        return buttons


class DeliveryInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if may_send_again(self.object, self.request.user):
            url = reverse("community_webhook_send_again", args=[self.object.pk])
            buttons.append(HeaderButton("Send again", url=url, icon_name="resubmit"))
        return buttons


class WebhookDeliveryViewSet(ModelViewSet):
    # The log is written by the deliveries only.
    model = WebhookDelivery
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
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


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery), exact_class=True)


def send_again_page(request, pk):
    """Confirm, then send a failed delivery once more (for a receiver that was down and is back)."""
    if not request.user.has_perm(SEND_AGAIN_PERMISSION):
        raise PermissionDenied
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("webhook"), pk=pk)
    inspect = reverse("webhook_deliveries:inspect", args=[delivery.pk])

    def send():
        send_again(delivery)
        return f"Sending {delivery.event} to {delivery.webhook} again."

    return confirm_then(
        request,
        template="community_admin/webhook_send_again.html",
        context={"delivery": delivery, "inspect_url": inspect, "page_title": f"Send again: {delivery}"},
        action=send,
        back_to=inspect,
    )
