"""Create and update from Strapi's ``{data: {…}}`` bodies: validate every key, then write in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.dateparse import parse_date
from modelcluster.fields import ParentalManyToManyField

from api.errors import ValidationError, invalid_key
from api.query.execute import visible
from api.query.filters import SYSTEM_ATTRIBUTES
from api.query.qs import is_index
from api.registry import Attribute, ContentType, Relation, registry
from plugins.assets.models import CommunityImage

IGNORED_KEYS = set(SYSTEM_ATTRIBUTES) | {"publishedAt", "locale", "localizations"}


@dataclass
class WritePlan:
    """What a body asks to change: scalar values now, to-many relations after the row is saved."""

    values: dict = field(default_factory=dict)  # model attr -> value
    many: list[tuple[Relation, str, list]] = field(default_factory=list)  # (relation, op, targets)
    # The content type's ``service_writable`` names the body sent: API name -> the value (a row, or
    # rows as (op, targets) pairs for a to-many relation), for the core service to act on.
    actions: dict = field(default_factory=dict)

    def resulting_ids(self, instance, attr: str) -> set | None:
        """The ids ``instance``'s to-many ``attr`` will hold once the plan is applied (None: untouched)."""
        ops = [(op, targets) for relation, op, targets in self.many if relation.attr == attr]
        if not ops:
            return None
        ids = set(getattr(instance, attr).values_list("pk", flat=True)) if instance.pk else set()
        for op, targets in ops:  # in order, as apply_many applies them
            chosen = {target.pk for target in targets}
            if op == "set":
                ids = chosen
            elif op == "connect":
                ids |= chosen
            else:
                ids -= chosen
        return ids


def _error(path: str, message: str) -> ValidationError:
    return ValidationError(message, {"errors": [{"path": [path], "message": message, "name": "ValidationError"}]})


