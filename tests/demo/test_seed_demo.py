from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from plugins.accounts.roles import MODERATORS
from plugins.achievements.models import Achievement
from plugins.jobs.models import JobListing
from plugins.profiles.models import Profile
from plugins.rewards.models import RewardProduct
from plugins.teams.models import Team

pytestmark = pytest.mark.django_db

SMALL = ["--teams=3", "--team-members=9", "--members=12", "--achievements=5", "--reward-products=3", "--jobs=4"]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, "--allow-production", stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Team, Profile, Achievement, RewardProduct, JobListing, get_user_model())
    }


def test_seed_demo_creates_a_community_and_is_idempotent():
    first_output = seed(*SMALL)
    first = counts()
    assert first["Team"] == 3
    assert first["Profile"] == 9 + 12
    assert first["Achievement"] == 5 and first["RewardProduct"] == 3 and first["JobListing"] == 4
    assert Team.objects.filter(live=True).count() == 3
    assert all(job.teams.exists() for job in JobListing.objects.all())
    assert Profile.objects.filter(avatar__isnull=False).count() >= 9  # every team member has an avatar
    assert Profile.objects.team_members().count() < 9, "some team members have not started yet"
    assert get_user_model().objects.filter(groups__name=MODERATORS).count() == 9

    touched = sorted(Profile.objects.values_list("pk", "updated_at"))
    second_output = seed(*SMALL)
    assert counts() == first
    assert sorted(Profile.objects.values_list("pk", "updated_at")) == touched, "running it again touches no profile"
    assert "0 created" in second_output and "9 already there" in second_output
    assert "12 created" in first_output


def test_seed_demo_prints_logins_that_work():
    output = seed(*SMALL)
    logins = [line.split() for line in output.splitlines() if "username:" in line]
    assert len(logins) == 3
    for words in logins:
        username = words[words.index("username:") + 1]
        password = words[words.index("password:") + 1]
        assert authenticate(username=username, password=password) is not None
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser


def test_scale_multiplies_the_counts():
    seed("--scale=0.5", "--members=5")
    assert Team.objects.count() == 4
    assert Profile.objects.count() == 20 + 5


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo", stdout=StringIO())


def test_awards_for_benchmarks_are_idempotent():
    from plugins.achievements.models import AchievementAward

    seed(*SMALL, "--awards=2")
    assert AchievementAward.objects.count() == 9 * 2
    from plugins.points.models import LedgerEntry
    from plugins.points.services import find_drift

    assert LedgerEntry.objects.count() == 9 * 2 and find_drift() == []
    assert all(
        AchievementAward.objects.filter(profile=p).values("achievement").distinct().count() == 2
        for p in Profile.objects.filter(teams__isnull=False).distinct()
    )
    seed(*SMALL, "--awards=2")
    assert AchievementAward.objects.count() == 9 * 2


def test_bulk_publish_leaves_what_publishing_one_by_one_does(client):
    """Seeding publishes in bulk; the rows must end as Wagtail's publish leaves them, for the API and the admin."""
    from plugins.demo.seeding import publish, publish_all

    one = Team(name="One by one", slug="one-by-one")
    publish(one)
    bulk = [Team(name=f"In bulk {n}", slug=f"in-bulk-{n}") for n in range(3)]
    publish_all(bulk)
    lead = Team.objects.get(slug="in-bulk-0")
    job = JobListing(title="Engineer", slug="engineer", description="<p>Hi</p>", apply_url="https://example.com")
    job.teams.set([lead])
    publish_all([job])

    state = ("live", "has_unpublished_changes", "expired", "locked")
    reference = Team.objects.get(slug="one-by-one")
    for team in Team.objects.filter(slug__startswith="in-bulk-"):
        assert [getattr(team, f) for f in state] == [getattr(reference, f) for f in state]
        assert team.live_revision_id == team.latest_revision_id is not None
        assert team.first_published_at and team.last_published_at
        assert team.revisions.count() == 1 and team.latest_revision.as_object().name == team.name
    job = JobListing.objects.get(slug="engineer")
    assert list(job.teams.all()) == [lead]
    assert job.live and job.live_revision_id == job.latest_revision_id
    assert [t.pk for t in job.latest_revision.as_object().teams.all()] == [lead.pk]

    listed = client.get("/api/teams", {"pagination[pageSize]": 10}).json()["data"]
    assert {t["slug"] for t in listed} == {"one-by-one", "in-bulk-0", "in-bulk-1", "in-bulk-2"}
    assert all(t["publishedAt"] for t in listed)
