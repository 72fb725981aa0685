"""Every Strapi filter operator, logical nesting, relations, and errors for bad filters."""

import re

import pytest

from tests import factories
from tests.api.helpers import get

pytestmark = pytest.mark.django_db


def first_names(client, filters, **extra):
    response = get(client, "profiles", {"filters": filters, "sort": "firstName", **extra})
    assert response.status_code == 200, response.json()
    return [row["firstName"] for row in response.json()["data"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"firstName": {"$eq": "Ada"}}, ["Ada"]),
        ({"firstName": "Ada"}, ["Ada"]),
        ({"firstName": {"$eqi": "ada"}}, ["Ada"]),
        ({"firstName": {"$ne": "Ada"}}, ["Grace", "Linus"]),
        ({"firstName": {"$nei": "ADA"}}, ["Grace", "Linus"]),
        ({"startDate": {"$lt": "2021-03-01"}}, ["Ada"]),
        ({"startDate": {"$lte": "2021-03-01"}}, ["Ada", "Grace"]),
        ({"startDate": {"$gt": "2020-01-06"}}, ["Grace"]),
        ({"startDate": {"$gte": "2020-01-06"}}, ["Ada", "Grace"]),
        ({"firstName": {"$in": ["Ada", "Linus"]}}, ["Ada", "Linus"]),
        ({"firstName": {"$notIn": ["Ada", "Linus"]}}, ["Grace"]),
        ({"lastName": {"$contains": "ove"}}, ["Ada"]),
        ({"lastName": {"$notContains": "o"}}, []),
        ({"lastName": {"$containsi": "HOP"}}, ["Grace"]),
        ({"lastName": {"$notContainsi": "HOP"}}, ["Ada", "Linus"]),
        ({"startDate": {"$null": True}}, ["Linus"]),
        ({"startDate": {"$notNull": True}}, ["Ada", "Grace"]),
        ({"startDate": {"$between": ["2020-01-01", "2020-12-31"]}}, ["Ada"]),
        ({"lastName": {"$startsWith": "Love"}}, ["Ada"]),
        ({"lastName": {"$startsWithi": "love"}}, ["Ada"]),
        ({"lastName": {"$endsWith": "alds"}}, ["Linus"]),
        ({"lastName": {"$endsWithi": "ALDS"}}, ["Linus"]),
        ({"pineappleOnPizza": {"$eq": "false"}}, ["Grace"]),
    ],
)
def test_every_operator(client, community, filters, expected):
    assert first_names(client, filters) == expected


def test_and_or_not_nest_to_any_depth(client, community):
    filters = {
        "$or": [
            {"$and": [{"country": "GB"}, {"startDate": {"$notNull": True}}]},
            {"$not": {"$or": [{"firstName": {"$startsWith": "A"}}, {"startDate": {"$notNull": True}}]}},
        ]
    }
    assert first_names(client, filters) == ["Ada", "Linus"]
    assert first_names(client, {"firstName": {"$not": {"$eq": "Ada"}}}) == ["Grace", "Linus"]
    assert first_names(client, {"firstName": {"$or": [{"$eq": "Ada"}, {"$eq": "Grace"}]}}) == ["Ada", "Grace"]


def test_the_squeak_team_member_filter(client, community):
    filters = {"$and": [{"startDate": {"$notNull": True}}, {"startDate": {"$lte": "2026-11-24T06:00:00.000Z"}}]}
    assert first_names(client, filters) == ["Ada", "Grace"]


def test_filters_through_relations_without_repeating_rows(client, community):
    community["grace"].teams.add(community["growth"])
    assert first_names(client, {"teams": {"slug": {"$eq": "growth"}}}) == ["Ada", "Grace"]
    assert first_names(client, {"teams": {"slug": {"$in": ["growth", "infra"]}}}) == ["Ada", "Grace"]
    assert first_names(client, {"leadTeams": {"name": {"$containsi": "grow"}}}) == ["Ada"]
    assert first_names(client, {"teams": {"$null": True}}) == ["Linus"]
    assert first_names(client, {"teams": {"id": {"$eq": community["infra"].pk}}}) == ["Grace"]


