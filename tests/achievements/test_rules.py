"""The rules engine: events count activity and award automatic achievements when due."""

import pytest
from django.core.management import call_command

from plugins.achievements.models import AchievementAward
from plugins.core.events import emit
from plugins.points.models import LedgerEntry
from plugins.points.services import balance_of, find_drift
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fire(django_capture_on_commit_callbacks):
    def fire(event, **payload):
        with django_capture_on_commit_callbacks(execute=True):
            emit(event, **payload)

    return fire


def held(profile):
    return sorted(
        AchievementAward.objects.filter(profile=profile, revoked_at__isnull=True).values_list(
            "achievement__title", flat=True
        )
    )


def test_thresholds_award_as_activity_accumulates(fire):
    member = factories.ProfileFactory()
    factories.AchievementFactory(title="First answer", trigger="answers_posted", threshold=1, points=10)
    factories.AchievementFactory(title="Three answers", trigger="answers_posted", threshold=3, points=20)
    factories.AchievementFactory(title="Draft rung", trigger="answers_posted", threshold=1, live=False)
    for reply_id in range(1, 4):
        fire("reply_posted", author_id=member.pk, question_author_id=None, reply_id=reply_id)
        if reply_id == 1:
            assert held(member) == ["First answer"]
    assert held(member) == ["First answer", "Three answers"]
    assert balance_of(member) == 10 + 20 + 3  # two achievements and three reply points
    assert find_drift() == []


def test_each_trigger_is_heard(fire):
    member, other = factories.ProfileFactory(), factories.ProfileFactory()
    for trigger in ("questions_asked", "solutions", "roadmap_votes"):
        factories.AchievementFactory(title=trigger, trigger=trigger, threshold=1)
    fire("question_asked", author_id=member.pk)
    fire("solution_marked", reply_author_id=member.pk, asker_id=other.pk)
    fire("roadmap_voted", profile_id=member.pk)
    assert held(member) == ["questions_asked", "roadmap_votes", "solutions"]
    assert held(other) == []


def test_a_repeatable_automatic_achievement_comes_again_at_each_multiple(fire):
    member = factories.ProfileFactory()
    factories.AchievementFactory(title="Five votes", trigger="roadmap_votes", threshold=5, repeatable=True, points=1)
    for _ in range(11):
        fire("roadmap_voted", profile_id=member.pk)
    assert AchievementAward.objects.filter(profile=member).count() == 2


def test_profile_triggers_follow_the_profile(django_capture_on_commit_callbacks):
    factories.AchievementFactory(title="Storyteller", trigger="biography_updated")
    factories.AchievementFactory(title="All set up", trigger="profile_completed")
    member = factories.ProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        member.biography = "I write Rust."
        member.save()
    assert held(member) == ["Storyteller"]
    with django_capture_on_commit_callbacks(execute=True):
        member.avatar = factories.ImageFactory()
        member.github = "ferris"
        member.save()
    assert held(member) == ["All set up", "Storyteller"]


def test_reply_points_cap_and_own_questions(fire, settings):
    settings.POINTS_REPLY_DAILY_MAX = 5
    member = factories.ProfileFactory()
    fire("reply_posted", author_id=member.pk, question_author_id=member.pk, reply_id=1)
    assert balance_of(member) == 0
    for reply_id in range(2, 12):
        fire("reply_posted", author_id=member.pk, question_author_id=None, reply_id=reply_id)
    assert balance_of(member) == 5
    assert LedgerEntry.objects.filter(kind="reply").count() == 5


def test_publishing_a_new_automatic_achievement_backfills_it(fire, editor_user, django_capture_on_commit_callbacks):
    veteran, newcomer = factories.ProfileFactory(), factories.ProfileFactory()
    for reply_id in range(10):
        fire("reply_posted", author_id=veteran.pk, question_author_id=None, reply_id=reply_id)
    fire("reply_posted", author_id=newcomer.pk, question_author_id=None, reply_id=99)
    achievement = factories.AchievementFactory(title="Ten answers", trigger="answers_posted", threshold=10, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        achievement.save_revision(user=editor_user).publish(user=editor_user)
    assert held(veteran) == ["Ten answers"] and held(newcomer) == []


def test_the_backfill_command(fire):
    member = factories.ProfileFactory()
    fire("question_asked", author_id=member.pk)
    achievement = factories.AchievementFactory(title="Curious", trigger="questions_asked", threshold=1)
    from io import StringIO

    out = StringIO()
    call_command("backfill_achievements", achievement.slug, stdout=out)
    assert "1 awards in all" in out.getvalue()
    assert held(member) == ["Curious"]
    call_command("backfill_achievements", stdout=StringIO())  # again: nothing twice
    assert AchievementAward.objects.count() == 1
