"""The forum's figures for the community dashboard: questions asked and answered each week, the median
time to a first reply, what waits for an answer in each topic, and the month's most helpful members.

Only what everyone may read counts (``public_questions``, ``public_replies``): a held or archived
question, or one by a blocked member, was not asked as far as these figures go; a hidden reply, or one
by a blocked member, neither answers nor helps. Weeks are ``plugins.core.weeks``' (Monday to Sunday).

``now`` ends a period (the tests pin it); whether a question is answered, and what waits, is as of today.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Subquery
from django.utils import timezone

from plugins.core.weeks import recent_weeks, start_of, start_of_month, week_of
from plugins.forum.models import (
    Question,
    Reply,
    Topic,
    answered,
    public_questions,
    public_replies,
    replies_by_others,
    waiting_for_answer,
)
from plugins.profiles.models import Profile


@dataclass(frozen=True)
class QuestionWeek:
    week: date  # its Monday
    asked: int
    answered: int  # of those asked that week, answered by now
    median_first_reply_hours: float | None  # None when none of them has a reply yet


def weekly_questions(weeks: int = 12, now: datetime | None = None) -> list[QuestionWeek]:
    """For each of the last ``weeks`` weeks, oldest first: the public questions asked in it, how many of
    those are ``answered`` by now, and the median time from asking to the first public reply by someone
    other than the asker (over those that have had one; a question still without one is left out).

    One query: a row per question of the period, grouped here (a median is not portable SQL).
    """
    now = now or timezone.now()
    mondays = recent_weeks(weeks, now)
    first_reply = replies_by_others().order_by("created_at").values("created_at")[:1]
    rows = (
        Question.objects.filter(public_questions(), created_at__gte=start_of(mondays[0]), created_at__lte=now)
        .annotate(
            is_answered=ExpressionWrapper(answered(), output_field=BooleanField()),
            first_reply_at=Subquery(first_reply),
        )
        .order_by()
        .values_list("created_at", "is_answered", "first_reply_at")
    )
    asked = {monday: 0 for monday in mondays}
    answers = dict(asked)
    waits: dict[date, list[float]] = {monday: [] for monday in mondays}
    for created_at, is_answered, first_reply_at in rows:
        week = week_of(created_at)
        asked[week] += 1
        answers[week] += bool(is_answered)
        if first_reply_at is not None:
            waits[week].append((first_reply_at - created_at).total_seconds() / 3600)
    return [
        QuestionWeek(
            week=monday,
            asked=asked[monday],
            answered=answers[monday],
            median_first_reply_hours=round(statistics.median(waits[monday]), 1) if waits[monday] else None,
        )
        for monday in mondays
    ]


def waiting_total() -> int:
    """How many public questions wait for an answer (``waiting_for_answer``)."""
    return Question.objects.filter(waiting_for_answer()).count()


def waiting_by_topic() -> list[Topic]:
    """The topics with questions waiting for an answer, each with ``waiting`` (how many), most first.

    A question in two topics waits in both; one in none is in ``waiting_total`` only.
    """
    waiting = Question.objects.filter(waiting_for_answer()).values("pk")
    return list(
        Topic.objects.annotate(waiting=Count("questions", filter=Q(questions__in=waiting), distinct=True))
        .filter(waiting__gt=0)
        .order_by("-waiting", "label")
    )


@dataclass(frozen=True)
class Helper:
    profile: Profile
    solutions: int
    helpful: int  # marked helpful, and not a solution (a reply counts once)

    @property
    def total(self) -> int:
        return self.solutions + self.helpful


def most_helpful(limit: int = 5, now: datetime | None = None) -> list[Helper]:
    """The members whose replies helped most this calendar month (since the first, ``start_of_month``).

    A public reply posted this month to someone else's question counts once if it is the question's
    solution or was marked helpful (``Reply.helpful``); answering one's own question does not. Ranked by
    that count, then by solutions, then the earlier member (profile id) first. Blocked members' replies
    are not public, so they never rank.
    """
    now = now or timezone.now()
    is_solution = Q(solution_of__isnull=False)
    counted = (
        Reply.objects.filter(public_replies(), created_at__gte=start_of_month(now), created_at__lte=now)
        .exclude(author=F("question__author"))
        .filter(is_solution | Q(helpful=True))
    )
    rows = list(
        counted.values("author")
        .annotate(solutions=Count("pk", filter=is_solution), replies=Count("pk"))
        .order_by("-replies", "-solutions", "author")[:limit]
    )
    profiles = Profile.objects.select_related("user").in_bulk([row["author"] for row in rows])
    return [
        Helper(profile=profiles[row["author"]], solutions=row["solutions"], helpful=row["replies"] - row["solutions"])
        for row in rows
    ]
