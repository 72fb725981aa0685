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
from plugins.achievements.services import delete_achievement, set_awards_hidden
from plugins.core.errors import Conflict, Invalid, NotAllowed
from plugins.forum import moderation
from plugins.forum import services as forum
from plugins.forum.services import followed_questions, followed_topics
from plugins.profiles.services import claim_or_create_profile, profile_of
from plugins.rewards.services import delete_product
from plugins.roadmap import services as roadmap
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

    def may_delete(self, actor: Actor, instance, *, owns: bool) -> bool:
        """Whether a caller without the role's ``delete`` may still delete ``instance`` (by default not)."""
        return False

    def writable_by(self, actor: Actor, instance, *, owns: bool) -> set[str] | None:
        """The API names a caller without the role's ``update`` may send for ``instance`` (None: refused).

        By default an owner changes the entry's ``owner_writable``; a type whose plugin lets others act on
        a row (moderators on a question) says more.
        """
        return set(self.content_type.owner_writable) if owns and not actor.blocked else None


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
        with transaction.atomic():
            if plan.actions:
                self._follow(actor, instance, plan.actions)
            return super().update(actor, instance, plan, publish=publish)

    @staticmethod
    def _follow(actor, profile, actions) -> None:
        """``questionSubscriptions: {connect: [...]}`` and the like: the member's own, through the services
        that send the e-mails and award the achievements."""
        if actor.user is None or profile.user_id != actor.user.pk:
            raise NotAllowed("Only the member follows and likes for themselves")
        forum_target = {"questionSubscriptions": "question", "topicSubscriptions": "topic"}
        roadmap_calls = {
            "roadmapLikes": (roadmap.vote, roadmap.unvote),
            "roadmapSubscriptions": (roadmap.follow, roadmap.unfollow),
        }
        if "notifications" in actions:
            forum.dismiss_notifications(profile, kept=_question_ids(actions.pop("notifications")))
        if "achievements" in actions:
            hidden = {pk: fields["hidden"] for pk, fields in actions.pop("achievements").items() if "hidden" in fields}
            set_awards_hidden(profile, hidden)
        for name, changes in actions.items():
            current = {
                "questionSubscriptions": lambda: followed_questions(profile),
                "topicSubscriptions": lambda: followed_topics(profile),
                "roadmapLikes": lambda: roadmap.liked_items(profile),
                "roadmapSubscriptions": lambda: roadmap.followed_items(profile),
            }[name]()
            wanted = _resulting(current, changes)
            added = [row for row in wanted if row.pk not in {c.pk for c in current}]
            removed = [row for row in current if row.pk not in {w.pk for w in wanted}]
            for row in added:  # rows the member reads (the Writer looked them up so)
                if name in forum_target:
                    forum.subscribe(profile, **{forum_target[name]: row})
                else:
                    roadmap_calls[name][0](profile, row)
            for row in removed:
                if name in forum_target:
                    forum.unsubscribe(profile, **{forum_target[name]: row})
                else:
                    roadmap_calls[name][1](profile, row)


class TeamService(CoreService):
    """A team's members and leads change only as ``check_membership_change`` allows. Without the role's
    ``update``, a team's own leads change its members, leads and description (as posthog.com's team
    page does), and moderators the topics it follows and its Slack channel (the community alerts)."""

    LEADS_WRITE = {"profiles", "leadProfiles", "description"}
    MODERATORS_WRITE = {"topicSubscriptions", "slackChannel"}

    def writable_by(self, actor, instance, *, owns):
        allowed = set()
        if instance.pk in actor.led_team_ids:
            allowed |= self.LEADS_WRITE
        if actor.moderates:
            allowed |= self.MODERATORS_WRITE
        return allowed or None

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
        if not actor.is_editor and instance.has_unpublished_changes:
            # Publishing a lead's change would publish the editor's pending draft with it.
            raise Conflict("An editor's draft of this team is waiting to be published; ask an editor.")
        return super().update(actor, instance, plan, publish=publish)


class AccountService(CoreService):
    """Accounts are made by signing up (or an editor's *Add team member*) and changed by their member
    (``PUT /api/users/<id>``) or in the admin; not through the generated writes."""

    def create(self, actor, plan, *, publish):
        raise NotAllowed("Accounts are made by signing up: POST /api/auth/local/register")

    def update(self, actor, instance, plan, *, publish):
        raise NotAllowed("A member changes their own account with PUT /api/users/<id>")

    def delete(self, actor, instance):
        raise NotAllowed("Accounts are deactivated in the admin, not deleted through the API")


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


# What the forum's moderation rights (``Actor.forum_actions``) let a moderator send in a question's body.
QUESTION_MODERATION = {"archived": "archive", "topics": "move", "pinnedTopics": "pin", "resolvedBy": "solution"}


