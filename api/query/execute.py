"""Querysets for a selection: visibility, filters, sort and the prefetches that keep it to a fixed number of queries."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q

from api.errors import ValidationError
from api.media import IMAGE_FIELDS, attach_formats
from api.query.access import Access, visibility
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
    """Join the populated media into the rows' query and add one prefetch per populated relation, recursively.

    Relations' rows land in plain attributes (``to_attr``), so reading them needs no manager or queryset;
    images in their foreign key's cache. ``single`` says the queryset yields one row (findOne): links are
    then joined to their targets. Every level is read as rows (``api.query.rows``).
    """
    queryset = as_rows(_joined_media(queryset, selection))
    lookups = _lookups(selection, access, single, prefix="")
    return queryset.prefetch_related(*lookups) if lookups else queryset


def _joined_media(queryset, selection: Selection):
    attrs = _media_attrs(selection)
    return queryset.select_related(*attrs) if attrs else queryset


def _lookups(selection: Selection, access: Access, single: bool, prefix: str) -> list[Prefetch]:
    """The prefetches of a selection's relations and, after each, those below it, as one flat list of paths
    through the ``to_attr`` lists. Nested in each other's querysets instead, Django (5.2) runs a reverse
    foreign key's inner prefetches twice, and loads each row's image again the second time."""
    lookups = []
    for item in selection.populate.values():
        if item.kind == "relation":
            lookups += _relation_lookups(item, access, single, prefix)
    return lookups


def _relation_lookups(item: PopulateItem, access: Access, single: bool, prefix: str) -> list[Prefetch]:
    target = item.selection.content_type
    queryset = filtered(visible(target, access), item.filters)
    relation = item.spec
    to_attr = cache_attr(relation.name)
    if relation.through:
        return _through_lookups(relation, queryset, item, access, prefix, join=single and not item.selection.populate)
    ordering = item.ordering or relation.default_ordering
    queryset = queryset.order_by(*ordering, "pk")
    queryset = queryset.only(*columns(item.selection, access), *_back_key(item.owner_model, relation.attr))
    prefetch = Prefetch(
        prefix + relation.attr, queryset=as_rows(_joined_media(queryset, item.selection)), to_attr=to_attr
    )
    return [prefetch, *_lookups(item.selection, access, False, f"{prefix}{to_attr}__")]


def _through_lookups(relation, targets, item: PopulateItem, access: Access, prefix: str, join: bool = False):
    """Links (e.g. awards) in the targets' order, each with its target.

    For many parents the targets are prefetched (one object per distinct target, however many links
    share it); for one parent with nothing populated below the targets, they are joined (one query).
    """
    model = relation.link_model(item.owner_model)
    links = relation.links_to(item.owner_model, targets, access)
    ordering = [_prefixed(term, f"{relation.through}__") for term in item.ordering]
    to_attr = cache_attr(relation.name)
    if join:
        target_fields = columns(item.selection, access)
        fields = [f"{relation.through}__{name}" for name in target_fields]
        related = [relation.through] + [f"{relation.through}__latest_revision"] * ("latest_revision" in target_fields)
        joined = links.select_related(*related).only(*_link_columns(model, relation), *fields)
        return [Prefetch(prefix + relation.attr, queryset=as_rows(joined.order_by(*ordering, "pk")), to_attr=to_attr)]
    links = as_rows(links.order_by(*ordering, "pk").only(*_link_columns(model, relation)))
    target_queryset = as_rows(_joined_media(targets.only(*columns(item.selection, access)), item.selection))
    # The targets go into the link's foreign key cache: read as ``link.<through>``.
    through = f"{prefix}{to_attr}__{relation.through}"
    return [
        Prefetch(prefix + relation.attr, queryset=links, to_attr=to_attr),
        Prefetch(through, queryset=target_queryset),
        *_lookups(item.selection, access, False, f"{through}__"),
    ]


def _back_key(owner_model, attr: str) -> tuple[str, ...]:
    """For a reverse foreign key (a question's replies), the related rows' key back to their owner: the
    prefetch needs it to attach each row, and reloads every row on its own when ``only`` leaves it out."""
    model_field = owner_model._meta.get_field(attr)
    reverse = model_field.one_to_many or (model_field.one_to_one and model_field.auto_created)
    return (model_field.field.name,) if reverse else ()


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
