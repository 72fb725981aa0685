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
BUSY_RETRY_SECONDS = 30
# A build "running" this long was cut off (a worker killed mid-build); it must not block the next forever.
ABANDONED_AFTER = timedelta(hours=1)


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
    return _schedule({"event": payload.get("event"), "model": payload.get("model", "media")})


def request_whole_build(user) -> SiteBuild:
    """An editor's "Build the site now": a whole build that starts at once, or the waiting build made whole."""
    return _schedule({"event": "manual", "model": "", "by": user.get_username()}, whole=True, user=user)


def _schedule(note: dict, whole: bool = False, user=None) -> SiteBuild:
    for _ in range(3):  # two receivers racing to create the waiting build: the loser joins the winner's
        try:
            with transaction.atomic():
                waiting = SiteBuild.objects.select_for_update().filter(status=BuildStatus.SCHEDULED).first()
                if waiting is not None:
                    waiting.requests += 1
                    if len(waiting.events) < KEPT_EVENTS:
                        waiting.events.append(note)
                    waiting.whole = waiting.whole or whole
                    waiting.requested_by = waiting.requested_by or user
                    if user is not None and waiting.run_after > timezone.now():
                        # Asked for in person: start now. The task queued for later finds it done.
                        waiting.run_after = timezone.now()
                        transaction.on_commit(functools.partial(_enqueue, waiting))
                    waiting.save(update_fields=["requests", "events", "whole", "requested_by", "run_after"])
                    return waiting
                # Someone asking in person wants it now; webhooks wait for the burst to end.
                delay = 0 if user is not None else settings.SITE_BUILD_DEBOUNCE_SECONDS
                run_after = timezone.now() + timedelta(seconds=delay)
                build = SiteBuild.objects.create(run_after=run_after, events=[note], whole=whole, requested_by=user)
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


def _give_up_on_abandoned_builds() -> None:
    SiteBuild.objects.filter(status=BuildStatus.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER).update(
        status=BuildStatus.FAILED, finished_at=timezone.now(), summary="Abandoned: the worker stopped mid-build."
    )


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
    _give_up_on_abandoned_builds()
    try:
        with transaction.atomic():
            updated = SiteBuild.objects.filter(pk=build_id, status=BuildStatus.SCHEDULED).update(
                status=BuildStatus.RUNNING, started_at=timezone.now()
            )
    except IntegrityError:
        # Another build is running: this one waits (and keeps collecting events) until it has finished.
        if run_site_build.get_backend().supports_defer:
            later = timezone.now() + timedelta(seconds=BUSY_RETRY_SECONDS)
            run_site_build.using(run_after=later).enqueue(build_id)
        return "waiting for the running build"
    if not updated:
        return "not scheduled"
    whole = SiteBuild.objects.values_list("whole", flat=True).get(pk=build_id)
    try:
        builder = _builder()
        report = builder.build() if whole else builder.build_changed(None)
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
