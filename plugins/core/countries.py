"""ISO 3166-1 alpha-2 country codes, validated strictly.

django-countries supplies the list, names and flags; its model field is not used because it
silently turns "gbr" or "826" into "GB", and the content model must reject anything but the
two-letter code itself.
"""

from django.core.exceptions import ValidationError
from django_countries import countries
from django_countries.fields import Country

# Codes people often type that ISO 3166-1 reserves or assigns elsewhere.
COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "EN": "GB"}


def validate_country_code(value: str) -> None:
    """Accept exactly an ISO 3166-1 alpha-2 code such as "GB"; reject "UK", "gbr", "gb"."""
    if not value:
        return
    if len(value) != 2 or not value.isalpha() or not value.isupper() or value not in dict(countries):
        hint = ""
        upper = value.upper()
        if upper in dict(countries) and value != upper:
            hint = f' Use upper case: "{upper}".'
        elif upper in COMMON_MISTAKES:
            hint = f' Did you mean "{COMMON_MISTAKES[upper]}"?'
        elif countries.alpha2(value):
            hint = f' Did you mean "{countries.alpha2(value)}"?'
        raise ValidationError(
            f'"{value}" is not an ISO 3166-1 alpha-2 country code.{hint}',
            code="invalid_country",
            params={"value": value},
        )


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for a select box, sorted by name."""
    return [(code, name) for code, name in countries]


def country_flag(code: str) -> str:
    """The flag emoji of a country code, or "" for none."""
    return Country(code).unicode_flag if code else ""


def country_name(code: str) -> str:
    return Country(code).name if code else ""
