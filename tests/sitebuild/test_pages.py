"""The built site's pages show what the CMS holds, and nothing private."""

from datetime import timedelta

from django.utils import timezone

from plugins.achievements.services import award_achievement
from plugins.jobs.models import JobListing
from plugins.profiles.models import Profile
from plugins.sitebuild.build import SiteBuilder
from plugins.sitebuild.sources import InProcessSource
from plugins.teams.models import Team
from tests import factories
from tests.sitebuild.conftest import build, profile_links, read, tree


def test_team_page_lists_exactly_the_team_members_who_have_started(demo, tmp_path):
    today = timezone.localdate()
    # Started long ago but on no team: not a team member.
    factories.ProfileFactory(first_name="Teamless", start_date=today - timedelta(days=300))
    starts_tomorrow = Profile.objects.filter(teams__isnull=False).order_by("pk").first()
    starts_tomorrow.start_date = today + timedelta(days=1)
    starts_tomorrow.save()

    out = tmp_path / "site"
    build(out)
    html = read(out, "/team/")
    listed = profile_links(html)
    expected = set(Profile.objects.team_members().values_list("pk", flat=True))
    assert len(listed) == len(set(listed)) > 0  # each once: nobody is on two of the demo's teams
    assert set(listed) == expected
    assert starts_tomorrow.pk not in listed
    assert "Teamless" not in html
    for team in Team.objects.filter(live=True):
        assert f'href="/teams/{team.slug}/"' in html


