"""Read queries compiled once per shape, then run again with other keys.

A populate asks the same queries on every request, each with other ids: a profile's questions, replies,
teams, awards. Django built each queryset and compiled its SQL again every time, and that was about
half of a single populated document's time (``bench/profile_request.py c --profile``). A ``KeptQuery``
is such a query compiled once, its keys left as one parameter (``AnyOf``: ``= ANY(%s)`` with an array
on PostgreSQL, ``IN (SELECT value FROM json_each(%s))`` with a JSON list on SQLite), so its SQL is the
same however many keys it is run with; its rows are built as ``RowIterable`` builds them.

``kept(key, build)`` keeps them by ``key``, which must say everything ``build`` makes the queryset of
(the relation, the columns, the visibility condition, the order, the caller's access), per database
connection: the compiler holds its connection, and each thread has its own. At most ``KEPT_MAX`` are
kept per connection (the least recently used goes); a setting's change forgets them all.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.backends.signals import connection_created
from django.db.models import Lookup
from django.db.models.query import ModelIterable, ValuesListIterable

from api.query.rows import RowIterable, instances

try:
    from psycopg.types.numeric import Int8
except ImportError:  # no psycopg: nothing is prepared (``_preparing_cursor``)
    Int8 = int

KEPT_MAX = 512
_ATTR = "api_kept_queries"


class _Keys:
    """Where a kept query's keys go, until it is run."""

    def __repr__(self) -> str:
        return "KEYS"


KEYS = _Keys()


def keys_param(vendor: str, keys: Iterable):
    """The one parameter ``AnyOf`` binds for ``keys`` on a database of ``vendor``."""
    values = list(keys)
    return json.dumps(values) if vendor == "sqlite" else values


# Set while a kept query is compiled for exactly one key.
_ONE_KEY: ContextVar[bool] = ContextVar("api_kept_one_key", default=False)


