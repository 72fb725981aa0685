"""The OpenAPI schema documents every generated endpoint, validates, and the docs UI renders."""

import json
import re

import pytest
from openapi_spec_validator import validate

from api.openapi import _name
from api.registry import registry
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema):
    validate(schema)


def test_every_content_type_has_its_five_operations(schema):
    for content_type in registry.all():
        collection = schema["paths"][f"/api/{content_type.plural}"]
        document = schema["paths"][f"/api/{content_type.plural}/{{documentId}}"]
        writable = schema["components"]["schemas"][f"{_name(content_type)}Input"]["properties"]["data"]["properties"]
        # A type nothing can be written to through its endpoints (users: signing up makes them) has no create.
        assert set(collection) >= ({"get", "post"} if writable else {"get"})
        assert ("post" in collection) == bool(writable)
        assert set(document) >= {"get", "put", "delete"}
        names = {p["name"] for p in collection["get"]["parameters"]}
        assert {
            "filters",
            "populate",
            "fields",
            "sort",
            "pagination[page]",
            "pagination[pageSize]",
            "pagination[start]",
            "pagination[limit]",
            "status",
        } <= names


def test_private_fields_are_not_documented_as_output(schema):
    assert "email" not in schema["components"]["schemas"]["Profile"]["properties"]
    assert "firstName" in schema["components"]["schemas"]["Profile"]["properties"]


def test_auth_and_upload_endpoints_are_documented_and_wagtails_are_not(schema):
    assert {"/api/auth/local", "/api/auth/local/register", "/api/users/me", "/api/upload"} <= set(schema["paths"])
    assert not [path for path in schema["paths"] if not path.startswith("/api/")]


