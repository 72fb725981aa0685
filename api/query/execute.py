"""Querysets for a selection: visibility, filters, sort and the prefetches that keep it to a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from api.media import image_queryset
from api.query.selection import Access, PopulateItem, Selection
from api.registry import ContentType


def visible(content_type: ContentType, access: Access):
    """All rows of a content type the caller may read: published ones unless drafts were asked for."""
    queryset = content_type.model._default_manager.all()
    if content_type.queryset is not None:
        queryset = content_type.queryset(queryset)
    if content_type.draft_and_publish:
        queryset = queryset.select_related("latest_revision") if access.drafts else queryset.filter(live=True)
    return queryset


def filtered(queryset, q: Q | None, touches_many: bool):
    """Apply a filter; through a to-many relation, as a sub-query so that no row repeats."""
    if q is None or not q:
        return queryset
    if touches_many:
        return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


def with_populate(queryset, selection: Selection, access: Access):
    """Add one prefetch per populated relation or media field, recursively."""
    lookups = [_prefetch(item, access) for item in selection.populate.values() if item.kind != "component"]
    for item in selection.populate.values():
        if item.kind == "component":
            lookups += [Prefetch(child.spec.attr, queryset=image_queryset()) for child in item.children.values()]
    return queryset.prefetch_related(*lookups) if lookups else queryset


def _prefetch(item: PopulateItem, access: Access) -> Prefetch:
    if item.kind == "media":
        return Prefetch(item.spec.attr, queryset=image_queryset())
    target = item.selection.content_type
    queryset = filtered(visible(target, access), item.filters, item.touches_many)
    relation = item.spec
    if relation.through:
        return _through_prefetch(relation, queryset, item, access)
    queryset = queryset.order_by(*item.ordering, "pk") if item.ordering else queryset.order_by("pk")
    return Prefetch(relation.attr, queryset=with_populate(queryset, item.selection, access))


def _through_prefetch(relation, targets, item: PopulateItem, access: Access) -> Prefetch:
    """Links (e.g. awards) in the target's order, each with its target prefetched: two queries."""
    links = link_model(relation, item).objects.filter(
        **dict(relation.through_filter), **{f"{relation.through}__in": targets}
    )
    ordering = [_prefixed(term, f"{relation.through}__") for term in item.ordering]
    links = links.order_by(*ordering, "pk")
    target_queryset = with_populate(targets, item.selection, access)
    return Prefetch(
        relation.attr, queryset=links.prefetch_related(Prefetch(relation.through, queryset=target_queryset))
    )


def link_model(relation, item: PopulateItem):
    """The link model behind a ``through`` relation (the model of the reverse foreign key)."""
    return item.owner_model._meta.get_field(relation.attr).related_model


def _prefixed(term: str, prefix: str) -> str:
    return f"-{prefix}{term[1:]}" if term.startswith("-") else f"{prefix}{term}"
