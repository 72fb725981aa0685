"""Admin for the rewards store's products."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from plugins.rewards.models import RewardProduct


class RewardProductViewSet(SnippetViewSet):
    model = RewardProduct
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
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("handle")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("price")]),
        FieldRowPanel([FieldPanel("discount_amount"), FieldPanel("stock")]),
        FieldPanel("image"),
        FieldPanel("description"),
    ]
