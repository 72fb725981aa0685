"""GET /api/users/me/dashboard: open threads in followed topics, my questions, what I follow, unread replies."""

import pytest

from plugins.forum import moderation
from plugins.forum.services import ask, mark_solution, reply, subscribe
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def test_the_dashboard(client):
    me = factories.ProfileFactory(user=factories.UserFactory())
    others = factories.ProfileFactory()
    flags, billing = factories.TopicFactory(label="Flags"), factories.TopicFactory(label="Billing")
    subscribe(me, topic=flags)
    open_thread = ask(others, subject="Open flag thread", body="?", topics=[flags])
    solved = ask(others, subject="Solved flag thread", body="?", topics=[flags])
    mark_solution(solved, reply(me, solved, body="Do this"), by_profile=others)
    ask(others, subject="Billing thread", body="?", topics=[billing])
    archived = ask(others, subject="Archived flag thread", body="?", topics=[flags])
    moderation.archive(archived, by=None)
    mine = ask(me, subject="My question", body="?", topics=[billing])
    reply(others, mine, body="First answer")
    reply(others, mine, body="Second answer")
    reply(me, mine, body="My own follow-up")  # not unread for me

    data = client.get("/api/users/me/dashboard", **bearer(me.user)).json()["data"]
    assert [q["subject"] for q in data["openThreads"]] == ["Open flag thread"]
    assert [q["subject"] for q in data["myQuestions"]] == ["My question"]
    assert data["myQuestions"][0]["numReplies"] == 3
    assert [t["label"] for t in data["subscriptions"]["topics"]] == ["Flags"]
    followed = {q["subject"]: q["unread"] for q in data["subscriptions"]["questions"]}
    assert followed == {"My question": 2}
    assert data["unreadReplies"] == 2

    assert client.post(f"/api/questions/{mine.document_id}/read", **bearer(me.user)).status_code == 200
    data = client.get("/api/users/me/dashboard", **bearer(me.user)).json()["data"]
    assert data["unreadReplies"] == 0
    assert open_thread.document_id in [q["documentId"] for q in data["openThreads"]]


def test_the_dashboard_is_for_members(client):
    assert client.get("/api/users/me/dashboard").status_code == 403
