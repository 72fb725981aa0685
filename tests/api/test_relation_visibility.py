"""Filters and populate through a relation see only what the caller may see of the related type.

An anonymous caller cannot confirm the words of a hidden reply, an archived or held question or an
unpublished job with ``$contains`` through a relation; a token scoped to one type reads no other
type through ``populate`` or ``filters``.
"""

import pytest
from django.utils import timezone

from api.models import RolePermission, TokenKind
from api.permissions import forget_matrix
from api.tokens import create_token
from tests import factories
from tests.api.helpers import bearer, get

pytestmark = pytest.mark.django_db


def documents(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["documentId"] for row in response.json()["data"]]


@pytest.fixture
def hidden(community):
    """A hidden reply, an archived and a held question, an unpublished job: each with a secret word."""
    linus, growth = community["linus"], community["growth"]
    reply = factories.ReplyFactory(question=community["question"], author=linus, body="hiddenword here", hidden=True)
    archived = factories.QuestionFactory(author=linus, subject="archivedword", archived_at=timezone.now())
    held = factories.QuestionFactory(author=linus, subject="heldword", held=True)
    for question in (archived, held):
        question.topics.add(community["topic"])
    job = factories.JobListingFactory(title="unpublishedword", teams=[growth], live=False)
    return {"reply": reply, "archived": archived, "held": held, "job": job}


ORACLES = [
    ("profiles", {"replies": {"body": {"$contains": "hiddenword"}}}),
    ("profiles", {"questions": {"subject": {"$contains": "archivedword"}}}),
    ("profiles", {"questions": {"subject": {"$contains": "heldword"}}}),
    ("topics", {"questions": {"subject": {"$contains": "archivedword"}}}),
    ("questions", {"replies": {"body": {"$contains": "hiddenword"}}}),
    ("teams", {"jobs": {"title": {"$contains": "unpublishedword"}}}),
    ("teams", {"$or": [{"jobs": {"title": {"$startsWith": "unpublished"}}}, {"slug": "nothing"}]}),
]


@pytest.mark.parametrize(("plural", "filters"), ORACLES)
def test_anonymous_filters_through_a_relation_see_only_visible_rows(client, hidden, plural, filters):
    assert documents(get(client, plural, {"filters": filters})) == []


def test_the_same_filters_find_what_is_visible(client, community, hidden):
    # So the oracles above are empty because of visibility, not because the filters never match.
    assert documents(get(client, "profiles", {"filters": {"replies": {"body": {"$contains": "this"}}}})) == [
        community["grace"].document_id
    ]
    found = get(client, "teams", {"filters": {"jobs": {"title": {"$contains": "Backend"}}}})
    assert documents(found) == [community["growth"].document_id]


def test_moderators_see_hidden_forum_rows_through_relations_but_not_drafts(client, community, hidden):
    moderator = bearer(factories.moderator())
    found = get(client, "profiles", {"filters": {"replies": {"body": {"$contains": "hiddenword"}}}}, **moderator)
    assert documents(found) == [community["linus"].document_id]
    unpublished = get(client, "teams", {"filters": {"jobs": {"title": {"$contains": "unpublishedword"}}}}, **moderator)
    assert documents(unpublished) == []


@pytest.fixture
def teams_only(db):
    _, key = create_token("teams only", TokenKind.CUSTOM, ["teams.find", "teams.findOne"])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_custom_token_populates_only_types_it_may_find(client, community, teams_only):
    response = get(client, "teams", {"populate": "*"}, **teams_only)
    assert response.status_code == 200
    growth = next(t for t in response.json()["data"] if t["slug"] == "growth")
    assert not {"profiles", "leadProfiles", "jobs", "roadmaps"} & set(growth)
    assert "crest" in growth  # media and components are the team's own
    named = get(client, "teams", {"populate": {"profiles": True, "jobs": {"populate": "*"}}}, **teams_only)
    assert named.status_code == 200
    assert all("profiles" not in t and "jobs" not in t for t in named.json()["data"])
    assert "Lovelace" not in named.content.decode() and "Backend engineer" not in named.content.decode()


def test_a_custom_token_cannot_filter_through_a_type_it_may_not_find(client, community, teams_only):
    response = get(client, "teams", {"filters": {"profiles": {"lastName": {"$startsWith": "Love"}}}}, **teams_only)
    assert response.status_code == 400
    assert response.json()["error"]["name"] == "ValidationError"
    assert "profiles" in response.json()["error"]["message"]


def test_roles_alike_when_the_matrix_closes_a_type(client, community):
    RolePermission.objects.filter(role="public", content_type="profiles", action="find").update(enabled=False)
    forget_matrix()
    populated = get(client, "teams", {"populate": ["profiles", "jobs"]})
    assert populated.status_code == 200
    assert all("profiles" not in t and "jobs" in t for t in populated.json()["data"])
    assert get(client, "teams", {"filters": {"profiles": {"firstName": "Ada"}}}).status_code == 400


NEGATED = [
    ("questions", {"replies": {"body": {"$notContainsi": "hiddenword"}}}),
    ("profiles", {"replies": {"body": {"$notContains": "hiddenword"}}}),
    ("profiles", {"$not": {"replies": {"body": {"$contains": "hiddenword"}}}}),
    ("profiles", {"questions": {"subject": {"$ne": "archivedword"}}}),
    ("profiles", {"questions": {"subject": {"$notIn": ["heldword", "archivedword"]}}}),
    ("teams", {"jobs": {"title": {"$notContains": "unpublishedword"}}}),
    ("teams", {"jobs": {"$notNull": True}}),
    ("teams", {"jobs": {"$null": True}}),
    ("profiles", {"replies": {"$notNull": True}}),
    ("questions", {"replies": {"id": {"$notIn": [0]}}}),
]


@pytest.mark.parametrize(("plural", "filters"), NEGATED)
def test_negated_and_existence_filters_answer_as_if_the_hidden_rows_did_not_exist(client, hidden, plural, filters):
    with_hidden = documents(get(client, plural, {"filters": filters}))
    hidden["reply"].delete()
    hidden["job"].delete()
    for question in (hidden["archived"], hidden["held"]):
        question.delete()
    assert documents(get(client, plural, {"filters": filters})) == with_hidden
