"""Moderation through the API: archive, hold, tags, the moderator panel, hiding, moving, escalating, and who may."""

import json

import pytest
from django.contrib.auth.models import Group

from plugins.accounts.roles import COMMUNITY_MODERATORS
from plugins.forum.models import InternalTag, Question, SupportTicket
from plugins.forum.services import ask, mark_solution, reply
from tests import factories
from tests.api.helpers import bearer
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(settings):
    settings.FORUM_ANALYTICS_URL_TEMPLATE = "https://analytics.example.com/persons?search={email}"
    asker_user = factories.UserFactory(email="asker@private.example")
    asker = factories.ProfileFactory(user=asker_user, first_name="Ada", email="asker@private.example")
    topic, other_topic = factories.TopicFactory(label="Flags"), factories.TopicFactory(label="Surveys")
    question = ask(asker, subject="Why is my flag off?", body="It is off.", topics=[topic])
    helper_user = factories.UserFactory()
    answer = reply(factories.ProfileFactory(user=helper_user), question, body="Check the rollout.")
    InternalTag.objects.create(name="Internal: follow-up")
    community_moderator = factories.UserFactory()
    community_moderator.groups.add(Group.objects.get_or_create(name=COMMUNITY_MODERATORS)[0])
    return {
        "asker": asker_user,
        "helper": helper_user,
        "question": question,
        "reply": answer,
        "topic": topic,
        "other_topic": other_topic,
        "moderator": factories.moderator(),
        "community_moderator": community_moderator,
        "member": factories.UserFactory(),
    }


def moderate(client, user, path, body):
    headers = bearer(user) if user else {}
    return client.post(
        f"/api/{path}/moderation", data=json.dumps({"data": body}), content_type="application/json", **headers
    )


def listed(client, user=None) -> list[str]:
    headers = bearer(user) if user else {}
    return [q["documentId"] for q in client.get("/api/questions", **headers).json()["data"]]


def test_archive_hides_from_listings_but_keeps_the_permalink_for_the_asker(client, forum):
    question = forum["question"]
    doc = question.document_id
    assert moderate(client, forum["moderator"], f"questions/{doc}", {"action": "archive"}).status_code == 200
    assert doc not in listed(client) and doc not in listed(client, forum["member"])
    assert client.get(f"/api/questions/{doc}").status_code == 404
    assert client.get(f"/api/questions/{doc}", **bearer(forum["member"])).status_code == 404
    assert client.get(f"/api/replies/{forum['reply'].document_id}").status_code == 404
    mine = client.get(f"/api/questions?filters[permalink][$eq]={question.slug}", **bearer(forum["asker"])).json()[
        "data"
    ]
    assert [q["documentId"] for q in mine] == [doc]
    assert client.get(f"/api/questions/{doc}", **bearer(forum["asker"])).status_code == 200
    seen = client.get(f"/api/questions/{doc}", **bearer(forum["moderator"])).json()["data"]
    assert seen["archivedAt"] is not None
    assert moderate(client, forum["moderator"], f"questions/{doc}", {"action": "unarchive"}).status_code == 200
    assert doc in listed(client)


def test_internal_tags_and_the_panel_reach_moderators_only(client, forum):
    doc = forum["question"].document_id
    assert (
        moderate(
            client, forum["moderator"], f"questions/{doc}", {"action": "tag", "tag": "Internal: follow-up"}
        ).status_code
        == 200
    )
    unknown = moderate(client, forum["moderator"], f"questions/{doc}", {"action": "tag", "tag": "Internal: nope"})
    assert unknown.status_code == 400 and "Internal: follow-up" in unknown.json()["error"]["message"]
    seen = client.get(f"/api/questions/{doc}", **bearer(forum["moderator"])).json()["data"]
    assert seen["internalTags"] == ["Internal: follow-up"]
    panel = seen["moderatorPanel"]
    assert panel["email"] == "asker@private.example" and panel["name"].startswith("Ada")
    assert panel["activity"]["questions"] == 1
    assert panel["analyticsUrl"] == "https://analytics.example.com/persons?search=asker@private.example"
    paths = [
        f"/api/questions/{doc}",
        "/api/questions",
        f"/api/topics/{forum['topic'].document_id}?populate[questions]=*",
        f"/api/replies/{forum['reply'].document_id}?populate[question]=*",
        "/api/profiles?populate[questions]=*",
    ]
    for user in (None, forum["member"], forum["asker"], forum["community_moderator"]):
        for path in paths:
            text = client.get(path, **(bearer(user) if user else {})).content.decode()
            assert "Internal: follow-up" not in text and "asker@private.example" not in text, (user, path)
            assert "moderatorPanel" not in text and "internalTags" not in text


