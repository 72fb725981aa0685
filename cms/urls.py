from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from plugins.sitebuild.views import site_build_webhook

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/", include(("api.urls", "api"))),
    path("documents/", include(wagtaildocs_urls)),
    path("hooks/site-build/", site_build_webhook, name="site-build-webhook"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("pages/", include(wagtail_urls))]
