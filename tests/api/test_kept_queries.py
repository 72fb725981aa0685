"""Read queries compiled once per shape and run again with other keys (``api.query.kept``), and parsed
selections kept for the next request asking the same (``parsed_selection``)."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from api.query import kept as kept_module
from api.query.access import Access
from api.query.kept import KEPT_MAX, KEYS, AnyOf, KeptQuery, kept
from api.query.selection import parsed_selection
from api.registry import registry
from plugins.forum.models import Subscription
from plugins.profiles.models import Profile
from tests import factories
from tests.api.helpers import bearer, get

pytestmark = pytest.mark.django_db


def pks(rows) -> list[int]:
    return [row.pk for row in rows]


def test_any_of_binds_any_number_of_keys_as_one_parameter(community):
    ada, grace = community["ada"], community["grace"]
    queryset = Profile.objects.filter(AnyOf(F("pk"), [ada.pk, grace.pk]))
    assert len(queryset.query.sql_with_params()[1]) == 1
    assert set(queryset) == {ada, grace}
    assert list(Profile.objects.filter(AnyOf(F("pk"), []))) == []


def test_a_kept_query_runs_with_other_keys_without_compiling_again(community):
    ada, grace, linus = community["ada"], community["grace"], community["linus"]
    query = KeptQuery(Profile.objects.filter(AnyOf(F("pk"), KEYS)).order_by("pk"))
    assert pks(query.rows([grace.pk, ada.pk])) == sorted([ada.pk, grace.pk])
    assert pks(query.rows([linus.pk])) == [linus.pk]
    # One key is bound as a scalar, several as one parameter: two forms, each compiled once.
    one, many = query.forms[True], query.forms[False]
    assert "= %s" in one.sql and "ANY" not in one.sql and "json_each" not in one.sql
    assert ("ANY(%s)" if connection.vendor == "postgresql" else "json_each(%s)") in many.sql
    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")):
        assert pks(query.rows([linus.pk, grace.pk])) == sorted([grace.pk, linus.pk])
        assert pks(query.rows([ada.pk])) == [ada.pk]
        assert query.rows([]) == []


def test_a_kept_querys_rows_are_the_instances_django_reads(community):
    ada = community["ada"]
    query = KeptQuery(Profile.objects.select_related("avatar").filter(AnyOf(F("pk"), KEYS)))
    (ours,) = query.rows([ada.pk])
    theirs = Profile.objects.select_related("avatar").get(pk=ada.pk)
    assert ours == theirs and ours.first_name == "Ada" and ours._state.adding is False
    with CaptureQueriesContext(connection) as queries:
        assert ours.avatar == theirs.avatar  # joined into the row's query, as select_related does
    assert len(queries) == 0


def test_a_kept_values_list_gives_its_tuples(community):
    ada, grace = community["ada"], community["grace"]
    by_pk = Profile.objects.filter(AnyOf(F("pk"), KEYS)).order_by("pk")
    query = KeptQuery(by_pk.values_list("pk", "first_name", "created_at"))
    expected = list(
        Profile.objects.filter(pk__in=[ada.pk, grace.pk]).order_by("pk").values_list("pk", "first_name", "created_at")
    )
    assert query.rows([ada.pk, grace.pk]) == expected  # the timestamps converted as Django converts them
    assert query.rows([grace.pk]) == [expected[1]]
    with pytest.raises(TypeError):
        KeptQuery(by_pk.values("pk"))  # dicts: not kept


def test_a_query_that_finds_nothing_whatever_the_keys_asks_the_database_nothing(community):
    query = KeptQuery(Profile.objects.none().filter(AnyOf(F("pk"), KEYS)))
    with CaptureQueriesContext(connection) as queries:
        assert query.rows([community["ada"].pk]) == []
    assert len(queries) == 0


def test_kept_queries_are_kept_by_key_the_least_recently_used_going_first(community, monkeypatch):
    monkeypatch.setattr(kept_module, "KEPT_MAX", 2)
    kept_module.forget()
    built = []

    def build(name):
        def make():
            built.append(name)
            return Profile.objects.filter(AnyOf(F("pk"), KEYS))

        return make

    first = kept(("test", "a"), build("a"))
    assert kept(("test", "a"), build("a")) is first
    kept(("test", "b"), build("b"))
    kept(("test", "a"), build("a"))  # used again: now "b" is the least recently used
    kept(("test", "c"), build("c"))
    assert kept(("test", "a"), build("a")) is first
    kept(("test", "b"), build("b"))
    assert built == ["a", "b", "c", "b"]
    assert kept(None, build("none")) is not kept(None, build("none"))  # None: never kept


def test_a_changed_setting_forgets_the_kept_queries(community):
    query = kept(("test", "setting"), lambda: Profile.objects.filter(AnyOf(F("pk"), KEYS)))
    with override_settings(API_PAGINATION_MAX=7):
        assert kept(("test", "setting"), lambda: Profile.objects.filter(AnyOf(F("pk"), KEYS))) is not query


def test_callers_who_see_different_rows_never_share_a_kept_query(client, community):
    """The same populate, read by the anonymous public, by the question's author and by a moderator:
    each sees what their access lets them, in any order (the kept queries are keyed by it)."""
    linus = community["linus"]
    linus.user = factories.UserFactory()
    linus.save(update_fields=["user"])
    held = factories.QuestionFactory(author=linus, subject="Held for review", held=True)
    hidden = factories.ReplyFactory(question=community["question"], author=linus, body="hidden words", hidden=True)
    path = f"profiles/{linus.document_id}"
    params = {"populate": ["questions", "replies"]}

    def seen(**headers) -> tuple[set, set]:
        response = get(client, path, params, **headers)
        assert response.status_code == 200, response.content
        data = response.json()["data"]
        return {q["documentId"] for q in data["questions"]}, {r["documentId"] for r in data["replies"]}

    public = seen()
    assert held.document_id not in public[0] and hidden.document_id not in public[1]
    author = seen(**bearer(linus.user))
    assert held.document_id in author[0]
    assert seen() == public
    moderator = seen(**bearer(factories.moderator()))
    assert held.document_id in moderator[0] and hidden.document_id in moderator[1]
    assert seen() == public
    assert seen(**bearer(linus.user)) == author


def test_owner_only_links_are_each_members_own_whoever_read_the_shape_before(client, community):
    """A profile's subscriptions (``owner_only``): its member reads them, another member and the public
    read none, in any order."""
    linus = community["linus"]
    linus.user = factories.UserFactory()
    linus.save(update_fields=["user"])
    Subscription.objects.create(profile=linus, question=community["question"])
    other = factories.UserFactory()
    path = f"profiles/{linus.document_id}"

    def subscriptions(**headers) -> list[str]:
        response = get(client, path, {"populate": ["questionSubscriptions"]}, **headers)
        assert response.status_code == 200, response.content
        return [q["documentId"] for q in response.json()["data"]["questionSubscriptions"]]

    own = [community["question"].document_id]
    assert subscriptions(**bearer(linus.user)) == own
    assert subscriptions(**bearer(other)) == []
    assert subscriptions() == []
    assert subscriptions(**bearer(linus.user)) == own
    assert subscriptions(**bearer(other)) == []


def test_whether_a_read_joins_the_points_is_part_of_its_kept_query(client, community):
    """``fields=firstName`` reads no points; ``fields=firstName,points`` joins them: asked in that order,
    the second is not the first's query (which would leave the points to a query of their own)."""
    ada = community["ada"]
    path = f"profiles/{ada.document_id}"
    assert "points" not in get(client, path, {"fields": ["firstName"]}).json()["data"]
    with CaptureQueriesContext(connection) as queries:
        assert get(client, path, {"fields": ["firstName", "points"]}).json()["data"]["points"] == 0
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "points_pointsaccount"')]


