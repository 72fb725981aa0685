"""Strapi's ``filters`` → a Django ``Q``: every operator, ``$and / $or / $not`` at any depth, through relations."""

from __future__ import annotations

from django.db.models import Q

from api.errors import ValidationError, invalid_key
from api.query.access import Access, visibility
from api.query.qs import index_order, is_index
from api.query.values import coerce, parse_bool
from api.registry import ContentType

MAX_FILTER_DEPTH = 12
# A condition through a relation reads the ids of the related rows first when they are at most this many.
RESOLVED_IDS_LIMIT = 100

# operator → (Django lookup, negated)
SIMPLE_OPERATORS = {
    "$eq": ("exact", False),
    "$eqi": ("iexact", False),
    "$ne": ("exact", True),
    "$nei": ("iexact", True),
    "$lt": ("lt", False),
    "$lte": ("lte", False),
    "$gt": ("gt", False),
    "$gte": ("gte", False),
    "$contains": ("contains", False),
    "$notContains": ("contains", True),
    "$containsi": ("icontains", False),
    "$notContainsi": ("icontains", True),
    "$startsWith": ("startswith", False),
    "$startsWithi": ("istartswith", False),
    "$endsWith": ("endswith", False),
    "$endsWithi": ("iendswith", False),
}
LIST_OPERATORS = {"$in": False, "$notIn": True}
OPERATORS = set(SIMPLE_OPERATORS) | set(LIST_OPERATORS) | {"$null", "$notNull", "$between", "$and", "$or", "$not"}

# The attributes every content type has, by API name: (model path, type).
SYSTEM_ATTRIBUTES = {
    "id": ("pk", "integer"),
    "documentId": ("document_id", "string"),
    "createdAt": ("created_at", "datetime"),
    "updatedAt": ("updated_at", "datetime"),
}
PUBLISHED_AT = ("last_published_at", "datetime")


