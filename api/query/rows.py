"""Rows for the read path: model instances filled from the database row, without ``Model.__init__``.

A populated list builds a couple of thousand instances, and ``Model.from_db`` → ``__init__`` was about a
quarter of its time: for each field a deferred-field check against a list, a descriptor ``__set__``,
then the ``pre_init``/``post_init`` signals. A read that only serializes needs none of it, so
``RowIterable`` puts the selected columns straight into the instance's ``__dict__`` (what ``__init__``
ends with) and marks it loaded, as ``from_db`` does. Columns left out by ``only()`` stay deferred and
load on access as always; the instance saves, compares and hashes like any other.

A model that runs code when it is made (its own ``__init__`` or ``from_db``, as ``Profile`` has, an
``__init__`` signal receiver, such as an image field's dimensions) is built the usual way; that is
decided at a model's first read, so a receiver must be connected before (at start-up, as Django's are).
The iterable is Django 5.2's ``ModelIterable`` with the one call changed (a test fails on another
Django version, to have it compared again); it is set only by ``as_rows`` on the API's read querysets.
"""

from __future__ import annotations

import operator
from functools import cache

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.signals import post_init, pre_init


def as_rows(queryset):
    """The queryset, yielding instances built by ``RowIterable``."""
    queryset = queryset.all()
    if queryset._iterable_class is ModelIterable:
        queryset._iterable_class = RowIterable
    return queryset


@cache
def _plain(model) -> bool:
    """Whether making an instance of ``model`` runs no code of its own (checked once per model)."""
    return (
        model.__init__ is Model.__init__
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and model.from_db.__func__ is Model.from_db.__func__
    )


def _row(model, db: str, names: list[str], values) -> Model:
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = obj._state = ModelState()
    state.adding = False
    state.db = db
    return obj


class RowIterable(ModelIterable):
    """``ModelIterable`` (Django 5.2), building each row's instance with ``_row`` where the model allows."""

    def __iter__(self):
        queryset = self.queryset
        compiler = queryset.query.get_compiler(using=queryset.db)
        results = compiler.execute_sql(chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size)
        known_related_objects = [
            (
                field,
                related_objs,
                operator.attrgetter(
                    *[
                        field.attname if from_field == "self" else queryset.model._meta.get_field(from_field).attname
                        for from_field in field.from_fields
                    ]
                ),
            )
            for field, related_objs in queryset._known_related_objects.items()
        ]
        yield from instances(compiler, compiler.results_iter(results), queryset.db, known_related_objects)


def instances(compiler, rows, db: str, known_related_objects=()):
    """The instances of ``rows`` (converted, as ``results_iter`` gives them) that ``compiler``'s query read:
    ``RowIterable``'s, and those of SQL compiled once and run again (``api.query.kept``)."""
    select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    related_populators = get_related_populators(klass_info, select, db)
    plain = _plain(model_cls)
    for row in rows:
        if plain:
            obj = _row(model_cls, db, init_list, row[start:end])
        else:
            obj = model_cls.from_db(db, init_list, row[start:end])
        for rel_populator in related_populators:
            rel_populator.populate(row, obj)
        if annotation_col_map:
            for attr_name, col_pos in annotation_col_map.items():
                setattr(obj, attr_name, row[col_pos])
        for field, rel_objs, rel_getter in known_related_objects:
            if field.is_cached(obj):
                continue
            try:
                rel_obj = rel_objs[rel_getter(obj)]
            except KeyError:
                pass
            else:
                setattr(obj, field.name, rel_obj)
        yield obj
