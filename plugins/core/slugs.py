"""Slug helpers shared by the content types that have a slug."""

from django.utils.text import slugify


def unique_slug(instance, source: str, field: str = "slug", max_length: int = 255) -> str:
    """Return a slug derived from ``source`` that no other row of ``instance``'s model uses.

    Used to fill a slug an editor left empty; an explicitly typed duplicate is left to the unique
    constraint and form validation, so the editor sees the clash instead of a silent rename.
    """
    base = (slugify(source) or "item")[:max_length]
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk) if instance.pk else model._default_manager.all()
    candidate, n = base, 2
    while others.filter(**{field: candidate}).exists():
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return candidate


class AutoSlugMixin:
    """Fills an empty slug field from another field, unique within the model, on clean and save."""

    slug_field = "slug"
    slug_source = "title"

    def fill_slug(self) -> None:
        if not getattr(self, self.slug_field):
            max_length = self._meta.get_field(self.slug_field).max_length
            value = unique_slug(self, getattr(self, self.slug_source), field=self.slug_field, max_length=max_length)
            setattr(self, self.slug_field, value)

    def clean(self):
        super().clean()
        self.fill_slug()

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)