def coerce_attribute(attribute: Attribute, value):
    """A JSON value → the model's value for ``attribute``, or a 400 saying what is wrong."""
    name = attribute.name
    if value is None:
        return None if attribute.type not in ("string", "text", "richtext", "email", "uid", "enumeration") else ""
    if attribute.type in ("string", "text", "richtext", "email", "uid", "enumeration"):
        if not isinstance(value, str):
            raise _error(name, f"{name} must be a string")
        if "\x00" in value:
            raise _error(name, f"{name} contains a NUL character")
        if attribute.enum and value not in attribute.enum:
            raise _error(name, f"{name} must be one of: {', '.join(v for v in attribute.enum if v)}")
        return value
    if attribute.type in ("integer", "biginteger"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _error(name, f"{name} must be an integer")
        if not -(2**63) <= value < 2**63:
            raise _error(name, f"{name} is out of range")
        return value
    if attribute.type in ("decimal", "float"):
        if isinstance(value, bool):
            raise _error(name, f"{name} must be a number")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise _error(name, f"{name} must be a number") from None
    if attribute.type == "boolean":
        if not isinstance(value, bool):
            raise _error(name, f"{name} must be true or false")
        return value
    if attribute.type == "date":
        parsed = parse_date(value) if isinstance(value, str) else None
        if not isinstance(parsed, date):
            raise _error(name, f"{name} must be a date (YYYY-MM-DD)")
        return parsed
    return value


class Writer:
    def __init__(self, content_type: ContentType, include_private: bool, allowed: set[str] | None = None, access=None):
        self.content_type = content_type
        self.include_private = include_private
        self.allowed = allowed  # None: every writable key
        # Who writes, as far as reading goes: a relation names only rows they may read (None: any row),
        # so that a hidden row answers as a missing one.
        self.access = access

    def plan(self, data, instance=None) -> WritePlan:
        """What ``data`` asks to write; ``instance`` is the row an update changes (None: a create)."""
        if not isinstance(data, dict):
            raise ValidationError('Missing "data" payload in the request body')
        ct = self.content_type
        plan = WritePlan()
        for key, value in data.items():
            if key in IGNORED_KEYS and key not in ct.service_writable:
                continue
            if self.allowed is not None and key not in self.allowed:
                raise _error(key, f"You may not change {key}")
            if key in ct.service_writable:
                plan.actions[key] = self._action(key, value)
                continue
            attribute = ct.attribute_map.get(key)
            if attribute and attribute.writable and (self.include_private or not attribute.private):
                coerced = coerce_attribute(attribute, value)
                if attribute.create_only and instance is not None:
                    # A client sending the whole object back unchanged is fine; a change is not.
                    if coerced != getattr(instance, attribute.attr):
                        raise _error(key, attribute.create_only)
                    continue
                plan.values[attribute.attr] = coerced
                continue
            relation = ct.relation_map.get(key)
            if relation and relation.writable and (self.include_private or not relation.private):
                self._relation(plan, relation, value)
                continue
            media = ct.media_map.get(key)
            if media and media.writable:
                plan.values[media.attr] = self._image(key, value)
                continue
            component = ct.component_map.get(key)
            if component:
                self._component(plan, component, value)
                continue
            raise invalid_key(key, source="body", path=key)
        return plan

    def _action(self, key: str, value):
        """A ``service_writable`` value, checked as its attribute or relation would be."""
        ct = self.content_type
        if key in ct.write_only:
            return value
        if key == "publishedAt":
            # Published (a date: when does not matter, the row's own date stays) or taken down (null).
            if value is not None and not isinstance(value, str):
                raise _error(key, "publishedAt is a date to publish, or null to unpublish")
            return value is not None
        relation = ct.relation_map.get(key)
        if relation is None:
            return coerce_attribute(ct.attribute_map[key], value)
        if relation.link_entry:
            return self._link_fields(relation, value)
        scratch = WritePlan()
        self._relation(scratch, relation, value)
        if relation.many:
            return [(op, targets) for _relation, op, targets in scratch.many]
        return scratch.values[relation.attr]

    @staticmethod
    def _link_fields(relation: Relation, value) -> dict[int, dict]:
        """A component list sent back (``[{id, hidden}, …]``): link id → its fields' new values."""
        name, fields = relation.name, dict(relation.link_fields)
        if not isinstance(value, list):
            raise _error(name, f"{name} is a list of {{id, {', '.join(fields)}}}")
        changes = {}
        for entry in value:
            ref = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ref, bool) or not isinstance(ref, int):
                raise _error(name, f"{name}: each entry names its id")
            unknown = set(entry) - {"id", relation.link_entry, *fields}
            if unknown:
                raise invalid_key(f"{name}.{sorted(unknown)[0]}", source="body")
            for api in fields:
                if api in entry and not isinstance(entry[api], bool):
                    raise _error(name, f"{name}.{api} must be true or false")
            changes[ref] = {attr: entry[api] for api, attr in fields.items() if api in entry}
        return changes

    def _component(self, plan: WritePlan, component, value) -> None:
        if not isinstance(value, dict):
            raise _error(component.name, f"{component.name} must be an object")
        for key, inner in value.items():
            if key == "id":
                continue
            attribute = next((a for a in component.attributes if a.name == key and a.compute is None), None)
            media = next((m for m in component.media if m.name == key), None)
            if attribute:
                plan.values[attribute.attr] = coerce_attribute(attribute, inner)
            elif media:
                plan.values[media.attr] = self._image(f"{component.name}.{key}", inner)
            else:
                raise invalid_key(f"{component.name}.{key}", source="body")

    def _image(self, path: str, value):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get("id")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _error(path, f"{path} must be a file id")
        lookup = {"pk": int(value)} if isinstance(value, int) or is_index(str(value)) else {"document_id": value}
        image = CommunityImage.objects.filter(**lookup).first()
        if image is None:
            raise _error(path, f"{path}: there is no file {value}")
        return image

    def _targets(self, relation: Relation, refs, path: str) -> list:
        """Resolve ids, documentIds or ``{id}`` / ``{documentId}`` objects to rows of the target type."""
        target_type = registry.get(relation.target)
        target = target_type.model
        rows = visible(target_type, self.access) if self.access is not None else target._default_manager.all()
        if not isinstance(refs, list):
            refs = [refs]
        ids, document_ids = [], []
        for ref in refs:
            if isinstance(ref, dict):
                ref = ref.get("documentId", ref.get("id"))
            if isinstance(ref, bool) or ref is None:
                raise _error(path, f"{path}: expected ids or documentIds")
            if isinstance(ref, int) or (isinstance(ref, str) and is_index(ref)):
                ids.append(int(ref))
            elif isinstance(ref, str):
                document_ids.append(ref)
            else:
                raise _error(path, f"{path}: expected ids or documentIds")
        found = list(rows.filter(pk__in=ids)) + list(rows.filter(document_id__in=document_ids))
        missing = (set(ids) - {row.pk for row in found}) | (set(document_ids) - {row.document_id for row in found})
        if missing:
            shown = ", ".join(str(m) for m in sorted(missing, key=str))
            raise _error(path, f"{path}: no {relation.target} with id or documentId {shown}")
        return found

    def _relation(self, plan: WritePlan, relation: Relation, value) -> None:
        name = relation.name
        if not relation.many:
            if isinstance(value, dict) and set(value) & {"connect", "set", "disconnect"}:
                chosen = value.get("set", value.get("connect"))
                if chosen in (None, []) and "disconnect" in value:
                    plan.values[relation.attr] = None
                    return
                value = chosen
            if isinstance(value, list):
                # Strapi reads a list for a to-one relation as "set": empty clears it, one names it.
                if len(value) > 1:
                    raise _error(name, f"{name} takes one id or documentId, not {len(value)}")
                value = value[0] if value else None
            plan.values[relation.attr] = self._targets(relation, value, name)[0] if value is not None else None
            return
        if isinstance(value, dict):
            unknown = set(value) - {"connect", "disconnect", "set"}
            if unknown:
                raise invalid_key(f"{name}.{sorted(unknown)[0]}", source="body")
            if "set" in value:
                plan.many.append((relation, "set", self._targets(relation, value["set"] or [], name)))
            for op in ("disconnect", "connect"):
                if op in value:
                    plan.many.append((relation, op, self._targets(relation, value[op] or [], name)))
            return
        if value is None:
            value = []
        plan.many.append((relation, "set", self._targets(relation, value, name)))


