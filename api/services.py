"""Each content type's core service: create, update and delete, as Strapi's ``createCoreService`` gives them.

The generic endpoints check the caller's role and the body, then call one of these methods. A
registry entry whose writes need its plugin's rules names a subclass that overrides the method it
needs (questions are asked through the forum; a held achievement is not deleted); everything else
is the plain write of ``api.writes``. Every method raises ``plugins.core.errors`` (or Django's
``ValidationError``) to refuse, and writes nothing then.
"""

from __future__ import annotations

from django.db import transaction

from api.writes import WritePlan, editable_version, save
from plugins.accounts.policy import Actor


class CoreService:
    """The default writes of a content type; ``content_type`` is set when the entry is registered."""

    content_type = None

    def bind(self, content_type) -> CoreService:
        self.content_type = content_type
        return self

    def create(self, actor: Actor, plan: WritePlan, *, publish: bool):
        """A new row from ``plan`` (published now, unless ``publish`` is false for a draft / publish type)."""
        model = self.content_type.model
        return save(self.content_type, model(), plan, publish=publish, user=actor.user, creating=True)

    def update(self, actor: Actor, instance, plan: WritePlan, *, publish: bool):
        """``instance`` changed by ``plan``; for draft / publish types its latest draft is what changes."""
        version = editable_version(self.content_type, instance)
        return save(self.content_type, version, plan, publish=publish, user=actor.user, creating=False)

    def delete(self, actor: Actor, instance) -> None:
        """Delete ``instance``; rows that others protect answer a conflict (``ProtectedError``)."""
        with transaction.atomic():
            instance.delete()
