from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django_prometheus.exports import ExportToDjangoView
from health_check.views import HealthCheckView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.operations import operations_only
from plugins.sitebuild.views import site_build_webhook

# What /health/ checks (django-health-check): it answers 500 when any fails, for a load balancer.
HEALTH_CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    "plugins.core.health.TaskQueue",
]

urlpatterns = [
    path("health/", operations_only(HealthCheckView.as_view(checks=HEALTH_CHECKS)), name="health"),
    path("metrics", operations_only(ExportToDjangoView), name="prometheus-django-metrics"),
    path("admin/", include(wagtailadmin_urls)),
    path("api/", include(("api.urls", "api"))),
    path("documents/", include(wagtaildocs_urls)),
    path("hooks/site-build/", site_build_webhook, name="site-build-webhook"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("pages/", include(wagtail_urls))]
