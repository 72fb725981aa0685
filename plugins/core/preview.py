"""Previews of content as the static site shows it, for the types that have a page there.

Wagtail previews an object through ``PreviewableMixin.serve_preview``. Here the page is the one the
static site build renders from the REST API's JSON, and turning an unsaved object into that JSON
needs the API's serializer, which plugins never import: the admin layer registers the renderer with
Wagtail's hook ``serve_site_preview`` (a function of the object, the request and the preview mode
that answers an ``HttpResponse``, or None for a type it does not render).
"""

from django.http import Http404
from wagtail import hooks
from wagtail.models import PreviewableMixin

SERVE_SITE_PREVIEW_HOOK = "serve_site_preview"


class SitePreviewMixin(PreviewableMixin):
    """Previewed as its page on the static site, before it is saved or published."""

    # What the preview's mode menu calls the page, e.g. "Team page".
    site_page_label = "Page on the site"

    @property
    def preview_modes(self):
        return [("", self.site_page_label)]

    def serve_preview(self, request, mode_name):
        for serve in hooks.get_hooks(SERVE_SITE_PREVIEW_HOOK):
            response = serve(self, request, mode_name)
            if response is not None:
                return response
        raise Http404(f"No site preview is registered for {type(self).__name__}.")