class QuestionService(ForumPostService):
    """Asked through the forum; moderators archive, move, pin and resolve by updating the question (as
    posthog.com does), each change through the moderation service with its log entry and events."""

    def writable_by(self, actor, instance, *, owns):
        if actor.blocked:
            return None
        allowed = set(self.content_type.owner_writable) | {"resolved", "resolvedBy"} if owns else set()
        rights = actor.forum_actions
        allowed |= {name for name, right in QUESTION_MODERATION.items() if right in rights}
        if "solution" in rights:
            allowed.add("resolved")
        return allowed or None

    def update(self, actor, instance, plan, *, publish):
        with transaction.atomic():
            self._moderate(actor, instance, plan)
            if plan.values or plan.many:
                return super().update(actor, instance, plan, publish=publish)
        instance.refresh_from_db()
        return instance

    def _moderate(self, actor, question, plan: WritePlan) -> None:
        actions, user = plan.actions, actor.user
        topics = [(op, targets) for relation, op, targets in plan.many if relation.attr == "topics"]
        # An editor's or a token's ``update`` permission is not a moderator's right.
        for name, right in QUESTION_MODERATION.items():
            sent = bool(topics) if name == "topics" else name in actions
            if sent and right not in actor.forum_actions and name != "resolvedBy":
                raise NotAllowed(f"Moderators change {name}")
        if topics:
            plan.many = [change for change in plan.many if change[0].attr != "topics"]
            moderation.move(question, _resulting(question.topics.all(), topics), by=user)
        if "archived" in actions:
            (moderation.archive if actions["archived"] else moderation.unarchive)(question, by=user)
        if "pinnedTopics" in actions:
            pinned = _resulting(question.pinned_topics.all(), actions["pinnedTopics"])
            moderation.set_pinned_topics(question, pinned, by=user)
        if "resolvedBy" in actions or actions.get("resolved") is False:
            self._resolve(actor, question, actions.get("resolvedBy") if actions.get("resolved") is not False else None)

    def _resolve(self, actor, question, reply) -> None:
        """The asker marks (or unmarks) the solution; a moderator only when the asker's account is gone."""
        asker = question.author.user if question.author_id else None
        by_profile = profile_of(actor.user) if actor.user else None
        by_moderator = actor.stands_in_for_asker(asker)
        if reply is None:
            forum.unmark_solution(question, by_profile=by_profile, by_moderator=by_moderator)
        else:
            forum.mark_solution(question, reply, by_profile=by_profile, by_moderator=by_moderator)

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


def _question_ids(notifications) -> set[int]:
    """The questions of the notifications a member keeps, as posthog.com sends them back."""
    if not isinstance(notifications, list):
        raise Invalid("notifications is the list of notifications to keep", field="notifications")
    kept = set()
    for note in notifications:
        question = note.get("question") if isinstance(note, dict) else None
        ref = question.get("id") if isinstance(question, dict) else question
        if isinstance(ref, bool) or not isinstance(ref, int):
            raise Invalid("notifications: each names its question {id}", field="notifications")
        kept.add(ref)
    return kept


def _resulting(current, changes) -> list:
    """A to-many relation's rows after Strapi's ``set`` / ``connect`` / ``disconnect`` changes, in order."""
    rows = {row.pk: row for row in current}
    for op, targets in changes:
        if op == "set":
            rows = {row.pk: row for row in targets}
        elif op == "connect":
            rows.update({row.pk: row for row in targets})
        else:
            for row in targets:
                rows.pop(row.pk, None)
    return list(rows.values())


class ReplyService(ForumPostService):
    """Posted through the forum; moderators unpublish (hide) and publish a reply by its ``publishedAt``,
    the asker and moderators mark it ``helpful``, moderators delete it, as posthog.com does."""

    def writable_by(self, actor, instance, *, owns):
        if actor.blocked:
            return None
        allowed = set(self.content_type.owner_writable) if owns else set()
        if {"hide", "unhide"} <= actor.forum_actions:
            allowed |= {"publishedAt", "helpful"}
        if actor.user is not None and instance.question.author.user_id == actor.user.pk:
            allowed.add("helpful")
        return allowed or None

    def update(self, actor, instance, plan, *, publish):
        actions = plan.actions
        asker = actor.user is not None and instance.question.author.user_id == actor.user.pk
        with transaction.atomic():
            if "publishedAt" in actions:
                if not {"hide", "unhide"} <= actor.forum_actions:
                    raise NotAllowed("Moderators publish and unpublish replies")
                moderation.set_hidden(instance, not actions["publishedAt"], by=actor.user)
            if "helpful" in actions:
                if not (asker or "hide" in actor.forum_actions):
                    raise NotAllowed("The asker and moderators say whether a reply helped")
                moderation.mark_helpful(instance, actions["helpful"], by=actor.user, by_asker=asker)
            if plan.values or plan.many:
                return super().update(actor, instance, plan, publish=publish)
        return instance

    def may_delete(self, actor, instance, *, owns) -> bool:
        # For good, unlike hiding: moderators only, not community moderators.
        return actor.moderates

    def delete(self, actor, instance):
        moderation.delete_reply(instance, by=actor.user)

    def create(self, actor, plan, *, publish):
        question = plan.values.get("question")
        if question is None:
            raise Invalid("Name the question this replies to.", field="question")
        with transaction.atomic():
            return forum.reply(self.author(actor), question, body=plan.values.get("body"))
