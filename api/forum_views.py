"""The forum beyond the generated endpoints: subscriptions, one-click unsubscribe, solutions, votes, moderation,
search and the member's dashboard."""

from __future__ import annotations

import html

from django.db.models import Count, Q
from django.http import HttpResponse
from rest_framework import serializers

from api.base import ApiView, MemberView, json_response
from api.bodies import Body, Choice, Text
from api.errors import NotFoundError, ValidationError
from api.query.selection import pagination_from_query
from api.query.values import format_datetime
from plugins.forum import moderation, search
from plugins.forum import services as forum
from plugins.forum.links import read_unsubscribe_token
from plugins.forum.models import Question, Reply, Subscription, Topic, public_questions, public_replies


def _visible_question(view: ApiView, document_id: str) -> Question:
    """The question, if the caller may see it: public ones for all; archived or held for their asker and moderators."""
    request = view.request
    question = Question.objects.select_related("author__user").filter(**view.ref(document_id)).first()
    if question is None:
        raise NotFoundError()
    if not question.public:
        asker = request.member is not None and question.author.user_id == request.member.pk
        if not (asker or request.actor.forum_actions):
            raise NotFoundError()
    return question


class SubscriptionView(MemberView):
    """``PUT`` follows (replies by e-mail for a question, the daily digest for a topic); ``DELETE`` stops."""

    model: type

    def target(self, document_id):
        if self.model is Question:
            return {"question": _visible_question(self, document_id)}
        topic = Topic.objects.filter(**self.ref(document_id)).first()
        if topic is None:
            raise NotFoundError()
        return {"topic": topic}

    def put(self, request, document_id):
        forum.subscribe(self.profile, **self.target(document_id))
        return json_response({"data": {"subscribed": True}, "meta": {}})

    def delete(self, request, document_id):
        forum.unsubscribe(self.profile, **self.target(document_id))
        return json_response({"data": {"subscribed": False}, "meta": {}})

    def get(self, request, document_id):
        target = self.target(document_id)
        subscribed = Subscription.objects.filter(profile=self.profile, **target).exists()
        return json_response({"data": {"subscribed": subscribed}, "meta": {}}, request=request)


class QuestionSubscriptionView(SubscriptionView):
    model = Question


class TopicSubscriptionView(SubscriptionView):
    model = Topic


class UnsubscribeView(ApiView):
    """Unsubscribe from an e-mail's signed link: ``GET`` (the link, opened in a browser) asks to confirm,
    ``POST`` (that page's button, or a mail client's one-click per RFC 8058) stops the e-mails."""

    def token_data(self, request) -> dict:
        data = read_unsubscribe_token(request.query_params.get("token", ""))
        if data is None:
            raise ValidationError("This unsubscribe link is not valid.")
        return data

    def get(self, request):
        # A read never writes: link checkers and previews open links; only the button stops the e-mails.
        self.token_data(request)
        action = html.escape(request.get_full_path(), quote=True)
        page = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Unsubscribe</title>'
            "<p>Stop getting these e-mails?</p>"
            f'<form method="post" action="{action}"><button type="submit">Unsubscribe</button></form></html>'
        )
        return HttpResponse(page, content_type="text/html; charset=utf-8")

    def post(self, request):
        data = self.token_data(request)
        forum.stop_following(data["p"], question_id=data["q"], topic_id=data["t"])
        return HttpResponse(
            "You will get no more of these e-mails.", content_type="text/plain; charset=utf-8", status=200
        )


class SolutionBody(Body):
    """The reply that solves the question."""

    reply = Text(help_text="The documentId of the reply that solves the question.")


class SolutionView(MemberView):
    """``POST {data: {reply}}``: the asker marks the solution (a moderator when the asker's account is gone);
    ``DELETE`` unmarks it."""

    body = SolutionBody

    def post(self, request, document_id):
        question = _visible_question(self, document_id)
        reply = self.parsed_body()["reply"]
        chosen = Reply.objects.filter(document_id=reply, question=question).first()
        if chosen is None:
            raise ValidationError("There is no such reply to this question.")
        question = forum.mark_solution(
            question, chosen, by_profile=self.profile, by_moderator=self.stands_in_for_asker(question)
        )
        return json_response({"data": {"question": question.document_id, "solution": chosen.document_id}})

    def delete(self, request, document_id):
        question = _visible_question(self, document_id)
        forum.unmark_solution(question, by_profile=self.profile, by_moderator=self.stands_in_for_asker(question))
        return json_response({"data": {"question": question.document_id, "solution": None}})

    def stands_in_for_asker(self, question: Question) -> bool:
        return self.request.actor.stands_in_for_asker(question.author.user)


