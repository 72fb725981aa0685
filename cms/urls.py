from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django_prometheus.exports import ExportToDjangoView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.operations import operations_only
from plugins.core.health import HealthView
from plugins.sitebuild.views import site_build_webhook

# What /health/ checks (django-health-check): JSON naming each, 503 when any fails — for monitoring.
HEALTH_CHECKS = [
    "health_check.checks.Database",
    "plugins.core.health.SharedCache",
    "health_check.checks.Storage",
    "plugins.core.health.TaskQueue",
]
# What serving needs, for a load balancer's probe: the database. Without the shared cache or the task queue
# the site degrades and serves (reads from the database, events kept in the outbox), so taking every server
# out of rotation for either would stop a site that works.
SERVING_CHECKS = ["health_check.checks.Database"]

urlpatterns = [
    path("health/", operations_only(HealthView.as_view(checks=HEALTH_CHECKS)), name="health"),
    path("health/serving/", operations_only(HealthView.as_view(checks=SERVING_CHECKS)), name="health-serving"),
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
