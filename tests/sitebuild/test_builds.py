"""Builds are deterministic, swapped in whole, and --changed-since gives what a whole build gives."""

import json
import os
from datetime import UTC

import pytest
from django.utils import timezone

from plugins.accounts.policy import Actor, TokenKind
from plugins.achievements.models import Achievement
from plugins.points.services import Posting, post
from plugins.profiles.models import Profile
from plugins.profiles.services import set_team_membership
from plugins.sitebuild import queries
from plugins.sitebuild.build import SiteBuilder
from plugins.sitebuild.sources import InProcessSource, SourceError, TooLarge
from plugins.teams.models import Team
from tests import factories
from tests.sitebuild.conftest import build, build_changed, read, tree


def api_time(moment=None) -> str:
    moment = (moment or timezone.now()).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def test_two_builds_of_the_same_content_are_byte_identical(demo, tmp_path):
    build(tmp_path / "one")
    build(tmp_path / "two", cache_dir=tmp_path / "other-cache")
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert len(first) > 50
    assert first == second


def test_a_build_replaces_the_site_whole_and_leaves_no_staging_folder(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    old_profile = Profile.objects.order_by("pk").last()
    (out / "stale.html").write_text("left from an older site")
    old_profile.delete()
    build(out)
    assert not (out / "stale.html").exists()
    assert not (out / "community/profiles" / str(old_profile.pk)).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == []


class FailingSource(InProcessSource):
    """The API goes away in the middle of the profiles."""

    def get(self, path, params):
        if path == "/profiles" and params["pagination"]["start"] >= queries.PAGE_SIZE:
            raise SourceError("GET /api/profiles answered 502")
        return super().get(path, params)


def test_a_failed_build_leaves_the_previous_site_as_it_was(demo, tmp_path, django_assert_max_num_queries):
    out = tmp_path / "site"
    build(out)
    before = tree(out)
    factories.ProfileFactory.create_batch(110)  # so that there is a second page of profiles
    with pytest.raises(SourceError, match="502"):
        SiteBuilder(source=FailingSource(), out=out).build()
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if "building" in p.name] == []


class CountingSource(InProcessSource):
    """Counts the requests the API refused for its populate budget."""

    refused = 0

    def get(self, path, params):
        try:
            return super().get(path, params)
        except TooLarge:
            self.refused += 1
            raise


def test_chunks_over_the_apis_populate_budget_are_fetched_in_halves_and_build_the_same_site(demo, tmp_path, settings):
    build(tmp_path / "whole")
    settings.API_POPULATE_MAX_ROWS = 40  # a few profiles' posts and awards, not a page of them
    source = CountingSource()
    SiteBuilder(source=source, out=tmp_path / "halves").build()
    assert source.refused > 0
    assert tree(tmp_path / "halves") == tree(tmp_path / "whole")


def _changed_equals_whole(tmp_path, out, since):
    """The incremental build's site equals a whole build's (the manifest's watermark may be later: it remembers
    the newest change it saw, even of a profile since deleted)."""
    report = build_changed(out, since)
    build(tmp_path / "whole")
    changed, whole = tree(out), tree(tmp_path / "whole")
    manifests = [json.loads(files.pop(".sitebuild/manifest.json")) for files in (changed, whole)]
    assert changed == whole
    assert manifests[0]["pages"] == manifests[1]["pages"]
    assert manifests[0]["watermark"] >= manifests[1]["watermark"]
    return report


def test_changed_since_rerenders_only_the_changed_profile_and_matches_a_whole_build(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    since = api_time()
    profile = Profile.objects.filter(teams__isnull=True).order_by("pk").first()
    profile.first_name = "Renamed"
    profile.save()
    report = _changed_equals_whole(tmp_path, out, since)
    assert report.incremental and report.profiles_rendered == 1
    assert "Renamed" in read(out, f"/community/profiles/{profile.pk}/")


@pytest.mark.parametrize(
    "change",
    [
        "points",
        "achievement edited",
        "team renamed",
        "question",
        "deleted",
        "new",
        "joined a team",
        "teammate renamed",
        "team unpublished",
        "team deleted",
    ],
)
def test_changed_since_follows_what_a_profile_page_shows(demo, tmp_path, change, django_capture_on_commit_callbacks):
    leaving = factories.ProfileFactory(first_name="Leaving")
    out = tmp_path / "site"
    build(out)
    since = api_time()
    member = Profile.objects.filter(teams__isnull=False, achievement_awards__isnull=False).order_by("pk").first()
    if change == "points":
        with django_capture_on_commit_callbacks(execute=True):  # the event that marks the profile changed
            post(member, Posting(7, "gift", "A gift", f"gift-{member.pk}"))
    elif change == "achievement edited":
        achievement = Achievement.objects.filter(awards__profile=member).first()
        achievement.title = "Renamed achievement"
        achievement.save()
    elif change == "team renamed":
        team = member.teams.first()
        team.name = "Renamed team"
        team.save()
        team.save_revision().publish()
    elif change == "question":
        factories.QuestionFactory(author=member, subject="A brand new question")
    elif change == "deleted":
        leaving.delete()
    elif change == "new":
        factories.ProfileFactory(first_name="Newcomer")
    elif change == "joined a team":  # every teammate's page lists the newcomer
        newcomer = factories.ProfileFactory(first_name="Newcomer", start_date=timezone.localdate())
        set_team_membership(Actor(token_kind=TokenKind.FULL_ACCESS), member.teams.first(), newcomer, member=True)
    elif change == "teammate renamed":  # listed by name on every teammate's page
        teammate = member.teams.first().profiles.exclude(pk=member.pk).first()
        teammate.first_name = "Renamed"
        teammate.save()
    elif change == "team unpublished":  # its members' sidebars drop it, though the API no longer finds them by it
        member.teams.first().unpublish()
    elif change == "team deleted":
        member.teams.first().delete()
    report = _changed_equals_whole(tmp_path, out, since)
    assert report.profiles_rendered + report.pages_removed >= 1
    assert report.profiles_rendered < Profile.objects.count() / 2


def test_changed_since_without_a_time_uses_the_previous_builds_content(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    report = _changed_equals_whole(tmp_path, out, None)
    assert report.incremental and report.since


def test_changed_since_without_a_previous_build_builds_everything(demo, tmp_path):
    out = tmp_path / "site"
    report = build_changed(out, None)
    assert not report.incremental and report.notes
    assert (out / "team/index.html").exists()


def test_the_team_page_follows_a_team_change_in_an_incremental_build(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    since = api_time()
    team = Team.objects.filter(live=True).first()
    team.tagline = "A brand new tagline"
    team.save()
    team.save_revision().publish()
    _changed_equals_whole(tmp_path, out, since)
    assert "A brand new tagline" in read(out, "/team/")


def test_site_files_are_readable_by_a_web_server(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    assert os.stat(out).st_mode & 0o005 == 0o005
