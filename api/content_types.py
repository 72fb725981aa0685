"""The registry entries: one per content type the API serves.

Each entry names the model fields it exposes; what they are called, their types, enums, media and
relations come from the model (``ContentType.from_model``). What is written here is what the model
cannot say: computed attributes, components, through-relations, renames, read-only fields, who may
do what, and the core service of a type whose writes go through its plugin's rules.
"""

from api import services
from api.registry import Component, ContentType, Relation, computed, registry
from plugins.accounts.models import Member, blocked
from plugins.achievements.models import Achievement, AchievementGroup
from plugins.forum.models import (
    Question,
    Reply,
    Topic,
    TopicGroup,
    archived,
    public_questions,
    public_replies,
    resolved,
)
from plugins.forum.panel import load_moderation_details
from plugins.jobs.models import JobListing
from plugins.points.reputation import load_reputation
from plugins.points.services import balance_annotations, balance_expression
from plugins.profiles.models import Profile
from plugins.rewards.models import RewardProduct
from plugins.rewards.services import in_stock_q
from plugins.roadmap.models import RoadmapItem, TeamUpdate
from plugins.roadmap.services import load_vote_counts
from plugins.teams.models import (
    Team,
    load_pineapple_counts,
    pineapple_share_expression,
    pineapple_verdict_expression,
)
from plugins.teams.pineapple import VERDICT_LABELS

READ = ("find", "findOne")
EVERYTHING = ("find", "findOne", "create", "update", "delete")
EDITORIAL_DEFAULTS = {"public": READ, "authenticated": READ, "moderator": READ, "editor": EVERYTHING}
# Members create questions and replies (through the forum's services) and update their own.
FORUM_DEFAULTS = {
    "public": READ,
    "authenticated": (*READ, "create"),
    "moderator": (*READ, "create"),
    "editor": EVERYTHING,
}
# What members change on their own profile (and everyone reads).
MEMBER_EDITABLE = (
    "first_name",
    "last_name",
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
    "pineapple_on_pizza",
    "ama_enabled",
    "avatar",
)
# What a member follows and likes, changed through the forum's and the roadmap's services.
FOLLOWING = ("questionSubscriptions", "topicSubscriptions", "roadmapLikes", "roadmapSubscriptions")
# The link rows of what a member follows belong to the member whose profile they hang from.
OWNED_BY_PROFILE = "profile__user_id"
# Newest first: a profile's discussions, as its page lists them.
NEWEST_FIRST = ("-created_at",)