class VoteBody(Body):
    """A vote on a reply."""

    value = Choice([(1, "up"), (-1, "down"), (0, "take the vote back")])


class VoteView(MemberView):
    """``POST {data: {value}}`` on a reply: 1 up, -1 down, 0 takes the vote back. One vote per member."""

    body = VoteBody

    def rate_limit_scope(self):
        return "vote"

    def post(self, request, document_id):
        target = Reply.objects.filter(public_replies(), **self.ref(document_id)).select_related("question").first()
        if target is None or target.question.archived:
            raise NotFoundError()
        value = self.parsed_body()["value"]
        target = forum.vote(self.profile, target, value)
        body = {"reply": target.document_id, "upvotes": target.upvotes, "downvotes": target.downvotes, "mine": value}
        return json_response({"data": body, "meta": {}})


QUESTION_ACTIONS = ("archive", "unarchive", "approve", "pin", "unpin", "tag", "untag", "move", "escalate")


class QuestionModerationBody(Body):
    """A moderation action on a question; tag and untag need ``tag``, move needs ``topics``."""

    action = Choice(QUESTION_ACTIONS)
    tag = Text(required=False, help_text="The internal tag (tag, untag).")
    topics = serializers.ListField(child=Text(), required=False, help_text="Topic documentIds (move).")
    reason = Text(required=False, allow_blank=True, help_text="Why it goes to support (escalate).")

    def validate(self, data):
        # What an action cannot do without; the schema can only say it in words.
        needs = {"tag": "tag", "untag": "tag", "move": "topics"}.get(data["action"])
        if needs and needs not in data:
            raise serializers.ValidationError({needs: f"{data['action']} needs {needs}."})
        return data


class QuestionModerationView(ApiView):
    """``POST {data: {action, …}}`` — archive, unarchive, approve, pin, unpin, tag/untag (``tag``),
    move (``topics``: documentIds), escalate (``reason``). Moderators; community moderators archive and move."""

    body = QuestionModerationBody

    def post(self, request, document_id):
        rights = request.actor.forum_actions
        if not rights:
            raise self.deny()
        question = Question.objects.filter(**self.ref(document_id)).first()
        if question is None:
            raise NotFoundError()
        data = self.parsed_body()
        action = data["action"]
        if action not in rights:
            raise self.deny()
        user = request.member
        if action in ("tag", "untag"):
            (moderation.tag if action == "tag" else moderation.untag)(question, data["tag"], by=user)
        elif action == "move":
            moderation.move(question, self.topics(data["topics"]), by=user)
        elif action == "escalate":
            moderation.escalate(question, by=user, reason=data.get("reason") or "")
        elif action in ("pin", "unpin"):
            moderation.set_pinned(question, action == "pin", by=user)
        else:
            getattr(moderation, action)(question, by=user)
        question.refresh_from_db()
        body = {
            "documentId": question.document_id,
            "archived": question.archived,
            "held": question.held,
            "pinned": question.pinned,
            "topics": [t.document_id for t in question.topics.all()],
        }
        return json_response({"data": body, "meta": {}})

    @staticmethod
    def topics(refs: list[str]) -> list:
        found = list(Topic.objects.filter(document_id__in=refs))
        missing = set(refs) - {t.document_id for t in found}
        if missing:
            raise ValidationError(f"There is no topic {sorted(missing)[0]!r}")
        return found


class ReplyModerationBody(Body):
    """Hide a reply, or show it again."""

    action = Choice(["hide", "unhide"])


class ReplyModerationView(ApiView):
    """``POST {data: {action: "hide" | "unhide"}}`` on a reply: moderators and community moderators."""

    body = ReplyModerationBody

    def post(self, request, document_id):
        rights = request.actor.forum_actions
        if not rights:
            raise self.deny()
        target = Reply.objects.filter(**self.ref(document_id)).select_related("question").first()
        if target is None:
            raise NotFoundError()
        action = self.parsed_body()["action"]
        if action not in rights:
            raise self.deny()
        moderation.set_hidden(target, action == "hide", by=request.member)
        return json_response({"data": {"documentId": target.document_id, "hidden": target.hidden}, "meta": {}})