def test_the_docs_ui_is_served_without_outside_resources(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html.lower()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_store_and_points_endpoints_are_documented(schema):
    paths = set(schema["paths"])
    assert {
        "/api/users/me/points",
        "/api/reward-products/{documentId}/redeem",
        "/api/redemptions",
        "/api/redemptions/{documentId}/order",
        "/api/redemptions/{documentId}/cancel",
        "/api/profiles/{documentId}/gifts",
        "/api/profiles/{documentId}/points",
    } <= paths
    redeem = schema["paths"]["/api/reward-products/{documentId}/redeem"]["post"]
    header = next(p for p in redeem["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True


def test_a_document_is_named_documentId_in_every_path(schema):
    names = {name for path in schema["paths"] for name in re.findall(r"{(\w+)}", path)}
    assert "documentId" in names and not [name for name in names if "_" in name], names
    for path, operations in schema["paths"].items():
        declared = {
            p["name"]
            for op in operations.values()
            if isinstance(op, dict)
            for p in op.get("parameters", [])
            if p["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), path


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _generated_paths() -> set[str]:
    return {f"/api/{t.plural}{suffix}" for t in registry.all() for suffix in ("", "/{documentId}")}


def _request_bodies(schema):
    """(path, method, media type, the body's object schema, whether it is in Strapi's ``{data}`` envelope)."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            for media_type, content in operation["requestBody"]["content"].items():
                body = _resolve(schema, content["schema"])
                data = body.get("properties", {}).get("data")
                wrapped = set(body.get("properties", {})) == {"data"} and body.get("required") == ["data"]
                yield path, method, media_type, _resolve(schema, data) if wrapped else body, wrapped


def test_no_operation_takes_an_untyped_body(schema):
    seen = set()
    for path, method, media_type, body, _ in _request_bodies(schema):
        seen.add((path, method))
        assert body.get("type") == "object" and body.get("properties"), (path, method, media_type, body)
        if path in _generated_paths():
            continue  # a content type's input, from the registry (a json attribute takes any JSON value)
        for name, property_schema in body["properties"].items():
            # Every property of an action's body says what it is: a type, a reference, one of several, an enum.
            assert {"type", "$ref", "oneOf", "allOf", "enum"} & set(property_schema), (path, method, name)
    # The actions of the issue, each documented with its body; actions that read none document none.
    assert {
        ("/api/redemptions/{documentId}/order", "post"),
        ("/api/redemptions/{documentId}/cancel", "post"),
        ("/api/profiles/{documentId}/gifts", "post"),
        ("/api/profiles/{documentId}/achievements", "post"),
        ("/api/questions/{documentId}/moderation", "post"),
        ("/api/replies/{documentId}/moderation", "post"),
        ("/api/replies/{documentId}/vote", "post"),
        ("/api/points/redeem", "post"),
        ("/api/auth/local", "post"),
        ("/api/upload", "post"),
    } <= seen
    for path, method in (
        ("/api/reward-products/{documentId}/redeem", "post"),
        ("/api/questions/{documentId}/subscription", "put"),
        ("/api/roadmaps/{documentId}/vote", "put"),
        ("/api/redemptions/{documentId}/fulfil", "post"),
    ):
        assert "requestBody" not in schema["paths"][path][method], path


def test_the_users_put_documents_the_flat_body_it_reads(schema):
    put = schema["paths"]["/api/users/{documentId}"]["put"]
    body = _resolve(schema, put["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == {"username", "email", "distinctId", "currentPassword"}
    assert schema["paths"]["/api/users/{documentId}"]["get"]["operationId"] == "findOne_user"


@pytest.fixture
def world(db):
    """One row behind every action's path, and a moderator who may call each of them (and owns the redemption)."""
    from plugins.points.services import Posting, post
    from plugins.profiles.services import claim_or_create_profile
    from plugins.rewards.services import redeem
    from tests import factories

    moderator = factories.moderator()
    profile = claim_or_create_profile(moderator)
    reply = factories.ReplyFactory()
    post(profile, Posting(100, "gift", "Gift: for the test", "test"))
    redemption = redeem(profile, factories.RewardProductFactory(price=100), idempotency_key="k").redemption
    return moderator, {
        "profiles": factories.ProfileFactory().document_id,
        "questions": reply.question.document_id,
        "replies": reply.document_id,
        "redemptions": redemption.document_id,
        "users": str(moderator.pk),
    }


def test_each_action_requires_what_its_schema_says(client, schema, world):
    """An empty body to every action whose schema requires fields: a 400 in Strapi's envelope naming exactly
    the required properties, so the document and the parsing cannot drift apart."""
    moderator, documents = world
    checked = []
    for path, method, media_type, body, wrapped in _request_bodies(schema):
        required = set(body.get("required", []))
        if not required or path in _generated_paths():  # content types: the registry's rules (test_writes)
            continue
        url = re.sub(r"^/api/([\w-]+)/{documentId}", lambda m: f"/api/{m[1]}/{documents[m[1]]}", path)
        payload = {"data": {}} if wrapped else {}
        response = getattr(client, method)(url, json.dumps(payload), content_type=media_type, **bearer(moderator))
        assert response.status_code == 400, (path, response.status_code, response.content)
        error = response.json()["error"]
        assert error["name"] == "ValidationError", (path, error)
        named = {entry["path"][-1] for entry in error["details"]["errors"]}
        assert named == required, (path, named, required)
        for name in required:
            assert name in error["message"], (path, error["message"])
        checked.append(path)
    # order, cancel, gifts, achievements, account credits, two moderations, vote, solution, escalate, redeem
    # by handle, and five of users-permissions' (sign-in, register, forgot, reset and change the password).
    assert len(checked) == 16, checked


@pytest.mark.parametrize(
    ("path", "data", "where", "message"),
    [
        ("replies/{replies}/vote", {"value": "1"}, ["value"], "Expected one of 1, -1, 0"),
        ("replies/{replies}/vote", {"value": True}, ["value"], "Expected one of"),
        ("profiles/{profiles}/gifts", {"points": "5", "reason": "x"}, ["points"], "whole number"),
        ("profiles/{profiles}/achievements", {"achievement": {"id": 1}}, ["achievement"], "Expected an id"),
        ("questions/{questions}/moderation", {"action": "move", "topics": ["a", 5]}, ["topics", 1], "Expected text"),
        ("questions/{questions}/moderation", {"action": "move"}, ["topics"], "move needs topics"),
        ("redemptions/{redemptions}/cancel", {"reason": "  "}, ["reason"], "blank"),
    ],
)
def test_a_body_of_the_wrong_json_types_is_refused_naming_the_field(client, world, path, data, where, message):
    moderator, documents = world
    url = "/api/" + path.format(**documents)
    response = client.post(url, json.dumps({"data": data}), content_type="application/json", **bearer(moderator))
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert [entry["path"] for entry in error["details"]["errors"]] == [where]
    assert message in error["message"] and f"data.{'.'.join(map(str, where))}: " in error["message"]


def test_a_key_the_body_does_not_take_is_refused(client, world):
    moderator, documents = world
    response = client.post(
        f"/api/replies/{documents['replies']}/vote",
        json.dumps({"data": {"value": 1, "weight": 2}}),
        content_type="application/json",
        **bearer(moderator),
    )
    assert response.status_code == 400 and response.json()["error"]["message"] == "Invalid key weight"
