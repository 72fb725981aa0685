"""Votes (one per member) and subscriptions (the bell) through the API."""

import json

import pytest

from plugins.forum.models import Subscription
from plugins.forum.services import ask, reply
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    asker = factories.ProfileFactory(user=factories.UserFactory())
    question = ask(asker, subject="Subject", body="Body", topics=[factories.TopicFactory()])
    helper = factories.ProfileFactory(user=factories.UserFactory())
    return question, reply(helper, question, body="Answer"), asker.user, helper.user


def vote(client, user, answer, value):
    return client.post(
        f"/api/replies/{answer.document_id}/vote",
        data=json.dumps({"data": {"value": value}}),
        content_type="application/json",
        **(bearer(user) if user else {}),
    )


def test_one_vote_per_member_changeable_and_removable(client, thread):
    question, answer, asker, helper = thread
    voters = [factories.UserFactory() for _ in range(2)]
    assert vote(client, voters[0], answer, 1).json()["data"]["upvotes"] == 1
    assert vote(client, voters[0], answer, 1).json()["data"]["upvotes"] == 1  # again: still one
    body = vote(client, voters[1], answer, -1).json()["data"]
    assert (body["upvotes"], body["downvotes"]) == (1, 1)
    body = vote(client, voters[0], answer, -1).json()["data"]
    assert (body["upvotes"], body["downvotes"]) == (0, 2)
    body = vote(client, voters[0], answer, 0).json()["data"]
    assert (body["upvotes"], body["downvotes"]) == (0, 1)
    served = client.get(f"/api/replies/{answer.document_id}").json()["data"]
    assert (served["upvotes"], served["downvotes"]) == (0, 1)


def test_bad_votes(client, thread):
    question, answer, asker, helper = thread
    assert vote(client, None, answer, 1).status_code == 403
    assert vote(client, helper, answer, 1).status_code == 409  # your own reply
    assert vote(client, asker, answer, 2).status_code == 400
    assert vote(client, asker, answer, "1").status_code == 400
    assert vote(client, asker, answer, True).status_code == 400


def test_the_bell_for_questions_and_topics(client, thread):
    question, answer, asker, helper = thread
    topic = question.topics.get()
    member = factories.UserFactory()
    for path in (f"questions/{question.document_id}", f"topics/{topic.document_id}"):
        url = f"/api/{path}/subscription"
        assert client.put(url).status_code == 403
        assert client.get(url, **bearer(member)).json()["data"]["subscribed"] is False
        assert client.put(url, **bearer(member)).json()["data"]["subscribed"] is True
        assert client.put(url, **bearer(member)).status_code == 200  # twice: still one
        assert client.get(url, **bearer(member)).json()["data"]["subscribed"] is True
    assert Subscription.objects.filter(profile__user=member).count() == 2
    assert client.delete(f"/api/topics/{topic.document_id}/subscription", **bearer(member)).status_code == 200
    assert Subscription.objects.filter(profile__user=member).count() == 1
    assert client.put("/api/topics/nope/subscription", **bearer(member)).status_code == 404


def test_a_forged_unsubscribe_link_is_refused(client, thread):
    assert client.get("/api/subscriptions/unsubscribe?token=forged").status_code == 400
    assert Subscription.objects.count() == 1  # the asker's own


def test_opening_the_unsubscribe_link_asks_and_only_the_button_stops_the_emails(client, thread):
    from plugins.forum.links import unsubscribe_token

    question, _answer, asker, _helper = thread
    profile = asker.profile
    assert Subscription.objects.filter(profile=profile, question=question).exists()
    path = f"/api/subscriptions/unsubscribe?token={unsubscribe_token(profile.pk, question_id=question.pk)}"
    page = client.get(path)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert '<form method="post"' in page.content.decode() and "Unsubscribe" in page.content.decode()
    assert Subscription.objects.filter(profile=profile, question=question).exists()  # a read never writes
    assert client.post(path).status_code == 200
    assert not Subscription.objects.filter(profile=profile, question=question).exists()
