"""The admin's list views: one set of queries per page, however many rows it shows.

Every community snippet viewset lists through ``CommunityIndexView`` (a test walks the registered
viewsets and holds each list's query count constant in its rows), so a column showing a related
object or a publishing status costs one query for the page, never one per row.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, OneToOneField
from wagtail.admin.ui.tables import BaseColumn
from wagtail.models import DraftStateMixin, Revision
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet


def shown_relations(model, list_display) -> list[str]:
    """The foreign keys among the list's columns (``author``, ``group``, ``question__topic`` …), for
    ``select_related``: each row shows its related object's name, which would otherwise be a query. A
    model whose name reads further rows says which in ``str_relations`` (a profile: its account)."""
    relations = []
    for item in list_display:
        name = item.name if isinstance(item, BaseColumn) else item
        if name == "__str__":
            relations += getattr(model, "str_relations", ())
        if not isinstance(name, str):
            continue
        path, current = [], model
        for part in name.split("__"):
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not isinstance(field, ForeignKey | OneToOneField) or field.auto_created:
                break
            path.append(part)
            current = field.related_model
        if path:
            relations.append("__".join(path))
            relations += ["__".join([*path, further]) for further in getattr(current, "str_relations", ())]
    return relations


def attach_scheduled_revisions(objects) -> None:
    """Fill each object's ``scheduled_revision`` (which the status column reads) from one query.

    Wagtail's ``DraftStateMixin.scheduled_revision`` is a cached property asking the database per
    object; pages have ``annotate_approved_schedule`` for their listings, snippets have nothing, so
    the answer is put where the cached property keeps it.
    """
    objects = list(objects)
    if not objects:
        return
    model = type(objects[0])
    scheduled = {}
    revisions = Revision.objects.filter(
        base_content_type=model.get_base_content_type(),
        object_id__in=[str(obj.pk) for obj in objects],
        approved_go_live_at__isnull=False,
    ).order_by("-pk")
    for revision in revisions:  # newest first, so the oldest is kept: what the property's .first() finds
        scheduled[revision.object_id] = revision
    for obj in objects:
        obj.__dict__["scheduled_revision"] = scheduled.get(str(obj.pk))


class CommunityIndexView(IndexView):
    """A snippet list whose related columns and status tags are read for the whole page at once."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        relations = shown_relations(self.model, self.list_display)
        return queryset.select_related(*relations) if relations else queryset

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if issubclass(self.model, DraftStateMixin):
            object_list = list(object_list)
            attach_scheduled_revisions(object_list)
        return paginator, page, object_list, is_paginated


class CommunitySnippetViewSet(SnippetViewSet):
    """The project's snippet viewset: lists through ``CommunityIndexView``."""

    index_view_class = CommunityIndexView