registry.register(
    ContentType.from_model(
        Profile,
        "profiles",
        description="Community profiles: one per member; team members carry more.",
        fields=(
            *MEMBER_EDITABLE,
            "company_role",
            "start_date",
            "teams",
            "lead_teams",
            "quotes",
            # The discussions they took part in (archived questions and hidden replies stay out for the public).
            "questions",
            "replies",
        ),
        private=("email",),
        ordering={"questions": NEWEST_FIRST, "replies": NEWEST_FIRST},
        computed=(
            computed("points", "integer", lambda p: p.points_balance, expression=balance_expression),
            # PostHog sorts and filters members by a number: the points the reputation tiers are measured on.
            computed("reputation", "integer", lambda p: p.points_balance, expression=balance_expression),
            computed("reputationTier", "json", lambda p: {"tier": p.reputation.level, "name": p.reputation.name}),
        ),
        prepare=load_reputation,
        annotations=balance_annotations,
        relations=(
            # Achievements held now: through awards that have not been revoked.
            Relation(
                "achievements",
                "achievement_awards",
                "achievements",
                writable=False,
                through="achievement",
                through_filter=(("revoked_at__isnull", True),),
                # PostHog's shape: [{id, hidden, achievement}]; the member hides one from their page.
                link_entry="achievement",
                link_fields=(("hidden", "hidden"),),
            ),
            # The member's account (moderators and editors read it: its e-mail, whether it is blocked).
            Relation("user", "user", "users", many=False, writable=False, private=True),
            # What the member follows and likes (PostHog's names): theirs to read and change, with
            # connect / disconnect, through the forum's and the roadmap's services.
            *(
                Relation(name, attr, target, writable=False, through=through, **extra)
                for name, attr, target, through, extra in (
                    (
                        "questionSubscriptions",
                        "forum_subscriptions",
                        "questions",
                        "question",
                        {"through_filter": (("question__isnull", False),), "owner_only": OWNED_BY_PROFILE},
                    ),
                    (
                        "topicSubscriptions",
                        "forum_subscriptions",
                        "topics",
                        "topic",
                        {"through_filter": (("topic__isnull", False),), "owner_only": OWNED_BY_PROFILE},
                    ),
                    # Votes are public, as on the roadmap itself; what one follows is one's own.
                    ("roadmapLikes", "roadmap_votes", "roadmaps", "item", {}),
                    (
                        "roadmapSubscriptions",
                        "roadmap_subscriptions",
                        "roadmaps",
                        "item",
                        {"owner_only": OWNED_BY_PROFILE},
                    ),
                )
            ),
        ),
        owner="user_id",
        # Their own public profile fields; not their team, start date, role or e-mail.
        owner_writable=(*MEMBER_EDITABLE, *FOLLOWING, "achievements", "notifications"),
        service_writable=(*FOLLOWING, "achievements", "notifications"),
        # posthog.com dismisses notifications (GET /api/profile/notifications) by sending back the rest.
        write_only=("notifications",),
        service=services.ProfileService(),
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


registry.register(
    ContentType.from_model(
        Team,
        "teams",
        description="Small teams: the team page and the job listings are generated from them.",
        draft_and_publish=True,
        fields=(
            "name",
            "slug",
            "tagline",
            "description",
            "emojis",
            "display_order",
            "crest",
            "mini_crest",
            "profiles",
            "lead_profiles",
            "jobs",
            "roadmap_items",
            "topic_subscriptions",
        ),
        private=("slack_channel",),
        renames={"roadmap_items": "roadmaps"},
        computed=(
            computed(
                "pineappleVerdict",
                "enumeration",
                lambda team: team.pineapple().verdict,
                enum=tuple(VERDICT_LABELS),
                expression=pineapple_verdict_expression,
            ),
            computed(
                "pineappleShareInFavour",
                "float",
                lambda team: team.pineapple().share_in_favour,
                expression=pineapple_share_expression,
            ),
        ),
        prepare=load_pineapple_counts,
        components=(
            Component(
                "crestOptions",
                attributes=tuple(
                    computed(key, "json", _crest_option(key), reads="crest_options") for key in CREST_OPTIONS
                ),
            ),
            Component("teamImage", fields={"caption": "team_image_caption", "image": "team_image"}),
        ),
        service=services.TeamService(),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        JobListing,
        "jobs",
        description="Job listings, each tied to small teams.",
        draft_and_publish=True,
        fields=(
            "title",
            "slug",
            "department",
            "location",
            "remote",
            "employment_type",
            "description",
            "apply_url",
            "teams",
        ),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        AchievementGroup,
        "achievement-groups",
        description="Groups of achievements, optionally tiered bronze / silver / gold.",
        fields=("name", "slug", "description", "tiered", "icon", "achievements"),
        renames={"name": "Title"},  # PostHog's schema spells it so
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        Achievement,
        "achievements",
        description="Achievements, each worth points.",
        draft_and_publish=True,
        fields=(
            "title",
            "slug",
            "description",
            "points",
            "tier",
            "trigger",
            "threshold",
            "repeatable",
            "group",
            "icon",
        ),
        renames={"group": "achievement_group"},  # PostHog's schema
        service=services.AchievementService(),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        RewardProduct,
        "reward-products",
        description="Products in the rewards store: published and in stock (status=draft shows them all).",
        draft_and_publish=True,
        published_filter=in_stock_q(),
        fields=("title", "handle", "kind", "price", "discount_amount", "description", "stock", "image"),
        create_only={
            "stock": "Sales move the stock: set it when creating a product, change it with Restock in the admin"
        },
        service=services.RewardProductService(),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        RoadmapItem,
        "roadmaps",
        description="The public roadmap.",
        draft_and_publish=True,
        fields=(
            "title",
            "slug",
            "tagline",
            "description",
            "category",
            "milestone",
            "complete",
            "beta_available",
            "date_completed",
            "projected_completion",
            "github_urls",
            "teams",
            "topic",
            "image",
            "updates",
        ),
        read_only=("updates",),
        relations=(
            # Who voted (public, as the count is) and who follows (each member sees only themselves).
            Relation("likes", "votes", "profiles", writable=False, through="profile"),
            Relation(
                "subscribers",
                "subscriptions",
                "profiles",
                writable=False,
                through="profile",
                owner_only=OWNED_BY_PROFILE,
            ),
        ),
        computed=(computed("votes", "integer", lambda item: item.vote_count),),
        components=(Component("cta", fields={"label": "cta_label", "url": "cta_url"}),),
        prepare=load_vote_counts,
        default_permissions=EDITORIAL_DEFAULTS,
    )
)


registry.register(
    ContentType.from_model(
        TeamUpdate,
        "team-updates",
        description="Small teams' weekly updates: what shipped or was answered, and the thing of the week.",
        fields=("team", "description", "roadmap", "question", "thing_of_the_week"),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)


registry.register(
    ContentType.from_model(
        Member,
        "users",
        singular="user",
        description="Member accounts, as users-permissions shows them (moderators and editors read them).",
        fields=("profile",),
        # On posthog.com the username is the e-mail address.
        private=("username", "email"),
        trusted_readers_only=True,
        read_only=("username", "email", "profile"),
        computed=(
            computed("provider", "string", lambda user: "local", reads="username", prepared=False),
            computed("confirmed", "boolean", lambda user: True, reads="username", prepared=False),
            computed(
                "blocked", "boolean", lambda user: user.blocked, reads="is_active", expression=blocked, prepared=False
            ),
            # The website's analytics id for the member (PUT /api/users/<id>), for moderators.
            computed(
                "distinctId",
                "string",
                lambda user: user.distinct_id or None,
                reads="username",
                private=True,
                prepared=False,
            ),
        ),
        service=services.AccountService(),
        default_permissions={"moderator": READ, "editor": READ},
    )
)


# The forum's taxonomy, kept by editors.

registry.register(
    ContentType.from_model(
        TopicGroup,
        "topic-groups",
        description="Groups of forum topics.",
        fields=("label", "slug", "sort_order", "topics"),
        read_only=("topics",),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        Topic,
        "topics",
        description="Forum topics.",
        fields=("label", "slug", "description", "group", "questions"),
        private=("channel_webhook_url",),
        read_only=("questions",),
        default_permissions=EDITORIAL_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        Question,
        "questions",
        description="Forum questions, asked in the forum or at the end of a docs page (page holds its path).",
        fields=(
            "subject",
            "slug",
            "body",
            "body_html",
            "page",
            "num_replies",
            "last_activity_at",
            "pinned",
            "author",
            "topics",
            "pinned_topics",
            "replies",
            "solution",
        ),
        private=("archived_at", "held"),
        # PostHog's names for the asker, the permalink, the last activity and the solution.
        renames={"slug": "permalink", "author": "profile", "last_activity_at": "activeAt", "solution": "resolvedBy"},
        # Moderators change these through their actions (archive, approve, pin); counts follow the replies.
        read_only=(
            "num_replies",
            "last_activity_at",
            "pinned",
            "archived_at",
            "held",
            "author",
            "solution",
            "pinned_topics",
        ),
        # Moderators (and, for the solution, the asker) send these; the forum's moderation acts on them.
        service_writable=("archived", "resolved", "resolvedBy", "pinnedTopics"),
        computed=(
            computed(
                "archived", "boolean", lambda q: q.archived, reads="archived_at", expression=archived, prepared=False
            ),
            computed(
                "resolved",
                "boolean",
                lambda q: q.solution_id is not None,
                reads="solution",
                expression=resolved,
                prepared=False,
            ),
            # For moderators only: the asker's details and the internal tags.
            computed("internalTags", "json", lambda q: q.internal_tag_names, private=True),
            # The batch loader finds the asker from ``author_id``.
            computed("moderatorPanel", "json", lambda q: q.moderator_panel, reads="author", private=True),
        ),
        components=(
            # PostHog's docs pages a question was asked on (ours: the one ``page``).
            Component("slugs", fields={"slug": "page"}, repeatable=True),
        ),
        prepare=load_moderation_details,
        published_filter=public_questions(),
        owner="author__user_id",
        owner_sees_hidden=True,
        owner_writable=("subject", "body"),
        service=services.QuestionService(),
        create_rate_limit="ask",
        default_permissions=FORUM_DEFAULTS,
    )
)

registry.register(
    ContentType.from_model(
        Reply,
        "replies",
        singular="reply",
        description="Replies to forum questions.",
        fields=("body", "body_html", "upvotes", "downvotes", "helpful", "question", "author"),
        private=("hidden",),
        renames={"author": "profile"},
        read_only=("upvotes", "downvotes", "hidden", "author", "helpful"),
        # A hidden reply reads as unpublished; moderators send publishedAt to hide or show it.
        unpublished_by="hidden",
        service_writable=("publishedAt", "helpful"),
        published_filter=public_replies(),
        owner="author__user_id",
        owner_writable=("body",),
        service=services.ReplyService(),
        create_rate_limit="reply",
        default_permissions=FORUM_DEFAULTS,
    )
)

registry.resolve()
