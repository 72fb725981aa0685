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
from plugins.accounts.policy import Actor, membership_changes
from plugins.achievements.services import delete_achievement
from plugins.core.errors import Invalid, NotAllowed
from plugins.forum import services as forum
from plugins.profiles.services import claim_or_create_profile
from plugins.rewards.services import delete_product
from plugins.teams.services import check_membership_change, team_ids_of


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


class MembershipGuard(CoreService):
    """Writes that may change who is on a small team: only editors and the team's own leads may.

    ``membership`` maps the relation attributes that hold a membership to how a write's targets
    become team ids (``"targets"``: the targets are teams; ``"self"``: the row is the team).
    """

    membership: dict[str, str] = {}

    def changed_teams(self, instance, plan) -> set:
        changed = self.identity_change(instance, plan)
        for relation, op, targets in plan.many:
            side = self.membership.get(relation.attr)
            if side is None:
                continue
            current = getattr(instance, relation.attr).values_list("pk", flat=True) if instance.pk else []
            moved = membership_changes(current, op, [target.pk for target in targets])
            if moved:
                changed |= moved if side == "targets" else {instance.pk}
        return changed

    def create(self, actor, plan, *, publish):
        check_membership_change(actor, self.changed_teams(self.content_type.model(), plan))
        return super().create(actor, plan, publish=publish)

    def update(self, actor, instance, plan, *, publish):
        check_membership_change(actor, self.changed_teams(instance, plan))
        return super().update(actor, instance, plan, publish=publish)

    def identity_change(self, instance, plan) -> set:
        return set()


class ProfileService(MembershipGuard):
    membership = {"teams": "targets", "lead_teams": "targets"}

    def identity_change(self, instance, plan) -> set:
        """A team member's e-mail decides which account claims the profile: changing it is a membership change."""
        if not instance.pk or plan.values.get("email", instance.email) == instance.email:
            return set()
        return team_ids_of(instance)


class TeamService(MembershipGuard):
    membership = {"profiles": "self", "lead_profiles": "self"}


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
