"""The community dashboard's figures counted again, independently: plain Python over every row, with the
rules written out here rather than taken from the code under test (``snippets.dashboard``)."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from django.urls import resolve
from django.utils import timezone

from plugins.forum.models import Question, Reply, Topic
from plugins.points.models import LedgerEntry
from plugins.profiles.models import Profile
from plugins.rewards.models import Redemption


def _monday(moment: datetime):
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def expected_figures(now: datetime, weeks: int = 12, helpers: int = 5) -> dict:
    """What ``community_figures(now)`` should say, in its shape (without the URLs)."""
    questions = list(Question.objects.select_related("author").prefetch_related("topics"))
    replies = list(Reply.objects.select_related("author"))

    def public_question(q):
        return q.archived_at is None and not q.held and q.author.blocked_at is None

    by_id = {q.pk: q for q in questions}

    def public_reply(r):
        return not r.hidden and r.author.blocked_at is None and public_question(by_id[r.question_id])

    public_ids = {r.pk for r in replies if public_reply(r)}

    def others_replies(q):
        return [r for r in replies if r.question_id == q.pk and r.pk in public_ids and r.author_id != q.author_id]

    def is_answered(q):
        return bool(others_replies(q)) or q.solution_id in public_ids

    current = _monday(now)
    mondays = [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    asked = {m: 0 for m in mondays}
    answered = {m: 0 for m in mondays}
    waits = {m: [] for m in mondays}
    for q in questions:
        if not public_question(q) or q.created_at > now or _monday(q.created_at) not in asked:
            continue
        week = _monday(q.created_at)
        asked[week] += 1
        answered[week] += is_answered(q)
        firsts = [r.created_at for r in others_replies(q)]
        if firsts:
            waits[week].append((min(firsts) - q.created_at).total_seconds() / 3600)

    waiting = [q for q in questions if public_question(q) and not is_answered(q)]
    topics = []
    for topic in Topic.objects.all():
        count = sum(1 for q in waiting if topic in q.topics.all())
        if count:
            topics.append((topic.label, count))
    topics.sort(key=lambda pair: (-pair[1], pair[0]))

    points = {m: {"earned": 0, "gifted": 0, "redeemed": 0} for m in mondays}
    for entry in LedgerEntry.objects.all():
        week = _monday(entry.created_at)
        if entry.created_at > now or week not in points:
            continue
        if entry.kind in ("achievement", "reply", "reversal"):
            points[week]["earned"] += entry.amount
        elif entry.kind == "gift":
            points[week]["gifted"] += entry.amount
        elif entry.kind in ("redemption", "refund"):
            points[week]["redeemed"] -= entry.amount

    redemptions = list(Redemption.objects.select_related("order"))
    ordered = [r for r in redemptions if r.status == "ordered"]

    local_now = timezone.localtime(now)
    month_start = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    solution_ids = {q.solution_id for q in questions if q.solution_id}
    tally: dict[int, list[int]] = {}
    for r in replies:
        own_question = by_id[r.question_id].author_id == r.author_id
        if r.pk not in public_ids or own_question or not (month_start <= r.created_at <= now):
            continue
        if r.pk in solution_ids:
            tally.setdefault(r.author_id, [0, 0])[0] += 1
        elif r.helpful:
            tally.setdefault(r.author_id, [0, 0])[1] += 1
    ranked = sorted(tally.items(), key=lambda item: (-sum(item[1]), -item[1][0], item[0]))[:helpers]
    names = {r.author_id: r.author for r in replies}

    return {
        "weeks": [m.isoformat() for m in mondays],
        "questions": {
            "asked": [asked[m] for m in mondays],
            "answered": [answered[m] for m in mondays],
            "medianFirstReplyHours": [round(statistics.median(waits[m]), 1) if waits[m] else None for m in mondays],
        },
        "waiting": {"total": len(waiting), "topics": topics},
        "points": {name: [points[m][name] for m in mondays] for name in ("earned", "gifted", "redeemed")},
        "openOrders": {
            "toFulfil": len(ordered),
            "awaitingOrder": sum(1 for r in redemptions if r.status == "awaiting_order"),
            "oldestToFulfil": min((r.order.created_at for r in ordered), default=None),
        },
        "helpful": [(names[pk], solutions, helpful) for pk, (solutions, helpful) in ranked],
    }


def shown(figures: dict) -> dict:
    """``community_figures``' output in ``expected_figures``' shape: without its URLs, names as profiles."""
    orders = figures["openOrders"]
    oldest = orders["oldestToFulfil"]
    by_url = {m["url"]: Profile.objects.get(pk=resolve(m["url"]).kwargs["pk"]) for m in figures["helpful"]["members"]}
    return {
        "weeks": figures["weeks"],
        "questions": figures["questions"],
        "waiting": {
            "total": figures["waiting"]["total"],
            "topics": [(t["label"], t["count"]) for t in figures["waiting"]["topics"]],
        },
        "points": figures["points"],
        "openOrders": {
            "toFulfil": orders["toFulfil"],
            "awaitingOrder": orders["awaitingOrder"],
            "oldestToFulfil": datetime.fromisoformat(oldest) if oldest else None,
        },
        "helpful": [(by_url[m["url"]], m["solutions"], m["helpful"]) for m in figures["helpful"]["members"]],
    }
