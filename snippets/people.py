"""How the admin names a member to whoever reads the page.

Moderators and editors may read private fields, so a member without a full name is named to them by the
username, else the private e-mail (``Profile.name_for_staff``, which ``str()`` gives). Community moderators
may not: on the forum's pages they read the name members see (``Profile.display_name``), since on
posthog.com a username is an e-mail address.
"""

from __future__ import annotations

from wagtail.admin.ui.tables import Column

from plugins.accounts.policy import Actor


def request_actor(request) -> Actor:
    """The admin request's actor, asked once per request (a list asks for each row)."""
    actor = getattr(request, "_community_actor", None)
    if actor is None:
        actor = request._community_actor = Actor.of(request.user)
    return actor


def admin_name(profile, request) -> str:
    """``profile``'s name for the one reading ``request``'s page."""
    if profile is None:
        return ""
    moderates = request is not None and request_actor(request).moderates
    return profile.name_for_staff if moderates else profile.display_name


class MemberColumn(Column):
    """A column of a member (a profile): named for whoever reads the list (``admin_name``)."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = admin_name(context["raw_value"], parent_context.get("request"))
        return context
