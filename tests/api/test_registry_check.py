"""The registry is derived from the models, and a start-up check refuses an entry that disagrees with them."""

from django.core import checks

from api.checks import check_registry
from api.registry import Attribute, ContentType, Relation, camel_case, registry
from plugins.achievements.models import Achievement
from plugins.achievements.triggers import Trigger
from plugins.profiles.models import Profile


def messages(entry) -> list[str]:
    return [error.msg for error in check_registry([entry])]


def test_the_real_registry_passes_the_check_that_django_runs_at_start_up():
    assert check_registry() == []
    assert not [m for m in checks.run_checks(tags=["api"]) if m.id == "api.E001"]


def test_an_entry_naming_a_missing_field_fails():
    entry = ContentType.from_model(Profile, "people", fields=("first_name", "shoe_size"))
    assert messages(entry) == ["Profile has no field 'shoe_size'"]
    assert [a.name for a in entry.attributes] == ["firstName"]


def test_an_enum_that_drifted_from_the_models_choices_fails():
    drifted = ContentType(
        plural="medals",
        singular="medal",
        model=Achievement,
        attributes=(Attribute("tier", "tier", "enumeration", enum=("bronze", "silver")),),
    )
    [message] = messages(drifted)
    assert "tier" in message and "differs from the model's choices" in message


def test_a_relation_to_an_unregistered_type_fails():
    entry = ContentType(
        plural="people",
        singular="person",
        model=Profile,
        attributes=(),
        relations=(Relation("teams", "teams", "squads"),),
    )
    assert messages(entry) == ["teams: its target squads is not a registered content type"]
    # From a model, the target is the type registered for the related model: the account model has none.
    from_model = ContentType.from_model(Profile, "people", fields=("user",))
    assert messages(from_model) == ["user: its target User is not a registered content type"]


def test_names_types_enums_and_flags_come_from_the_model():
    achievements = registry.get("achievements")
    trigger = achievements.attribute_map["trigger"]
    assert trigger.type == "enumeration" and set(trigger.enum) == set(Trigger.values)
    assert achievements.attribute_map["points"].required and not achievements.attribute_map["threshold"].required
    assert achievements.media_map["icon"].attr == "icon"
    assert achievements.relation_map["achievement_group"].target == "achievement-groups"
    assert not achievements.relation_map["achievement_group"].many
    questions = registry.get("questions")
    assert not questions.attribute_map["permalink"].writable  # the model says editable=False
    assert not questions.relation_map["replies"].writable  # a reverse foreign key the replies keep
    profiles = registry.get("profiles")
    for attribute in profiles.attributes:
        if attribute.compute is None:
            assert attribute.name == camel_case(attribute.attr)
    assert profiles.attribute_map["email"].private and profiles.attribute_map["email"].type == "email"


def test_computed_component_attributes_are_documented_read_only(client, db):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    crest = schema["Team"]["properties"]["crestOptions"]["properties"]
    assert all(prop.get("readOnly") for prop in crest.values())
    assert set(schema["Achievement"]["properties"]["trigger"]["enum"]) == set(Trigger.values)
