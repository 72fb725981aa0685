"""The registry entries: one per content type the API serves."""

from django.db import transaction
from django.db.models import Q

from api.registry import Attribute as A
from api.registry import Component, ContentType, Media, Relation, registry
from api.services import CoreService
from plugins.accounts.policy import membership_changes
from plugins.achievements.models import Achievement, AchievementGroup
from plugins.achievements.services import delete_achievement
from plugins.core.errors import Invalid, NotAllowed
from plugins.forum import services as forum
from plugins.forum.models import Question, Reply, Topic, TopicGroup
from plugins.forum.panel import load_moderation_details
from plugins.jobs.models import JobListing
from plugins.points.reputation import load_reputation
from plugins.profiles.models import Profile
from plugins.profiles.services import claim_or_create_profile
from plugins.rewards.models import RewardKind, RewardProduct
from plugins.rewards.services import delete_product, in_stock_q
from plugins.roadmap.models import RoadmapItem
from plugins.roadmap.services import load_vote_counts
from plugins.teams.models import Team, load_pineapple_counts
from plugins.teams.services import check_membership_change


class MembershipGuard(CoreService):
    """Writes that may change who is on a small team: only editors and the team's own leads may.

    ``membership`` maps the relation attributes that hold a membership to how a write's targets
    become team ids (``"targets"``: the targets are teams; ``"self"``: the row is the team).
    """

    membership: dict[str, str] = {}

    def changed_teams(self, instance, plan) -> set:
        changed = set()
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


class ProfileService(MembershipGuard):
    membership = {"teams": "targets", "lead_teams": "targets"}


class TeamService(MembershipGuard):
    membership = {"profiles": "self", "lead_profiles": "self"}


class AchievementService(CoreService):
    def delete(self, actor, instance):
        delete_achievement(instance)


class RewardProductService(CoreService):
    def delete(self, actor, instance):
        delete_product(instance)


READ = ("find", "findOne")
EVERYTHING = ("find", "findOne", "create", "update", "delete")
EDITORIAL_DEFAULTS = {"public": READ, "authenticated": READ, "moderator": READ, "editor": EVERYTHING}


registry.register(
    ContentType(
        plural="profiles",
        singular="profile",
        model=Profile,
        description="Community profiles: one per member; team members carry more.",
        attributes=(
            A("firstName", "first_name"),
            A("lastName", "last_name"),
            A("pronouns", "pronouns"),
            A("biography", "biography", "richtext"),
            A("website", "website"),
            A("github", "github"),
            A("linkedin", "linkedin"),
            A("twitter", "twitter"),
            A("company", "company"),
            A("companyRole", "company_role"),
            A("color", "color"),
            A("startDate", "start_date", "date"),
            A("location", "location"),
            A("country", "country"),
            A("pineappleOnPizza", "pineapple_on_pizza", "boolean"),
            A("points", "points_balance", "integer", writable=False, compute=lambda p: p.points_balance),
            A(
                "reputation",
                "reputation",
                "json",
                writable=False,
                compute=lambda p: {"tier": p.reputation.level, "name": p.reputation.name},
            ),
            A("email", "email", "email", private=True),
        ),
        prepare=load_reputation,
        relations=(
            Relation("teams", "teams", "teams"),
            Relation("leadTeams", "lead_teams", "teams"),
            # Achievements held now: through awards that have not been revoked.
            Relation(
                "achievements",
                "achievement_awards",
                "achievements",
                writable=False,
                through="achievement",
                through_filter=(("revoked_at__isnull", True),),
            ),
            # The discussions they took part in (archived questions and hidden replies stay out for the public).
            Relation("questions", "questions", "questions", writable=False, default_ordering=("-created_at",)),
            Relation("replies", "replies", "replies", writable=False, default_ordering=("-created_at",)),
        ),
        media=(Media("avatar", "avatar"),),
        owner="user_id",
        service=ProfileService(),
        # Their own public profile fields; not their team, start date, role or e-mail.
        owner_writable=(
            "firstName",
            "lastName",
            "pronouns",
            "biography",
            "website",
            "github",
            "linkedin",
            "twitter",
            "company",
            "color",
            "location",
            "country",
            "pineappleOnPizza",
            "avatar",
        ),
        default_permissions={
            "public": READ,
            "authenticated": READ,
            "moderator": ("find", "findOne", "update"),
            "editor": EVERYTHING,
        },
    )
)


CREST_OPTIONS = (
    "textColor",
    "textShadow",
    "fontSize",
    "frame",
    "frameColor",
    "plaque",
    "plaqueColor",
    "imageScale",
    "imageXOffset",
    "imageYOffset",
)


def _crest_option(key):
    return lambda team: (team.crest_options or {}).get(key)


