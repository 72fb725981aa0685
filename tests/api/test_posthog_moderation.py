"""PostHog's moderators act by updating questions and replies; each change goes through the forum's
moderation service (its rights, its log entries, its events)."""

import json

import pytest
from wagtail.models import ModelLogEntry

from plugins.forum.models import Question, Reply
from plugins.forum.services import ask, reply
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

V4 = {"HTTP_STRAPI_RESPONSE_FORMAT": "v4"}


def put(client, path, data, user=None):
    auth = bearer(user) if user else {}
    return client.put(f"/api/{path}", data=json.dumps({"data": data}), content_type="application/json", **auth, **V4)


@pytest.fixture
def thread(db):
    asker = factories.ProfileFactory(user=factories.UserFactory(), first_name="Asker")
    helper = factories.ProfileFactory(user=factories.UserFactory(), first_name="Helper")
    flags, replay = factories.TopicFactory(label="Flags"), factories.TopicFactory(label="Replay")
    question = ask(asker, subject="Flags?", body="How", topics=[flags])
    answer = reply(helper, question, body="Like so")
    return {
        "asker": asker.user,
        "helper": helper.user,
        "question": question,
        "answer": answer,
        "topics": (flags, replay),
    }


def logged(question, action):
    return ModelLogEntry.objects.filter(object_id=str(question.pk), action=f"forum.{action}").exists()


def test_a_moderator_archives_moves_and_pins_by_updating_the_question(client, thread):
    question, (flags, replay) = thread["question"], thread["topics"]
    moderator = factories.moderator()
    archived = put(client, f"questions/{question.pk}", {"archived": True}, moderator)
    assert archived.status_code == 200, archived.json()
    assert archived.json()["data"]["attributes"]["archived"] is True
    assert logged(question, "archive")
    put(client, f"questions/{question.pk}", {"archived": False}, moderator)
    moved = put(client, f"questions/{question.pk}", {"topics": {"connect": [replay.pk]}}, moderator)
    assert moved.status_code == 200, moved.json()
    assert set(Question.objects.get(pk=question.pk).topics.all()) == {flags, replay}
    assert logged(question, "move")
    pinned = put(client, f"questions/{question.pk}", {"pinnedTopics": [replay.pk]}, moderator)
    assert pinned.status_code == 200, pinned.json()
    fresh = Question.objects.get(pk=question.pk)
    assert list(fresh.pinned_topics.all()) == [replay] and fresh.pinned
    # Only in its own topics.
    elsewhere = factories.TopicFactory(label="Elsewhere")
    assert put(client, f"questions/{question.pk}", {"pinnedTopics": [elsewhere.pk]}, moderator).status_code == 400


def test_members_do_not_moderate(client, thread):
    question = thread["question"]
    # Another member may change nothing of it; the asker their own words and the solution only.
    assert put(client, f"questions/{question.pk}", {"archived": True}, thread["helper"]).status_code == 403
    refused = put(client, f"questions/{question.pk}", {"archived": True}, thread["asker"])
    assert refused.status_code == 400 and "may not change archived" in refused.json()["error"]["message"]
    assert put(client, f"questions/{question.pk}", {"archived": True}).status_code == 403
    assert not Question.objects.get(pk=question.pk).archived


def test_the_asker_resolves_with_resolved_and_resolved_by(client, thread):
    question, answer = thread["question"], thread["answer"]
    resolved = put(client, f"questions/{question.pk}", {"resolved": True, "resolvedBy": answer.pk}, thread["asker"])
    assert resolved.status_code == 200, resolved.json()
    assert Question.objects.get(pk=question.pk).solution == answer
    assert resolved.json()["data"]["attributes"]["resolved"] is True
    # Someone else's question is not theirs to resolve.
    refused = put(client, f"questions/{question.pk}", {"resolved": False}, thread["helper"])
    assert refused.status_code == 403
    unresolved = put(client, f"questions/{question.pk}", {"resolved": False}, thread["asker"])
    assert unresolved.status_code == 200 and Question.objects.get(pk=question.pk).solution is None


def test_moderators_unpublish_and_publish_a_reply_and_mark_it_helpful(client, thread):
    answer, moderator = thread["answer"], factories.moderator()
    down = put(client, f"replies/{answer.pk}", {"publishedAt": None}, moderator)
    assert down.status_code == 200, down.json()
    assert Reply.objects.get(pk=answer.pk).hidden
    assert down.json()["data"]["attributes"]["publishedAt"] is None
    assert client.get(f"/api/replies/{answer.document_id}").status_code == 404
    up = put(client, f"replies/{answer.pk}", {"publishedAt": "2026-01-01T00:00:00.000Z"}, moderator)
    assert up.status_code == 200 and not Reply.objects.get(pk=answer.pk).hidden
    assert up.json()["data"]["attributes"]["publishedAt"] is not None
    # The asker says it helped; the reply's author does not, nor unpublish it.
    assert put(client, f"replies/{answer.pk}", {"helpful": True}, thread["asker"]).status_code == 200
    assert Reply.objects.get(pk=answer.pk).helpful is True
    assert put(client, f"replies/{answer.pk}", {"helpful": False}, thread["helper"]).status_code == 400
    assert Reply.objects.get(pk=answer.pk).helpful is True
    assert put(client, f"replies/{answer.pk}", {"publishedAt": None}, thread["asker"]).status_code == 400


def test_moderators_delete_replies_and_members_do_not(client, thread):
    question, answer = thread["question"], thread["answer"]
    assert client.delete(f"/api/replies/{answer.pk}", **bearer(thread["asker"]), **V4).status_code == 403
    assert client.delete(f"/api/replies/{answer.pk}", **V4).status_code == 403
    gone = client.delete(f"/api/replies/{answer.pk}", **bearer(factories.moderator()), **V4)
    assert gone.status_code == 200, gone.content
    assert not Reply.objects.filter(pk=answer.pk).exists()
    assert Question.objects.get(pk=question.pk).num_replies == 0
    assert logged(question, "delete_reply")