def test_community_moderators_archive_move_and_hide_but_nothing_else(client, forum):
    cm, doc = forum["community_moderator"], forum["question"].document_id
    moved = moderate(client, cm, f"questions/{doc}", {"action": "move", "topics": [forum["other_topic"].document_id]})
    assert moved.status_code == 200 and moved.json()["data"]["topics"] == [forum["other_topic"].document_id]
    assert moderate(client, cm, f"replies/{forum['reply'].document_id}", {"action": "hide"}).status_code == 200
    for forbidden in (
        {"action": "tag", "tag": "Internal: follow-up"},
        {"action": "pin"},
        {"action": "escalate", "reason": "x"},
    ):
        assert moderate(client, cm, f"questions/{doc}", forbidden).status_code == 403
    assert moderate(client, cm, f"questions/{doc}", {"action": "archive"}).status_code == 200
    for user in (forum["member"], forum["asker"], None):
        expected = 403
        assert moderate(client, user, f"questions/{doc}", {"action": "unarchive"}).status_code == expected
        assert (
            moderate(client, user, f"replies/{forum['reply'].document_id}", {"action": "unhide"}).status_code
            == expected
        )


def test_a_hidden_reply_leaves_the_thread_and_stops_being_the_solution(client, forum):
    question, answer = forum["question"], forum["reply"]
    mark_solution(question, answer, by_profile=question.author)
    assert moderate(client, forum["moderator"], f"replies/{answer.document_id}", {"action": "hide"}).status_code == 200
    thread = client.get(f"/api/questions/{question.document_id}?populate=replies").json()["data"]
    assert thread["replies"] == []
    question.refresh_from_db()
    assert question.solution is None


def test_pin_and_move_validation(client, forum):
    doc = forum["question"].document_id
    assert moderate(client, forum["moderator"], f"questions/{doc}", {"action": "pin"}).json()["data"]["pinned"] is True
    assert moderate(client, forum["moderator"], f"questions/{doc}", {"action": "move", "topics": []}).status_code == 400
    assert (
        moderate(client, forum["moderator"], f"questions/{doc}", {"action": "move", "topics": ["nope"]}).status_code
        == 400
    )
    assert moderate(client, forum["moderator"], f"questions/{doc}", {"action": "explode"}).status_code == 400


def test_escalation_records_a_ticket_and_tells_support(client, forum, settings, django_capture_on_commit_callbacks):
    doc = forum["question"].document_id
    with Receiver() as receiver:
        settings.FORUM_SUPPORT_WEBHOOK_URL = receiver.url
        with django_capture_on_commit_callbacks(execute=True):
            response = moderate(
                client, forum["moderator"], f"questions/{doc}", {"action": "escalate", "reason": "Billing"}
            )
        assert response.status_code == 200
    ticket = SupportTicket.objects.get()
    assert (ticket.reason, ticket.escalated_by) == ("Billing", forum["moderator"])
    message = receiver.received[0]["body"]
    assert "Why is my flag off?" in message["text"]
    assert (
        moderate(client, forum["moderator"], f"questions/{doc}", {"action": "escalate", "reason": "again"}).status_code
        == 409
    )


def test_a_first_question_can_be_held_until_approved(client, forum, settings):
    settings.FORUM_HOLD_FIRST_QUESTION = True
    newcomer = factories.ProfileFactory(user=factories.UserFactory())
    held = ask(newcomer, subject="First!", body="Hello")
    assert held.held and held.document_id not in listed(client)
    second = ask(newcomer, subject="Second", body="Hello again")
    assert not second.held
    assert (
        moderate(client, forum["moderator"], f"questions/{held.document_id}", {"action": "approve"}).status_code == 200
    )
    assert held.document_id in listed(client)


def test_a_moderator_marks_the_solution_only_when_the_asker_is_gone(client, forum):
    question, answer = forum["question"], forum["reply"]
    path = f"/api/questions/{question.document_id}/solution"
    body = json.dumps({"data": {"reply": answer.document_id}})
    refused = client.post(path, data=body, content_type="application/json", **bearer(forum["community_moderator"]))
    assert refused.status_code == 409
    forum["asker"].is_active = False
    forum["asker"].save()
    allowed = client.post(path, data=body, content_type="application/json", **bearer(forum["community_moderator"]))
    assert allowed.status_code == 200
    assert Question.objects.get(pk=question.pk).solution == answer
