"""Previews of profiles, small teams and job listings as the static site build renders their pages.

The build reads only the public REST API (``plugins/sitebuild/queries.py`` says what it asks). A
preview shows the editor's unsaved form, so here the unsaved object is serialized as the API would
answer the build's own query for it: the same fields and populate, read as the build reads them (the
public role: no private field such as the e-mail, published relations only), with the form's values
for the object's own fields and for the relations chosen on the form, and what is saved for the rest
(a team's members, a profile's achievements). That JSON goes through the build's content functions
and templates (``plugins/sitebuild/preview.py``).

It lives in the admin layer because it needs the API's query and serializer modules, which plugins
never import; the models delegate to it through the ``serve_site_preview`` hook. A preview reads and
writes nothing.
"""

from __future__ import annotations

import mimetypes

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminModelForm

from api.permissions import Caller
from api.query.access import Access
from api.query.execute import cache_attr, filtered, prepare, related, visible, with_populate
from api.query.selection import SelectionParser
from api.registry import registry
from api.serialize import Serializer
from plugins.accounts.policy import Actor
from plugins.jobs.models import JobListing
from plugins.profiles.models import Profile
from plugins.sitebuild import preview, queries
from plugins.sitebuild.render import assets, site_asset_url
from plugins.teams.models import Team

# Set by ``ChoicesPreviewed`` on the instance its save(commit=False) builds: the many-to-many choices, by field name.
UNSAVED_CHOICES = "unsaved_choices"


class ChoicesPreviewed(WagtailAdminModelForm):
    """A form whose plain many-to-many choices show in a preview.

    Wagtail's preview builds the instance with ``save(commit=False)``, which leaves such choices to
    ``save_m2m`` (parental ones are held on the instance already); kept on the instance, the preview
    reads them from there.
    """

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if not commit:
            fields = [f.name for f in instance._meta.many_to_many if f.name in self.cleaned_data]
            setattr(instance, UNSAVED_CHOICES, {name: list(self.cleaned_data[name]) for name in fields})
        return instance


def public_access() -> Access:
    """What the build reads through the API without a token: the public role's view."""
    caller = Caller(Actor())
    return Access(may_find=lambda plural: caller.can(plural, "find"))


def _selection(plural: str, query: dict, access: Access):
    content_type = registry.get(plural)
    return SelectionParser(registry, access).selection(content_type, query.get("fields"), query.get("populate"))


def saved_entries(plural: str, query: dict, pks) -> list[dict]:
    """The rows ``pks`` as the API answers ``query`` for them (published rows only)."""
    access = public_access()
    selection = _selection(plural, query, access)
    rows = list(with_populate(visible(selection.content_type, access).filter(pk__in=pks), selection, access))
    prepare(rows, selection)
    return Serializer(access).entries(rows, selection)


def unsaved_entry(instance, plural: str, query: dict) -> dict:
    """``instance`` as the API would answer ``query`` for it if it were saved and published as it stands."""
    access = public_access()
    selection = _selection(plural, query, access)
    model = selection.content_type.model
    saved = None
    if instance.pk is not None:
        # Published or not: what is previewed is the object itself; its relations are read as the build reads them.
        row = model._default_manager.filter(pk=instance.pk)
        saved = with_populate(row, selection, access, single=True).first()
    for item in selection.populate.values():
        if item.kind != "relation":
            continue
        chosen = _chosen_on_form(instance, item)
        if chosen is not None:
            value = _rows(item, chosen, access)
        elif saved is not None:
            value = related(saved, item.spec.name)
        else:
            value = [] if item.spec.many else None
        setattr(instance, cache_attr(item.spec.name), value)
    prepare([instance], selection)
    return Serializer(access).entry(instance, selection)


def _chosen_on_form(instance, item) -> list | None:
    """The targets of a many-to-many field of the instance's own, as the form left them; None for other relations."""
    if item.spec.through:
        return None
    field = instance._meta.get_field(item.spec.attr)
    if not field.many_to_many or field.auto_created:
        return None
    unsaved = getattr(instance, UNSAVED_CHOICES, {})
    if field.name in unsaved:
        return [target.pk for target in unsaved[field.name]]
    if isinstance(field, ParentalManyToManyField):  # the form's choice (or a revision's) is held on the instance
        return [target.pk for target in getattr(instance, field.name).all()]
    return None


def _rows(item, pks: list, access: Access) -> list:
    """The rows of a populated relation among ``pks``, filtered, sorted and populated below as the API does it."""
    target = item.selection.content_type
    queryset = filtered(visible(target, access), item.filters).filter(pk__in=pks)
    queryset = queryset.order_by(*(item.ordering or item.spec.default_ordering), "pk")
    return list(with_populate(queryset, item.selection, access))


def team_ids_of(entry: dict) -> list:
    """The ids of the teams an entry (a job listing, a profile) lists."""
    return [team["id"] for team in entry.get("teams") or ()]


def asset_url(name: str) -> str:
    return reverse("community_site_preview_asset", args=[name])


def serve_site_preview(instance, request, mode_name) -> HttpResponse | None:
    """The page of a profile, small team or job listing on the site, from the object as the form left it."""
    today = timezone.localdate()
    if isinstance(instance, Team):
        html = preview.team_page(unsaved_entry(instance, "teams", queries.teams(today)), asset_url)
    elif isinstance(instance, JobListing):
        entry = unsaved_entry(instance, "jobs", queries.jobs())
        teams = saved_entries("teams", queries.teams(today), team_ids_of(entry))
        html = preview.job_page(entry, teams, asset_url)
    elif isinstance(instance, Profile):
        entry = unsaved_entry(instance, "profiles", queries.profiles())
        html = preview.profile_page(entry, saved_entries("teams", queries.teams(today), team_ids_of(entry)), asset_url)
    else:
        return None
    return HttpResponse(html)


def site_preview_asset(request, name: str) -> HttpResponse:
    """The site's stylesheet and icon for previews (the built site serves them from ``/assets/``)."""
    data = assets().get(site_asset_url(name))
    if data is None:
        raise Http404
    return HttpResponse(data, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
