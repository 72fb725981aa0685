"""The fixed part of the demo: small teams, achievements, reward products and job listings."""

from decimal import Decimal

TEAMS = [
    ("Pipelines", "Data in, insights out", "🚰🔧", "We own ingestion: every event, exactly once."),
    ("Product Analytics", "Charts people actually read", "📈🦔", "Trends, funnels, retention and the query engine."),
    ("Session Replay", "Watch what users really do", "🎬🖱️", "Recording, playback and the privacy controls."),
    ("Feature Flags", "Ship it, safely", "🚩🧪", "Flags, experiments and the SDKs that evaluate them."),
    ("Infrastructure", "Keeping the lights on", "🏗️🔥", "Clusters, databases and the on-call rotation."),
    ("Growth", "More happy users, sooner", "🌱🚀", "Onboarding, billing and the website."),
    ("Community", "Where developers help each other", "💬🤝", "The forum, docs feedback, the rewards store."),
    ("Developer Experience", "SDKs that spark joy", "🛠️✨", "Libraries, the CLI and the docs site."),
]

# (group name, tiered, [(title, points, tier, trigger, threshold, repeatable)])
ACHIEVEMENT_GROUPS = [
    (
        "Questions",
        True,
        [
            ("Curious mind", 10, "bronze", "questions_asked", 1, False),
            ("Inquisitive", 25, "silver", "questions_asked", 10, False),
            ("Socratic", 60, "gold", "questions_asked", 50, False),
        ],
    ),
    (
        "Answers",
        True,
        [
            ("First answer", 10, "bronze", "answers_posted", 1, False),
            ("Helping hand", 30, "silver", "answers_posted", 25, False),
            ("Oracle", 100, "gold", "answers_posted", 100, False),
        ],
    ),
    (
        "Solutions",
        True,
        [
            ("Problem solver", 20, "bronze", "solutions", 1, False),
            ("Troubleshooter", 50, "silver", "solutions", 10, False),
            ("Fixer", 150, "gold", "solutions", 50, False),
        ],
    ),
    (
        "Roadmap",
        False,
        [
            ("Voice of the people", 5, "", "roadmap_votes", 1, False),
            ("Product shaper", 15, "", "roadmap_votes", 10, False),
        ],
    ),
    (
        "Profile",
        False,
        [
            ("Storyteller", 5, "", "biography_updated", 1, False),
            ("All set up", 10, "", "profile_completed", 1, False),
        ],
    ),
    (
        "Recognition",
        False,
        [
            ("Bug hunter", 50, "", "manual", 1, True),
            ("Docs contributor", 40, "", "manual", 1, True),
            ("Conference speaker", 75, "", "manual", 1, False),
            ("Early adopter", 25, "", "manual", 1, False),
            ("Plugin author", 80, "", "manual", 1, True),
            ("Hackathon winner", 100, "", "manual", 1, True),
            ("Community champion", 200, "", "manual", 1, False),
        ],
    ),
]

# What each achievement is for, as its page on the site says it (by title, as above).
ACHIEVEMENT_DESCRIPTIONS = {
    "Curious mind": "Asked a first question in the forum.",
    "Inquisitive": "Asked ten questions in the forum.",
    "Socratic": "Asked fifty questions in the forum.",
    "First answer": "Answered someone else's question for the first time.",
    "Helping hand": "Posted twenty-five answers in the forum.",
    "Oracle": "Posted a hundred answers in the forum.",
    "Problem solver": "Wrote an answer that the asker marked as the solution.",
    "Troubleshooter": "Wrote ten answers that askers marked as the solution.",
    "Fixer": "Wrote fifty answers that askers marked as the solution.",
    "Voice of the people": "Voted for a feature on the public roadmap.",
    "Product shaper": "Voted for ten features on the public roadmap.",
    "Storyteller": "Wrote a biography on their community profile.",
    "All set up": "Completed their profile with an avatar, a biography and a link.",
    "Bug hunter": "Reported a bug that the team confirmed and fixed.",
    "Docs contributor": "Improved the documentation with a merged change.",
    "Conference speaker": "Spoke about the product at a conference or meetup.",
    "Early adopter": "Used the product in its first months and told us how it went.",
    "Plugin author": "Published a plugin that other people use.",
    "Hackathon winner": "Won a prize at a community hackathon.",
    "Community champion": "Went out of their way, again and again, to help other members.",
}

