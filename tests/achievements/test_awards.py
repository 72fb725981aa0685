"""Awarding and revoking: points credited and reversed, history kept, non-repeatable held once."""

import pytest

from plugins.achievements.models import AchievementAward
from plugins.achievements.services import AwardError, award_achievement, revoke_award
from plugins.points.models import LedgerEntry
from plugins.points.services import Posting, balance_of, find_drift, post
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return factories.ProfileFactory()


def test_an_award_credits_the_points_and_records_who_and_why(member, moderator_user):
    achievement = factories.AchievementFactory(title="Bug hunter", points=50)
    award = award_achievement(member, achievement, awarded_by=moderator_user, reason="Found the CSV bug")
    assert award.awarded_by == moderator_user and award.reason == "Found the CSV bug"
    assert balance_of(member) == 50
    entry = LedgerEntry.objects.get()
    assert entry.kind == "achievement" and "Bug hunter" in entry.reason and entry.actor == moderator_user


def test_a_non_repeatable_achievement_is_held_once(member):
    achievement = factories.AchievementFactory(points=10)
    award_achievement(member, achievement)
    with pytest.raises(AwardError, match="already holds"):
        award_achievement(member, achievement)
    assert balance_of(member) == 10


def test_a_repeatable_one_is_numbered(member):
    achievement = factories.AchievementFactory(points=5, repeatable=True)
    awards = [award_achievement(member, achievement) for _ in range(3)]
    assert [a.instance for a in awards] == [1, 2, 3]
    assert balance_of(member) == 15


def test_revoking_keeps_the_row_and_reverses_the_points(member, moderator_user):
    achievement = factories.AchievementFactory(points=30)
    award = award_achievement(member, achievement)
    revoke_award(award, revoked_by=moderator_user, reason="Duplicate account")
    award.refresh_from_db()
    assert award.revoked_at and award.revoked_by == moderator_user and award.revoke_reason == "Duplicate account"
    assert balance_of(member) == 0
    assert list(LedgerEntry.objects.order_by("pk").values_list("amount", "kind")) == [
        (30, "achievement"),
        (-30, "reversal"),
    ]
    with pytest.raises(AwardError, match="revoked already"):
        revoke_award(award, revoked_by=moderator_user, reason="again")
    award_achievement(member, achievement)  # may be earned again after a revocation
    assert AchievementAward.objects.filter(profile=member).count() == 2


def test_a_revocation_after_spending_takes_back_only_what_is_left(member, moderator_user):
    award = award_achievement(member, factories.AchievementFactory(points=30))
    post(member, Posting(-20, "redemption", "Stickers", "buy-1"))
    revoke_award(award, revoked_by=moderator_user, reason="Mistake")
    assert balance_of(member) == 0
    assert "20 points were already spent" in LedgerEntry.objects.latest("pk").reason
    assert find_drift() == []


def test_revoking_needs_a_reason_and_drafts_cannot_be_awarded(member, moderator_user):
    award = award_achievement(member, factories.AchievementFactory(points=1))
    with pytest.raises(AwardError, match="Say why"):
        revoke_award(award, revoked_by=moderator_user, reason=" ")
    with pytest.raises(AwardError, match="not published"):
        award_achievement(member, factories.AchievementFactory(live=False))
