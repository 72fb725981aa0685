"""The content-type registry: what each content type exposes through the API, and to whom.

An entry names the model, its plural and singular API names, its attributes (public or private),
relations, media fields and grouped (component) fields, whether it has draft / publish, and the
default permission matrix. The endpoints, the query language and the OpenAPI schema are all
generated from these entries; adding a content type to the API is one ``register`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plugins.accounts.policy import ROLES

ACTIONS = ("find", "findOne", "create", "update", "delete")

# Attribute types, as Strapi names them; they decide how filter values are parsed.
STRING_TYPES = {"string", "text", "richtext", "email", "uid", "enumeration"}
TYPES = STRING_TYPES | {"integer", "biginteger", "decimal", "float", "boolean", "date", "datetime", "json"}


@dataclass(frozen=True)
class Attribute:
    """A scalar field: ``name`` in the API (camelCase), ``attr`` on the model (snake_case)."""

    name: str
    attr: str
    type: str = "string"
    private: bool = False
    writable: bool = True
    required: bool = False
    # For computed attributes: a function of the instance; such attributes can't be filtered or written.
    compute: Callable[[Any], Any] | None = None
    enum: tuple[str, ...] = ()
    # Set only when a row is created; an update naming it is refused with this message.
    create_only: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown attribute type {self.type!r}")


@dataclass(frozen=True)
class Relation:
    """A relation to another registered content type (by its plural name).

    With ``through``, ``attr`` is a reverse foreign key to a link model (e.g. a profile's awards)
    and ``through`` the link model's foreign key to the target; only links matching
    ``through_filter`` count (e.g. awards not revoked).
    """

    name: str
    attr: str
    target: str
    many: bool = True
    private: bool = False
    writable: bool = True
    through: str | None = None
    through_filter: tuple[tuple[str, Any], ...] = ()
    # Model order_by terms for populated rows when the request gives no sort (e.g. newest first).
    default_ordering: tuple[str, ...] = ()

    def link_conditions(self, prefix: str) -> dict:
        """The ``through_filter`` as lookups from the owning model, with ``prefix`` before them."""
        return {f"{prefix}{self.attr}__{lookup}": value for lookup, value in self.through_filter}


@dataclass(frozen=True)
class Media:
    """A Wagtail image shown as Strapi's file object."""

    name: str
    attr: str
    private: bool = False
    writable: bool = True


@dataclass(frozen=True)
class Component:
    """Grouped fields populated like a Strapi component, e.g. a team's ``teamImage``."""

    name: str
    attributes: tuple[Attribute, ...] = ()
    media: tuple[Media, ...] = ()


@dataclass
class ContentType:
    plural: str
    singular: str
    model: type
    attributes: tuple[Attribute, ...]
    relations: tuple[Relation, ...] = ()
    media: tuple[Media, ...] = ()
    components: tuple[Component, ...] = ()
    draft_and_publish: bool = False
    # role -> allowed actions, the defaults the permission matrix starts from after migrate.
    default_permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    # Loads what computed attributes read for a whole batch of rows at once (one query, not one a row).
    prepare: Callable[[list], None] | None = None
    # The ORM path from a row to its owner's user id (``author__user_id``): a member may update the
    # names in ``owner_writable`` of their own rows even without the role permission to update.
    owner: str | None = None
    owner_writable: tuple[str, ...] = ()
    # Published rows that are nonetheless not shown (e.g. reward products out of stock, archived
    # questions): a Q object every public read is filtered by; drafts and trusted callers see them all.
    published_filter: Any = None
    # Whether an owner still sees their own rows that ``published_filter`` hides (an asker's archived
    # question keeps its permalink for them).
    owner_sees_hidden: bool = False
    # The type's core service (``api.services.CoreService`` or a subclass overriding create, update or
    # delete to go through the owning plugin's rules); the default writes rows as they are.
    service: Any = None
    # The rate-limit scope (``api.throttling``) of creating one: what a spammer does.
    create_rate_limit: str | None = None

    def __post_init__(self):
        names = [a.name for a in self.attributes] + [r.name for r in self.relations]
        names += [m.name for m in self.media] + [c.name for c in self.components]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"{self.plural}: duplicate names {sorted(duplicates)}")
        for role, actions in self.default_permissions.items():
            if role not in ROLES or set(actions) - set(ACTIONS):
                raise ValueError(f"{self.plural}: bad default permission {role}: {actions}")
        self.attribute_map = {a.name: a for a in self.attributes}
        self.relation_map = {r.name: r for r in self.relations}
        self.media_map = {m.name: m for m in self.media}
        self.component_map = {c.name: c for c in self.components}
        if self.service is None:
            from api.services import CoreService  # not at the top: the service module imports the registry

            self.service = CoreService()
        self.service.bind(self)

    def owner_id(self, instance):
        """The user id of ``instance``'s owner (None when the type has no owners or the row none)."""
        if self.owner is None:
            return None
        *path, last = self.owner.split("__")
        for step in path:
            instance = getattr(instance, step, None)
            if instance is None:
                return None
        return getattr(instance, last)

    @property
    def uid(self) -> str:
        """Strapi's model uid, as webhooks and the admin name it."""
        return f"api::{self.singular}.{self.singular}"

    def public_attributes(self) -> tuple[Attribute, ...]:
        return tuple(a for a in self.attributes if not a.private)

    def populatable(self, include_private: bool = False) -> list[str]:
        """Names that ``populate`` accepts: relations, media and components."""
        names = [r.name for r in self.relations if include_private or not r.private]
        names += [m.name for m in self.media if include_private or not m.private]
        names += [c.name for c in self.components]
        return names


class Registry:
    def __init__(self):
        self._by_plural: dict[str, ContentType] = {}
        self._by_model: dict[type, ContentType] = {}

    def register(self, content_type: ContentType) -> ContentType:
        """Add a content type; its endpoints exist from then on."""
        if content_type.plural in self._by_plural:
            raise ValueError(f"{content_type.plural} is registered already")
        self._by_plural[content_type.plural] = content_type
        self._by_model[content_type.model] = content_type
        return content_type

    def get(self, plural: str) -> ContentType | None:
        return self._by_plural.get(plural)

    def for_model(self, model: type) -> ContentType | None:
        return self._by_model.get(model)

    def all(self) -> list[ContentType]:
        return list(self._by_plural.values())

    def validate(self) -> None:
        """Every relation must point at a registered content type."""
        for content_type in self.all():
            for relation in content_type.relations:
                if relation.target not in self._by_plural:
                    raise ValueError(f"{content_type.plural}.{relation.name}: unknown target {relation.target}")


registry = Registry()
