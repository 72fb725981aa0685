"""Malformed input of every kind gets a 4xx in Strapi's envelope, never a 500."""

import json

import pytest

from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

QUERIES = [
    "filters[id][$eq]=99999999999999999999999",
    "filters[id][$eq]=",
    "filters[firstName][$eq]=a%00b",
    "filters=abc",
    "filters[$and]=x",
    "filters[$or][0]=x",
    "filters[startDate][$in][0][x]=1",
    "filters[startDate][$between]=2020-01-01",
    "filters[teams][id][$gt]=abc",
    "filters[avatar][nope]=1",
    "filters[createdAt][$gt]=yesterday",
    "pagination[page]=1e999",
    "pagination[pageSize]=ten",
    "pagination[start]=x",
    "pagination[page]=1&pagination[start]=0",
    "pagination=3",
    "pagination[withCount]=maybe",
    "sort[0][firstName]=sideways",
    "sort=:asc",
    "fields[0][a]=x",
    "fields=email",
    "populate[teams][populate][profiles][populate][teams][populate][profiles][populate][teams][populate][x]=1",
    "populate[teams]=yes",
    "populate[teams][fields]=nope",
    "populate[teams][sort]=nope",
    "populate[teams][filters][nope]=1",
    "populate[teamImage][populate][nope]=true",
    "status=live",
    "publicationState=maybe",
    "a" + "[b]" * 30 + "=1",
]


@pytest.mark.parametrize("query", QUERIES)
def test_malformed_queries_are_400(client, community, query):
    response = client.get(f"/api/profiles?{query}")
    assert 400 <= response.status_code < 500, (query, response.status_code)
    body = response.json()
    assert body["data"] is None and body["error"]["message"]


BODIES = [
    [],
    "text",
    {"data": []},
    {"data": {"firstName": 5}},
    {"data": {"firstName": "a\x00b"}},
    {"data": {"startDate": "soon"}},
    {"data": {"pineappleOnPizza": "yes"}},
    {"data": {"teams": "growth"}},
    {"data": {"teams": [None]}},
    {"data": {"teams": [True]}},
    {"data": {"teams": {"link": [1]}}},
    {"data": {"teams": [99999999]}},
    {"data": {"avatar": "no-such-file"}},
    {"data": {"avatar": [1, 2]}},
    {"data": {"country": "gbr"}},
    {"data": {"website": "not a url"}},
    {"data": {"firstName": "x" * 500}},
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_malformed_bodies_are_400_and_change_nothing(client, community, body):
    ada = community["ada"]
    before = (ada.first_name, ada.country, list(ada.teams.all()))
    response = client.put(
        f"/api/profiles/{ada.document_id}",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(factories.editor()),
    )
    assert response.status_code == 400, (body, response.content[:300])
    assert response.json()["error"]["name"] == "ValidationError"
    ada.refresh_from_db()
    assert (ada.first_name, ada.country, list(ada.teams.all())) == before


def test_integer_overflow_in_a_body(client, community):
    response = client.post(
        "/api/achievements",
        data=json.dumps({"data": {"title": "x", "points": 2**70}}),
        content_type="application/json",
        **bearer(factories.editor()),
    )
    assert response.status_code == 400