def apply_plan(instance, plan: WritePlan) -> None:
    for attr, value in plan.values.items():
        setattr(instance, attr, value)


def apply_many(instance, plan: WritePlan) -> None:
    """To-many changes, in order; works for plain and for modelcluster (parental) relations."""
    for relation, op, targets in plan.many:
        manager = getattr(instance, relation.attr)
        if op == "set":
            manager.set(targets)
        elif op == "connect":
            manager.add(*targets)
        else:
            manager.remove(*targets)


def api_names(content_type: ContentType) -> dict[str, str]:
    """Model attribute → API name, for naming fields in validation errors."""
    names = {a.attr: a.name for a in content_type.attributes}
    names.update({r.attr: r.name for r in content_type.relations})
    names.update({m.attr: m.name for m in content_type.media})
    return names


def editable_version(content_type: ContentType, instance):
    """What an update starts from: the latest draft when there is one, as in Strapi v5, else the row."""
    if content_type.draft_and_publish and instance.has_unpublished_changes and instance.latest_revision_id:
        draft = instance.latest_revision.as_object()
        draft.live = instance.live
        return draft
    return instance


@transaction.atomic
def save(content_type: ContentType, instance, plan: WritePlan, *, publish: bool, user=None, creating: bool):
    """Write ``plan`` to ``instance``; for draft / publish types, as a revision, published or not.

    A draft update of a published row leaves the row (the live version) alone and stores the
    change in a new revision, as the admin does; parental relations travel in the revision, other
    relations change at once.
    """
    apply_plan(instance, plan)
    parental = [op for op in plan.many if _is_parental(instance, op[0].attr)]
    others = [op for op in plan.many if op not in parental]
    apply_many(instance, WritePlan(many=parental))  # in memory until the row or a revision is saved
    # Model validation as the admin does it; its ValidationError names the fields (the API maps it).
    instance.full_clean(exclude=[relation.attr for relation, _, _ in plan.many])
    if not content_type.draft_and_publish:
        instance.save()
        apply_many(instance, WritePlan(many=others))
        return instance
    if creating:
        instance.live = False
    if creating or publish or not instance.live:
        instance.save()
    apply_many(instance, WritePlan(many=others))
    revision = instance.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user, skip_permission_checks=True)
        instance.refresh_from_db()
    return instance


def _is_parental(instance, attr: str) -> bool:
    return isinstance(instance._meta.get_field(attr), ParentalManyToManyField)
