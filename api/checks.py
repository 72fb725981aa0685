"""The start-up check of the registry: every entry must agree with its model and with the other entries.

Run by Django's system checks (``manage.py check``, ``runserver``, ``migrate``) and by the test suite.
"""

from __future__ import annotations

from django.core import checks

from api.registry import ContentType, field_enum, model_field, registry


def problems_of(content_type: ContentType, known: set[str]) -> list[str]:
    """What is wrong with one entry; ``known`` holds the registered plural names."""
    model = content_type.model
    found = list(content_type.problems)
    attributes = list(content_type.attributes)
    for component in content_type.components:
        attributes += component.attributes
    for attribute in attributes:
        field = model_field(model, attribute.attr)
        if field is None:
            if attribute.compute is None:  # a computed one reads what ``prepare`` loads
                found.append(f"{attribute.name}: {model.__name__} has no field {attribute.attr!r}")
        elif attribute.enum and field.choices and set(attribute.enum) != set(field_enum(field)):
            found.append(
                f"{attribute.name}: its enum {list(attribute.enum)} differs from the model's choices "
                f"{list(field_enum(field))}"
            )
    for relation in content_type.relations:
        if model_field(model, relation.attr) is None:
            found.append(f"{relation.name}: {model.__name__} has no relation {relation.attr!r}")
        if relation.target not in known:
            target = relation.target or getattr(relation.target_model, "__name__", "?")
            found.append(f"{relation.name}: its target {target} is not a registered content type")
    media = list(content_type.media) + [m for c in content_type.components for m in c.media]
    for medium in media:
        if model_field(model, medium.attr) is None:
            found.append(f"{medium.name}: {model.__name__} has no field {medium.attr!r}")
    names = set(content_type.attribute_map) | set(content_type.relation_map) | set(content_type.media_map)
    for name in set(content_type.owner_writable) - names - set(content_type.write_only):
        found.append(f"owner_writable names {name!r}, which the entry does not expose")
    for name in set(content_type.service_writable) - names - {"publishedAt", *content_type.write_only}:
        found.append(f"service_writable names {name!r}, which the entry does not expose")
    return found


def check_registry(entries=None) -> list[checks.CheckMessage]:
    """One error per problem of every registry entry (or of ``entries``)."""
    entries = registry.all() if entries is None else entries
    known = {content_type.plural for content_type in registry.all()} | {ct.plural for ct in entries}
    return [
        checks.Error(problem, obj=f"api registry: {content_type.plural}", id="api.E001")
        for content_type in entries
        for problem in problems_of(content_type, known)
    ]


@checks.register("api")
def registry_matches_the_models(app_configs=None, **kwargs):
    return check_registry()
