"""Wagtail's image chooser, opening on the collection a field's images live in."""

from __future__ import annotations

from urllib.parse import urlencode

from wagtail.images.widgets import AdminImageChooser

from plugins.assets.collections import find_collection


class CollectionImageChooser(AdminImageChooser):
    """Opens on one collection of ``plugins.assets.collections`` (Icons, Crests, Avatars) through the
    chooser's own collection filter, which the editor may still set to another collection or all."""

    def __init__(self, collection: str, **kwargs):
        self.collection = collection
        super().__init__(**kwargs)

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        found = find_collection(self.collection)
        return f"{url}?{urlencode({'collection_id': found.pk})}" if found else url
