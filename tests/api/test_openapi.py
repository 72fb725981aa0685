"""The OpenAPI schema documents every generated endpoint, validates, and the docs UI renders."""

import pytest
from openapi_spec_validator import validate

from api.registry import registry

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
        assert set(collection) >= {"get", "post"}
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
    import re

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