def test_team_page_puts_leads_first_with_role_location_and_flag(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    team = Team.objects.filter(live=True).order_by("display_order").first()
    lead = team.lead_profiles.get()
    page = read(out, f"/teams/{team.slug}/")
    members = profile_links(page)
    assert members[0] == lead.pk
    assert "Lead</span>" in page
    assert lead.company_role in page and lead.location in page
    assert f'aria-label="{_country(lead.country)}"' in page


def _country(code):
    from plugins.core.countries import country_name

    return country_name(code)


def test_job_page_shows_its_teams_members_lead_and_verdict(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    job = JobListing.objects.filter(live=True).order_by("title").first()
    team = job.teams.get()
    page = read(out, f"/careers/{job.slug}/")
    assert job.title in page and "Who you would work with" in page
    assert set(profile_links(page)) == set(team.profiles.team_members().values_list("pk", flat=True))
    assert f'Team lead: <a href="/community/profiles/{team.lead_profiles.get().pk}/"' in page
    assert team.pineapple().label in page
    assert job.apply_url in page
    careers = read(out, "/careers/")
    assert all(f'href="/careers/{j.slug}/"' in careers for j in JobListing.objects.filter(live=True))


def test_a_teams_page_has_its_description_verdict_jobs_and_roadmap(demo, tmp_path):
    team = Team.objects.filter(live=True).order_by("display_order").first()
    item = factories.RoadmapItemFactory(title="Warehouse sync", teams=[team])
    out = tmp_path / "site"
    build(out)
    page = read(out, f"/teams/{team.slug}/")
    assert "Pineapple on pizza?" in page and team.pineapple().label in page
    for job in team.jobs.filter(live=True):
        assert f'href="/careers/{job.slug}/"' in page
    assert item.title in page


def test_a_profile_page_shows_achievements_points_biography_and_discussions(demo, tmp_path):
    profile = Profile.objects.filter(achievement_awards__isnull=False).distinct().order_by("pk").first()
    profile.biography = "I like **graphs**.\n\n<script>alert(1)</script> [me](javascript:alert(1))"
    profile.save()
    question = factories.QuestionFactory(author=profile, subject="How do I export cohorts?")
    out = tmp_path / "site"
    build(out)
    page = read(out, f"/community/profiles/{profile.pk}/")
    held = profile.achievement_awards.filter(revoked_at__isnull=True).select_related("achievement")
    assert held.count() >= 1
    for awarded in held:
        assert awarded.achievement.title in page
    assert f"<dd>{profile.points_account.balance}</dd>" in page
    assert "<strong>graphs</strong>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # shown as text, never run
    assert 'href="javascript:' not in page
    assert question.subject in page and f'href="/questions/{question.slug}"' in page
    # Achievement icons are pictures in the site, and the files are there.
    icons = [line for line in page.splitlines() if 'class="icon"' in line]
    assert icons
    for line in icons:
        src = line.split('src="')[1].split('"')[0]
        assert (out / src.lstrip("/")).is_file()


def test_a_newly_awarded_achievement_shows_on_the_next_build(demo, tmp_path):
    profile = Profile.objects.order_by("pk").last()
    achievement = factories.AchievementFactory(title="Graph wizard", points=5)
    award_achievement(profile, achievement, reason="test")
    out = tmp_path / "site"
    build(out)
    assert "Graph wizard" in read(out, f"/community/profiles/{profile.pk}/")


def test_every_picture_has_1x_and_2x_files_that_exist(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    page = read(out, "/team/")
    srcsets = [chunk.split('"')[0] for chunk in page.split('srcset="')[1:]]
    assert srcsets
    for srcset in srcsets:
        for candidate in srcset.split(", "):
            path, density = candidate.split(" ")
            assert density in ("1x", "2x")
            assert (out / path.lstrip("/")).is_file()


def test_sitemap_and_data_files(demo, tmp_path):
    out = tmp_path / "site"
    build(out, base_url="https://community.example.com")
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://community.example.com/team/</loc>" in sitemap
    for profile in Profile.objects.all():
        assert f"<loc>https://community.example.com/community/profiles/{profile.pk}/</loc>" in sitemap
    import json

    team_data = json.loads((out / "data/team.json").read_text())
    jobs_data = json.loads((out / "data/jobs.json").read_text())
    assert {t["slug"] for t in team_data["data"]} == set(Team.objects.filter(live=True).values_list("slug", flat=True))
    assert len(jobs_data["data"]) == JobListing.objects.filter(live=True).count()
    assert (out / "assets/site.css").stat().st_size > 1000


def test_private_data_never_reaches_the_site(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    everything = b"".join(tree(out).values())
    emails = [e for e in Profile.objects.values_list("email", flat=True) if e]
    assert emails
    for email in emails:
        assert email.encode() not in everything


class CountingSource(InProcessSource):
    """The in-process API, counting the requests the build sends."""

    def __init__(self):
        super().__init__()
        self.paths = []

    def get(self, path, params):
        self.paths.append(path)
        return super().get(path, params)


def sidebar(page: str) -> str:
    return page.split('<aside class="team-sidebar"', 1)[1].split("</aside>", 1)[0] if "team-sidebar" in page else ""


def test_a_team_members_page_shows_their_team_and_teammates_with_roles_and_avatars(demo, tmp_path):
    team = Team.objects.filter(live=True).order_by("display_order").first()
    lead = team.lead_profiles.get()
    member = team.profiles.team_members().exclude(pk=lead.pk).order_by("pk").first()
    member.avatar = factories.ImageFactory()
    member.save()
    outsider = Profile.objects.filter(teams__isnull=True, lead_teams__isnull=True).order_by("pk").first()
    out = tmp_path / "site"
    build(out)

    aside = sidebar(read(out, f"/community/profiles/{lead.pk}/"))
    assert f'href="/teams/{team.slug}/"' in aside and team.name in aside
    teammates = set(team.profiles.team_members().exclude(pk=lead.pk).values_list("pk", flat=True))
    assert len(teammates) >= 2
    assert set(profile_links(aside)) == teammates  # everyone started on the team, the lead themself left out
    assert member.company_role in aside and member.first_name in aside
    assert 'src="/media/' in aside.split(f'href="/community/profiles/{member.pk}/"')[0].rsplit("<li", 1)[1]
    for src in (part.split('"')[0] for part in aside.split('src="')[1:]):
        assert (out / src.lstrip("/")).is_file()

    # The member sees their lead first, marked as the lead.
    theirs = sidebar(read(out, f"/community/profiles/{member.pk}/"))
    assert profile_links(theirs)[0] == lead.pk and "Lead</span>" in theirs
    assert member.pk not in profile_links(theirs)
    assert sidebar(read(out, f"/community/profiles/{outsider.pk}/")) == ""


def test_the_sidebar_asks_the_api_nothing_more_however_many_teammates(demo, tmp_path):
    def requests_of_a_build(out):
        source = CountingSource()
        SiteBuilder(source=source, out=out).build()
        return sorted(source.paths)

    before = requests_of_a_build(tmp_path / "one")
    team = Team.objects.filter(live=True).order_by("display_order").first()
    for newcomer in factories.ProfileFactory.create_batch(8, start_date=timezone.localdate(), teams=[team]):
        assert newcomer.is_team_member
    after = requests_of_a_build(tmp_path / "two")
    assert after == before == sorted(["/teams", "/jobs", "/profiles"])
    assert len(profile_links(sidebar(read(tmp_path / "two", f"/community/profiles/{newcomer.pk}/")))) >= 10