class FilterBuilder:
    """Builds a Q for one request, as ``access`` may read: trusted callers filter on private fields too.

    A condition through a relation sees only the related rows the caller may read (a hidden reply,
    an unpublished job are not there for the public), and only into types the caller may ``find``.
    """

    def __init__(self, registry, access: Access | None = None):
        self.registry = registry
        self.access = access or Access()
        self.include_private = self.access.include_private

    def build(self, content_type: ContentType, filters, prefix: str = "", path: str = "filters", depth: int = 0) -> Q:
        if depth > MAX_FILTER_DEPTH:
            raise ValidationError(f"{path} is nested deeper than {MAX_FILTER_DEPTH} levels")
        if not isinstance(filters, dict):
            raise ValidationError(f"Invalid {path}: expected an object of fields and operators")
        q = Q()
        for key, value in filters.items():
            where = f"{path}[{key}]"
            if key in ("$and", "$or"):
                q &= self._combine(
                    key, [self.build(content_type, item, prefix, where, depth + 1) for item in _items(value, where)]
                )
            elif key == "$not":
                q &= ~self.build(content_type, value, prefix, where, depth + 1)
            elif key.startswith("$"):
                raise invalid_key(key, path=where)
            else:
                q &= self._key(content_type, key, value, prefix, where, depth)
        return q

    def _combine(self, op: str, parts: list[Q]) -> Q:
        combined = Q()
        for part in parts:
            combined = (combined & part) if op == "$and" else (combined | part)
        return combined

    def _key(self, content_type: ContentType, key: str, value, prefix: str, where: str, depth: int) -> Q:
        attribute = content_type.attribute_map.get(key)
        if attribute is not None and (self.include_private or not attribute.private):
            if attribute.compute is None:
                return self.field(prefix + attribute.attr, attribute.type, value, where, depth)
            if attribute.expression is not None and not prefix:
                return self.field(attribute.expression(), attribute.type, value, where, depth)
        if key in SYSTEM_ATTRIBUTES:
            model_path, type_ = SYSTEM_ATTRIBUTES[key]
            return self.field(prefix + model_path, type_, value, where, depth)
        if key == "publishedAt":
            if content_type.draft_and_publish:
                return self.field(prefix + PUBLISHED_AT[0], "datetime", value, where, depth)
            return self.field(prefix + "created_at", "datetime", value, where, depth)
        relation = content_type.relation_map.get(key)
        if relation is not None and (self.include_private or not relation.private):
            target = self.registry.get(relation.target)
            if not self.access.may_find(target.plural):
                raise invalid_key(key, path=where)
            return self._related(content_type, relation, target, value, prefix, where, depth)
        media = content_type.media_map.get(key)
        if media is not None and (self.include_private or not media.private):
            return self._media(prefix + media.attr, value, where, depth)
        component = content_type.component_map.get(key)
        if component is not None:
            return self._component(component, value, prefix, where, depth)
        raise invalid_key(key, path=where)

    def _component(self, component, value, prefix: str, where: str, depth: int) -> Q:
        """A component's fields are the row's own columns: ``slugs: {slug: {$eq: …}}``."""
        if not isinstance(value, dict):
            raise ValidationError(f"Invalid {where}: expected the component's fields and their operators")
        q = Q()
        for key, inner in value.items():
            here = f"{where}[{key}]"
            if key in ("$and", "$or"):
                q &= self._combine(
                    key, [self._component(component, i, prefix, here, depth + 1) for i in _items(inner, here)]
                )
                continue
            if key == "$not":
                q &= ~self._component(component, inner, prefix, here, depth + 1)
                continue
            attribute = next((a for a in component.attributes if a.name == key and a.compute is None), None)
            if attribute is None:
                raise invalid_key(key, path=here)
            q &= self.field(prefix + attribute.attr, attribute.type, inner, here, depth + 1)
        return q

    def _related(self, content_type, relation, target, value, prefix: str, where: str, depth: int) -> Q:
        """Rows with a related row that the caller may read and that matches ``value``.

        One sub-query of the target's visible rows per hop: a condition through a relation, negated
        ones included (``$notContains``, ``$not``, ``$null``), never reaches a hidden reply, an
        archived question or an unpublished job, nor an award that was revoked.
        """
        rows = target.model._default_manager.filter(visibility(target, self.access))
        if isinstance(value, dict) and any(k in OPERATORS for k in value) and not _only_logic(value):
            # Operators straight on the relation: on the related rows' ids, and $null / $notNull on
            # whether there is any (visible) related row at all.
            operators = dict(value)
            existence = {op: operators.pop(op) for op in ("$null", "$notNull") if op in operators}
            q = Q()
            if operators:
                q &= self._linked(
                    content_type, relation, prefix, rows.filter(self.field("pk", "integer", operators, where, depth))
                )
            for op, operand in existence.items():
                wanted = parse_bool(operand, f"{where}[{op}]")
                has_some = self._linked(content_type, relation, prefix, rows)
                q &= ~has_some if wanted == (op == "$null") else has_some
            return q
        inner = FilterBuilder(self.registry, self.access)
        return self._linked(
            content_type, relation, prefix, rows.filter(inner.build(target, value, "", where, depth + 1))
        )

    def _linked(self, content_type, relation, prefix: str, rows) -> Q:
        """Rows related to any of ``rows`` (through the link rows that count, for a through-relation).

        A to-many relation is read from its link column alone (``owner IN (SELECT owner_id FROM link
        WHERE target_id IN …)``) rather than joined: no row repeats, so neither the page nor its count
        needs a ``DISTINCT`` or a second pass over the owner's table.
        """
        rows = _resolved(rows)
        model = content_type.model
        if relation.through:
            links = relation.links_to(model, rows, self.access)
            return Q(**{f"{prefix}pk__in": links.values(model._meta.get_field(relation.attr).field.attname)})
        owners = owner_ids(model, relation.attr, rows)
        return Q(**{f"{prefix}{relation.attr}__in": rows}) if owners is None else Q(**{f"{prefix}pk__in": owners})

    def _media(self, path: str, value, where: str, depth: int) -> Q:
        if not isinstance(value, dict):
            raise ValidationError(f"Invalid {where}: expected operators or media fields")
        q = Q()
        for key, inner in value.items():
            if key in ("id", "name", "url", "mime"):
                column = {"id": "pk", "name": "title", "url": "file", "mime": "file"}[key]
                q &= self.field(
                    f"{path}__{column}", "integer" if key == "id" else "string", inner, f"{where}[{key}]", depth
                )
            elif key in OPERATORS:
                q &= self.field(path, "integer", {key: inner}, where, depth)
            else:
                raise invalid_key(key, path=f"{where}[{key}]")
        return q

    def field(self, path: str, type_: str, value, where: str, depth: int) -> Q:
        """Operators on one field; a bare value means ``$eq``."""
        if depth > MAX_FILTER_DEPTH:
            raise ValidationError(f"{where} is nested deeper than {MAX_FILTER_DEPTH} levels")
        if not isinstance(value, dict):
            if isinstance(value, list):
                return self._operator(path, type_, "$in", value, where)
            return self._operator(path, type_, "$eq", value, where)
        q = Q()
        for op, operand in value.items():
            here = f"{where}[{op}]"
            if op == "$not":
                q &= ~self.field(path, type_, operand, here, depth + 1)
            elif op in ("$and", "$or"):
                q &= self._combine(
                    op, [self.field(path, type_, item, here, depth + 1) for item in _items(operand, here)]
                )
            elif op in OPERATORS:
                q &= self._operator(path, type_, op, operand, here)
            else:
                raise invalid_key(op, path=here)
        return q

    def _operator(self, path: str, type_: str, op: str, operand, where: str) -> Q:
        if op in ("$null", "$notNull"):
            wanted = parse_bool(operand, where)
            is_null = wanted if op == "$null" else not wanted
            return _condition(path, "isnull", is_null)
        if op in LIST_OPERATORS:
            values = [coerce(v, type_, where) for v in _as_list(operand)]
            q = _condition(path, "in", values)
            return ~q if LIST_OPERATORS[op] else q
        if op == "$between":
            bounds = _as_list(operand)
            if len(bounds) != 2:
                raise ValidationError(f"Invalid value for {where}: $between takes exactly two values")
            low, high = (coerce(v, type_, where) for v in bounds)
            return _condition(path, "range", (low, high))
        lookup, negated = SIMPLE_OPERATORS[op]
        if isinstance(operand, list | dict):
            raise ValidationError(f"Invalid value for {where}: {op} takes a single value")
        if type_ not in ("string", "text", "richtext", "email", "uid", "enumeration") and lookup in (
            "contains",
            "icontains",
            "startswith",
            "istartswith",
            "endswith",
            "iendswith",
        ):
            # Text operators on numbers or dates compare their text, as Strapi's SQL does.
            q = _condition(path, lookup, operand)
        else:
            q = _condition(path, lookup, coerce(operand, type_, where))
        return ~q if negated else q


