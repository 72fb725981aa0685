"""What moderators see beside a question: who asked (with e-mail and activity) and its internal tags.

Loaded for a whole page of questions at once; the API shows it only to moderators and editors.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count

from plugins.forum.models import Question, Reply
from plugins.points.services import load_balances
from plugins.profiles.models import Profile


def analytics_url(profile) -> str:
    """The asker's record in the product's analytics, from ``FORUM_ANALYTICS_URL_TEMPLATE`` ("" when unset)."""
    template = settings.FORUM_ANALYTICS_URL_TEMPLATE
    if not template:
        return ""
    email = (profile.user.email if profile.user else "") or profile.email
    return (
        template.replace("{email}", email or "")
        .replace("{user_id}", str(profile.user_id or ""))
        .replace("{document_id}", profile.document_id)
    )


def load_moderation_details(questions: list[Question]) -> None:
    """Set ``moderator_panel`` and ``internal_tag_names`` on each question: five queries for the batch."""
    author_ids = {q.author_id for q in questions}
    authors = {p.pk: p for p in Profile.objects.filter(pk__in=author_ids).select_related("user")}
    load_balances(list(authors.values()))
    asked = dict(
        Question.objects.filter(author_id__in=author_ids)
        .values("author_id")
        .annotate(n=Count("pk"))
        .values_list("author_id", "n")
    )
    replied = dict(
        Reply.objects.filter(author_id__in=author_ids)
        .values("author_id")
        .annotate(n=Count("pk"))
        .values_list("author_id", "n")
    )
    tags: dict[int, list[str]] = {}
    links = Question.internal_tags.through.objects.filter(question_id__in=[q.pk for q in questions])
    for question_id, name in links.values_list("question_id", "internaltag__name").order_by("internaltag__name"):
        tags.setdefault(question_id, []).append(name)
    for question in questions:
        author = authors.get(question.author_id)
        question.internal_tag_names = tags.get(question.pk, [])
        question.moderator_panel = _panel(author, asked, replied) if author else None


def _panel(author: Profile, asked: dict, replied: dict) -> dict:
    user = author.user
    return {
        "name": author.full_name,
        "email": (user.email if user else "") or author.email,
        "joinedAt": (user.date_joined if user else author.created_at).isoformat(),
        "profile": author.document_id,
        "activity": {
            "questions": asked.get(author.pk, 0),
            "replies": replied.get(author.pk, 0),
            "points": author.points_balance,
        },
        "analyticsUrl": analytics_url(author) or None,
    }
