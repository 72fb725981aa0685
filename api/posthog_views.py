"""posthog.com's own routes (its Strapi's custom controllers), each a thin wrapper over the service the
project's own endpoint calls, with the same rules, events and e-mails.

They take the integer ``id`` posthog.com reads from v4 responses, or a ``documentId``, in either
response format. Routes of PostHog's that are not the community's (AI answers, blog posts, events,
SDK references) answer a 404 that says so (``OutOfScopeView``).
"""

from __future__ import annotations

from django.db.models import Model
from django.utils import timezone

from api.base import ApiView, MemberView, document_lookup, json_response
from api.bodies import Body, Reference, Text, parse_body, request_data
from api.errors import NotFoundError
from api.media import file_object
from api.moderation_views import idempotency_key
from api.query.values import format_datetime
from api.store_views import MAX_IDEMPOTENCY_KEY, redemption_json
from plugins.forum import moderation
from plugins.forum import services as forum
from plugins.forum.models import Question, Reply, public_replies
from plugins.profiles.models import Profile
from plugins.profiles.services import block_member, unblock_member
from plugins.rewards.models import Redemption, RewardProduct
from plugins.rewards.services import account_credit_status, listed_products, redeem
from plugins.roadmap import services as roadmap
from plugins.roadmap.models import RoadmapItem


def find(queryset, ref) -> Model:
    """The row named by an integer id (as posthog.com sends) or a documentId; a 404 otherwise."""
    ref = str(ref) if isinstance(ref, int) and not isinstance(ref, bool) else ref
    if not isinstance(ref, str) or not ref:
        raise NotFoundError()
    found = queryset.filter(**document_lookup(ref, integer_ids=True)).first()
    if found is None:
        raise NotFoundError()
    return found


class NotificationsView(MemberView):
    """``GET /api/profile/notifications``: the followed questions with replies the member has not read,
    newest first, as ``[{question: {id, subject, activeAt, permalink, replies: [{id, updatedAt}]}, date}]``."""

    def get(self, request):
        body = [
            {
                "question": {
                    "id": n.question.pk,
                    "documentId": n.question.document_id,
                    "subject": n.question.subject,
                    "permalink": n.question.slug,
                    "activeAt": format_datetime(n.question.last_activity_at),
                    "replies": [
                        {"id": r.pk, "documentId": r.document_id, "updatedAt": format_datetime(r.updated_at)}
                        for r in n.replies
                    ],
                },
                "date": format_datetime(n.date),
            }
            for n in forum.notifications(self.profile)
        ]
        return json_response(body, request=request)


class ReplyVoteView(MemberView):
    """``PUT /api/replies/<id>/up`` or ``/down``: vote; the same vote again takes it back."""

    def rate_limit_scope(self):
        return "vote"

    def put(self, request, document_id, direction):
        target = find(Reply.objects.filter(public_replies()).select_related("question"), document_id)
        if not target.question.public:
            raise NotFoundError()
        target, mine = forum.toggle_vote(self.profile, target, 1 if direction == "up" else -1)
        body = {"id": target.pk, "upvotes": target.upvotes, "downvotes": target.downvotes, "vote": mine}
        return json_response({"data": body, "meta": {}})


class EscalateBody(Body):
    """The question to send to support, and why."""

    envelope = False

    id = Reference(help_text="The question's id or documentId.")
    message = Text(allow_blank=True, help_text="Why it goes to support.")


class EscalateView(ApiView):
    """``POST /api/escalate`` ``{id, message}``: a moderator sends the question to support."""

    body = EscalateBody

    def post(self, request):
        if "escalate" not in request.actor.forum_actions:
            raise self.deny()
        data = self.parsed_body()
        question = find(Question.objects.all(), data["id"])
        message = data["message"]
        ticket = moderation.escalate(question, by=request.member, reason=message)
        body = {"id": question.pk, "escalated": True, "reason": ticket.reason}
        return json_response({"data": body, "meta": {}})


class BlockView(ApiView):
    """``PUT /api/profile/block/<id>`` and ``/unblock/<id>``: a moderator blocks a member (their posts are
    hidden, they cannot post) or lifts the block."""

    block = True

    def put(self, request, document_id):
        if not request.actor.moderates or request.member is None:
            raise self.deny()
        profile = find(Profile.objects.select_related("user"), document_id)
        (block_member if self.block else unblock_member)(profile, by=request.member)
        body = {"id": profile.pk, "documentId": profile.document_id, "blocked": profile.blocked_at is not None}
        return json_response({"data": body, "meta": {}})


