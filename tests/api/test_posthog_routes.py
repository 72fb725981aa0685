"""posthog.com's own routes: thin wrappers over the project's services, same rules and events."""

import json
from decimal import Decimal

import pytest
from django.core import mail

from plugins.forum.models import SupportTicket
from plugins.forum.services import ask, mark_read, reply, subscribe
from plugins.points.services import Posting, balance_of, post
from plugins.rewards.models import Redemption
from plugins.rewards.services import enable_account_credit
from plugins.roadmap.models import RoadmapSubscription
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def send(client, method, path, user=None, body=None, **headers):
    auth = bearer(user) if user else {}
    payload = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(f"/api/{path}", **payload, **auth, **headers)


@pytest.fixture
def thread(db):
    asker_user, helper_user = factories.UserFactory(), factories.UserFactory()
    asker = factories.ProfileFactory(user=asker_user, first_name="Asker")
    helper = factories.ProfileFactory(user=helper_user, first_name="Helper")
    question = ask(asker, subject="How do flags work?", body="Tell me")
    answer = reply(helper, question, body="Like this")
    return {"asker": asker_user, "helper": helper_user, "question": question, "answer": answer}


def test_notifications_list_unread_replies_by_others_until_read(client, thread):
    asker, question = thread["asker"], thread["question"]
    notes = send(client, "get", "profile/notifications", asker)
    assert notes.status_code == 200
    [note] = notes.json()
    assert note["question"]["id"] == question.pk and note["question"]["permalink"] == question.slug
    assert [r["id"] for r in note["question"]["replies"]] == [thread["answer"].pk]
    mark_read(asker.profile, question)
    assert send(client, "get", "profile/notifications", asker).json() == []
    # The helper's own reply is not news to them.
    subscribe(thread["helper"].profile, question=question)
    assert send(client, "get", "profile/notifications", thread["helper"]).json() == []
    assert send(client, "get", "profile/notifications").status_code == 403


def test_up_and_down_toggle_a_vote(client, thread):
    answer, asker = thread["answer"], thread["asker"]
    up = send(client, "put", f"replies/{answer.pk}/up", asker)
    assert up.status_code == 200 and up.json()["data"]["upvotes"] == 1
    again = send(client, "put", f"replies/{answer.document_id}/up", asker).json()["data"]
    assert (again["upvotes"], again["vote"]) == (0, 0)
    down = send(client, "put", f"replies/{answer.pk}/down", asker).json()["data"]
    assert (down["upvotes"], down["downvotes"]) == (0, 1)
    # One's own reply is not voted on, as through /vote.
    own = send(client, "put", f"replies/{answer.pk}/up", thread["helper"])
    assert own.status_code == 409
    assert send(client, "put", "replies/999999/up", asker).status_code == 404


def test_escalate_is_for_moderators_and_records_the_ticket(client, thread):
    question = thread["question"]
    body = {"id": question.pk, "message": "Billing problem"}
    assert send(client, "post", "escalate", thread["asker"], body).status_code == 403
    moderator = factories.moderator()
    response = send(client, "post", "escalate", moderator, body)
    assert response.status_code == 200, response.json()
    ticket = SupportTicket.objects.get(question=question)
    assert ticket.reason == "Billing problem" and ticket.escalated_by == moderator
    assert send(client, "post", "escalate", moderator, {"id": question.pk}).status_code == 400
    assert send(client, "post", "escalate", moderator, {"id": 10**9, "message": "x"}).status_code == 404


def test_a_blocked_member_is_hidden_and_cannot_post(client, thread):
    helper = thread["helper"]
    moderator = factories.moderator()
    profile_id = helper.profile.pk
    assert send(client, "put", f"profile/block/{profile_id}", thread["asker"]).status_code == 403
    blocked = send(client, "put", f"profile/block/{profile_id}", moderator)
    assert blocked.status_code == 200 and blocked.json()["data"]["blocked"] is True
    # Their reply is gone for the public (and through a populate), their posting refused.
    assert send(client, "get", f"replies/{thread['answer'].document_id}").status_code == 404
    question = send(client, "get", f"questions/{thread['question'].document_id}?populate=replies").json()["data"]
    assert question["replies"] == [], question
    refused = send(client, "post", "replies", helper, {"data": {"body": "Again", "question": thread["question"].pk}})
    assert refused.status_code == 403 and "blocked" in refused.json()["error"]["message"]
    # Moderators still read it; unblocking shows it again.
    assert send(client, "get", f"replies/{thread['answer'].document_id}", moderator).status_code == 200
    send(client, "put", f"profile/unblock/{profile_id}", moderator)
    assert send(client, "get", f"replies/{thread['answer'].document_id}").status_code == 200
    # Nobody blocks a moderator, nor themselves.
    colleague = factories.ProfileFactory(user=factories.moderator())
    assert send(client, "put", f"profile/block/{colleague.pk}", moderator).status_code == 403
    assert send(client, "put", f"profile/block/{colleague.pk}", colleague.user).status_code == 403


