"""The static site build: pull the content from the REST API, render the pages, swap the site in.

A full build renders every page. An incremental build (``changed_since``) starts from the previous
site, always re-renders the team, team and careers pages (a few hundred, from two small queries)
and re-renders only the profiles that changed: edited since the time, or holding an achievement,
on a team, or in a discussion that was edited since, or on a team whose sidebar (the teammates a
team member's page lists) differs from the previous build's. Profiles that no longer exist lose
their pages. Both give the same bytes for the same content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from plugins.sitebuild import content, queries
from plugins.sitebuild.media import MediaCollector
from plugins.sitebuild.output import StagedChanges, StagedSite
from plugins.sitebuild.render import assets, render, stable_json

MANIFEST = "/.sitebuild/manifest.json"
MANIFEST_VERSION = 1
# An incremental build from the previous build's watermark looks this far back again, so that a
# change committed while the previous build was reading is not missed.
WATERMARK_OVERLAP = timedelta(minutes=5)


class BuildError(Exception):
    """The build cannot go on; the previous site is left as it was."""


class NullProgress:
    """Progress reports go nowhere (tests, library use)."""

    def start(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, name: str, amount: int = 1) -> None:
        pass

    def total(self, name: str, total: int) -> None:
        pass


@dataclass
class BuildReport:
    pages_written: int = 0
    pages_removed: int = 0
    profiles_rendered: int = 0
    media_downloaded: int = 0
    incremental: bool = False
    since: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class SiteBuilder:
    """Builds the site at ``out`` from ``source`` (an HttpSource or InProcessSource)."""

    source: object
    out: Path
    cache_dir: Path | None = None
    base_url: str = ""
    today: date | None = None
    workers: int = 3
    progress: object = field(default_factory=NullProgress)

    def __post_init__(self):
        self.out = Path(self.out)
        self.cache_dir = Path(self.cache_dir or self.out.parent / f".{self.out.name}-cache")
        self.base_url = (self.base_url or settings.SITE_BASE_URL).rstrip("/")
        self.today = self.today or timezone.localdate()
        self.media = MediaCollector(self.source, self.cache_dir / "media", workers=max(self.workers * 2, 4))
        self.report = BuildReport()
        # The teams as their pages show them, and the media each uses: a team member's page lists its
        # teammates from these, with no request of its own.
        self.teams_by_slug: dict[str, dict] = {}
        self.team_media: dict[str, set] = {}

    # The two entry points ---------------------------------------------------------------------

    def build(self) -> BuildReport:
        """Render the whole site and swap it in."""
        with StagedSite(self.out) as site:
            manifest = self._fresh_manifest()
            self._build_shared(site, manifest)
            self.progress.start("profiles")
            profiles = queries.fetch_all(
                self.source, "/profiles", queries.profiles(), self.workers, on_total=self._profiles_total
            )
            for batch in profiles:
                self._render_profiles(site, manifest, batch)
            self._finish(site, manifest)
        return self.report

    def build_changed(self, since: str | None) -> BuildReport:
        """Re-render what changed since ``since`` (ISO time; None: since the previous build's content)."""
        previous = self._previous_manifest()
        if previous is None:
            self.report.notes.append("No previous build to update: built the whole site.")
            return self.build()
        since = since or _before(previous["watermark"], WATERMARK_OVERLAP)
        self.report.incremental, self.report.since = True, since
        with StagedChanges(self.out) as site:
            manifest = {**previous, "pages": dict(previous["pages"])}
            self._build_shared(site, manifest)
            # A teammate joined, left or changed their name, role or avatar: every member's page lists them.
            before, now = previous.get("sidebars", {}), manifest["sidebars"]
            changed_sidebars = sorted(slug for slug in before.keys() | now.keys() if before.get(slug) != now.get(slug))
            existing = self._existing_profile_ids()
            for url in [u for u in manifest["pages"] if _is_profile_page(u)]:
                if _profile_id(url) not in existing:
                    del manifest["pages"][url]
                    site.remove(url)
                    self.report.pages_removed += 1
            gone = previous.get("sidebar_members", {})
            gone_members = sorted({pk for slug in changed_sidebars if slug not in now for pk in gone.get(slug, ())})
            query = queries.profiles(since, also=self._dependencies_changed(since, changed_sidebars, gone_members))
            self.progress.start("profiles")
            for batch in queries.fetch_all(
                self.source, "/profiles", query, self.workers, on_total=self._profiles_total
            ):
                self._render_profiles(site, manifest, batch)
            self._finish(site, manifest)
        return self.report

    # Parts ------------------------------------------------------------------------------------

    def _fresh_manifest(self) -> dict:
        return {"version": MANIFEST_VERSION, "pages": {}, "watermark": ""}

    def _previous_manifest(self) -> dict | None:
        path = self.out / MANIFEST.lstrip("/")
        if not path.is_file():
            return None
        try:
            manifest = json.loads(path.read_text())
        except ValueError:
            return None
        return manifest if manifest.get("version") == MANIFEST_VERSION else None

    def _build_shared(self, site: StagedSite | StagedChanges, manifest: dict) -> None:
        """The team page, a page per team, the careers page and a page per job; their JSON; the CSS."""
        self.progress.start("teams and jobs")
        raw_teams = [t for batch in queries.fetch_all(self.source, "/teams", queries.teams(self.today)) for t in batch]
        raw_jobs = [j for batch in queries.fetch_all(self.source, "/jobs", queries.jobs()) for j in batch]
        teams, team_media = [], {}
        for entry in raw_teams:
            with self.media.recording() as used:
                view = content.team(entry, self.media)
            teams.append(view)
            team_media[view["slug"]] = used
        by_slug = {t["slug"]: t for t in teams}
        self.teams_by_slug, self.team_media = by_slug, team_media
        manifest["sidebars"] = {slug: _fingerprint(team) for slug, team in by_slug.items()}
        # Whose pages show each team: when a team is deleted or unpublished, the API no longer finds them by it.
        manifest["sidebar_members"] = {slug: sorted(m["id"] for m in team["members"]) for slug, team in by_slug.items()}
        jobs = [content.job(entry, by_slug) for entry in raw_jobs]

        # Pages of teams and jobs that are gone are dropped; all current ones are written again.
        for url in [u for u in manifest["pages"] if not _is_profile_page(u)]:
            del manifest["pages"][url]

        members = {m["id"] for t in teams for m in t["members"]}
        self._page(
            site,
            manifest,
            "/team/",
            "team.html",
            section="team",
            teams=teams,
            member_count=len(members),
            media=set().union(*team_media.values()),
        )
        for team in teams:
            self._page(
                site,
                manifest,
                team["url"],
                "team_detail.html",
                section="team",
                team=team,
                media=team_media[team["slug"]],
                lastmod=team["updated_at"],
            )
        self._page(site, manifest, "/careers/", "careers.html", section="careers", jobs=jobs, media=set())
        for job in jobs:
            used = set().union(*(team_media[t["slug"]] for t in job["teams"]))
            self._page(
                site,
                manifest,
                job["url"],
                "job.html",
                section="careers",
                job=job,
                media=used,
                lastmod=job["updated_at"],
            )
        self._remove_stale(site, manifest, under=("/teams/", "/careers/"))

        site.write("/data/team.json", stable_json({"data": raw_teams}))
        site.write("/data/jobs.json", stable_json({"data": raw_jobs}))
        for path, data in assets().items():
            site.write(path, data)
        self._raise_watermark(manifest, [*raw_teams, *raw_jobs])
        self.progress.total("teams and jobs", len(teams) + len(jobs))
        self.progress.advance("teams and jobs", len(teams) + len(jobs))

    def _profiles_total(self, total: int) -> None:
        self.progress.total("profiles", total)

    def _render_profiles(self, site: StagedSite | StagedChanges, manifest: dict, batch: list[dict]) -> None:
        for entry in batch:
            with self.media.recording() as used:
                view = content.profile(entry, self.media, self.teams_by_slug)
            for team in view["team_sidebar"]:
                used = used | self.team_media[team["slug"]]
            self._page(site, manifest, view["url"], "profile.html", section="community", profile=view, media=used,
                       lastmod=view["updated_at"])  # fmt: skip
            self.report.profiles_rendered += 1
        self._raise_watermark(manifest, batch)
        self.progress.advance("profiles", len(batch))

    def _page(self, site, manifest, url, template, *, media, lastmod=None, **context):
        html = render(template, site_name=settings.SITE_NAME, base_url=self.base_url, page_url=url, **context)
        site.write(url, html)
        manifest["pages"][url] = {"lastmod": (lastmod or "")[:10], "media": sorted(media)}
        self.report.pages_written += 1

    def _remove_stale(self, site: StagedSite | StagedChanges, manifest: dict, under: Iterable[str]) -> None:
        """Pages left from the previous site under these folders that this build did not write."""
        for folder in under:
            for path in site.files(folder):
                url = path.removesuffix("index.html")
                if url not in manifest["pages"]:
                    site.remove(path)
                    self.report.pages_removed += 1

    def _existing_profile_ids(self) -> set[int]:
        self.progress.start("profile list")
        ids = set()
        for batch in queries.fetch_all(self.source, "/profiles", queries.profile_ids(), self.workers):
            ids.update(entry["id"] for entry in batch)
            self.progress.advance("profile list", len(batch))
        return ids

    def _dependencies_changed(self, since: str, changed_sidebars=(), gone_members=()) -> dict:
        """Conditions under which an unedited profile's page changed: what it shows from elsewhere was edited,
        or a team it is on has another sidebar than in the previous build (``changed_sidebars``, slugs), or
        it showed a team that is gone (``gone_members``: the ids of that team's members in the previous build).

        Filters on the related entries' ``updatedAt`` (and a few team slugs) rather than lists of
        profile ids, so the query stays short however much changed (a request line has a length limit).
        """
        later = {"updatedAt": {"$gt": since}}
        conditions = {
            "achievements": {"achievements": later},
            "teams": {"teams": later},
            "questions": {"questions": later},
            "replies": {"replies": {"question": later}},
        }
        if changed_sidebars:
            conditions["sidebars"] = {"teams": {"slug": {"$in": list(changed_sidebars)}}}
        if gone_members:
            conditions["gone teams"] = {"id": {"$in": list(gone_members)}}
        return conditions

    def _raise_watermark(self, manifest: dict, entries: list[dict]) -> None:
        newest = max((e.get("updatedAt") or "" for e in entries), default="")
        manifest["watermark"] = max(manifest["watermark"], newest)

    def _finish(self, site: StagedSite | StagedChanges, manifest: dict) -> None:
        """Media, the sitemap and the manifest; then the swap."""
        needed = set().union(*(set(p["media"]) for p in manifest["pages"].values()))
        self.progress.start("media", len(needed))
        self.report.media_downloaded = self.media.copy_into(
            site, needed, progress=lambda n: self.progress.advance("media", n)
        )
        for path in site.files("/media/"):
            if path not in needed:
                site.remove(path)
        pages = [{"url": url, "lastmod": page["lastmod"]} for url, page in sorted(manifest["pages"].items(),
                 key=lambda item: _sitemap_order(item[0]))]  # fmt: skip
        site.write("/sitemap.xml", render("sitemap.xml", base_url=self.base_url, pages=pages))
        site.write(MANIFEST, stable_json(manifest))
        site.publish()


def _fingerprint(team: dict) -> str:
    """What a team member's sidebar shows of ``team``, as a short hash to compare builds by."""
    shown = {key: team[key] for key in ("name", "url", "crest", "members")}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _is_profile_page(url: str) -> bool:
    return url.startswith("/community/profiles/")


def _profile_id(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[1])


def _sitemap_order(url: str):
    # Profiles in id order (10 before 100), everything else by URL.
    return (1, _profile_id(url), "") if _is_profile_page(url) else (0, 0, url)


def _before(iso: str, delta: timedelta) -> str:
    if not iso:
        return "1970-01-01T00:00:00.000Z"
    return queries.api_time(datetime.fromisoformat(iso.replace("Z", "+00:00")) - delta)