# (title, kind, price, discount amount, stock, description)
REWARD_PRODUCTS = [
    ("Hedgehog sticker pack", "product", 100, None, 500, "Five die-cut stickers for your laptop."),
    ("Holographic logo sticker", "product", 50, None, None, "One shiny sticker, unlimited supply."),
    ("Enamel pin", "product", 250, None, 100, "A hard-enamel pin of the mascot."),
    ("$10 merch credit", "merch_credit", 400, Decimal("10.00"), None, "Ten dollars off anything in the merch store."),
    ("$25 merch credit", "merch_credit", 1000, Decimal("25.00"), None, "Twenty-five dollars off in the merch store."),
    ("$60 hoodie credit", "merch_credit", 2400, Decimal("60.00"), 40, "Enough for the limited-edition hoodie."),
    (
        "$30 contributor credit",
        "account_credit",
        0,
        Decimal("30.00"),
        None,
        "A thank-you for contributors: a moderator enables it for you, and you redeem it once.",
    ),
]

# (title, department, location, remote, employment type)
JOB_TITLES = [
    ("Senior Backend Engineer", "Engineering", "Remote (EMEA)", True, "full_time"),
    ("Product Engineer", "Engineering", "Remote (Americas)", True, "full_time"),
    ("Site Reliability Engineer", "Engineering", "Remote", True, "full_time"),
    ("Developer Advocate", "Marketing", "London, UK", False, "full_time"),
    ("Technical Writer", "Marketing", "Remote", True, "contract"),
    ("Product Designer", "Design", "Remote (EMEA)", True, "full_time"),
    ("Support Engineer", "Customer success", "Remote (APAC)", True, "full_time"),
    ("Data Engineer", "Engineering", "San Francisco, US", False, "full_time"),
    ("Community Manager", "Marketing", "Remote", True, "part_time"),
    ("Engineering Intern", "Engineering", "Berlin, DE", False, "internship"),
]

COMPANY_ROLES = [
    "Product Engineer",
    "Senior Engineer",
    "Engineering Lead",
    "Designer",
    "Developer Advocate",
    "Support Engineer",
    "Technical Writer",
    "Data Engineer",
    "Site Reliability Engineer",
    "Product Manager",
]

LOCATIONS = [
    ("London, UK", "GB"),
    ("Berlin, Germany", "DE"),
    ("Amsterdam, Netherlands", "NL"),
    ("Lisbon, Portugal", "PT"),
    ("New York, USA", "US"),
    ("San Francisco, USA", "US"),
    ("Toronto, Canada", "CA"),
    ("São Paulo, Brazil", "BR"),
    ("Cape Town, South Africa", "ZA"),
    ("Bangalore, India", "IN"),
    ("Sydney, Australia", "AU"),
    ("Warsaw, Poland", "PL"),
]

PRONOUNS = ["she/her", "he/him", "they/them", "", ""]

# Forum: (group, [(topic label, docs path prefix or "")]).
FORUM_TOPICS = [
    ("Product", [("Feature flags", "/docs/feature-flags"), ("Session replay", "/docs/session-replay"),
                 ("Experiments", "/docs/experiments"), ("Surveys", "/docs/surveys")]),
    ("Platform", [("SDKs", "/docs/libraries"), ("Self-hosting", "/docs/self-host"), ("API", "/docs/api")]),
    ("Community", [("Announcements", ""), ("Show and tell", ""), ("Feedback", "")]),
]  # fmt: skip
INTERNAL_TAGS = ["Internal: follow-up", "Internal: documentation", "Internal: tutorial idea"]
QUESTION_STARTS = [
    "How do I roll out {thing} to a percentage of users?",
    "Why does {thing} not show up in production?",
    "Is there a way to export {thing}?",
    "Best practice for {thing} in a monorepo?",
    "Can I use {thing} with Next.js server components?",
    "{thing} stopped working after upgrading",
]
QUESTION_THINGS = [
    "feature flags", "session recordings", "experiment results", "survey responses", "the Python SDK",
    "the Helm chart", "the API", "cohorts", "webhooks", "the toolbar",
]  # fmt: skip
