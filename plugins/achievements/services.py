"""Awarding and revoking achievements; each award credits its points, each revocation reverses them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log

from plugins.achievements.models import Achievement, AchievementAward
from plugins.core.errors import Conflict, Invalid, NotAllowed
from plugins.core.events import emit
from plugins.points.models import EntryKind
from plugins.points.services import Posting, balance_of, post
from plugins.profiles.services import touch_profiles


class AwardError(Conflict):
    """An award or revocation that the rules refuse now; the message says why."""


class ReasonRequired(Invalid, AwardError):
    """A revocation names no reason (bad input, not a conflict)."""


@transaction.atomic
def award_achievement(profile, achievement: Achievement, *, awarded_by=None, reason: str = "") -> AchievementAward:
    """Give ``profile`` the achievement and credit its points, in one transaction.

    ``awarded_by`` is None for an automatic award. A non-repeatable achievement already held raises
    ``AwardError`` (the database refuses a second active one too); a repeatable one gets the next
    instance number.
    """
    if awarded_by is not None and profile.user_id == awarded_by.pk:
        raise NotAllowed("Moderators cannot assign achievements to themselves; ask another moderator.")
    if not achievement.live:
        raise AwardError(f"“{achievement}” is not published")
    active = AchievementAward.objects.select_for_update().filter(
        profile=profile, achievement=achievement, revoked_at__isnull=True
    )
    if achievement.repeatable:
        instance = (active.aggregate(top=Max("instance"))["top"] or 0) + 1
    elif active.exists():
        raise AwardError(f"{profile} already holds “{achievement}”")
    else:
        instance = 1
    try:
        with transaction.atomic():
            award = AchievementAward.objects.create(
                profile=profile, achievement=achievement, instance=instance, awarded_by=awarded_by, reason=reason
            )
    except IntegrityError:
        raise AwardError(f"{profile} already holds “{achievement}”") from None
    post(
        profile,
        Posting(
            amount=achievement.points,
            kind=EntryKind.ACHIEVEMENT,
            reason=f"Achievement: {achievement.title}" + (f" ({reason})" if reason else ""),
            idempotency_key=f"award:{award.pk}",
            actor=awarded_by,
            related=f"achievements.achievementaward:{award.pk}",
        ),
    )
    log(
        profile,
        "community.achievement.assign",
        user=awarded_by,
        data={"achievement": achievement.title, "points": achievement.points, "reason": reason, "award": award.pk},
    )
    emit("achievement_awarded", award_id=award.pk, profile_id=profile.pk, achievement_id=achievement.pk)
    return award


@transaction.atomic
def revoke_award(award: AchievementAward, *, revoked_by, reason: str) -> AchievementAward:
    """Revoke an award, keeping the row, and write a reversing entry.

    The reversal takes back at most the current balance: points already spent in the store stay
    spent (the balance never goes below zero), and the entry says so.
    """
    if not reason.strip():
        raise ReasonRequired("Say why the achievement is revoked", field="reason")
    award = AchievementAward.objects.select_for_update().select_related("achievement", "profile").get(pk=award.pk)
    if award.revoked_at is not None:
        raise AwardError("This award was revoked already")
    award.revoked_at = timezone.now()
    award.revoked_by = revoked_by
    award.revoke_reason = reason
    award.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    points = award.achievement.points
    taken = min(points, balance_of(award.profile))
    if taken:
        note = "" if taken == points else f"; {points - taken} points were already spent"
        post(
            award.profile,
            Posting(
                amount=-taken,
                kind=EntryKind.REVERSAL,
                reason=f"Revoked: {award.achievement.title} ({reason}{note})",
                idempotency_key=f"revoke:{award.pk}",
                actor=revoked_by,
                related=f"achievements.achievementaward:{award.pk}",
            ),
        )
    log(
        award.profile,
        "community.achievement.revoke",
        user=revoked_by,
        data={"achievement": award.achievement.title, "points": taken, "reason": reason, "award": award.pk},
    )
    emit("achievement_revoked", award_id=award.pk, profile_id=award.profile_id)
    return award


@transaction.atomic
def set_awards_hidden(profile, hidden_by_award: dict[int, bool]) -> None:
    """The member shows or hides their achievements on their profile page (award id → hidden).

    Raises ``Invalid`` naming an award that is not theirs (or was revoked), and changes nothing then.
    """
    held = set(
        AchievementAward.objects.filter(profile=profile, revoked_at__isnull=True, pk__in=hidden_by_award).values_list(
            "pk", flat=True
        )
    )
    missing = set(hidden_by_award) - held
    if missing:
        raise Invalid(f"achievements: no achievement of yours with id {sorted(missing)[0]}", field="achievements")
    with transaction.atomic():
        for hidden in (True, False):
            ids = [pk for pk, value in hidden_by_award.items() if value is hidden]
            if ids:
                AchievementAward.objects.filter(pk__in=ids).update(hidden=hidden)
        touch_profiles([profile.pk])


def delete_achievement(achievement: Achievement) -> None:
    """Delete an achievement nobody was ever awarded.

    Raises ``Conflict`` when it was awarded (held now or revoked since): the awards are the members'
    history and the ledger's reasons, so it is unpublished instead, which stops new awards.
    """
    awarded = AchievementAward.objects.filter(achievement=achievement)
    held = awarded.filter(revoked_at__isnull=True).count()
    if held or awarded.exists():
        holders = "1 member holds it" if held == 1 else f"{held} members hold it"
        who = holders if held else "its revoked awards stay in members' history"
        raise Conflict(
            f"“{achievement}” cannot be deleted: {who}. Unpublish it instead, so that nobody earns it from now on."
        )
    achievement.delete()