def test_roadmap_subscribe_and_unsubscribe(client, db):
    user = factories.UserFactory()
    item = factories.RoadmapItemFactory(title="Replay")
    assert send(client, "post", f"roadmap/{item.pk}/subscribe", user).status_code == 200
    assert RoadmapSubscription.objects.filter(item=item, profile__user=user).exists()
    assert send(client, "post", f"roadmap/{item.pk}/unsubscribe", user).status_code == 200
    assert not RoadmapSubscription.objects.exists()
    assert send(client, "post", f"roadmap/{item.pk}/subscribe").status_code == 403
    hidden = factories.RoadmapItemFactory(title="Secret", live=False)
    assert send(client, "post", f"roadmap/{hidden.pk}/subscribe", user).status_code == 404


def test_rewards_redeem_by_handle_and_credit(client, db):
    user = factories.UserFactory()
    profile = factories.ProfileFactory(user=user)
    post(profile, Posting(500, "gift", "Gift", "g1"))
    factories.RewardProductFactory(
        title="$5 credit", handle="five", price=300, kind="merch_credit", discount_amount=Decimal("5.00")
    )
    factories.RewardProductFactory(title="Gone", handle="gone", price=1, stock=0)
    rewards = send(client, "get", "points/rewards").json()["data"]
    assert [r["handle"] for r in rewards] == ["five"] and rewards[0]["price"] == 300
    first = send(client, "post", "points/redeem", user, {"handle": "five"})
    assert first.status_code == 201, first.json()
    assert first.json()["data"]["code"]
    # posthog.com sends no Idempotency-Key: a double click within the minute is the same redemption.
    again = send(client, "post", "points/redeem", user, {"handle": "five"})
    assert again.status_code == 200 and again.json()["data"]["documentId"] == first.json()["data"]["documentId"]
    assert balance_of(profile) == 200 and Redemption.objects.count() == 1
    poor = send(client, "post", "points/redeem", user, {"handle": "five"}, HTTP_IDEMPOTENCY_KEY="another")
    assert poor.status_code == 409 and balance_of(profile) == 200
    assert send(client, "post", "points/redeem", user, {"handle": "nope"}).status_code == 404

    off = send(client, "get", "points/credit", user).json()["data"]
    assert off == {"enabled": False, "price": None, "redemption": None}
    credit = factories.RewardProductFactory(
        title="$30 app credit", handle="app", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )
    enable_account_credit(profile, credit, enabled_by=factories.moderator())
    on = send(client, "get", "points/credit", user).json()["data"]
    assert on["enabled"] is True and on["price"] == 0 and on["redemption"] is None
    redeemed = send(client, "post", "points/credit/redeem", user)
    assert redeemed.status_code == 200 and redeemed.json()["data"]["code"]
    after = send(client, "get", "points/credit", user).json()["data"]
    assert after["redemption"]["code"] == redeemed.json()["data"]["code"]
    assert send(client, "post", "points/credit/redeem", user).status_code == 404
    assert not mail.outbox or all("code" not in m.subject for m in mail.outbox)


@pytest.mark.parametrize(
    "path", ["ask-max", "ask-max/publish/3", "posts", "posts/12", "events?pagination[page]=1", "sdk-references"]
)
def test_posthogs_routes_outside_the_community_answer_a_clear_404(client, db, path):
    for method in ("get", "post"):
        response = getattr(client, method)(f"/api/{path}")
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["status"] == 404 and "not part of the community CMS" in error["message"]


def test_dismissing_notifications_by_sending_back_the_rest(client, thread):
    asker, question = thread["asker"], thread["question"]
    other = ask(asker.profile, subject="Another", body="?")
    reply(thread["helper"].profile, other, body="Answer")
    notes = send(client, "get", "profile/notifications", asker).json()
    assert {n["question"]["id"] for n in notes} == {question.pk, other.pk}
    kept = [n for n in notes if n["question"]["id"] == other.pk]
    body = {"data": {"notifications": kept}}
    response = send(client, "put", f"profiles/{asker.profile.pk}", asker, body, HTTP_STRAPI_RESPONSE_FORMAT="v4")
    assert response.status_code == 200, response.json()
    assert [n["question"]["id"] for n in send(client, "get", "profile/notifications", asker).json()] == [other.pk]
    refused = send(
        client,
        "put",
        f"profiles/{asker.profile.pk}",
        asker,
        {"data": {"notifications": "all"}},
        HTTP_STRAPI_RESPONSE_FORMAT="v4",
    )
    assert refused.status_code == 400


