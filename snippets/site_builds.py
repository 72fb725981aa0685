"""Admin for the static site's builds: the log (Settings › Site builds) and "Build the site now"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from plugins.sitebuild.models import BuildStatus, SiteBuild
from plugins.sitebuild.triggers import request_whole_build
from snippets.confirmation import confirm_then
from snippets.read_only import ReadOnlyPolicy

BUILD_PERMISSION = "sitebuild.add_sitebuild"


class SiteBuildIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(BUILD_PERMISSION):
            buttons.append(HeaderButton("Build the site now", url=reverse("community_build_site"), icon_name="upload"))
        return buttons


class SiteBuildViewSet(ModelViewSet):
    # Builds are scheduled by webhooks and by "Build the site now", never edited by hand.
    model = SiteBuild
    index_view_class = SiteBuildIndexView
    icon = "upload"
    menu_label = "Site builds"
    add_to_settings_menu = True
    list_display = ["__str__", "status", "whole", "requests", "run_after", "started_at", "finished_at", "summary"]
    list_filter = ["status", "whole"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "status", "whole", "requested_by", "requests", "events", "run_after", "started_at", "finished_at", "summary",
    ]  # fmt: skip
    copy_view_enabled = False
    exclude_form_fields = []  # never shown: the policy refuses add and edit


register_permission_policy(SiteBuild, ReadOnlyPolicy(SiteBuild), exact_class=True)


def build_site_page(request):
    """Confirm, then schedule a whole build that starts at once (or make the waiting one whole)."""
    if not request.user.has_perm(BUILD_PERMISSION):
        raise PermissionDenied
    waiting = SiteBuild.objects.filter(status__in=[BuildStatus.SCHEDULED, BuildStatus.RUNNING]).first()

    def build():
        scheduled = request_whole_build(request.user)
        return f"{scheduled} will render every page; this list shows when it has finished."

    return confirm_then(
        request,
        template="community_admin/build_site.html",
        context={"waiting": waiting, "page_title": "Build the site now", "header_icon": "upload"},
        action=build,
        back_to=reverse("site_builds:index"),
    )
