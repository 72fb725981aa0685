"""The forum's actions beyond the generated endpoints: subscriptions, one-click unsubscribe, solutions, votes."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse

from api.base import ApiView, json_response
from api.errors import ConflictError, NotFoundError, ValidationError, from_django_validation
from api.moderation_views import moderates, only_keys, request_data
from plugins.forum import services as forum
from plugins.forum.links import read_unsubscribe_token
from plugins.forum.models import Question, Reply, Subscription, Topic
from plugins.profiles.services import claim_or_create_profile


class MemberActionView(ApiView):
    """For signed-in members: ``self.profile`` is theirs."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.member is None:
            raise self.deny()
        self.profile = claim_or_create_profile(request.member)


def _visible_question(document_id: str, request) -> Question:
    question = Question.objects.select_related("author__user").filter(document_id=document_id).first()
    if question is None or (question.archived and not moderates(request)):
        raise NotFoundError()
    return question


class SubscriptionView(MemberActionView):
    """``PUT`` follows (replies by e-mail for a question, the daily digest for a topic); ``DELETE`` stops."""

    model: type

    def target(self, document_id):
        if self.model is Question:
            return {"question": _visible_question(document_id, self.request)}
        topic = Topic.objects.filter(document_id=document_id).first()
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
    """One-click unsubscribe from an e-mail's signed link (``GET`` from the link, ``POST`` per RFC 8058)."""

    def handle(self, request):
        data = read_unsubscribe_token(request.query_params.get("token", ""))
        if data is None:
            raise ValidationError("This unsubscribe link is not valid.")
        Subscription.objects.filter(profile_id=data["p"], question_id=data["q"], topic_id=data["t"]).delete()
        return HttpResponse(
            "You will get no more of these e-mails.", content_type="text/plain; charset=utf-8", status=200
        )

    def get(self, request):
        return self.handle(request)

    def post(self, request):
        return self.handle(request)


class SolutionView(MemberActionView):
    """``POST {data: {reply}}``: the asker marks the solution (a moderator when the asker's account is gone);
    ``DELETE`` unmarks it."""

    def post(self, request, document_id):
        question = _visible_question(document_id, request)
        data = request_data(request)
        only_keys(data, {"reply"})
        chosen = Reply.objects.filter(document_id=data.get("reply"), question=question).first()
        if chosen is None:
            raise ValidationError("There is no such reply to this question.")
        try:
            question = forum.mark_solution(
                question, chosen, by_profile=self.profile, by_moderator=self.stands_in_for_asker(question)
            )
        except forum.ForumError as error:
            raise ConflictError(str(error)) from None
        return json_response({"data": {"question": question.document_id, "solution": chosen.document_id}})

    def delete(self, request, document_id):
        question = _visible_question(document_id, request)
        try:
            forum.unmark_solution(question, by_profile=self.profile, by_moderator=self.stands_in_for_asker(question))
        except forum.ForumError as error:
            raise ConflictError(str(error)) from None
        return json_response({"data": {"question": question.document_id, "solution": None}})

    def stands_in_for_asker(self, question: Question) -> bool:
        asker = question.author.user
        asker_gone = asker is None or not asker.is_active
        return asker_gone and moderates(self.request)


class VoteView(MemberActionView):
    """``POST {data: {value}}`` on a reply: 1 up, -1 down, 0 takes the vote back. One vote per member."""

    def post(self, request, document_id):
        target = Reply.objects.filter(document_id=document_id, hidden=False).select_related("question").first()
        if target is None or target.question.archived:
            raise NotFoundError()
        data = request_data(request)
        only_keys(data, {"value"})
        value = data.get("value")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("value is 1, -1 or 0")
        try:
            target = forum.vote(self.profile, target, value)
        except DjangoValidationError as error:
            raise from_django_validation(error) from None
        except forum.ForumError as error:
            raise ConflictError(str(error)) from None
        body = {"reply": target.document_id, "upvotes": target.upvotes, "downvotes": target.downvotes, "mine": value}
        return json_response({"data": body, "meta": {}})
