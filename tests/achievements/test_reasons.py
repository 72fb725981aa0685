"""Reasons read as sentences: what earned an automatic award is said in words (the trigger's label), and
reasons stored as codes before ("3 × answers_posted") are put in words wherever they are shown."""

import pytest
from django.urls import reverse

from plugins.achievements.models import AchievementAward, ActivityCount
from plugins.achievements.rules import award_due, check_profile
from plugins.achievements.triggers import Trigger, readable_reason
from plugins.demo import catalog
from plugins.points.models import LedgerEntry
from plugins.points.services import Posting, post
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

CODES = [code for code in Trigger.values if "_" in code]  # one-word codes ("solutions") are ordinary words


@pytest.fixture
def member():
    return factories.ProfileFactory(user=factories.UserFactory(username="kim"), first_name="Kim", last_name="Lee")


def test_an_automatic_award_says_what_earned_it_in_words(member):
    factories.AchievementFactory(title="Three answers", trigger=Trigger.ANSWERS_POSTED, threshold=3, points=20)
    award_due(member, Trigger.ANSWERS_POSTED, 3)
    assert AchievementAward.objects.get().reason == "Answers posted: 3"
    assert LedgerEntry.objects.get().reason == "Achievement: Three answers (Answers posted: 3)"


def test_a_profile_trigger_says_what_the_profile_has(member):
    factories.AchievementFactory(title="Storyteller", trigger=Trigger.BIOGRAPHY_UPDATED)
    member.biography = "I write Rust."
    member.save()
    check_profile(member)
    assert AchievementAward.objects.get().reason == Trigger.BIOGRAPHY_UPDATED.label


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("3 × answers_posted", "Answers posted: 3"),
        ("1 × profile_completed", Trigger.PROFILE_COMPLETED.label),
        ("Achievement: Oracle (10 × solutions)", "Achievement: Oracle (Answers marked as the solution: 10)"),
        ("Found the CSV bug", "Found the CSV bug"),
        ("2 × not_a_trigger", "2 × not_a_trigger"),  # not ours to reword
        ("", ""),
    ],
)
def test_old_coded_reasons_are_put_in_words(stored, shown):
    assert readable_reason(stored) == shown


def test_every_trigger_has_words():
    for trigger in Trigger.values:
        words = readable_reason(f"4 × {trigger}")
        assert trigger not in words or "_" not in trigger
        assert Trigger(trigger).label in words


def old_rows(member):
    """An award and its ledger entry as the rules engine wrote them before reasons were sentences."""
    oracle = factories.AchievementFactory(title="Oracle", trigger=Trigger.ANSWERS_POSTED, threshold=10, points=100)
    award = AchievementAward.objects.create(profile=member, achievement=oracle, reason="10 × answers_posted")
    post(
        member,
        Posting(
            100,
            "achievement",
            "Achievement: Oracle (10 × answers_posted)",
            f"award:{award.pk}",
            related=f"achievements.achievementaward:{award.pk}",
        ),
    )


def test_my_points_and_achievements_give_old_reasons_in_words(client, member):
    old_rows(member)
    points = client.get("/api/users/me/points", **bearer(member.user)).json()["data"]
    assert points["transactions"][0]["reason"] == "Achievement: Oracle (Answers posted: 10)"
    achievements = client.get("/api/users/me/achievements", **bearer(member.user)).json()["data"]
    assert achievements["earned"][0]["reason"] == "Answers posted: 10"


def test_the_moderators_page_gives_old_reasons_in_words(client, member, moderator_user):
    old_rows(member)
    client.force_login(moderator_user)
    page = client.get(reverse("community_profile_moderation", args=[member.pk])).content.decode()
    assert "Answers posted: 10" in page and "Achievement: Oracle (Answers posted: 10)" in page
    for code in CODES:
        assert code not in page


def test_an_activity_count_reads_in_words(member):
    counter = ActivityCount.objects.create(profile=member, trigger=Trigger.QUESTIONS_ASKED, count=4)
    assert str(counter) == "Kim Lee: Questions asked: 4"


def test_every_demo_achievement_is_described_in_words():
    titles = {spec[0] for _, _, specs in catalog.ACHIEVEMENT_GROUPS for spec in specs}
    assert set(catalog.ACHIEVEMENT_DESCRIPTIONS) == titles
    for description in catalog.ACHIEVEMENT_DESCRIPTIONS.values():
        assert description.endswith(".") and not description.startswith("Awarded for")
