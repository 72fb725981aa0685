"""GET /api/search: questions, replies and profiles, highlighted, paginated; archived and hidden never found."""

import pytest

from plugins.forum import moderation
from plugins.forum.search import highlight
from plugins.forum.services import ask, reply
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(django_capture_on_commit_callbacks):
    author = factories.ProfileFactory(first_name="Katherine", last_name="Johnson", company_role="Trajectory analyst")
    with django_capture_on_commit_callbacks(execute=True):
        rocket = ask(author, subject="Rocket trajectory maths", body="How do I compute an **orbital** trajectory?")
        ask(author, subject="Session replay", body="Where are my recordings?")
        answer = reply(factories.ProfileFactory(), rocket, body="Integrate the orbital equations numerically.")
    return {"author": author, "rocket": rocket, "answer": answer}


def search(client, **params):
    response = client.get("/api/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_finds_each_type_with_highlights(client, corpus):
    body = search(client, q="orbital trajectory", types="questions")
    assert [hit["documentId"] for hit in body["data"]] == [corpus["rocket"].document_id]
    hit = body["data"][0]
    assert hit["type"] == "questions" and hit["slug"] == corpus["rocket"].slug
    assert "<mark>trajectory</mark>" in hit["title"].lower()
    assert "<mark>orbital</mark>" in hit["snippet"]
    replies = search(client, q="orbital", types="replies")["data"]
    assert replies[0]["documentId"] == corpus["answer"].document_id
    assert replies[0]["question"] == corpus["rocket"].document_id
    people = search(client, q="Katherine", types="profiles")["data"]
    assert people[0]["documentId"] == corpus["author"].document_id
    assert "<mark>Katherine</mark>" in people[0]["title"]
    everything = search(client, q="orbital")
    assert {hit["type"] for hit in everything["data"]} == {"questions", "replies"}
    assert everything["meta"]["pagination"]["questions"]["total"] == 1


def test_pagination_per_type(client, django_capture_on_commit_callbacks):
    author = factories.ProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(7):
            ask(author, subject=f"Kubernetes question {i}", body="Helm chart")
    body = search(client, q="kubernetes", types="questions", **{"pagination[pageSize]": 5, "pagination[page]": 2})
    assert len(body["data"]) == 2
    assert body["meta"]["pagination"]["questions"] == {"page": 2, "pageSize": 5, "pageCount": 2, "total": 7}


def test_archive_and_hide_leave_the_results_at_once(client, corpus, django_capture_on_commit_callbacks):
    moderator = factories.moderator()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.set_hidden(corpus["answer"], True, by=moderator)
    assert search(client, q="orbital", types="replies")["data"] == []
    with django_capture_on_commit_callbacks(execute=True):
        moderation.archive(corpus["rocket"], by=moderator)
    assert search(client, q="trajectory", types="questions")["data"] == []
    with django_capture_on_commit_callbacks(execute=True):
        moderation.unarchive(corpus["rocket"], by=moderator)
    assert len(search(client, q="trajectory", types="questions")["data"]) == 1


def test_private_fields_are_not_searchable(client):
    factories.ProfileFactory(first_name="Hidden", email="needle-address@private.example")
    assert search(client, q="needle-address", types="profiles")["data"] == []


def test_bad_searches(client):
    assert client.get("/api/search").status_code == 400
    assert client.get("/api/search", {"q": "x", "types": "secrets"}).status_code == 400
    assert client.get("/api/search", {"q": "x" * 201}).status_code == 400


def test_highlight_escapes_and_marks():
    assert highlight("<b>Orbital</b> maths", ["orbital"], whole=True) == "&lt;b&gt;<mark>Orbital</mark>&lt;/b&gt; maths"
    long = "word " * 100 + "needle " + "word " * 100
    snippet = highlight(long, ["needle"])
    assert "<mark>needle</mark>" in snippet and snippet.startswith("… ") and len(snippet) < 260
