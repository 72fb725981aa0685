"""The content-type registry: what each content type exposes through the API, and to whom.

An entry is made from its model (``ContentType.from_model``): it names the model fields it exposes
(default-deny; private ones apart), and the API's names, types, required and writable flags, enums,
media (foreign keys to the image model) and relations are read from the model's fields. Only what
the model cannot say is written in the entry: computed attributes, components, through-relations,
renames, read-only fields, permissions. The endpoints, the query language and the OpenAPI schema
are all generated from these entries; adding a content type to the API is one ``register`` call,
and ``api.checks`` validates every entry against its model when Django starts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from wagtail.fields import RichTextField
from wagtail.images import get_image_model

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
    # For computed attributes: a function of the instance; such attributes can't be written.
    compute: Callable[[Any], Any] | None = None
    # For computed attributes that filters and sort may use: the same value as a database
    # expression (a function returning one, with its output field set).
    expression: Callable[[], Any] | None = None
    # Whether ``compute`` reads what the type's ``prepare`` loads (False: the row alone will do, and a
    # selection of only such attributes skips the batch loader).
    prepared: bool = True
    enum: tuple[str, ...] = ()
    # Set only when a row is created; an update naming it is refused with this message.
    create_only: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown attribute type {self.type!r}")


def computed(name: str, type_: str, compute: Callable[[Any], Any], *, reads: str | None = None, **options) -> Attribute:
    """A read-only attribute the model has no field for: ``compute(row)`` gives its value.

    ``reads`` names the model field it is computed from, so that it is loaded with the row; a type's
    ``prepare`` loads what the others need for a whole batch at once. With ``expression`` (a function
    returning the same value as a database expression), filters and sort take it too.
    """
    return Attribute(name, reads or name, type_, writable=False, compute=compute, **options)


@dataclass(frozen=True)
class Relation:
    """A relation to another registered content type (by its plural name).

    With ``through``, ``attr`` is a reverse foreign key to a link model (e.g. a profile's awards)
    and ``through`` the link model's foreign key to the target; only links matching
    ``through_filter`` count (e.g. awards not revoked).
    """

    name: str
    attr: str
    # The target's plural name; a relation made by ``from_model`` names its model (``target_model``)
    # and the registry fills this in once every type is registered.
    target: str
    many: bool = True
    private: bool = False
    writable: bool = True
    through: str | None = None
    through_filter: tuple[tuple[str, Any], ...] = ()
    # A through-relation that is its owner's business (what a member follows): the link model's path to
    # the owning user's id. Moderators see every link; a member their own; the public none.
    owner_only: str | None = None
    # A through-relation shown as Strapi's list of components, one per link (PostHog's profile
    # ``achievements: [{id, hidden, achievement}]``): the link's fields (API name, model field) beside
    # its target under ``link_entry``. ``populate[<name>][populate][<link_entry>]`` selects the target.
    link_entry: str | None = None
    link_fields: tuple[tuple[str, str], ...] = ()
    # Model order_by terms for populated rows when the request gives no sort (e.g. newest first).
    default_ordering: tuple[str, ...] = ()
    target_model: type | None = field(default=None, compare=False, repr=False)

    def link_model(self, owner_model: type) -> type:
        """The link model of a ``through`` relation (the model of ``owner_model``'s reverse foreign key)."""
        return owner_model._meta.get_field(self.attr).related_model

    def links_to(self, owner_model: type, targets, access=None):
        """The link rows that count (``through_filter``) pointing at any of ``targets``; of an
        ``owner_only`` relation, for a caller who is not trusted, only their own."""
        counted = self.link_model(owner_model)._default_manager.filter(**dict(self.through_filter))
        if self.owner_only and access is not None and not access.include_private:
            counted = counted.filter(**{self.owner_only: access.member_id}) if access.member_id else counted.none()
        return counted.filter(**{f"{self.through}__in": targets})


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
    # For ``from_model``: API name → model field, read into ``attributes`` and ``media``.
    fields: dict[str, str] = field(default_factory=dict)
    # A repeatable component is a list in the API: here of the one entry the row holds (none when
    # its fields are empty), e.g. a question's ``slugs`` from the docs page it was asked on.
    repeatable: bool = False


def camel_case(name: str) -> str:
    """``pineapple_on_pizza`` → ``pineappleOnPizza``: the API's name for a model field."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


# Model field classes → Strapi's attribute types; the first match wins (subclasses before their bases).
FIELD_TYPES: tuple[tuple[type, str], ...] = (
    (RichTextField, "richtext"),
    (models.SlugField, "uid"),
    (models.EmailField, "email"),
    (models.CharField, "string"),
    (models.TextField, "text"),
    (models.BooleanField, "boolean"),
    (models.BigIntegerField, "biginteger"),
    (models.IntegerField, "integer"),
    (models.DecimalField, "decimal"),
    (models.FloatField, "float"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.JSONField, "json"),
)


def model_field(model: type, name: str):
    """``model``'s field (or reverse relation) called ``name``, or None."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_type(model_field) -> str | None:
    """Strapi's type for a model field; a text field with choices is an enumeration."""
    for cls, type_ in FIELD_TYPES:
        if isinstance(model_field, cls):
            return "enumeration" if type_ == "string" and model_field.choices else type_
    return None


def field_enum(model_field) -> tuple[str, ...]:
    """The values a choice field takes (with "" when it may be left empty)."""
    values = tuple(str(value) for value, _label in model_field.flatchoices)
    return (("",) if model_field.blank and "" not in values else ()) + values


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
    # Expressions by attribute name that the API's reads select with each row: values ``prepare`` then
    # finds on the row and does not load (a profile's balance, joined: no query of its own).
    annotations: Callable[[], dict] | None = None
    # The ORM path from a row to its owner's user id (``author__user_id``): a member may update the
    # names in ``owner_writable`` of their own rows even without the role permission to update.
    owner: str | None = None
    owner_writable: tuple[str, ...] = ()
    # API names the core service writes itself, through its plugin's rules (a moderator archives a
    # question by sending ``archived``): the body's value reaches the service in ``WritePlan.actions``,
    # whatever the field's own writability. Who may send them is the service's ``writable_by``.
    service_writable: tuple[str, ...] = ()
    # Of those, the keys that are not read back (``notifications``: the ones a member still wants,
    # the others are dismissed); their JSON reaches the service as sent.
    write_only: tuple[str, ...] = ()
    # Rows only trusted callers (moderators, editors, full-access tokens) read, whatever the matrix or a
    # token's scope says: member accounts, whose usernames are often e-mail addresses.
    trusted_readers_only: bool = False
    # A type without draft / publish whose rows a moderator takes down: the model's boolean that, when
    # set, makes a row read as unpublished (``publishedAt: null``, as PostHog's replies do).
    unpublished_by: str | None = None
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
    # What ``from_model`` could not derive (a missing field, say): reported by the start-up check.
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_model(
        cls,
        model: type,
        plural: str,
        *,
        singular: str | None = None,
        fields: tuple[str, ...] = (),
        private: tuple[str, ...] = (),
        read_only: tuple[str, ...] = (),
        renames: dict[str, str] | None = None,
        create_only: dict[str, str] | None = None,
        ordering: dict[str, tuple[str, ...]] | None = None,
        computed: tuple[Attribute, ...] = (),
        relations: tuple[Relation, ...] = (),
        components: tuple[Component, ...] = (),
        owner_writable: tuple[str, ...] = (),
        **options,
    ) -> ContentType:
        """An entry whose names, types, flags, enums, media and relations come from ``model``'s fields.

        ``fields`` are the model fields everyone may read, ``private`` those only moderators, editors
        and full-access tokens may; nothing else is exposed. A field is an attribute, a medium (a
        foreign key to the image model) or a relation (to another registered type), as the model says.
        It is named in camelCase unless ``renames`` says otherwise, required when the model needs a
        value, and writable unless the model says it is not editable or ``read_only`` names it (or it
        is a reverse foreign key the other side must keep). ``create_only`` maps a field to the message
        refusing an update of it; ``ordering`` a relation to the order its rows populate in.
        ``computed`` attributes, through-``relations`` and ``components`` are added as written, the
        components' ``fields`` read from the model like the rest. ``owner_writable`` names model fields.
        """
        renames, create_only, ordering = renames or {}, create_only or {}, ordering or {}
        problems: list[str] = []
        derived = _Derivation(model, renames, set(read_only), create_only, ordering, problems)
        for name in (*fields, *private):
            derived.add(name, private=name in private)
        resolved_components = tuple(derived.component(component) for component in components)
        declared = {relation.name for relation in relations} | {attribute.name for attribute in computed}
        declared |= set(options.get("write_only", ()))
        for name in {*read_only, *create_only, *ordering, *renames, *owner_writable} - {*fields, *private, *declared}:
            problems.append(f"{name!r} is configured but not exposed in fields or private")
        return cls(
            plural=plural,
            singular=singular or plural.removesuffix("s"),
            model=model,
            attributes=(*derived.attributes, *computed),
            relations=(*derived.relations, *relations),
            media=tuple(derived.media),
            components=resolved_components,
            owner_writable=tuple(renames.get(name, camel_case(name)) for name in owner_writable),
            problems=problems,
            **options,
        )

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

    def resolve(self) -> None:
        """Name the target type of every relation made from a model, now that all types are registered.

        A target that is not registered is left empty; the start-up check (``api.checks``) reports it.
        """
        for content_type in self.all():
            relations = []
            for relation in content_type.relations:
                if not relation.target and relation.target_model is not None:
                    target = self.for_model(relation.target_model)
                    relation = dataclasses.replace(relation, target=target.plural if target else "")
                relations.append(relation)
            content_type.relations = tuple(relations)
            content_type.relation_map = {r.name: r for r in content_type.relations}


class _Derivation:
    """Reads model fields into attributes, media and relations for ``ContentType.from_model``."""

    def __init__(self, model, renames, read_only, create_only, ordering, problems):
        self.model, self.renames, self.read_only = model, renames, read_only
        self.create_only, self.ordering, self.problems = create_only, ordering, problems
        self.attributes: list[Attribute] = []
        self.relations: list[Relation] = []
        self.media: list[Media] = []

    def model_field(self, name: str):
        found = model_field(self.model, name)
        if found is None:
            self.problems.append(f"{self.model.__name__} has no field {name!r}")
        return found

    def add(self, name: str, private: bool) -> None:
        model_field = self.model_field(name)
        if model_field is None:
            return
        api_name = self.renames.get(name, camel_case(name))
        # A reverse relation (``auto_created``) is as writable as the forward one; a field as the model says.
        editable = model_field.auto_created or model_field.editable
        writable = editable and name not in self.read_only
        if model_field.is_relation and model_field.related_model is get_image_model():
            self.media.append(Media(api_name, name, private=private, writable=writable))
        elif model_field.is_relation:
            self.relations.append(self.relation(model_field, api_name, private, writable))
        else:
            self.attributes.append(self.attribute(model_field, api_name, private, writable))

    def attribute(self, model_field, api_name: str, private: bool, writable: bool) -> Attribute:
        type_ = field_type(model_field)
        if type_ is None:
            self.problems.append(f"{model_field.name}: no API type for {type(model_field).__name__}")
            type_ = "json"
        needs_value = not (model_field.blank or model_field.null or model_field.has_default())
        return Attribute(
            api_name,
            model_field.name,
            type_,
            private=private,
            writable=writable,
            required=needs_value and writable,
            enum=field_enum(model_field) if type_ == "enumeration" else (),
            create_only=self.create_only.get(model_field.name, ""),
        )

    def relation(self, model_field, api_name: str, private: bool, writable: bool) -> Relation:
        many = model_field.many_to_many or model_field.one_to_many
        if model_field.auto_created and model_field.get_accessor_name() != model_field.name:
            self.problems.append(
                f"{model_field.name}: give the relation a related_name, so that it reads as it filters"
            )
        if model_field.one_to_many and not model_field.remote_field.null:
            # Rows of the other side belong to this one (a question's replies): they move only with it.
            writable = False
        return Relation(
            api_name,
            model_field.name,
            "",
            many=many,
            private=private,
            writable=writable,
            default_ordering=tuple(self.ordering.get(model_field.name, ())),
            target_model=model_field.related_model,
        )

    def component(self, component: Component) -> Component:
        if not component.fields:
            return component
        attributes, media = list(component.attributes), list(component.media)
        for api_name, name in component.fields.items():
            model_field = self.model_field(name)
            if model_field is None:
                continue
            if model_field.is_relation and model_field.related_model is get_image_model():
                media.append(Media(api_name, name))
            else:
                attributes.append(self.attribute(model_field, api_name, private=False, writable=True))
        return dataclasses.replace(component, attributes=tuple(attributes), media=tuple(media))


registry = Registry()
