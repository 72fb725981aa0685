"""Editing a profile, small team or job listing previews its page as the static site build renders it."""

from datetime import timedelta

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.admin.panels import get_edit_handler
from wagtail.models import Revision

from plugins.achievements.services import award_achievement
from plugins.jobs.models import JobListing
from plugins.notifications.models import WebhookDelivery
from plugins.profiles.models import Profile
from plugins.sitebuild.render import assets, site_asset_url
from plugins.teams.models import Team
from tests.factories import (
    AchievementFactory,
    ImageFactory,
    JobListingFactory,
    ProfileFactory,
    QuestionFactory,
    ReplyFactory,
    RoadmapItemFactory,
    TeamFactory,
    editor,
)
from tests.sitebuild.conftest import build, read

pytestmark = pytest.mark.django_db


def form_data(instance, user, **changes) -> dict:
    """What the admin's edit form posts for ``instance`` as it stands, with ``changes`` (model field values)."""
    form = get_edit_handler(type(instance)).get_form_class()(instance=instance, for_user=user)
    data = {}
    for name, field in form.fields.items():
        value = changes[name] if name in changes else form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(field.widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
            data[name] = [str(getattr(v, "pk", v)) for v in value or ()]
        else:
            value = getattr(value, "pk", value)
            formatted = field.widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data


def preview(client, instance, user, **changes) -> str:
    """The page Wagtail's preview panel shows for the edit form with ``changes``, as an editor sees it."""
    url = reverse(f"wagtailsnippets_{instance._meta.app_label}_{instance._meta.model_name}:preview_on_edit",
                  args=[instance.pk])  # fmt: skip
    checked = client.post(url, form_data(instance, user, **changes))
    assert checked.json() == {"is_valid": True, "is_available": True}
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def as_built(html: str) -> str:
    """The preview with the site's own files where the built site keeps them (the CMS serves them elsewhere)."""
    for path in assets():
        name = path.rsplit("/", 1)[1]
        html = html.replace(reverse("community_site_preview_asset", args=[name]), site_asset_url(name))
    return html


@pytest.fixture
def eddie(client):
    user = editor(username="eddie")
    client.force_login(user)
    return user


def test_a_team_preview_is_the_built_team_page(client, demo, eddie, tmp_path):
    build(tmp_path / "site")
    team = Team.objects.filter(live=True, crest__isnull=False, lead_profiles__isnull=False).first()
    assert team is not None and team.jobs.filter(live=True).exists()
    html = preview(client, team, eddie)
    assert as_built(html) == read(tmp_path / "site", f"/teams/{team.slug}/")


def test_a_job_preview_is_the_built_job_page(client, demo, eddie, tmp_path):
    build(tmp_path / "site")
    job = JobListing.objects.filter(live=True, teams__profiles__isnull=False).order_by("title").first()
    html = preview(client, job, eddie)
    assert "Who you would work with" in html and job.teams.get().name in html
    assert as_built(html) == read(tmp_path / "site", f"/careers/{job.slug}/")


def test_a_profile_preview_is_the_built_profile_page_without_the_email(client, demo, eddie, tmp_path):
    build(tmp_path / "site")
    profile = (
        Profile.objects.team_members()
        .filter(avatar__isnull=False, achievement_awards__isnull=False)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    html = preview(client, profile, eddie)
    assert as_built(html) == read(tmp_path / "site", f"/community/profiles/{profile.pk}/")
    assert profile.email not in html


def test_unsaved_changes_show_in_the_preview_and_nothing_is_written(client, demo, eddie):
    team = Team.objects.filter(live=True).first()
    job = JobListing.objects.filter(live=True).first()
    other_team = Team.objects.filter(live=True).exclude(pk__in=job.teams.all()).exclude(profiles=None).first()
    profile = Profile.objects.team_members().exclude(teams=other_team).first()
    before = snapshot()

    team_page = preview(client, team, eddie, name="Pineapple Guild", tagline="Unsaved tagline")
    job_page = preview(client, job, eddie, title="Unsaved role", teams=[other_team])
    profile_page = preview(
        client, profile, eddie, biography="An **unsaved** biography.", teams=[other_team], email="new@example.com"
    )

    assert "<h1>Pineapple Guild" in team_page and "Unsaved tagline" in team_page
    assert "<h1>Unsaved role</h1>" in job_page and f'id="team-{other_team.slug}"' in job_page
    assert all(f'id="team-{t.slug}"' not in job_page for t in job.teams.all())
    assert "<strong>unsaved</strong>" in profile_page and f'href="/teams/{other_team.slug}/"' in profile_page
    assert "new@example.com" not in profile_page and profile.email not in profile_page
    assert snapshot() == before


def snapshot() -> dict:
    """What a preview must leave as it was: the content, its revisions, webhooks, tasks."""
    return {
        "teams": list(Team.objects.values_list("pk", "name", "tagline", "updated_at", "latest_revision_id")),
        "jobs": list(JobListing.objects.values_list("pk", "title", "updated_at", "latest_revision_id")),
        "job teams": list(JobListing.teams.through.objects.values_list("pk", "joblisting_id", "team_id")),
        "profiles": list(Profile.objects.values_list("pk", "biography", "email", "updated_at")),
        "memberships": list(Profile.teams.through.objects.values_list("pk", "profile_id", "team_id")),
        "revisions": Revision.objects.count(),
        "webhook deliveries": WebhookDelivery.objects.count(),
        "tasks": DBTaskResult.objects.count(),
    }


def preview_new(client, instance, user, **values) -> str:
    url = reverse(f"wagtailsnippets_{instance._meta.app_label}_{instance._meta.model_name}:preview_on_add")
    checked = client.post(url, form_data(instance, user, **values))
    assert checked.json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_new_entries_are_previewed_before_they_are_first_saved(client, demo, eddie):
    team = Team.objects.filter(live=True).exclude(profiles=None).first()
    before = snapshot()

    team_page = preview_new(client, Team(), eddie, name="Brand new team", tagline="Not saved yet")
    job_page = preview_new(client, JobListing(), eddie, title="Brand new role", teams=[team],
                           description="<p>Fresh.</p>", apply_url="https://jobs.example.com/new")  # fmt: skip
    profile_page = preview_new(client, Profile(), eddie, first_name="Newcomer", teams=[team])

    assert (
        "<h1>Brand new team" in team_page and "Not saved yet" in team_page and "Nobody on this team yet." in team_page
    )
    assert "<h1>Brand new role</h1>" in job_page and f'id="team-{team.slug}"' in job_page
    assert "<h1>Newcomer" in profile_page and f'href="/teams/{team.slug}/"' in profile_page
    assert snapshot() == before


def test_the_preview_loads_the_sites_own_stylesheet(client, eddie):
    response = client.get(reverse("community_site_preview_asset", args=["site.css"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert response.content == assets()[site_asset_url("site.css")]
    assert client.get(reverse("community_site_preview_asset", args=["missing.css"])).status_code == 404


def add_to_team(team, n: int):
    """``n`` more of all the team page shows: started members with avatars (each a lead), jobs, roadmap items."""
    started = timezone.localdate() - timedelta(days=30)
    for _ in range(n):
        member = ProfileFactory(avatar=ImageFactory(), start_date=started, pineapple_on_pizza=True, teams=[team])
        member.lead_teams.add(team)
        JobListingFactory(teams=[team])
        RoadmapItemFactory(teams=[team])


def add_to_profile(profile, n: int):
    """``n`` more of everything the profile's page shows: teams, achievements with icons, questions, replies."""
    for _ in range(n):
        profile.teams.add(TeamFactory(crest=ImageFactory()))
        award_achievement(profile, AchievementFactory(icon=ImageFactory()))
        QuestionFactory(author=profile)
        ReplyFactory(author=profile)


def preview_queries(client, instance, user) -> int:
    url = reverse(f"wagtailsnippets_{instance._meta.app_label}_{instance._meta.model_name}:preview_on_edit",
                  args=[instance.pk])  # fmt: skip
    client.post(url, form_data(instance, user))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_preview_reads_a_fixed_number_of_queries_however_much_the_page_shows(client, eddie):
    team = TeamFactory(crest=ImageFactory())
    job = JobListingFactory(teams=[team])
    profile = ProfileFactory(avatar=ImageFactory(), start_date=timezone.localdate(), teams=[team])

    def counts() -> list[int]:
        # Each once first, so that what is kept between requests (the pineapple counts, forgotten when a
        # membership changes; the permission matrix) is kept.
        [preview_queries(client, obj, eddie) for obj in (team, job, profile)]
        return [preview_queries(client, obj, eddie) for obj in (team, job, profile)]

    add_to_team(team, 1)
    add_to_profile(profile, 1)
    few = counts()
    add_to_team(team, 4)
    add_to_profile(profile, 4)
    assert counts() == few
    assert preview(client, team, eddie).count('class="member-name"') == 6
    assert preview(client, job, eddie).count('class="member-name"') == 6
    profile_page = preview(client, profile, eddie)
    assert profile_page.count('<li class="achievement') == 5 and profile_page.count("/teams/") == 6