class RoadmapSubscribeView(MemberView):
    """``POST /api/roadmap/<id>/subscribe`` or ``/unsubscribe``: hear of a roadmap item's updates, or stop."""

    def post(self, request, document_id, action):
        item = find(RoadmapItem.objects.filter(live=True), document_id)
        (roadmap.follow if action == "subscribe" else roadmap.unfollow)(self.profile, item)
        return json_response({"data": {"id": item.pk, "subscribed": action == "subscribe"}, "meta": {}})


def reward_json(product: RewardProduct) -> dict:
    return {
        "id": product.pk,
        "documentId": product.document_id,
        "handle": product.handle,
        "title": product.title,
        "description": product.description,
        "kind": product.kind,
        "price": product.price,
        "discountAmount": float(product.discount_amount) if product.discount_amount is not None else None,
        "image": file_object(product.image) if product.image_id else None,
    }


class RewardsView(ApiView):
    """``GET /api/points/rewards``: what the store offers (published, in stock), cheapest first."""

    def get(self, request):
        products = listed_products().select_related("image").order_by("price", "pk")
        return json_response({"data": [reward_json(p) for p in products], "meta": {}}, request=request)


class HandleBody(Body):
    """The reward to redeem."""

    envelope = False

    handle = Text(max_length=RewardProduct._meta.get_field("handle").max_length, help_text="The reward's handle.")


class RedeemByHandleView(MemberView):
    """``POST /api/points/redeem`` ``{handle}`` (or in Strapi's envelope, ``{data: {handle}}``): redeem a reward,
    as ``/api/reward-products/<id>/redeem``.

    posthog.com sends no ``Idempotency-Key``; without one, the key is the member, the product and the
    minute, so a double click or a retry within the minute returns the first redemption.
    """

    body = HandleBody

    def post(self, request):
        wrapped = isinstance(request.data, dict) and "data" in request.data
        handle = parse_body(request, HandleBody, request_data(request) if wrapped else None)["handle"]
        product = RewardProduct.objects.filter(handle=handle).first()
        if product is None:
            raise NotFoundError(f"There is no reward {handle[:60]!r}")
        key = idempotency_key(request, max_length=MAX_IDEMPOTENCY_KEY)
        if not key:
            key = f"redeem-{request.member.pk}-{product.pk}-{timezone.now():%Y%m%d%H%M}"
        result = redeem(self.profile, product, idempotency_key=key)
        redemption = Redemption.objects.select_related("product", "order").get(pk=result.redemption.pk)
        return json_response({"data": redemption_json(redemption), "meta": {}}, status=201 if result.created else 200)


class CreditView(MemberView):
    """``GET /api/points/credit``: whether an account credit is enabled for the member, its price, and their
    redemption of it; ``POST /api/points/credit/redeem`` redeems it."""

    def get(self, request):
        status = account_credit_status(self.profile)
        redemption = status.redemption
        body = {
            "enabled": status.product is not None or redemption is not None,
            "price": status.product.price if status.product else (redemption.price if redemption else None),
            "redemption": {
                "code": redemption.usable_code,
                "pointsSpent": redemption.price,
                "createdAt": format_datetime(redemption.created_at),
            }
            if redemption
            else None,
        }
        return json_response({"data": body, "meta": {}}, request=request)

    def post(self, request):
        status = account_credit_status(self.profile)
        if status.product is None:
            raise NotFoundError("No account credit is enabled for you (or you have redeemed it)")
        # A retry returns the same redemption; a credit enabled again after a cancelled one is a new one.
        fallback = f"credit-{request.member.pk}-{status.product.pk}-{status.attempts}"
        key = idempotency_key(request, max_length=MAX_IDEMPOTENCY_KEY) or fallback
        redemption = redeem(self.profile, status.product, idempotency_key=key).redemption
        body = {
            "code": redemption.usable_code,
            "pointsSpent": redemption.price,
            "createdAt": format_datetime(redemption.created_at),
        }
        return json_response({"data": body, "meta": {}})


OUT_OF_SCOPE = {
    "ask-max": "PostHog's AI answers",
    "questions/suggest-forum-topic": "PostHog's AI topic suggestions",
    "posts": "blog and newsletter posts",
    "post-categories": "blog post categories",
    "post-tags": "blog post tags",
    "events": "PostHog's events",
    "sdk-references": "SDK reference docs",
}


class OutOfScopeView(ApiView):
    """PostHog routes for content that is not the community's: a 404 that says so."""

    what = ""

    def dispatch(self, request, *args, **kwargs):
        self.what = kwargs.pop("what")
        kwargs.pop("rest", None)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Before any handler: every method gets the same answer.
        raise NotFoundError(f"Not found: {self.what} are not part of the community CMS (see the README)")
