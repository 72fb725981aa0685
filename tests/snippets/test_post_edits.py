"""In the admin a moderator may correct someone's question, but never its author, and the edit is on record."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_moderators_edit_keeps_the_author_and_is_recorded(client):
    asker = factories.ProfileFactory(first_name="Ada", user=factories.UserFactory())
    other = factories.ProfileFactory(first_name="Mallory")
    question = factories.QuestionFactory(author=asker, subject="Flags?", body="How do flags work")
    moderator = factories.moderator()
    client.force_login(moderator)
    url = reverse("wagtailsnippets_forum_question:edit", args=[question.pk])
    data = {"subject": "Feature flags?", "body": "How do feature flags work", "page": "", "author": other.pk}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.subject == "Feature flags?" and question.author_id == asker.pk
    entry = ModelLogEntry.objects.get(action="forum.moderator_edit", object_id=str(question.pk))
    assert entry.user_id == moderator.pk
    assert entry.data["fields"] == ["body", "subject"]
    assert entry.data["before"] == {"subject": "Flags?", "body": "How do flags work"}
    history = client.get(reverse("wagtailsnippets_forum_question:history", args=[question.pk])).content.decode()
    assert "Edited the body and subject of Ada Member&#x27;s post" in history


def test_the_author_editing_their_own_words_is_not_a_moderator_edit(client):
    asker = factories.ProfileFactory(user=factories.moderator())
    question = factories.QuestionFactory(author=asker, subject="Flags?", body="Body")
    client.force_login(asker.user)
    url = reverse("wagtailsnippets_forum_question:edit", args=[question.pk])
    assert client.post(url, {"subject": "Flags!", "body": "Body", "page": ""}).status_code == 302
    assert not ModelLogEntry.objects.filter(action="forum.moderator_edit").exists()
