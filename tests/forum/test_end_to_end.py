"""The whole path through the API: register, ask on a docs page, reply, e-mail, solution, achievements, points."""

import json

import pytest
from django.core import mail

from plugins.achievements.models import AchievementAward
from plugins.achievements.triggers import Trigger
from plugins.forum.models import DocsTopicMapping, Question, Subscription
from plugins.points.services import balance_of
from plugins.profiles.models import Profile
from tests import factories

pytestmark = pytest.mark.django_db


def call(client, capture, method, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with capture(execute=True):  # run what waits for the commit: events, then tasks (immediate backend)
        return getattr(client, method)(
            f"/api/{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            **headers,
        )


def register(client, capture, name):
    body = {"username": name, "email": f"{name}@example.com", "password": "a long enough passphrase 42"}
    response = call(client, capture, "post", "auth/local/register", body)
    assert response.status_code == 200, response.content
    return response.json()["jwt"]


def test_ask_on_a_docs_page_reply_email_solution_achievements_and_points(
    client, django_capture_on_commit_callbacks, settings
):
    settings.FORUM_QUESTION_URL_TEMPLATE = "https://example.com/questions/{slug}"
    capture = django_capture_on_commit_callbacks
    flags = factories.TopicFactory(label="Feature flags")
    DocsTopicMapping.objects.create(path_prefix="/docs/feature-flags", topic=flags)
    DocsTopicMapping.objects.create(path_prefix="/docs/", topic=factories.TopicFactory(label="Docs"))
    first_question = factories.AchievementFactory(title="Curious", trigger=Trigger.QUESTIONS_ASKED, points=5)
    first_answer = factories.AchievementFactory(title="Helper", trigger=Trigger.ANSWERS_POSTED, points=10)
    solver = factories.AchievementFactory(title="Solver", trigger=Trigger.SOLUTIONS, points=50)

    asker = register(client, capture, "ada")
    helper = register(client, capture, "grace")

    asked = call(
        client,
        capture,
        "post",
        "questions",
        {
            "data": {
                "subject": "How do I roll out a flag to 10%?",
                "body": "I tried **this**.",
                "page": "/docs/feature-flags/rollouts",
            }
        },
        asker,
    )
    assert asked.status_code == 201, asked.content
    question = asked.json()["data"]
    assert question["permalink"] == "how-do-i-roll-out-a-flag-to-10"
    assert question["bodyHtml"] == "<p>I tried <strong>this</strong>.</p>\n"
    stored = Question.objects.get(document_id=question["documentId"])
    assert [t.label for t in stored.topics.all()] == ["Feature flags"]  # the longest prefix wins
    assert Subscription.objects.filter(question=stored, profile__user__username="ada").exists()
    faq = client.get("/api/questions?filters[page][$eq]=/docs/feature-flags/rollouts").json()["data"]
    assert [q["documentId"] for q in faq] == [question["documentId"]]

    replied = call(
        client,
        capture,
        "post",
        "replies",
        {"data": {"question": question["documentId"], "body": "Use a *rollout* condition."}},
        helper,
    )
    assert replied.status_code == 201, replied.content
    reply = replied.json()["data"]
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    email = mail.outbox[0]
    assert "How do I roll out a flag to 10%?" in email.subject
    assert "https://example.com/questions/how-do-i-roll-out-a-flag-to-10" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    fresh = client.get(f"/api/questions/{question['documentId']}").json()["data"]
    assert fresh["numReplies"] == 1

    # Only the asker marks the solution.
    assert call(client, capture, "post", f"questions/{question['documentId']}/solution",
                {"data": {"reply": reply["documentId"]}}, helper).status_code == 409  # fmt: skip
    marked = call(
        client,
        capture,
        "post",
        f"questions/{question['documentId']}/solution",
        {"data": {"reply": reply["documentId"]}},
        asker,
    )
    assert marked.status_code == 200, marked.content

    held = {
        (a.profile.user.username, a.achievement.title)
        for a in AchievementAward.objects.select_related("profile__user", "achievement")
    }
    assert held == {("ada", "Curious"), ("grace", "Helper"), ("grace", "Solver")}
    ada, grace = (Profile.objects.get(user__username=n) for n in ("ada", "grace"))
    assert balance_of(ada) == first_question.points
    assert balance_of(grace) == first_answer.points + solver.points + settings.POINTS_PER_REPLY

    # The e-mail's one-click link stops the e-mails.
    link = next(line for line in email.body.splitlines() if "unsubscribe" in line).split("Stop: ")[1]
    assert client.post(link[link.index("/api/") :]).status_code == 200
    assert not Subscription.objects.filter(question=stored, profile=ada).exists()


def test_permalink_slugs_are_unique_and_stable():
    author = factories.ProfileFactory()
    from plugins.forum.services import ask

    first = ask(author, subject="Help!", body="1")
    second = ask(author, subject="Help!", body="2")
    assert first.slug == "help"
    assert second.slug.startswith("help-") and len(second.slug) == len("help-") + 6
    first.subject = "Help with flags"
    first.save()
    first.refresh_from_db()
    assert first.slug == "help"


def test_a_profile_aggregates_its_discussions_newest_first(client):
    from datetime import timedelta

    from django.utils import timezone

    from plugins.forum import moderation
    from plugins.forum.models import Question, Reply
    from plugins.forum.services import ask, reply

    author = factories.ProfileFactory()
    older = ask(author, subject="Older", body="1")
    newer = ask(author, subject="Newer", body="2")
    archived = ask(author, subject="Archived one", body="3")
    Question.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    moderation.archive(archived, by=None)
    first = reply(author, older, body="First reply")
    reply(author, newer, body="Second reply")
    Reply.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))
    data = client.get(f"/api/profiles/{author.document_id}?populate[questions]=*&populate[replies]=*").json()["data"]
    assert [q["subject"] for q in data["questions"]] == ["Newer", "Older"]
    assert [r["body"] for r in data["replies"]] == ["Second reply", "First reply"]
    found = client.get(f"/api/questions?filters[profile][documentId][$eq]={author.document_id}").json()["data"]
    assert {q["subject"] for q in found} == {"Newer", "Older"}
