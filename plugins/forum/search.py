"""Search over questions, replies and profiles with Wagtail's search backend, with highlighted snippets.

Only what the public may see is searched: the querysets filter out archived and held questions and
hidden replies even if the index has not caught up, and archiving removes a question from the index.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from wagtail.search.backends import get_search_backend

from plugins.forum.models import Question, Reply, public_questions, public_replies
from plugins.profiles.models import Profile

SNIPPET_LENGTH = 200
TYPES = ("questions", "replies", "profiles")


@dataclass
class Hit:
    type: str
    obj: object
    title: str
    snippet: str  # HTML: escaped text with <mark> around the matched words


def searchable(kind: str):
    """The rows of ``kind`` the public may find."""
    if kind == "questions":
        return Question.objects.filter(public_questions())
    if kind == "replies":
        return Reply.objects.filter(public_replies())
    return Profile.objects.all()


def search(query: str, kind: str, offset: int, limit: int) -> tuple[list[Hit], int]:
    """One page of ``kind`` hits for ``query`` (best first) and how many there are."""
    results = get_search_backend().search(query, searchable(kind), operator="and")
    total = results.count()
    rows = list(results[offset : offset + limit])
    if kind == "replies":
        questions = Question.objects.in_bulk({r.question_id for r in rows})
        for row in rows:
            row.thread = questions.get(row.question_id)
    terms = _terms(query)
    return [_hit(kind, row, terms) for row in rows], total


def _terms(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1]


def _hit(kind: str, row, terms: list[str]) -> Hit:
    if kind == "questions":
        return Hit(kind, row, highlight(row.subject, terms, whole=True), highlight(_plain(row.body), terms))
    if kind == "replies":
        title = row.thread.subject if getattr(row, "thread", None) else ""
        return Hit(kind, row, html.escape(title), highlight(_plain(row.body), terms))
    text = " · ".join(part for part in (row.company_role, row.company, row.location, row.biography) if part)
    return Hit(kind, row, highlight(row.full_name, terms, whole=True), highlight(_plain(text), terms))


def _plain(markdown: str) -> str:
    """Markdown reduced to words for a snippet (markup characters and links' URLs dropped)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*_>#~|]+", "", text)


def highlight(text: str, terms: list[str], whole: bool = False, length: int = SNIPPET_LENGTH) -> str:
    """Escaped ``text`` (a window around the first match unless ``whole``) with each term in <mark>."""
    text = " ".join(text.split())
    if not whole and len(text) > length:
        first = min((m.start() for t in terms if (m := re.search(re.escape(t), text, re.I))), default=0)
        start = max(0, first - length // 3)
        text = ("… " if start else "") + text[start : start + length] + (" …" if start + length < len(text) else "")
    escaped = html.escape(text)
    if not terms:
        return escaped
    pattern = re.compile("|".join(re.escape(html.escape(t)) for t in sorted(terms, key=len, reverse=True)), re.I)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
