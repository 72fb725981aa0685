"""Rows → Strapi JSON: the flat v5 shape, or v4's ``{id, attributes}`` with ``{data}``-wrapped relations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from api.media import file_object
from api.query.execute import related
from api.query.selection import Access, PopulateItem, Selection
from api.query.values import format_date, format_datetime

# The types most values have, which go into the JSON as they are: checked first, in one lookup.
_AS_THEY_ARE = frozenset({str, int, bool, float, type(None), dict, list})


def _value(value):
    if value.__class__ in _AS_THEY_ARE:
        return value
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _v4(data: dict) -> dict:
    """Strapi 5's v4 shape: ``id`` and ``documentId`` beside the ``attributes``."""
    entry = {"id": data.pop("id"), "documentId": data.pop("documentId", None)}
    entry["attributes"] = data
    return entry


class Serializer:
    def __init__(self, access: Access, v4: bool = False):
        self.access = access
        self.v4 = v4
        # The same row populated under many parents (a team under each of its members) is
        # serialized once per selection and shared; so is each image's file object.
        self._done: dict[tuple, dict] = {}
        self._files: dict[int, dict] = {}

    def entry(self, obj, selection: Selection) -> dict:
        key = (selection.content_type.plural, obj.pk, id(selection))
        done = self._done.get(key)
        if done is None:
            done = self._done[key] = self._entry(obj, selection)
        return done

    def _entry(self, obj, selection: Selection) -> dict:
        content_type = selection.content_type
        source = self._draft_of(obj) if content_type.draft_and_publish and self.access.drafts else obj
        data = {"id": obj.pk, "documentId": obj.document_id}
        for attribute in selection.attributes:
            raw = attribute.compute(source) if attribute.compute else getattr(source, attribute.attr)
            data[attribute.name] = _value(raw)
        for name in selection.system_fields:
            data[name] = self._system(source, obj, name, content_type)
        for name, item in selection.populate.items():
            data[name] = self._populated(obj, source, item)
        if self.v4:
            return _v4(data)
        return data

    def entries(self, objects, selection: Selection) -> list[dict]:
        return [self.entry(obj, selection) for obj in objects]

    def _system(self, source, obj, name: str, content_type) -> str | None:
        if name == "createdAt":
            return format_datetime(obj.created_at)
        if name == "updatedAt":
            return format_datetime(source.updated_at)
        if not content_type.draft_and_publish:
            if content_type.unpublished_by and getattr(obj, content_type.unpublished_by):
                return None
            return format_datetime(obj.created_at)
        if self.access.drafts and not self.v4:
            return None  # Strapi v5: the draft version of a document has no publishedAt
        return format_datetime(obj.last_published_at) if obj.live else None

    def _draft_of(self, obj):
        """The latest draft of a published object with unpublished changes; the row itself otherwise."""
        if not getattr(obj, "has_unpublished_changes", False) or obj.latest_revision_id is None:
            return obj
        cached = getattr(obj, "_api_draft", None)
        if cached is None:
            cached = obj._api_draft = obj.latest_revision.as_object()
        return cached

    def _populated(self, obj, source, item: PopulateItem):
        if item.kind == "media":
            return self._media(getattr(obj, item.spec.attr), item.file_fields)
        if item.kind == "component":
            return self._component(source, obj, item)
        value = related(obj, item.spec.name)
        if item.spec.link_entry:
            return [self._link(link, item) for link in value if getattr(link, item.spec.through) is not None]
        if item.spec.through:
            targets = [getattr(link, item.spec.through) for link in value]
            rows = self.entries([target for target in targets if target is not None], item.selection)
            return {"data": rows} if self.v4 else rows
        if item.spec.many:
            rows = self.entries(value, item.selection)
            return {"data": rows} if self.v4 else rows
        row = self.entry(value, item.selection) if value is not None else None
        return {"data": row} if self.v4 else row

    def _link(self, link, item: PopulateItem) -> dict:
        """One entry of a component list: the link's id and fields, its target under ``link_entry``
        (``{data}``-wrapped in v4, as a component's relation is)."""
        relation = item.spec
        entry = self.entry(getattr(link, relation.through), item.selection)
        data = {"id": link.pk, **{name: _value(getattr(link, attr)) for name, attr in relation.link_fields}}
        data[relation.link_entry] = {"data": entry} if self.v4 else entry
        return data

    def _media(self, image, fields: tuple[str, ...] | None = None):
        if image is None:
            return {"data": None} if self.v4 else None
        data = self._files.get(image.pk)
        if data is None:
            data = self._files[image.pk] = file_object(image)
        if fields is not None:  # ``fields`` of the media populate: its keys, beside id and documentId
            data = {key: data[key] for key in ("id", "documentId", *fields)}
        if self.v4:
            return {"data": _v4(dict(data))}
        return data

    def _component(self, source, obj, item: PopulateItem) -> dict | list:
        component = item.spec
        data = {"id": obj.pk}
        for attribute in component.attributes:
            raw = attribute.compute(source) if attribute.compute else getattr(source, attribute.attr)
            data[attribute.name] = _value(raw)
        for name, child in item.children.items():
            data[name] = self._media(getattr(obj, child.spec.attr))
        if component.repeatable:
            return [data] if any(data[a.name] not in (None, "") for a in component.attributes) else []
        return data