def _pineapple_verdict(team):
    return team.pineapple().verdict


def _pineapple_share(team):
    return team.pineapple().share_in_favour


registry.register(
    ContentType(
        plural="teams",
        singular="team",
        model=Team,
        description="Small teams: the team page and the job listings are generated from them.",
        draft_and_publish=True,
        prepare=load_pineapple_counts,
        attributes=(
            A("name", "name", required=True),
            A("slug", "slug", "uid"),
            A("tagline", "tagline"),
            A("description", "description", "richtext"),
            A("emojis", "emojis"),
            A("displayOrder", "display_order", "integer"),
            A(
                "pineappleVerdict",
                "pineapple_verdict",
                "enumeration",
                writable=False,
                compute=_pineapple_verdict,
                enum=("in_favour", "against", "split", "undecided"),
            ),
            A("pineappleShareInFavour", "pineapple_share", "float", writable=False, compute=_pineapple_share),
        ),
        relations=(
            Relation("profiles", "profiles", "profiles"),
            Relation("leadProfiles", "lead_profiles", "profiles"),
            Relation("jobs", "jobs", "jobs"),
            Relation("roadmaps", "roadmap_items", "roadmaps"),
        ),
        media=(Media("crest", "crest"), Media("miniCrest", "mini_crest")),
        components=(
            Component(
                "crestOptions",
                attributes=tuple(A(key, "crest_options", "json", compute=_crest_option(key)) for key in CREST_OPTIONS),
            ),
            Component(
                "teamImage",
                attributes=(A("caption", "team_image_caption"),),
                media=(Media("image", "team_image"),),
            ),
        ),
        default_permissions=EDITORIAL_DEFAULTS,
        service=TeamService(),
    )
)

