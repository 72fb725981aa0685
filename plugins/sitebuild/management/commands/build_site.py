"""python manage.py build_site --out DIR [--api-url URL --token T] [--changed-since TIME|last]"""

from __future__ import annotations

import time
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from plugins.core.progress import progress_bars
from plugins.sitebuild.build import BuildError, SiteBuilder
from plugins.sitebuild.queries import api_time
from plugins.sitebuild.sources import HttpSource, InProcessSource, SourceError


class RichProgress:
    """The builder's progress on a rich progress display: one bar per stage."""

    def __init__(self, progress: Progress):
        self.bars = progress
        self.tasks = {}

    def start(self, name: str, total: int | None = None) -> None:
        if name not in self.tasks:
            self.tasks[name] = self.bars.add_task(name, total=total)

    def total(self, name: str, total: int) -> None:
        self.start(name)
        self.bars.update(self.tasks[name], total=total)

    def advance(self, name: str, amount: int = 1) -> None:
        self.start(name)
        self.bars.advance(self.tasks[name], amount)


def _changed_since(value: str | None) -> str | None:
    """An ISO time (normalised to the API's UTC form), or None for "since the previous build"."""
    if value in (None, "last"):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise CommandError(
            f"--changed-since takes an ISO time such as 2026-11-24T09:00:00Z, or 'last'; not {value!r}"
        ) from error
    if moment.tzinfo is None:
        raise CommandError("--changed-since needs a time zone, e.g. 2026-11-24T09:00:00Z or +01:00.")
    return api_time(moment)


class Command(BaseCommand):
    help = (
        "Build the static site (team page, team pages, careers and job pages, community profiles, sitemap.xml, "
        "data/*.json) from the REST API into --out, swapped in whole when the build succeeds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The folder the site is written to (replaced whole).")
        parser.add_argument("--api-url", help="Read the API over HTTP, e.g. https://cms.example.com/api.")
        parser.add_argument("--token", help="An API token (read-only is enough).")
        parser.add_argument(
            "--changed-since",
            nargs="?",
            const="last",
            help="Re-render only what changed since this ISO time (or, without a value or with 'last', since the "
            "previous build's content); the rest is kept from the previous build.",
        )
        parser.add_argument("--base-url", help="The site's public address (default: SITE_BASE_URL).")
        parser.add_argument("--cache-dir", help="Where downloaded media are kept between builds.")
        parser.add_argument("--today", help="Build as of this date (YYYY-MM-DD): who has started on the team page.")
        parser.add_argument("--workers", type=int, default=3, help="Concurrent API requests over HTTP.")

    def handle(self, *args, **options):
        if options["token"] and not options["api_url"]:
            self.stderr.write("Note: --token without --api-url: the in-process build sends it with each request.")
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(f"--today takes a date such as 2026-11-24, not {options['today']!r}") from error
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        since = _changed_since(options["changed_since"])
        try:
            source = (
                HttpSource(options["api_url"], options["token"], workers=options["workers"])
                if options["api_url"]
                else InProcessSource(options["token"])
            )
        except SourceError as error:
            raise CommandError(str(error)) from error

        started = time.monotonic()
        with progress_bars(self.stderr) as bars:
            builder = SiteBuilder(
                source=source,
                out=options["out"],
                cache_dir=options["cache_dir"],
                base_url=options["base_url"] or "",
                today=today,
                workers=options["workers"],
                progress=RichProgress(bars),
            )
            try:
                report = builder.build_changed(since) if options["changed_since"] else builder.build()
            except (SourceError, BuildError) as error:
                raise CommandError(f"The build failed and the previous site is unchanged: {error}") from error
        for note in report.notes:
            self.stdout.write(note)
        kind = f"changes since {report.since}" if report.incremental else "whole site"
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {builder.out} ({kind}) in {time.monotonic() - started:.1f} s: {report.pages_written} pages "
                f"written, {report.pages_removed} removed, {report.profiles_rendered} profiles, "
                f"{report.media_downloaded} media files downloaded."
            )
        )
