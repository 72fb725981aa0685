"""Rebuilding the site when content is published: debounced, so a burst of publishes gives one build.

The first event that calls for a build schedules one ``SITE_BUILD_DEBOUNCE_SECONDS`` later; events
until it starts join it. The build is incremental (``--changed-since`` the previous build's content)
into ``SITE_BUILD_OUT``, in-process or over HTTP when ``SITE_BUILD_API_URL`` is set.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from plugins.sitebuild.build import SiteBuilder
from plugins.sitebuild.models import BuildStatus, SiteBuild
from plugins.sitebuild.sources import HttpSource, InProcessSource

logger = logging.getLogger(__name__)
KEPT_EVENTS = 20


def calls_for_build(payload: dict) -> bool:
    """Whether a Strapi webhook payload changes the public site: anything but a draft's create or update."""
    event = payload.get("event", "")
    if event.startswith("media."):
        return True
    if event in ("entry.publish", "entry.unpublish", "entry.delete"):
        return True
    if event in ("entry.create", "entry.update"):
        entry = payload.get("entry") or {}
        return entry.get("publishedAt") is not None  # a type without drafts is public as soon as it is saved
    return False


def request_build(payload: dict) -> SiteBuild:
    """Schedule a build for this event, or join the one already waiting; returns it."""
    note = {"event": payload.get("event"), "model": payload.get("model", "media")}
    for _ in range(3):  # two receivers racing to create the waiting build: the loser joins the winner's
        try:
            with transaction.atomic():
                waiting = SiteBuild.objects.select_for_update().filter(status=BuildStatus.SCHEDULED).first()
                if waiting is not None:
                    waiting.requests += 1
                    if len(waiting.events) < KEPT_EVENTS:
                        waiting.events.append(note)
                    waiting.save(update_fields=["requests", "events"])
                    return waiting
                run_after = timezone.now() + timedelta(seconds=settings.SITE_BUILD_DEBOUNCE_SECONDS)
                build = SiteBuild.objects.create(run_after=run_after, events=[note])
                transaction.on_commit(functools.partial(_enqueue, build))
                return build
        except IntegrityError:
            continue
    raise RuntimeError("Could not schedule a site build")


def _enqueue(build: SiteBuild) -> None:
    runner = run_site_build
    if runner.get_backend().supports_defer:
        runner = runner.using(run_after=build.run_after)
    runner.enqueue(build.pk)


def _builder() -> SiteBuilder:
    source = (
        HttpSource(settings.SITE_BUILD_API_URL, settings.SITE_BUILD_API_TOKEN or None)
        if settings.SITE_BUILD_API_URL
        else InProcessSource(settings.SITE_BUILD_API_TOKEN or None)
    )
    return SiteBuilder(source=source, out=Path(settings.SITE_BUILD_OUT))


@task()
def run_site_build(build_id: int) -> str:
    """Background task: run a scheduled build (events arriving from now on schedule the next one)."""
    updated = SiteBuild.objects.filter(pk=build_id, status=BuildStatus.SCHEDULED).update(
        status=BuildStatus.RUNNING, started_at=timezone.now()
    )
    if not updated:
        return "not scheduled"
    try:
        report = _builder().build_changed(None)
    except Exception as error:  # the build's own errors and anything else: logged on the build, site unchanged
        logger.exception("Site build %s failed", build_id)
        SiteBuild.objects.filter(pk=build_id).update(
            status=BuildStatus.FAILED, finished_at=timezone.now(), summary=f"{type(error).__name__}: {error}"
        )
        return BuildStatus.FAILED
    summary = (
        f"{report.pages_written} pages written, {report.pages_removed} removed, "
        f"{report.profiles_rendered} profiles" + (f" (changes since {report.since})" if report.incremental else "")
    )
    SiteBuild.objects.filter(pk=build_id).update(
        status=BuildStatus.SUCCEEDED, finished_at=timezone.now(), summary=summary
    )
    return BuildStatus.SUCCEEDED
