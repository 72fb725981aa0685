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
from plugins.achievements.services import delete_achievement
from plugins.core.errors import Invalid, NotAllowed
from plugins.forum import services as forum
from plugins.profiles.services import claim_or_create_profile
from plugins.rewards.services import delete_product
from plugins.teams.services import check_membership_change, check_profile_change


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


# The overrides, as Strapi's createCoreService(uid, {...}) would give them.


class ProfileService(CoreService):
    """Who is on a small team (a profile's teams and lead teams, and a team member's e-mail, which
    decides the account that claims the profile) changes only as ``check_profile_change`` allows."""

    def check(self, actor, instance, plan) -> None:
        check_profile_change(
            actor,
            instance,
            teams=plan.resulting_ids(instance, "teams"),
            lead_teams=plan.resulting_ids(instance, "lead_teams"),
            email=plan.values.get("email"),
        )

    def create(self, actor, plan, *, publish):
        self.check(actor, self.content_type.model(), plan)
        return super().create(actor, plan, publish=publish)

    def update(self, actor, instance, plan, *, publish):
        self.check(actor, instance, plan)
        return super().update(actor, instance, plan, publish=publish)


class TeamService(CoreService):
    """A team's members and leads change only as ``check_membership_change`` allows."""

    def check(self, actor, instance, plan) -> None:
        for attr in ("profiles", "lead_profiles"):
            wanted = plan.resulting_ids(instance, attr)
            current = set(getattr(instance, attr).values_list("pk", flat=True)) if instance.pk else set()
            if wanted is not None and wanted != current:
                check_membership_change(actor, {instance.pk})  # a new team (None) is the editors'
                return

    def create(self, actor, plan, *, publish):
        self.check(actor, self.content_type.model(), plan)
        return super().create(actor, plan, publish=publish)

    def update(self, actor, instance, plan, *, publish):
        self.check(actor, instance, plan)
        return super().update(actor, instance, plan, publish=publish)


class AchievementService(CoreService):
    def delete(self, actor, instance):
        delete_achievement(instance)


class RewardProductService(CoreService):
    def delete(self, actor, instance):
        delete_product(instance)


class ForumPostService(CoreService):
    """Members post as themselves, through the forum's services (rules, subscriptions, events)."""

    def author(self, actor):
        if actor.user is None:
            raise NotAllowed("Sign in as a member to do this")
        return claim_or_create_profile(actor.user)


class QuestionService(ForumPostService):
    def create(self, actor, plan, *, publish):
        topics = next((targets for relation, _op, targets in plan.many if relation.attr == "topics"), [])
        values = plan.values
        with transaction.atomic():
            return forum.ask(
                self.author(actor),
                subject=values.get("subject"),
                body=values.get("body"),
                topics=topics,
                page=values.get("page", ""),
            )


class ReplyService(ForumPostService):
    def create(self, actor, plan, *, publish):
        question = plan.values.get("question")
        if question is None:
            raise Invalid("Name the question this replies to.", field="question")
        with transaction.atomic():
            return forum.reply(self.author(actor), question, body=plan.values.get("body"))
