"""A question's moderator page in the admin: who sees it, what it shows, each action and what it changed."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from plugins.accounts.roles import COMMUNITY_MODERATORS
from plugins.forum.models import InternalTag, Question, SupportTicket
from plugins.forum.services import MAX_TOPICS
from tests import factories

pytestmark = pytest.mark.django_db


def page_url(question) -> str:
    return reverse("wagtailsnippets_forum_question:inspect", args=[question.pk])


@pytest.fixture
def asker():
    user = factories.UserFactory(username="adalove", email="ada@example.com")
    return factories.ProfileFactory(first_name="Ada", last_name="Lovelace", user=user, email="")


@pytest.fixture
def question(asker):
    question = factories.QuestionFactory(
        author=asker, subject="Flags vanish after deploy", body="My **flags** vanish.\n\n<script>alert(1)</script>"
    )
    question.topics.add(factories.TopicFactory(label="Feature flags"))
    return question


@pytest.fixture
def community_moderator():
    user = factories.UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MODERATORS)[0])
    return user


def logged(question, action) -> int:
    return ModelLogEntry.objects.filter(object_id=str(question.pk), action=f"forum.{action}").count()


def test_the_question_list_opens_the_moderator_page_under_a_proper_column_header(client, moderator_user, question):
    client.force_login(moderator_user)
    content = client.get(reverse("wagtailsnippets_forum_question:list")).content.decode()
    assert f'href="{page_url(question)}"' in content
    assert "Num replies" not in content and ">Replies<" in content.replace("\n", "").replace(" ", "")


def test_a_reply_in_the_reply_list_opens_its_thread_on_the_moderator_page(client, community_moderator, question):
    reply = factories.ReplyFactory(question=question)
    client.force_login(community_moderator)
    content = client.get(reverse("wagtailsnippets_forum_reply:list")).content.decode()
    assert f'href="{page_url(question)}#reply-{reply.pk}"' in content


def test_a_moderator_reads_the_question_its_replies_and_the_asker_panel(client, moderator_user, question, settings):
    settings.FORUM_ANALYTICS_URL_TEMPLATE = "https://analytics.example.com/person?email={email}"
    factories.QuestionFactory(author=question.author)
    shown = factories.ReplyFactory(question=question, body="Try `flush`.", author__first_name="Grace")
    hidden = factories.ReplyFactory(question=question, body="Buy my course", hidden=True)
    factories.ReplyFactory(question=factories.QuestionFactory(), author=question.author)
    question.internal_tags.add(InternalTag.objects.create(name="Internal: follow-up"))
    client.force_login(moderator_user)

    response = client.get(page_url(question))

    assert response.status_code == 200
    content = response.content.decode()
    assert "My <strong>flags</strong> vanish." in content  # the stored, sanitised HTML, as HTML
    assert "<script>alert" not in content and "My **flags**" not in content
    assert "Try <code>flush</code>." in content and "Buy my course" in content
    assert "Author blocked" not in content
    assert "Hide</button>" in content and "Show again</button>" in content
    assert str(shown.author) in content and str(hidden.author) in content
    panel = content[content.index('id="asker-section"') :]
    assert "Ada Lovelace" in panel and "ada@example.com" in panel
    assert question.author.user.date_joined.strftime("%-d %b %Y") in panel
    assert "2 questions, 1 reply, 0 points" in panel
    assert "https://analytics.example.com/person?email=ada@example.com" in panel
    assert "Internal: follow-up" in content
    assert reverse("wagtailsnippets_forum_question:history", args=[question.pk]) in content
    for code in (question.document_id, question.author.document_id, question.slug):
        assert code not in content


def test_blocked_members_are_marked(client, moderator_user, question):
    reply = factories.ReplyFactory(question=question)
    for profile in (question.author, reply.author):
        profile.blocked_at = timezone.now()
        profile.save(update_fields=["blocked_at"])
    client.force_login(moderator_user)
    content = client.get(page_url(question)).content.decode()
    assert "Asker blocked: the question is hidden" in content and "Author blocked" in content


def test_community_moderators_see_what_they_may_do_and_no_private_data(client, community_moderator, question):
    question.internal_tags.add(InternalTag.objects.create(name="Internal: tutorial idea"))
    factories.ReplyFactory(question=question)
    client.force_login(community_moderator)

    content = client.get(page_url(question)).content.decode()

    assert "Flags vanish after deploy" in content
    assert "ada@example.com" not in content and "Internal: tutorial idea" not in content
    assert 'value="archive"' in content and 'value="move"' in content and 'value="hide"' in content
    for action in ("pin", "tag", "escalate", "approve"):
        assert f'value="{action}"' not in content
    assert reverse("wagtailsnippets_forum_question:history", args=[question.pk]) not in content  # not theirs to read
    response = client.post(page_url(question), {"action": "pin"})
    assert response.status_code in (302, 403) and response.get("Location") != page_url(question)  # Wagtail's refusal
    question.refresh_from_db()
    assert not question.pinned and logged(question, "pin") == 0


def test_members_named_by_an_e_mail_username_are_named_as_members_see_them_to_community_moderators(
    client, community_moderator, moderator_user
):
    """On posthog.com a username is the e-mail address: community moderators, who may not read private fields,
    read the name members see in the lists, on the page and in its messages; moderators read the username."""
    nameless = {"first_name": "", "last_name": "", "email": ""}
    asker = factories.ProfileFactory(user=factories.UserFactory(username="ada@private.example"), **nameless)
    replier = factories.ProfileFactory(user=factories.UserFactory(username="kim@private.example"), **nameless)
    question = factories.QuestionFactory(author=asker, subject="Flags vanish after deploy")
    reply = factories.ReplyFactory(question=question, author=replier)
    SupportTicket.objects.create(question=question, escalated_by=moderator_user, reason="Billing: card declined")
    lists = [reverse("wagtailsnippets_forum_question:list"), reverse("wagtailsnippets_forum_reply:list")]

    client.force_login(community_moderator)
    pages = [client.get(url).content.decode() for url in [*lists, page_url(question)]]
    hidden = client.post(page_url(question), {"action": "hide", "reply": reply.pk}, follow=True)
    pages.append(hidden.content.decode())
    for content in pages:
        assert "A community member" in content
        for private in ("ada@private.example", "kim@private.example", "Billing: card declined"):
            assert private not in content
    assert "The reply by A community member is hidden." in pages[-1]

    client.force_login(moderator_user)
    moderated = [client.get(url).content.decode() for url in [*lists, page_url(question)]]
    assert "ada@private.example" in moderated[0] and "kim@private.example" in moderated[1]
    assert "ada@private.example" in moderated[2] and "Billing: card declined" in moderated[2]


def test_someone_without_forum_rights_gets_no_page(client, question):
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(page_url(question)).status_code in (302, 403)
    assert client.post(page_url(question), {"action": "archive"}).status_code in (302, 403)
    question.refresh_from_db()
    assert not question.archived


def test_the_edit_page_leads_to_the_moderator_page(client, moderator_user, question):
    client.force_login(moderator_user)
    content = client.get(reverse("wagtailsnippets_forum_question:edit", args=[question.pk])).content.decode()
    assert page_url(question) in content


def _state_change(question, action):
    """Set the question up so ``action`` has something to do; return what must hold after it."""
    if action == "approve":
        Question.objects.filter(pk=question.pk).update(held=True)
        return lambda q: not q.held
    if action == "unarchive":
        Question.objects.filter(pk=question.pk).update(archived_at="2026-01-01T00:00:00Z")
        return lambda q: not q.archived
    if action == "unpin":
        Question.objects.filter(pk=question.pk).update(pinned=True)
        return lambda q: not q.pinned
    return {"archive": lambda q: q.archived, "pin": lambda q: q.pinned}[action]


@pytest.mark.parametrize("action", ["archive", "unarchive", "approve", "pin", "unpin"])
def test_each_state_action_calls_its_service(client, moderator_user, question, action):
    holds = _state_change(question, action)
    client.force_login(moderator_user)
    response = client.post(page_url(question), {"action": action})
    assert response.status_code == 302 and response.url == page_url(question)
    question.refresh_from_db()
    assert holds(question)
    assert logged(question, action) == 1


def test_tagging_and_untagging(client, moderator_user, question):
    follow_up = InternalTag.objects.create(name="Internal: follow-up")
    client.force_login(moderator_user)
    client.post(page_url(question), {"action": "tag", "tag": follow_up.name})
    assert list(question.internal_tags.all()) == [follow_up]
    content = client.get(page_url(question)).content.decode()
    assert f'<option value="{follow_up.name}"' not in content  # not offered twice
    client.post(page_url(question), {"action": "untag", "tag": follow_up.name})
    assert not question.internal_tags.exists()
    assert logged(question, "tag") == 1 and logged(question, "untag") == 1


def test_moving_and_a_refused_move(client, moderator_user, question):
    topics = [factories.TopicFactory() for _ in range(MAX_TOPICS + 1)]
    client.force_login(moderator_user)
    client.post(page_url(question), {"action": "move", "topics": [topics[0].pk, topics[1].pk]})
    assert set(question.topics.all()) == {topics[0], topics[1]}

    response = client.post(page_url(question), {"action": "move", "topics": [t.pk for t in topics]})

    assert response.status_code == 200  # the page again, with the service's reason under the field
    assert f"At most {MAX_TOPICS} topics." in response.content.decode()
    assert set(question.topics.all()) == {topics[0], topics[1]} and logged(question, "move") == 1


def test_escalating_once_and_the_refusal_of_a_second_time(client, moderator_user, question):
    client.force_login(moderator_user)
    client.post(page_url(question), {"action": "escalate", "reason": "Billing question"})
    ticket = SupportTicket.objects.get(question=question)
    assert ticket.reason == "Billing question" and ticket.escalated_by == moderator_user
    content = client.get(page_url(question)).content.decode()
    assert "Escalated to support" in content and 'value="escalate"' not in content

    response = client.post(page_url(question), {"action": "escalate", "reason": "Again"})

    assert response.status_code == 200 and "escalated already" in response.content.decode()
    assert SupportTicket.objects.filter(question=question).count() == 1


def test_hiding_and_showing_a_reply(client, community_moderator, question):
    reply = factories.ReplyFactory(question=question)
    question.solution = reply
    question.save()
    client.force_login(community_moderator)
    client.post(page_url(question), {"action": "hide", "reply": reply.pk})
    reply.refresh_from_db()
    question.refresh_from_db()
    assert reply.hidden and question.solution is None  # the service's rule, not the page's
    client.post(page_url(question), {"action": "unhide", "reply": reply.pk})
    reply.refresh_from_db()
    assert not reply.hidden
    assert logged(question, "hide_reply") == 1 and logged(question, "unhide_reply") == 1


def test_a_reply_of_another_question_is_not_hidden_from_here(client, moderator_user, question):
    elsewhere = factories.ReplyFactory()
    client.force_login(moderator_user)
    response = client.post(page_url(question), {"action": "hide", "reply": elsewhere.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    elsewhere.refresh_from_db()
    assert not elsewhere.hidden


def test_the_page_query_count_does_not_grow_with_the_replies(client, moderator_user, question):
    question.internal_tags.add(InternalTag.objects.create(name="Internal: documentation"))
    SupportTicket.objects.create(question=question, escalated_by=moderator_user, reason="Why")
    client.force_login(moderator_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(question)).status_code == 200
        return len(queries)

    def add_reply(**kwargs):
        # Every relation filled: each reply by its own member with an account.
        factories.ReplyFactory(question=question, author__user=factories.UserFactory(), **kwargs)

    add_reply()
    one = count()
    for hidden in (False, True, False, True):
        add_reply(hidden=hidden, helpful=True)
    assert count() == one
