"""Admin for the rewards store's products, and restocking them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView

from plugins.rewards.models import RewardProduct
from plugins.rewards.services import restock
from snippets.errors import REFUSED, show_refusal
from snippets.lists import CommunityIndexView, CommunitySnippetViewSet


class RewardProductForm(WagtailAdminModelForm):
    """The stock is typed in when a product is created; afterwards sales move it and Restock changes it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "stock" in self.fields:
            self.fields["stock"].disabled = True
            self.fields["stock"].help_text = "Sales move the stock; change it with “Restock” (in the ⋯ menu)."


def restock_button(product, user) -> list[Button]:
    if not user.has_perm("rewards.change_rewardproduct"):
        return []
    return [Button("Restock", url=reverse("community_restock", args=[product.pk]), icon_name="plus", priority=5)]


class RewardProductIndexView(CommunityIndexView):
    def get_list_more_buttons(self, instance):
        return [*restock_button(instance, self.request.user), *super().get_list_more_buttons(instance)]


class RewardProductEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [*restock_button(self.object, self.request.user), *super().header_more_buttons]


class RewardProductViewSet(CommunitySnippetViewSet):
    model = RewardProduct
    index_view_class = RewardProductIndexView
    edit_view_class = RewardProductEditView
    icon = "tag"
    menu_label = "Reward products"
    add_to_admin_menu = False
    list_display = ["title", "kind", "price", "discount_amount", "stock", LiveStatusTagColumn()]
    list_filter = ["kind", "live"]
    search_fields = ["title", "handle", "description"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "document_id",
        "title",
        "handle",
        "kind",
        "price",
        "discount_amount",
        "image",
        "description",
        "stock",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("handle")]),
            # The kind's labels are long sentences: beside a number, the select took the row's width
            # and left the price too narrow to show 300. The three numbers share a row of their own.
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("price"), FieldPanel("discount_amount"), FieldPanel("stock")]),
            FieldPanel("image"),
            FieldPanel("description"),
        ],
        base_form_class=RewardProductForm,
    )


class RestockForm(forms.Form):
    stock = forms.IntegerField(min_value=0, required=False, help_text="Left empty, the stock is unlimited.")


def restock_page(request, pk):
    """Set a product's stock; the row is locked meanwhile so that no concurrent sale is lost."""
    if not request.user.has_perm("rewards.change_rewardproduct"):
        raise PermissionDenied
    product = get_object_or_404(RewardProduct, pk=pk)
    form = RestockForm(request.POST or None, initial={"stock": product.stock})
    if request.method == "POST" and form.is_valid():
        try:
            restock(product, stock=form.cleaned_data["stock"], changed_by=request.user)
        except REFUSED as error:
            show_refusal(error, form=form, field_names={None: "stock"})
        else:
            shown = "unlimited" if product.stock is None else product.stock
            messages.success(request, f"Stock of “{product}” is now {shown}.")
            return redirect("wagtailsnippets_rewards_rewardproduct:edit", product.pk)
    context = {"product": product, "form": form, "page_title": f"Restock: {product}", "header_icon": "tag"}
    return TemplateResponse(request, "community_admin/restock.html", context)