def test_populate_queries_are_prepared_on_postgresql(client, community):
    """On PostgreSQL the kept queries' one-key forms are prepared (planned once per connection), unless
    ``API_PREPARED_STATEMENTS`` is off; Django's own queries are not."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")

    def statements() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    linus = community["linus"]
    factories.QuestionFactory(author=linus, subject="Prepared")
    before = statements()
    with override_settings(API_PREPARED_STATEMENTS=False):
        assert get(client, f"profiles/{linus.document_id}", {"populate": ["questions"]}).status_code == 200
    assert statements() == before
    response = get(client, f"profiles/{linus.document_id}", {"populate": ["questions"]})
    assert response.status_code == 200
    assert "Prepared" in {q["subject"] for q in response.json()["data"]["questions"]}
    prepared = [sql for sql in statements() if sql not in before]
    assert any('FROM "forum_question"' in sql for sql in prepared)
    assert any('FROM "profiles_profile"' in sql for sql in prepared)  # the findOne's own row
    assert all("$1" in sql for sql in prepared)
    # Run with their generic plans; the form for several keys is not prepared (planned each time).
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    after_one = statements()
    query = KeptQuery(Profile.objects.filter(AnyOf(F("pk"), KEYS)))
    assert len(query.rows([linus.pk, community["ada"].pk])) == 2
    assert statements() == after_one
    assert len(query.rows([linus.pk])) == 1
    assert len(statements()) == len(after_one) + 1
    # Keys of any size share the statement (psycopg would type them int2, int4 or int8 by their size)...
    assert query.rows([70_000]) == query.rows([2**40]) == []
    assert len(statements()) == len(after_one) + 1
    # ...and psycopg keeps as many statements as there are kept queries.
    assert connection.connection.prepared_max >= KEPT_MAX


def test_a_parsed_selection_is_kept_for_the_same_request_and_access(community):
    profiles = registry.get("profiles")
    public = Access()
    first = parsed_selection(registry, public, profiles, None, "*", lenient=False)
    assert parsed_selection(registry, Access(), profiles, None, "*", lenient=False) is first
    # Another access, another scope of readable types, another query: parsed again.
    trusted = parsed_selection(registry, Access(include_private=True), profiles, None, "*", lenient=False)
    assert trusted is not first and "user" in trusted.populate and "user" not in first.populate
    no_teams = Access(may_find=lambda plural: plural != "teams")
    scoped = parsed_selection(registry, no_teams, profiles, None, "*", lenient=False)
    assert "teams" in first.populate and "teams" not in scoped.populate
    assert parsed_selection(registry, public, profiles, ["firstName"], "*", lenient=False) is not first
    # A populate that filters is parsed every time (its filter may have read rows).
    filtered = {"teams": {"filters": {"name": {"$eq": "Growth"}}}}
    assert parsed_selection(registry, public, profiles, None, filtered, lenient=False) is not parsed_selection(
        registry, public, profiles, None, filtered, lenient=False
    )
    with override_settings(API_POPULATE_MAX_DEPTH=3):
        assert parsed_selection(registry, public, profiles, None, "*", lenient=False) is not first
