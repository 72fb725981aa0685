"""The inputs an attacker sent that once answered 500: each is a 4xx in Strapi's envelope and writes nothing.

Run on SQLite and on PostgreSQL (CI), where a NUL character reaching a query is a database error.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from plugins.assets.models import CommunityImage
from plugins.core.text import MAX_TEXT_LENGTH
from plugins.forum.markdown import render_markdown
from plugins.forum.models import Reply
from plugins.profiles.models import Profile
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def envelope(response, status_range=(400, 499)) -> dict:
    assert status_range[0] <= response.status_code <= status_range[1], (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None and body["error"]["status"] == response.status_code and body["error"]["message"]
    return body["error"]


def post_raw(client, path, raw: bytes, **headers):
    return client.generic("POST", f"/api/{path}", raw, content_type="application/json", **headers)


def counts():
    return (get_user_model().objects.count(), Profile.objects.count(), Reply.objects.count())


SIGN_UPS = [
    ("auth/local", {"identifier": "a\x00b", "password": "x"}),
    ("auth/local", {"identifier": {"a": 1}, "password": "x"}),
    ("auth/local", {"identifier": ["ada"], "password": "x"}),
    ("auth/local", {"identifier": "ada", "password": {"a": 1}}),
    ("auth/local/register", {"username": "a\x00b", "email": "a@example.com", "password": "long enough 123"}),
    ("auth/local/register", {"username": "ada", "email": "a\x00@example.com", "password": "long enough 123"}),
    ("auth/local/register", {"username": {"a": 1}, "email": "a@example.com", "password": "long enough 123"}),
    ("auth/local/register", {"username": "ada", "email": ["a@example.com"], "password": "long enough 123"}),
    ("auth/forgot-password", {"email": {"a": 1}}),
    ("auth/reset-password", {"code": {"a": 1}, "password": "x", "passwordConfirmation": "x"}),
]


@pytest.mark.parametrize(("path", "body"), SIGN_UPS, ids=range(len(SIGN_UPS)))
def test_nul_bytes_and_objects_in_account_fields(client, path, body):
    before = counts()
    envelope(post_raw(client, path, json.dumps(body).encode()))
    assert counts() == before


def test_a_lone_surrogate_in_a_profile_field(client, community):
    ada = community["ada"]
    raw = b'{"data": {"firstName": "Ada\\ud800"}}'
    response = client.generic(
        "PUT", f"/api/profiles/{ada.document_id}", raw, content_type="application/json", **bearer(factories.editor())
    )
    assert envelope(response)["name"] == "ValidationError"
    ada.refresh_from_db()
    assert ada.first_name == "Ada"


@pytest.mark.parametrize(
    "path",
    [
        "profiles/%00",
        "profiles/a%00b",
        "questions/%00/subscription",
        "upload/files/%00",
        "redemptions/%00",
    ],
)
def test_a_nul_byte_in_a_document_id(client, community, path):
    response = client.get(f"/api/{path}", **bearer(factories.moderator()))
    envelope(response)


@pytest.mark.parametrize(
    "query",
    [
        "search?q=a%00b",
        "profiles?filters[firstName][$eq]=a%00b",
        "profiles?filters%00=1",
        "profiles?sort=first%00Name",
        "questions?filters[$or][%C2%B2][subject][$eq]=x",  # ² is a digit to Python, not to qs
        "questions?filters[$or][0][subject][$eq]=x&filters[$or][a][subject][$eq]=y",
        "profiles?sort[%C2%B2]=firstName",
        "profiles?populate[%D9%A3]=teams",  # an Arabic-Indic three
    ],
)
def test_nul_bytes_and_unicode_digits_in_query_strings(client, community, query):
    envelope(client.get(f"/api/{query}"))


def test_an_empty_list_as_a_to_one_relation(client, community):
    member = factories.UserFactory()
    before = counts()
    body = {"data": {"question": [], "body": "An answer"}}
    error = envelope(post_raw(client, "replies", json.dumps(body).encode(), **bearer(member)))
    assert "question" in error["message"]
    two = {"data": {"question": [community["question"].document_id] * 2, "body": "An answer"}}
    envelope(post_raw(client, "replies", json.dumps(two).encode(), **bearer(member)))
    assert counts()[2] == before[2]


def test_a_truncated_png_upload(client):
    whole = factories.png_bytes((200, 200))
    cut = SimpleUploadedFile("cut.png", whole[: len(whole) // 2], content_type="image/png")
    response = client.post("/api/upload", {"files": [cut]}, **bearer(factories.UserFactory()))
    assert "damaged or incomplete" in envelope(response)["message"]
    assert not CommunityImage.objects.exists()


def test_a_deeply_nested_json_body(client, community):
    raw = b'{"data": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}"
    response = client.generic(
        "PUT", f"/api/profiles/{community['ada'].document_id}", raw, content_type="application/json",
        **bearer(factories.editor()),
    )  # fmt: skip
    envelope(response)
    lists = b"[" * 5000 + b"]" * 5000
    envelope(post_raw(client, "auth/local", lists))


def test_a_ten_megabyte_body_is_a_json_413(client):
    raw = json.dumps({"identifier": "x" * (10 * 1024 * 1024), "password": "x"}).encode()
    error = envelope(post_raw(client, "auth/local", raw), (413, 413))
    assert error["name"] == "PayloadTooLargeError"


def test_long_texts_have_a_limit(client, community):
    ada = community["ada"]
    body = {"data": {"biography": "x" * (MAX_TEXT_LENGTH + 1)}}
    response = client.put(
        f"/api/profiles/{ada.document_id}", json.dumps(body), content_type="application/json", **bearer(ada.user)
    ) if ada.user else client.put(
        f"/api/profiles/{ada.document_id}", json.dumps(body), content_type="application/json",
        **bearer(factories.editor()),
    )  # fmt: skip
    error = envelope(response)
    assert error["details"]["errors"][0]["path"] == ["biography"]
    ada.refresh_from_db()
    assert len(ada.biography) <= MAX_TEXT_LENGTH


@pytest.mark.parametrize(
    "src",
    ["/media/../api/users/me", "/media/%2e%2e/api/users/me", "/media/..\\api/users/me", "/media/./../admin/"],
)
def test_an_image_path_is_resolved_before_the_allow_list_check(src):
    html = render_markdown(f"![x]({src}) ![ok](/media/images/ok.png)")
    assert "/api/" not in html and "/admin/" not in html and "src" in html
    assert 'src="/media/images/ok.png"' in html


def test_form_encoded_and_multipart_bodies_are_checked_too(client):
    before = counts()
    form = client.post(
        "/api/auth/local", "identifier=a%00b&password=x", content_type="application/x-www-form-urlencoded"
    )
    envelope(form)
    upload = SimpleUploadedFile("a.png", factories.png_bytes(), content_type="image/png")
    response = client.post(
        "/api/upload", {"files": [upload], "fileInfo": '{"name": "a\\u0000b"}'}, **bearer(factories.UserFactory())
    )
    assert "NUL" in envelope(response)["message"]
    assert counts()[0] == before[0] + 1 and not CommunityImage.objects.exists()


@pytest.mark.parametrize("ref", ["²", "٣"])
def test_unicode_digits_as_ids(client, community, ref):
    editor = bearer(factories.editor())
    body = {"data": {"teams": [ref]}}
    envelope(
        client.put(
            f"/api/profiles/{community['ada'].document_id}", json.dumps(body), content_type="application/json", **editor
        )
    )
    envelope(client.get(f"/api/upload/files/{ref}", **editor))
