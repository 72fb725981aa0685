"""Private data (e-mail and every attribute marked private) never leaves through a public or member endpoint."""

import json

import pytest

from api.registry import registry
from tests import factories
from tests.api.helpers import bearer, get

pytestmark = pytest.mark.django_db

# Deep enough to reach profiles from every content type that relates to them.
DEEP = {
    "profiles": {"populate": "*"},
    "teams": {"populate": {"profiles": {"populate": "*"}, "leadProfiles": {"populate": "*"}, "jobs": True}},
    "jobs": {"populate": {"teams": {"populate": {"profiles": {"populate": "*"}}}}},
    "achievements": {"populate": "*"},
    "achievement-groups": {"populate": {"achievements": {"populate": "*"}}},
    "reward-products": {"populate": "*"},
    "roadmaps": {"populate": {"teams": {"populate": {"profiles": {"populate": "*"}}}, "image": True, "cta": True}},
    "topic-groups": {"populate": {"topics": {"populate": {"questions": {"populate": "*"}}}}},
    "topics": {"populate": {"questions": {"populate": {"profile": True, "replies": {"populate": "*"}}}}},
    "questions": {"populate": {"profile": True, "replies": {"populate": "*"}, "resolvedBy": True, "topics": True}},
    "replies": {"populate": {"profile": True, "question": {"populate": "*"}}},
    "users": {"populate": {"profile": {"populate": "*"}}},
    "team-updates": {
        "populate": {
            "team": {"populate": {"profiles": {"populate": "*"}}},
            "question": {"populate": "*"},
            "roadmap": True,
        }
    },
}


def private_names() -> set[str]:
    names = set()
    for content_type in registry.all():
        names |= {a.name for a in content_type.attributes if a.private}
        names |= {r.name for r in content_type.relations if r.private}
    return names


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_in(v) for v in value)) if value else set()
    return set()


@pytest.fixture
def member(db):
    return factories.UserFactory(email="member-self@private.example")


def test_every_content_type_is_covered():
    assert set(DEEP) == {content_type.plural for content_type in registry.all()}


@pytest.mark.parametrize("plural", DEEP)
@pytest.mark.parametrize("who", ["public", "member"])
def test_no_private_field_in_lists_or_documents(client, community, member, plural, who):
    headers = bearer(member) if who == "member" else {}
    emails = [p.email for p in (community["ada"], community["grace"], community["linus"])]
    role = "authenticated" if who == "member" else "public"
    if "find" not in registry.get(plural).default_permissions.get(role, ()):
        # A type they may not read at all (member accounts): refused, and the refusal tells nothing.
        refused = get(client, plural, DEEP[plural], **headers)
        assert refused.status_code == 403 and not any(email in refused.content.decode() for email in emails)
        return
    bodies = [get(client, plural, DEEP[plural], **headers)]
    first = bodies[0].json()["data"]
    assert first, f"{plural} returned nothing to check"
    bodies.append(get(client, f"{plural}/{first[0]['documentId']}", DEEP[plural], **headers))
    bodies.append(get(client, plural, DEEP[plural], HTTP_STRAPI_RESPONSE_FORMAT="v4", **headers))
    for response in bodies:
        assert response.status_code == 200
        text = response.content.decode()
        for email in emails:
            assert email not in text
        assert not keys_in(json.loads(text)) & private_names()


@pytest.mark.parametrize("who", ["public", "member"])
def test_private_fields_cannot_be_asked_for_sorted_or_filtered(client, community, member, who):
    headers = bearer(member) if who == "member" else {}
    for params in (
        {"fields": ["email"]},
        {"sort": "email"},
        {"filters": {"email": {"$containsi": "ada"}}},
        {"filters": {"profiles": {"email": {"$notNull": True}}}},
    ):
        plural = "teams" if "profiles" in params.get("filters", {}) else "profiles"
        response = get(client, plural, params, **headers)
        assert response.status_code == 400, params
        assert "email" in response.json()["error"]["message"]


def test_moderators_and_editors_do_see_private_fields(client, community):
    for user in (factories.editor(), factories.moderator()):
        row = get(client, f"profiles/{community['ada'].document_id}", **bearer(user)).json()["data"]
        assert row["email"] == "ada@private.example"
