"""posthog.com's calls to its Strapi 4, as its source makes them (PostHog/posthog.com), and what it reads.

Each call names its source, who makes it (``anonymous``, ``member`` — signed in with a JWT — or
``moderator``), the method, the path (``{question}`` and the like are filled from the demo data), the
``qs`` object (stringified as the ``qs`` package does), the body, and the response paths the site's
code then reads (``data.*.attributes.subject``: every row has it; ``data.0…``: the first).
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_ARCHIVED = {"$or": [{"archived": {"$null": True}}, {"archived": {"$eq": False}}]}


@dataclass(frozen=True)
class Call:
    source: str
    method: str
    path: str
    who: str = "anonymous"
    qs: dict | None = None
    body: dict | None = None
    reads: tuple[str, ...] = ()
    status: int = 200
    # Calls the CMS does not serve yet (issue 13 goes on); replayed and expected to fail until built.
    pending: str = ""
    # qs.stringify without encodeValuesOnly (the Gatsby build's default): brackets percent-encoded too.
    encode_keys: bool = False


ME_QUERY = {
    "populate": {
        "profile": {
            "populate": {
                "images": {"sort": ["createdAt:desc"]},
                "avatar": True,
                "questionSubscriptions": {"filters": NOT_ARCHIVED},
                "topicSubscriptions": {"fields": ["slug", "label"]},
                "postLikes": {"fields": ["id"]},
                "roadmapLikes": {"fields": ["id"]},
                "teams": {"fields": ["id"]},
                "notifications": {"populate": {"question": {"populate": {"replies": True}}}},
            }
        },
        "role": {"fields": ["type"]},
    }
}

QUESTIONS_QUERY = {
    "pagination": {"start": 0, "limit": 20},
    "sort": "createdAt:desc",
    "filters": {"subject": {"$ne": ""}, "slugs": {"slug": {"$notContainsi": "/community/profiles"}}, **NOT_ARCHIVED},
    "populate": {
        "pinnedTopics": True,
        "topics": True,
        "profile": {"fields": ["firstName", "lastName", "gravatarURL"], "populate": {"avatar": {"fields": ["url"]}}},
        "replies": {
            "populate": {
                "profile": {"populate": {"user": {"populate": ["role"], "fields": ["role"]}}, "fields": ["firstName"]}
            },
            "fields": ["id", "createdAt", "updatedAt"],
        },
    },
}

QUESTION_QUERY = {
    "publicationState": "preview",
    "filters": {"permalink": {"$eq": "{permalink}"}},
    "populate": {
        "resolvedBy": {"select": ["id"]},
        "profile": {
            "select": ["id", "firstName", "lastName", "color"],
            "populate": {"avatar": {"select": ["id", "url"]}},
        },
        "replies": {
            "sort": ["createdAt:asc"],
            "populate": {
                "profile": {
                    "fields": ["id", "firstName", "lastName", "gravatarURL", "pronouns", "color"],
                    "populate": {"avatar": {"fields": ["id", "url"]}, "teams": {"fields": ["id"]}},
                }
            },
        },
        "topics": True,
        "pinnedTopics": True,
        "slugs": True,
    },
}

PROFILES_QUERY = {
    "populate": {"avatar": {"fields": ["url"]}, "user": {"fields": ["email"]}},
    "fields": ["firstName", "lastName", "reputation", "color", "startDate", "createdAt"],
    "filters": {
        "$and": [
            {"reputation": {"$gte": 1}},
            {"$or": [{"firstName": {"$containsi": "a"}}, {"lastName": {"$containsi": "a"}}]},
        ]
    },
    "sort": ["reputation:desc"],
    "pagination": {"page": 1, "pageSize": 25},
}

TEAM_QUERY = {
    "filters": {"slug": {"$eqi": "{team_slug}"}},
    "publicationState": "preview",
    "populate": {
        "profiles": {
            "filters": {"startDate": {"$lte": "2100-01-01T00:00:00.000Z"}},
            "populate": {"avatar": True, "leadTeams": {"populate": {"name": True}}},
        },
        "leadProfiles": True,
        "crest": True,
        "crestOptions": True,
        "teamImage": {"populate": {"image": True}},
    },
}

ROADMAPS_QUERY = {
    "populate": {
        "updates": {"populate": ["question", "team"]},
        "teams": {"populate": ["leadProfiles"]},
        "likes": True,
        "topic": True,
        "image": True,
        "cta": True,
    },
    "sort": "updatedAt:desc",
    "pagination": {"start": 0, "limit": 20},
}

CALLS: tuple[Call, ...] = (
    # src/hooks/useUser.tsx
    Call(
        "useUser.signUp",
        "POST",
        "auth/local/register",
        body={
            "username": "{new_email}",
            "email": "{new_email}",
            "password": "a long enough password 42",
            "firstName": "New",
            "lastName": "Member",
        },
        reads=("jwt", "user.id"),
    ),
    Call(
        "useUser.login",
        "POST",
        "auth/local",
        body={"identifier": "{member_email}", "password": "{password}"},
        reads=("jwt", "user.id", "user.email"),
    ),
    Call(
        "useUser.fetchUser",
        "GET",
        "users/me",
        who="member",
        qs=ME_QUERY,
        reads=("id", "email", "username", "createdAt", "blocked", "confirmed", "provider", "profile.id", "role.type"),
    ),
    Call("useUser.login (distinctId)", "PUT", "users/{member_id}", who="member", body={"distinctId": "ph-1"}),
    Call("useUser.fetchUser (notifications)", "GET", "profile/notifications", who="member"),
    Call(
        "useUser.updateNotifications",
        "PUT",
        "profiles/{member_profile}",
        who="member",
        body={"data": {"notifications": []}},
    ),
    Call("useUser.voteReply", "PUT", "replies/{reply}/up", who="member"),
    Call(
        "useUser.isSubscribed",
        "GET",
        "profiles",
        qs={
            "filters": {"id": {"$eq": "{member_profile}"}, "questionSubscriptions": {"id": {"$eq": "{question}"}}},
            "populate": {"questionSubscriptions": True},
        },
        # posthog.com asks without its JWT: what a member follows is theirs, so the public reads none
        # (README: the differences from PostHog's Strapi).
        reads=("data",),
    ),
    Call(
        "useUser.setSubscription",
        "PUT",
        "profiles/{member_profile}",
        who="member",
        body={"data": {"questionSubscriptions": {"connect": ["{question}"]}}},
        reads=("data.id",),
    ),
    Call(
        "useUser.setSubscription (topic, off)",
        "PUT",
        "profiles/{member_profile}",
        who="member",
        body={"data": {"topicSubscriptions": {"disconnect": ["{topic}"]}}},
    ),
    Call(
        "useUser.likeRoadmap",
        "PUT",
        "profiles/{member_profile}",
        who="member",
        body={"data": {"roadmapLikes": {"connect": ["{roadmap}"]}}},
    ),
    Call(
        "useUser.likeRoadmap (unlike)",
        "PUT",
        "profiles/{member_profile}",
        who="member",
        body={"data": {"roadmapLikes": {"disconnect": ["{roadmap}"]}}},
    ),
    Call(
        "useUser.updateLocation",
        "PUT",
        "profiles/{member_profile}",
        who="member",
        body={"data": {"location": "Lisbon, Portugal"}},
        reads=("data.attributes.location",),
    ),
    # src/hooks/useQuestions.tsx
    Call(
        "useQuestions",
        "GET",
        "questions",
        qs=QUESTIONS_QUERY,
        reads=(
            "data.*.id",
            "data.*.attributes.subject",
            "data.*.attributes.permalink",
            "data.*.attributes.profile.data.attributes.firstName",
            "data.*.attributes.replies.data",
            "data.*.attributes.topics.data",
            "meta.pagination.total",
        ),
    ),
    Call(
        "useQuestions (activity, in a topic)",
        "GET",
        "questions",
        qs={**QUESTIONS_QUERY, "sort": "activeAt:desc", "filters": {"topics": {"id": {"$eq": "{topic}"}}}},
        reads=("data.*.attributes.activeAt", "meta.pagination.total"),
    ),
    Call(
        "useQuestions (a profile's)",
        "GET",
        "questions",
        qs={
            **QUESTIONS_QUERY,
            "sort": "numReplies:desc",
            "filters": {
                "$or": [
                    {"profile": {"id": {"$eq": "{asker_profile}"}}},
                    {"replies": {"profile": {"id": {"$eq": "{asker_profile}"}}}},
                ]
            },
        },
        reads=("data.0.attributes.subject", "meta.pagination.total"),
    ),
    # src/components/Squeak/hooks/useQuestion.tsx
    Call(
        "useQuestion",
        "GET",
        "questions",
        who="member",
        qs=QUESTION_QUERY,
        reads=(
            "data.0.id",
            "data.0.attributes.subject",
            "data.0.attributes.body",
            "data.0.attributes.resolved",
            "data.0.attributes.archived",
            "data.0.attributes.profile.data.id",
            "data.0.attributes.profile.data.attributes.firstName",
            "data.0.attributes.replies.data.0.attributes.body",
            "data.0.attributes.replies.data.0.attributes.profile.data.attributes.firstName",
            "data.0.attributes.slugs",
        ),
    ),
    Call(
        "useQuestion.reply",
        "POST",
        "replies",
        who="member",
        body={
            "data": {"body": "Thanks, that works.", "question": "{question}"},
            "populate": {"profile": {"fields": ["id", "firstName"], "populate": {"avatar": {"fields": ["id", "url"]}}}},
        },
        status=201,
        reads=("data.id", "data.attributes.body"),
    ),
    Call("useQuestion.escalate", "POST", "escalate", who="moderator", body={"id": "{question}", "message": "Billing"}),
    Call(
        "useQuestion.archive",
        "PUT",
        "questions/{question}",
        who="moderator",
        body={"data": {"archived": True}},
        reads=("data.attributes.archived",),
    ),
    Call(
        "useQuestion.archive(false)",
        "PUT",
        "questions/{question}",
        who="moderator",
        body={"data": {"archived": False}},
    ),
    Call(
        "useQuestion.addTopic",
        "PUT",
        "questions/{question}",
        who="moderator",
        body={"data": {"topics": {"connect": ["{other_topic}"]}}},
    ),
    Call(
        "useQuestion.pinTopics",
        "PUT",
        "questions/{question}",
        who="moderator",
        body={"data": {"pinnedTopics": ["{other_topic}"]}},
    ),
    Call(
        "useQuestion.removeTopic",
        "PUT",
        "questions/{question}",
        who="moderator",
        body={"data": {"topics": {"disconnect": ["{other_topic}"]}, "pinnedTopics": []}},
    ),
    Call(
        "useQuestion.handleResolve",
        "PUT",
        "questions/{question}",
        who="asker",
        body={"data": {"resolved": True, "resolvedBy": "{reply}"}},
        reads=("data.attributes.resolved",),
    ),
    Call(
        "useQuestion.handlePublishReply",
        "PUT",
        "replies/{reply}",
        who="moderator",
        body={"data": {"publishedAt": None}},
    ),
    Call(
        "useQuestion.handlePublishReply(true)",
        "PUT",
        "replies/{reply}",
        who="moderator",
        body={"data": {"publishedAt": "2026-01-01T00:00:00.000Z"}},
    ),
    Call("useQuestion.handleReplyDelete", "DELETE", "replies/{spare_reply}", who="moderator"),
    # src/hooks/useCommunityProfiles.ts
    Call(
        "useCommunityProfiles",
        "GET",
        "profiles",
        qs=PROFILES_QUERY,
        reads=("data.*.id", "data.*.attributes.firstName", "data.*.attributes.reputation", "meta.pagination.pageCount"),
    ),
    Call(
        "useCommunityProfiles (moderators, by e-mail)",
        "GET",
        "profiles",
        who="moderator",
        qs={
            **PROFILES_QUERY,
            "filters": {"$or": [{"firstName": {"$containsi": "e"}}, {"user": {"email": {"$containsi": "@"}}}]},
        },
        reads=("data.*.attributes.firstName", "data.*.attributes.user.data"),
    ),
    # src/hooks/useTeam.tsx, useTeamUpdates.tsx, useCommunityAlerts.ts
    Call(
        "useTeam.fetchTeam",
        "GET",
        "teams",
        qs=TEAM_QUERY,
        reads=(
            "data.0.id",
            "data.0.attributes.name",
            "data.0.attributes.profiles.data.*.attributes.firstName",
            "data.0.attributes.crest",
            "data.0.attributes.crestOptions",
        ),
    ),
    Call(
        "useTeam.addTeamMember",
        "PUT",
        "teams/{team}",
        who="lead",
        body={"data": {"profiles": {"connect": ["{newcomer_profile}"]}}},
    ),
    Call(
        "useTeam.handleTeamLead",
        "PUT",
        "teams/{team}",
        who="lead",
        body={"data": {"leadProfiles": {"connect": ["{newcomer_profile}"]}}},
    ),
    Call(
        "useTeam.handleTeamLead(remove)",
        "PUT",
        "teams/{team}",
        who="lead",
        body={"data": {"leadProfiles": {"disconnect": ["{newcomer_profile}"]}}},
    ),
    Call(
        "useTeam.removeTeamMember",
        "PUT",
        "teams/{team}",
        who="lead",
        body={"data": {"profiles": {"disconnect": ["{newcomer_profile}"]}}},
    ),
    Call(
        "useTeam.updateDescription",
        "PUT",
        "teams/{team}",
        who="lead",
        body={"data": {"description": "We help people grow."}},
        reads=("data.attributes.description",),
    ),
    Call(
        "useCommunityAlerts (teams)",
        "GET",
        "teams",
        who="moderator",
        qs={
            "fields": ["name", "slug", "publishedAt"],
            "populate": {"topicSubscriptions": {"fields": ["id"]}},
            "publicationState": "preview",
            "pagination": {"pageSize": 200},
            "sort": ["name:asc"],
        },
        reads=(
            "data.*.id",
            "data.*.attributes.name",
            "data.*.attributes.slug",
            "data.*.attributes.publishedAt",
            "data.*.attributes.topicSubscriptions.data",
        ),
    ),
    Call(
        "useCommunityAlerts.subscribeTeam",
        "PUT",
        "teams/{team}",
        who="moderator",
        body={"data": {"topicSubscriptions": {"connect": ["{topic}"]}}},
    ),
    Call(
        "useCommunityAlerts.unsubscribeTeam",
        "PUT",
        "teams/{team}",
        who="moderator",
        body={"data": {"topicSubscriptions": {"disconnect": ["{topic}"]}}},
    ),
    Call(
        "useTeamUpdates (team)",
        "GET",
        "teams",
        qs={"filters": {"name": {"$eqi": "{team_name}"}}},
        reads=("data.0.id",),
    ),
    Call(
        "useTeamUpdates",
        "GET",
        "team-updates",
        qs={
            "populate": ["question.id", "roadmap.id", "team.id"],
            "sort": ["createdAt:desc"],
            "filters": {"$and": [{"team": {"id": {"$eq": "{team}"}}}]},
        },
        reads=("data.*.attributes.thingOfTheWeek", "data.*.attributes.team.data.id", "data.*.attributes.roadmap"),
    ),
    Call(
        "useCommunityAlerts (topics)",
        "GET",
        "topics",
        qs={"fields": ["label", "slug"], "pagination": {"pageSize": 200}, "sort": ["label:asc"]},
        reads=("data.*.id", "data.*.attributes.label", "data.*.attributes.slug"),
    ),
    Call(
        "useCommunityAlerts (topic groups)",
        "GET",
        "topic-groups",
        qs={"fields": ["label"], "populate": {"topics": {"fields": ["id"]}}, "pagination": {"pageSize": 100}},
        reads=("data.*.attributes.label", "data.*.attributes.topics.data"),
    ),
    # src/hooks/useRoadmaps.ts, src/components/Roadmap
    Call(
        "useRoadmaps",
        "GET",
        "roadmaps",
        qs=ROADMAPS_QUERY,
        reads=(
            "data.*.id",
            "data.*.attributes.title",
            "data.*.attributes.teams.data",
            "data.*.attributes.likes.data",
            "data.*.attributes.topic",
            "data.*.attributes.updates.data",
            "meta.pagination.total",
        ),
    ),
    Call("Roadmap subscribe", "POST", "roadmap/{roadmap}/subscribe", who="member"),
    Call("Roadmap unsubscribe", "POST", "roadmap/{roadmap}/unsubscribe", who="member"),
    # plugins/gatsby-source-squeak/gatsby-node.ts (no auth on any call)
    Call(
        "gatsby-source-squeak (profiles)",
        "GET",
        "profiles",
        qs={
            "filters": {"$and": [{"startDate": {"$notNull": True}}, {"startDate": {"$lte": "2100-01-01T00:00:00Z"}}]},
            "pagination": {"page": 1, "pageSize": 100},
            "populate": ["avatar", "teams", "leadTeams", "quotes", "color"],
        },
        reads=(
            "data.*.id",
            "data.*.attributes.firstName",
            "data.*.attributes.teams.data",
            "data.*.attributes.leadTeams.data",
            "data.*.attributes.quotes",
            "data.*.attributes.avatar",
            "meta.pagination.pageCount",
        ),
    ),
    Call(
        "gatsby-source-squeak (questions)",
        "GET",
        "questions",
        qs={
            "pagination": {"page": 1, "pageSize": 100},
            "populate": {
                "profile": {"fields": ["id"]},
                "replies": {"populate": {"profile": {"fields": ["id"]}}},
                "topics": {"fields": ["id"]},
                "resolvedBy": {"fields": ["id"]},
            },
        },
        encode_keys=True,
        reads=("data.*.attributes.body", "data.*.attributes.profile.data.id", "data.*.attributes.replies.data"),
    ),
    Call(
        "gatsby-source-squeak (topic groups)",
        "GET",
        "topic-groups",
        qs={"populate": {"topics": {"fields": ["id"]}}},
        encode_keys=True,
        reads=("data.*.attributes.label", "data.*.attributes.slug", "data.*.attributes.topics.data"),
    ),
    Call(
        "gatsby-source-squeak (topics)",
        "GET",
        "topics",
        qs={"pagination": {"page": 1, "pageSize": 100}},
        reads=("data.*.attributes.label", "data.*.attributes.slug"),
    ),
    Call(
        "gatsby-source-squeak (teams)",
        "GET",
        "teams",
        qs={
            "pagination": {"page": 1, "pageSize": 100},
            "populate": {
                "roadmaps": {"fields": ["id"]},
                "profiles": {"populate": "*"},
                "leadProfiles": {"fields": "id"},
                "crest": True,
                "crestOptions": True,
                "miniCrest": True,
                "teamImage": {"populate": {"image": True}},
                "tagline": True,
            },
        },
        reads=("data.*.attributes.name", "data.*.attributes.crestOptions", "data.*.attributes.profiles.data"),
    ),
    Call(
        "gatsby-source-squeak (roadmaps)",
        "GET",
        "roadmaps",
        qs={
            "pagination": {"page": 1, "pageSize": 100},
            "populate": {"teams": {"fields": ["id"]}, "image": {"fields": "*"}, "likes": True, "cta": True},
        },
        encode_keys=True,
        reads=("data.*.attributes.title", "data.*.attributes.likes.data", "data.*.attributes.cta"),
    ),
    # gatsby/sourceNodes.ts
    Call(
        "sourceNodes (achievements)",
        "GET",
        "achievements",
        qs={"populate": ["icon", "achievement_group.achievements.icon"], "publicationState": "preview"},
        encode_keys=True,
        reads=("data.*.id", "data.*.attributes.title", "data.*.attributes.icon", "data.*.attributes.achievement_group"),
    ),
    Call(
        "sourceNodes (achievement groups)",
        "GET",
        "achievement-groups",
        qs={"populate": ["achievements.icon", "icon"]},
        encode_keys=True,
        reads=("data.*.attributes.Title", "data.*.attributes.tiered", "data.*.attributes.achievements.data"),
    ),
    # src/components/Points, gatsby/sourceNodes.ts
    Call("sourceNodes (rewards)", "GET", "points/rewards", reads=("data.*.handle", "data.*.price", "data.*.title")),
    Call("RewardCard.redeem", "POST", "points/redeem", who="member", body={"handle": "{reward}"}, status=201),
    Call("CreditTile", "GET", "points/credit", who="member", reads=("data.enabled",)),
    # src/pages/community/profiles/[id].tsx (moderators)
    Call("Profile.handleBlock", "PUT", "profile/block/{blocked_profile}", who="moderator", reads=("data.blocked",)),
    Call("Profile.handleBlock(false)", "PUT", "profile/unblock/{blocked_profile}", who="moderator"),
    # Outside the community: answered with a clear 404 (README: "posthog.com").
    Call("AskMax", "POST", "ask-max", who="member", body={"question": {}}, status=404),
    Call("sourceNodes (posts)", "GET", "posts", qs={"pagination": {"page": 1, "pageSize": 100}}, status=404),
    Call("sourceNodes (events)", "GET", "events", status=404),
    Call("sourceNodes (SDK references)", "GET", "sdk-references", status=404),
)