def test_each_condition_through_a_to_many_relation_finds_its_own_related_row(client, community):
    # As Strapi joins a relation once per condition: on a team called growth, and on a team called infra.
    community["grace"].teams.add(community["growth"])
    both = {"$and": [{"teams": {"slug": "growth"}}, {"teams": {"slug": "infra"}}]}
    assert first_names(client, both) == ["Grace"]
    assert first_names(client, {"$not": both}) == ["Ada", "Linus"]
    assert first_names(client, {"teams": {"slug": {"$ne": "growth"}}}) == ["Grace"]


@pytest.mark.parametrize("limit", [0, 1, 100])
def test_relation_filters_give_the_same_rows_with_their_ids_read_first_or_as_a_sub_query(
    client, community, monkeypatch, limit
):
    from api.query import filters

    monkeypatch.setattr(filters, "RESOLVED_IDS_LIMIT", limit)
    community["grace"].teams.add(community["growth"])
    assert first_names(client, {"teams": {"slug": {"$in": ["growth", "infra"]}}}) == ["Ada", "Grace"]
    assert first_names(client, {"teams": {"$null": True}}) == ["Linus"]
    assert first_names(client, {"leadTeams": {"$notNull": True}}) == ["Ada"]
    response = get(client, "jobs", {"filters": {"teams": {"profiles": {"firstName": "Ada"}}}})
    assert [row["title"] for row in response.json()["data"]] == ["Backend engineer"]


def test_a_to_many_filter_reads_the_link_table_without_joining_the_rows_again(client, community):
    """The page and its count name the profiles' table once: the team condition is a sub-query on the link
    table's columns (the topic list's count was a self-join of 100,000 questions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert first_names(client, {"teams": {"slug": "growth"}}) == ["Ada"]
    profile_reads = [q["sql"] for q in queries if 'FROM "profiles_profile"' in q["sql"]]
    assert len(profile_reads) == 2  # the count and the page
    for sql in profile_reads:
        assert len(re.findall(r'"profiles_profile"(?!\.)', sql)) == 1, sql
        assert "profiles_profile_teams" in sql


def test_filters_through_two_relations(client, community):
    response = get(client, "jobs", {"filters": {"teams": {"profiles": {"firstName": "Ada"}}}})
    assert [row["title"] for row in response.json()["data"]] == ["Backend engineer"]


def test_filters_on_system_fields_and_media(client, community):
    ada = community["ada"]
    assert first_names(client, {"documentId": ada.document_id}) == ["Ada"]
    assert first_names(client, {"avatar": {"id": {"$notNull": True}}}) == ["Ada"]
    assert first_names(client, {"createdAt": {"$gte": "2000-01-01"}}) == ["Ada", "Grace", "Linus"]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"nope": {"$eq": 1}}, "Invalid key nope"),
        ({"firstName": {"$like": "x"}}, "Invalid key $like"),
        ({"$xor": [{"firstName": "Ada"}]}, "Invalid key $xor"),
        ({"startDate": {"$lt": "last tuesday"}}, "is not a valid date"),
        ({"id": {"$eq": "seven"}}, "is not a valid integer"),
        ({"pineappleOnPizza": {"$eq": "perhaps"}}, "expected true or false"),
        ({"startDate": {"$between": ["2020-01-01"]}}, "exactly two values"),
        ({"teams": {"nope": "x"}}, "Invalid key nope"),
        ({"email": {"$eq": "ada@private.example"}}, "Invalid key email"),
        # A computed attribute without a database expression is no filter (with one, it is: points).
        ({"reputationTier": {"name": "Regular"}}, "Invalid key reputationTier"),
    ],
)
def test_bad_filters_are_400_and_say_what_is_wrong(client, community, filters, message):
    response = get(client, "profiles", {"filters": filters})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_editors_may_filter_on_private_fields(client, community):
    from tests.api.helpers import bearer

    response = get(client, "profiles", {"filters": {"email": "ada@private.example"}}, **bearer(factories.editor()))
    assert [row["firstName"] for row in response.json()["data"]] == ["Ada"]


def test_every_to_many_relation_is_read_from_its_link_column():
    """Filters never join a to-many relation (rows would repeat, and the page and count need a DISTINCT)."""
    from api.query.filters import owner_ids
    from api.registry import registry

    relations = [(t, r) for t in registry.all() for r in t.relations if r.many and not r.through]
    assert relations
    for content_type, relation in relations:
        assert owner_ids(content_type.model, relation.attr, []) is not None, (content_type.plural, relation.name)
