"""One page of the site rendered from API entries handed in, as the build renders it, for the admin's preview.

The build fetches its entries from the REST API; a preview is handed them (the unsaved object
shaped as the API would answer the build's query, see ``snippets/site_preview.py``) and renders
them with the same content functions and templates. Two things differ because the page is served
by the CMS rather than from the built folder: images point at the files where the CMS serves them
(nothing is copied), and the site's stylesheet and icon at ``asset_url``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from plugins.sitebuild import content
from plugins.sitebuild.media import MediaCollector
from plugins.sitebuild.render import render


class ServedMedia(MediaCollector):
    """Pictures chosen as the build chooses them (1x and 2x), pointing at the media URLs themselves."""

    def __init__(self):
        super().__init__(source=None, cache_dir=Path())

    def _use(self, url: str) -> str:
        return url


def _page(template: str, url: str, asset_url: Callable[[str], str], **context) -> str:
    base_url = settings.SITE_BASE_URL.rstrip("/")
    return render(
        template, site_name=settings.SITE_NAME, base_url=base_url, page_url=url, asset_url=asset_url, **context
    )


def team_page(entry: dict, asset_url: Callable[[str], str]) -> str:
    """A small team's page (``/teams/<slug>/``) from its entry of the build's ``teams`` query."""
    team = content.team(entry, ServedMedia())
    return _page("team_detail.html", team["url"], asset_url, section="team", team=team)


def job_page(entry: dict, team_entries: list[dict], asset_url: Callable[[str], str]) -> str:
    """A job listing's page (``/careers/<slug>/``) from its entry of the ``jobs`` query and its teams' entries."""
    media = ServedMedia()
    teams = {team["slug"]: team for team in (content.team(t, media) for t in team_entries)}
    job = content.job(entry, teams)
    return _page("job.html", job["url"], asset_url, section="careers", job=job)


def profile_page(entry: dict, asset_url: Callable[[str], str]) -> str:
    """A community profile's page (``/community/profiles/<id>/``) from its entry of the ``profiles`` query."""
    profile = content.profile(entry, ServedMedia())
    return _page("profile.html", profile["url"], asset_url, section="community", profile=profile)
