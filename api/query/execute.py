"""Querysets for a selection: visibility, filters, sort and the prefetches that keep it to a fixed number of queries."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q

from api.errors import ValidationError
from api.media import IMAGE_FIELDS, attach_formats
from api.query.access import Access, visibility
from api.query.kept import KEYS, AnyOf, KeptQuery, kept
from api.query.rows import as_rows
from api.query.selection import PopulateItem, Selection
from api.registry import ContentType


def visible(content_type: ContentType, access: Access):
    """All rows of a content type the caller may read: published ones unless drafts were asked for."""
    queryset = content_type.model._default_manager.filter(visibility(content_type, access))
    if content_type.draft_and_publish and access.drafts:
        queryset = queryset.select_related("latest_revision")
    return queryset


def filtered(queryset, q: Q | None):
    """Apply a filter (a condition through a to-many relation is a sub-query: ``filters.owner_ids``)."""
    return queryset.filter(q) if q else queryset


def cache_attr(attr: str) -> str:
    """Where a populated relation's rows are kept on an object: by the relation's API name, because two
    relations may share a reverse foreign key."""
    return f"_api_{attr}"


def related(obj, relation_attr: str):
    """The prefetched rows of a populated relation: a list, or one object (or None) for a single one."""
    return getattr(obj, cache_attr(relation_attr))


def columns(selection: Selection, access: Access) -> list[str]:
    """The model fields a selection reads, and those of the images joined into its rows; loading only
    these keeps rows and model instances small."""
    content_type = selection.content_type
    model = content_type.model
    concrete = {f.name for f in model._meta.concrete_fields}
    wanted = {"document_id", "created_at", "updated_at"}
    wanted |= {a.attr for a in selection.attributes if a.attr in concrete}
    for item in selection.populate.values():
        if item.kind == "media" or (item.kind == "relation" and not item.spec.many):
            wanted.add(item.spec.attr)
        elif item.kind == "component":
            wanted |= {a.attr for a in item.spec.attributes if a.attr in concrete}
            wanted |= {child.spec.attr for child in item.children.values()}
    if content_type.unpublished_by:
        wanted.add(content_type.unpublished_by)
    if content_type.draft_and_publish:
        wanted |= {"live", "last_published_at", "has_unpublished_changes"}
        if access.drafts:
            wanted.add("latest_revision")
    images = [f"{attr}__{name}" for attr in _media_attrs(selection) for name in IMAGE_FIELDS]
    return sorted(wanted & concrete) + images


def _media_attrs(selection: Selection) -> list[str]:
    """The media fields a selection populates, its components' included: each is joined into the row's query."""
    attrs = []
    for item in selection.populate.values():
        if item.kind == "media":
            attrs.append(item.spec.attr)
        elif item.kind == "component":
            attrs += [child.spec.attr for child in item.children.values()]
    return attrs


def with_populate(queryset, selection: Selection, access: Access, single: bool = False):
    """Join the populated media into the rows' query, and load the populated relations once the rows are read.

    The relations are loaded level by level, one query per relation (``_populate``), into plain
    attributes (``to_attr``), so reading them needs no manager or queryset; images into their foreign
    key's cache. ``single`` says the queryset yields one row (findOne): links are then joined to their
    targets. Every level is read as rows (``api.query.rows``).
    """
    queryset = as_rows(_joined(queryset, selection))
    if not any(item.kind == "relation" for item in selection.populate.values()):
        return queryset
    # The plan travels with the queryset's clones (``first()``, ``filter()``) in its iterable class: one
    # made for this call, on the rows' own iterable (a queryset populated again keeps only the new plan).
    rows_class = getattr(queryset._iterable_class, "rows_class", queryset._iterable_class)
    plan = {"plan": (selection, access, single), "rows_class": rows_class}
    queryset._iterable_class = type("PopulatingRows", (_Populating, rows_class), plan)
    return queryset


def find_one(content_type: ContentType, selection: Selection, access: Access, field: str, value):
    """The row of ``content_type`` whose ``field`` (unique: ``document_id``, ``pk``, ``user``) is ``value``,
    if ``access`` may read it, populated as ``selection`` says (findOne); None if there is none.

    Its query is kept compiled, as the populate's are (``api.query.kept``), so that a findOne builds no
    queryset once its shape has been read.
    """
    loaded = columns(selection, access)

    def build():
        readable = _joined(visible(content_type, access).only(*loaded), selection)
        return as_rows(readable.filter(AnyOf(F(field), KEYS)).order_by("pk")[:1])

    key = ("one", content_type.plural, field, tuple(loaded), _annotated(selection), _visible_to(content_type, access))
    rows = kept(key, build).rows([value])
    _populate(rows, selection, access, single=True)
    return rows[0] if rows else None


def _joined(queryset, selection: Selection):
    """Into the rows' query: the media the selection populates, and the values its type's batch loader
    would otherwise read (``ContentType.annotations``) when it shows an attribute computed from them."""
    attrs = _media_attrs(selection)
    queryset = queryset.select_related(*attrs) if attrs else queryset
    if _annotated(selection):
        queryset = queryset.annotate(**selection.content_type.annotations())
    return queryset


def _annotated(selection: Selection) -> bool:
    """Whether ``_joined`` reads the type's ``annotations`` with the selection's rows."""
    content_type = selection.content_type
    return content_type.annotations is not None and any(a.compute and a.prepared for a in selection.attributes)


class _Populating:
    """Mixed into a queryset's iterable by ``with_populate``: the rows are read, then populated. Every
    evaluation populates (``iterator()`` too, which then reads the whole result first)."""

    plan: tuple
    rows_class: type

    def __iter__(self):
        rows = list(super().__iter__())
        selection, access, single = self.plan
        _populate(rows, selection, access, single)
        return iter(rows)


def _populate(rows: list, selection: Selection, access: Access, single: bool) -> None:
    """Load each populated relation of ``rows``, then those below it on the rows it found."""
    for item in selection.populate.values():
        if item.kind != "relation" or not rows:
            continue
        found = _load(rows, item, access, single)
        if found and item.selection.populate:
            _populate(list({id(row): row for row in found}.values()), item.selection, access, False)


def _load(rows: list, item: PopulateItem, access: Access, single: bool) -> list:
    """One relation of ``rows``, in one query (a through relation: its links, then their targets); returns
    the related rows found, each matched to its row by key. Each query is kept compiled for the next
    request that populates the same relation the same way (``api.query.kept``)."""
    relation = item.spec
    to_attr = cache_attr(relation.name)
    target_type = item.selection.content_type
    loaded = columns(item.selection, access)
    ordering = item.ordering or relation.default_ordering
    shape = _shape(item, access, loaded)

    def readable():
        return filtered(visible(target_type, access), item.filters)

    def targets(*also: str):
        return as_rows(_joined(readable().only(*loaded, *also), item.selection))

    if relation.through:
        join = single and not item.selection.populate
        return _load_through(rows, relation, (readable, targets), item, access, shape, join=join)
    field = item.owner_model._meta.get_field(relation.attr)
    if field.one_to_many or (field.one_to_one and field.auto_created):
        back_key = field.field
        # A reverse key's rows keep their key back to the owner, which matches each to it.
        query = kept(
            shape and ("back", *shape),
            lambda: targets(back_key.name).order_by(*ordering, "pk").filter(AnyOf(F(back_key.attname), KEYS)),
        )
        return _by_back_key(rows, back_key, query, to_attr, many=relation.many)
    if field.many_to_one or field.one_to_one:
        # Matched by key: no order needed of the database.
        query = kept(shape and ("key", *shape), lambda: targets().order_by().filter(AnyOf(F("pk"), KEYS)))
        return _by_key(rows, field, query, to_attr)
    # Many-to-many: each target comes with the key of the owner it was found for, through the link table.
    owner = f"{field.field.name if field.auto_created else field.related_query_name()}__pk"
    query = kept(
        shape and ("many", *shape),
        lambda: targets().filter(AnyOf(F(owner), KEYS)).annotate(**{_OWNER: F(owner)}).order_by(*ordering, "pk"),
    )
    found = query.rows(row.pk for row in rows)
    by_owner: dict = {}
    for row in found:
        by_owner.setdefault(getattr(row, _OWNER), []).append(row)
    for row in rows:
        setattr(row, to_attr, by_owner.get(row.pk, []))
    return found


# The annotation that carries a many-to-many target's owner key.
_OWNER = "_api_owner_key"


def _shape(item: PopulateItem, access: Access, loaded: list[str]) -> tuple | None:
    """What the queries of ``item`` are built from, to keep them by (None: not kept, when the populate
    filters: its values vary from one request to the next)."""
    if item.filters is not None:
        return None
    visible_to = _visible_to(item.selection.content_type, access)
    # An ``owner_only`` relation's links are the caller's own (``Relation.links_to``).
    owner = access.member_id if getattr(item.spec, "owner_only", None) else None
    shape = (item.spec, item.owner_model, tuple(loaded), _annotated(item.selection), tuple(item.ordering))
    return (*shape, visible_to, owner)


def _visible_to(content_type: ContentType, access: Access) -> tuple:
    """What ``visible(content_type, access)`` is built from, as a key (the member's id is in the condition
    where it counts: a type whose owners see their hidden rows)."""
    return (access.include_private, access.drafts, visibility(content_type, access))


def _by_back_key(rows: list, key, query: KeptQuery, to_attr: str, many: bool = True) -> list:
    """A reverse foreign key (a profile's questions): the rows whose ``key`` names one of ``rows``, each
    told its owner (as Django's own prefetch does, so that reading it back costs no query)."""
    owners = {row.pk: row for row in rows}
    found = query.rows(owners)
    by_owner: dict = {}
    for row in found:
        owner_id = getattr(row, key.attname)
        by_owner.setdefault(owner_id, []).append(row)
        key.set_cached_value(row, owners[owner_id])
    for row in rows:
        value = by_owner.get(row.pk, [])
        setattr(row, to_attr, value if many else (value[0] if value else None))
    return found


def _by_key(rows: list, field, query: KeptQuery, to_attr: str | None) -> list:
    """A foreign key of ``rows`` (a reply's question): the rows it names, or None where it names none the
    caller may read. Into ``to_attr``, or into the key's own cache when ``to_attr`` is None."""
    keys = {getattr(row, field.attname) for row in rows} - {None}
    found = {row.pk: row for row in query.rows(keys)} if keys else {}
    one_to_one = not field.remote_field.multiple
    for row in rows:
        target = found.get(getattr(row, field.attname))
        if to_attr is None:
            field.set_cached_value(row, target)
        else:
            setattr(row, to_attr, target)
        if one_to_one and target is not None:  # the target knows its row back, as Django's prefetch tells it
            field.remote_field.set_cached_value(target, row)
    return list(found.values())


def _load_through(
    rows: list, relation, targets: tuple, item: PopulateItem, access: Access, shape: tuple | None, join: bool = False
) -> list:
    """Links (e.g. awards) in the targets' order, each with its target (read as ``link.<through>``).

    For many parents the targets are read once each, however many links share them; for one parent
    with nothing populated below the targets, they are joined to the links (one query). ``targets`` makes
    the querysets of the rows the links may point at: the condition alone, and the rows as read.
    """
    readable, read = targets
    model = relation.link_model(item.owner_model)
    ordering = [_prefixed(term, f"{relation.through}__") for term in item.ordering]
    to_attr = cache_attr(relation.name)
    back_key = item.owner_model._meta.get_field(relation.attr).field
    by_owner = AnyOf(F(back_key.attname), KEYS)

    def links():
        return relation.links_to(item.owner_model, readable(), access).filter(by_owner).order_by(*ordering, "pk")

    if join:

        def joined():
            target_fields = columns(item.selection, access)
            fields = [f"{relation.through}__{name}" for name in target_fields]
            revision = [f"{relation.through}__latest_revision"] if "latest_revision" in target_fields else []
            related = [relation.through, *revision]
            return links().select_related(*related).only(*_link_columns(model, relation), *fields)

        _by_back_key(rows, back_key, kept(shape and ("joined links", *shape), joined), to_attr)
        return []
    link_query = kept(shape and ("links", *shape), lambda: links().only(*_link_columns(model, relation)))
    found_links = _by_back_key(rows, back_key, link_query, to_attr)
    target_query = kept(shape and ("key", *shape), lambda: read().order_by().filter(AnyOf(F("pk"), KEYS)))
    return _by_key(found_links, model._meta.get_field(relation.through), target_query, None)


def _link_columns(model, relation) -> list[str]:
    """A link row needs its two foreign keys, and the fields a component list shows of it."""
    keys = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
    return keys + [attr for _name, attr in relation.link_fields]


def _prefixed(term: str, prefix: str) -> str:
    return f"-{prefix}{term[1:]}" if term.startswith("-") else f"{prefix}{term}"


def prepare(rows: list, selection: Selection) -> None:
    """Run each content type's batch loader once over all of its rows in the result tree.

    Raises ``ValidationError`` when the populated relations hold more rows than a response may
    (``API_POPULATE_MAX_ROWS``), before any of them is serialized.
    """
    batches: dict = {}
    images: list = []
    populated = _collect(rows, selection, batches, images)
    limit = settings.API_POPULATE_MAX_ROWS
    if populated > limit:
        raise ValidationError(
            f"The populate returns {populated} related rows, more than the {limit} one response may hold "
            "(API_POPULATE_MAX_ROWS): narrow it with filters or fields inside the populate, a smaller "
            "pageSize, or fewer relations",
            {"key": "populate", "source": "query", "param": "populate", "limit": limit, "rows": populated},
        )
    attach_formats(images)
    for content_type, objects in batches.values():
        content_type.prepare(list({id(obj): obj for obj in objects}.values()))


def _collect(rows: list, selection: Selection, batches: dict, images: list) -> int:
    """Gather the rows each batch loader needs, and the images; returns how many related rows the tree
    holds (every occurrence: a team populated under ten profiles is ten in the response)."""
    populated = 0
    content_type = selection.content_type
    if rows and content_type.prepare is not None and any(a.compute and a.prepared for a in selection.attributes):
        batches.setdefault(content_type.plural, (content_type, []))[1].extend(rows)
    for attr in _media_attrs(selection):
        images += [image for image in (getattr(row, attr) for row in rows) if image is not None]
    for item in selection.populate.values():
        if item.kind != "relation":
            continue
        found = []
        for row in rows:
            value = related(row, item.spec.name)
            if item.spec.through:
                found += [getattr(link, item.spec.through) for link in value]
            elif item.spec.many:
                found += value
            elif value is not None:
                found.append(value)
        found = [r for r in found if r is not None]
        populated += len(found) + _collect(found, item.selection, batches, images)
    return populated