def test_a_blocked_member_votes_edits_and_moderates_no_more(client, thread):
    from django.contrib.auth.models import Group

    from plugins.accounts.roles import COMMUNITY_MODERATORS
    from plugins.profiles.services import block_member

    asker, answer, question = thread["asker"], thread["answer"], thread["question"]
    asker.groups.add(Group.objects.get_or_create(name=COMMUNITY_MODERATORS)[0])
    voter = factories.ProfileFactory(user=factories.UserFactory()).user
    block_member(voter.profile, by=factories.moderator())
    assert send(client, "put", f"replies/{answer.pk}/up", voter).status_code == 403
    block_member(asker.profile, by=factories.moderator())
    edit = {"data": {"subject": "Edited"}}
    refused = send(client, "put", f"questions/{question.pk}", asker, edit, HTTP_STRAPI_RESPONSE_FORMAT="v4")
    assert refused.status_code == 403
    question.refresh_from_db()
    assert question.subject == "How do flags work?"
    bio = {"data": {"biography": "Spam"}}
    assert (
        send(client, "put", f"profiles/{asker.profile.pk}", asker, bio, HTTP_STRAPI_RESPONSE_FORMAT="v4").status_code
        == 403
    )
    # A blocked community moderator's rights go with the block.
    moderate = {"data": {"action": "archive"}}
    assert send(client, "post", f"questions/{question.document_id}/moderation", asker, moderate).status_code == 403
    # Nobody votes on a blocked member's reply either: it is not there for them.
    block_member(thread["helper"].profile, by=factories.moderator())
    assert send(client, "put", f"replies/{answer.pk}/up", factories.UserFactory()).status_code == 404


def test_an_asker_cannot_reach_a_hidden_reply_by_updating_it(client, thread):
    from plugins.forum.moderation import set_hidden

    set_hidden(thread["answer"], True, by=factories.moderator())
    response = send(
        client,
        "put",
        f"replies/{thread['answer'].pk}",
        thread["asker"],
        {"data": {"helpful": True}},
        HTTP_STRAPI_RESPONSE_FORMAT="v4",
    )
    assert response.status_code == 404 and "Like this" not in response.content.decode()


def test_community_moderators_hide_replies_but_do_not_delete_them(client, thread):
    from django.contrib.auth.models import Group

    from plugins.accounts.roles import COMMUNITY_MODERATORS

    keeper = factories.UserFactory()
    keeper.groups.add(Group.objects.get_or_create(name=COMMUNITY_MODERATORS)[0])
    assert send(client, "delete", f"replies/{thread['answer'].document_id}", keeper).status_code == 403


def test_bad_bodies_to_posthogs_routes_are_400(client, thread):
    for body in (5, True, [1], {"handle": 7}, {"data": "x"}):
        response = send(client, "post", "points/redeem", thread["asker"], body)
        assert response.status_code == 400, (body, response.status_code)
    # An object is no id (the body's schema says an integer or a documentId); an id that names nothing is a 404.
    assert send(client, "post", "escalate", factories.moderator(), {"id": {"x": 1}, "message": "m"}).status_code == 400
    assert send(client, "post", "escalate", factories.moderator(), {"id": "nosuch", "message": "m"}).status_code == 404
    assert send(client, "put", "replies/abc/up", thread["asker"]).status_code == 404


def test_a_credit_enabled_again_after_a_cancelled_redemption_redeems_anew(client, db):
    from plugins.rewards.services import cancel_redemption

    user = factories.UserFactory()
    profile = factories.ProfileFactory(user=user)
    credit = factories.RewardProductFactory(
        title="$30 app credit", handle="app", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )
    moderator = factories.moderator()
    enable_account_credit(profile, credit, enabled_by=moderator)
    first = send(client, "post", "points/credit/redeem", user).json()["data"]
    cancel_redemption(Redemption.objects.get(profile=profile), cancelled_by=moderator, reason="Wrong account")
    again = send(client, "post", "points/credit/redeem", user)
    assert again.status_code == 200, again.json()
    assert Redemption.objects.filter(profile=profile).count() == 2
    assert again.json()["data"]["code"] != first["code"] or again.json()["data"]["createdAt"] != first["createdAt"]
