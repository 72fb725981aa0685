"""Site builds in the admin: the read-only log, "Build the site now", and one build at a time."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plugins.sitebuild.models import BuildStatus, SiteBuild
from plugins.sitebuild.triggers import request_build, request_whole_build, run_site_build
from tests.factories import editor
from tests.sitebuild.conftest import build_changed

pytestmark = pytest.mark.django_db

PUBLISH = {"event": "entry.publish", "model": "team"}


@pytest.fixture
def out(settings, tmp_path):
    settings.SITE_BUILD_OUT = str(tmp_path / "site")
    return Path(settings.SITE_BUILD_OUT)


def test_editors_read_the_builds_and_cannot_edit_them(client, editor_user, out, demo):
    build = request_build(PUBLISH)
    client.force_login(editor_user)
    listing = client.get(reverse("site_builds:index"))
    assert listing.status_code == 200 and str(build) in listing.content.decode()
    assert reverse("community_build_site") in listing.content.decode()
    assert client.get(reverse("site_builds:inspect", args=[build.pk])).status_code == 200
    assert client.get(reverse("site_builds:edit", args=[build.pk])).status_code in (302, 403, 404)
    client.post(reverse("site_builds:delete", args=[build.pk]))
    assert SiteBuild.objects.filter(pk=build.pk).exists()


def test_build_the_site_now_renders_every_page(client, editor_user, out, demo, django_capture_on_commit_callbacks):
    build_changed(out)  # a site exists; an incremental build would leave untouched pages alone
    stray = out / "community/profiles/999999/index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text("a page the content no longer has")
    client.force_login(editor_user)
    assert "Build the whole site" in client.get(reverse("community_build_site")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community_build_site"))
    assert response.status_code == 302
    build = SiteBuild.objects.get()
    assert build.whole and build.requested_by == editor_user and build.status == BuildStatus.SUCCEEDED
    assert "incremental" not in build.summary and "changes since" not in build.summary
    assert not stray.exists()  # a whole build swaps in a fresh tree
    assert (out / "team/index.html").exists()


def test_moderators_cannot_start_a_build(client, moderator_user, out):
    client.force_login(moderator_user)
    client.post(reverse("community_build_site"))
    assert not SiteBuild.objects.exists()


def test_a_manual_request_makes_the_waiting_build_whole():
    waiting = request_build(PUBLISH)
    assert not waiting.whole and waiting.run_after > timezone.now()
    joined = request_whole_build(editor())
    assert joined.pk == waiting.pk and joined.whole and joined.requests == 2
    assert joined.run_after <= timezone.now()  # asked for in person: no debounce
    assert [e["event"] for e in joined.events] == ["entry.publish", "manual"]


def test_a_build_waits_while_another_runs(out, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    running = SiteBuild.objects.create(status=BuildStatus.RUNNING, started_at=timezone.now(), run_after=timezone.now())
    waiting = SiteBuild.objects.create(run_after=timezone.now())
    assert run_site_build.call(waiting.pk) == "waiting for the running build"
    waiting.refresh_from_db()
    assert waiting.status == BuildStatus.SCHEDULED
    assert DBTaskResult.objects.filter(task_path__endswith="run_site_build").count() == 1  # tried again later
    running.refresh_from_db()
    assert running.status == BuildStatus.RUNNING


def test_a_build_abandoned_mid_run_does_not_block_the_next(out, demo):
    long_ago = timezone.now() - timedelta(hours=2)
    stuck = SiteBuild.objects.create(status=BuildStatus.RUNNING, started_at=long_ago, run_after=long_ago)
    waiting = SiteBuild.objects.create(run_after=timezone.now())
    assert run_site_build.call(waiting.pk) == BuildStatus.SUCCEEDED
    stuck.refresh_from_db()
    assert stuck.status == BuildStatus.FAILED and "Abandoned" in stuck.summary