class AnyOf(Lookup):
    """``lhs`` is one of the keys (a collection, or ``KEYS`` in a query to keep), bound as one parameter."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if self.rhs is KEYS and _ONE_KEY.get():
            return f"{lhs} = %s", [*params, KEYS]
        value = self.rhs if self.rhs is KEYS else keys_param(connection.vendor, self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, value]
        if connection.vendor == "sqlite":
            # ``lhs`` is compiled SQL (a column): no text of the caller's is in it.
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, value]  # noqa: S608
        raise NotSupportedError(f"AnyOf has no SQL for {connection.vendor}")


class _Compiled(NamedTuple):
    sql: str  # "" when the query finds no rows whatever the keys (``none()``)
    params: tuple
    slots: list[int]  # where the keys go in ``params``
    compiler: object
    converters: dict | None  # the columns' converters (None: let ``results_iter`` apply them)


class KeptQuery:
    """A queryset with ``KEYS`` in it, compiled once for one key and once for more (``rows`` runs it).

    One key is bound as a scalar (``= %s``), and on PostgreSQL that form is prepared and run with its
    generic plan (``_cursor``): planned once per connection, where planning was most of the database's time
    (a profile's replies: 0.6 to 1.1 ms of planning, then 0.15 ms to run; with the generic plan 0.12 ms in
    all, measured with ``EXPLAIN ANALYZE EXECUTE``). The form for several keys is planned each time, as
    Django's queries are: the generic plan for an array of unknown length can be much worse (the replies
    again: 3.5 ms).
    """

    def __init__(self, queryset):
        # Model instances, or the tuples of a ``values_list`` of fields in the order it selects them.
        self.tuples = queryset._iterable_class is ValuesListIterable
        plain_values = self.tuples and list(queryset._fields) == list(queryset.query.values_select)
        if queryset._iterable_class not in (ModelIterable, RowIterable) and not plain_values:
            raise TypeError("A kept query reads model instances or a values_list of fields")
        if queryset._prefetch_related_lookups or queryset._known_related_objects or queryset._sticky_filter:
            raise TypeError("A kept query prefetches nothing, and is not a related manager's queryset")
        self.queryset = queryset
        self.db = queryset.db
        self.forms: dict[bool, _Compiled] = {}

    def _compiled(self, one: bool) -> _Compiled:
        form = self.forms.get(one)
        if form is None:
            compiler = self.queryset.query.get_compiler(using=self.db)
            token = _ONE_KEY.set(one)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # e.g. ``none()``
                sql, params = "", ()
            finally:
                _ONE_KEY.reset(token)
            slots = [i for i, param in enumerate(params) if param is KEYS]
            # Found once, not on every run as ``results_iter`` does.
            fields = [column[0] for column in compiler.select[: compiler.col_count]] if sql else []
            converters = None if compiler.has_composite_fields(fields) else compiler.get_converters(fields)
            form = self.forms[one] = _Compiled(sql, tuple(params), slots, compiler, converters)
        return form

    def rows(self, keys: Iterable) -> list:
        """The instances (or tuples) of the rows the query finds with ``keys`` in place of ``KEYS``."""
        keys = list(keys)
        form = self._compiled(len(keys) == 1)
        if not form.sql:
            return []
        compiler = form.compiler
        value = keys[0] if len(keys) == 1 else keys_param(compiler.connection.vendor, keys)
        params = list(form.params)
        prepared = len(keys) == 1 and _prepared_on(compiler.connection)
        if prepared and type(value) is int:
            # psycopg types an int by its size (int2, int4 or int8) and prepares a statement for each set
            # of types: one type for every key keeps one statement per shape.
            value = Int8(value)
        for slot in form.slots:
            params[slot] = value
        with _cursor(compiler.connection, prepared) as cursor:
            cursor.execute(form.sql, params)
            results = cursor.fetchall()
        if compiler.has_extra_select:
            results = [row[: compiler.col_count] for row in results]
        if form.converters is None:
            converted = compiler.results_iter([results])
        else:
            converted = compiler.apply_converters(results, form.converters) if form.converters else results
        if self.tuples:
            return [tuple(row) for row in converted]
        return list(instances(compiler, converted, self.db))


def _prepared_on(connection) -> bool:
    """Whether a kept query's one-key form is prepared on ``connection`` now (``_prepares``). While queries
    are logged (DEBUG, a test counting them), Django shows a query with its parameters only from a
    client-side cursor, so the logged ones are run as Django runs its own."""
    return _prepares(connection) and not connection.queries_logged and _preparing_cursor() is not None


def _cursor(connection, prepared: bool):
    """A cursor for a kept query; a ``prepared`` one (PostgreSQL, ``_prepared_on``) binds the parameters on
    the server and prepares the query, planned once per connection (``generic_plans``). Django's other
    queries keep its client-side binding, which every query it writes works with. ``API_PREPARED_STATEMENTS``
    turns it off (a pooler that can't keep prepared statements); ``_prepares`` says where else it is off."""
    if not prepared:
        return connection.cursor()
    factory = _preparing_cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django leaves psycopg's preparing off (None), which refuses even a query that asks for it; a
        # threshold no count reaches keeps it off for every query that does not ask (Django's own).
        raw.prepare_threshold = sys.maxsize
    default, raw.cursor_factory = raw.cursor_factory, factory
    try:
        return connection.cursor()
    finally:
        raw.cursor_factory = default


def _prepares(connection) -> bool:
    """Whether kept queries are prepared on ``connection``: on PostgreSQL, unless turned off, on connections
    kept between requests (``CONN_MAX_AGE``; preparing costs a round trip of its own, and a statement lives
    as long as its connection), and not where every query binds on the server (``server_side_binding``:
    the generic plans would then reach Django's queries too)."""
    return (
        connection.vendor == "postgresql"
        and settings.API_PREPARED_STATEMENTS
        and connection.settings_dict.get("CONN_MAX_AGE") != 0
        and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    )


def generic_plans(sender, connection, **kwargs) -> None:
    """On a new PostgreSQL connection that prepares kept queries: their generic plans, always, and room
    for as many statements as there are kept queries (``connection_created``). PostgreSQL's own choice
    (``auto``) kept planning a profile's replies, whose generic plan it estimated dearer, for every request.
    Only the kept queries' one-key forms are prepared statements (the project has no PL/pgSQL functions,
    whose plans the setting would reach too)."""
    if _prepares(connection):
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
        # psycopg deallocates the least used statement past ``prepared_max`` (100 by default): as many as
        # are kept, so that a kept query's statement lives as long as it does.
        connection.connection.prepared_max = max(connection.connection.prepared_max or 0, KEPT_MAX)


@cache
def _preparing_cursor():
    """Django's server-binding cursor class (psycopg 3), preparing every query it runs; None without it."""
    from django.db.backends.postgresql import base

    if not hasattr(base, "ServerBindingCursor"):
        return None

    class PreparingCursor(base.ServerBindingCursor):
        # Django turns psycopg's automatic preparing off (``prepare_threshold``); psycopg keeps the
        # prepared statements per connection, the least used deallocated past ``prepared_max``.
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparingCursor


def kept(key: Hashable | None, build: Callable) -> KeptQuery:
    """The query ``build()`` makes, compiled once for ``key`` (None: not kept, compiled now)."""
    if key is None:
        return KeptQuery(build())
    queries = connections[DEFAULT_DB_ALIAS].__dict__.setdefault(_ATTR, {})
    query = queries.pop(key, None)  # put back last: the most recently used
    if query is None:
        query = KeptQuery(build())
        if len(queries) >= KEPT_MAX:
            del queries[next(iter(queries))]
    queries[key] = query
    return query


def forget(**kwargs) -> None:
    """Forget the kept queries of this thread's connections (a setting changed: the SQL may differ)."""
    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop(_ATTR, None)


setting_changed.connect(forget, dispatch_uid="api.query.kept.forget")
connection_created.connect(generic_plans, dispatch_uid="api.query.kept.generic_plans")