def owner_ids(model, attr: str, targets):
    """The keys of the ``model`` rows that ``attr``, a to-many relation, links to any of ``targets`` (ids or a
    query), read from the link column; None for a single-valued relation (its column is the row's own).

    Raises ``ValueError`` for a to-many relation of another kind, which would need a join (and rows repeat).
    """
    field = model._meta.get_field(attr)
    if field.many_to_many:
        forward = field if field.concrete else field.remote_field
        own, other = forward.m2m_field_name(), forward.m2m_reverse_field_name()
        if forward is not field:  # the reverse side of a many-to-many: the link's columns swap roles
            own, other = other, own
        return forward.remote_field.through._base_manager.filter(**{f"{other}__in": targets}).values(own)
    if field.one_to_many:
        column = field.field.attname
        return field.related_model._base_manager.filter(pk__in=targets, **{f"{column}__isnull": False}).values(column)
    if field.many_to_one or field.one_to_one:
        return None
    raise ValueError(f"{model.__name__}.{attr}: a to-many relation the filters cannot read from its link column")


def _resolved(rows):
    """``rows``' ids as a list when they are few, else the sub-query itself.

    A sub-query's rows are unknown to PostgreSQL's planner, which guesses an average share of the link
    table for them: for a topic with six questions among 100,000 it walked the whole activity index
    looking for 25 (200 ms). Given the ids, it reads the link table's statistics and picks a plan for
    the topic at hand (1 ms); the price is one query of at most ``RESOLVED_IDS_LIMIT`` + 1 ids.
    """
    ids = list(rows.order_by().values_list("pk", flat=True)[: RESOLVED_IDS_LIMIT + 1])
    return ids if len(ids) <= RESOLVED_IDS_LIMIT else rows


def _condition(target, lookup: str, value) -> Q:
    """``target`` (a model path, or a computed attribute's expression) ``lookup`` ``value``, as a Q."""
    if isinstance(target, str):
        return Q(**{f"{target}__{lookup}": value})
    return Q(target.output_field.get_lookup(lookup)(target, value))


def _items(value, where: str) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and all(is_index(k) for k in value):
        return [value[k] for k in sorted(value, key=int)]  # indices beyond qs's array limit
    raise ValidationError(f"Invalid {where}: expected a list of conditions ([0], [1], …)")


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value[k] for k in sorted(value, key=index_order)]
    return [value]


def _only_logic(value: dict) -> bool:
    return all(k in ("$and", "$or", "$not") for k in value)