registry.register(
    ContentType(
        plural="jobs",
        singular="job",
        model=JobListing,
        description="Job listings, each tied to small teams.",
        draft_and_publish=True,
        attributes=(
            A("title", "title", required=True),
            A("slug", "slug", "uid"),
            A("department", "department"),
            A("location", "location"),
            A("remote", "remote", "boolean"),
            A(
                "employmentType",
                "employment_type",
                "enumeration",
                enum=("full_time", "part_time", "contract", "internship"),
            ),
            A("description", "description", "richtext", required=True),
            A("applyUrl", "apply_url", required=True),
        ),
        relations=(Relation("teams", "teams", "teams"),),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType(
        plural="achievement-groups",
        singular="achievement-group",
        model=AchievementGroup,
        description="Groups of achievements, optionally tiered bronze / silver / gold.",
        attributes=(
            A("name", "name", required=True),
            A("slug", "slug", "uid"),
            A("description", "description", "text"),
            A("tiered", "tiered", "boolean"),
        ),
        relations=(Relation("achievements", "achievements", "achievements"),),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType(
        plural="achievements",
        singular="achievement",
        model=Achievement,
        description="Achievements, each worth points.",
        draft_and_publish=True,
        attributes=(
            A("title", "title", required=True),
            A("slug", "slug", "uid"),
            A("description", "description", "text"),
            A("points", "points", "integer", required=True),
            A("tier", "tier", "enumeration", enum=("", "bronze", "silver", "gold")),
            A("trigger", "trigger", "enumeration"),
            A("threshold", "threshold", "integer"),
            A("repeatable", "repeatable", "boolean"),
        ),
        relations=(Relation("group", "group", "achievement-groups", many=False),),
        media=(Media("icon", "icon"),),
        default_permissions=EDITORIAL_DEFAULTS,
        service=AchievementService(),
    )
)

registry.register(
    ContentType(
        plural="reward-products",
        singular="reward-product",
        model=RewardProduct,
        description="Products in the rewards store: published and in stock (status=draft shows them all).",
        draft_and_publish=True,
        published_filter=in_stock_q(),
        attributes=(
            A("title", "title", required=True),
            A("handle", "handle", "uid"),
            A("kind", "kind", "enumeration", enum=tuple(RewardKind.values)),
            A("price", "price", "integer", required=True),
            A("discountAmount", "discount_amount", "decimal"),
            A("description", "description", "text"),
            A(
                "stock",
                "stock",
                "integer",
                create_only="Sales move the stock: set it when creating a product, change it with Restock in the admin",
            ),
        ),
        media=(Media("image", "image"),),
        default_permissions=EDITORIAL_DEFAULTS,
        service=RewardProductService(),
    )
)

registry.register(
    ContentType(
        plural="roadmaps",
        singular="roadmap",
        model=RoadmapItem,
        description="The public roadmap.",
        draft_and_publish=True,
        attributes=(
            A("title", "title", required=True),
            A("votes", "vote_count", "integer", writable=False, compute=lambda item: item.vote_count),
            A("slug", "slug", "uid"),
            A("tagline", "tagline"),
            A("description", "description", "richtext"),
            A("category", "category"),
            A("milestone", "milestone", "boolean"),
            A("complete", "complete", "boolean"),
            A("betaAvailable", "beta_available", "boolean"),
            A("dateCompleted", "date_completed", "date"),
            A("projectedCompletion", "projected_completion", "date"),
            A("githubUrls", "github_urls", "json"),
        ),
        relations=(Relation("teams", "teams", "teams"),),
        media=(Media("image", "image"),),
        components=(Component("cta", attributes=(A("label", "cta_label"), A("url", "cta_url"))),),
        prepare=load_vote_counts,
        default_permissions=EDITORIAL_DEFAULTS,
    )
)


# The forum. Members create questions and replies through the forum's services (which file a docs
# question under its topic, subscribe the asker and emit the events), and update their own.
FORUM_DEFAULTS = {
    "public": READ,
    "authenticated": (*READ, "create"),
    "moderator": (*READ, "create"),
    "editor": EVERYTHING,
}
TAXONOMY_DEFAULTS = {"public": READ, "authenticated": READ, "moderator": READ, "editor": EVERYTHING}


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


registry.register(
    ContentType(
        plural="topic-groups",
        singular="topic-group",
        model=TopicGroup,
        description="Groups of forum topics.",
        attributes=(
            A("label", "label", required=True),
            A("slug", "slug", "uid"),
            A("sortOrder", "sort_order", "integer"),
        ),
        relations=(Relation("topics", "topics", "topics", writable=False),),
        default_permissions=TAXONOMY_DEFAULTS,
    )
)

registry.register(
    ContentType(
        plural="topics",
        singular="topic",
        model=Topic,
        description="Forum topics.",
        attributes=(
            A("label", "label", required=True),
            A("slug", "slug", "uid"),
            A("description", "description", "text"),
            A("channelWebhookUrl", "channel_webhook_url", private=True),
        ),
        relations=(
            Relation("group", "group", "topic-groups", many=False),
            Relation("questions", "questions", "questions", writable=False),
        ),
        default_permissions=TAXONOMY_DEFAULTS,
    )
)

registry.register(
    ContentType(
        plural="questions",
        singular="question",
        model=Question,
        description="Forum questions, asked in the forum or at the end of a docs page (page holds its path).",
        attributes=(
            A("subject", "subject", required=True),
            A("slug", "slug", "uid", writable=False),
            A("body", "body", "text", required=True),
            A("bodyHtml", "body_html", "richtext", writable=False),
            A("page", "page"),
            A("numReplies", "num_replies", "integer", writable=False),
            A("lastActivityAt", "last_activity_at", "datetime", writable=False),
            A("pinned", "pinned", "boolean", writable=False),
            A("archivedAt", "archived_at", "datetime", private=True, writable=False),
            A("held", "held", "boolean", private=True, writable=False),
            # For moderators only (private): the asker's details and the internal tags.
            A(
                "internalTags",
                "internal_tag_names",
                "json",
                private=True,
                writable=False,
                compute=lambda q: q.internal_tag_names,
            ),
            A(
                "moderatorPanel",
                "moderator_panel",
                "json",
                private=True,
                writable=False,
                compute=lambda q: q.moderator_panel,
            ),
        ),
        prepare=load_moderation_details,
        relations=(
            Relation("author", "author", "profiles", many=False, writable=False),
            Relation("topics", "topics", "topics"),
            Relation("replies", "replies", "replies", writable=False),
            Relation("solution", "solution", "replies", many=False, writable=False),
        ),
        published_filter=Q(archived_at__isnull=True, held=False),
        owner="author__user_id",
        owner_sees_hidden=True,
        service=QuestionService(),
        create_rate_limit="ask",
        owner_writable=("subject", "body"),
        default_permissions=FORUM_DEFAULTS,
    )
)

registry.register(
    ContentType(
        plural="replies",
        singular="reply",
        model=Reply,
        description="Replies to forum questions.",
        attributes=(
            A("body", "body", "text", required=True),
            A("bodyHtml", "body_html", "richtext", writable=False),
            A("upvotes", "upvotes", "integer", writable=False),
            A("downvotes", "downvotes", "integer", writable=False),
            A("hidden", "hidden", "boolean", private=True, writable=False),
        ),
        relations=(
            Relation("question", "question", "questions", many=False),
            Relation("author", "author", "profiles", many=False, writable=False),
        ),
        published_filter=Q(hidden=False, question__archived_at__isnull=True, question__held=False),
        service=ReplyService(),
        create_rate_limit="reply",
        owner="author__user_id",
        owner_writable=("body",),
        default_permissions=FORUM_DEFAULTS,
    )
)

registry.validate()