class SearchView(ApiView):
    """``GET /api/search?q=…&types=questions,replies,profiles&pagination[page]=1&pagination[pageSize]=10``.

    Each requested type is searched and paginated on its own; ``title`` and ``snippet`` are HTML with
    the matched words in ``<mark>``. Archived questions and hidden replies are never found.
    """

    def get(self, request):
        query = (request.query_params.get("q") or "").strip()
        if not query:
            raise ValidationError("Say what to search for: ?q=…")
        if len(query) > 200:
            raise ValidationError("A search is at most 200 characters.")
        wanted = [t.strip() for t in (request.query_params.get("types") or ",".join(search.TYPES)).split(",") if t]
        unknown = set(wanted) - set(search.TYPES)
        if unknown:
            raise ValidationError(f"types are {', '.join(search.TYPES)}; not {sorted(unknown)[0]}")
        pagination = pagination_from_query(request.query_params)
        data, meta = [], {}
        for kind in dict.fromkeys(wanted):
            hits, total = search.search(query, kind, pagination.offset, pagination.limit)
            data += [
                {"type": hit.type, "documentId": hit.obj.document_id, "title": hit.title, "snippet": hit.snippet}
                | ({"slug": hit.obj.slug} if kind == "questions" else {})
                | ({"question": hit.obj.thread.document_id} if kind == "replies" and hit.obj.thread else {})
                for hit in hits
            ]
            meta[kind] = pagination.meta(total)
        return json_response({"data": data, "meta": {"pagination": meta}}, request=request)


def _question_summary(question: Question) -> dict:
    return {
        "documentId": question.document_id,
        "subject": question.subject,
        "slug": question.slug,
        "numReplies": question.num_replies,
        "lastActivityAt": format_datetime(question.last_activity_at),
        "solved": question.solution_id is not None,
    }


class DashboardView(MemberView):
    """The member's dashboard: open threads in followed topics, their questions, what they follow, unread replies."""

    LIMIT = 10

    def get(self, request):
        profile = self.profile
        followed = Subscription.objects.filter(profile=profile)
        topic_ids = [s.topic_id for s in followed if s.topic_id]
        public = Question.objects.filter(public_questions())
        open_threads = (
            public.filter(topics__in=topic_ids, solution__isnull=True).distinct().order_by("-last_activity_at")
            if topic_ids
            else public.none()
        )
        mine = Question.objects.filter(author=profile).order_by("-last_activity_at")
        question_subscriptions = [s for s in followed.select_related("question__author") if s.question_id]
        unread = self.unread(question_subscriptions)
        data = {
            "openThreads": [_question_summary(q) for q in open_threads[: self.LIMIT]],
            "myQuestions": [
                _question_summary(q) | {"archived": q.archived, "held": q.held} for q in mine[: self.LIMIT]
            ],
            "subscriptions": {
                "questions": [
                    _question_summary(s.question) | {"unread": unread.get(s.question_id, 0)}
                    for s in question_subscriptions
                    if s.question.public or s.question.author_id == profile.pk
                ],
                "topics": [
                    {"documentId": t.document_id, "label": t.label, "slug": t.slug}
                    for t in Topic.objects.filter(pk__in=topic_ids)
                ],
            },
            "unreadReplies": sum(unread.values()),
        }
        return json_response({"data": data, "meta": {}}, request=request)

    def unread(self, subscriptions) -> dict[int, int]:
        """Followed question → replies by others since the member last read it (one query)."""
        if not subscriptions:
            return {}
        since = Q()
        for s in subscriptions:
            since |= Q(question_id=s.question_id, created_at__gt=s.last_read_at)
        rows = (
            Reply.objects.filter(since, hidden=False)
            .exclude(author=self.profile)
            .values("question_id")
            .annotate(n=Count("pk"))
        )
        return {row["question_id"]: row["n"] for row in rows}


class ReadView(MemberView):
    """``POST``: the member has read the question; its replies so far are no longer unread."""

    def post(self, request, document_id):
        question = _visible_question(self, document_id)
        forum.mark_read(self.profile, question)
        return json_response({"data": {"question": question.document_id, "read": True}, "meta": {}})
