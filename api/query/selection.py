"""What a request asks for of a content type: ``fields``, ``populate`` (recursive), ``sort``, ``pagination``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Q

from api.errors import PaginationError, ValidationError, invalid_key
from api.media import FILE_FIELDS
from api.query.access import Access
from api.query.filters import SYSTEM_ATTRIBUTES, FilterBuilder
from api.query.values import parse_bool, parse_int
from api.registry import Attribute, Component, ContentType, Media, Relation

SYSTEM_FIELDS = ("createdAt", "updatedAt", "publishedAt")


@dataclass
class Selection:
    """The fields of one content type to return, and what to populate below it."""

    content_type: ContentType
    attributes: list[Attribute]
    system_fields: tuple[str, ...]
    populate: dict[str, PopulateItem] = field(default_factory=dict)


@dataclass
class PopulateItem:
    name: str
    kind: str  # "relation" | "media" | "component"
    spec: Relation | Media | Component
    selection: Selection | None = None  # relations
    filters: Q | None = None
    ordering: list[str] = field(default_factory=list)
    children: dict[str, PopulateItem] = field(default_factory=dict)  # a component's media
    file_fields: tuple[str, ...] | None = None  # media: the file object's keys asked for (None: all)
    owner_model: type | None = None  # the model the relation starts from


# Parsed selections kept for the next request asking the same (``parsed_selection``), at most this many.
PARSED_MAX = 256
_parsed: dict = {}
_parsed_lock = threading.Lock()


def parsed_selection(registry, access: Access, content_type: ContentType, fields_raw, populate_raw, lenient: bool):
    """``SelectionParser(...).selection(...)`` of a request, kept for the next that asks the same of
    ``content_type`` with the same access: the parse was a twentieth of a populated findOne's time, and the
    same page asks the same again. A kept selection is shared: nothing changes a selection once parsed.
    Forgotten when a setting changes (the depth limit is one)."""
    finds = tuple(other.plural for other in registry.all() if access.may_find(other.plural))
    # What the parse reads of the access (a populate's filters read more, and are not kept). Not the
    # member's id: every signed-in member would have a selection of their own.
    visibility = (access.include_private, access.drafts, finds)
    key = (content_type.plural, repr(fields_raw), repr(populate_raw), lenient, visibility)
    with _parsed_lock:
        selection = _parsed.pop(key, None)  # put back last: the most recently used
    if selection is None:
        selection = SelectionParser(registry, access, lenient).selection(content_type, fields_raw, populate_raw)
        if _filters(selection):
            return selection  # not kept: a filter may have read rows while parsed (``FilterBuilder``)
    with _parsed_lock:
        if len(_parsed) >= PARSED_MAX:
            del _parsed[next(iter(_parsed))]
        _parsed[key] = selection
    return selection


def _filters(selection: Selection) -> bool:
    """Whether a populate in ``selection`` filters, at any depth."""
    items = selection.populate.values()
    return any(item.filters is not None or (item.selection is not None and _filters(item.selection)) for item in items)


def forget_parsed(**kwargs) -> None:
    """Forget the kept selections."""
    with _parsed_lock:
        _parsed.clear()


setting_changed.connect(forget_parsed, dispatch_uid="api.query.selection.forget_parsed")


class SelectionParser:
    def __init__(self, registry, access: Access, lenient: bool = False):
        self.registry = registry
        self.access = access
        # Strapi v4 ignored populate names that are not attributes; v5 refuses them. Clients that
        # ask for the v4 shape were written against v4's leniency.
        self.lenient = lenient

    # fields ---------------------------------------------------------------------------------------

    def fields(self, content_type: ContentType, raw, path: str = "fields") -> tuple[list[Attribute], tuple[str, ...]]:
        visible = [a for a in content_type.attributes if self.access.include_private or not a.private]
        if raw is None or raw == "*" or raw == ["*"]:
            return visible, SYSTEM_FIELDS
        names = _names(raw, path)
        by_name = {a.name: a for a in visible}
        chosen, system = [], []
        for name in names:
            if name in by_name:
                chosen.append(by_name[name])
            elif name in SYSTEM_FIELDS:
                system.append(name)
            elif name in ("id", "documentId"):
                continue  # always returned
            elif self.lenient and name not in content_type.attribute_map:
                continue  # Strapi 4's sanitizer dropped fields the type does not have
            else:
                raise invalid_key(name, path=path)
        return chosen, tuple(system)

    # populate -------------------------------------------------------------------------------------

    def selection(
        self, content_type: ContentType, fields_raw, populate_raw, path: str = "", depth: int = 0
    ) -> Selection:
        attributes, system = self.fields(content_type, fields_raw, f"{path}[fields]" if path else "fields")
        selection = Selection(content_type, attributes, system)
        selection.populate = self.populate(
            content_type, populate_raw, f"{path}[populate]" if path else "populate", depth
        )
        return selection

    def populate(self, content_type: ContentType, raw, path: str, depth: int) -> dict[str, PopulateItem]:
        if raw is None or raw is False or raw in ("false", ""):
            return {}
        limit = settings.API_POPULATE_MAX_DEPTH
        if depth >= limit:
            raise ValidationError(
                f"{path} is nested deeper than the {limit} levels a request may populate (API_POPULATE_MAX_DEPTH): "
                "populate fewer levels, or read the deeper rows with their own request",
                {"key": "populate", "path": path, "source": "query", "param": "populate", "limit": limit},
            )
        if raw in ("*", True, "true") or raw == ["*"]:
            return {name: self._item(content_type, name, None, path, depth) for name in self._populatable(content_type)}
        if isinstance(raw, str | list):
            return self._from_paths(content_type, _names(raw, path), path, depth)
        if isinstance(raw, dict):
            items = {}
            for name, options in raw.items():
                if options in (False, "false"):
                    continue
                item = self._item(content_type, name, options, f"{path}[{name}]", depth)
                if item is not None:
                    items[name] = item
            return items
        raise ValidationError(f"Invalid {path}: expected *, a list of names or an object")

    def _from_paths(self, content_type, names: list[str], path: str, depth: int) -> dict[str, PopulateItem]:
        """``["teams", "teams.profiles", "avatar"]``: dotted names populate nested relations."""
        tree: dict = {}
        for name in names:
            if name == "*":
                for populatable in self._populatable(content_type):
                    tree.setdefault(populatable, {})
                continue
            node = tree
            for part in name.split("."):
                node = node.setdefault(part, {})

        def to_options(node: dict):
            return {"populate": {k: to_options(v) for k, v in node.items()}} if node else True

        items = {}
        for name, node in tree.items():
            item = self._item(content_type, name, to_options(node), f"{path}[{name}]", depth)
            if item is not None:
                items[name] = item
        return items

    def _populatable(self, content_type: ContentType) -> list[str]:
        names = content_type.populatable(include_private=self.access.include_private)
        return [name for name in names if self._may_find_through(content_type, name)]

    def _may_find_through(self, content_type: ContentType, name: str) -> bool:
        """A relation populates only into a type the caller may find (the role matrix, the token's scope)."""
        relation = content_type.relation_map.get(name)
        return relation is None or self.access.may_find(relation.target)

    def _item(self, content_type: ContentType, name: str, options, path: str, depth: int) -> PopulateItem | None:
        if options in (True, "true", "*", None):
            options = {}
        if not isinstance(options, dict):
            raise ValidationError(f"Invalid {path}: expected true, * or an object")
        unknown = set(options) - {"fields", "filters", "sort", "populate", "count", "on"}
        # Strapi v4 passed a populate object's other keys to the query engine, which ignored them
        # (posthog.com sends ``select``); v5 refuses them.
        if unknown and not self.lenient:
            raise invalid_key(sorted(unknown)[0], path=path)
        allowed = self._populatable(content_type)
        if name in content_type.attribute_map and name not in allowed:
            return None  # a scalar attribute is always there: populating it is a no-op, as Strapi v4 allowed
        if name in content_type.relation_map and not self._may_find_through(content_type, name):
            return None  # left out, as Strapi's sanitizer leaves out what the caller may not read
        if name not in allowed:
            if self.lenient and name not in content_type.populatable(include_private=True):
                return None
            raise invalid_key(name, path=path)

        if name in content_type.relation_map:
            relation = content_type.relation_map[name]
            target = self.registry.get(relation.target)
            item = PopulateItem(name, "relation", relation, owner_model=content_type.model)
            fields, populate, at = options.get("fields"), options.get("populate"), path
            if relation.link_entry:
                # The options name the component's entry: populate[achievements][populate][achievement].
                fields, populate, at = _entry_options(relation.link_entry, populate, path)
            item.selection = self.selection(target, fields, populate, at, depth + 1)
            if "filters" in options:
                builder = FilterBuilder(self.registry, self.access)
                item.filters = builder.build(target, options["filters"], path=f"{path}[filters]")
            item.ordering = parse_sort(target, options.get("sort"), f"{path}[sort]", self.access)
            if relation.through and not all(isinstance(term, str) for term in item.ordering):
                raise ValidationError(
                    f"Invalid {path}[sort]: {name} sorts by its entries' own fields, not by computed ones",
                    {"key": "sort", "path": f"{path}[sort]", "source": "query", "param": "populate"},
                )
            return item
        if name in content_type.media_map:
            item = PopulateItem(name, "media", content_type.media_map[name])
            item.file_fields = _file_fields(options.get("fields"), f"{path}[fields]", self.lenient)
            return item
        component = content_type.component_map[name]
        item = PopulateItem(name, "component", component)
        nested = options.get("populate")
        if nested in ("*", True, "true") or nested == ["*"]:
            nested = [m.name for m in component.media]
        for media_name in _names(nested, f"{path}[populate]") if isinstance(nested, str | list) else list(nested or {}):
            media = next((m for m in component.media if m.name == media_name), None)
            if media is None:
                raise invalid_key(media_name, path=f"{path}[populate]")
            item.children[media_name] = PopulateItem(media_name, "media", media)
        return item


def _file_fields(raw, path: str, lenient: bool) -> tuple[str, ...] | None:
    """The file object's keys a media populate's ``fields`` asks for (beside id and documentId); None: all."""
    if raw is None or raw == "*" or raw == ["*"]:
        return None
    chosen = []
    for name in _names(raw, path):
        if name in FILE_FIELDS:
            chosen.append(name)
        elif name not in ("id", "documentId") and not lenient:
            raise invalid_key(name, path=path)
    return tuple(chosen)


def _entry_options(entry: str, populate, path: str):
    """``fields`` and ``populate`` of a component list's entry, from the list's own ``populate``."""
    if populate in (None, "", False, "false", "*", True, "true") or populate == ["*"]:
        return None, None, f"{path}[populate][{entry}]"
    if isinstance(populate, str | list):
        nested = [name.partition(".")[2] for name in _names(populate, path) if name.partition(".")[0] == entry]
        return None, [n for n in nested if n] or None, f"{path}[populate][{entry}]"
    if not isinstance(populate, dict):
        raise ValidationError(f"Invalid {path}[populate]: expected *, a list of names or an object")
    unknown = set(populate) - {entry}
    if unknown:
        raise invalid_key(sorted(unknown)[0], path=f"{path}[populate]")
    options = populate.get(entry)
    options = options if isinstance(options, dict) else {}
    return options.get("fields"), options.get("populate"), f"{path}[populate][{entry}]"


def _names(raw, path: str) -> list[str]:
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return [part.strip() for item in raw for part in item.split(",") if part.strip()]
    raise ValidationError(f"Invalid {path}: expected a name or a list of names")


def parse_sort(content_type: ContentType, raw, path: str, access: Access) -> list[str]:
    """``title``, ``title:desc``, lists of those, or ``{title: "desc"}`` → Django ``order_by`` terms."""
    if raw in (None, ""):
        return []
    if isinstance(raw, dict):
        terms = [f"{key}:{value}" for key, value in raw.items()]
    elif isinstance(raw, list):
        terms = []
        for item in raw:
            terms.extend([f"{k}:{v}" for k, v in item.items()] if isinstance(item, dict) else _names(item, path))
    else:
        terms = _names(raw, path)
    ordering = []
    for term in terms:
        name, _, direction = term.partition(":")
        direction = (direction or "asc").lower()
        if direction not in ("asc", "desc"):
            raise ValidationError(f"Invalid {path}: the direction of {name} must be asc or desc, not {direction}")
        column = _sort_column(content_type, name.strip(), path, access)
        if isinstance(column, str):
            ordering.append(("-" if direction == "desc" else "") + column)
        else:
            ordering.append(column.desc() if direction == "desc" else column.asc())
    return ordering


def _sort_column(content_type: ContentType, name: str, path: str, access: Access):
    if name in SYSTEM_ATTRIBUTES:
        return SYSTEM_ATTRIBUTES[name][0]
    if name == "publishedAt":
        return "last_published_at" if content_type.draft_and_publish else "created_at"
    attribute = content_type.attribute_map.get(name)
    if attribute and (access.include_private or not attribute.private):
        if attribute.compute is None:
            return attribute.attr
        if attribute.expression is not None:
            return attribute.expression()
    raise invalid_key(name, path=path)


@dataclass
class Pagination:
    offset: int
    limit: int
    with_count: bool
    page_style: bool  # page/pageSize, else start/limit

    def meta(self, total: int | None) -> dict:
        if self.page_style:
            meta = {"page": self.offset // self.limit + 1, "pageSize": self.limit}
            if total is not None:
                meta["pageCount"] = -(-total // self.limit) if total else 0
                meta["total"] = total
            return meta
        meta = {"start": self.offset, "limit": self.limit}
        if total is not None:
            meta["total"] = total
        return meta


def pagination_from_query(query_params) -> Pagination:
    """``pagination[page]``, ``pagination[pageSize]`` … from a flat query string (endpoints without filters)."""
    raw = {k[len("pagination[") : -1]: v for k, v in query_params.items() if k.startswith("pagination[")}
    return parse_pagination(raw or None)


def parse_pagination(raw) -> Pagination:
    default = settings.API_PAGINATION_DEFAULT
    maximum = settings.API_PAGINATION_MAX
    if raw in (None, ""):
        return Pagination(0, default, True, True)
    if not isinstance(raw, dict):
        raise ValidationError(
            "Invalid pagination: expected pagination[page], pagination[pageSize], "
            "pagination[start] or pagination[limit]"
        )
    unknown = set(raw) - {"page", "pageSize", "start", "limit", "withCount"}
    if unknown:
        raise invalid_key(sorted(unknown)[0], path="pagination")
    with_count = parse_bool(raw.get("withCount", True), "pagination[withCount]")
    page_keys = {"page", "pageSize"} & set(raw)
    offset_keys = {"start", "limit"} & set(raw)
    if page_keys and offset_keys:
        raise PaginationError("Cannot use both page & offset pagination in the same query")
    # Out-of-range numbers are brought into range, as Strapi does: a page below 1 is the first, a
    # start below 0 is 0, a size below 1 is 1 and one above the maximum (or a limit of -1) the maximum.
    if offset_keys:
        start = max(parse_int(raw.get("start", 0), "pagination[start]"), 0)
        limit = parse_int(raw.get("limit", default), "pagination[limit]")
        limit = maximum if limit == -1 else min(max(limit, 1), maximum)
        return Pagination(start, limit, with_count, False)
    page = max(parse_int(raw.get("page", 1), "pagination[page]"), 1)
    size = min(max(parse_int(raw.get("pageSize", default), "pagination[pageSize]"), 1), maximum)
    return Pagination((page - 1) * size, size, with_count, True)
